"""Import identity: a duplicate is the same response from the same source, nothing else;
fingerprints cannot be reversed from the database; no file names or identities stored."""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from culturescope.importing import import_file
from culturescope.instruments import get_instrument
from culturescope.reports.template import write_template
from culturescope.storage import NewResponse, Store, keys
from importing_files import ms_forms_rows, write_csv, write_xlsx


@pytest.fixture
def pulse():
    return get_instrument("psychological-safety-pulse")


def _clerk(store, path: Path, rows: list[dict]) -> Path:
    """Campaign C's template, filled as a clerk does in Excel (openpyxl, not our writer)."""
    path = write_template(store, "C", path, rows=20)
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for c, h in enumerate(headers, start=1):
            if row.get(h) is not None:
                ws.cell(row=r, column=c, value=row[h])
    wb.save(path)
    return path


def _form(inst, answers: list[int], *, number=None, team="Red", comment=None) -> dict:
    row = {inst.items[n].text_for("en"): a for n, a in enumerate(answers)}
    row["Team"] = team
    if number is not None:
        row["Form number"] = number
    if comment is not None:
        row[inst.comments[0].text_for("en")] = comment
    return row


def test_two_clerks_with_equal_first_rows_lose_nobody(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    store.create_campaign("C", flagship)
    same = [4] * len(flagship.items)
    a = _clerk(
        store,
        tmp_path / "clerk-a.xlsx",
        [_form(flagship, same), _form(flagship, [2] * len(flagship.items))],
    )
    b = _clerk(
        store,
        tmp_path / "clerk-b.xlsx",
        [_form(flagship, same), _form(flagship, [1] * len(flagship.items), team="Blue")],
    )
    first = import_file(store, "C", a)
    second = import_file(store, "C", b)
    assert (first.rows_added, second.rows_added) == (2, 2)
    assert second.same_answers_as_stored == 1
    assert any("kept, as different people" in n for n in second.store_notes)
    assert store.campaign("C").response_count == 4

    # The same file again adds nothing and records no import batch.
    batches = store.batches("C")
    again = import_file(store, "C", b)
    assert (again.rows_added, again.batch, again.already_imported_as) == (0, None, batches[1].id)
    assert store.batches("C") == batches
    assert store.campaign("C").response_count == 4


def test_a_form_entered_by_two_clerks_is_imported_once(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    store.create_campaign("C", flagship)
    four = [4] * len(flagship.items)
    a = _clerk(store, tmp_path / "a.xlsx", [_form(flagship, four, number=n) for n in (17, 18)])
    # The same paper form 17 again, and one form whose number the clerk left out.
    b = _clerk(
        store, tmp_path / "b.xlsx", [_form(flagship, four, number=17), _form(flagship, four)]
    )
    assert import_file(store, "C", a).rows_added == 2
    report = import_file(store, "C", b)
    assert (report.rows_added, report.already_stored) == (1, 1)
    assert store.campaign("C").response_count == 3


def test_rows_without_a_number_are_never_merged(sqlite_store, flagship, tmp_path):
    """Blank form numbers (or times) are no identity: such rows are all kept."""
    store = sqlite_store
    store.create_campaign("C", flagship)
    n = len(flagship.items)
    path = _clerk(
        store,
        tmp_path / "a.xlsx",
        [_form(flagship, [3] * n), _form(flagship, [3] * n), _form(flagship, [3] * n, number=4)],
    )
    report = import_file(store, "C", path)
    assert report.rows_added == 3


def test_later_export_adds_only_new_rows_and_growing_plain_files_are_flagged(
    sqlite_store, pulse, flagship, tmp_path
):
    store = sqlite_store
    store.create_campaign("F", flagship)
    header, data, _ = ms_forms_rows(flagship, range(6))
    import_file(store, "F", write_xlsx(tmp_path / "a.xlsx", header, data[:4]))
    later = import_file(store, "F", write_xlsx(tmp_path / "b.xlsx", header, data))
    assert (later.rows_added, later.already_stored) == (2, 4)

    # A file with no row identity: a bigger copy is more people as far as anyone can
    # tell; they are kept and the summary says how many match stored answers.
    store.create_campaign("P", pulse)
    cols = [i.id for i in pulse.items]
    rows = [[4] * 7, [4] * 7, [2, 3, 4, 5, 1, 2, 3]]
    first = import_file(store, "P", write_csv(tmp_path / "p.csv", cols, rows))
    assert first.rows_added == 3
    assert any("same answers as row 2" in str(p) for p in first.plan.warnings)
    bigger = import_file(store, "P", write_csv(tmp_path / "p2.csv", cols, [*rows, [1] * 7]))
    assert (bigger.rows_added, bigger.same_answers_as_stored) == (4, 3)


def test_fingerprint_key_is_outside_the_database(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(5))
    import_file(store, "C", write_xlsx(tmp_path / "a.xlsx", header, data))
    db = Path(store.url.removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        stored = {fp for (fp,) in conn.execute("SELECT fingerprint FROM responses")}
    assert "fingerprint_key" not in meta
    # Trying every candidate response number with any value the database holds finds none.
    for value in meta.values():
        for secret in (value.encode(), bytes.fromhex(value) if len(value) % 2 == 0 else b""):
            for n in range(1, 100):
                for parts in ((1, f"id\x1f{n}"), (1, f"id\x1f{n}\x1f")):
                    msg = "\x1f".join(str(p) for p in parts).encode()
                    assert hmac.new(secret, msg, hashlib.sha256).hexdigest() not in stored
    key_file = keys.key_path(meta["database_id"])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Another computer (no key file): the import still works and says what it cannot do.
    key_file.unlink()
    other = Store(str(db))
    report = import_file(other, "C", write_xlsx(tmp_path / "b.xlsx", header, data[:2] * 1))
    assert any("does not hold the key" in n for n in report.batch.notices)
    other.close()


def test_comments_are_cleaned_of_identities_everywhere(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    store.create_campaign("C", flagship)
    store.update_campaign("C", private_names=["Jane Doe"])
    n = len(flagship.items)
    path = _clerk(
        store,
        tmp_path / "t.xlsx",
        [
            _form(flagship, [4] * n, comment="Ask jane.doe@corp.example or call +44 20 7946 0958"),
            _form(
                flagship,
                [3] * n,
                comment="jane  doe's team skips reviews, see "
                "https://intranet.corp.example/people/jdoe",
            ),
            _form(flagship, [2] * n, comment="We had 12 near misses in 2025."),
        ],
    )
    report = import_file(store, "C", path)
    assert report.identities_removed == 4
    # Kiosk and paper entry go through the same door.
    store.add_responses(
        store.campaign("C").id,
        [NewResponse(answers={"PS1": 4}, comments={"C1": "Mail me: a.b@c.org"})],
        source="kiosk",
    )
    texts = sorted(store.load_responses("C").comments["text"])
    assert texts == [
        "Ask [removed] or call [removed]",
        "Mail me: [removed]",
        "We had 12 near misses in 2025.",
        "[removed]'s team skips reviews, see [removed]",
    ]
    db = Path(store.url.removeprefix("sqlite:///")).read_bytes()
    assert b"jane" not in db.lower() and b"7946" not in db


def test_file_name_is_never_stored(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(3))
    path = write_xlsx(tmp_path / "jane.doe@corp.example - Jane Q Public survey.xlsx", header, data)
    report = import_file(store, "C", path)
    assert report.batch.label == f"import {report.batch.id}, 3 rows, xlsx"
    _, more, _ = ms_forms_rows(flagship, range(5))
    named = import_file(
        store,
        "C",
        write_xlsx(tmp_path / "x.xlsx", header, more[3:]),
        label="Site North jane.doe@corp.example 0612345678",
    )
    assert named.batch.label == "Site North"
    db = Path(store.url.removeprefix("sqlite:///")).read_bytes()
    assert b"Jane Q Public" not in db and b"corp.example" not in db and b"0612345678" not in db


def _import_in_process(db: Path, campaign: str, path: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "culturescope",
            "--db",
            str(db),
            "import",
            str(path),
            "--campaign",
            campaign,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_processes_importing_at_once_lose_and_double_nothing(flagship, tmp_path):
    db = tmp_path / "shared.db"
    store = Store(str(db))
    store.create_campaign("C", flagship)
    store.close()
    header, data, _ = ms_forms_rows(flagship, range(12))
    first = write_xlsx(tmp_path / "first.xlsx", header, data[:8])
    later = write_xlsx(tmp_path / "later.xlsx", header, data[4:])  # overlaps rows 4-7
    # A loaded machine may keep a writer waiting past the default busy wait; this test is
    # about what the imports store, not how long they wait.
    env = dict(os.environ, CULTURESCOPE_BUSY_WAIT="600")
    # Three imports started together: they overlap in time, in whatever order the
    # machine runs them; every order must give the same result.
    procs = [
        _import_in_process(db, "C", first, env),
        _import_in_process(db, "C", later, env),
        _import_in_process(db, "C", first, env),
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert "IntegrityError" not in err and "Traceback" not in err
    store = Store(str(db))
    assert store.campaign("C").response_count == 12
    batches = store.batches("C")
    assert sum(b.rows_added for b in batches) == 12
    assert all(b.rows_added > 0 for b in batches) and len(batches) == 2
    store.close()


def test_migration_moves_the_key_out_and_cleans_old_data(flagship, tmp_path):
    """A database from before 0004: key in the database, file names, raw comments."""
    from alembic import command
    from sqlalchemy import text

    from culturescope.storage import database

    path = tmp_path / "old.db"
    store = Store(str(path))
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(6))
    import_file(store, "C", write_xlsx(tmp_path / "a.xlsx", header, data[:4]))
    database_id = store.database_id()
    key = keys.read_key(database_id)
    store.close()
    cfg = database._alembic_config()
    engine = database.create_db_engine(database.to_url(str(path)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
        # What 0003 databases hold: the key beside the fingerprints, names, raw text.
        conn.execute(text("DELETE FROM meta WHERE key = 'fingerprint_key_check'"))
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES ('fingerprint_key', :v)"), {"v": key.hex()}
        )
        conn.execute(text("UPDATE import_batches SET file_name = 'jane.doe@corp.example.xlsx'"))
        conn.execute(
            text("UPDATE comments SET text = 'call Jane on 0612 345 678 or jane@corp.example'")
        )
    engine.dispose()
    keys.key_path(database_id).unlink()

    store = Store(str(path))
    assert store.last_backup is not None
    assert keys.read_key(database_id) == key
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='fingerprint_key'").fetchall() == []
        assert conn.execute("SELECT file_name, label FROM import_batches").fetchall() == [
            (None, "import 1, 4 rows, xlsx")
        ]
        assert {t for (t,) in conn.execute("SELECT text FROM comments")} == {
            "call Jane on [removed] or [removed]"
        }
    # Rows stored before the upgrade are still recognised in a later export.
    later = import_file(store, "C", write_xlsx(tmp_path / "b.xlsx", header, data))
    assert (later.rows_added, later.already_stored) == (2, 4)
    assert store.fingerprint_key_matches()
    store.close()


def test_scrub_keeps_dates_counts_and_bare_sites():
    from culturescope.storage.scrub import name_pattern, scrub

    names = name_pattern(["Jane Doe"])
    assert scrub("On 2026-03-01 and 01.03.2026 we had 12 near misses in 2025.", names) == (
        "On 2026-03-01 and 01.03.2026 we had 12 near misses in 2025.",
        0,
    )
    assert scrub("call (555) 010-4477; see corp.example; Janet agrees", names) == (
        "call [removed]; see corp.example; Janet agrees",
        1,
    )
    assert scrub("intranet.corp.example/~jdoe/notes and JANE  DOE", names) == (
        "[removed] and [removed]",
        2,
    )


def test_the_write_lock_is_held_before_the_duplicate_check(sqlite_store, flagship):
    """Deterministic half of the two-process test: from its first statement, the
    transaction that checks for duplicates and inserts holds SQLite's write lock, so
    another writer cannot slip in between the check and the insert."""
    store = sqlite_store
    c = store.create_campaign("C", flagship)
    db = Path(store.url.removeprefix("sqlite:///"))
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    seen = []

    def during_insert(_fraction, _message):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        seen.append(True)

    with store.write_session(c.id), pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    store.add_responses(
        c.id, [NewResponse(answers={"PS1": 4})], source="kiosk", progress=during_insert
    )
    assert seen
    other.execute("BEGIN IMMEDIATE")  # free again once committed
    other.execute("ROLLBACK")
    other.close()


def test_rows_without_identity_that_match_a_stored_response_are_kept_and_counted(
    sqlite_store, flagship
):
    store = sqlite_store
    store.create_campaign("C", flagship)
    first, second = flagship.items[0].id, flagship.items[1].id

    def row(a: int, team: str) -> NewResponse:
        return NewResponse(answers={first: a, second: 3}, demographics={"team": team})

    store.add_responses("C", [row(4, "Red"), row(2, "Blue")], source="file")
    # Same answers and group as stored (2), same answers in another group, new answers.
    store.add_responses(
        "C", [row(4, "Red"), row(2, "Blue"), row(4, "Blue"), row(5, "Red")], source="file"
    )
    batch = store.batches("C")[-1]
    assert batch.rows_added == 4  # two rows with the same answers are two people
    assert any(
        "2 rows have the same answers as a response already stored" in n for n in batch.notices
    )
