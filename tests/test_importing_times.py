"""The times read for row keys and dates, pinned on awkward inputs: they are part of
stored fingerprints (a re-import must read them exactly as before), so the column-wise fast
paths of importing/times.py must give what the per-value reading gave (values recorded
with the implementation before them)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from culturescope.importing import times
from culturescope.importing.dates import read_dates
from culturescope.importing.rowkeys import time_keys

CASES = {
    "day_first_after_a_low_first_value": [
        "03/02/2026 09:41",
        "13/02/2026 10:00",
        "",
        None,
        "04/02/2026 11:00:05",
        "31/12/2026 23:59",
    ],
    "invalid_and_overflowing_slashes": [
        "1/2/2026 9:00",
        "02/30/2026",
        "13/13/2026",
        "1/2/2026 24:00",
        "1/2/2026 12:60",
        "00/01/2026",
        "12/31/2026 7:05:09",
    ],
    "month_first_column": ["2/13/2026 9:05:11", "12/1/2026 17:00:00", "1/1/2026"],
    "google_one_zone": [
        "2026/02/13 9:41:07 am GMT+1",
        "2026/02/14 11:30:00 PM GMT+1",
        "2026/02/14 12:05:00 AM GMT+1",
    ],
    "google_two_zones": [
        "2026/03/28 9:41:07 am GMT+1",
        "2026/03/30 11:30:00 PM GMT+2",
        "2026/03/30 12:00:00 pm GMT-5",
    ],
    "google_one_zone_and_a_bad_date": [
        "2026/02/30 9:41:07 am GMT+1",
        "2026/02/13 9:41:07 am GMT+1",
    ],
    "google_hour_zero": ["2026/02/13 0:41:07 am GMT+1", "2026/02/13 9:41:07 am GMT+1"],
    "iso_and_junk": ["2026-02-13T09:41:07", "2026-02-13 09:41", "junk"],
    "kobo_zones": ["2026-03-01T09:00:00.000+00:00", "2026-03-01T09:17:00.000+01:00"],
    "workbook_cells": [
        dt.datetime(2026, 2, 13, 9, 41, 7),
        pd.Timestamp("2026-02-14 10:00"),
        "14/02/2026 10:00",
    ],
    "numbers": [45000.5, 3, "x"],
    "a_leap_second": ["1/2/2026 12:00:60", "3/2/2026 9:00", "13/2/2026 9:00"],
    "limesurvey_no_date": ["1980-01-01 00:00:00", "1980-01-01 00:00:00"],
}

#: What the implementation before the fast paths gave: (row-key texts, dates read).
PINNED = {
    "a_leap_second": (
        ["1/2/2026 12:00:60", "2026-03-02T09:00:00", "2026-02-13T09:00:00"],
        [None, "2026-02-03 09:00:00", "2026-02-13 09:00:00"],
    ),
    "day_first_after_a_low_first_value": (
        [
            "2026-03-02T09:41:00",
            "2026-02-13T10:00:00",
            "",
            "",
            "2026-04-02T11:00:05",
            "2026-12-31T23:59:00",
        ],
        [
            "2026-02-03 09:41:00",
            "2026-02-13 10:00:00",
            None,
            None,
            "2026-02-04 11:00:05",
            "2026-12-31 23:59:00",
        ],
    ),
    "invalid_and_overflowing_slashes": (
        [
            "2026-01-02T09:00:00",
            "02/30/2026",
            "13/13/2026",
            "1/2/2026 24:00",
            "1/2/2026 12:60",
            "00/01/2026",
            "2026-12-31T07:05:09",
        ],
        [None, None, None, None, None, None, None],
    ),
    "month_first_column": (
        ["2026-02-13T09:05:11", "2026-12-01T17:00:00", "2026-01-01T00:00:00"],
        ["2026-02-13 09:05:11", "2026-12-01 17:00:00", "2026-01-01 00:00:00"],
    ),
    "google_one_zone": (
        ["2026-02-13T09:41:07", "2026-02-14T23:30:00", "2026-02-14T00:05:00"],
        ["2026-02-13 09:41:07", "2026-02-14 23:30:00", "2026-02-14 00:05:00"],
    ),
    "google_two_zones": (
        ["2026-03-28T10:41:07", "2026-03-31T01:30:00", "2026-03-30T07:00:00"],
        ["2026-03-28 09:41:07", "2026-03-30 23:30:00", "2026-03-30 12:00:00"],
    ),
    "google_one_zone_and_a_bad_date": (
        ["2026/02/30 9:41:07 am GMT+1", "2026-02-13T09:41:07"],
        [None, "2026-02-13 09:41:07"],
    ),
    "google_hour_zero": (
        ["2026-02-13T00:41:07", "2026-02-13T09:41:07"],
        ["2026-02-13 00:41:07", "2026-02-13 09:41:07"],
    ),
    "iso_and_junk": (
        ["2026-02-13T09:41:07", "2026-02-13T09:41:00", "junk"],
        ["2026-02-13 09:41:07", "2026-02-13 09:41:00", None],
    ),
    "kobo_zones": (
        ["2026-03-01T09:00:00", "2026-03-01T08:17:00"],
        ["2026-03-01 09:00:00", "2026-03-01 09:17:00"],
    ),
    "workbook_cells": (
        ["2026-02-13T09:41:07", "2026-02-14T10:00:00", "2026-02-14T10:00:00"],
        ["2026-02-13 09:41:07", "2026-02-14 10:00:00", "2026-02-14 10:00:00"],
    ),
    "numbers": (
        ["1970-01-01T00:00:00", "1970-01-01T00:00:00", "x"],
        ["1970-01-01 00:00:00.000045", "1970-01-01 00:00:00.000000003", None],
    ),
    "limesurvey_no_date": (
        ["1980-01-01T00:00:00", "1980-01-01T00:00:00"],
        ["1980-01-01 00:00:00", "1980-01-01 00:00:00"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_times_read_as_before(name):
    column = pd.Series(CASES[name], dtype=object)
    keys, dates = PINNED[name]
    assert time_keys(column).tolist() == keys
    read = read_dates(column).times
    assert [None if pd.isna(t) else str(t) for t in read] == dates


def test_slashed_times_read_like_the_per_value_reading():
    """Every day/month pair 0..39 (valid or not), with and without times: the column-wise
    reading gives what pandas' per-value reading gives."""
    values = ["03/02/2026 09:41"]  # a first value that could be month-first
    for a in range(40):
        for b in range(40):
            values += [f"{a:02d}/{b}/2026", f"{a}/{b:02d}/2024 23:59", f"{a}/{b}/2025 7:05:09"]
    values += ["1/2/2026 24:00", "2/29/2025", "2/29/2024 10:00", "1/1/0001", "12/31/9999"]
    column = pd.Series(values, dtype=object)
    assert times.all_text_like(column, times.SLASHED)  # the column-wise reading is used
    per_value = pd.to_datetime(column, errors="coerce", format="mixed")
    expected = per_value.dt.strftime("%Y-%m-%dT%H:%M:%S").where(per_value.notna(), column)
    assert time_keys(column).tolist() == expected.tolist()


@pytest.mark.parametrize("zones", [["GMT+1"], ["GMT+1", "GMT+2", "GMT-10"]])
def test_google_times_read_like_the_per_value_reading(zones):
    """Every hour of the 12-hour clock, am and pm, in one zone (wall-clock times) or in
    several (the per-value reading's UTC)."""
    values = [
        f"2026/{m}/{d} {h}:{mi:02d}:07 {ap} {zones[(m + h) % len(zones)]}"
        for m in (2, 3, 10)
        for d in (1, 13, 29, 31)
        for h in range(1, 13)
        for mi in (0, 59)
        for ap in ("am", "PM")
    ]
    column = pd.Series(values, dtype=object)
    assert times.google_times(column) is not None  # the column-wise reading is used
    per_value = pd.to_datetime(column, errors="coerce", format="mixed", utc=len(zones) > 1)
    per_value = per_value.dt.tz_localize(None)
    expected = per_value.dt.strftime("%Y-%m-%dT%H:%M:%S").where(per_value.notna(), column)
    assert time_keys(column).tolist() == expected.tolist()
