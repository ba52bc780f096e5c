"""Report benchmark (docs/design/performance.md): PDF + Excel scorecard of 100,000
responses by 50 teams.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_reports.py [--responses N] [--repeat R] [--profile]

Stores a flagship campaign (the shipped ``ai-safety-culture`` instrument; 50 teams of
varied size, three of them below the minimum group size; roles; ~5% of respondents with
comments) plus a previous campaign for the trend and a policy register, the way
``bench_signals.py`` does (``ResponseTable`` of encoded answers, no file import). Then,
in a fresh interpreter per run (so peak memory is the report's own):

- the headline: ``export_scorecard`` to PDF (with one page per team) and then to xlsx,
  as the Export page and ``culturescope report`` do: each export scores the campaign;
- the parts, on one scorecard: scoring and gathering (``build_scorecard``), the PDF
  (``write_pdf(by_team=True)``) and the workbook (``write_xlsx``);
- in-run baseline: ``store.load_responses`` + one ``score_campaign(by=["team"])``,
  the least any report must do.

Target: both exports together under 15 s. ``--profile`` prints the cProfile top functions
of each part. Imports (reportlab, matplotlib, xlsxwriter) are done before timing and
reported separately: they are paid once per app session.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET_SECONDS = 15.0
CAMPAIGN = "Now"


def fill(store, name: str, n: int, seed: int, n_teams: int = 50, **kwargs) -> None:
    from culturescope.demo import COMMENTS
    from culturescope.instruments import get_instrument
    from culturescope.storage import ResponseTable
    from culturescope.storage.codes import encode_matrix

    inst = get_instrument("ai-safety-culture")
    rng = np.random.default_rng(seed)
    weights = rng.gamma(2.0, 1.0, n_teams)
    team_ix = rng.choice(n_teams, size=n, p=weights / weights.sum())
    team_ix[:9] = np.repeat([0, 1, 2], [2, 3, 4])  # three teams below the minimum group size
    team_ix[9:][np.isin(team_ix[9:], [0, 1, 2])] = 3
    teams = np.array([f"Team {t:02d}" for t in range(n_teams)])
    role = rng.choice(["front_line", "manager", "senior_leader"], n, p=[0.75, 0.15, 0.10])
    theta = rng.normal(0.6, 0.5, n) + rng.normal(0, 0.3, n_teams)[team_ix]
    theta += np.where(role == "front_line", 0.0, 0.35)  # leaders rate things higher
    matrix = np.empty((n, len(inst.items)))
    for j, item in enumerate(inst.items):
        points = inst.scale_of(item).points
        v = np.clip(np.rint(3 + theta + rng.normal(0, 0.7, n)), 1, points)
        matrix[:, j] = points + 1 - v if item.reverse else v
    matrix[rng.random(matrix.shape) < 0.02] = np.nan
    pool = [f"{t} ({k})" for texts in COMMENTS.values() for t in texts for k in range(1, 9)]
    with_comment = np.flatnonzero(rng.random(n) < 0.05)
    comments = {
        int(r): {p.id: pool[int(rng.integers(len(pool)))] for p in inst.comments}
        for r in with_comment
    }
    camp = store.create_campaign(name, inst, organisation="Bench", **kwargs)
    store.add_response_table(
        camp.id,
        ResponseTable(
            answers=encode_matrix(matrix),
            demographics=[
                {"team": str(t), "role": str(r)} for t, r in zip(teams[team_ix], role, strict=True)
            ],
            fingerprints=[store.fingerprint(name, k) for k in range(n)],
            source_refs=[None] * n,
            submitted_on=[None] * n,
            comments=comments,
        ),
        source="file",
    )


def build_database(path: Path, n: int) -> None:
    from culturescope.instruments import get_instrument
    from culturescope.policies import PolicyDraft, add_policy
    from culturescope.storage import Store

    store = Store(str(path))
    fill(store, "Before", n, 1)
    heads = {"team": {f"Team {t:02d}": n // 40 for t in range(50)}}
    fill(store, CAMPAIGN, n, 2, previous="Before", headcounts=heads)
    for k, area in enumerate(get_instrument("ai-safety-culture").practice_areas):
        add_policy(
            store,
            "Bench",
            PolicyDraft(
                f"Policy {area.title}",
                "Must.",
                status=("drafted", "approved", "implemented", "audited")[k % 4],
                review_on=dt.date(2020, 1, 1),
                practice_areas=(area.id,),
            ),
        )
    store.close()


# ---- one measuring run, in a fresh interpreter -------------------------------------------------
def step_run(db: str, out: str, profile: str) -> dict:
    import cProfile
    import io
    import pstats
    import resource

    def rss() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t = time.perf_counter()
    import culturescope.reports.excel
    import culturescope.reports.pdf
    from culturescope.reports.export import export_scorecard
    from culturescope.reports.scorecard import build_scorecard
    from culturescope.scoring import score_campaign
    from culturescope.settings import load_settings
    from culturescope.storage import Store

    imports = time.perf_counter() - t
    store = Store(db)
    settings = load_settings().signal_settings()
    folder = Path(out)
    result: dict = {"imports": imports, "rss_start": rss()}
    profiles: dict[str, str] = {}

    def timed(name: str, fn):
        prof = cProfile.Profile() if profile == "yes" else None
        t = time.perf_counter()
        if prof is not None:
            prof.enable()
        value = fn()
        if prof is not None:
            prof.disable()
        result[name] = time.perf_counter() - t
        result[f"rss_{name}"] = rss()
        if prof is not None:
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(25)
            profiles[name] = text.getvalue()
        return value

    store.fingerprint("warm-up")
    loaded = timed("load", lambda: store.load_responses(CAMPAIGN))
    timed("score", lambda: score_campaign(loaded, by=["team"]))
    loaded = None
    timed(
        "export_pdf",
        lambda: export_scorecard(
            store,
            CAMPAIGN,
            "pdf",
            folder / "scorecard.pdf",
            by_team=True,
            signal_settings=settings,
        ),
    )
    timed(
        "export_xlsx",
        lambda: export_scorecard(
            store, CAMPAIGN, "xlsx", folder / "scorecard.xlsx", signal_settings=settings
        ),
    )
    card = timed("scorecard", lambda: build_scorecard(store, CAMPAIGN, signal_settings=settings))
    timed(
        "pdf",
        lambda: culturescope.reports.pdf.write_pdf(card, folder / "parts.pdf", by_team=True),
    )
    timed("xlsx", lambda: culturescope.reports.excel.write_xlsx(card, folder / "parts.xlsx"))
    result["pdf_kb"] = (folder / "scorecard.pdf").stat().st_size / 1024
    result["xlsx_kb"] = (folder / "scorecard.xlsx").stat().st_size / 1024
    result["teams_shown"] = len(card.result.visible_groups)
    result["teams"] = len(card.result.groups)
    result["profiles"] = profiles
    store.close()
    return result


def run_once(db: Path, profile: bool) -> dict:
    out = tempfile.mkdtemp(prefix="cs-bench-reports-")
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_reports as b; "
        "print(json.dumps(b.step_run(*sys.argv[2:])))"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(Path(__file__).parent),
            str(db),
            out,
            "yes" if profile else "no",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2, help="measuring runs (median kept)")
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this database")
    parser.add_argument("--profile", action="store_true", help="cProfile each part")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="cs-bench-reports-")) / "bench.db"
    if not db.exists():
        t = time.perf_counter()
        build_database(db, args.responses)
        print(
            f"built {db}: 2 campaigns × {args.responses:,} responses, 50 teams, roles, "
            f"comments, policy register ({time.perf_counter() - t:.1f} s)"
        )
    runs = [run_once(db, args.profile) for _ in range(args.repeat)]
    med = {
        k: statistics.median(r[k] for r in runs)
        for k in runs[0]
        if not isinstance(runs[0][k], dict)
    }
    r0 = runs[0]
    print(
        f"\nscorecard of {args.responses:,} responses, {r0['teams']} teams "
        f"({r0['teams_shown']} shown); median of {len(runs)} runs, each in a fresh process "
        f"(imports {med['imports']:.2f} s before timing)"
    )
    for label, key in (
        ("baseline: load_responses", "load"),
        ("baseline: score_campaign by team", "score"),
        ("export_scorecard → PDF (by team)", "export_pdf"),
        ("export_scorecard → xlsx", "export_xlsx"),
        ("  part: scoring (build_scorecard)", "scorecard"),
        ("  part: PDF (write_pdf by team)", "pdf"),
        ("  part: xlsx (write_xlsx)", "xlsx"),
    ):
        each = ", ".join(f"{r[key]:.2f}" for r in runs)
        print(
            f"  {label:<36} {med[key]:6.2f} s  (runs: {each}; max RSS so far {med['rss_' + key]:.0f} MB)"
        )
    baseline = med["load"] + med["score"]
    parts = med["scorecard"] + med["pdf"] + med["xlsx"]
    total = med["export_pdf"] + med["export_xlsx"]
    print(
        f"  parts on one scorecard: {parts:.2f} s; scoring = {med['scorecard'] / baseline:.1f}× "
        f"the baseline (load + score {baseline:.2f} s)"
    )
    print(f"  files: PDF {r0['pdf_kb']:.0f} kB, xlsx {r0['xlsx_kb']:.0f} kB")
    peak = max(r["rss_xlsx"] for r in runs)
    verdict = "meets" if total < TARGET_SECONDS else "MISSES"
    print(
        f"  both exports: {total:.2f} s ({verdict} the < {TARGET_SECONDS:.0f} s target); "
        f"peak RSS {peak:.0f} MB"
    )
    if args.profile:
        for name, text in runs[0]["profiles"].items():
            print(f"\n==== profile: {name} ====\n{text}")


if __name__ == "__main__":
    main()
