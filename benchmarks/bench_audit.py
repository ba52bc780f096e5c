"""Linked-table audit benchmark (docs/confidentiality.md): what the first audit of the demo
campaign costs, and how much the audit hides.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_audit.py [--respondents N] [--random 12]

Builds the demo organisation (360 respondents, four demographics) in a temporary SQLite
file, then

* times (CPU) the campaign's first audit (the cache emptied first) and, as the yardstick
  measured in the same run, a scoring by team once the audit is cached; the ratio of the
  two is the figure to watch (a regression guard: :data:`TARGET_RATIO`);
* counts what the audit hides for the demo and for the random campaigns of
  ``tests/test_linked_tables.py``: groups hidden to protect a smaller group, dimension and
  item figures hidden that way, and whether the whole campaign's figure is hidden.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from culturescope.demo import create_demo
from culturescope.scoring import score_campaign
from culturescope.scoring.confidentiality import (
    MAX_BREAKDOWN_DEMOGRAPHICS,
    PROTECTED,
    RESPONSES,
    campaign_audit,
)
from culturescope.scoring.confidentiality import audit as audit_module
from culturescope.storage import Store

#: The first audit may cost at most this many cached scorings by team: a guard against
#: regressions (measured 2026-12: about 30, i.e. 1.2 s of CPU for the demo's audit).
TARGET_RATIO = 40.0


def loss(audit) -> dict[str, int]:
    """How much ``audit`` hides beyond the figures that are too small themselves."""
    # Score figures: the whole campaign, one demographic or a pair; longer keys are the
    # Responses page's deeper nesting levels.
    protected = [
        (layer, key)
        for (layer, key), why in audit.hidden.items()
        if why == PROTECTED and len(key) <= MAX_BREAKDOWN_DEMOGRAPHICS
    ]
    groups = [key for layer, key in protected if layer == RESPONSES]
    page = [
        key
        for (layer, key), why in audit.hidden.items()
        if why == PROTECTED and layer == RESPONSES and len(key) > MAX_BREAKDOWN_DEMOGRAPHICS
    ]
    return {
        "score groups hidden to protect": len(groups),
        "people in them": sum(audit.sizes.get(key, 0) for key in groups),
        "score dimension/item figures hidden to protect": len(protected) - len(groups),
        "Responses-page groups hidden to protect": len(page),
        "layers where the whole campaign is hidden": sum(
            1 for (layer, key) in audit.hidden if key == ()
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=360)
    parser.add_argument("--random", type=int, default=12, help="random campaigns (seeds 0..N-1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "demo.db"))
        try:
            campaign = create_demo(store, respondents=args.respondents)
            data = store.load_responses(campaign.id)
        finally:
            store.close()
    minimum = campaign.min_group_size
    audit_module._CACHE.clear()
    # CPU time, not wall time: the ratio stays meaningful on a busy machine.
    start = time.process_time()
    audit = campaign_audit(data, min_group_size=minimum)
    first = time.process_time() - start
    warm = []
    for _ in range(3):
        start = time.process_time()
        score_campaign(data, by=["team"], min_group_size=minimum)
        warm.append(time.process_time() - start)
    reference = statistics.median(warm)
    ratio = first / reference
    print(f"demo ({len(data.answers)} responses, minimum {minimum}):")
    print(
        f"  first audit {first:.2f} s CPU; scoring by team with the audit cached "
        f"{reference:.3f} s CPU"
    )
    verdict = "OK" if ratio <= TARGET_RATIO else "over target"
    print(f"  ratio {ratio:.1f} (target <= {TARGET_RATIO:g}): {verdict}")
    for name, value in loss(audit).items():
        print(f"  {name}: {value}")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from culturescope.instruments import parse_instrument
    from test_linked_tables import LINKED, random_campaign

    inst = parse_instrument(LINKED)
    totals: dict[str, int] = {}
    start = time.perf_counter()
    for seed in range(args.random):
        data, minimum = random_campaign(inst, seed)
        for name, value in loss(campaign_audit(data, min_group_size=minimum)).items():
            totals[name] = totals.get(name, 0) + value
    took = time.perf_counter() - start
    print(f"{args.random} random campaigns of tests/test_linked_tables.py ({took:.2f} s):")
    for name, value in totals.items():
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
