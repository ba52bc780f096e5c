"""Dates at import: one day/month order per column, unreadable times stay unknown."""

from __future__ import annotations

import datetime as dt

from culturescope.cli import main
from culturescope.importing import import_file, plan_import, read_table
from culturescope.importing.dates import decide_order
from culturescope.instruments import get_instrument
from importing_files import write_csv, write_xlsx


def _dated(tmp_path, stamps, name="dated.csv", header="Timestamp"):
    pulse = get_instrument("psychological-safety-pulse")
    columns = [header, *[i.id for i in pulse.items]]
    rows = [[s, *[(k + j) % 5 + 1 for j in range(len(pulse.items))]] for k, s in enumerate(stamps)]
    write = write_xlsx if name.endswith(".xlsx") else write_csv
    return pulse, write(tmp_path / name, columns, rows)


def test_one_day_month_order_per_column(sqlite_store, tmp_path):
    pulse, path = _dated(tmp_path, ["13/02/2026 09:00", "03/02/2026 10:00", "01/03/2026 11:00"])
    sqlite_store.create_campaign("C", pulse)
    report = import_file(sqlite_store, "C", path)
    got = sqlite_store.load_responses("C").meta["submitted_on"].tolist()
    assert got == [dt.date(2026, 2, 13), dt.date(2026, 2, 3), dt.date(2026, 3, 1)]
    assert any("dates read as day-first" in n for n in report.plan.notices)

    # Google Forms in a US locale: month first, no leading zeros, seconds
    pulse, path = _dated(tmp_path, ["2/13/2026 9:05:11", "2/3/2026 17:45:00"], name="us.csv")
    plan = plan_import(read_table(path), pulse)
    assert plan.submitted_on == [dt.date(2026, 2, 13), dt.date(2026, 2, 3)]
    assert any("dates read as month-first" in n for n in plan.notices)


def test_ambiguous_column_is_reported_and_can_be_told(tmp_path):
    pulse, path = _dated(tmp_path, ["03/02/2026", "04/02/2026"])
    plan = plan_import(read_table(path), pulse)
    assert plan.submitted_on == [dt.date(2026, 2, 3), dt.date(2026, 2, 4)]
    assert any("could be day-first or month-first" in n for n in plan.notices)
    plan = plan_import(read_table(path), pulse, date_order="month-first")
    assert plan.submitted_on == [dt.date(2026, 3, 2), dt.date(2026, 4, 2)]
    assert not any("could be" in n for n in plan.notices)  # told: nothing to report


def test_iso_dates_and_date_cells_are_never_flipped(tmp_path):
    pulse, path = _dated(tmp_path, ["2026-02-05 10:00", "2026-02-06"])
    for order in (None, "day-first", "month-first"):
        plan = plan_import(read_table(path), pulse, date_order=order)
        assert plan.submitted_on == [dt.date(2026, 2, 5), dt.date(2026, 2, 6)]
    cells = [dt.datetime(2026, 2, 5, 10, 0), dt.datetime(2026, 3, 4, 8, 30)]
    pulse, path = _dated(tmp_path, cells, name="cells.xlsx", header="Completion time")
    plan = plan_import(read_table(path), pulse, date_order="month-first")
    assert plan.submitted_on == [dt.date(2026, 2, 5), dt.date(2026, 3, 4)]


def test_unreadable_timestamps_are_unknown_not_the_import_date(sqlite_store, tmp_path):
    pulse, path = _dated(tmp_path, ["2026-02-13 09:00", "next Tuesday", "", "2026-02-14"])
    sqlite_store.create_campaign("C", pulse)
    report = import_file(sqlite_store, "C", path)
    warnings = [str(p) for p in report.plan.warnings]
    assert any(
        "row 3, column A (Timestamp): 'next Tuesday' cannot be read as a date" in w
        for w in warnings
    )
    got = sqlite_store.load_responses("C").meta["submitted_on"].tolist()
    assert got[1] is None and got[2] is None  # unknown, never today's date
    assert str(got[0]) == "2026-02-13" and str(got[3]) == "2026-02-14"


def test_dates_in_both_orders_cannot_be_trusted(tmp_path):
    pulse, path = _dated(tmp_path, ["13/02/2026", "02/13/2026", "2026-02-05"])
    plan = plan_import(read_table(path), pulse)
    assert plan.submitted_on[:2] == [None, None] and str(plan.submitted_on[2]) == "2026-02-05"
    assert any("both day-first" in p.message for p in plan.warnings)


def test_decide_order():
    assert decide_order(["13.02.2026", "01.02.2026"]) == ("day-first", False, False)
    assert decide_order(["02-13-2026"]) == ("month-first", False, False)
    assert decide_order(["01/02/2026"]) == (None, True, False)
    assert decide_order(["2026-02-13", "yesterday"]) == (None, False, False)


def test_cli_dates_option(capsys, tmp_path, monkeypatch, new_db):
    monkeypatch.setenv("CULTURESCOPE_DB", new_db("cli.db"))  # migrated copy
    pulse, path = _dated(tmp_path, ["03/02/2026 10:00", "04/02/2026 11:00"])
    assert main(["-q", "campaign", "create", "P", "--instrument", pulse.id]) == 0
    assert main(["import", str(path), "--campaign", "P", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "read as day-first" in out and "--dates month-first" in out
    assert main(["-q", "import", str(path), "--campaign", "P", "--dates", "month-first"]) == 0
    capsys.readouterr()
    assert main(["campaign", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert '"2026-03-02"' in listed and '"2026-04-02"' in listed  # the survey period


def test_values_outside_the_columns_format_are_still_read(tmp_path):
    """The column is parsed with the format of its first text; a value written another
    way is read on its own, not lost."""
    stamps = ["03/02/2026 10:00", "14/02/2026 11:30", "5 March 2026", "2026-02-20", "soon"]
    pulse, path = _dated(tmp_path, stamps)
    plan = plan_import(read_table(path), pulse)
    assert plan.submitted_on == [
        dt.date(2026, 2, 3),
        dt.date(2026, 2, 14),
        dt.date(2026, 3, 5),
        dt.date(2026, 2, 20),
        None,
    ]
    assert sum("cannot be read as a date" in p.message for p in plan.warnings) == 1
