"""Minimum group size and differencing protection (docs/design/confidentiality.md).

A group below the minimum is hidden. Hiding it is not enough when it can be recovered by
subtraction: parent (or total) minus the visible siblings equals the hidden set. So the
hidden siblings of a parent — together with the respondents of that parent who did not
state the breakdown value ("prefer not to say" or blank), who are never a group of their
own but are in the parent's total — must hold either nobody or at least the minimum. While
they hold fewer, the next-smallest visible sibling is hidden too.

Cross-tabs (e.g. team × role) follow the same rule per cell, within every parent along
every axis (the cells of one team, and the cells of one role), after first hiding every
cell whose team or whose role is hidden in the one-way breakdown, so that a cross-tab can
never be combined with a one-way result to recover a hidden group.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from culturescope import CultureScopeError
from culturescope.arrays import factorize
from culturescope.instruments.model import UNDISCLOSED
from culturescope.thresholds import MIN_GROUP_SIZE_FLOOR, ThresholdError, check_thresholds

if TYPE_CHECKING:  # pandas only for callers that hold DataFrames: `score` never loads it
    import pandas as pd

    from culturescope.storage import ResponseData

__all__ = [
    "MIN_GROUP_SIZE_FLOOR",
    "PROTECTED",
    "ConfidentialityError",
    "Labels",
    "Visibility",
    "breakdown_labels",
    "cell_codes",
    "check_filter",
    "check_min_group_size",
    "protect_breakdown",
    "protect_groups",
    "too_small",
]


#: The reason shown for a group hidden only so that a smaller one cannot be recovered.
PROTECTED = "hidden to protect a smaller group"

K = TypeVar("K", bound=Hashable)


class ConfidentialityError(CultureScopeError):
    """A request refused because it would reveal a group below the minimum size."""


@dataclass(frozen=True)
class Visibility:
    hidden: bool
    reason: str | None = None


VISIBLE = Visibility(False, None)


def too_small(min_group_size: int) -> str:
    """The reason shown for a group below the minimum, e.g. "fewer than 5 responses"."""
    return f"fewer than {min_group_size} responses"


def check_min_group_size(min_group_size: int) -> None:
    """Raise ``ConfidentialityError`` for a minimum below the floor (the one validator,
    :func:`culturescope.thresholds.check_thresholds`)."""
    try:
        check_thresholds(min_group_size)
    except ThresholdError as exc:
        raise ConfidentialityError(str(exc)) from None


def protect_groups(
    sizes: Mapping[K, int],
    *,
    parent_total: int | None = None,
    min_group_size: int = 5,
    already_hidden: Mapping[K, str] | None = None,
) -> dict[K, Visibility]:
    """Which sibling groups of one parent are hidden, and why.

    Parameters
    ----------
    sizes : mapping
        Group key → number of responses in the group (the siblings of one parent).
    parent_total : int, optional
        Responses in the parent (or the whole campaign). Respondents counted here but in no
        group — breakdown value not stated — form a hidden remainder that subtraction would
        reveal, so it counts towards the hidden set. Defaults to the sum of ``sizes``.
    min_group_size : int
        The minimum (default 5, never below 3).
    already_hidden : mapping, optional
        Groups that must be hidden anyway (key → reason), e.g. from another axis of a
        cross-tab.

    Returns
    -------
    dict
        Group key → :class:`Visibility`. Hidden groups below the minimum carry the reason
        "fewer than N responses"; siblings hidden to close a differencing gap carry
        "hidden to protect a smaller group".
    """
    check_min_group_size(min_group_size)
    total_in_groups = sum(int(v) for v in sizes.values())
    if any(int(v) < 0 for v in sizes.values()):
        raise ValueError("group sizes cannot be negative")
    parent = total_in_groups if parent_total is None else int(parent_total)
    remainder = parent - total_in_groups
    if remainder < 0:
        raise ValueError(
            f"the parent holds {parent} responses but its groups hold {total_in_groups}"
        )
    out: dict[K, Visibility] = {}
    for key, size in sizes.items():
        if size < min_group_size:
            out[key] = Visibility(True, too_small(min_group_size))
        elif already_hidden and key in already_hidden:
            out[key] = Visibility(True, already_hidden[key])
        else:
            out[key] = VISIBLE
    hidden_mass = remainder + sum(int(sizes[k]) for k, v in out.items() if v.hidden)
    # Smallest first; ties broken by the key's text so the outcome does not depend on order.
    visible = sorted((k for k, v in out.items() if not v.hidden), key=lambda k: (sizes[k], str(k)))
    while 0 < hidden_mass < min_group_size and visible:
        key = visible.pop(0)
        out[key] = Visibility(True, PROTECTED)
        hidden_mass += int(sizes[key])
    return out


def breakdown_labels(demographics: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The breakdown values of every response, with "not stated" as None.

    Blank, missing and "prefer not to say" answers are not a group of their own: they
    count in the overall result only (and, for confidentiality, in their parent's
    hidden remainder).
    """
    import pandas as pd

    out = pd.DataFrame(index=demographics.index)
    for column in by:
        if column not in demographics:
            out[column] = pd.Series(None, index=out.index, dtype=object)
            continue
        # Normalise each distinct value once, not each response.
        codes, uniques = pd.factorize(demographics[column], use_na_sentinel=True)
        stated = np.array([_stated(v) for v in uniques] + [None], dtype=object)
        out[column] = pd.Series(stated[codes], index=out.index, dtype=object)
    return out


