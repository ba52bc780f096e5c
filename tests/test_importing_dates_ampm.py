"""A US export whose times carry AM/PM is read month-first when no day above 12 decides
the order (importing/dates.py), and the import says why."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from culturescope.importing import import_file
from culturescope.importing.dates import DAY_FIRST, read_dates, twelve_hour_clock
from importing_files import surveymonkey_rows, write_rows_xlsx


def test_twelve_hour_clock():
    assert twelve_hour_clock(["11/10/2026 09:00:00 AM", "11/10/2026 1:30:00 PM"])
    assert twelve_hour_clock(["11/10/2026 9:41 p.m."])
    assert not twelve_hour_clock(["11/10/2026 09:00", "11/10/2026 13:30"])
    assert not twelve_hour_clock(["11/10/2026 09:00 AM", "11/10/2026 13:30"])  # mixed clocks
    assert not twelve_hour_clock(["11/10/2026", "10/11/2026"])  # no times


def test_am_pm_reads_an_ambiguous_column_month_first_unless_told():
    values = pd.Series(["11/10/2026 09:00:00 AM", "11/11/2026 04:15:00 PM"], dtype=object)
    read = read_dates(values)
    assert read.order == "month-first" and read.ambiguous and read.reason
    assert [t.date() for t in read.times] == [dt.date(2026, 11, 10), dt.date(2026, 11, 11)]
    told = read_dates(values, order=DAY_FIRST)
    assert told.order == DAY_FIRST and not told.ambiguous
    assert [t.date() for t in told.times] == [dt.date(2026, 10, 11), dt.date(2026, 11, 11)]
    # A day above 12 still decides, whatever the clock.
    assert read_dates(pd.Series(["13/10/2026 09:00:00 AM"], dtype=object)).order == DAY_FIRST


def test_surveymonkey_us_export_gets_its_november_dates(sqlite_store, flagship, tmp_path):
    rows = surveymonkey_rows(flagship, range(6))
    # Responses on 10 and 11 November, as SurveyMonkey's US export writes them.
    for n, row in enumerate(rows[2:]):
        day = 10 + n % 2
        row[2] = f"11/{day}/2026 09:0{n}:00 AM"
        row[3] = f"11/{day}/2026 0{n + 1}:30:00 PM"
    path = write_rows_xlsx(tmp_path / "SurveyMonkey_Safety_Culture.xlsx", rows)
    sqlite_store.create_campaign("US", flagship)
    report = import_file(sqlite_store, "US", path)
    assert report.rows_added == 6
    note = next(n for n in report.plan.notices if "could be day-first or month-first" in n)
    assert note.startswith("column D (End Date): every date could be day-first or month-first")
    assert (
        "read as month-first because the times use a 12-hour clock with AM/PM, as US exports "
        "write them — if they are day-first, import again with --dates day-first"
    ) in note
    assert set(report.plan.submitted_on) == {dt.date(2026, 11, 10), dt.date(2026, 11, 11)}
    assert sqlite_store.survey_period("US") == (
        dt.date(2026, 11, 10),
        dt.date(2026, 11, 11),
        "responses",
    )
