"""What a list of individual responses may show of their demographics.

A list of responses (the Responses page) shows every row's answers and response number, so
its demographic columns are a cross-tab at the level of single rows: whatever columns are
shown, in any views joined by response number, must single out no fewer than the minimum.
:func:`shown_demographics` decides, once per load, which demographic values of every
response may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from culturescope.instruments import Demographic
from culturescope.scoring.confidentiality.audit import campaign_audit, nesting_order
from culturescope.scoring.confidentiality.rules import (
    PROTECTED,
    breakdown_labels,
    cell_codes,
    protect_breakdown,
    too_small,
)
from culturescope.storage import ResponseData

__all__ = ["NOT_SHOWN", "ShownColumn", "in_words", "shown_demographics"]

#: The text of a demographic value that may not be shown.
NOT_SHOWN = "(not shown)"


@dataclass(frozen=True)
class ShownColumn:
    """What may be shown of one demographic, per response (arrays in response order).

    Attributes
    ----------
    id, label : str
        The demographic and its label.
    texts : numpy.ndarray
        Per response: the option label (or free-text value), "" (not stated, where that
        reveals nothing) or :data:`NOT_SHOWN`.
    why : str
        The one tooltip of every "(not shown)" cell of the column ("" if none).
    groups : numpy.ndarray
        Per response: the shown value (id), None where not shown or not stated.
    visible : tuple of (str, int)
        The shown values with their number of responses.
    """

    id: str
    label: str
    texts: np.ndarray
    why: str
    groups: np.ndarray
    visible: tuple[tuple[str, int], ...]


def in_words(labels: list[str]) -> str:
    """Labels as one lower-case phrase: "team, role and site"."""
    low = [x.lower() for x in labels]
    return low[0] if len(low) == 1 else f"{', '.join(low[:-1])} and {low[-1]}"


def shown_demographics(data: ResponseData, min_group_size: int) -> dict[str, ShownColumn]:
    """What a list of responses may show of each demographic of every response, vectorised.

    The demographics are nested in the instrument's order with the team first. The k-th
    value of a response is shown where its cell of the breakdown by the first k is shown
    by :func:`~culturescope.scoring.confidentiality.protect_breakdown` (the rule of a
    cross-tab, per cell, along every axis, hidden wherever a coarser breakdown hides it,
    "not stated" counted in the hidden remainder exactly as in the scores). A response
    therefore shows a leading run of its demographics. Then, as a guard on that rule, a
    group of any combination of demographics (or the whole campaign) with some responses
    shown and fewer than the minimum (but some) not shown at some depth — which
    subtracting the page from a score breakdown would reveal — is closed by hiding its
    smallest shown cell there too. Not stated reads "" only where nothing else of its
    parent is hidden (the parent minus its shown children is then exactly the not-stated
    rows, at least the minimum); otherwise "(not shown)".

    Every level is also hidden wherever the campaign's linked-table audit hides that
    group: the first two are score breakdowns (a team, a team × role cell), and the
    deeper ones are part of the audited family for this page
    (:func:`~culturescope.scoring.confidentiality.audit.nesting_chains`). So the groups of
    rows the page labels, combined with every figure the scores show, never determine
    fewer than the minimum people.

    Returns
    -------
    dict
        Demographic id → :class:`ShownColumn`, in the nesting order.
    """

    inst = data.instrument
    # Team first: the chains the linked-table audit protects.
    order = [inst.demographic_by_id[d] for d in nesting_order(inst)]
    nesting = _Nesting.of(data, order, min_group_size)
    nesting.close_gaps()
    return {d.id: nesting.column(k) for k, d in enumerate(order)}


#: Per level: each response's value code (-1 not stated) and the values.
_Own = tuple[np.ndarray, pd.Index]


@dataclass
class _Nesting:
    """The nested breakdowns of :func:`shown_demographics` and how deep each response's
    demographics may be shown (``depth``: its first ``depth`` values are shown)."""

    order: list[Demographic]
    min_group_size: int
    own: list[_Own]
    #: Per level: the cells by the first k demographics, and each response's cell.
    prefixes: list[tuple[list[tuple[str, ...]], np.ndarray]]
    depth: np.ndarray
    #: Per level: why some of its values are hidden.
    reasons: list[set[str | None]]

    @classmethod
    def of(cls, data: ResponseData, order: list[Demographic], min_group_size: int) -> _Nesting:
        """Step 1, nested cross-tabs: is the k-th value shown, and why not."""
        ids = [d.id for d in order]
        index = data.answers.index
        n = len(index)
        audit = campaign_audit(data, min_group_size=min_group_size) if n else None
        groups = breakdown_labels(data.demographics.reindex(index), ids)
        own: list[_Own] = []
        for column in ids:
            codes, values = pd.factorize(groups[column], use_na_sentinel=True)
            own.append((codes, values))
            # The same values, factorised once: the breakdowns below count them many times.
            groups[column] = pd.Categorical.from_codes(codes, categories=values)
        shown = np.zeros((n, len(ids)), dtype=bool)
        reasons: list[set[str | None]] = []
        prefixes = []
        for k in range(len(ids)):
            cells, codes = cell_codes(groups[ids[: k + 1]])
            prefixes.append((cells, codes))
            visibility = protect_breakdown(groups[ids[: k + 1]], min_group_size=min_group_size)
            verdicts = [visibility[c] for c in cells]
            if audit is not None:
                linked = [audit.visibility(audit.key(ids[: k + 1], c)) for c in cells]
                verdicts = [
                    v if v.hidden or not w.hidden else w
                    for v, w in zip(verdicts, linked, strict=True)
                ]
            ok = np.array([not v.hidden for v in verdicts] + [False], dtype=bool)
            shown[:, k] = ok[codes]
            reasons.append({v.reason for v in verdicts if v.hidden})
        depth = np.cumprod(shown, axis=1).sum(axis=1) if ids else np.zeros(n, dtype=int)
        return cls(order, min_group_size, own, prefixes, depth, reasons)

    def close_gaps(self) -> None:
        """Step 2, belt and braces: no group of any combination of demographics (or the
        whole campaign) may have some of its responses shown at some depth and fewer than
        the minimum (but some) not shown there — a score breakdown minus the page would
        reveal those few, and within the page they would be a small "(not shown)" set.
        Hiding one more whole shown cell of such a group closes it without opening
        another; repeat until none is left. (protect_breakdown leaves none: this only
        guards the rule.)"""
        groupings = self._groupings()
        changed = True
        while changed:
            changed = False
            for level, stated, cell, size in groupings:
                out_of_view = self.depth[stated] < level
                left_out = np.bincount(cell, weights=out_of_view, minlength=len(size))
                gap = (left_out > 0) & (left_out < self.min_group_size) & (left_out < size)
                if gap.any():
                    self._hide_smallest_shown_cell(level, stated, cell, out_of_view, gap)
                    changed = True

    def _groupings(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(level, stated rows, their group, group sizes) for every combination of
        demographics and every level deeper than the combination's last."""
        n, levels, own = len(self.depth), len(self.order), self.own
        groupings = []
        for r in range(levels + 1):
            for subset in combinations(range(levels), r):  # () is the whole campaign
                if subset:
                    stated = np.flatnonzero(np.all([own[j][0] >= 0 for j in subset], axis=0))
                    dims = tuple(max(len(own[j][1]), 1) for j in subset)
                    key = np.ravel_multi_index(tuple(own[j][0][stated] for j in subset), dims)
                    key, cell = np.unique(key, return_inverse=True)
                else:
                    stated, cell = np.arange(n), np.zeros(n, dtype=np.int64)
                size = np.bincount(cell, minlength=1)
                for level in range(max(subset, default=0) + 1, levels + 1):
                    groupings.append((level, stated, cell, size))
        return groupings

    def _hide_smallest_shown_cell(
        self,
        level: int,
        stated: np.ndarray,
        cell: np.ndarray,
        out_of_view: np.ndarray,
        gap: np.ndarray,
    ) -> None:
        """Hide the smallest shown cell of each group in ``gap``: a shown cell holds at
        least the minimum, so then the group leaves out at least that many."""
        cells, codes = self.prefixes[level - 1]
        for g in np.flatnonzero(gap):
            rows = stated[(cell == g) & ~out_of_view]
            found, sizes = np.unique(codes[rows], return_counts=True)
            pick = min(range(len(found)), key=lambda j: (sizes[j], str(cells[found[j]])))
            self.depth[rows[codes[rows] == found[pick]]] = level - 1
        self.reasons[level - 1].add(PROTECTED)

    def column(self, k: int) -> ShownColumn:
        """Step 3: the texts, tooltip, groups and visible values of the k-th demographic."""
        d, depth = self.order[k], self.depth
        codes, values = self.own[k]
        names = {o.id: o.label for o in d.options}
        texts = np.array([names.get(v, v) for v in values] + [""], dtype=object)
        text = np.where(depth > k, texts[codes], NOT_SHOWN).astype(object)
        # Not stated, under a shown parent (or the whole campaign): "" when nothing else
        # of that parent is hidden.
        silent = (codes < 0) & (depth == k)
        if silent.any():
            parent = self.prefixes[k - 1][1] if k else np.zeros(len(depth), dtype=np.int64)
            hidden_child = (codes >= 0) & (depth == k)  # stated, under a shown parent
            spoilt = np.zeros(max(int(parent.max(initial=0)) + 1, 1), dtype=bool)
            spoilt[parent[hidden_child]] = True
            blank = silent & (parent >= 0) & ~spoilt[np.maximum(parent, 0)]
            text[blank] = ""
        hidden_rows = text == NOT_SHOWN
        keys = np.array(list(values) + [None], dtype=object)
        # numpy's stubs reject None, which np.where takes as an object scalar.
        group = np.where(depth > k, keys[codes], None).astype(object)  # type: ignore[call-overload]
        sizes = np.bincount(codes[depth > k], minlength=len(values))
        visible = sorted(
            ((str(v), int(sizes[j])) for j, v in enumerate(values) if sizes[j]),
            key=lambda kv: (kv[0].casefold(), kv[0]),
        )
        why = self._why(k, hidden_rows) if hidden_rows.any() else ""
        return ShownColumn(d.id, d.label, text, why, group, tuple(visible))

    def _why(self, k: int, hidden_rows: np.ndarray) -> str:
        """The one tooltip of the column's "(not shown)" cells."""
        why_list = [r for r in (too_small(self.min_group_size), PROTECTED) if r in self.reasons[k]]
        if (hidden_rows & (self.depth < k)).any() and PROTECTED not in why_list:
            why_list.append(PROTECTED)  # hidden with a group of a column before it
        stated_earlier = np.all([self.own[j][0] >= 0 for j in range(k + 1)], axis=0)
        if (hidden_rows & ~stated_earlier).any():
            why_list.append("not stated")
        if not why_list:
            why_list.append(PROTECTED)
        labels = [x.label for x in self.order[: k + 1]]
        scope = "" if k == 0 else f" (counted by {in_words(labels)})"
        return f"{self.order[k].label} not shown: {', or '.join(why_list)}{scope}"
