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

if TYPE_CHECKING:  # pandas loads only when a frame is asked for, numpy when data is read
    import numpy as np
    import pandas as pd

#: The source, source_ref, submitted_on and batch_id columns of stored responses.
Meta = tuple[Sequence[Any], Sequence[Any], Sequence[Any], Sequence[Any]]

#: The columns of a stored response row, in the order :func:`response_data` takes them.
RESPONSE_COLUMNS = "id, answers, demographics, source, source_ref, submitted_on, batch_id"


class ResponseData:
    """A campaign's responses, ready for scoring.

    ``answers``: index ``response_id``, one float column per instrument item (in instrument
    order) holding the raw code; NaN where blank; N/A kept as the scale's N/A code.
    ``demographics``: same index, one column per demographic id (option id or text; None if
    unanswered). ``meta``: ``source``, ``source_ref``, ``submitted_on``, ``batch_id``.
    ``comments``: columns ``response_id``, ``prompt_id``, ``text``.

    Read from the store, the frames are built on first use from the decoded columns, and
    scoring reads those columns directly (:meth:`answer_matrix`, :meth:`demographic`):
    ``culturescope score`` then never imports pandas.
    """

    def __init__(
        self,
        instrument: Instrument,
        answers: pd.DataFrame,
        demographics: pd.DataFrame,
        meta: pd.DataFrame,
        comments: pd.DataFrame,
    ) -> None:
        self.instrument = instrument
        self._frames: dict[str, pd.DataFrame] = {
            "answers": answers,
            "demographics": demographics,
            "meta": meta,
            "comments": comments,
        }
        self._columns: _Columns | None = None

    @classmethod
    def _of_columns(cls, instrument: Instrument, columns: _Columns) -> ResponseData:
        data = cls.__new__(cls)
        data.instrument = instrument
        data._frames = {}
        data._columns = columns
        return data

    def _frame(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            assert self._columns is not None  # built from columns when not given
            frame = self._frames[name] = self._columns.frame(name, self.instrument)
        return frame

    @property
    def answers(self) -> pd.DataFrame:
        return self._frame("answers")

    @property
    def demographics(self) -> pd.DataFrame:
        return self._frame("demographics")

    @property
    def meta(self) -> pd.DataFrame:
        return self._frame("meta")

    @property
    def comments(self) -> pd.DataFrame:
        return self._frame("comments")

    def __len__(self) -> int:
        if self._columns is not None:
            return len(self._columns.ids)
        return len(self.answers)

    def response_ids(self) -> np.ndarray:
        """The responses' ids in row order (the index of :attr:`answers`)."""
        if self._columns is not None:
            return self._columns.ids
        return self.answers.index.to_numpy()

    def answer_matrix(self) -> np.ndarray:
        """A new float matrix (responses × items, instrument item order) of the raw codes:
        :attr:`answers` as an array, without building the frame."""
        if self._columns is not None:
            from culturescope.storage import codes

            return codes.as_float(self._columns.codes)
        item_ids = [i.id for i in self.instrument.items]
        return self.answers.reindex(columns=item_ids).to_numpy(dtype=float, copy=True)

    def answer_codes(self) -> np.ndarray | None:
        """The raw codes as read from the store (uint8, responses × items, instrument item
        order; ``codes.BLANK_CODE`` where blank), or None for data given as frames. Not a
        copy: read only."""
        return self._columns.codes if self._columns is not None else None

    def demographic(self, column: str) -> np.ndarray | None:
        """One demographic's values in row order (object array, None where unanswered),
        or None when the frame has no such column."""
        if self._columns is not None:
            return self._columns.column(column)
        frame = self.demographics
        if column not in frame:
            return None
        return frame[column].reindex(self.answers.index).to_numpy(dtype=object)

    def demographic_codes(self, column: str) -> tuple[np.ndarray, list[Any]] | None:
        """``culturescope.arrays.factorize(self.demographic(column))``; read from the
        store, worked out on the few distinct demographics objects, not every response."""
        if self._columns is not None:
            return self._columns.factorized(column)
        from culturescope.arrays import factorize

        values = self.demographic(column)
        return None if values is None else factorize(values)


@dataclass(frozen=True)
class _Columns:
    """The decoded columns of stored responses; the frames are made from them on demand."""

    ids: np.ndarray  # int64, id order
    codes: np.ndarray  # uint8 (responses × items), raw codes, codes.BLANK_CODE blank
    #: Each response's demographics object, numbered in order of first appearance.
    positions: np.ndarray
    #: Per demographic id, its value in each distinct object (object array).
    cells: dict[str, np.ndarray]
    meta: Callable[[], Meta]
    comments: Callable[[], Sequence[Sequence[Any]]]

    def column(self, name: str) -> np.ndarray | None:
        """A demographic's value for every response (object array), or None."""
        cells = self.cells.get(name)
        return None if cells is None else cells[self.positions]

    def factorized(self, name: str) -> tuple[np.ndarray, list[Any]] | None:
        """``factorize(self.column(name))`` from the distinct objects: they are numbered
        in order of first appearance, so a value's first object is its first response."""
        from culturescope.arrays import factorize

        cells = self.cells.get(name)
        if cells is None:
            return None
        codes, uniques = factorize(cells)
        by_response: np.ndarray = codes[self.positions]
        return by_response, uniques

    def frame(self, name: str, inst: Instrument) -> pd.DataFrame:
        import pandas as pd

        ids = pd.Index(self.ids, name="response_id", dtype="int64")
        if name == "answers":
            from culturescope.storage import codes

            values = codes.as_float(self.codes)
            return pd.DataFrame(values, index=ids, columns=[i.id for i in inst.items])
        if name == "demographics":
            columns = [d.id for d in inst.demographics]
            return pd.DataFrame(
                {c: self.column(c) for c in columns}, index=ids, columns=columns, dtype=object
            )
        if name == "meta":
            source, source_ref, day, batch = self.meta()
            return pd.DataFrame(
                {
                    "source": list(source),
                    "source_ref": list(source_ref),
                    "submitted_on": _by_distinct(list(day), as_date),
                    "batch_id": list(batch),
                },
                index=ids,
            )
        return pd.DataFrame(list(self.comments()), columns=["response_id", "prompt_id", "text"])


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
    """A campaign's responses from its stored rows (columns :data:`RESPONSE_COLUMNS`, in
    id order) and comments (response id, prompt id, text): decoded to arrays here, the
    frames built when first asked for."""
    import numpy as np

    from culturescope.storage import codes

    # One pass over the rows turns them into columns; everything after works on those.
    columns = list(zip(*rows, strict=True)) if rows else [()] * 7
    rid, stored_answers, stored_demographics, source, source_ref, day, batch = columns
    return columnar_data(
        inst,
        np.array(rid, dtype=np.int64),
        codes.decode_codes(stored_answers, len(inst.items)),
        list(stored_demographics),
        meta=lambda: (source, source_ref, day, batch),
        comments=lambda: comments,
    )


def columnar_data(
    inst: Instrument,
    ids: np.ndarray,
    answer_codes: np.ndarray,
    stored_demographics: list[Any],
    *,
    meta: Callable[[], Meta],
    comments: Callable[[], Sequence[Sequence[Any]]],
) -> ResponseData:
    """:class:`ResponseData` from decoded columns in id order: the ids, the raw answer codes
    (:func:`~culturescope.storage.codes.decode_codes`), the stored demographics objects;
    ``meta()`` (source, source_ref, submitted_on, batch_id columns) and ``comments()``
    are called when their frames are first asked for."""
    import numpy as np

    positions, cells = _demographic_cells(stored_demographics, [d.id for d in inst.demographics])
    # Responses per distinct object: free-text spellings are merged by how many people
    # used each, exactly as over the whole column.
    weights = np.bincount(positions, minlength=len(next(iter(cells.values()), [])))
    for d in inst.demographics:
        if d.free_text and d.id in cells:
            cells[d.id] = same_spelling_values(cells[d.id], weights=weights)
    return ResponseData._of_columns(
        inst,
        _Columns(
            ids=ids,
            codes=answer_codes,
            positions=positions,
            cells=cells,
            meta=meta,
            comments=comments,
        ),
    )


def _demographic_cells(
    values: list[Any], columns: list[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each response's demographics object (numbered in order of first appearance) and,
    per demographic, its value in each distinct object, decoding each distinct object once
    (a campaign has few: teams × roles × sites)."""
    import numpy as np

    from culturescope.arrays import factorize

    try:  # SQLite hands back the JSON text
        positions, distinct = factorize(np.array(values, dtype=object))
    except TypeError:  # other databases decode it to (unhashable) dicts
        keys = [v if isinstance(v, str) else dumps(v) for v in values]
        positions, distinct = factorize(np.array(keys, dtype=object))
    decoded = [json.loads(k) for k in distinct]
    cells = {
        column: np.array([_cell(d.get(column)) for d in decoded] or [None], dtype=object)
        for column in columns
    }
    return positions, cells


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
    import pandas as pd

    mapped = same_spelling_values(values.to_numpy(dtype=object))
    return pd.Series(mapped, index=values.index, name=values.name, dtype=object)


def same_spelling_values(values: np.ndarray, *, weights: np.ndarray | None = None) -> np.ndarray:
    """:func:`same_spelling` of an object array (None where unanswered); ``weights``: how
    many responses each value stands for (default one each), the values then being in the
    order in which their responses first appear, so that ties go the same way."""
    import numpy as np

    from culturescope.arrays import factorize

    codes, uniques = factorize(values)
    if len(uniques) == 0:
        return values
    known = codes >= 0
    counts = np.bincount(
        codes[known], weights=None if weights is None else weights[known], minlength=len(uniques)
    )
    tidy = [" ".join(str(u).split()) for u in uniques]
    best: dict[str, str] = {}
    for n in sorted(range(len(uniques)), key=lambda n: (-counts[n], n)):
        best.setdefault(tidy[n].casefold(), tidy[n])
    mapped = np.array([best[t.casefold()] for t in tidy] + [None], dtype=object)
    out: np.ndarray = mapped[codes]
    return out
