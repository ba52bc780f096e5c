"""Logging, one-line errors and database failures: what the user reads and what the log
keeps (issue: robust under hostile input, crashes and concurrency)."""

from __future__ import annotations

import logging
import sqlite3
import stat

import pytest

from culturescope import cli
from culturescope.logs import log_path, redact, setup_logging, shutdown_logging
from culturescope.storage import DatabaseBusy, DatabaseError, Store, waiting_progress

SQL_WORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "parameters", "[SQL")


@pytest.fixture
def logfile():
    path = setup_logging()
    yield path
    shutdown_logging()


def _log_text() -> str:
    for h in logging.getLogger("culturescope").handlers:
        h.flush()
    return log_path().read_text(encoding="utf-8") if log_path().exists() else ""


def test_log_file_is_private_and_rotates(logfile):
    assert logfile == log_path()
    assert logfile.parent.name == "logs"
    logging.getLogger("culturescope.test").info("hello")
    assert "hello" in _log_text()
    assert stat.S_IMODE(logfile.stat().st_mode) == 0o600
    assert stat.S_IMODE(logfile.parent.stat().st_mode) == 0o700
    handler = next(h for h in logging.getLogger("culturescope").handlers if hasattr(h, "maxBytes"))
    assert handler.maxBytes > 0 and handler.backupCount > 0


def test_redact_hides_keys_and_passphrases():
    key = "ab" * 32
    text = redact(f"key {key} and passphrase=hunter2hunter2 and team Blue")
    assert key not in text and "hunter2" not in text and "team Blue" in text


def test_cli_unexpected_error_is_one_line_and_logged(capsys, monkeypatch, tmp_path):
    from culturescope.cli.context import Context

    def boom(_self):
        raise KeyError("internal detail")

    monkeypatch.setattr(Context, "store", property(boom))
    code = cli.main(["--db", str(tmp_path / "x.db"), "campaign", "list"])
    err = capsys.readouterr().err
    assert code == 70
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "internal detail" not in err
    assert str(log_path()) in err
    log = _log_text()
    assert "Traceback" in log and "internal detail" in log
    shutdown_logging()


def _lock(path):
    """Another program holding the write lock (a raw sqlite3 connection)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_busy_database_waits_with_progress_then_says_so(tmp_path, monkeypatch, flagship):
    monkeypatch.setenv("CULTURESCOPE_BUSY_WAIT", "0.6")
    db = tmp_path / "busy.db"
    store = Store(str(db))
    store.save_instrument(flagship)
    other = _lock(db)
    seen: list[str] = []
    try:
        with waiting_progress(lambda f, m: seen.append(m)), pytest.raises(DatabaseBusy) as err:
            store.create_campaign("Busy", flagship)
    finally:
        other.rollback()
        other.close()
    assert "another CultureScope is writing to this database; try again" in str(err.value)
    assert seen and all("waiting for another CultureScope" in m for m in seen)
    assert store.campaigns() == []  # nothing stored
    store.create_campaign("Busy", flagship)  # and it works once the lock is gone
    assert [c.name for c in store.campaigns()] == ["Busy"]
    store.close()


def test_cli_busy_database_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CULTURESCOPE_BUSY_WAIT", "0.3")
    db = tmp_path / "busy.db"
    Store(str(db)).close()
    other = _lock(db)
    try:
        code = cli.main(
            [
                "-q",
                "--db",
                str(db),
                "campaign",
                "create",
                "Q4",
                "--instrument",
                "psychological-safety-pulse",
            ]
        )
    finally:
        other.rollback()
        other.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        "culturescope: error: another CultureScope is writing to this database; try again "
        "when it has finished (nothing was changed)"
    ]
    shutdown_logging()


def test_database_error_shows_no_sql_and_no_secret(logfile, new_db):
    from culturescope.storage.models import Meta

    store = Store(new_db("s.db"))
    store.fingerprint("x")  # stores the key's check value (the key is outside the database)
    with store.session() as s:
        secret = s.get(Meta, "fingerprint_key_check").value
    with pytest.raises(DatabaseError) as err, store.session() as s:
        s.add(Meta(key="fingerprint_key_check", value=secret))  # a duplicate key: refused
    message = str(err.value)
    assert secret not in message and not any(w in message for w in SQL_WORDS)
    assert "nothing was changed" in message
    assert secret not in _log_text()
    store.close()


def test_damaged_database_file_is_one_sentence(tmp_path):
    path = tmp_path / "damaged.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(DatabaseError) as err:
        Store(str(path))
    assert "damaged or is not a CultureScope database" in str(err.value)


def test_cli_damaged_database(tmp_path, capsys):
    path = tmp_path / "damaged.db"
    path.write_bytes(b"\x00garbage" * 1000)
    code = cli.main(["--db", str(path), "campaign", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    shutdown_logging()


def test_read_only_database_is_explained(tmp_path, flagship):
    path = tmp_path / "ro.db"
    store = Store(str(path))
    store.save_instrument(flagship)
    store.close()
    ro = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(DatabaseError) as err:
        ro.create_campaign("Q4", flagship)
    assert "cannot be written" in str(err.value)
    ro.close()


def test_invalid_url_message_hides_the_password():
    from culturescope.storage import to_url

    with pytest.raises(DatabaseError) as err:
        to_url("postgresql+psycopg://lead:s3cret-pw@db host:notaport/cs")
    assert "s3cret-pw" not in str(err.value) and "lead:***@" in str(err.value)


def test_output_piped_into_a_reader_that_stops_is_quiet(tmp_path, monkeypatch):
    """`culturescope ... | head -1` where the reader leaves after the last write but before
    the exit flush: no "Exception ignored … BrokenPipeError" noise at exit."""
    import io
    import os
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone; what is printed stays in the buffer
    out = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write_end, "w"), 65536))
    monkeypatch.setattr(sys, "stdout", out)
    db = str(tmp_path / "pipe.db")
    assert cli.main(["--db", db, "instruments", "list", "--json"]) == 0
    out.flush()  # what the interpreter does at exit: must not raise any more
    out.close()
