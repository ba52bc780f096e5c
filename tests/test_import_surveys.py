"""Response numbers that every survey starts at 1: two different surveys (or two copies of
one form) imported into one campaign lose nobody, and a re-export still adds only its new
rows — also for rows stored by versions before the counter rule (see importing/rowkeys)."""

from __future__ import annotations

import random
import sqlite3

import pytest

from culturescope.importing import import_file
from culturescope.storage import Store
from importing_files import MATRIX, WORDED_DEMOGRAPHICS, write_csv, write_xlsx

NO_DATE = "1980-01-01 00:00:00"  # LimeSurvey's submission mark when it stores no dates


def _answers(instrument, rnd: random.Random) -> list:
    """One respondent: a label per item (matrix items first), then the demographics."""
    matrix = [it for it in instrument.items if instrument.scale_of(it).points == 5]
    items = matrix + [it for it in instrument.items if it not in matrix]
    out: list = []
    for it in items:
        scale = instrument.scale_of(it)
        out.append(scale.labels[rnd.randrange(scale.points)])
    return out + [rnd.choice(answers) for _, _, answers in WORDED_DEMOGRAPHICS]


def _question_headers(instrument) -> list[str]:
    matrix = [it for it in instrument.items if instrument.scale_of(it).points == 5]
    out = [f"{MATRIX} [{it.text_for('en')}]" for it in matrix]
    out += [it.text_for("en") for it in instrument.items if it not in matrix]
    return out + [q for q, _, _ in WORDED_DEMOGRAPHICS]


def limesurvey_without_dates(instrument, people: list[list], *, seeds=None):
    """A LimeSurvey export ("full question text", "full answers") of a survey that stores
    no dates: "Date submitted" holds LimeSurvey's 1980 mark, no start or last-action date;
    the responses are numbered 1..N. ``seeds``: the Seed column (LimeSurvey 3+), or None
    for an export without it."""
    header = ["Response ID", "Date submitted", "Last page", "Start language"]
    header += ["Seed"] if seeds is not None else []
    header += _question_headers(instrument)
    rows = []
    for n, person in enumerate(people):
        row = [n + 1, NO_DATE, 3, "en"] + ([seeds[n]] if seeds is not None else [])
        rows.append(row + person)
    return header, rows


def ms_forms_copy(instrument, people: list[list], *, starts: list[str]):
    """A Microsoft Forms export opened in Excel and saved as csv: times to the minute
    (Excel's display), IDs 1..N."""
    header = ["ID", "Start time", "Completion time", "Email", "Name"]
    header += _question_headers(instrument)
    rows = [
        [n + 1, start, start, "anonymous", "", *person]
        for n, (person, start) in enumerate(zip(people, starts))
    ]
    return header, rows


