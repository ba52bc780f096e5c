"""Command-line benchmark: whole processes, as a user at a terminal feels them.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_cli.py [--rows 100000] [--starts 7] [--exe PATH]

Every figure is a fresh process timed from just before it starts to its exit, so the
interpreter start and every import count. In one run:

1. **Start-up** (target: ``--version`` and ``--help`` within 10x a bare Python start).
   ``python -c pass`` with the same interpreter, ``culturescope --version`` and
   ``culturescope --help``, alternated, ``--starts`` rounds after one warm-up round;
   medians are reported.
2. **xlsx import** (target: within 2x python-calamine's bare read). A fresh interpreter
   that imports python-calamine and reads the 100,000-response x 60-item workbook to Python
   rows, against ``culturescope import FILE --campaign bench`` into a fresh SQLite
   database (read, validated and stored). The workbook is ``bench_import.generate``'s
   (cached in ``benchmarks/.cache/``).
3. **Scoring** (target: under 1.5 s). ``culturescope score --campaign bench --by team
   --json`` on the database the import just filled (100,000 stored responses), median of
   three, and ``culturescope campaign list`` on the same database for scale. Two figures,
   both printed: **cold** (``--no-cache``: computed from the stored responses, as the
   first run after any change) and **saved** (the same command again on unchanged data,
   answered from the output the previous run saved; see docs/design/performance.md,
   "Saved results"); the saved output is checked to be byte for byte the cold one. The
   in-run baseline is a fresh interpreter that only imports the libraries a cold score
   still needs (numpy and SciPy's compiled special functions, loaded as ``score`` loads
   them: culturescope.special_functions; it reads with sqlite3 and imports neither pandas
   nor SQLAlchemy) — the floor of any cold implementation in this stack — alternated
   with the score runs; ratios and CPU times are printed. (Until 2 December 2026 the
   baseline imported the whole ``scipy.special``, about 0.25 s of CPU more.) On a
   shared machine the CPU time (user + system) is the figure to compare with the target:
   the wall time adds the time spent waiting for a core.

``--only score`` skips the start-up and xlsx rounds and fills the database from the csv
(faster; not timed).

``--exe`` times another ``culturescope`` executable, e.g. the frozen one in
``dist/CultureScope/``; the default is the one beside this interpreter.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_import  # the 100k workbook generator, shared

START_RATIO_TARGET = 10.0
IMPORT_RATIO_TARGET = 2.0
SCORE_TARGET_SECONDS = 1.5

SCORE_FLOOR = "import numpy; from culturescope.special_functions import load_alone; load_alone()"

CALAMINE_READ = (
    "import sys, python_calamine\n"
    "wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
    "rows = wb.get_sheet_by_index(0).to_python()\n"
    "print(len(rows) - 1)\n"
)


def default_exe() -> list[str]:
    beside = Path(sys.executable).with_name("culturescope")
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-m", "culturescope"]


CPU: dict[str, float] = {}  # CPU seconds (user + system) of the last run of each label


OUT: dict[str, str] = {}  # stdout of the last run of each label


def timed(
    cmd: list[str], env: dict[str, str], *, label: str = "", cwd: Path | None = None
) -> float:
    """Wall seconds of one process; its failure stops the benchmark with its stderr.

    Its CPU seconds go to ``CPU[label]``: on a shared machine the wall time includes
    waiting for a core, the CPU time does not.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"bench_cli: {' '.join(cmd)} failed:\n{proc.stderr.strip()}")
    if label:
        CPU[label] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        OUT[label] = proc.stdout
    return seconds


