"""An independent check of what a campaign's published figures let anyone work out.

It does not use the app's audit: it collects the figures the score results actually show
(every breakdown the command line offers), writes each as a 0/1 row over the finest
cells (all demographics, "not stated" included), and tests every small set of cells —
by floating-point null space (SVD), not the app's exact modular arithmetic — for being a
linear combination of the shown rows.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from culturescope.scoring import score_campaign
from culturescope.scoring.answers import person_scores_matrix, scored_matrix

NOT_STATED = "\x00not stated"


def offered_breakdowns(instrument) -> list[tuple[str, ...]]:
    """Overall, every demographic and every pair: what ``score --by`` accepts."""
    ids = [d.id for d in instrument.demographics]
    return [()] + [(d,) for d in ids] + list(combinations(ids, 2))


def finest_cells(data) -> tuple[np.ndarray, list[tuple]]:
    """Each response's finest cell (index) and the cells, from the raw demographics."""
    ids = [d.id for d in data.instrument.demographics]
    frame = data.demographics.reindex(data.answers.index)[ids].astype(object)
    keys = [
        tuple(
            NOT_STATED if v is None or v == "" or v == "prefer_not_to_say" or v != v else str(v)
            for v in row
        )
        for row in frame.itertuples(index=False)
    ]
    cells = sorted(set(keys))
    lookup = {c: n for n, c in enumerate(cells)}
    return np.array([lookup[k] for k in keys], dtype=np.int64), cells


def layers(data) -> dict[str, np.ndarray]:
    """Per layer, which responses count in it."""
    inst = data.instrument
    scored, is_na = scored_matrix(inst, data.answers)
    persons = person_scores_matrix(inst, scored)
    out = {"responses": np.ones(len(data.answers), dtype=bool)}
    for d, dim in enumerate(inst.dimensions):
        out[f"dimension:{dim.id}"] = ~np.isnan(persons[:, d])
    for j, item in enumerate(inst.items):
        out[f"item:{item.id}"] = ~np.isnan(scored[:, j]) & ~is_na[:, j]
    return out


def published(data, min_group_size: int) -> dict[str, list[np.ndarray]]:
    """Per layer, the shown figures as masks over responses (from the score results)."""
    inst = data.instrument
    ids = [d.id for d in inst.demographics]
    frame = data.demographics.reindex(data.answers.index)[ids].astype(object)
    rows: dict[str, list[np.ndarray]] = {}
    everyone = np.ones(len(frame), dtype=bool)

    def add(layer: str, mask: np.ndarray) -> None:
        rows.setdefault(layer, []).append(mask)

    for by in offered_breakdowns(inst):
        result = score_campaign(data, by=list(by), min_group_size=min_group_size)
        groups = [(everyone, result.dimensions, result.items, True)]
        for g in result.groups:
            mask = np.all([(frame[k] == v).to_numpy() for k, v in g.by.items()], axis=0)
            groups.append((mask, g.dimensions, g.items, not g.hidden))
        for mask, dims, items, shown in groups:
            if not shown:
                continue
            add("responses", mask)
            for d in dims:
                if d.mean is not None or d.percent_positive is not None:
                    add(f"dimension:{d.id}", mask)
            for i in items:
                if i.mean is not None or i.percent_positive is not None:
                    add(f"item:{i.id}", mask)
    return rows


def page_groups(data, min_group_size: int) -> list[np.ndarray]:
    """The groups of rows the Responses page labels (as masks over responses): at every
    nesting level, the rows showing the same values so far — including a blank (not
    stated) value. Their sizes, and their sums of anything, are published: the check
    is on the head counts (the page shows single answers anyway, so within a group an
    item answered by one person shows that answer — the documented limit of the page)."""
    from culturescope.scoring.confidentiality.responses import NOT_SHOWN, shown_demographics

    columns = list(shown_demographics(data, min_group_size).values())
    masks = []
    for k in range(len(columns)):
        texts = [tuple(str(c.texts[r]) for c in columns[: k + 1]) for r in range(len(data.answers))]
        for label in sorted(set(texts)):
            if NOT_SHOWN not in label:
                masks.append(np.array([t == label for t in texts], dtype=bool))
    return masks


def leaks(data, min_group_size: int = 5, *, page: bool = False) -> list[tuple[str, tuple]]:
    """Every (layer, set of cells) with 0 < people < minimum that the shown figures
    determine (with ``page``, also the Responses page's groups of rows, on the head
    counts). Empty when the published family is safe."""
    cell_of, cells = finest_cells(data)
    found = []
    counting = layers(data)
    figures = published(data, min_group_size)
    if page:
        extra = page_groups(data, min_group_size)
        figures["responses"] = figures["responses"] + extra
    for layer, masks in figures.items():
        people = np.bincount(cell_of[counting[layer]], minlength=len(cells))
        support = np.flatnonzero(people > 0)
        a = np.array(
            [
                np.bincount(cell_of[m & counting[layer]], minlength=len(cells))[support] > 0
                for m in masks
            ],
            dtype=float,
        )
        # Null space of the shown rows over the cells with people in this layer.
        _, s, vt = np.linalg.svd(a, full_matrices=True)
        rank = int((s > 1e-9 * max(s.max(initial=0), 1)).sum())
        null = vt[rank:].T  # (cells, nullity)
        small = [k for k, c in enumerate(support) if people[c] < min_group_size]
        for size in range(1, min_group_size):
            for combo in combinations(small, size):
                total = int(people[support[list(combo)]].sum())
                if total >= min_group_size:
                    continue
                if null.shape[1] == 0 or np.abs(null[list(combo)].sum(axis=0)).max() < 1e-7:
                    found.append((layer, tuple(cells[support[k]] for k in combo)))
    return found


def comment_atoms(data, lists: list[tuple[str, str]]) -> list[int]:
    """The sizes of the sets of respondents whose comments can be worked out from the
    overall list and the lists of the groups ``(demographic, value)``: people with the
    same membership in every list (intersections and differences of lists), from the raw
    demographics."""
    frame = data.demographics.reindex(data.answers.index)
    membership = np.array(
        [(frame[field].astype(object) == value).to_numpy() for field, value in lists],
        dtype=bool,
    ).reshape(len(lists), len(frame))
    _, sizes = np.unique(membership.T, axis=0, return_counts=True)
    return sorted(int(s) for s in sizes)
