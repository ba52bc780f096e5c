"""Store.backup() / Store.restore(): consistent private copies, checked restores."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys

import pytest

from culturescope.storage import SERVER_BACKUP_MESSAGE, NewResponse, Store, StoreError


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def filled(sqlite_store, flagship):
    camp = sqlite_store.create_campaign("2026 Q1", flagship)
    responses = [
        NewResponse(
            answers={"LA1": (k % 5) + 1, "PS1": 4},
            demographics={"team": f"T{k % 3}"},
            comments={"C1": "More time for reviews"} if k == 0 else {},
            fingerprint=sqlite_store.fingerprint("row", k),
        )
        for k in range(30)
    ]
    sqlite_store.add_responses(camp.id, responses, source="file")
    return sqlite_store


def test_backup_beside_the_database_is_a_private_complete_copy(filled):
    made = filled.backup()
    assert made.parent == filled.file.parent
    assert made.name.startswith("test.backup-") and made.suffix == ".db"
    if sys.platform != "win32":
        assert _mode(made) == 0o600
    copy = Store(str(made))
    try:
        assert [c.name for c in copy.campaigns()] == ["2026 Q1"]
        assert copy.response_count("2026 Q1") == 30
    finally:
        copy.close()
    assert not list(made.parent.glob("*.partial")), "no temporary file is left behind"


def test_backup_is_a_consistent_snapshot_while_another_writer_is_mid_transaction(filled, tmp_path):
    # Committed rows still in the write-ahead log are in the copy; rows another
    # connection has not committed yet are not.
    other = sqlite3.connect(filled.file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM comments")
        other.execute("DELETE FROM responses")
        made = filled.backup(tmp_path / "snapshot.db")
    finally:
        other.execute("ROLLBACK")
        other.close()
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 30


def test_backup_to_a_chosen_file_replaces_it(filled, tmp_path):
    target = tmp_path / "chosen.db"
    target.write_text("old contents")
    assert filled.backup(target) == target
    if sys.platform != "win32":
        assert _mode(target) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 1


def test_restore_brings_the_data_back_and_keeps_a_safety_copy(filled):
    made = filled.backup()
    filled.delete_campaign("2026 Q1")
    assert filled.campaigns() == []
    safety = filled.restore(made)
    # The same Store object reads the restored data.
    assert [c.name for c in filled.campaigns()] == ["2026 Q1"]
    assert filled.response_count("2026 Q1") == 30
    assert safety.name.startswith("test.before-restore-")
    with sqlite3.connect(safety) as conn:  # the data as it was just before the restore
        assert conn.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 0
    # Writing after the restore works, and fingerprints use the restored database's key.
    filled.update_campaign("2026 Q1", status="closed")
    assert filled.campaign("2026 Q1").status == "closed"
    assert filled.fingerprint_key_matches()


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ("text", "is not a SQLite database file"),
        ("other sqlite", "not a CultureScope database"),
        ("itself", "is the database in use"),
    ],
)
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    filled, tmp_path, contents, message
):
    if contents == "text":
        bad = tmp_path / "notes.db"
        bad.write_text("hello")
    elif contents == "other sqlite":
        bad = tmp_path / "other.db"
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        bad = filled.file
    with pytest.raises(StoreError, match=message):
        filled.restore(bad)
    assert [c.name for c in filled.campaigns()] == ["2026 Q1"]
    assert not list(tmp_path.glob("test.before-restore-*"))


def test_server_databases_are_backed_up_by_the_server():
    # No server is needed to see the refusal: it is decided from the URL alone.
    server = object.__new__(Store)
    server.url = "postgresql+psycopg://user:secret@db.example/culturescope"
    assert server.file is None
    with pytest.raises(StoreError, match="pg_dump") as refused:
        server.backup()
    assert str(refused.value) == SERVER_BACKUP_MESSAGE
    with pytest.raises(StoreError, match="server's own tools"):
        server.restore("whatever.db")
