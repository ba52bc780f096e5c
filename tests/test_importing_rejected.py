"""``import --skip-invalid``: valid rows stored, every rejected row kept with its reasons."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from culturescope.cli import main
from culturescope.importing import ImportFailed, import_file
from culturescope.instruments import get_instrument
from culturescope.storage import Store
from importing_files import write_csv, write_xlsx


@pytest.fixture
def pulse():
    return get_instrument("psychological-safety-pulse")


def _rows(pulse):
    header = ["Timestamp", *[i.id for i in pulse.items], "team", "Email"]
    when = dt.datetime(2026, 5, 4, 10, 30)
    rows = [
        [when + dt.timedelta(minutes=n), *[4] * 7, "Red", f"p{n}@example.org"] for n in range(6)
    ]
    rows[1][2] = "Maybe"  # row 3: an unknown label
    rows[4][3] = 9  # row 6: out of range
    rows[4][8] = '=HYPERLINK("x")'  # and a team name that looks like a formula
    return header, rows


def _xlsx(path, header, rows):
    """The rows in a workbook, text that starts with '=' kept as text (as Excel does for
    a cell typed with a leading apostrophe)."""
    write_xlsx(path, header, rows)
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


def test_without_the_option_nothing_is_stored(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    path = _xlsx(tmp_path / "field.xlsx", *_rows(pulse))
    with pytest.raises(ImportFailed):
        import_file(sqlite_store, "C", path)
    assert sqlite_store.campaign("C").response_count == 0
    assert not (tmp_path / "field.rejected.xlsx").exists()


def test_skip_invalid_stores_valid_rows_and_writes_rejected_ones(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    header, rows = _rows(pulse)
    path = _xlsx(tmp_path / "field.xlsx", header, rows)

    report = import_file(sqlite_store, "C", path, skip_invalid=True)

    assert (report.rows_added, report.rows_rejected) == (4, 2)
    assert report.rejected_file == tmp_path / "field.rejected.xlsx"
    assert any("field.rejected.xlsx" in n for n in report.plan.notices)
    got = sqlite_store.load_responses("C")
    assert got.meta["source_ref"].tolist() == ["row 2", "row 4", "row 5", "row 7"]

    ws = openpyxl.load_workbook(report.rejected_file).active
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    assert table[0][2:] == header
    assert [r[0] for r in table[1:]] == [3, 6]
    assert "'Maybe' is not an answer" in table[1][1] and "column C (PP2)" in table[1][1]
    assert "9 is out of range" in table[2][1] and "column D (PP3)" in table[2][1]
    assert table[1][2:] == rows[1]  # unchanged, identifying column included
    assert table[2][2:] == rows[4]
    cell = ws.cell(row=3, column=11)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"  # text, not a formula


def test_file_errors_still_refuse_everything(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    path = write_csv(tmp_path / "x.csv", ["a", "b"], [[1, 2]])
    with pytest.raises(ImportFailed, match="no column matches"):
        import_file(sqlite_store, "C", path, skip_invalid=True)
    assert not (tmp_path / "x.rejected.xlsx").exists()


def test_cli_skip_invalid(capsys, tmp_path, monkeypatch, pulse, new_db):
    monkeypatch.setenv("CULTURESCOPE_DB", new_db("cli.db"))  # migrated copy
    assert main(["-q", "campaign", "create", "P", "--instrument", pulse.id]) == 0
    path = write_csv(tmp_path / "clerk 2.csv", *_rows(pulse))
    assert main(["-q", "import", str(path), "--campaign", "P", "--skip-invalid", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "4 responses would be added (6 rows read; 2 skipped: 2 rejected" in out
    assert not (tmp_path / "clerk 2.rejected.xlsx").exists()
    assert main(["-q", "import", str(path), "--campaign", "P", "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Imported 4 responses" in out and "2 rejected" in out
    assert f"to {tmp_path / 'clerk 2.rejected.xlsx'}" in out
    # The same file again: nothing imported, and the rejected file is left as it was.
    rejected = tmp_path / "clerk 2.rejected.xlsx"
    rejected.write_bytes(b"the user's corrections in progress")
    assert main(["-q", "import", str(path), "--campaign", "P", "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Imported 0 responses" in out and "rejected row" not in out
    assert rejected.read_bytes() == b"the user's corrections in progress"
    store = Store(str(tmp_path / "cli.db"))
    try:
        assert store.campaign("P").response_count == 4
    finally:
        store.close()


def test_corrected_rejected_rows_import_and_nothing_is_lost(sqlite_store, pulse, tmp_path):
    """The round trip the rejected file is for: fix its rows, drop the two added columns,
    import it; every respondent is stored once, and the original again adds nothing."""
    sqlite_store.create_campaign("C", pulse)
    header, rows = _rows(pulse)
    path = _xlsx(tmp_path / "field.xlsx", header, rows)
    report = import_file(sqlite_store, "C", path, skip_invalid=True)
    table = [list(r) for r in openpyxl.load_workbook(report.rejected_file).active.values]
    fixed = [r[2:] for r in table[1:]]
    fixed[0][2] = 3  # 'Maybe' -> 3
    fixed[1][3] = 5  # 9 -> 5
    fixed[1][8] = "Blue"
    write_xlsx(tmp_path / "fixed.xlsx", table[0][2:], fixed)

    assert import_file(sqlite_store, "C", tmp_path / "fixed.xlsx").rows_added == 2
    assert import_file(sqlite_store, "C", path, skip_invalid=True).rows_added == 0
    assert sqlite_store.campaign("C").response_count == 6


def test_unwritable_folder_stores_nothing(sqlite_store, pulse, tmp_path, monkeypatch):
    sqlite_store.create_campaign("C", pulse)
    path = _xlsx(tmp_path / "field.xlsx", *_rows(pulse))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("culturescope.atomic.tempfile.mkstemp", refuse)
    with pytest.raises(ImportFailed, match="rejected rows cannot be written.*nothing was imported"):
        import_file(sqlite_store, "C", path, skip_invalid=True)
    assert sqlite_store.campaign("C").response_count == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["field.xlsx"]


def test_cancelled_after_planning_leaves_no_rejected_file(sqlite_store, pulse, tmp_path):
    from culturescope import Cancelled

    sqlite_store.create_campaign("C", pulse)
    path = _xlsx(tmp_path / "field.xlsx", *_rows(pulse))
    calls = []

    def cancel_once_checked():  # planning done: the second check cancels
        calls.append(1)
        return len(calls) > 1 and (tmp_path / "field.rejected.xlsx").exists()

    with pytest.raises(Cancelled):
        import_file(sqlite_store, "C", path, skip_invalid=True, is_cancelled=cancel_once_checked)
    assert sqlite_store.campaign("C").response_count == 0
    assert not (tmp_path / "field.rejected.xlsx").exists()
