"""The fast read path: a campaign and its responses from a SQLite file with :mod:`sqlite3`.

``culturescope score`` is one process per question: importing SQLAlchemy and its ORM
models costs it more than reading 100,000 responses. When the database is a SQLite file
whose schema is current, :func:`open_reader` reads what scoring needs — the campaign,
its instrument, its responses — with the standard library's driver and returns the same
records and frames as :class:`~culturescope.storage.Store` (shared code in
:mod:`.frames`). Anything else (a server database, a file not made yet, a schema that
needs migrating, a file that cannot be opened now) returns None and the caller opens the
full store, which migrates, reports and waits as usual.

It never writes: the file is opened with ``mode=rw`` only so that a missing file is not
created, and every read of one call runs in one read snapshot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from culturescope.instruments import Instrument, parse_instrument
from culturescope.result_cache import sqlite_file
from culturescope.storage.campaign_names import stored_name
from culturescope.storage.errors import DatabaseError, StoreError, UnknownCampaign
from culturescope.storage.frames import (
    Meta,
    ResponseData,
    columnar_data,
    response_data,
    sqlite_rows,
)
from culturescope.storage.records import Campaign
from culturescope.storage.schema import schema_head
from culturescope.storage.values import as_date

if TYPE_CHECKING:
    import numpy as np

#: Everything scoring reads of a campaign's responses in one row, from one scan of the
#: campaign's rows: the count, ids, answer strings joined (and how many are not one
#: character per item), demographics objects joined by a separator that JSON text cannot
#: hold unescaped (and how many hold it all the same).
_SEPARATOR = "\x1e"
_AGGREGATE = (
    "SELECT count(*), group_concat(id), group_concat(answers, ''), sum(length(answers) <> ?), "
    "group_concat(demographics, char(30)), sum(instr(demographics, char(30)) > 0) "
    "FROM responses WHERE campaign_id = ?"
)
_COMMENTS = (
    "SELECT c.response_id, c.prompt_id, c.text FROM comments c "
    "JOIN responses r ON r.id = c.response_id WHERE r.campaign_id = ? ORDER BY c.id"
)

#: How long a read waits for a writer that holds the file (seconds), as the full store.
BUSY_TIMEOUT = 30.0

_CAMPAIGN = (
    "SELECT c.id, c.name, o.name, c.instrument_key, c.min_group_size, "
    "c.min_comment_group_size, c.status, c.opens_on, c.closes_on, c.created_on, "
    "c.previous_campaign_id, c.headcounts, c.uid, c.bundle_key, c.private_names "
    "FROM campaigns c JOIN organisations o ON o.id = c.organisation_id "
)


class Reader:
    """Read-only access to one SQLite database at the current schema (see module doc).

    Offers the part of :class:`~culturescope.storage.Store`'s interface that scoring reads:
    :meth:`campaign`, :meth:`instrument`, :meth:`load_responses` and :meth:`close`.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._con = connection
        self.file = path
        self._instruments: dict[str, Instrument] = {}
        self._closed = False

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction; a database error becomes a :class:`DatabaseError`."""
        if self._closed:
            raise StoreError("the database reader was closed; open the store again to read")
        try:
            self._con.execute("BEGIN")
            try:
                yield self._con
            finally:
                self._con.rollback()  # nothing was written: ends the read snapshot
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"could not read the database {self.file} ({exc}); check that the file is "
                "readable and not damaged"
            ) from None

    def campaign(self, ref: str | int) -> Campaign:
        """Campaign by name or id (as :meth:`Store.campaign <culturescope.storage.Store>`)."""
        with self._snapshot() as con:
            return _campaign(con, ref)

    def instrument(self, key: str) -> Instrument:
        with self._snapshot() as con:
            return self._instrument(con, key)

    def _instrument(self, con: sqlite3.Connection, key: str) -> Instrument:
        # A stored version never changes, so it is parsed only once.
        cached = self._instruments.get(key)
        if cached is not None:
            return cached
        row = con.execute("SELECT source_yaml FROM instruments WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StoreError(f"instrument {key} is not in this database")
        parsed = parse_instrument(row[0], source=f"stored instrument {key}")
        self._instruments[key] = parsed
        return parsed

    def load_responses(self, campaign_ref: str | int) -> ResponseData:
        """All responses of a campaign (see :class:`ResponseData`).

        The answers and demographics are read at once, in one aggregate query (a few long
        strings instead of 100,000 row objects); each response's source, date and batch
        (``meta``) and the comments are read when first asked for, which needs this
        reader still open. Scoring asks for neither.
        """
        import numpy as np

        from culturescope.storage import codes

        with self._snapshot() as con:
            camp = _campaign(con, campaign_ref)
            inst = self._instrument(con, camp.instrument_key)
            k = len(inst.items)
            n, ids, answers, uneven, demographics, marked = con.execute(
                _AGGREGATE, (k, camp.id)
            ).fetchone()
            if n and (uneven or marked):
                # Rows stored before the instrument changed length, or a separator within
                # a demographics text: row by row.
                rows, comments = sqlite_rows(con, camp.id)
                return response_data(inst, rows, comments)
        if not n:
            return response_data(inst, [], [])
        id_array = np.fromstring(ids, dtype=np.int64, sep=",")
        answer_codes = codes.decode_joined(answers, n, k)
        stored = demographics.split(_SEPARATOR)
        if n > 1 and (id_array[1:] < id_array[:-1]).any():  # batches stored out of turn
            order = np.argsort(id_array, kind="stable")
            id_array, answer_codes = id_array[order], answer_codes[order]
            stored = [stored[i] for i in order.tolist()]
        return columnar_data(
            inst,
            id_array,
            answer_codes,
            stored,
            meta=lambda: self._meta(camp.id, id_array),
            comments=lambda: self._comments(camp.id),
        )

    def _meta(self, campaign_id: int, ids: np.ndarray) -> Meta:
        """Source, source_ref, submitted_on and batch_id of the responses ``ids``."""
        with self._snapshot() as con:
            rows = {
                row[0]: row[1:]
                for row in con.execute(
                    "SELECT id, source, source_ref, submitted_on, batch_id FROM responses "
                    "WHERE campaign_id = ?",
                    (campaign_id,),
                )
            }
        try:
            ordered = [rows[i] for i in ids.tolist()]
        except KeyError:
            raise StoreError(
                "responses were deleted after they were read: read the campaign again"
            ) from None
        if not ordered:
            return [], [], [], []
        source, source_ref, day, batch = zip(*ordered, strict=True)
        return source, source_ref, day, batch

    def _comments(self, campaign_id: int) -> list[tuple[Any, ...]]:
        with self._snapshot() as con:
            return list(con.execute(_COMMENTS, (campaign_id,)))

    def close(self) -> None:
        self._con.close()
        self._closed = True


def open_reader(db: str | None) -> Reader | None:
    """A :class:`Reader` on the database ``db`` names if it is fast to read, else None.

    Parameters
    ----------
    db : str or None
        ``--db`` as given: a SQLite file or URL (None: ``CULTURESCOPE_DB`` or the default
        database), resolved as the full store resolves it.

    Returns
    -------
    Reader or None
        None unless ``db`` is an existing SQLite file at the current schema that can be
        opened now: then the caller opens the full :class:`~culturescope.storage.Store`.
    """
    path = sqlite_file(db)
    head = schema_head()
    if path is None or head is None:
        return None
    try:
        con = sqlite3.connect(
            f"{path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:  # not a CultureScope database yet, locked, damaged: the full store
        row = None
    if row is None or row[0] != head:
        con.close()
        return None
    return Reader(con, path)


def _campaign(con: sqlite3.Connection, ref: str | int) -> Campaign:
    if isinstance(ref, int):
        row = con.execute(_CAMPAIGN + "WHERE c.id = ?", (ref,)).fetchone()
    else:
        row = con.execute(_CAMPAIGN + "WHERE c.name = ?", (ref,)).fetchone()
        if row is None:  # typed in other capitals or spacing (see .campaign_names)
            name = stored_name(ref, (n for (n,) in con.execute("SELECT name FROM campaigns")))
            if name is not None:
                row = con.execute(_CAMPAIGN + "WHERE c.name = ?", (name,)).fetchone()
    if row is None:
        names = ", ".join(n for (n,) in con.execute("SELECT name FROM campaigns")) or "none yet"
        raise UnknownCampaign(f"no campaign '{ref}' (campaigns: {names})")
    count = con.execute("SELECT count(*) FROM responses WHERE campaign_id = ?", (row[0],))
    headcounts, private_names = _json(row[11]), _json(row[14])
    return Campaign(
        id=row[0],
        name=row[1],
        organisation=row[2],
        instrument_key=row[3],
        min_group_size=row[4],
        min_comment_group_size=row[5],
        status=row[6],
        opens_on=as_date(row[7]),
        closes_on=as_date(row[8]),
        created_on=as_date(row[9]),  # type: ignore[arg-type]  # never NULL
        previous_campaign_id=row[10],
        headcounts=dict(headcounts or {}),
        response_count=count.fetchone()[0] or 0,
        uid=row[12],
        bundle_key=row[13],
        private_names=tuple(private_names or ()),
    )


def _json(value: str | None) -> Any:
    """A JSON column's value as SQLAlchemy's JSON type reads it (SQL NULL: None)."""
    return None if value is None else json.loads(value)
