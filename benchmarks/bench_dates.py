"""Date reading benchmark: the time columns read for duplicate detection and dates.

Run on demand, not under pytest::

    .venv/bin/python benchmarks/bench_dates.py [--rows 100000]

Two columns of ``--rows`` text times, as exports write them:

- ``dd/mm/yyyy hh:mm`` whose first value could be month-first (``03/02/2026 09:41``), so
  that the format pandas infers from it leaves the rest unread;
- Google Forms' zoned times (``2026/02/13 9:41:07 am GMT+1``).

Each is read, in one run, by:

- the per-value reading (pandas ``to_datetime(format="mixed")``, dateutil per value):
  what :func:`~culturescope.importing.times.time_column` did for these shapes before;
- a strict, explicit format (``to_datetime(format=…)``): the floor for column-wise
  reading;
- ``rowkeys.time_keys`` (the keys' times, incl. their text) and ``dates.read_dates`` (the
  responses' dates).

Target: ``time_keys`` and ``read_dates`` within 5× the explicit-format floor, i.e. no
per-value reading left for these shapes (they were 60–400× it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import warnings

import numpy as np
import pandas as pd

from culturescope.importing.dates import read_dates
from culturescope.importing.rowkeys import time_keys


def columns(rows: int) -> dict[str, tuple[pd.Series, str]]:
    """Name -> (column, the explicit format that reads it)."""
    rng = np.random.default_rng(7)
    start = dt.datetime(2026, 2, 3, 9, 41)
    seconds = np.sort(rng.integers(0, 40 * 86400, rows))
    times = [start + dt.timedelta(seconds=int(s)) for s in seconds]
    ddmm = [t.strftime("%d/%m/%Y %H:%M") for t in times]
    google = [
        f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'am' if t.hour < 12 else 'pm'} GMT+1"
        for t in times
    ]
    return {
        "dd/mm/yyyy hh:mm": (pd.Series(ddmm, dtype=object), "%d/%m/%Y %H:%M"),
        "Google … am GMT+1": (
            pd.Series(google, dtype=object),
            "%Y/%m/%d %I:%M:%S %p GMT+1",
        ),
    }


def timed(fn, *args, **kwargs) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    print(f"{args.rows:,} rows per column")
    for name, (column, fmt) in columns(args.rows).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            per_value = timed(pd.to_datetime, column, errors="coerce", format="mixed")
        floor = timed(pd.to_datetime, column, errors="coerce", format=fmt)
        keys = timed(time_keys, column)
        dates = timed(read_dates, column)
        print(f"{name}:")
        print(f"  per-value reading   {per_value:7.2f} s  ({per_value / floor:6.1f}× the floor)")
        print(f"  explicit format     {floor:7.2f} s  (the floor)")
        for label, seconds in (("rowkeys.time_keys", keys), ("dates.read_dates", dates)):
            ratio = seconds / floor
            verdict = "meets" if ratio <= 5 else "MISSES"
            print(
                f"  {label:<19} {seconds:7.2f} s  ({ratio:6.1f}× the floor, {verdict} ≤ 5×; "
                f"{per_value / seconds:5.1f}× faster than per value)"
            )


if __name__ == "__main__":
    main()
