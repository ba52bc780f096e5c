"""What the user reads when the database fails, and how a busy database is waited for.

Also home of the store's exception classes, so that every storage module can raise them
without importing the modules that open the database.

Every database error leaves the store as a :class:`~culturescope.storage.DatabaseError`
saying what happened and what to do — never SQL, never parameters. The details (error
class, the database's own message, the statement without its values) go to the log.

A SQLite database takes one writer at a time. Before its first change a write
transaction waits for the write lock in short steps, reporting "waiting for another
CultureScope…" through the progress callback registered with :func:`waiting_progress`,
and gives up after :data:`BUSY_WAIT_SECONDS` with :class:`DatabaseBusy`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from culturescope import CultureScopeError

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

#: How long a write waits for another writer before giving up (seconds);
#: ``CULTURESCOPE_BUSY_WAIT`` overrides it.
BUSY_WAIT_SECONDS = 60.0
_STEP_MS = 250
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

BUSY_MESSAGE = (
    "another CultureScope is writing to this database; try again when it has finished "
    "(nothing was changed)"
)


class DatabaseError(CultureScopeError):
    """The database cannot be opened, read or written."""


class StoreError(CultureScopeError):
    """A request the store refuses (unknown campaign, duplicate name, ...)."""


class UnknownCampaign(StoreError):
    """No campaign with the name or id asked for."""


class DatabaseBusy(DatabaseError):
    """Another program holds the database's write lock for longer than we wait."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


class DatabaseConflict(DatabaseError):
    """A change clashes with stored data (a uniqueness or reference rule)."""


class DatabaseFailure(DatabaseError):
    """Any other database problem, described for the user."""


def busy_wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("CULTURESCOPE_BUSY_WAIT", BUSY_WAIT_SECONDS)))
    except ValueError:
        return BUSY_WAIT_SECONDS


# ---- progress while waiting ------------------------------------------------------------
_local = threading.local()
_default_progress: list[Progress | None] = [None]


def set_default_waiting_progress(progress: Progress | None) -> None:
    """The callback every thread uses while waiting (the command line's progress line)."""
    _default_progress[0] = progress


@contextmanager
def waiting_progress(
    progress: Progress | None, *, is_cancelled: Callable[[], bool] | None = None
) -> Iterator[None]:
    """Report waits for the write lock in this thread to ``progress`` (e.g. a worker's).

    With ``is_cancelled``, a wait for the lock stops with :class:`culturescope.Cancelled`
    as soon as it returns True: nothing has been written at that point.
    """
    previous = getattr(_local, "progress", None), getattr(_local, "is_cancelled", None)
    _local.progress, _local.is_cancelled = progress, is_cancelled
    try:
        yield
    finally:
        _local.progress, _local.is_cancelled = previous


def _check_cancelled() -> None:
    is_cancelled = getattr(_local, "is_cancelled", None)
    if is_cancelled is not None and is_cancelled():
        from culturescope import Cancelled

        log.info("stopped waiting for the write lock (cancelled)")
        raise Cancelled("stopped waiting for the database (nothing was changed)")


def _report(waited: float, limit: float) -> None:
    progress = getattr(_local, "progress", None) or _default_progress[0]
    if progress is None:
        return
    fraction = min(0.99, waited / limit) if limit else 0.0
    try:
        progress(fraction, f"waiting for another CultureScope to finish writing ({waited:.0f} s)")
    except Exception:  # a progress display must never break the write
        log.debug("progress callback failed while waiting", exc_info=True)


def _is_busy_message(message: str) -> bool:
    m = message.lower()
    return "database is locked" in m or "database is busy" in m or "database table is locked" in m


