"""The store: every read and write of CultureScope data goes through here.

Returns plain dataclasses and DataFrames, never ORM objects, so that the GUI and the
scoring code never hold a database session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, func, insert, select, text, true, update
from sqlalchemy.orm import Session, sessionmaker

from culturescope import Cancelled, CultureScopeError, thresholds
from culturescope.instruments import Instrument, parse_instrument
from culturescope.storage.database import create_db_engine, default_url, migrate, to_url
from culturescope.storage.errors import (
    DatabaseConflict,
    acquire_sqlite_write_lock,
    is_database_exception,
    translate,
)
from culturescope.storage.models import (
    CampaignRecord,
    CommentRecord,
    ImportBatch,
    InstrumentItem,
    InstrumentRecord,
    Meta,
    Organisation,
    PolicyRecord,
    PolicyVersionRecord,
    ResponseRecord,
)
from culturescope.storage.scrub import clean_label, name_pattern, neutral_label, scrub

if TYPE_CHECKING:  # pandas and numpy load only when responses are read or written
    import pandas as pd

Progress = Callable[[float, str], None]
KEY_CHECK = "fingerprint_key_check"
SQLITE_TIMEOUT_MS = 30_000  # the busy timeout database.py gives SQLite connections
DATED_TODAY = ("kiosk", "paper")
DEFAULT_ORGANISATION = "My organisation"


class StoreError(CultureScopeError):
    """A request the store refuses (unknown campaign, duplicate name, ...)."""


class UnknownCampaign(StoreError):
    pass


@dataclass(frozen=True)
class Campaign:
    id: int
    name: str
    organisation: str
    instrument_key: str
    min_group_size: int
    min_comment_group_size: int
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    created_on: dt.date
    previous_campaign_id: int | None
    headcounts: dict[str, dict[str, int]]
    response_count: int = 0
    uid: str = ""  # the same on every database holding the campaign (kiosk bundles)
    bundle_key: str = field(default="", repr=False)  # hex key signing its bundles
    #: Names removed from comments at import, besides the organisation's policy owners.
    private_names: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Batch:
    """One import (file, kiosk session, paper form, bundle): what it added and skipped.

    ``id`` is None when nothing was new, so that no batch was recorded (the same file
    imported again, a bundle merged twice). ``label`` is a neutral name ("import 3, 120
    rows, xlsx") or the one the user gave; never the file's own name.
    """

    id: int | None
    campaign_id: int
    source: str
    label: str
    sheet: str | None
    imported_on: dt.date
    rows_read: int
    rows_added: int
    rows_skipped: int
    notices: list[str]
    file_sha256: str | None = None
    #: Rows skipped because a response with the same row identity is stored already.
    already_stored: int = 0
    #: The batch holding this very file (same bytes), when that is why nothing was added.
    already_imported_as: int | None = None
    #: E-mail addresses, phone numbers... replaced by "[removed]" in the comments.
    identities_removed: int = 0
    #: Rows added that have the same answers as a stored response (kept: two people).
    same_answers_as_stored: int = 0


@dataclass
class NewResponse:
    """A response about to be stored. ``answers`` maps item id to the raw code as given
    (un-reversed; the scale's N/A code for "not applicable"); blank items are left out."""

    answers: dict[str, int]
    demographics: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    source_ref: str | None = None
    submitted_on: dt.date | None = None
    fingerprint: str | None = None  # set by the caller for idempotent imports; None: new


@dataclass
class ResponseTable:
    """Many responses at once, column-wise, for fast imports.

    ``answers`` holds answer strings (see :func:`culturescope.storage.codes.encode_matrix`);
    ``comments`` maps a row number to that row's ``{prompt_id: text}``.
    """

    answers: list[str]
    demographics: list[dict[str, str]]
    #: Keyed hash of each row's identity in its source; None for a row with no identity
    #: (it is always added: two rows with the same answers are two people).
    fingerprints: list[str | None]
    source_refs: list[str | None]
    submitted_on: list[dt.date | None]
    comments: dict[int, dict[str, str]] = field(default_factory=dict)
    # Each response's own source (e.g. "kiosk" in a merged bundle) when it differs from
    # the batch's; None: every response has the batch's source.
    sources: list[str] | None = None


@dataclass
class ResponseData:
    """A campaign's responses, ready for scoring.

    ``answers``: index ``response_id``, one float column per instrument item (in instrument
    order) holding the raw code; NaN where blank; N/A kept as the scale's N/A code.
    ``demographics``: same index, one column per demographic id (option id or text; None if
    unanswered). ``meta``: ``source``, ``source_ref``, ``submitted_on``, ``batch_id``.
    ``comments``: columns ``response_id``, ``prompt_id``, ``text``.
    """

    instrument: Instrument
    answers: pd.DataFrame
    demographics: pd.DataFrame
    meta: pd.DataFrame
    comments: pd.DataFrame

    def __len__(self) -> int:
        return len(self.answers)


class Store:
    """Access to one CultureScope database (SQLite file or any SQLAlchemy URL)."""

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
        self._secret: bytes | None = None
        self._local = threading.local()  # the session of an open transaction(), per thread
        self._key_matches = True
        self._instruments: dict[str, Instrument] = {}

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

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every store call of this thread inside the block one transaction.

        For compound work such as the demo organisation: all of it is stored, or — on an
        error, a cancel or a killed process — none of it. Nested blocks join the outer one.
        """
        if getattr(self._local, "session", None) is not None:
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
            self._secret = None  # a key made in the rolled-back transaction is gone
            raise

    # ---- identity-free fingerprints -------------------------------------------------
    def fingerprint(self, *parts: object) -> str:
        """Keyed hash of ``parts``: the same source row gives the same value, and nothing
        about the row can be read back from it. The key is not in the database but in a
        key file of this computer (see :mod:`culturescope.storage.keys`), so trying every
        candidate respondent id or timestamp against the database finds nothing."""
        msg = "\x1f".join(str(p) for p in parts).encode("utf-8")
        return hmac.new(self._fingerprint_key(), msg, hashlib.sha256).hexdigest()

    def _fingerprint_key(self) -> bytes:
        if self._secret is None:
            from culturescope.storage import keys

            key, _ = keys.load_or_create_key(self.database_id())
            check = _key_check(key)
            stored = self._meta(KEY_CHECK, lambda: check)
            self._key_matches = hmac.compare_digest(stored, check)
            self._secret = key
        return self._secret

    def fingerprint_key_matches(self) -> bool:
        """False when this computer's key file is not the one the stored fingerprints were
        made with (the database was copied from elsewhere): rows stored before cannot then
        be recognised by their row identity, only files by their own fingerprint."""
        self._fingerprint_key()
        return self._key_matches

    def _meta(self, key: str, default: Callable[[], str]) -> str:
        with self.session() as s:
            row = s.get(Meta, key)
            if row is not None:
                return row.value
        value = default()
        try:
            with self.session() as s:
                s.add(Meta(key=key, value=value))
        except DatabaseConflict:
            # Another process (e.g. a second import started at the same moment) stored
            # this value first: use theirs.
            if getattr(self._local, "session", None) is not None:
                raise
            with self.session() as s:
                row = s.get(Meta, key)
                if row is None:
                    raise
                return row.value
        return value

    # ---- instruments ----------------------------------------------------------------
    def save_instrument(self, instrument: Instrument) -> str:
        """Keep the instrument's YAML so campaigns stay traceable; returns its key.

        A version is immutable once stored: a different text under the same id@version is
        refused (make a new version instead).
        """
        text = instrument.source_text
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.session() as s:
            row = s.get(InstrumentRecord, instrument.key)
            if row is None:
                s.add(
                    InstrumentRecord(
                        key=instrument.key,
                        instrument_id=instrument.id,
                        version=instrument.version,
                        title=instrument.title,
                        source_yaml=text,
                        sha256=digest,
                    )
                )
                s.flush()
                s.execute(
                    insert(InstrumentItem),
                    [
                        {"instrument_key": instrument.key, "position": n, "item_id": item.id}
                        for n, item in enumerate(instrument.items)
                    ],
                )
            elif row.sha256 != digest:
                raise StoreError(
                    f"instrument {instrument.key} is already stored with different content; "
                    "instrument versions are immutable, give the changed file a new version"
                )
        return instrument.key

    def instrument(self, key: str) -> Instrument:
        # A stored version never changes (see save_instrument), so it is parsed only once.
        cached = self._instruments.get(key)
        if cached is not None:
            return cached
        with self.session() as s:
            row = s.get(InstrumentRecord, key)
            if row is None:
                raise StoreError(f"instrument {key} is not in this database")
            parsed = parse_instrument(row.source_yaml, source=f"stored instrument {key}")
        self._instruments[key] = parsed
        return parsed

    def stored_instruments(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(InstrumentRecord.key).order_by(InstrumentRecord.key)))

    # ---- campaigns ------------------------------------------------------------------
    def create_campaign(
        self,
        name: str,
        instrument: Instrument,
        *,
        organisation: str = DEFAULT_ORGANISATION,
        min_group_size: int = 5,
        min_comment_group_size: int = 10,
        opens_on: dt.date | None = None,
        closes_on: dt.date | None = None,
        previous: str | int | None = None,
        headcounts: dict[str, dict[str, int]] | None = None,
        uid: str | None = None,
        bundle_key: str | None = None,
    ) -> Campaign:
        """A new campaign. ``uid`` and ``bundle_key`` are given only when installing a
        campaign made elsewhere (a kiosk setup file); otherwise they are drawn at random."""
        name = name.strip()
        if not name:
            raise StoreError("a campaign needs a name")
        check_thresholds(min_group_size, min_comment_group_size)
        key = self.save_instrument(instrument)
        prev_id = self.campaign(previous).id if previous is not None else None
        with self.session() as s:
            if s.scalar(select(CampaignRecord.id).where(CampaignRecord.name == name)) is not None:
                raise StoreError(f"a campaign named '{name}' already exists")
            org = self._organisation(s, organisation)
            rec = CampaignRecord(
                name=name,
                organisation_id=org.id,
                instrument_key=key,
                min_group_size=min_group_size,
                min_comment_group_size=min_comment_group_size,
                status="open",
                opens_on=opens_on,
                closes_on=closes_on,
                created_on=dt.date.today(),
                previous_campaign_id=prev_id,
                headcounts=headcounts or {},
            )
            if uid is not None:
                if s.scalar(select(CampaignRecord.id).where(CampaignRecord.uid == uid)):
                    raise StoreError(f"a campaign with uid {uid} already exists")
                rec.uid = uid
            if bundle_key is not None:
                rec.bundle_key = bundle_key
            s.add(rec)
            s.flush()
            cid = rec.id
        return self.campaign(cid)

    @staticmethod
    def _organisation(s: Session, name: str) -> Organisation:
        org = s.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name)
            s.add(org)
            s.flush()
        return org

    def campaigns(self) -> list[Campaign]:
        with self.session() as s:
            counts = dict(
                s.execute(
                    select(ResponseRecord.campaign_id, func.count()).group_by(
                        ResponseRecord.campaign_id
                    )
                ).all()
            )
            rows = s.scalars(
                select(CampaignRecord).order_by(CampaignRecord.created_on, CampaignRecord.id)
            )
            return [_campaign(r, counts.get(r.id, 0)) for r in rows]

    def campaign(self, ref: str | int) -> Campaign:
        """Campaign by name or id."""
        with self.session() as s:
            if isinstance(ref, int):
                rec = s.get(CampaignRecord, ref)
            else:
                rec = s.scalar(select(CampaignRecord).where(CampaignRecord.name == ref))
            if rec is None:
                names = ", ".join(s.scalars(select(CampaignRecord.name))) or "none yet"
                raise UnknownCampaign(f"no campaign '{ref}' (campaigns: {names})")
            n = (
                s.scalar(
                    select(func.count())
                    .select_from(ResponseRecord)
                    .where(ResponseRecord.campaign_id == rec.id)
                )
                or 0
            )
            return _campaign(rec, n)

    def campaign_by_uid(self, uid: str) -> Campaign | None:
        """The campaign with this uid (see kiosk bundles), or None."""
        with self.session() as s:
            cid = s.scalar(select(CampaignRecord.id).where(CampaignRecord.uid == uid))
        return None if cid is None else self.campaign(cid)

    def database_id(self) -> str:
        """A random id of this database (not of any person or device), made on first use."""
        return self._meta("database_id", lambda: uuid.uuid4().hex)

    def update_campaign(self, ref: str | int, **changes: Any) -> Campaign:
        """Change name, status, thresholds, dates, previous campaign or headcounts."""
        allowed = {
            "name",
            "status",
            "min_group_size",
            "min_comment_group_size",
            "opens_on",
            "closes_on",
            "previous_campaign_id",
            "headcounts",
            "private_names",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise StoreError(f"cannot change {', '.join(sorted(unknown))} of a campaign")
        current = self.campaign(ref)
        check_thresholds(
            changes.get("min_group_size", current.min_group_size),
            changes.get("min_comment_group_size", current.min_comment_group_size),
        )
        if changes.get("status", "open") not in ("open", "closed"):
            raise StoreError("a campaign's status is 'open' or 'closed'")
        if "name" in changes:
            changes["name"] = str(changes["name"]).strip()
            if not changes["name"]:
                raise StoreError("a campaign needs a name")
        try:
            with self.session() as s:
                s.execute(
                    update(CampaignRecord).where(CampaignRecord.id == current.id).values(**changes)
                )
        except DatabaseConflict:
            raise StoreError(f"a campaign named '{changes.get('name')}' already exists") from None
        return self.campaign(current.id)

    def delete_campaign(self, ref: str | int) -> None:
        cid = self.campaign(ref).id
        with self.session() as s:
            s.execute(
                update(CampaignRecord)
                .where(CampaignRecord.previous_campaign_id == cid)
                .values(previous_campaign_id=None)
            )
            self._delete_responses(s, ResponseRecord.campaign_id == cid)
            s.execute(delete(ImportBatch).where(ImportBatch.campaign_id == cid))
            s.execute(delete(CampaignRecord).where(CampaignRecord.id == cid))

    def survey_period(self, ref: str | int) -> tuple[dt.date | None, dt.date | None, str]:
        """``(first day, last day, basis)``: the campaign's own dates when set ("campaign"),
        else the first and last known response dates ("responses"), else ``(None, None,
        "none")``. A date the campaign leaves open is taken from the responses."""
        camp = self.campaign(ref)
        if camp.opens_on and camp.closes_on:
            return camp.opens_on, camp.closes_on, "campaign"
        with self.session() as s:
            first, last = s.execute(
                select(
                    func.min(ResponseRecord.submitted_on), func.max(ResponseRecord.submitted_on)
                ).where(ResponseRecord.campaign_id == camp.id)
            ).one()
        first, last = _as_date(first), _as_date(last)
        if camp.opens_on or camp.closes_on:
            return camp.opens_on or first, camp.closes_on or last, "campaign"
        if first is None:
            return None, None, "none"
        return first, last, "responses"

    def campaign_instrument(self, ref: str | int) -> Instrument:
        return self.instrument(self.campaign(ref).instrument_key)

    # ---- responses ------------------------------------------------------------------
    def batch_with_file(self, campaign_id: int, file_sha256: str) -> int | None:
        """The id of the campaign's batch that imported a file with these bytes, or None."""
        with self.session() as s:
            return self._batch_with_file(s, campaign_id, file_sha256)

    @staticmethod
    def _batch_with_file(s: Session, campaign_id: int, file_sha256: str) -> int | None:
        return s.scalar(
            select(ImportBatch.id)
            .where(ImportBatch.campaign_id == campaign_id, ImportBatch.file_sha256 == file_sha256)
            .order_by(ImportBatch.id)
            .limit(1)
        )

    def existing_fingerprints(self, campaign_id: int) -> set[str]:
        with self.session() as s:
            return set(
                s.scalars(
                    select(ResponseRecord.fingerprint).where(
                        ResponseRecord.campaign_id == campaign_id
                    )
                )
            )

    @staticmethod
    def _stored_fingerprints(s: Session, campaign_id: int, fingerprints: Sequence[str]) -> set[str]:
        """Which of ``fingerprints`` the campaign holds already. A few (one kiosk or paper
        form) are looked up by index, so saving one response stays fast in a big campaign."""
        query = select(ResponseRecord.fingerprint).where(ResponseRecord.campaign_id == campaign_id)
        if len(fingerprints) <= 500:
            query = query.where(ResponseRecord.fingerprint.in_(sorted(set(fingerprints))))
        return set(s.scalars(query))

    def add_responses(
        self,
        campaign_id: int,
        responses: Sequence[NewResponse],
        *,
        source: str,
        label: str | None = None,
        file_name: str | None = None,
        file_sha256: str | None = None,
        sheet: str | None = None,
        rows_read: int | None = None,
        notices: Iterable[str] = (),
        progress: Progress | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> Batch:
        """Store ``responses`` as one batch in one transaction: all or nothing.

        See :meth:`add_response_table` for the rules (duplicates, comments, labels).
        """
        from culturescope.storage import codes

        camp = self.campaign(campaign_id)  # raises if unknown
        item_ids = [i.id for i in self.instrument(camp.instrument_key).items]
        unknown = {k for r in responses for k in r.answers} - set(item_ids)
        if unknown:
            raise StoreError(f"answers to unknown items: {', '.join(sorted(unknown))}")
        table = ResponseTable(
            answers=[codes.encode([r.answers.get(i) for i in item_ids]) for r in responses],
            demographics=[r.demographics for r in responses],
            fingerprints=[r.fingerprint for r in responses],
            source_refs=[r.source_ref for r in responses],
            submitted_on=[r.submitted_on for r in responses],
            comments={n: r.comments for n, r in enumerate(responses) if r.comments},
        )
        return self.add_response_table(
            camp.id,
            table,
            source=source,
            label=label,
            file_name=file_name,
            file_sha256=file_sha256,
            sheet=sheet,
            rows_read=rows_read,
            notices=notices,
            progress=progress,
            is_cancelled=is_cancelled,
        )

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
                if not dbapi.in_transaction:
                    acquire_sqlite_write_lock(dbapi, timeout_ms=SQLITE_TIMEOUT_MS)
            elif campaign_id is not None:
                s.execute(
                    select(CampaignRecord.id)
                    .where(CampaignRecord.id == campaign_id)
                    .with_for_update()
                )
            yield s

    def add_response_table(
        self,
        campaign_id: int,
        table: ResponseTable,
        *,
        source: str,
        label: str | None = None,
        file_name: str | None = None,
        file_sha256: str | None = None,
        sheet: str | None = None,
        rows_read: int | None = None,
        notices: Iterable[str] = (),
        progress: Progress | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> Batch:
        """Store many responses as one batch, in one write transaction that includes the
        duplicate check: all or nothing.

        A duplicate is the same response from the same source, nothing else:

        - the same file again (``file_sha256`` equal to an earlier batch's of the campaign):
          nothing is added;
        - a row whose fingerprint (its identity in its source) is already stored, or
          repeats an earlier row of ``table``: skipped, counted in ``already_stored``.

        Rows without a fingerprint are always added: two rows with the same answers are two
        people (``same_answers_as_stored`` counts those equal to a stored response).
        When nothing is new, no batch is recorded and the result's ``id`` is None.

        Comments are cleaned of identities first (:mod:`culturescope.storage.scrub`);
        the raw text is never stored. ``label`` is the user's name for the import (e-mail
        addresses and long digit runs are taken out); without one, a neutral label is
        made. Only the extension of ``file_name`` is kept, for that label.

        Raises ``Cancelled`` (nothing stored) when ``is_cancelled`` returns True.
        """
        today = dt.date.today()
        total = len(table.fingerprints)
        read = total if rows_read is None else rows_read
        notices = list(notices)
        camp = self.campaign(campaign_id)
        names = self._private_name_pattern(camp)
        if label is not None:
            label = clean_label(label)[:200] or None
        extension = PurePath(file_name).suffix if file_name and source == "file" else ""

        def nothing(already: int, prior: int | None) -> Batch:
            return Batch(
                id=None,
                campaign_id=campaign_id,
                source=source,
                label=label or "",
                sheet=sheet,
                imported_on=today,
                rows_read=read,
                rows_added=0,
                rows_skipped=read,
                notices=notices,
                file_sha256=file_sha256,
                already_stored=already,
                already_imported_as=prior,
            )

        key_matches = self.fingerprint_key_matches() if any(table.fingerprints) else True
        with self.write_session(campaign_id) as s:
            if file_sha256:
                prior = self._batch_with_file(s, campaign_id, file_sha256)
                if prior is not None:
                    return nothing(total, prior)
            given = [fp for fp in table.fingerprints if fp]
            seen = self._stored_fingerprints(s, campaign_id, given) if given else set()
            keep: list[int] = []
            fingerprints: list[str] = []
            for n, fp in enumerate(table.fingerprints):
                if fp is None:
                    keep.append(n)
                    fingerprints.append(self._random_fingerprint())
                elif fp not in seen:
                    seen.add(fp)
                    keep.append(n)
                    fingerprints.append(fp)
            if not keep:
                return nothing(total, None)
            same = self._same_answers_as_stored(
                s, campaign_id, [n for n in keep if table.fingerprints[n] is None], table
            )
            comments, removed = _clean_comments(table.comments, keep, names)
            notices += _store_notices(key_matches=key_matches, same=same, removed=removed)
            batch = ImportBatch(
                campaign_id=campaign_id,
                source=source,
                label=label or "",
                file_name=None,
                file_sha256=file_sha256,
                sheet=sheet,
                imported_on=today,
                rows_read=read,
                rows_added=len(keep),
                rows_skipped=read - len(keep),
                notices=notices,
            )
            s.add(batch)
            s.flush()
            if not label:
                batch.label = (
                    "demo data"
                    if source == "demo"
                    else neutral_label(batch.id, len(keep), source, extension)
                )
            self._insert_rows(s, batch, table, keep, fingerprints, progress, is_cancelled)
            if comments:
                ids = dict(
                    s.execute(
                        select(ResponseRecord.fingerprint, ResponseRecord.id).where(
                            ResponseRecord.batch_id == batch.id
                        )
                    ).all()
                )
                s.execute(
                    insert(CommentRecord),
                    [
                        {"response_id": ids[fingerprints[k]], "prompt_id": pid, "text": body}
                        for k, cs in comments.items()
                        for pid, body in cs.items()
                    ],
                )
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("cancelled: nothing was stored")
            s.flush()
            result = replace(
                _batch(batch),
                already_stored=total - len(keep),
                identities_removed=removed,
                same_answers_as_stored=same,
            )
        return result

    def _insert_rows(
        self, s: Session, batch: ImportBatch, table, keep, fingerprints, progress, is_cancelled
    ) -> None:
        """Insert the kept rows of ``table`` into ``batch`` (same session)."""
        batch_id, campaign_id, source, today = (
            batch.id,
            batch.campaign_id,
            batch.source,
            batch.imported_on,
        )
        # Plain DB-API executemany: the ORM, or Core with JSON types, take 10+ seconds for
        # 100,000 responses (docs/design/performance.md).
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        demo = f"CAST({mark} AS JSON)" if self.engine.dialect.name == "postgresql" else mark
        sql = (
            "INSERT INTO responses (campaign_id, batch_id, source, source_ref, submitted_on, "
            f"fingerprint, demographics, answers) VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, "
            f"{mark}, {demo}, {mark})"
        )
        chunk = 10000
        conn = s.connection()
        demo_json: dict[tuple, str] = {}
        for start in range(0, len(keep), chunk):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("cancelled: nothing was stored")
            rows = []
            for k in range(start, min(start + chunk, len(keep))):
                n = keep[k]
                d = table.demographics[n]
                key = tuple(sorted(d.items()))
                dj = demo_json.get(key)
                if dj is None:
                    dj = demo_json[key] = dumps(dict(key))
                rows.append(
                    (
                        campaign_id,
                        batch_id,
                        source if table.sources is None else table.sources[n],
                        table.source_refs[n],
                        # Unknown dates stay unknown for files and bundles (never the
                        # import date); a kiosk or paper form is dated the day it is saved.
                        table.submitted_on[n] or (today if source in DATED_TODAY else None),
                        fingerprints[k],
                        dj,
                        table.answers[n],
                    )
                )
            conn.exec_driver_sql(sql, rows)
            if progress is not None:
                progress(min(1.0, (start + chunk) / max(1, len(keep))), "storing responses")

    def _random_fingerprint(self) -> str:
        # A row with no identity in its source: unique, and says nothing about the row.
        return secrets.token_hex(32)

    @staticmethod
    def _same_answers_as_stored(s: Session, campaign_id: int, rows: list[int], table) -> int:
        if not rows:
            return 0
        wanted = {table.answers[n] for n in rows}
        stored = {
            (a, dumps(dict(sorted((d or {}).items()))))
            for a, d in s.execute(
                select(ResponseRecord.answers, ResponseRecord.demographics).where(
                    ResponseRecord.campaign_id == campaign_id,
                    ResponseRecord.answers.in_(sorted(wanted)) if len(wanted) <= 500 else true(),
                )
            )
        }
        return sum(
            (table.answers[n], dumps(dict(sorted(table.demographics[n].items())))) in stored
            for n in rows
        )

    def _private_name_pattern(self, camp: Campaign):
        """Names removed from this campaign's comments: its organisation's policy owners and
        the names the user added to the campaign."""
        with self.session() as s:
            owners = set(
                s.scalars(
                    select(PolicyVersionRecord.owner)
                    .join(PolicyRecord, PolicyRecord.id == PolicyVersionRecord.policy_id)
                    .join(Organisation, Organisation.id == PolicyRecord.organisation_id)
                    .where(Organisation.name == camp.organisation)
                )
            )
        return name_pattern([o for o in owners if o] + list(camp.private_names))

    def load_responses(self, campaign_ref: str | int) -> ResponseData:
        """All responses of a campaign as DataFrames (see :class:`ResponseData`)."""
        import pandas as pd

        from culturescope.storage import codes

        camp = self.campaign(campaign_ref)
        inst = self.instrument(camp.instrument_key)
        item_ids = [i.id for i in inst.items]
        demo_ids = [d.id for d in inst.demographics]
        with self.session() as s:
            # Plain SQL: the demographics arrive as text and are decoded once per distinct value.
            rows = s.execute(
                text(
                    "SELECT id, answers, demographics, source, source_ref, submitted_on, batch_id "
                    "FROM responses WHERE campaign_id = :c ORDER BY id"
                ),
                {"c": camp.id},
            ).all()
            comments = s.execute(
                select(CommentRecord.response_id, CommentRecord.prompt_id, CommentRecord.text)
                .join(ResponseRecord, ResponseRecord.id == CommentRecord.response_id)
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(CommentRecord.id)
            ).all()
        ids = pd.Index([r[0] for r in rows], name="response_id")
        answers = pd.DataFrame(
            codes.decode([r[1] for r in rows], len(item_ids)), index=ids, columns=item_ids
        )
        demographics = _demographics_frame([r[2] for r in rows], ids, demo_ids)
        for d in inst.demographics:
            if d.free_text and d.id in demographics:
                demographics[d.id] = same_spelling(demographics[d.id])
        meta = pd.DataFrame(
            {
                "source": [r[3] for r in rows],
                "source_ref": [r[4] for r in rows],
                "submitted_on": [_as_date(r[5]) for r in rows],
                "batch_id": [r[6] for r in rows],
            },
            index=ids,
        )
        comments_df = pd.DataFrame(comments, columns=["response_id", "prompt_id", "text"])
        return ResponseData(inst, answers, demographics, meta, comments_df)

    def stored_responses(self, campaign_ref: str | int) -> list[dict[str, Any]]:
        """A campaign's responses exactly as stored, for kiosk bundles: per response the
        answer string, demographics, comments, source, source_ref, submitted_on and
        fingerprint (never a database id)."""
        camp = self.campaign(campaign_ref)
        with self.session() as s:
            rows = s.execute(
                select(
                    ResponseRecord.id,
                    ResponseRecord.answers,
                    ResponseRecord.demographics,
                    ResponseRecord.source,
                    ResponseRecord.source_ref,
                    ResponseRecord.submitted_on,
                    ResponseRecord.fingerprint,
                )
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(ResponseRecord.id)
            ).all()
            comments: dict[int, dict[str, str]] = {}
            for rid, pid, body in s.execute(
                select(CommentRecord.response_id, CommentRecord.prompt_id, CommentRecord.text)
                .join(ResponseRecord, ResponseRecord.id == CommentRecord.response_id)
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(CommentRecord.id)
            ):
                comments.setdefault(rid, {})[pid] = body
        return [
            {
                "answers": r.answers,
                "demographics": dict(r.demographics or {}),
                "comments": comments.get(r.id, {}),
                "source": r.source,
                "source_ref": r.source_ref,
                "submitted_on": _as_date(r.submitted_on),
                "fingerprint": r.fingerprint,
            }
            for r in rows
        ]

    def response_count(self, campaign_ref: str | int) -> int:
        return self.campaign(campaign_ref).response_count

    def batches(self, campaign_ref: str | int) -> list[Batch]:
        cid = self.campaign(campaign_ref).id
        with self.session() as s:
            rows = s.scalars(
                select(ImportBatch).where(ImportBatch.campaign_id == cid).order_by(ImportBatch.id)
            )
            return [_batch(b) for b in rows]

    def batch(self, batch_id: int) -> Batch | None:
        """One import batch by id, or None."""
        with self.session() as s:
            b = s.get(ImportBatch, batch_id)
            return None if b is None else _batch(b)

    def delete_responses(self, response_ids: Iterable[int]) -> int:
        ids = list(response_ids)
        with self.session() as s:
            return self._delete_responses(s, ResponseRecord.id.in_(ids))

    def delete_batch(self, batch_id: int) -> int:
        """Delete an import batch and all its responses; returns how many responses went."""
        with self.session() as s:
            if s.get(ImportBatch, batch_id) is None:
                raise StoreError(f"no import batch {batch_id}")
            n = self._delete_responses(s, ResponseRecord.batch_id == batch_id)
            s.execute(delete(ImportBatch).where(ImportBatch.id == batch_id))
            return n

    @staticmethod
    def _delete_responses(s: Session, condition) -> int:
        # Explicit, so it works without ON DELETE CASCADE support.
        ids = select(ResponseRecord.id).where(condition).scalar_subquery()
        s.execute(delete(CommentRecord).where(CommentRecord.response_id.in_(ids)))
        return s.execute(delete(ResponseRecord).where(condition)).rowcount or 0

    def backup(self, target: str | None = None) -> str:
        """Copy a SQLite database to ``target`` (or a timestamped file beside it)."""
        from pathlib import Path

        from culturescope.storage.database import backup_sqlite, sqlite_path

        path = sqlite_path(self.url)
        if path is None:
            raise StoreError(
                "backups from the app are for SQLite files; use pg_dump for PostgreSQL"
            )
        made = backup_sqlite(path)
        if target:
            Path(made).replace(target)
            return str(target)
        return str(made)


def _demographics_frame(values: list[Any], index: pd.Index, columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    decoded: dict[Any, dict] = {}
    records = []
    for v in values:
        key = v if isinstance(v, str) else dumps(v)
        rec = decoded.get(key)
        if rec is None:
            rec = decoded[key] = json.loads(v) if isinstance(v, str) else dict(v or {})
        records.append(rec)
    frame = (
        pd.DataFrame.from_records(records, index=index, columns=columns)
        if records
        else (pd.DataFrame(index=index, columns=columns))
    )
    return frame.astype(object).where(frame.notna(), None)


def same_spelling(values: pd.Series) -> pd.Series:
    """Free-text answers that differ only in case or spacing ("alpha", " Alpha ") as one
    value, spelt as most respondents spelt it (ties: the first stored). Typed team and site
    names would otherwise split one group into small ones."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        return values
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    tidy = [" ".join(str(u).split()) for u in uniques]
    best: dict[str, str] = {}
    for n in sorted(range(len(uniques)), key=lambda n: (-counts[n], n)):
        best.setdefault(tidy[n].casefold(), tidy[n])
    mapped = np.array([best[t.casefold()] for t in tidy] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, name=values.name, dtype=object)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def check_thresholds(min_group_size: int, min_comment_group_size: int) -> None:
    """A campaign's minimum group sizes, by the one validator
    (:func:`culturescope.thresholds.check_thresholds`); raises :class:`StoreError`."""
    try:
        thresholds.check_thresholds(min_group_size, min_comment_group_size)
    except thresholds.ThresholdError as exc:
        raise StoreError(str(exc)) from None


def _key_check(key: bytes) -> str:
    # The same value as migration 0004's key_check.
    return hmac.new(key, b"culturescope fingerprint key check", hashlib.sha256).hexdigest()


def _campaign(r: CampaignRecord, n: int) -> Campaign:
    return Campaign(
        id=r.id,
        name=r.name,
        organisation=r.organisation.name,
        instrument_key=r.instrument_key,
        min_group_size=r.min_group_size,
        min_comment_group_size=r.min_comment_group_size,
        status=r.status,
        opens_on=r.opens_on,
        closes_on=r.closes_on,
        created_on=r.created_on,
        previous_campaign_id=r.previous_campaign_id,
        headcounts=dict(r.headcounts or {}),
        response_count=n,
        uid=r.uid,
        bundle_key=r.bundle_key,
        private_names=tuple(r.private_names or ()),
    )


def _batch(b: ImportBatch) -> Batch:
    return Batch(
        id=b.id,
        campaign_id=b.campaign_id,
        source=b.source,
        label=b.label or b.source,
        sheet=b.sheet,
        imported_on=b.imported_on,
        rows_read=b.rows_read,
        rows_added=b.rows_added,
        rows_skipped=b.rows_skipped,
        notices=list(b.notices or []),
        file_sha256=b.file_sha256,
    )


def _store_notices(*, key_matches: bool, same: int, removed: int) -> list[str]:
    """What the store tells about a batch besides the caller's notices."""
    out = []
    if not key_matches:
        out.append(
            "this computer does not hold the key this database's fingerprints were "
            "made with: responses stored elsewhere could not be recognised by their "
            "response id (see docs/importing.md)"
        )
    if same:
        out.append(
            f"{same} row{'s have' if same > 1 else ' has'} the same answers as a "
            "response already stored; kept, as different people (a row is a duplicate "
            "only with the same response id, time, form number or file)"
        )
    if removed:
        out.append(
            f"removed {removed} e-mail addresses, phone numbers, web addresses or names "
            "from comments (replaced by [removed])"
            if removed > 1
            else "removed 1 e-mail address, phone number, web address or name from "
            "the comments (replaced by [removed])"
        )
    return out


def _clean_comments(
    comments: dict[int, dict[str, str]], keep: list[int], names
) -> tuple[dict[int, dict[str, str]], int]:
    """The kept rows' non-blank comments (keyed by position in ``keep``), cleaned of
    identities, and how many identities were removed."""
    out: dict[int, dict[str, str]] = {}
    removed = 0
    for k, n in enumerate(keep):
        cs = comments.get(n)
        if not cs:
            continue
        for pid, body in cs.items():
            body = str(body).strip()
            if not body:
                continue
            cleaned, count = scrub(body, names)
            removed += count
            out.setdefault(k, {})[pid] = cleaned
    return out, removed


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