def bench_startup(exe: list[str], env: dict[str, str], rounds: int) -> dict[str, float]:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "culturescope --version": [*exe, "--version"],
        "culturescope --help": [*exe, "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(rounds + 1):
        for name, cmd in commands.items():
            t = timed(cmd, env, label=name)
            if n:  # the first round warms the file cache
                times[name].append(t)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--starts", type=int, default=7, help="start-up rounds (median kept)")
    parser.add_argument("--exe", help="the culturescope executable to time")
    parser.add_argument("--only", choices=["score"], help="only the scoring figures")
    args = parser.parse_args()
    exe = [args.exe] if args.exe else default_exe()

    work = Path(tempfile.mkdtemp(prefix="culturescope-bench-cli-"))
    # Timed as installed: pip and the bundle ship compiled modules. With
    # PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), every process of a
    # source checkout would compile CultureScope's modules afresh (about 0.3 s of CPU for
    # `score`); without it the warm-up round writes them once, as a first run does.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "CULTURESCOPE_DATA_DIR": str(work / "data"),
        "CULTURESCOPE_CONFIG_DIR": str(work / "config"),
        "CULTURESCOPE_DB": str(work / "bench.db"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    try:
        print(f"timing {' '.join(exe)}; load average before: {os.getloadavg()[0]:.2f}")
        start = bench_startup(exe, env, args.starts) if not args.only else {}

        inst, csv_file, xlsx = bench_import.generate(args.rows)
        (work / "data" / "instruments").mkdir(parents=True)
        shutil.copy(inst, work / "data" / "instruments" / inst.name)
        timed([*exe, "campaign", "create", "bench", "--instrument", "bench-60"], env)
        if args.only:
            timed([*exe, "-q", "import", str(csv_file), "--campaign", "bench"], env)
        else:
            read = timed([sys.executable, "-c", CALAMINE_READ, str(xlsx)], env, label="read")
            imported = timed(
                [*exe, "-q", "import", str(xlsx), "--campaign", "bench"], env, label="import"
            )
        listing = statistics.median(
            timed([*exe, "campaign", "list"], env, label="list") for _ in range(3)
        )
        score_cmd = [*exe, "-q", "score", "--campaign", "bench", "--by", "team", "--json"]
        cold_cmd = [*score_cmd, "--no-cache"]
        timed(cold_cmd, env)  # warm-up: file cache
        scoring, floor, score_cpu, floor_cpu = [], [], [], []
        for _ in range(3):
            floor.append(timed([sys.executable, "-c", SCORE_FLOOR], env, label="floor"))
            floor_cpu.append(CPU["floor"])
            scoring.append(timed(cold_cmd, env, label="score"))
            score_cpu.append(CPU["score"])
        timed(score_cmd, env, label="saving")  # computes, prints and saves
        saved, saved_cpu = [], []
        for _ in range(3):
            saved.append(timed(score_cmd, env, label="saved"))
            saved_cpu.append(CPU["saved"])
        if not OUT["score"] == OUT["saving"] == OUT["saved"]:
            raise SystemExit("bench_cli: the saved score output differs from the cold one")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cached = (saved, saved_cpu)
    if args.only:
        _print_score(args.rows, listing, scoring, score_cpu, floor, floor_cpu, cached)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0

    bare = start["python -c pass"]
    print(f"\nStart-up (median of {args.starts} rounds, whole processes):")
    for name, t in start.items():
        ratio = t / bare
        verdict = ""
        if name != "python -c pass":
            ok = ratio <= START_RATIO_TARGET
            verdict = (
                f"  {ratio:5.1f}x bare Python ({'meets' if ok else 'MISSES'} the <= 10x target)"
            )
        print(f"  {name:<26} {t * 1000:7.0f} ms (CPU {CPU[name] * 1000:4.0f} ms){verdict}")

    ratio = imported / read
    print(f"\n{args.rows:,} responses x {bench_import.N_ITEMS} items from xlsx, whole processes:")
    print(f"  python-calamine bare read   {read:6.2f} s (CPU {CPU['read']:.2f} s)")
    print(
        f"  culturescope import         {imported:6.2f} s (CPU {CPU['import']:.2f} s) "
        f"= {ratio:.2f}x the bare read "
        f"({'meets' if ratio <= IMPORT_RATIO_TARGET else 'MISSES'} the <= 2x target)"
    )
    _print_score(args.rows, listing, scoring, score_cpu, floor, floor_cpu, cached)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


def _print_score(rows, listing, scoring, score_cpu, floor, floor_cpu, cached) -> None:
    med = statistics.median
    score, cpu = med(scoring), med(score_cpu)
    saved, saved_cpu = med(cached[0]), med(cached[1])
    print(f"\nOn the {rows:,} stored responses, whole processes (median of 3):")
    print(f"  culturescope campaign list  {listing:6.2f} s (CPU {CPU['list']:.2f} s)")
    print(
        f"  baseline: python -c '{SCORE_FLOOR}'  {med(floor):6.2f} s (CPU {med(floor_cpu):.2f} s)"
    )
    print(
        f"  score --by team --json, cold (--no-cache)  {score:6.2f} s (CPU {cpu:.2f} s) "
        f"= {score / med(floor):.2f}x the baseline wall, {cpu / med(floor_cpu):.2f}x its CPU; "
        f"runs {', '.join(f'{t:.2f}' for t in scoring)} s"
    )
    print(
        f"  score --by team --json, saved output      {saved:6.2f} s (CPU {saved_cpu:.2f} s) "
        f"= {saved / med(floor):.2f}x the baseline wall; identical bytes to the cold output"
    )
    for name, wall, c in (("cold", score, cpu), ("saved", saved, saved_cpu)):
        verdict = "meets" if c < SCORE_TARGET_SECONDS else "MISSES"
        print(
            f"  target < {SCORE_TARGET_SECONDS} s, {name:<5}: CPU {c:.2f} s {verdict} it; wall "
            f"{wall:.2f} s {'meets' if wall < SCORE_TARGET_SECONDS else 'misses'} it on this "
            "machine now"
        )


if __name__ == "__main__":
    raise SystemExit(main())
