"""The unit of work every repository shares: one database, its sessions and transactions.

:class:`UnitOfWork` opens the database (migrating it first) and hands out sessions. A
store call runs in its own transaction (:meth:`UnitOfWork.session`) unless the calling
thread has opened a :meth:`UnitOfWork.transaction`, which every store call inside it joins:
a compound operation — check, then write — is then committed or rolled back as one.
The repositories (``campaigns``, ``responses``, ...) build on it; :class:`~culturescope.
storage.Store` combines them.

Writes say what changed: a write marks the campaign it touched (:meth:`UnitOfWork.
mark_changed`), and when its transaction commits the store's data version goes up and
every subscriber receives a :class:`DataChange`. Screens key what they computed on
:meth:`UnitOfWork.version_of` instead of guessing when to recompute.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from culturescope import CultureScopeError
from culturescope.result_cache import ALL_SCOPE, campaign_scope
from culturescope.storage.database import create_db_engine, default_url, migrate, to_url
from culturescope.storage.errors import (
    acquire_sqlite_write_lock,
    is_database_exception,
    translate,
)
from culturescope.storage.models import CampaignRecord

log = logging.getLogger(__name__)

SQLITE_TIMEOUT_MS = 30_000  # the busy timeout database.py gives SQLite connections
_CHANGED = "culturescope.changed"  # Session.info key: campaigns marked changed


@dataclass(frozen=True)
class DataChange:
    """What one committed transaction changed.

    ``version`` is the store's data version after it. ``campaign_ids`` holds the campaigns
    whose data changed; None when the change is not tied to one campaign (a policy of the
    organisation, an instrument, a restored database) and anything may differ.
    """

    version: int
    campaign_ids: frozenset[int] | None

    def affects(self, campaign_id: int) -> bool:
        return self.campaign_ids is None or campaign_id in self.campaign_ids


Subscriber = Callable[[DataChange], None]

_STAMP = text(
    "INSERT INTO data_versions (scope, token) VALUES (:scope, :token) "
    "ON CONFLICT (scope) DO UPDATE SET token = excluded.token"
)


def _stamp_versions(s: Session, changed: Iterable[int | None]) -> None:
    """Give each changed scope a new random token, in the transaction that changes it.

    The in-process data version is this store's alone; the tokens are in the database, so
    that another process (a second CultureScope, a later ``culturescope score``) sees that
    its saved results are out of date. Random rather than counted: a restored backup brings
    back its own tokens with its own data, and no later write can repeat them.
    """
    token = uuid.uuid4().hex
    scopes = {ALL_SCOPE if c is None else campaign_scope(c) for c in changed}
    s.execute(_STAMP, [{"scope": scope, "token": token} for scope in sorted(scopes)])


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
        self._changes_lock = threading.Lock()
        self._data_version = 0
        self._campaign_versions: dict[int, int] = {}
        self._everything_version = 0  # the last change not tied to one campaign
        self._subscribers: list[Subscriber] = []
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
                if s.info.get(_CHANGED):
                    _stamp_versions(s, s.info[_CHANGED])
            changed = s.info.get(_CHANGED)
            if changed:
                self._announce(changed)
        except CultureScopeError:
            raise
        except Exception as exc:
            if is_database_exception(exc):
                raise translate(exc) from None
            raise

    # ---- what changed ----------------------------------------------------------------
    def mark_changed(self, s: Session, campaign_id: int | None = None) -> None:
        """Note that the transaction of ``s`` changes ``campaign_id``'s data (None: not one
        campaign's). Subscribers hear of it once that transaction has committed; nothing
        is announced for a rolled-back one."""
        s.info.setdefault(_CHANGED, set()).add(campaign_id)

    @property
    def data_version(self) -> int:
        """Goes up by one at every committed transaction that changed data."""
        return self._data_version

    def version_of(self, campaign_id: int) -> int:
        """The data version of the last committed change that may affect ``campaign_id``:
        equal values mean the campaign's data is the same (as far as this store knows;
        another program writing to the same database is not seen)."""
        return max(self._campaign_versions.get(campaign_id, 0), self._everything_version)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(change)`` after every committed change; returns a function that
        unsubscribes. The callback runs on the thread that wrote (a worker's, too): a GUI
        must hand it over to its own thread."""
        with self._changes_lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._changes_lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def _announce(self, changed: Iterable[int | None]) -> None:
        ids = set(changed)
        campaigns = frozenset(c for c in ids if c is not None)
        with self._changes_lock:
            self._data_version += 1
            version = self._data_version
            if None in ids:
                self._everything_version = version
            for cid in campaigns:
                self._campaign_versions[cid] = version
            subscribers = list(self._subscribers)
        change = DataChange(version, None if None in ids else campaigns)
        for callback in subscribers:
            try:
                callback(change)
            except Exception:  # a listener must never undo or break a committed write
                log.exception("a data-change subscriber failed")

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
