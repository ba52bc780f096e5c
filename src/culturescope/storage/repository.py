"""The store: every read and write of CultureScope data goes through here.

:class:`Store` combines one repository per aggregate — instruments, campaigns, batches,
responses (adding and reading) and the database's own facts — over one unit of work
(:mod:`.unit_of_work`), and adds backups of the whole database. It returns plain
dataclasses and DataFrames, never ORM objects, so that the GUI and the scoring code never
hold a database session.
"""

from __future__ import annotations

from pathlib import Path

from culturescope.storage.backups import backup_sqlite, copy_sqlite, restore_sqlite
from culturescope.storage.batches import Batch
from culturescope.storage.campaigns import check_thresholds
from culturescope.storage.database import migrate, sqlite_path
from culturescope.storage.errors import StoreError, UnknownCampaign
from culturescope.storage.frames import ResponseData, same_spelling
from culturescope.storage.records import Campaign
from culturescope.storage.response_data import ResponseDataRepository
from culturescope.storage.responses import NewResponse, ResponseRepository, ResponseTable

__all__ = [
    "SERVER_BACKUP_MESSAGE",
    "Batch",
    "Campaign",
    "NewResponse",
    "ResponseData",
    "ResponseTable",
    "Store",
    "StoreError",
    "UnknownCampaign",
    "check_thresholds",
    "same_spelling",
]

SERVER_BACKUP_MESSAGE = (
    "this database is on a server (not a SQLite file): it is backed up and restored with "
    "the server's own tools (e.g. pg_dump / pg_restore, or the server's backup schedule), "
    "not from CultureScope"
)


class Store(ResponseRepository, ResponseDataRepository):
    """Access to one CultureScope database (SQLite file or any SQLAlchemy URL).

    The methods come from the repositories it combines (see the module docstring); a
    compound operation of the caller is made one transaction with :meth:`transaction`.
    """

    @property
    def file(self) -> Path | None:
        """The SQLite file holding the data, or None for a server database."""
        return sqlite_path(self.url)

    def backup(self, target: str | Path | None = None) -> Path:
        """Copy the whole database to ``target``, or to a dated file beside it; returns it.

        SQLite: a consistent snapshot taken with SQLite's online backup API while others
        may go on writing, readable by its owner only (0600); an existing ``target`` is
        replaced. A server database raises :class:`StoreError` saying that the server's
        own backups apply.
        """
        path = self._sqlite_file()
        if target is None:
            return backup_sqlite(path)
        made = Path(target).expanduser()
        copy_sqlite(path, made)
        return made

    def restore(self, backup: str | Path) -> Path:
        """Replace all data with the backup file ``backup``; returns the safety copy.

        The backup is checked first (a CultureScope SQLite database, not this database
        itself); a refusal raises :class:`StoreError` and changes nothing. The current data
        is then copied to a ``before-restore`` file beside the database, the backup is
        written in, and the schema is brought up to date (an older backup is migrated).
        No other store call of this object may run meanwhile. Server databases raise
        :class:`StoreError` (see :meth:`backup`).
        """
        path = self._sqlite_file()
        self.engine.dispose()  # our pooled connections see the new contents from scratch
        safety = restore_sqlite(Path(backup).expanduser(), path)
        self._forget_cached()
        self.last_backup = migrate(self.engine)
        self._announce([None])  # every campaign may differ now
        return safety

    def _sqlite_file(self) -> Path:
        path = self.file
        if path is None:
            raise StoreError(SERVER_BACKUP_MESSAGE)
        return path