def _stated(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return None if text in ("", UNDISCLOSED) else text


class Labels:
    """Breakdown labels as codes, the part of a DataFrame of labels that
    :func:`cell_codes` and the linked-table audit read: ``labels.columns``, ``len(labels)``,
    ``labels.shape``, ``labels[column]`` (an object array, None where not stated) and
    :meth:`factorized` (what ``pandas.factorize`` gives for that column, without it)."""

    def __init__(self, columns: dict[str, tuple[np.ndarray, list[str]]], n: int) -> None:
        self._columns = columns
        self._n = n

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    @property
    def shape(self) -> tuple[int, int]:
        return (self._n, len(self._columns))

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, column: str) -> np.ndarray:
        codes, uniques = self._columns[column]
        values: np.ndarray = np.array([*uniques, None], dtype=object)[codes]
        return values

    def factorized(self, column: str) -> tuple[np.ndarray, list[str]]:
        """``(codes, uniques)`` of the column: -1 where not stated, the labels in order of
        first appearance."""
        return self._columns[column]


def label_columns(data: ResponseData, by: Sequence[str]) -> Labels:
    """:func:`breakdown_labels` of a campaign's responses, as :class:`Labels` (the same
    values, worked out on each distinct value, not on every response)."""
    n = len(data)
    out: dict[str, tuple[np.ndarray, list[str]]] = {}
    for column in by:
        found = data.demographic_codes(column)
        if found is None:
            out[column] = (np.full(n, -1, dtype=np.intp), [])
            continue
        codes, uniques = found
        # The values' codes follow first appearance, so numbering their labels in code
        # order numbers them in order of first appearance too (None: not stated).
        stated = np.array([_stated(v) for v in uniques], dtype=object)
        label_codes, labels = factorize(stated)
        remap = np.append(label_codes, -1)  # code -1 (no value) stays not stated
        out[column] = (remap[codes], [str(v) for v in labels])
    return Labels(out, n)


def factorize_column(
    labels: pd.DataFrame | Labels, column: str
) -> tuple[np.ndarray, Sequence[object]]:
    """The codes and uniques of one column of labels, as ``pandas.factorize`` gives them
    (pandas' own for a DataFrame)."""
    if isinstance(labels, Labels):
        return labels.factorized(column)
    import pandas as pd

    codes, uniques = pd.factorize(labels[column], use_na_sentinel=True)
    return codes, list(uniques)


def cell_codes(labels: pd.DataFrame | Labels) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """The breakdown cells present in ``labels`` and each response's cell number.

    Returns ``(cells, codes)``: ``codes[i]`` indexes ``cells`` for response ``i``, or is
    -1 where a breakdown value is not stated (None).
    """
    n = len(labels)
    if labels.shape[1] == 0 or n == 0:
        return [], np.full(n, -1, dtype=np.int64)
    parts = [factorize_column(labels, c) for c in labels.columns]
    stated = np.all([codes >= 0 for codes, _ in parts], axis=0)
    dims = tuple(max(len(uniques), 1) for _, uniques in parts)
    combined = np.full(n, -1, dtype=np.int64)
    if stated.any():
        combined[stated] = np.ravel_multi_index(tuple(codes[stated] for codes, _ in parts), dims)
    present, inverse = np.unique(combined[stated], return_inverse=True)
    cells = [
        tuple(str(parts[i][1][x]) for i, x in enumerate(np.unravel_index(flat, dims)))
        for flat in present.tolist()
    ]
    out = np.full(n, -1, dtype=np.int64)
    out[stated] = inverse
    return cells, out


def _cell_counts(labels: pd.DataFrame) -> dict[tuple[str, ...], int]:
    cells, codes = cell_codes(labels)
    sizes = np.bincount(codes[codes >= 0], minlength=len(cells))
    return dict(zip(cells, sizes.tolist(), strict=True))


