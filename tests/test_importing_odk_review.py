"""ODK Central: submissions rejected in Central's review are left out (with a note) unless
asked for; Central's ZIP download is read from its main csv (importing/review.py,
importing/reading.py, docs/importing.md "ODK Central")."""

from __future__ import annotations

import csv
import json
import zipfile

import pytest

from culturescope.cli import main
from culturescope.importing import ImportFailed, import_file
from test_importing_odk_central import central_csv


def _set_cells(path, column: str, values: dict[int, str]):
    """Set ``column`` of some data rows (0-based) of a Central csv, written as Central does."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    at = rows[0].index(column)
    for r, value in values.items():
        rows[r + 1][at] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def _review(path, states: dict[int, str]):
    """Set the ReviewState of some data rows (0-based) as Central writes it."""
    return _set_cells(path, "ReviewState", states)


def test_rejected_submissions_are_left_out_with_a_note(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    path = central_csv(tmp_path / "safety_culture.csv", flagship, range(12))
    _review(path, {2: "rejected", 7: "rejected", 3: "approved", 4: "hasIssues", 5: "edited"})

    report = import_file(sqlite_store, "C", path)

    assert report.rows_added == 10
    assert report.counts_text() == "12 rows read; 2 skipped: 2 rejected in ODK Central"
    letter = report.plan.columns[
        next(c.index for c in report.plan.columns if c.header == "ReviewState")
    ].letter
    assert (
        f"2 submissions rejected in ODK Central (column {letter} ReviewState = rejected, rows "
        "4, 9) were left out; to import them, change their review state in Central and "
        "download again, or use 'import --include-rejected'"
    ) in report.plan.notices
    # Importing the file again adds nothing and still leaves them out.
    again = import_file(sqlite_store, "C", path)
    assert again.rows_added == 0


def test_include_rejected_imports_them(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    path = _review(
        central_csv(tmp_path / "safety_culture.csv", flagship, range(6)), {0: "rejected"}
    )
    report = import_file(sqlite_store, "C", path, include_rejected=True)
    assert report.rows_added == 6
    assert any("imported, as asked (--include-rejected)" in n for n in report.plan.notices)


def test_include_rejected_after_a_first_import_adds_the_rejected_ones_only(
    sqlite_store, flagship, tmp_path
):
    """The note's own advice: the same file again with include_rejected adds the two
    submissions it left out, not "imported already: nothing added" (review R21)."""
    sqlite_store.create_campaign("C", flagship)
    path = _review(
        central_csv(tmp_path / "safety_culture.csv", flagship, range(12)),
        {2: "rejected", 7: "rejected"},
    )
    assert import_file(sqlite_store, "C", path).rows_added == 10

    report = import_file(sqlite_store, "C", path, include_rejected=True)

    assert report.already_imported_as is None
    assert report.rows_added == 2
    assert report.counts_text() == "12 rows read; 10 skipped: 10 already stored"
    assert sqlite_store.response_count("C") == 12
    # ... and once more: now the whole file is in, so nothing is added.
    assert import_file(sqlite_store, "C", path, include_rejected=True).rows_added == 0
    assert import_file(sqlite_store, "C", path).rows_added == 0


def test_unusable_answers_in_a_rejected_submission_do_not_stop_the_import(
    sqlite_store, flagship, tmp_path
):
    """A rejected test submission often holds junk: it is not read at all."""
    sqlite_store.create_campaign("C", flagship)
    path = central_csv(tmp_path / "safety_culture.csv", flagship, range(6))
    _set_cells(path, "grp_leadership-LA1", {1: "asdf"})  # spreadsheet row 3
    with pytest.raises(ImportFailed, match="row 3"):
        import_file(sqlite_store, "C", path)
    _review(path, {1: "rejected"})
    assert import_file(sqlite_store, "C", path).rows_added == 5


def test_skip_invalid_names_the_right_rows_when_rejected_ones_are_left_out(
    sqlite_store, flagship, tmp_path
):
    sqlite_store.create_campaign("C", flagship)
    path = central_csv(tmp_path / "safety_culture.csv", flagship, range(8))
    _set_cells(path, "grp_leadership-LA1", {5: "asdf"})  # spreadsheet row 7
    _review(path, {1: "rejected"})
    report = import_file(sqlite_store, "C", path, skip_invalid=True)
    assert (report.rows_added, report.rows_rejected) == (6, 1)
    import openpyxl

    sheet = openpyxl.load_workbook(report.rejected_file).active
    number, reasons = (c.value for c in list(sheet[2])[:2])
    assert number == 7 and "asdf" in reasons  # not the row rejected in Central


def _central_zip(tmp_path, flagship, rows=range(9)):
    """Central's "Download all submissions": the form's csv, a repeat group's csv and an
    attachment under media/ (zipfile here, as Central's own zip stream)."""
    main_csv = _review(
        central_csv(tmp_path / "safety_culture.csv", flagship, rows), {0: "rejected"}
    )
    archive = tmp_path / "safety_culture.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(main_csv, "safety_culture.csv")
        zf.writestr(
            "safety_culture-incidents.csv", "what,PARENT_KEY,KEY\nslip,uuid:1,uuid:1/i[1]\n"
        )
        zf.writestr("media/1700000000000.jpg", b"\xff\xd8\xff" + b"0" * 100)
    return archive, main_csv


def test_central_zip_is_read_from_its_main_csv(capsys, tmp_path, monkeypatch, flagship):
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "cli.db"))
    archive, main_csv = _central_zip(tmp_path, flagship)
    assert main(["-q", "campaign", "create", "C", "--instrument", "ai-safety-culture"]) == 0
    code = main(["import", str(archive), "--campaign", "C"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Imported 8 responses from safety_culture.csv (in safety_culture.zip)" in out
    assert "1 submission rejected in ODK Central" in out + err
    # The unzipped csv is the same file: nothing new.
    assert main(["import", str(main_csv), "--campaign", "C"]) == 0
    assert "already" in capsys.readouterr().out
    assert main(["imports", "list", "--campaign", "C", "--json"]) == 0
    [batch] = json.loads(capsys.readouterr().out)
    assert "csv" in batch["label"] and "zip" not in batch["label"]


def test_a_zip_of_unrelated_csv_files_is_refused_naming_them(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2025.csv", "a,b\n1,2\n")
        zf.writestr("2026.csv", "a,b\n1,2\n")
    with pytest.raises(ImportFailed) as failed:
        import_file(sqlite_store, "C", archive)
    assert str(failed.value.problems[0]) == (
        "exports.zip: is a ZIP archive holding 2 csv files (2025.csv, 2026.csv): unzip it "
        "and import the one that holds the responses"
    )