def _people(instrument, n: int, seed: int) -> list[list]:
    rnd = random.Random(seed)
    return [_answers(instrument, rnd) for _ in range(n)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_two_limesurvey_surveys_without_dates_keep_everyone(sqlite_store, flagship, tmp_path, fmt):
    write = write_csv if fmt == "csv" else write_xlsx
    sqlite_store.create_campaign("C", flagship)
    north = write(
        tmp_path / f"results-survey111111.{fmt}",
        *limesurvey_without_dates(flagship, _people(flagship, 12, 1)),
    )
    south = write(
        tmp_path / f"results-survey222222.{fmt}",
        *limesurvey_without_dates(flagship, _people(flagship, 9, 2)),
    )
    first = import_file(sqlite_store, "C", north)
    second = import_file(sqlite_store, "C", south)
    assert (first.rows_added, second.rows_added, second.already_stored) == (12, 9, 0)
    # Every number 1..9 is stored already, for another survey's respondent: said, not lost.
    assert second.numbers_reused == 9
    assert any("9 rows carry a response number already stored" in n for n in second.store_notes)
    assert sqlite_store.campaign("C").response_count == 21
    # LimeSurvey's 1980 mark is not a date.
    assert any("1980-01-01 00:00:00 is how LimeSurvey marks" in n for n in first.plan.notices)
    assert set(first.plan.submitted_on) == {None}

    # Either file again adds nothing; a re-export with 5 more responses adds exactly 5.
    assert import_file(sqlite_store, "C", north).rows_added == 0
    grown = write(
        tmp_path / f"results-survey222222 (1).{fmt}",
        *limesurvey_without_dates(flagship, _people(flagship, 14, 2)),
    )
    later = import_file(sqlite_store, "C", grown)
    assert (later.rows_added, later.already_stored, later.numbers_reused) == (5, 9, 3)
    assert sqlite_store.campaign("C").response_count == 26


def test_limesurvey_seed_tells_equal_answers_of_two_surveys_apart(sqlite_store, flagship, tmp_path):
    """Response 1 of two surveys with the very same answers: LimeSurvey's Seed (random per
    response) says they are two people; the same seed again is the same response."""
    sqlite_store.create_campaign("C", flagship)
    people = _people(flagship, 6, 3)
    a = write_csv(
        tmp_path / "a.csv",
        *limesurvey_without_dates(flagship, people, seeds=[917263541 + n for n in range(6)]),
    )
    b = write_csv(
        tmp_path / "b.csv",
        *limesurvey_without_dates(flagship, people, seeds=[204817733 + n for n in range(6)]),
    )
    assert import_file(sqlite_store, "C", a).rows_added == 6
    assert import_file(sqlite_store, "C", b).rows_added == 6
    # A later export of survey b whose response 2 was edited in LimeSurvey: same seed, so
    # the same response (not a new person); 2 new responses are added.
    edited = [list(p) for p in people] + _people(flagship, 2, 4)
    edited[1][0] = "Strongly disagree" if edited[1][0] != "Strongly disagree" else "Agree"
    c = write_csv(
        tmp_path / "c.csv",
        *limesurvey_without_dates(flagship, edited, seeds=[204817733 + n for n in range(8)]),
    )
    report = import_file(sqlite_store, "C", c)
    assert (report.rows_added, report.already_stored) == (2, 6)


def test_two_copies_of_a_microsoft_form_keep_everyone(sqlite_store, flagship, tmp_path):
    """Two departments each ran a copy of one form; both were sent out at 9:00 and saved
    as csv from Excel (times to the minute): ID 1 of each started in the same minute."""
    sqlite_store.create_campaign("C", flagship)
    starts = [f"2/13/2026 9:{m:02d}" for m in (1, 1, 2, 4, 4, 7, 9, 12)]
    ops = write_csv(
        tmp_path / "Safety survey (Ops).csv",
        *ms_forms_copy(flagship, _people(flagship, 8, 5), starts=starts),
    )
    lab = write_csv(
        tmp_path / "Safety survey (Lab).csv",
        *ms_forms_copy(flagship, _people(flagship, 6, 6), starts=starts[:6]),
    )
    assert import_file(sqlite_store, "C", ops).rows_added == 8
    report = import_file(sqlite_store, "C", lab)
    assert (report.rows_added, report.already_stored, report.numbers_reused) == (6, 0, 6)
    assert sqlite_store.campaign("C").response_count == 14
    # The Lab form's later export (5 more): exactly 5 added.
    more = starts + ["2/13/2026 10:30"] * 3
    lab2 = write_xlsx(
        tmp_path / "Safety survey (Lab) 2.xlsx",
        *ms_forms_copy(flagship, _people(flagship, 11, 6), starts=more),
    )
    later = import_file(sqlite_store, "C", lab2)
    assert (later.rows_added, later.already_stored) == (5, 6)


def test_both_surveys_in_one_file_are_kept_and_said(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header, rows = limesurvey_without_dates(flagship, _people(flagship, 4, 7))
    _, other = limesurvey_without_dates(flagship, _people(flagship, 3, 8))
    report = import_file(sqlite_store, "C", write_csv(tmp_path / "both.csv", header, rows + other))
    assert report.rows_added == 7
    (note,) = [n for n in report.plan.notices if "repeat the response number" in n]
    assert note.startswith("3 rows repeat") and "rows 6, 7, 8" in note
    assert "7 rows read; none skipped" in report.counts_text()


def _as_before(store: Store, db, campaign: str) -> None:
    """Give the campaign's rows the fingerprints versions before the counter rule made:
    the keyed hash of "id", the number and (when the file had one) the start time."""
    cid = store.campaign(campaign).id
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT id, source_ref FROM responses WHERE campaign_id = ?", (cid,)
        ).fetchall()
        for rid, ref in rows:
            number = int(ref.split()[-1]) - 1  # "row 2" holds response 1
            old = store.fingerprint(cid, f"id\x1f{number}")
            conn.execute("UPDATE responses SET fingerprint = ? WHERE id = ?", (old, rid))


def test_rows_stored_by_earlier_versions_are_still_recognised(flagship, tmp_path):
    db = tmp_path / "old.db"
    store = Store(str(db))
    store.create_campaign("C", flagship)
    people = _people(flagship, 10, 9)
    first = write_csv(tmp_path / "a.csv", *limesurvey_without_dates(flagship, people))
    assert import_file(store, "C", first).rows_added == 10
    _as_before(store, db, "C")
    # A re-export with 5 more responses: the 10 stored ones are recognised.
    grown = write_csv(
        tmp_path / "b.csv",
        *limesurvey_without_dates(flagship, people + _people(flagship, 5, 10)),
    )
    report = import_file(store, "C", grown, dry_run=True)
    assert (report.rows_added, report.already_stored) == (5, 10)
    report = import_file(store, "C", grown)
    assert (report.rows_added, report.already_stored, report.numbers_reused) == (5, 10, 0)
    # Another survey numbered 1..4: its people are kept although 1..4 are stored as before.
    other = write_csv(
        tmp_path / "c.csv", *limesurvey_without_dates(flagship, _people(flagship, 4, 11))
    )
    report = import_file(store, "C", other)
    assert (report.rows_added, report.already_stored, report.numbers_reused) == (4, 0, 4)
    assert store.campaign("C").response_count == 19
    store.close()