def protect_breakdown(
    labels: pd.DataFrame, *, min_group_size: int = 5
) -> dict[tuple[str, ...], Visibility]:
    """Visibility of every breakdown cell of a set of responses.

    Parameters
    ----------
    labels : pandas.DataFrame
        One row per response (all responses of the campaign), one column per breakdown
        demographic, None where not stated (see :func:`breakdown_labels`).
    min_group_size : int
        The minimum group size.

    Returns
    -------
    dict
        Cell key (a tuple with one value per column) → :class:`Visibility`, for every
        cell with at least one response.
    """
    check_min_group_size(min_group_size)
    columns = list(labels.columns)
    if not columns:
        return {}
    counts = _cell_counts(labels)
    if len(columns) == 1:
        return protect_groups(counts, parent_total=len(labels), min_group_size=min_group_size)

    forced = _hidden_by_a_coarser_breakdown(labels, counts, min_group_size)
    result = {
        cell: Visibility(True, forced[cell]) if cell in forced else VISIBLE for cell in counts
    }
    for cell, n in counts.items():
        if n < min_group_size:
            result[cell] = Visibility(True, too_small(min_group_size))
    _close_differences(labels, counts, result, min_group_size)
    return result


def _hidden_by_a_coarser_breakdown(
    labels: pd.DataFrame, counts: dict[tuple[str, ...], int], min_group_size: int
) -> dict[tuple[str, ...], str]:
    """Step 1 of :func:`protect_breakdown`: a cell whose projection on any coarser
    breakdown (one column fewer) is hidden is hidden too."""
    columns = list(labels.columns)
    forced: dict[tuple[str, ...], str] = {}
    for subset in combinations(range(len(columns)), len(columns) - 1):
        coarse = protect_breakdown(
            labels[[columns[i] for i in subset]], min_group_size=min_group_size
        )
        for cell in counts:
            vis = coarse.get(tuple(cell[i] for i in subset))
            if vis is not None and vis.hidden:
                forced.setdefault(cell, PROTECTED)
    return forced


def _close_differences(
    labels: pd.DataFrame,
    counts: dict[tuple[str, ...], int],
    result: dict[tuple[str, ...], Visibility],
    min_group_size: int,
) -> None:
    """Step 2 of :func:`protect_breakdown`, in place on ``result``: differencing within
    every parent along every axis (:func:`protect_groups`), until nothing changes."""
    columns = list(labels.columns)
    parent_counts = {
        axis: _cell_counts(labels[[c for i, c in enumerate(columns) if i != axis]])
        for axis in range(len(columns))
    }
    siblings_along: list[dict[tuple[str, ...], list[tuple[str, ...]]]] = []
    for axis in range(len(columns)):
        siblings: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for cell in counts:
            siblings.setdefault(cell[:axis] + cell[axis + 1 :], []).append(cell)
        siblings_along.append(siblings)
    changed = True
    while changed:
        changed = False
        for axis, siblings in enumerate(siblings_along):
            for parent, cells in siblings.items():
                hidden = {c: result[c].reason or PROTECTED for c in cells if result[c].hidden}
                decided = protect_groups(
                    {c: counts[c] for c in cells},
                    parent_total=parent_counts[axis][parent],
                    min_group_size=min_group_size,
                    already_hidden=hidden,
                )
                for c, vis in decided.items():
                    if vis.hidden and not result[c].hidden:
                        result[c] = vis
                        changed = True


def check_filter(
    selected: int,
    total: int,
    *,
    min_group_size: int = 5,
    description: str = "this filter",
) -> None:
    """Refuse a filter whose selection, or whose remainder, is below the minimum.

    Parameters
    ----------
    selected : int
        Responses the filter keeps.
    total : int
        Responses before filtering (the filter's parent).
    min_group_size : int
        The minimum group size.
    description : str
        How to name the filter in the message, e.g. ``"site = Lyon"``.

    Raises
    ------
    ConfidentialityError
        When 0 < selected < minimum (too few to show), or 0 < total − selected < minimum
        (the few left out could be recovered by subtracting the filtered result from the
        total).
    """
    check_min_group_size(min_group_size)
    if not 0 <= selected <= total:
        raise ValueError(f"selected ({selected}) must be between 0 and total ({total})")
    if 0 < selected < min_group_size:
        raise ConfidentialityError(
            f"{description} keeps only {selected} response{'s' * (selected != 1)}; results "
            f"are shown for at least {min_group_size}"
        )
    rest = total - selected
    if 0 < rest < min_group_size:
        raise ConfidentialityError(
            f"{description} would leave out only {rest} response{'s' * (rest != 1)}, whose "
            f"answers could be worked out by subtracting from the total; at least "
            f"{min_group_size} must be left out (or none)"
        )
