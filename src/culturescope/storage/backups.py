"""Copies of a SQLite database: backups, restores, and owner-only files.

Every copy goes through SQLite's online backup API, never a file copy: it reads a
consistent snapshot while other connections (a kiosk, a second window) keep writing, it
includes what is still in the write-ahead log, and a restore writes through SQLite's own
locking. Database files and their copies hold answers and fingerprint checks, so they are
created readable by their owner only (0600).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import tempfile
from pathlib import Path

from culturescope.storage.errors import StoreError

#: Tables every CultureScope database has, whatever its schema version.
_REQUIRED_TABLES = {"campaigns", "responses"}
_SQLITE_MAGIC = b"SQLite format 3\x00"


def private_file(path: Path) -> None:
    """Make ``path`` readable by its owner only, creating it empty when missing.

    A new file is created 0600 (SQLite gives its -wal and -shm files the same mode); an
    older file readable by others is narrowed. File systems without POSIX modes (e.g. a
    Windows share) ignore this.
    """
    try:
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            return
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077 and path.stat().st_uid == getattr(os, "getuid", lambda: -1)():
            os.chmod(path, mode & 0o700)
    except OSError:
        pass


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` into ``target`` with the online backup API.

    ``target`` is written under a temporary name in its own folder and then renamed, so a
    full disk or a crash never leaves a half-written file under the final name.
    """
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(handle)  # mkstemp made it 0600; sqlite3 opens it by name
    part = Path(temporary)
    try:
        _backup_api(source, part)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def _backup_api(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_sqlite(path: Path, *, reason: str = "backup") -> Path:
    """Copy a SQLite database to a new timestamped file beside it; returns its path.

    The name is ``<stem>.<reason>-<YYYYmmdd-HHMMSS>[-n]<suffix>``, never an existing file.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{reason}-{stamp}-{n}{path.suffix}")
        n += 1
    copy_sqlite(path, target)
    return target


def check_backup_file(path: Path) -> None:
    """Raise :class:`StoreError` unless ``path`` is a CultureScope SQLite database.

    Read-only: the file is opened with ``mode=ro`` and never changed.
    """
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != _SQLITE_MAGIC:
                raise StoreError(f"{path.name} is not a SQLite database file")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(f"{path.name} cannot be read: {exc}") from None
    if not tables >= _REQUIRED_TABLES:
        raise StoreError(f"{path.name} is a SQLite file but not a CultureScope database")


def restore_sqlite(backup: Path, database: Path) -> Path:
    """Replace the contents of ``database`` with ``backup``; returns the safety copy.

    ``backup`` is checked first (:func:`check_backup_file`), then the current database is
    copied to a ``before-restore`` file beside it, then the backup is written into the
    database through the backup API (other connections see either the old or the new
    contents, never a mix). Raises :class:`StoreError`, changing nothing, when ``backup``
    is not a CultureScope database or is the database itself.
    """
    check_backup_file(backup)
    if database.exists() and backup.resolve() == database.resolve():
        raise StoreError(f"{backup.name} is the database in use, not a backup of it")
    safety = backup_sqlite(database, reason="before-restore")
    _backup_api(backup, database)
    return safety
