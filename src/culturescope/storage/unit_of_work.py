"""The unit of work every repository shares: one database, its sessions and transactions.

:class:`UnitOfWork` opens the database (migrating it first) and hands out sessions. A
store call runs in its own transaction (:meth:`UnitOfWork.session`) unless the calling
thread has opened a :meth:`UnitOfWork.transaction`, which every store call inside it joins:
a compound operation — check, then write — is then committed or rolled back as one.
The repositories (``campaigns``, ``responses``, ...) build on it; :class:`~culturescope.
storage.Store` combines them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from culturescope import CultureScopeError
from culturescope.storage.database import create_db_engine, default_url, migrate, to_url
from culturescope.storage.errors import (
    acquire_sqlite_write_lock,
    is_database_exception,
    translate,
)
from culturescope.storage.models import CampaignRecord

SQLITE_TIMEOUT_MS = 30_000  # the busy timeout database.py gives SQLite connections


class UnitOfWork:
    """One CultureScope database (SQLite file or any SQLAlchemy URL) and its sessions."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = to_url(url) if url else default_url()
        self.engine = engine or create_db_engine(self.url)
        try:
            self.last_backup = migrate(self.engine)
        except CultureScopeError:
            self.engine.dispose()
            raise
        except Exception as exc:
            self.engine.dispose()
            if is_database_exception(exc):
                raise translate(exc, action="opening the database") from None
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._local = threading.local()  # the session of an open transaction(), per thread
        self._forget_cached()

    def _forget_cached(self) -> None:
        """Drop whatever the repositories keep from earlier reads.

        Called on opening, after a rolled-back :meth:`transaction` (a value made in it is
        gone) and after the database's contents were replaced. Repositories that cache
        extend it (calling ``super()._forget_cached()``).
        """

    def close(self) -> None:
        self.engine.dispose()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error.

        A database error leaves as a :class:`DatabaseError` whose message says what
        happened and what to do (never SQL or values); the details go to the log.
        """
        outer = getattr(self._local, "session", None)
        try:
            if outer is not None:  # inside transaction(): part of that one
                yield outer
                return
            with self._sessions() as s, s.begin():
                yield s
        except CultureScopeError:
            raise
        except Exception as exc:
            if is_database_exception(exc):
                raise translate(exc) from None
            raise

    def in_transaction(self) -> bool:
        """True inside a :meth:`transaction` block of the calling thread."""
        return getattr(self._local, "session", None) is not None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every store call of this thread inside the block one transaction.

        For compound work such as the demo organisation: all of it is stored, or — on an
        error, a cancel or a killed process — none of it. Nested blocks join the outer one.
        """
        if self.in_transaction():
            yield
            return
        try:
            with self.session() as s:
                self._local.session = s
                try:
                    yield
                finally:
                    self._local.session = None
        except BaseException:
            self._forget_cached()
            raise

    @contextmanager
    def write_session(self, campaign_id: int | None = None) -> Iterator[Session]:
        """A transaction that holds the write lock from its first statement, so that what
        it reads (e.g. the stored fingerprints) stays true until it commits: two imports
        into one database run one after the other, never interleaved (SQLite: ``BEGIN
        IMMEDIATE``, queueing with progress like every other write, see
        :mod:`culturescope.storage.errors`; others: the campaign's row locked)."""
        with self.session() as s:
            if self.is_sqlite:
                dbapi = s.connection().connection.dbapi_connection
                if dbapi is not None and not dbapi.in_transaction:
                    acquire_sqlite_write_lock(dbapi, timeout_ms=SQLITE_TIMEOUT_MS)
            elif campaign_id is not None:
                s.execute(
                    select(CampaignRecord.id)
                    .where(CampaignRecord.id == campaign_id)
                    .with_for_update()
                )
            yield s
