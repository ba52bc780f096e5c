"""Import benchmark (docs/design/performance.md): 100,000 responses × 60 items from xlsx and csv.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_import.py [--rows 100000]

Generates the files once into ``benchmarks/.cache/`` (the xlsx takes about a minute with
XlsxWriter's constant-memory mode), then measures in one run, each step in its own
subprocess so that peak memory (``ru_maxrss``) is per step:

- python-calamine's bare read of the xlsx to Python rows, and the full import of the
  xlsx (read, validated, stored in a fresh SQLite database);
- ``pandas.read_csv`` of the csv, and the full import of the csv.

Targets: import ≤ 2× the bare read (xlsx) and ≤ 2× ``pandas.read_csv`` (csv); peak
memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CACHE = Path(__file__).parent / ".cache"
N_ITEMS = 60
TEAMS = [f"Team {n:02d}" for n in range(1, 51)]
ROLES = ["Front-line staff", "Manager", "Senior leader", "Prefer not to say"]


def instrument_yaml() -> str:
    """A 60-item instrument: 6 dimensions of 10 items on a 5-point scale with N/A."""
    lines = [
        "id: bench-60",
        'version: "1.0"',
        "title: Benchmark instrument (60 items)",
        "languages: [en]",
        "scales:",
        "  agree5:",
        "    points: 5",
        "    labels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]",
        "    not_applicable: {code: 0, label: Not applicable}",
        "dimensions:",
    ]
    lines += [f"  - {{id: d{d}, title: Dimension {d}}}" for d in range(1, 7)]
    lines.append("items:")
    for n in range(1, N_ITEMS + 1):
        d = (n - 1) // 10 + 1
        rev = "true" if n % 3 == 0 else "false"
        lines.append(
            f"  - {{id: Q{n}, dimension: d{d}, reverse: {rev}, "
            f'text: "Statement number {n} about how safety work is done in dimension {d}."}}'
        )
    lines += [
        "demographics:",
        "  - {id: team, label: Team}",
        "  - id: role",
        "    label: Role level",
        "    options:",
        "      - {id: front_line, label: Front-line staff}",
        "      - {id: manager, label: Manager}",
        "      - {id: senior_leader, label: Senior leader}",
        "      - {id: prefer_not_to_say, label: Prefer not to say}",
    ]
    return "\n".join(lines) + "\n"


def headers() -> list[str]:
    return ["Team", "Role level"] + [
        f"Q{n}. Statement number {n} about how safety work is done in dimension {(n - 1) // 10 + 1}."
        for n in range(1, N_ITEMS + 1)
    ]


def generate(rows: int) -> tuple[Path, Path, Path]:
    """Write (once) the instrument, the csv and the xlsx for ``rows`` responses."""
    CACHE.mkdir(exist_ok=True)
    inst = CACHE / "bench-60.yaml"
    inst.write_text(instrument_yaml(), encoding="utf-8")
    csv_path = CACHE / f"responses-{rows}.csv"
    xlsx_path = CACHE / f"responses-{rows}.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        return inst, csv_path, xlsx_path
    rng = np.random.default_rng(7)
    team = rng.integers(0, len(TEAMS), rows)
    role = rng.choice(len(ROLES), rows, p=[0.7, 0.2, 0.07, 0.03])
    base = rng.normal(3.6, 0.6, rows)[:, None] + rng.normal(0, 0.9, (rows, N_ITEMS))
    answers = np.clip(np.rint(base), 1, 5).astype(int)
    answers[rng.random((rows, N_ITEMS)) < 0.01] = 0  # N/A
    blank = rng.random((rows, N_ITEMS)) < 0.01
    t0 = time.perf_counter()
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(headers())
        for r in range(rows):
            vals = ["" if blank[r, i] else str(answers[r, i]) for i in range(N_ITEMS)]
            w.writerow([TEAMS[team[r]], ROLES[role[r]], *vals])
    print(f"wrote {csv_path.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    import xlsxwriter

    t0 = time.perf_counter()
    tmp = xlsx_path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("Responses")
    ws.write_row(0, 0, headers())
    for r in range(rows):
        ws.write_string(r + 1, 0, TEAMS[team[r]])
        ws.write_string(r + 1, 1, ROLES[role[r]])
        row = answers[r].tolist()
        for i in range(N_ITEMS):
            if not blank[r, i]:
                ws.write_number(r + 1, 2 + i, row[i])
    wb.close()
    tmp.replace(xlsx_path)
    print(f"wrote {xlsx_path.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    return inst, csv_path, xlsx_path


# ---- steps, each run in a fresh interpreter ------------------------------------------------
def step_calamine(path: str) -> dict:
    import python_calamine

    t0 = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(path)
    rows = wb.get_sheet_by_index(0).to_python()
    return {"seconds": time.perf_counter() - t0, "rows": len(rows) - 1}


def step_read_csv(path: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    return {"seconds": time.perf_counter() - t0, "rows": len(frame)}


def step_import(path: str, instrument: str) -> dict:
    # Imports of the app's modules are part of start-up, not of the import being measured.
    from culturescope.importing import import_file
    from culturescope.instruments import load_instrument
    from culturescope.storage import Store

    db = Path(tempfile.mkdtemp()) / "bench.db"
    store = Store(str(db))
    store.create_campaign("bench", load_instrument(instrument))
    store.fingerprint("warm-up")  # reads the database's key once
    marks: dict[str, float] = {}

    def progress(fraction: float, message: str) -> None:
        marks.setdefault(message, time.perf_counter())

    t0 = time.perf_counter()
    report = import_file(store, "bench", path, progress=progress)
    end = time.perf_counter()
    assert report.rows_added > 0, report
    # Phases from the progress messages import_file reports at each step's start.
    starts = [("checking answers", "read"), ("detecting duplicates", "validate")]
    phases, last = {}, t0
    for message, name in starts:
        if message in marks:
            phases[name] = marks[message] - last
            last = marks[message]
    store_start = marks.get("storing responses", last)
    phases["fingerprint"] = store_start - last
    phases["store"] = end - store_start
    return {"seconds": end - t0, "rows": report.rows_added, "phases": phases}


def run_step(*args: str) -> dict:
    """Run a step in a subprocess; adds its peak RSS in MB."""
    code = (
        "import json, resource, sys; sys.path.insert(0, sys.argv[1]); import bench_import as b; "
        "r = getattr(b, 'step_' + sys.argv[2])(*sys.argv[3:]); "
        "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
        "print(json.dumps(r))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (median kept)")
    args = parser.parse_args()
    inst, csv_path, xlsx_path = generate(args.rows)

    def measure(*step: str) -> dict:
        runs = [run_step(*step) for _ in range(args.repeat)]
        runs.sort(key=lambda r: r["seconds"])
        return runs[len(runs) // 2]

    results = {
        "calamine bare read (xlsx)": measure("calamine", str(xlsx_path)),
        "full import (xlsx)": measure("import", str(xlsx_path), str(inst)),
        "pandas.read_csv (csv)": measure("read_csv", str(csv_path)),
        "full import (csv)": measure("import", str(csv_path), str(inst)),
    }
    print(f"\n{args.rows:,} responses × {N_ITEMS} items (+ team, role)")
    for name, r in results.items():
        print(f"  {name:<28} {r['seconds']:7.2f} s   peak RSS {r['peak_mb']:7.0f} MB")
        if "phases" in r:
            print("      " + ", ".join(f"{k} {v:.2f} s" for k, v in r["phases"].items()))
    for kind, bare, full in (
        ("xlsx", "calamine bare read (xlsx)", "full import (xlsx)"),
        ("csv", "pandas.read_csv (csv)", "full import (csv)"),
    ):
        ratio = results[full]["seconds"] / results[bare]["seconds"]
        verdict = "meets" if ratio <= 2 else "MISSES"
        print(f"  {kind}: import / baseline = {ratio:.2f}× ({verdict} the ≤ 2× target)")
    peak = max(r["peak_mb"] for r in results.values())
    print(f"  peak RSS {peak:.0f} MB ({'meets' if peak < 1536 else 'MISSES'} the < 1.5 GB target)")


if __name__ == "__main__":
    main()
