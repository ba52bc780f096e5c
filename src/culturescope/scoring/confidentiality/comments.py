"""Which groups' comments may be shown: comments per group, protected with the scores.

Comments are texts, not sums, so they combine differently from scores. The overall list
minus the lists of the shown groups is the list of everyone else; and a comment that
appears in two lists (a team's and a site's) was written by someone in both, so lists of
two breakdowns give their intersections too. Whoever holds all published lists can
therefore work out the comments of every *atom*: the people who are in exactly the same
shown groups. The rule: every atom holds nobody or at least the comment minimum of
respondents. Groups the linked-table audit hides in the scores show no comments either
(their comments would add a list for a group the scores hide).

Groups are chosen greedily: start from every group at or above the comment minimum that
the scores show; while an atom is too small, withhold the comments of the smallest shown
group that singles it out (for the atom of people in no shown group, the smallest shown
group of all, which is the sibling rule of the scores). Withholding never makes another
atom smaller, and the loop ends at the latest when no group's comments are shown.

Reports show comments per group for one breakdown only, by team
(:data:`COMMENT_BREAKDOWN`); the rule is written for any number of breakdowns so that
offering more stays safe.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from culturescope.scoring.confidentiality.audit import campaign_audit
from culturescope.scoring.confidentiality.rules import (
    PROTECTED,
    Visibility,
    breakdown_labels,
    check_min_group_size,
    too_small,
)
from culturescope.storage import ResponseData

__all__ = ["COMMENT_BREAKDOWN", "comment_visibility"]

#: The one breakdown reports show comments for (one list per team).
COMMENT_BREAKDOWN = "team"


def comment_visibility(
    data: ResponseData,
    fields: Sequence[str],
    min_comment_group_size: int,
    *,
    min_group_size: int,
) -> dict[str, dict[str, Visibility]]:
    """Whether each group's comments may be shown, for every breakdown in ``fields``.

    Parameters
    ----------
    data : ResponseData
        The campaign's responses.
    fields : sequence of str
        The breakdowns whose groups' comments are published (together with the overall
        list, which is shown only when the campaign reaches the comment minimum).
    min_comment_group_size : int
        The comment minimum: every set of respondents whose comments can be worked out
        from the lists holds nobody or at least this many.
    min_group_size : int
        The scores' minimum: groups the scores hide (the campaign's linked-table audit)
        show no comments.

    Returns
    -------
    dict
        Field → stated value → :class:`Visibility` (``hidden`` with the reason: too few
        responses, hidden in the scores, or :data:`PROTECTED`).
    """
    check_min_group_size(min_comment_group_size)
    minimum = int(min_comment_group_size)
    index = data.answers.index
    n = len(index)
    fields = list(fields)
    if not fields:
        return {}
    labels = breakdown_labels(data.demographics.reindex(index), fields)
    audit = campaign_audit(data, min_group_size=min_group_size) if n else None
    codes = np.full((n, len(fields)), -1, dtype=np.int64)
    values: list[list[str]] = []
    reason: dict[tuple[int, int], str] = {}  # (field, value) -> why hidden
    sizes: dict[tuple[int, int], int] = {}
    for f, field in enumerate(fields):
        column, uniques = pd.factorize(labels[field], use_na_sentinel=True)
        codes[:, f] = column
        values.append([str(u) for u in uniques])
        counts = np.bincount(column[column >= 0], minlength=len(uniques))
        for v, value in enumerate(values[-1]):
            sizes[(f, v)] = int(counts[v])
            scores = audit.visibility(audit.key([field], [value])) if audit else None
            if counts[v] < minimum:
                reason[(f, v)] = too_small(minimum)
            elif scores is not None and scores.hidden:
                reason[(f, v)] = scores.reason or PROTECTED
    if n < minimum:  # no comments at all: the overall list is not shown either
        for key in sizes:
            reason.setdefault(key, too_small(minimum))
    while True:
        signature = np.full((n, len(fields)), -1, dtype=np.int64)
        for f in range(len(fields)):
            ok = np.array([(f, v) not in reason for v in range(len(values[f]))] + [False])
            signature[:, f] = np.where(ok[codes[:, f]], codes[:, f], -1)
        atoms, counts = np.unique(signature, axis=0, return_counts=True)
        small = [a for a in range(len(atoms)) if 0 < counts[a] < minimum]
        if not small:
            break
        candidates = {(f, v) for (f, v) in sizes if (f, v) not in reason}
        if not candidates:
            break
        for a in sorted(small, key=lambda a: (counts[a], tuple(atoms[a]))):
            singling = [(f, int(v)) for f, v in enumerate(atoms[a]) if v >= 0]
            pool = [key for key in singling if key in candidates] or sorted(candidates)
            pick = min(pool, key=lambda key: (sizes[key], fields[key[0]], values[key[0]][key[1]]))
            reason[pick] = PROTECTED
            break  # re-count the atoms after each withheld group: fewest withheld
    return {
        field: {
            value: Visibility(True, reason[(f, v)]) if (f, v) in reason else Visibility(False, None)
            for v, value in enumerate(values[f])
        }
        for f, field in enumerate(fields)
    }
