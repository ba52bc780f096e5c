"""Signals benchmark (docs/design/performance.md): all signals of 100,000 responses by 50 teams.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_signals.py [--responses N] [--db PATH]

Stores a flagship campaign (plus a previous campaign, a leadership self-assessment and a
policy register) in a SQLite file, then times ``analyse`` — loading the responses,
scoring overall and by team/role, and every signal — and, separately, the load alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import numpy as np

from culturescope.instruments import get_instrument
from culturescope.policies import PolicyDraft, add_policy
from culturescope.signals import analyse
from culturescope.storage import ResponseTable, Store
from culturescope.storage.codes import encode_matrix

TARGET_SECONDS = 2.0


def fill(store: Store, name: str, n: int, seed: int, **kwargs) -> None:
    inst = get_instrument(kwargs.pop("instrument", "ai-safety-culture"))
    rng = np.random.default_rng(seed)
    teams = np.array([f"Team {t:02d}" for t in range(50)])
    team = teams[rng.integers(0, 50, n)]
    role = rng.choice(["front_line", "manager", "senior_leader"], n, p=[0.75, 0.15, 0.10])
    theta = rng.normal(0.6, 0.5, n) + rng.normal(0, 0.3, 50)[rng.integers(0, 50, n)]
    matrix = np.empty((n, len(inst.items)))
    for j, item in enumerate(inst.items):
        points = inst.scale_of(item).points
        v = np.clip(np.rint(3 + theta + rng.normal(0, 0.7, n)), 1, points)
        matrix[:, j] = points + 1 - v if item.reverse else v
    matrix[rng.random(matrix.shape) < 0.02] = np.nan
    camp = store.create_campaign(name, inst, organisation="Bench", **kwargs)
    store.add_response_table(
        camp.id,
        ResponseTable(
            answers=encode_matrix(matrix),
            demographics=[{"team": str(t), "role": str(r)} for t, r in zip(team, role)],
            fingerprints=[store.fingerprint(name, k) for k in range(n)],
            source_refs=[None] * n,
            submitted_on=[None] * n,
        ),
        source="file",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = args.db or folder / "bench.db"
    store = Store(str(path))
    if "Now" not in {c.name for c in store.campaigns()}:
        n = args.responses
        print(f"building {n:,} responses (+ previous campaign, leaders, register) ...")
        fill(store, "Before", n, 1)
        heads = {"team": {f"Team {t:02d}": n // 40 for t in range(50)}}
        fill(store, "Now", n, 2, previous="Before", headcounts=heads)
        fill(store, "Leaders", 300, 3, instrument="leadership-self-assessment")
        for area in get_instrument("ai-safety-culture").practice_areas:
            add_policy(
                store,
                "Bench",
                PolicyDraft(
                    f"Policy {area.title}",
                    "Must.",
                    status="implemented",
                    review_on=dt.date(2020, 1, 1),
                    practice_areas=(area.id,),
                ),
            )
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = analyse(store, "Now")
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    store.load_responses("Now")
    store.load_responses("Before")
    load = time.perf_counter() - start
    best = min(times)
    print(
        f"signals: {len(result.signals)}; analyse best of 3: {best:.2f} s "
        f"(loading both campaigns alone {load:.2f} s); target {TARGET_SECONDS:.1f} s for "
        "scoring + signals"
    )
    store.close()


if __name__ == "__main__":
    main()
