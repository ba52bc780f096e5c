"""``culturescope import``: dry run, mapping files, one-line errors, database unchanged."""

from __future__ import annotations

import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.instruments import get_instrument
from culturescope.storage import Store
from importing_files import ms_forms_rows, write_csv, write_xlsx


@pytest.fixture
def db(tmp_path, monkeypatch, empty_db_file):
    path = copy_db(empty_db_file, tmp_path / "cli.db")  # migrated once per session
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))
    assert main(["-q", "campaign", "create", "Q4", "--instrument", "ai-safety-culture"]) == 0
    return path


def run(capsys, *argv):
    code = main(["-q", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def count(db) -> int:
    store = Store(str(db))
    try:
        return store.campaign("Q4").response_count
    finally:
        store.close()


def test_dry_run_then_import_then_reimport(capsys, db, tmp_path):
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(7))
    path = write_xlsx(tmp_path / "forms.xlsx", header, data)
    mapping = tmp_path / "mapping.yaml"

    code, out, _ = run(
        capsys,
        "import",
        str(path),
        "--campaign",
        "Q4",
        "--dry-run",
        "--write-mapping",
        str(mapping),
    )
    assert code == 0
    assert "D  Email" in out and "dropped: identifies the respondent" in out
    assert "Dry run: 7 responses would be added (7 rows read; none skipped)" in out
    assert count(db) == 0
    assert '"Email": "identifying"' in mapping.read_text(encoding="utf-8")

    code, out, err = run(capsys, "import", str(path), "--campaign", "Q4", "--mapping", str(mapping))
    assert code == 0, err
    # The import's number once; a neutral label ("import 1, 7 rows, xlsx") is not repeated.
    assert "Imported 7 responses from forms.xlsx into 'Q4' as import 1 (7 rows read; none " in out
    assert "Email (D), Name (E)" in err
    code, out, _ = run(capsys, "import", str(path), "--campaign", "Q4")
    assert "Imported 0 responses" in out and "7 already stored" in out
    assert count(db) == 7
    # A later export with 2 more rows, named by the user: the number, then the name.
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(9))
    later = write_xlsx(tmp_path / "forms 2.xlsx", header, data)
    code, out, _ = run(capsys, "import", str(later), "--campaign", "Q4", "--label", "Site North")
    assert (
        "Imported 2 responses from forms 2.xlsx into 'Q4' as import 2 'Site North' "
        "(9 rows read; 7 skipped: 7 already stored)." in out
    )


def test_bad_file_is_one_line_error(capsys, db, tmp_path):
    fake = tmp_path / "scan.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    code, _, err = run(capsys, "import", str(fake), "--campaign", "Q4")
    assert code == 1
    assert (
        err.strip()
        == "culturescope: error: scan.xlsx: is a PNG image, not a spreadsheet (xlsx, xlsm, ods or csv)"
    )
    assert count(db) == 0


def test_problems_are_listed_and_nothing_stored(capsys, db, tmp_path):
    inst = get_instrument("ai-safety-culture")
    header = [i.id for i in inst.items]
    rows = [[3] * len(header), [3] * len(header)]
    rows[1][0] = 8
    path = write_csv(tmp_path / "typed.csv", header, rows, delimiter=";")
    code, out, err = run(capsys, "import", str(path), "--campaign", "Q4")
    assert code == 1
    assert "error: typed.csv: row 3, column A (LA1): 8 is out of range" in err
    assert err.strip().splitlines()[-1].startswith("culturescope: error: typed.csv: row 3")
    code, out, _ = run(capsys, "import", str(path), "--campaign", "Q4", "--dry-run")
    assert code == 1 and "would block the import" in out
    assert count(db) == 0


def test_several_errors_listed_once_then_a_summary(capsys, db, tmp_path):
    inst = get_instrument("ai-safety-culture")
    header = [i.id for i in inst.items]
    rows = [[3] * len(header) for _ in range(4)]
    rows[0][0], rows[1][1], rows[2][2] = 8, 9, -1
    path = write_csv(tmp_path / "typed.csv", header, rows)
    code, _, err = run(capsys, "import", str(path), "--campaign", "Q4")
    assert code == 1
    lines = err.strip().splitlines()
    assert [ln.split(":")[2].strip() for ln in lines[:3]] == [
        "row 2, column A (LA1)",
        "row 3, column B (LA2)",
        "row 4, column C (LA3)",
    ]
    assert lines[-1] == (
        "culturescope: error: 3 errors in typed.csv: nothing was imported; "
        "the database is unchanged"
    )
    assert "both are" not in err and "more error" not in err  # no duplicate-row noise
    assert count(db) == 0


def test_text_file_named_xlsx_is_called_what_it_is(capsys, db, tmp_path):
    fake = tmp_path / "answers.xlsx"
    fake.write_text("team,LA1\nRed,3\n")
    code, _, err = run(capsys, "import", str(fake), "--campaign", "Q4")
    assert code == 1
    assert "answers.xlsx: is not a real xlsx workbook: it contains plain text" in err
    assert count(db) == 0


def test_summary_says_which_column_became_which_demographic(capsys, db, tmp_path):
    from importing_files import ms_forms_worded_rows

    header, data = ms_forms_worded_rows(get_instrument("ai-safety-culture"), range(6))
    path = write_xlsx(tmp_path / "Survey(1-6).xlsx", header, data)
    code, out, err = run(capsys, "import", str(path), "--campaign", "Q4")
    assert code == 0, err
    assert "demographics: Which team do you work in? (" in err
    assert "-> Team (recognised from the wording)" in err
    assert "What is your role level? (" in err and "-> Role level" in err
    assert "Imported 6 responses" in out


def test_unknown_values_are_listed_once_then_mapped(capsys, db, tmp_path):
    from importing_files import ms_forms_worded_rows

    header, data = ms_forms_worded_rows(get_instrument("ai-safety-culture"), range(8))
    role = header.index("What is your role level?")
    for row in data[:3]:
        row[role] = "Director"
    path = write_xlsx(tmp_path / "s.xlsx", header, data)
    mapping = tmp_path / "m.yaml"
    code, _, err = run(
        capsys, "import", str(path), "--campaign", "Q4", "--write-mapping", str(mapping)
    )
    assert code == 1 and count(db) == 0
    assert "'Director' (Role level, 3×)" in err
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace('"Director": ""', '"Director": "Senior leader"'), "utf-8")
    code, _, err = run(capsys, "import", str(path), "--campaign", "Q4", "--mapping", str(mapping))
    assert code == 0, err
    assert count(db) == 8


def test_one_response_and_a_refused_file_keep_the_dropped_columns_note(capsys, db, tmp_path):
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(1))
    code, out, _ = run(
        capsys, "import", str(write_xlsx(tmp_path / "one.xlsx", header, data)), "--campaign", "Q4"
    )
    assert code == 0
    assert "Imported 1 response from one.xlsx" in out
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(3))
    data[1][6] = "Sometimes, maybe"
    code, _, err = run(
        capsys, "import", str(write_xlsx(tmp_path / "bad.xlsx", header, data)), "--campaign", "Q4"
    )
    assert code == 1
    # A user fixing the file learns that the Email and Name columns are never read.
    assert "note: dropped 2 columns that could identify respondents" in err
    assert "Email (D), Name (E)" in err
