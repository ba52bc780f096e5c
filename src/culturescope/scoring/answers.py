"""From stored raw answers to scored answers and person dimension scores.

See docs/design/scoring.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from culturescope.instruments import Instrument
from culturescope.storage import ResponseData

if TYPE_CHECKING:  # `score` reads the answers as an array and never loads pandas
    import pandas as pd

__all__ = ["checked_codes", "person_scores", "scored_answers", "scored_matrix"]


def _item_arrays(instrument: Instrument) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per item: scale points, N/A code (NaN if none) and reverse flag."""
    points = np.array([instrument.scale_of(i).points for i in instrument.items], dtype=float)
    na = np.array(
        [
            np.nan if instrument.scale_of(i).na_code is None else instrument.scale_of(i).na_code
            for i in instrument.items
        ],
        dtype=float,
    )
    reverse = np.array([i.reverse for i in instrument.items], dtype=bool)
    return points, na, reverse


def scored_matrix(
    instrument: Instrument, answers: pd.DataFrame | ResponseData
) -> tuple[np.ndarray, np.ndarray]:
    """Scored values and an N/A mask, as arrays in instrument item order.

    ``answers``: the raw answers frame (``ResponseData.answers``) or the responses
    themselves (read as an array, without building the frame).
    Returns ``(scored, is_na)``: ``scored`` is float (responses × items) with NaN for blank
    and N/A answers and reverse-keyed items turned round; ``is_na`` marks N/A answers.
    Raises ``ValueError`` naming the response and item for a code outside the scale.
    """
    item_ids = [i.id for i in instrument.items]
    if isinstance(answers, ResponseData):
        stored = answers.answer_codes()
        if stored is not None:
            return _scored_from_codes(instrument, stored, answers.response_ids())
        raw, ids = answers.answer_matrix(), answers.response_ids()
    else:
        raw = answers.reindex(columns=item_ids).to_numpy(dtype=float, copy=True)
        ids = answers.index.to_numpy()
    points, na, reverse = _item_arrays(instrument)
    is_na = raw == na[None, :]  # NaN never compares equal, so scales without N/A stay False
    raw[is_na] = np.nan
    bad = ~np.isnan(raw) & ((raw < 1) | (raw > points[None, :]) | (raw != np.round(raw)))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"response {ids[row]}, item {item_ids[col]}: {raw[row, col]:g} is not an "
            f"answer on its {int(points[col])}-point scale"
        )
    if reverse.any():
        # scored = (min + max) - raw, with min = 1 on every scale
        raw[:, reverse] = (1.0 + points[reverse])[None, :] - raw[:, reverse]
    return raw, is_na


def _scored_from_codes(
    instrument: Instrument, codes: np.ndarray, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`scored_matrix` from the store's raw codes (uint8, ``BLANK_CODE`` blank): the
    checks on small integers instead of floats, the same result bit for bit."""
    points, _, reverse = _item_arrays(instrument)
    is_na, given = _checked_codes(instrument, codes, ids)
    scored = codes.astype(float)
    scored[~given] = np.nan
    for j in np.flatnonzero(reverse):
        # scored = (min + max) - raw, with min = 1 on every scale; column by column, in place
        column = scored[:, j]
        np.subtract(1.0 + points[j], column, out=column)
    return scored, is_na


def checked_codes(instrument: Instrument, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The N/A mask of the store's raw codes, after :func:`scored_matrix`'s checks.

    For scoring that works on the codes themselves and never needs the float matrix
    (eight times their memory). Raises ``ValueError`` as :func:`scored_matrix` does.
    """
    return _checked_codes(instrument, codes, ids)[0]


def _checked_codes(
    instrument: Instrument, codes: np.ndarray, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(is_na, given)`` of raw codes; ValueError naming the first code off its scale."""
    from culturescope.storage.codes import BLANK_CODE

    points, na, _ = _item_arrays(instrument)
    # A scale without an N/A code gets one no stored answer has (codes are 0..35).
    na_code = np.array([BLANK_CODE - 1 if np.isnan(x) else int(x) for x in na], dtype=np.uint8)
    top = points.astype(np.uint8)
    is_na = codes == na_code[None, :]
    given = (codes != BLANK_CODE) & ~is_na
    bad = given & ((codes < 1) | (codes > top[None, :]))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"response {ids[row]}, item {instrument.items[col].id}: {float(codes[row, col]):g} "
            f"is not an answer on its {int(points[col])}-point scale"
        )
    return is_na, given


def scored_answers(data: ResponseData) -> pd.DataFrame:
    """Answers ready for scoring: reverse-keyed items turned round, N/A made missing.

    Parameters
    ----------
    data : ResponseData
        A campaign's responses as loaded by ``Store.load_responses``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data.answers``, one float column per instrument item (instrument
        order). Reverse-keyed items are scored ``(min + max) − raw``; the scale's
        "not applicable / don't know" code and blanks are NaN, never a number.

    Raises
    ------
    ValueError
        For a stored code that is not a point of the item's scale.
    """
    import pandas as pd

    scored, _ = scored_matrix(data.instrument, data)
    return pd.DataFrame(
        scored, index=data.answers.index, columns=[i.id for i in data.instrument.items]
    )


def person_scores_matrix(instrument: Instrument, scored: np.ndarray) -> np.ndarray:
    """Person × dimension scores from a scored matrix (see :func:`person_scores`)."""
    out = np.full((scored.shape[0], len(instrument.dimensions)), np.nan)
    col = {i.id: n for n, i in enumerate(instrument.items)}
    for d, dim in enumerate(instrument.dimensions):
        cols = [col[i.id] for i in instrument.items_of(dim.id)]
        if not cols:
            continue
        block = scored[:, cols]
        answered = (~np.isnan(block)).sum(axis=1)
        enough = answered * 2 >= len(cols)  # at least half of the dimension's items
        total = np.nansum(block, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, d] = np.where(enough & (answered > 0), total / answered, np.nan)
    return out


def person_scores(data: ResponseData) -> pd.DataFrame:
    """Each respondent's dimension scores.

    Parameters
    ----------
    data : ResponseData
        A campaign's responses.

    Returns
    -------
    pandas.DataFrame
        Index as ``data.answers``, one column per dimension id (instrument order). A
        score is the mean of the person's answered (scored, non-N/A) items of that
        dimension, and NaN unless they answered at least half of its items.
    """
    import pandas as pd

    scored, _ = scored_matrix(data.instrument, data)
    return pd.DataFrame(
        person_scores_matrix(data.instrument, scored),
        index=data.answers.index,
        columns=[d.id for d in data.instrument.dimensions],
    )
