"""Frozen desktop bundle benchmark: its size, and its start against the same code from source.

Run on demand, not under pytest, after ``packaging/build.sh``::

    .venv/bin/python benchmarks/bench_frozen.py [--bundle dist/CultureScope] [--rounds 5]

In one run, each figure a fresh process timed from just before it starts to its exit:

1. **Size** (target: the Linux bundle under 450 MB uncompressed): the bytes of every file
   in the bundle folder, in MB of 1,000,000 bytes (what ``packaging/build.sh`` prints).
2. **Start of the command line**: the frozen ``culturescope --version`` against a bare
   ``python -c pass`` (target: within 10x) and against ``culturescope --version`` from
   source.
3. **Launch to window** (target: under 3 s frozen, under 2 s from source):
   ``culturescope gui --screenshot FILE`` on a demo database, frozen and from source,
   alternated, with the bare ``import PySide6.QtWidgets`` + ``QApplication`` as the
   in-run baseline. A screenshot is taken once the main window has been shown and its
   pages have finished their work, and the process then saves the PNG and exits: its
   whole time is an upper bound of launch to window (``bench_gui.py`` times the window's
   first paint from source, which the frozen app cannot be asked for). Qt's
   ``offscreen`` platform is used unless ``QT_QPA_PLATFORM`` says otherwise.

The first round warms the file cache and is not counted; medians are printed, with the
CPU time (user + system) beside each: on a shared machine the wall time includes waiting
for a core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_cli  # whole-process timing with CPU time, shared

ROOT = Path(__file__).resolve().parents[1]
SIZE_LIMIT_MB = 450
START_RATIO_TARGET = 10.0
FROZEN_LAUNCH_TARGET = 3.0
SOURCE_LAUNCH_TARGET = 2.0
QT_BASELINE = (
    "import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication(sys.argv[:1])\n"
)


def bundle_mb(folder: Path) -> float:
    total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    return total / 1_000_000


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one process; a failure stops the benchmark."""
    wall = bench_cli.timed(cmd, env, label="run", cwd=cwd)
    return wall, bench_cli.CPU["run"]


def alternate(
    commands: dict[str, list[str]], env: dict[str, str], cwd: Path, rounds: int
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, run in turn, after one warm-up round."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for n in range(rounds + 1):
        for name, cmd in commands.items():
            result = run(cmd, env, cwd)
            if n:
                times[name].append(result)
    return {
        name: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts))
        for name, ts in times.items()
    }


def source_exe() -> list[str]:
    beside = Path(sys.executable).with_name("culturescope")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "culturescope"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "CultureScope")
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds (median kept)")
    args = parser.parse_args()
    frozen = args.bundle.resolve() / "culturescope"
    if not frozen.is_file():
        raise SystemExit(f"bench_frozen: no bundle at {args.bundle}; run packaging/build.sh")
    source = source_exe()

    work = Path(tempfile.mkdtemp(prefix="culturescope-bench-frozen-"))
    env = {
        **os.environ,
        "CULTURESCOPE_DATA_DIR": str(work / "data"),
        "CULTURESCOPE_CONFIG_DIR": str(work / "config"),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    env.pop("CULTURESCOPE_DB", None)
    db = str(work / "demo.db")
    try:
        print(f"bundle {args.bundle}; load average before: {os.getloadavg()[0]:.2f}")
        size = bundle_mb(args.bundle)
        run([str(frozen), "--db", db, "-q", "demo"], env, work)
        start = alternate(
            {
                "python -c pass": [sys.executable, "-c", "pass"],
                "frozen --version": [str(frozen), "--version"],
                "source --version": [*source, "--version"],
            },
            env,
            work,
            max(args.rounds, 5),
        )
        shot = str(work / "shot.png")
        launch = alternate(
            {
                "baseline: PySide6 + QApplication": [sys.executable, "-c", QT_BASELINE],
                "frozen gui --screenshot": [str(frozen), "--db", db, "gui", "--screenshot", shot],
                "source gui --screenshot": [*source, "--db", db, "gui", "--screenshot", shot],
            },
            env,
            work,
            args.rounds,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ok = size < SIZE_LIMIT_MB
    print(f"\nBundle size: {size:.0f} MB uncompressed ({'meets' if ok else 'MISSES'} < 450 MB)")
    bare, bare_cpu = start["python -c pass"]
    print(f"\nStart-up (median of {max(args.rounds, 5)}, whole processes):")
    for name, (wall, cpu) in start.items():
        ratio, cpu_ratio = wall / bare, cpu / bare_cpu
        verdict = ""
        if name != "python -c pass":
            verdict = f" = {ratio:.1f}x bare Python (CPU {cpu_ratio:.1f}x)"
        if name == "frozen --version":
            ok = ratio <= START_RATIO_TARGET and cpu_ratio <= START_RATIO_TARGET
            verdict += f" {'meets' if ok else 'MISSES'} <= 10x"
        print(f"  {name:<22} {wall * 1000:6.0f} ms (CPU {cpu * 1000:4.0f} ms){verdict}")
    print(f"\nLaunch to window, screenshot taken and saved (median of {args.rounds}):")
    base = launch["baseline: PySide6 + QApplication"][0]
    for name, (wall, cpu) in launch.items():
        print(f"  {name:<34} {wall:6.2f} s (CPU {cpu:.2f} s) = {wall / base:.1f}x the baseline")
    for kind, target in (("frozen", FROZEN_LAUNCH_TARGET), ("source", SOURCE_LAUNCH_TARGET)):
        wall, cpu = launch[f"{kind} gui --screenshot"]
        print(
            f"  {kind}: {wall:.2f} s wall / {cpu:.2f} s CPU against < {target:.0f} s: "
            f"{'meets' if wall < target else 'misses'} it on this machine now (wall), "
            f"{'meets' if cpu < target else 'MISSES'} it in CPU time"
        )
    frozen_wall, source_wall = (launch[f"{k} gui --screenshot"][0] for k in ("frozen", "source"))
    print(f"  frozen / source = {frozen_wall / source_wall:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
