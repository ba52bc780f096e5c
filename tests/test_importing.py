"""Spreadsheet import: Microsoft/Google Forms exports without mapping, identities dropped,
all-or-nothing, idempotent re-imports, bad files refused with the database unchanged."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile

import numpy as np
import pytest

from culturescope import Cancelled
from culturescope.importing import (
    ImportFailed,
    import_file,
    list_sheets,
    load_mapping,
    plan_import,
    read_table,
    write_mapping,
)
from culturescope.instruments import get_instrument
from importing_files import (
    EMAILS,
    NAMES,
    google_forms_rows,
    ms_forms_rows,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def pulse():
    return get_instrument("psychological-safety-pulse")


def _expected_matrix(instrument, expected):
    ids = [i.id for i in instrument.items]
    return np.array([[e.get(i, np.nan) for i in ids] for e in expected], dtype=float)


def _unchanged(store, campaign="C"):
    assert store.campaign(campaign).response_count == 0
    assert store.batches(campaign) == []


# ---- Microsoft Forms and Google Forms ----------------------------------------------------------
def test_ms_forms_export_imports_without_mapping(store, flagship, tmp_path):
    store.create_campaign("C", flagship)
    header, data, expected = ms_forms_rows(flagship, range(12))
    path = write_xlsx(tmp_path / "Safety survey(1-12).xlsx", header, data)

    report = import_file(store, "C", path)

    plan = report.plan
    kinds = {c.header: (c.kind, c.target) for c in plan.columns}
    assert kinds["ID"] == ("metadata", "id")
    assert kinds["Email"][0] == kinds["Name"][0] == "identifying"
    assert sum(c.kind == "item" for c in plan.columns) == len(flagship.items)
    assert any("Email (D), Name (E)" in n for n in plan.notices)
    assert report.rows_added == 12 and report.batch is not None
    got = store.load_responses("C")
    np.testing.assert_array_equal(got.answers.to_numpy(), _expected_matrix(flagship, expected))
    assert got.demographics["team"].tolist()[:3] == ["Red", "Blue", "Green"]
    assert got.demographics["role"].tolist()[:4] == [
        "front_line",
        "manager",
        "senior_leader",
        "prefer_not_to_say",
    ]
    assert set(got.comments["text"]) == {"More time for safety reviews"}
    assert got.meta["submitted_on"].iloc[0] == dt.date(2026, 3, 1)
    assert got.meta["source_ref"].iloc[0] == "row 2"
    batch = store.batches("C")[0]
    assert batch.label == "import 1, 12 rows, xlsx" and batch.rows_added == 12


def test_identifying_columns_are_never_stored(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(6))
    import_file(sqlite_store, "C", write_xlsx(tmp_path / "f.xlsx", header, data))
    db_path = sqlite_store.url.split("///", 1)[1]
    sqlite_store.close()
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    assert "More time for safety reviews" in dump  # the dump does contain the responses
    for secret in EMAILS[:6] + NAMES[:6]:
        assert secret not in dump
    assert "example.org" not in dump


def test_google_forms_csv_imports_without_mapping(store, flagship, tmp_path):
    store.create_campaign("C", flagship)
    header, data = google_forms_rows(flagship, range(8))
    path = write_csv(tmp_path / "Survey (Responses) - Form responses 1.csv", header, data)

    report = import_file(store, "C", path)

    kinds = {c.header: c.kind for c in report.plan.columns}
    assert kinds["Timestamp"] == "metadata" and kinds["Email Address"] == "identifying"
    assert report.rows_added == 8
    got = store.load_responses("C")
    assert got.meta["submitted_on"].tolist()[0] == dt.date(2026, 4, 2)
    assert not got.answers.isna().all(axis=None)
    assert report.plan.key_kind == "time"


# ---- idempotency ---------------------------------------------------------------------------------
def test_reimport_adds_nothing_and_overlap_adds_only_new_rows(store, flagship, tmp_path):
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(10))
    first = write_xlsx(tmp_path / "a.xlsx", header, data[:6])
    assert import_file(store, "C", first).rows_added == 6
    again = import_file(store, "C", first)
    assert (again.rows_added, again.already_stored) == (0, 6)
    overlap = write_xlsx(tmp_path / "b.xlsx", header, data[3:])  # rows 4..10
    report = import_file(store, "C", overlap)
    assert (report.rows_added, report.already_stored) == (4, 3)
    assert store.campaign("C").response_count == 10


def test_duplicate_rows_in_file_are_a_warning_and_imported_once(store, flagship, tmp_path):
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(4))
    path = write_xlsx(tmp_path / "d.xlsx", header, [*data, data[1]])
    report = import_file(store, "C", path)
    assert report.rows_added == 4
    (dup,) = report.plan.warnings
    assert (
        str(dup) == "d.xlsx: row 6: repeats row 3 (the same response number, time and answers); "
        "imported once"
    )


# ---- bad files -----------------------------------------------------------------------------------
def _bad_pulse_file(tmp_path, pulse, rows):
    return write_csv(tmp_path / "bad.csv", ["Team", *[i.id for i in pulse.items]], rows)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"),
            "is a PDF document, not a spreadsheet",
        ),
        (
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"),
            "is a PNG image, not a spreadsheet",
        ),
        (lambda p: p.write_bytes(b""), "the file is empty"),
        (
            lambda p: p.write_bytes(
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\x00" * 504
                + "EncryptedPackage".encode("utf-16-le")
            ),
            "password-protected",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x00\x00garbage"), "damaged"),
    ],
    ids=["pdf", "png", "empty", "password", "corrupt-zip"],
)
def test_not_a_spreadsheet_is_refused(sqlite_store, pulse, tmp_path, make, message):
    sqlite_store.create_campaign("C", pulse)
    path = tmp_path / "responses.xlsx"
    make(path)
    with pytest.raises(ImportFailed, match=message) as info:
        import_file(sqlite_store, "C", path)
    assert str(info.value).startswith("responses.xlsx: ")
    assert "\n" not in str(info.value)
    _unchanged(sqlite_store)


def test_corrupt_xlsx_with_broken_sheet_is_refused(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    good = write_xlsx(tmp_path / "g.xlsx", ["PP1"], [[4]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    with pytest.raises(ImportFailed, match="damaged"):
        import_file(sqlite_store, "C", broken)
    _unchanged(sqlite_store)


def test_header_only_file_is_refused(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    with pytest.raises(ImportFailed, match="no data rows"):
        import_file(sqlite_store, "C", write_xlsx(tmp_path / "h.xlsx", ["PP1", "PP2"], []))
    _unchanged(sqlite_store)


def test_no_matching_columns(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    path = write_csv(tmp_path / "other.csv", ["Colour", "Size"], [["red", "L"]])
    with pytest.raises(ImportFailed, match="no column matches a question of Psychological"):
        import_file(sqlite_store, "C", path)
    _unchanged(sqlite_store)


def test_out_of_range_and_unknown_labels_name_row_and_column(store, pulse, tmp_path):
    store.create_campaign("C", pulse)
    rows = [["Red", 4, 5, 3, 2, 4, 4, 1], ["Red", 4, 9, 3, "Agreee", 4, 3.5, 1]]
    with pytest.raises(ImportFailed) as info:
        import_file(store, "C", _bad_pulse_file(tmp_path, pulse, rows))
    messages = [str(p) for p in info.value.errors]
    assert messages == [
        "bad.csv: row 3, column C (PP2): 9 is out of range: expected 1 to 5 ('Strongly disagree', "
        "'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'), or 0 / "
        "'Not applicable / don't know'",
        "bad.csv: row 3, column E (PP4): 'Agreee' is not an answer of this scale: expected 1 to 5 "
        "('Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', "
        "'Strongly agree'), or 0 / 'Not applicable / don't know'",
        "bad.csv: row 3, column G (PP6): '3.5' is not a whole number: expected 1 to 5 "
        "('Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', "
        "'Strongly agree'), or 0 / 'Not applicable / don't know'",
    ]
    assert "and 2 more errors" in str(info.value)
    _unchanged(store)


def test_error_on_the_last_of_many_rows_stores_nothing(store, pulse, tmp_path):
    store.create_campaign("C", pulse)
    rows = [["Red", *([n % 5 + 1] * 7)] for n in range(300)]
    rows[-1][3] = 6
    with pytest.raises(ImportFailed, match="row 301, column D"):
        import_file(store, "C", _bad_pulse_file(tmp_path, pulse, rows))
    _unchanged(store)


def test_unknown_demographic_option(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(3))
    data[2][header.index("Role level")] = "Intern"
    with pytest.raises(
        ImportFailed, match=r"row 4, column .* \(Role level\): 'Intern' is not an option"
    ):
        import_file(sqlite_store, "C", write_xlsx(tmp_path / "r.xlsx", header, data))
    _unchanged(sqlite_store)


def test_wrong_instrument_names_the_likely_one(sqlite_store, flagship, pulse, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header = [f"{n + 1}. {i.text_for('en')}" for n, i in enumerate(pulse.items)]
    path = write_csv(tmp_path / "pulse.csv", header, [[4] * 7, [3] * 7])
    with pytest.raises(ImportFailed, match="seems to be for Psychological Safety Pulse"):
        import_file(sqlite_store, "C", path)
    _unchanged(sqlite_store)


# ---- csv dialects ----------------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_csv_delimiters_and_encodings(pulse, tmp_path, delimiter, encoding):
    header = ["Équipe, site", "Team", *[i.text_for("en") for i in pulse.items]]
    rows = [["x", "Sécurité; Zürich", "Agree", 4, "N/A", "", "strongly DISAGREE", 2, 5]]
    path = write_csv(tmp_path / "d.csv", header, rows, delimiter=delimiter, encoding=encoding)
    raw = read_table(path)
    assert raw.source.delimiter == delimiter
    assert raw.source.encoding == encoding
    plan = plan_import(raw, pulse)
    assert plan.ok, plan.problems
    assert plan.demographics == [{"team": "Sécurité; Zürich"}]
    np.testing.assert_array_equal(plan.answers[0], [4, 4, 0, np.nan, 1, 2, 5])
    assert list_sheets(path) == []


def test_latin1_fallback_and_sheets(pulse, tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("Team;PP1\n\x81Caf\xe9;4\n".encode("latin-1"))
    raw = read_table(path)
    assert raw.source.encoding == "latin-1"
    assert raw.data.iloc[0, 0] == "\x81Café"
    book = write_xlsx(tmp_path / "s.xlsx", ["PP1"], [[1]], sheet="Antworten")
    assert list_sheets(book) == ["Antworten"]
    with pytest.raises(ImportFailed, match="has no sheet 'Nope'"):
        read_table(book, sheet="Nope")


# ---- mapping files ---------------------------------------------------------------------------------
def test_mapping_file_round_trip(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    header = ["Ref", "Dept", *[f"Col {n}" for n in range(1, 8)]]
    path = write_csv(tmp_path / "m.csv", header, [["a1", "Ops", 1, 2, 3, 4, 5, 1, 2]])
    plan = plan_import(read_table(path), pulse)
    assert not plan.ok  # nothing matches by itself
    mapping = {"Ref": "metadata:id", "Dept": "team"}
    mapping |= {f"Col {n}": f"PP{n}" for n in range(1, 8)}
    map_file = tmp_path / "mapping.yaml"
    map_file.write_text(
        "columns:\n" + "".join(f'  "{k}": {v}\n' for k, v in mapping.items()), encoding="utf-8"
    )
    report = import_file(sqlite_store, "C", path, mapping=map_file)
    assert report.rows_added == 1
    assert report.plan.key_kind == "id"
    for suffix in (".yaml", ".json"):
        out = write_mapping(report.plan, tmp_path / f"saved{suffix}")
        saved = load_mapping(out)
        assert saved["Dept"] == "demographic:team" and saved["Col 7"] == "item:PP7"
        assert plan_import(read_table(path), pulse, mapping=saved).ok


def test_mapping_to_unknown_target_is_an_error(pulse, tmp_path):
    path = write_csv(tmp_path / "m.csv", [i.id for i in pulse.items], [[1] * 7])
    plan = plan_import(read_table(path), pulse, mapping={"PP1": "LA1"})
    assert [p.message for p in plan.errors] == [
        f"mapping: 'LA1' is not an item, demographic or comment id of {pulse.key}"
    ]


# ---- dry run, cancelling, progress -----------------------------------------------------------------
def test_dry_run_stores_nothing_and_lists_problems(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    good = write_csv(tmp_path / "g.csv", [i.id for i in pulse.items], [[1] * 7, [2] * 7])
    report = import_file(sqlite_store, "C", good, dry_run=True)
    assert (report.dry_run, report.rows_added, report.batch) == (True, 2, None)
    bad = write_csv(tmp_path / "b.csv", [i.id for i in pulse.items], [[1] * 7, [7] * 7])
    report = import_file(sqlite_store, "C", bad, dry_run=True)
    assert not report.plan.ok and len(report.plan.errors) == 7
    _unchanged(sqlite_store)


def test_cancel_stores_nothing_and_progress_reaches_one(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    path = write_csv(
        tmp_path / "g.csv", [i.id for i in pulse.items], [[n % 5 + 1] * 7 for n in range(50)]
    )
    calls = []
    with pytest.raises(Cancelled):
        import_file(
            sqlite_store,
            "C",
            path,
            is_cancelled=lambda: len(calls) > 3,
            progress=lambda f, m: calls.append(f),
        )
    _unchanged(sqlite_store)
    seen = []
    import_file(sqlite_store, "C", path, progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_workbook_rows_are_read_in_blocks(tmp_path, monkeypatch):
    """Rows go into the cell matrix a block at a time: the same cells across block edges,
    trailing empty rows dropped, the release frees them."""
    from culturescope.importing import reading

    monkeypatch.setattr(reading, "BLOCK_ROWS", 64)
    rows = [[n, f"t{n % 7}", n % 5 + 1] for n in range(300)] + [[None, None, ""]] * 5
    raw = read_table(write_xlsx(tmp_path / "b.xlsx", ["id", "team", "PP1"], rows))
    assert raw.headers == ["id", "team", "PP1"] and raw.cells.shape == (300, 3)
    assert raw.data[0].tolist() == list(range(300))
    assert raw.data[1].tolist() == [f"t{n % 7}" for n in range(300)]
    assert raw.row_number(299) == 301
    cells = raw.cells
    raw.release()
    assert len(raw) == 0 and raw.cells is None and all(v is None for v in cells.ravel())


def test_cancel_while_reading_workbook_cells_is_a_cancel(tmp_path):
    """Not reported as a damaged sheet."""
    rows = [[n, n % 5 + 1] for n in range(5001)]
    path = write_xlsx(tmp_path / "c.xlsx", ["id", "PP1"], rows)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # the first check is before reading, the next among the rows

    with pytest.raises(Cancelled):
        read_table(path, is_cancelled=cancelled)


def test_unusable_cells_in_a_workbook_name_row_and_column(pulse, tmp_path):
    """The workbook path reads item columns as one block; problems must still point at
    the right cell, also when item columns are not next to each other."""
    header = ["PP1", "Team", "PP2", "PP3", "Note", "PP4", "PP5", "PP6", "PP7"]
    rows = [[n % 5 + 1, "Red", 2, 3, "x", 4, 5, 1, 2] for n in range(40)]
    rows[5][2] = True
    rows[17][0] = 9
    rows[30][8] = "Agreee"
    rows[33][6] = dt.datetime(2026, 1, 2)
    rows[39][7] = "agree"
    plan = plan_import(read_table(write_xlsx(tmp_path / "w.xlsx", header, rows)), pulse)
    assert [(p.row, p.letter, p.column) for p in plan.errors] == [
        (7, "C", "PP2"),
        (19, "A", "PP1"),
        (32, "I", "PP7"),
        (35, "G", "PP5"),
    ]
    assert plan.errors[0].message.startswith("'True' is not an answer")
    assert plan.answers[39, 5] == 4  # "agree" in PP6
    assert plan.answers[0, 0] == 1 and np.isnan(plan.answers[5, 1])


def test_column_target_id_is_the_target_and_refuses_a_column_without_one():
    from culturescope.importing.columns import ITEM, UNMATCHED, ColumnMatch

    assert ColumnMatch(0, "Q1", "A", ITEM, "LA1").target_id == "LA1"
    with pytest.raises(ValueError, match="column B"):
        _ = ColumnMatch(1, "Notes", "B", UNMATCHED).target_id


def test_rows_without_answers_say_whether_they_hold_other_values(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    header = [i.id for i in pulse.items] + ["Notes"]
    rows = [[1] * 7 + [None], [None] * 7 + ["called in sick"], [None] * 8, [2] * 7 + [None]]
    report = import_file(sqlite_store, "C", write_csv(tmp_path / "n.csv", header, rows))
    assert report.rows_added == 2
    assert (
        "skipped 2 rows with no answer in the columns used (1 filled only in ignored or "
        "unmatched columns)" in report.plan.notices
    )
    assert report.counts_text() == "4 rows read; 2 skipped: 2 without answers"
    only_blank = write_csv(tmp_path / "b.csv", header[:7], [[1] * 7, [None] * 7, [3] * 7])
    assert "skipped 1 empty row" in import_file(sqlite_store, "C", only_blank).plan.notices
