"""Hostile and broken import files: refused with one line naming the file (and the cell),
never a traceback, a hang, a memory blow-up or a silent change. Every fixture is made here."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.importing import ImportFailed, import_file, plan_import, read_table
from culturescope.instruments import get_instrument
from culturescope.storage import Store
from importing_files import write_csv, write_xlsx


@pytest.fixture
def pulse():
    return get_instrument("psychological-safety-pulse")


def _good_rows(pulse, n=3):
    return [i.id for i in pulse.items] + ["team", "C1"], [
        [3] * len(pulse.items) + ["Red", None] for _ in range(n)
    ]


@pytest.fixture(autouse=True)
def _empty_db(tmp_path, empty_db_file):
    """``tmp_path / "cli.db"``: a copy of the migrated empty database (commands below
    create their campaign in it; creating a database is tested in test_storage.py)."""
    copy_db(empty_db_file, tmp_path / "cli.db")


def _cli(capsys, monkeypatch, tmp_path, path):
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "cli.db"))
    assert (
        main(["-q", "campaign", "create", "P", "--instrument", "psychological-safety-pulse"]) == 0
    )
    capsys.readouterr()
    code = main(["-q", "import", str(path), "--campaign", "P"])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _error_line(err: str) -> str:
    """The refusal of a file whose cells are wrong: no traceback, every line short."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert all(len(ln) < 600 for ln in lines), max(map(len, lines))
    return next(ln for ln in lines if ln.startswith("culturescope: error:"))


# ---- zip bombs and oversized workbooks -------------------------------------------------------
def _bomb(tmp_path, pulse, megabytes=24):
    """A real workbook with one extra part of zeros that unpacks ~1000 times larger."""
    path = write_xlsx(tmp_path / "bomb.xlsx", *_good_rows(pulse))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (megabytes << 20))
    return path


def test_zip_bomb_is_refused_before_anything_is_decompressed(pulse, tmp_path, monkeypatch):
    import python_calamine

    path = _bomb(tmp_path, pulse)
    assert path.stat().st_size < 200_000

    def never(*_a, **_k):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    with pytest.raises(ImportFailed) as info:
        read_table(path)
    message = str(info.value)
    assert message.startswith("bomb.xlsx: is refused: its part xl/media/padding.bin unpacks")
    assert "zip bomb" in message and "CULTURESCOPE_IMPORT_MAX_RATIO" in message


def test_limits_are_configurable(pulse, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "ok.xlsx", *_good_rows(pulse))
    assert len(read_table(path)) == 3
    monkeypatch.setenv("CULTURESCOPE_IMPORT_MAX_ENTRIES", "3")
    with pytest.raises(ImportFailed, match="more than the 3 allowed"):
        read_table(path)
    monkeypatch.delenv("CULTURESCOPE_IMPORT_MAX_ENTRIES")
    monkeypatch.setenv("CULTURESCOPE_IMPORT_MAX_FILE_MB", "0")
    with pytest.raises(ImportFailed, match="must be a positive whole number"):
        read_table(path)
    monkeypatch.delenv("CULTURESCOPE_IMPORT_MAX_FILE_MB")
    bomb = _bomb(tmp_path, pulse, megabytes=12)
    monkeypatch.setenv("CULTURESCOPE_IMPORT_MAX_UNPACKED_MB", "10")
    monkeypatch.setenv("CULTURESCOPE_IMPORT_MAX_RATIO", "5000")
    with pytest.raises(ImportFailed, match="unpacks to 12 MB, more than the 10 MB allowed"):
        read_table(bomb)
    monkeypatch.setenv("CULTURESCOPE_IMPORT_MAX_UNPACKED_MB", "100")
    assert len(read_table(bomb)) == 3  # within the raised limits


def test_zip_bomb_on_the_command_line_is_one_line(capsys, monkeypatch, tmp_path, pulse):
    code, _, err = _cli(capsys, monkeypatch, tmp_path, _bomb(tmp_path, pulse))
    assert code != 0
    assert "zip bomb" in _one_line(err)


# ---- special files ---------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    db = tmp_path / "cli.db"
    store = Store(str(db))  # the campaign made here: one interpreter is enough
    store.create_campaign("P", get_instrument("psychological-safety-pulse"))
    store.close()
    env = dict(os.environ, CULTURESCOPE_DB=str(db))
    done = subprocess.run(
        [sys.executable, "-m", "culturescope", "-q", "import", str(fifo), "--campaign", "P"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a hang is a failure, not a stuck test run
    )
    assert done.returncode != 0
    assert "is a named pipe (FIFO), not a spreadsheet file" in _one_line(done.stderr)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "folder.xlsx", "is a folder, not a spreadsheet"),
        (lambda _tmp: __import__("pathlib").Path("/dev/null"), "is a device"),
    ],
)
def test_folders_and_devices_are_refused(capsys, monkeypatch, tmp_path, make, message):
    path = make(tmp_path)
    if path.name == "folder.xlsx":
        path.mkdir()
    if not path.exists():
        pytest.skip(f"{path} does not exist here")
    code, _, err = _cli(capsys, monkeypatch, tmp_path, path)
    assert code != 0 and message in _one_line(err)


