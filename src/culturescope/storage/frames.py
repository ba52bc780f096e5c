"""A campaign's responses as DataFrames (:class:`ResponseData`), built from the rows as
stored. Shared by the full store and the fast read path (:mod:`.reader`); imports neither
SQLAlchemy nor, until responses are actually read, pandas."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from culturescope.instruments import Instrument
from culturescope.storage.values import as_date, dumps

if TYPE_CHECKING:  # pandas and numpy load only when responses are read
    import pandas as pd

#: The columns of a stored response row, in the order :func:`response_data` takes them.
RESPONSE_COLUMNS = "id, answers, demographics, source, source_ref, submitted_on, batch_id"


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


def sqlite_rows(
    connection: Any, campaign_id: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """A campaign's response rows (:data:`RESPONSE_COLUMNS`, id order) and comments
    (response id, prompt id, text; in id order) through a SQLite DB-API connection."""
    cursor = connection.cursor()
    try:
        # No ORDER BY: SQLite would copy every row into a temporary sort tree. The rows
        # arrive in the (campaign, batch) index's order, which is id order unless batches
        # were stored out of turn; sorted here if not.
        cursor.execute(
            f"SELECT {RESPONSE_COLUMNS} FROM responses WHERE campaign_id = ?", (campaign_id,)
        )
        rows = list(cursor.fetchall())
        cursor.execute(
            "SELECT c.response_id, c.prompt_id, c.text FROM comments c "
            "JOIN responses r ON r.id = c.response_id WHERE r.campaign_id = ? ORDER BY c.id",
            (campaign_id,),
        )
        comments = list(cursor.fetchall())
    finally:
        cursor.close()
    if any(rows[n][0] > rows[n + 1][0] for n in range(len(rows) - 1)):
        rows.sort(key=lambda row: row[0])
    return rows, comments


def response_data(
    inst: Instrument, rows: Sequence[Sequence[Any]], comments: Sequence[Sequence[Any]]
) -> ResponseData:
    """The frames of a campaign's responses from its stored rows (columns
    :data:`RESPONSE_COLUMNS`, in id order) and comments (response id, prompt id, text)."""
    import pandas as pd

    from culturescope.storage import codes

    item_ids = [i.id for i in inst.items]
    demographic_ids = [d.id for d in inst.demographics]
    # One pass over the rows turns them into columns; everything after works on those.
    columns = list(zip(*rows, strict=True)) if rows else [()] * 7
    rid, stored_answers, stored_demographics, source, source_ref, day, batch = columns
    ids = pd.Index(rid, name="response_id", dtype="int64")
    answers = pd.DataFrame(codes.decode(stored_answers, len(item_ids)), index=ids, columns=item_ids)
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
