"""Reading responses: a campaign's answers, demographics and comments as DataFrames."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from culturescope.instruments import Instrument
from culturescope.storage.campaigns import CampaignRepository
from culturescope.storage.models import CommentRecord, ResponseRecord
from culturescope.storage.values import as_date, dumps

if TYPE_CHECKING:  # pandas and numpy load only when responses are read
    import pandas as pd


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


class ResponseDataRepository(CampaignRepository):
    """A campaign's stored responses, for scoring (frames) and for bundles (as stored)."""

    def load_responses(self, campaign_ref: str | int) -> ResponseData:
        """All responses of a campaign as DataFrames (see :class:`ResponseData`)."""
        import pandas as pd

        from culturescope.storage import codes

        camp = self.campaign(campaign_ref)
        inst = self.instrument(camp.instrument_key)
        item_ids = [i.id for i in inst.items]
        demographic_ids = [d.id for d in inst.demographics]
        with self.session() as s:
            rows = self._response_rows(s, camp.id)
            comments = s.execute(
                select(CommentRecord.response_id, CommentRecord.prompt_id, CommentRecord.text)
                .join(ResponseRecord, ResponseRecord.id == CommentRecord.response_id)
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(CommentRecord.id)
            ).all()
        # One pass over the rows turns them into columns; everything after works on those.
        columns = list(zip(*rows, strict=True)) if rows else [()] * 7
        rid, stored_answers, stored_demographics, source, source_ref, day, batch = columns
        ids = pd.Index(rid, name="response_id", dtype="int64")
        answers = pd.DataFrame(
            codes.decode(stored_answers, len(item_ids)), index=ids, columns=item_ids
        )
        demographics = _demographics_frame(list(stored_demographics), ids, demographic_ids)
        for d in inst.demographics:
            if d.free_text and d.id in demographics:
                demographics[d.id] = same_spelling(demographics[d.id])
        meta = pd.DataFrame(
            {
                "source": list(source),
                "source_ref": list(source_ref),
                "submitted_on": _by_distinct(list(day), as_date),
                "batch_id": list(batch),
            },
            index=ids,
        )
        comments_df = pd.DataFrame(comments, columns=["response_id", "prompt_id", "text"])
        return ResponseData(inst, answers, demographics, meta, comments_df)

    def _response_rows(self, s: Session, campaign_id: int) -> list[tuple[Any, ...]]:
        """A campaign's response rows as plain tuples, in id order."""
        columns = "id, answers, demographics, source, source_ref, submitted_on, batch_id"
        if self.is_sqlite:
            # The driver's own cursor: building 100,000 SQLAlchemy rows costs more than
            # reading them (the demographics arrive as JSON text, decoded once per value).
            driver = s.connection().connection.dbapi_connection
            assert driver is not None  # a checked-out connection always has one
            cursor = driver.cursor()
            try:
                # No ORDER BY: SQLite would copy every row into a temporary sort tree.
                # The rows arrive in the (campaign, batch) index's order, which is id
                # order unless batches were stored out of turn; sorted here if not.
                cursor.execute(
                    f"SELECT {columns} FROM responses WHERE campaign_id = ?", (campaign_id,)
                )
                rows = list(cursor.fetchall())
            finally:
                cursor.close()
            if any(rows[n][0] > rows[n + 1][0] for n in range(len(rows) - 1)):
                rows.sort(key=lambda row: row[0])
            return rows
        result = s.execute(
            text(f"SELECT {columns} FROM responses WHERE campaign_id = :c ORDER BY id"),
            {"c": campaign_id},
        )
        return [tuple(row) for row in result]

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
                "submitted_on": as_date(r.submitted_on),
                "fingerprint": r.fingerprint,
            }
            for r in rows
        ]


def _demographics_frame(values: list[Any], index: pd.Index, columns: list[str]) -> pd.DataFrame:
    """One column per demographic from the stored JSON objects, decoding each distinct
    object once (a campaign has few: teams × roles × sites)."""
    import numpy as np
    import pandas as pd

    keys = [v if isinstance(v, str) else dumps(v) for v in values]
    positions, distinct = pd.factorize(np.array(keys, dtype=object), use_na_sentinel=False)
    decoded = [json.loads(k) if isinstance(k, str) else {} for k in distinct]
    frame = {}
    for column in columns:
        cells = np.array([_cell(d.get(column)) for d in decoded] or [None], dtype=object)
        frame[column] = cells[positions] if len(values) else np.array([], dtype=object)
    return pd.DataFrame(frame, index=index, columns=columns, dtype=object)


def _cell(value: Any) -> Any:
    """A demographic value as the frame holds it: None for missing or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _by_distinct(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``[convert(v) for v in values]``, calling ``convert`` once per distinct value."""
    done: dict[Any, Any] = {}
    out = []
    for v in values:
        try:
            out.append(done[v])
        except KeyError:
            out.append(done.setdefault(v, convert(v)))
    return out


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