def test_unreadable_file_is_one_line(capsys, monkeypatch, tmp_path, pulse):
    import pathlib

    path = write_csv(tmp_path / "locked.csv", *_good_rows(pulse))

    def denied(self, *args, **kwargs):
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    real = pathlib.Path.open
    monkeypatch.setattr(pathlib.Path, "open", denied)
    code, _, err = _cli(capsys, monkeypatch, tmp_path, path)
    assert code != 0
    assert "locked.csv: cannot be read (Permission denied)" in _one_line(err)


# ---- csv line endings ------------------------------------------------------------------------
def test_csv_with_cr_only_line_endings_imports(sqlite_store, pulse, tmp_path):
    header, rows = _good_rows(pulse, n=4)
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path = tmp_path / "classic mac.csv"
    path.write_bytes("\r".join(lines).encode("utf-8") + b"\r")
    sqlite_store.create_campaign("C", pulse)
    assert import_file(sqlite_store, "C", path).rows_added == 4


# ---- formulas without a saved value ----------------------------------------------------------
def test_formulas_without_saved_values_are_refused_naming_the_cells(pulse, tmp_path):
    header, rows = _good_rows(pulse)
    rows[1][2] = "=1+2"  # openpyxl stores the formula and no value, as scripts do
    rows[2][0] = "=A2"
    path = write_xlsx(tmp_path / "formulas.xlsx", header, rows)
    with pytest.raises(ImportFailed) as info:
        read_table(path)
    message = str(info.value)
    assert "2 formula cells without a saved value (C3, A4)" in message
    assert "they would be read as blank" in message


def test_formulas_with_saved_values_import(pulse, tmp_path):
    import xlsxwriter

    path = tmp_path / "calculated.xlsx"
    header, rows = _good_rows(pulse)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    ws.write_formula(1, 0, "=2+2", None, 4)  # as Excel saves it: formula and result
    wb.close()
    table = read_table(path)
    assert table.data[0].tolist()[0] == 4


# ---- over-long cells -------------------------------------------------------------------------
def test_a_huge_team_name_is_refused_not_cut(capsys, monkeypatch, tmp_path, pulse):
    header, rows = _good_rows(pulse)
    rows[1][-2] = "T" * 1_000_000  # csv: an xlsx cell holds at most 32,767 characters
    path = write_csv(tmp_path / "huge.csv", header, rows)
    code, _, err = _cli(capsys, monkeypatch, tmp_path, path)
    assert code != 0
    line = _error_line(err)
    assert "row 3, column H (team)" in line
    assert "(1,000,000 characters)' is too long for Team: at most 200" in line
    assert len(line) < 400


def test_a_huge_comment_is_refused_and_a_huge_answer_is_shortened(pulse, tmp_path):
    header, rows = _good_rows(pulse)
    rows[0][-1] = "word " * 5000  # 25,000 characters
    rows[2][0] = "A" * 1_048_576
    path = write_csv(tmp_path / "long.csv", header, rows)
    plan = plan_import(read_table(path), pulse)
    errors = {(p.row, p.letter): p.message for p in plan.errors}
    assert "too long for a comment: at most 20,000" in errors[(2, "I")]
    assert "(1,048,576 characters)' is not an answer" in errors[(4, "A")]
    assert max(len(str(p)) for p in plan.problems) < 400


def test_over_long_cells_are_rejected_rows_with_skip_invalid(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    header, rows = _good_rows(pulse)
    rows[1][-2] = "T" * 5000
    path = write_csv(tmp_path / "long.csv", header, rows)
    report = import_file(sqlite_store, "C", path, skip_invalid=True)
    assert report.rows_rejected == 1 and report.rows_added == len(rows) - 1
    teams = sqlite_store.load_responses("C").demographics["team"].tolist()
    assert all(len(t) < 200 for t in teams)  # nothing cut and stored


def test_a_huge_header_is_shortened_in_messages(pulse, tmp_path):
    header, rows = _good_rows(pulse)
    header[-2] = "Which team " + "x" * 100_000  # the csv module reads fields up to 131,072
    rows[0][0] = "Maybe"
    path = write_csv(tmp_path / "wide.csv", header, rows)
    plan = plan_import(read_table(path), pulse)
    assert plan.errors and max(len(str(p)) for p in plan.problems) < 600
    assert max(len(n) for n in plan.notices) < 600