def acquire_sqlite_write_lock(dbapi_conn: Any, *, timeout_ms: int) -> None:
    """Start an IMMEDIATE transaction on ``dbapi_conn``, waiting with progress.

    Called just before the first change of a transaction, so two writers queue for the
    lock up front instead of one failing half-way (and reads never wait).
    """
    import sqlite3

    limit = busy_wait_seconds()
    started = time.monotonic()
    dbapi_conn.execute(f"PRAGMA busy_timeout = {_STEP_MS}")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy_message(str(exc)):
                    raise
                _check_cancelled()
                waited = time.monotonic() - started
                if waited >= limit:
                    log.warning("gave up waiting for the write lock after %.1f s", waited)
                    raise DatabaseBusy() from None
                _report(waited, limit)
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def install_sqlite_write_queue(engine: Engine, *, timeout_ms: int = 5000) -> None:
    """Make every write transaction on a SQLite ``engine`` queue for the write lock."""
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _before(
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        dbapi_conn = cursor.connection
        if dbapi_conn.in_transaction:
            return
        acquire_sqlite_write_lock(dbapi_conn, timeout_ms=timeout_ms)


# ---- translating errors ------------------------------------------------------------------
_KNOWN = (
    (
        ("database or disk is full", "no space left", "disk full"),
        "the disk holding the database is full; free some space and try again "
        "(nothing was changed)",
    ),
    (
        ("readonly database", "read-only", "permission denied", "access is denied"),
        "the database cannot be written (a read-only file or folder); check its permissions "
        "or choose another data location in Settings (nothing was changed)",
    ),
    (
        ("malformed", "file is not a database", "file is encrypted", "not a database"),
        "the database file is damaged or is not a CultureScope database; restore a backup "
        "(Settings → Restore) or choose another data location",
    ),
    (
        ("unable to open database file",),
        "the database file cannot be opened; check that its folder exists and can be written",
    ),
    (
        (
            "could not connect",
            "connection refused",
            "server closed the connection",
            "connection timed out",
            "could not translate host name",
            "no route to host",
        ),
        "the database server cannot be reached; check the network and the server's address, "
        "then try again (nothing was changed)",
    ),
    (
        ("password authentication failed", "authentication failed", 'role "', "no pg_hba"),
        "the database server refused the login; check the user name and password in the "
        "database address",
    ),
)


def _driver_message(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc)


def translate(exc: BaseException, *, action: str = "") -> DatabaseError:
    """The user-facing error for a database exception ``exc``; details go to the log."""
    if isinstance(exc, DatabaseError):
        return exc
    from culturescope.logs import log_path

    message = _driver_message(exc)
    statement = getattr(exc, "statement", None)
    expected = _is_busy_message(message) or type(exc).__name__ == "IntegrityError"
    log.log(
        logging.WARNING if expected else logging.ERROR,
        "database error%s: %s: %s%s",
        f" while {action}" if action else "",
        type(getattr(exc, "orig", None) or exc).__name__,
        message.splitlines()[0] if message else "",
        f" [statement: {' '.join(str(statement).split())[:500]}]" if statement else "",
        exc_info=None if expected else (type(exc), exc, exc.__traceback__),
    )
    if _is_busy_message(message):
        return DatabaseBusy()
    kind = type(exc).__name__
    if kind == "IntegrityError" or "constraint" in message.lower():
        return DatabaseConflict(
            "the database refused the change because it clashes with data stored meanwhile "
            "(perhaps by another CultureScope); nothing was changed — reload and try again"
        )
    low = message.lower()
    for needles, text in _KNOWN:
        if any(n in low for n in needles):
            return DatabaseFailure(text)
    return DatabaseFailure(
        "the database reported a problem and nothing was changed; try again, and if it "
        f"happens again send the log ({log_path()}) to your support contact"
    )


def is_database_exception(exc: BaseException) -> bool:
    """True for SQLAlchemy's and the drivers' own errors (not ours, not programming bugs)."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, (DBAPIError, OperationalError, sqlite3.Error)):
        return True
    mod = type(exc).__module__ or ""
    return mod.startswith(("psycopg", "psycopg2")) and type(exc).__name__.endswith("Error")
