"""Scoring a whole campaign into a :class:`ScoreResult` (docs/design/scoring.md,
docs/design/confidentiality.md).

Everything is computed with array operations over all groups at once — one ``bincount``
gives every group's answer distribution for every item, from which counts, means, standard
deviations and percent positive follow — so 100,000 responses × 60 items by 50 teams score
in well under a second. Confidentiality is decided here, before any group number is built,
and hidden groups get none; the figures themselves are computed in
:mod:`culturescope.scoring.figures`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from culturescope import Cancelled, CultureScopeError
from culturescope.instruments import Instrument
from culturescope.scoring.agreement import ICC2_MINIMUM, RWG_J_MINIMUM
from culturescope.scoring.agreement import agreement as judge_agreement
from culturescope.scoring.answers import checked_codes, scored_matrix
from culturescope.scoring.confidentiality import (
    RESPONSES,
    ConfidentialityError,
    FigureKey,
    LinkedTableAudit,
    campaign_audit,
    cell_codes,
    check_min_group_size,
)
from culturescope.scoring.confidentiality.rules import Visibility, label_columns
from culturescope.scoring.figures import (
    RELIABILITY_MIN_N,
    _as_lists,
    _behaviour_shares,
    _Context,
    _dimension_score,
    _dimension_stats,
    _Groups,
    _item_score,
    _item_stats,
    _Layout,
    _reliability,
    _rwg_j_by_group,
    group_title,
)
from culturescope.scoring.results import (
    Agreement,
    DimensionScore,
    GroupResult,
    ItemScore,
    ScoreResult,
)
from culturescope.storage import ResponseData

if TYPE_CHECKING:  # the full store imports SQLAlchemy; scoring only reads
    from culturescope.storage import Reader, Store

__all__ = [
    "ICC2_MINIMUM",
    "RELIABILITY_MIN_N",
    "RWG_J_MINIMUM",
    "ScoringError",
    "score",
    "score_campaign",
]

Progress = Callable[[float, str], None]


class ScoringError(CultureScopeError):
    """A scoring request that cannot be carried out (e.g. an unknown breakdown)."""


class _Checkpoint:
    def __init__(self, progress: Progress | None, is_cancelled: Callable[[], bool] | None):
        self.progress = progress
        self.is_cancelled = is_cancelled

    def __call__(self, fraction: float, message: str) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("scoring cancelled")
        if self.progress is not None:
            self.progress(fraction, message)


def _order_cells(
    instrument: Instrument, by: Sequence[str], cells: list[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Option order for demographics with options, alphabetical for free text."""
    ranks = []
    for d in by:
        options = instrument.demographic_by_id[d].option_ids()
        ranks.append({o: n for n, o in enumerate(options)})

    def key(cell: tuple[str, ...]) -> tuple[tuple[int, str, str], ...]:
        return tuple(
            (rank.get(v, len(rank)), v.casefold(), v) for rank, v in zip(ranks, cell, strict=True)
        )

    return sorted(cells, key=key)


def score_campaign(
    data: ResponseData,
    *,
    campaign: str = "",
    by: Sequence[str] = (),
    min_group_size: int = 5,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    rwg_listwise: bool = False,
) -> ScoreResult:
    """Score a campaign's responses overall and per breakdown group.

    Parameters
    ----------
    data : ResponseData
        The campaign's responses (``Store.load_responses``).
    campaign : str
        Campaign name carried into the result.
    by : sequence of str
        Demographic ids to break down by: ``("team",)``, or ``("team", "role")`` for a
        cross-tab. Respondents who did not state a value count only overall.
    min_group_size : int
        Groups below it are hidden, with differencing protection (docs/design/confidentiality.md).
    progress, is_cancelled : callable, optional
        ``progress(fraction, message)``; ``is_cancelled()`` returning True raises
        :class:`culturescope.Cancelled`.
    rwg_listwise : bool
        rwg(j) from the members who answered every item of a dimension (listwise, as R
        ``multilevel`` before 2.8) instead of each item's own answers (pairwise, the
        default of ``multilevel`` 2.8).

    Returns
    -------
    ScoreResult
        Overall dimension and item scores with reliability; one :class:`GroupResult` per
        breakdown cell (hidden ones without numbers); agreement per dimension.

    Raises
    ------
    ScoringError
        For a breakdown the instrument does not ask, or a minimum group size below 3.

    Notes
    -----
    * Percent positive/neutral/negative are computed on the scored (reverse-keyed) value
      with each item's own scale (e.g. a frequency scale's positive set).
    * Behaviour dimensions (all items of kind "behaviour": how often people reported a
      concern...) are counts, not attitudes: their percent positive is the share of
      people with a score who answered positively on at least one item ("reported at
      least once", as the signals count it), percent negative the share who never did;
      they get no interpretation band and no reliability. Bands also apply only to
      dimensions on the instrument's main (agreement) scale.
    * Cronbach's alpha, item–total r, alpha-if-deleted and omega are computed on the
      listwise-complete respondents of each dimension, overall only, and only from
      :data:`RELIABILITY_MIN_N` (20) complete respondents on (else None, with the reason
      in ``reliability_note`` and the result's notes); rwg(j) per visible group with the
      uniform null of the dimension's scale, each item's variance over the answers it has
      in the group (pairwise, as R ``multilevel`` 2.8), with the n behind it.
    * Confidentiality: groups are hidden as :mod:`~culturescope.scoring.confidentiality`
      decides; with fewer responses than the minimum in the whole campaign no overall
      numbers are shown; an item or dimension answered by fewer than the minimum shows
      no numbers (only its n) overall or in a group.
    * Aggregation is judged per dimension over the visible groups
      (:mod:`~culturescope.scoring.agreement`): justified when the mean rwg(j) is at least
      :data:`RWG_J_MINIMUM` (.70) and the one-way ANOVA F test of ICC(1) is significant at
      .05; group means are reliable when ICC(2) is at least :data:`ICC2_MINIMUM` (.70);
      None with fewer than two visible groups.
    """
    step = _Checkpoint(progress, is_cancelled)
    inst = data.instrument
    by = tuple(by)
    _check_request(inst, by, min_group_size)

    step(0.0, "scoring answers")
    raw = data.answer_codes()
    scored: np.ndarray | None = None  # only without the store's codes (see _complete)
    if raw is not None:
        is_na = checked_codes(inst, raw, data.response_ids())
    else:
        scored, is_na = scored_matrix(inst, data)
    n_resp = is_na.shape[0]
    notes: list[str] = []
    # An item or dimension answered by fewer than the minimum (e.g. most said "not
    # applicable") shows no numbers either, in the overall result and in every group.
    ctx = _Context.of(inst, int(min_group_size))
    if n_resp < min_group_size and n_resp:
        notes.append(
            f"only {n_resp} response{'s' * (n_resp != 1)}: scores are shown from "
            f"{min_group_size} responses on"
        )
    # Breakdown cells; their visibility comes from the linked-table audit below, decided
    # before any group number is built.
    cells, group_code = _breakdown(data, inst, by, n_resp, notes)

    step(0.15, "counting answers")
    codes = _value_codes(inst, raw, scored, is_na, ctx.layout)
    counts = _answer_counts(codes, group_code, len(cells), ctx.layout)

    step(0.35, "person scores")
    answered = (codes >= 1) & (codes <= ctx.layout.points[None, :])
    persons = _person_scores(ctx, codes, answered)
    # One audit of every figure the app can publish for this campaign (cached), so that
    # every view, export and command hides the same figures.
    audit = campaign_audit(data, persons, answered, ctx.min_n)
    try:
        audit.check_breakdown(by)
    except ConfidentialityError as exc:
        raise ScoringError(str(exc)) from None
    shown = _Shown.of(audit, inst, by, cells)
    overall_hidden = n_resp < min_group_size or shown.overall.hidden
    # Behaviour dimensions: per person, reported at least once / never (NaN: no score).
    shares = _behaviour_shares(codes, persons, ctx.layout, ctx.dim_items, ctx.meta)

    step(0.5, "reliability")
    dimensions, items = _overall(
        ctx,
        _Answers(scored, codes, answered),
        persons,
        counts,
        shares,
        shown,
        hide=overall_hidden,
        notes=notes,
    )
    groups: tuple[GroupResult, ...] = ()
    agreement: tuple[Agreement, ...] = ()
    if by:
        step(0.65, "group scores")
        groups, agreement = _group_results(
            ctx,
            _Groups(by, cells, group_code, codes, answered, counts[: len(cells)], persons, shares),
            shown,
            step=step,
            rwg_listwise=rwg_listwise,
        )
        hidden_n = sum(g.hidden for g in groups)
        if hidden_n:
            notes.append(
                f"{hidden_n} of {len(cells)} group{'s' * (len(cells) != 1)} hidden for "
                f"confidentiality (minimum {min_group_size} responses)"
            )

    step(1.0, "scored")
    return ScoreResult(
        campaign=campaign,
        instrument=inst,
        responses=n_resp,
        min_group_size=int(min_group_size),
        by=by,
        dimensions=dimensions,
        items=items,
        groups=groups,
        agreement=agreement,
        notes=tuple(notes),
    )


def _check_request(inst: Instrument, by: tuple[str, ...], min_group_size: int) -> None:
    """Refuse a breakdown the instrument does not ask, or a minimum below the floor."""
    unknown = [b for b in by if b not in inst.demographic_by_id]
    if unknown:
        asked = ", ".join(d.id for d in inst.demographics) or "none"
        raise ScoringError(
            f"cannot break down by {', '.join(unknown)}: the instrument {inst.key} asks "
            f"these demographics: {asked}"
        )
    if len(set(by)) != len(by):
        raise ScoringError(f"a breakdown names a demographic twice: {', '.join(by)}")
    try:
        check_min_group_size(min_group_size)
    except CultureScopeError as exc:
        raise ScoringError(str(exc)) from None


def _breakdown(
    data: ResponseData, inst: Instrument, by: tuple[str, ...], n_resp: int, notes: list[str]
) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """The breakdown's cells in display order and each response's cell (``len(cells)``:
    not in any), noting how many did not state their group."""
    if not by:
        return [], np.zeros(n_resp, dtype=np.int64)
    labels = label_columns(data, by)
    present, codes_present = cell_codes(labels)
    cells = _order_cells(inst, by, list(present))
    stated = codes_present >= 0
    order = {cell: n for n, cell in enumerate(cells)}
    remap = np.array([order[c] for c in present] + [len(cells)], dtype=np.int64)
    group_code = remap[codes_present]  # -1 (not stated) picks the last entry
    unstated = int((~stated).sum())
    if unstated:
        names = " or ".join(inst.demographic_by_id[b].label.lower() for b in by)
        notes.append(
            f"{unstated} response{'s' * (unstated != 1)} without a stated {names} "
            f"{'are' if unstated != 1 else 'is'} counted only overall"
        )
    return cells, group_code


def _value_codes(
    inst: Instrument,
    raw: np.ndarray | None,
    scored: np.ndarray | None,
    is_na: np.ndarray,
    layout: _Layout,
) -> np.ndarray:
    """Each answer's value code (uint8): 0 blank, 1..points the scored answer, ``W - 1``
    not applicable. From the store's raw codes when given (small integers: an eighth of
    the memory of the scored floats), else from the scored matrix."""
    W = layout.width
    if raw is None:
        assert scored is not None  # scored_matrix made it: there were no codes
        codes = np.where(np.isnan(scored), 0, scored).astype(np.uint8)
        codes[is_na] = W - 1
        return codes
    from culturescope.storage.codes import BLANK_CODE

    codes = raw.copy()
    reverse = np.array([i.reverse for i in inst.items], dtype=bool)
    if reverse.any():
        # (min + max) - raw, min = 1; blank and N/A cells come out wrong and are set below.
        top = (layout.points[reverse] + 1).astype(np.uint8)
        codes[:, reverse] = top[None, :] - codes[:, reverse]
    codes[raw == BLANK_CODE] = 0
    codes[is_na] = W - 1
    return codes


def _person_scores(ctx: _Context, codes: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """:func:`~culturescope.scoring.answers.person_scores_matrix` from the value codes:
    sums of small integers, exact either way, so the same scores bit for bit."""
    out = np.full((codes.shape[0], len(ctx.dim_items)), np.nan)
    for d, cols in enumerate(ctx.dim_items):
        if not cols:
            continue
        given = answered[:, cols]
        count = given.sum(axis=1)
        total = np.where(given, codes[:, cols], 0).sum(axis=1, dtype=np.int64)
        enough = count * 2 >= len(cols)  # at least half of the dimension's items
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, d] = np.where(enough & (count > 0), total / count, np.nan)
    return out


def _answer_counts(
    codes: np.ndarray, group_code: np.ndarray, n_groups: int, layout: _Layout
) -> np.ndarray:
    """``counts[g, j, v]``: the responses of group ``g`` whose value code (see
    :func:`_value_codes`) for item ``j`` is ``v`` (row ``n_groups`` holds responses in no
    group)."""
    n, k = codes.shape
    W = layout.width
    counts = np.zeros((n_groups + 1, k, W), dtype=np.int64)
    if n == 0:
        return counts
    # Item by item: small index arrays instead of one the size of the whole matrix.
    base = group_code.astype(np.intp) * W
    by_item = np.ascontiguousarray(codes.T)
    for j in range(k):
        flat = base + by_item[j]
        counts[:, j, :] = np.bincount(flat, minlength=(n_groups + 1) * W).reshape(n_groups + 1, W)
    return counts


@dataclass(frozen=True)
class _Answers:
    """Every answer, as the value codes (and the scored floats when data came as frames)."""

    scored: np.ndarray | None
    codes: np.ndarray
    answered: np.ndarray

    def complete(self, cols: list[int]) -> np.ndarray:
        """The scored answers to items ``cols`` of the respondents who answered them all
        (listwise), as floats in a C-ordered array: the value codes are the scored answers
        (small integers, exact as floats), so both ways give the same array to the bit."""
        if self.scored is None:
            rows = np.flatnonzero(self.answered[:, cols].all(axis=1))
            gathered: np.ndarray = self.codes[np.ix_(rows, np.asarray(cols))]
            return gathered.astype(float)
        block = self.scored[:, cols]
        complete: np.ndarray = block[~np.isnan(block).any(axis=1)]
        return complete


def _overall(
    ctx: _Context,
    answers: _Answers,
    persons: np.ndarray,
    counts: np.ndarray,
    shares: tuple[np.ndarray, np.ndarray],
    shown: _Shown,
    *,
    hide: bool,
    notes: list[str],
) -> tuple[tuple[DimensionScore, ...], tuple[ItemScore, ...]]:
    """The whole campaign's dimension and item scores, with reliability."""
    inst, dim_items, meta = ctx.instrument, ctx.dim_items, ctx.meta
    overall_counts = counts.sum(axis=0)[None, :, :]
    item_stats = _item_stats(overall_counts, ctx.layout, shown.overall_items[None, :])
    reliability = [
        _reliability(
            # Behaviour and one-item dimensions get no reliability: nothing to gather.
            answers.complete(cols)
            if not m.behaviour and len(cols) >= 2
            else np.empty((0, len(cols))),
            behaviour=m.behaviour,
            names=[inst.items[j].id for j in cols],
        )
        for cols, m in zip(dim_items, meta, strict=True)
    ]
    n_resp = answers.codes.shape[0]
    overall_dims = _as_lists(
        _dimension_stats(
            persons,
            np.zeros(n_resp, dtype=np.int64),
            1,
            item_stats,
            dim_items,
            ctx.layout,
            shares,
        )
    )
    dimensions = tuple(
        _dimension_score(
            ctx, d, overall_dims, 0, hide=hide, rel=rel, hidden_reason=shown.overall_dims[d]
        )
        for d, rel in enumerate(reliability)
    )
    too_few = [
        f"{d.title} ({rel.complete_n})"
        for d, rel in zip(dimensions, reliability, strict=True)
        if rel.complete_n is not None and d.mean is not None
    ]
    if too_few:
        notes.append(
            f"Cronbach's alpha and omega need at least {RELIABILITY_MIN_N} complete "
            f"responses per dimension; not shown for {', '.join(too_few)}"
        )
    k = len(inst.items)
    item_total = np.full(k, np.nan)
    alpha_deleted = np.full(k, np.nan)
    for cols, rel in zip(dim_items, reliability, strict=True):
        if cols:
            item_total[cols] = rel.item_total
            alpha_deleted[cols] = rel.alpha_if_deleted
    item_lists = _as_lists(item_stats)
    items = tuple(
        _item_score(
            ctx,
            j,
            item_lists,
            0,
            hide=hide,
            hidden_reason=shown.overall_item_reasons[j],
            consistency=(item_total[j], alpha_deleted[j]),
        )
        for j in range(k)
    )
    return dimensions, items


def _group_results(
    ctx: _Context,
    grp: _Groups,
    shown: _Shown,
    *,
    step: _Checkpoint,
    rwg_listwise: bool,
) -> tuple[tuple[GroupResult, ...], tuple[Agreement, ...]]:
    """Every breakdown cell's result (hidden ones without numbers) and the agreement."""
    inst, n_groups = ctx.instrument, len(grp.cells)
    item_stats = _item_stats(grp.counts, ctx.layout, shown.group_items) if n_groups else None
    item_lists = _as_lists(item_stats) if item_stats else {}
    in_cell = grp.code < n_groups
    group_dims = _as_lists(
        _dimension_stats(
            grp.persons[in_cell],
            grp.code[in_cell],
            n_groups,
            item_stats,
            ctx.dim_items,
            ctx.layout,
            (grp.shares[0][in_cell], grp.shares[1][in_cell]),
        )
    )
    step(0.8, "agreement")
    rwgj, rwgj_n = _rwg_j_by_group(inst, grp, n_groups, ctx.dim_items, listwise=rwg_listwise)
    visible = np.array([not v.hidden for v in shown.groups], dtype=bool)
    rwg_lists, rwg_n_lists = rwgj.tolist(), rwgj_n.tolist()
    out = []
    for g, cell in enumerate(grp.cells):
        vis = shown.groups[g]
        by_map = dict(zip(grp.by, cell, strict=True))
        title = group_title(inst, by_map)
        if vis.hidden:
            out.append(GroupResult(by=by_map, n=None, hidden=True, reason=vis.reason, title=title))
            continue
        dims = tuple(
            _dimension_score(
                ctx,
                d,
                group_dims,
                g,
                rwg=(rwg_lists[g][d], rwg_n_lists[g][d]),
                hidden_reason=shown.group_dims[g][d],
            )
            for d in range(len(inst.dimensions))
        )
        items = tuple(
            _item_score(ctx, j, item_lists, g, hidden_reason=shown.group_item_reasons[g][j])
            for j in range(len(inst.items))
        )
        out.append(
            GroupResult(
                by=by_map,
                n=int(group_dims["size"][g]),
                hidden=False,
                reason=None,
                dimensions=dims,
                items=items,
                title=title,
            )
        )
    agreement = judge_agreement(
        inst, grp.persons[in_cell], grp.code[in_cell], visible, rwgj, rwgj_n
    )
    return tuple(out), agreement


@dataclass
class _Shown:
    """The audit's verdicts for one breakdown: per group, dimension and item."""

    overall: Visibility
    overall_dims: list[str | None]  # reason the overall figure is hidden, or None
    overall_item_reasons: list[str | None]
    overall_items: np.ndarray  # (k,) bool: shown
    groups: list[Visibility]
    group_dims: list[list[str | None]]
    group_item_reasons: list[list[str | None]]
    group_items: np.ndarray  # (G, k) bool

    @classmethod
    def of(
        cls,
        audit: LinkedTableAudit,
        inst: Instrument,
        by: Sequence[str],
        cells: Sequence[tuple[str, ...]],
    ) -> _Shown:
        dims = [f"dimension:{d.id}" for d in inst.dimensions]
        items = [f"item:{i.id}" for i in inst.items]

        def reasons(key: FigureKey, layers: list[str]) -> list[str | None]:
            return [audit.visibility(key, layer).reason for layer in layers]

        overall = audit.visibility(())
        overall_items = reasons((), items)
        keys = [audit.key(by, cell) for cell in cells]
        group_items = [reasons(key, items) for key in keys]
        return cls(
            overall=overall,
            overall_dims=reasons((), dims),
            overall_item_reasons=overall_items,
            overall_items=np.array([r is None for r in overall_items], dtype=bool),
            groups=[audit.visibility(key, RESPONSES) for key in keys],
            group_dims=[reasons(key, dims) for key in keys],
            group_item_reasons=group_items,
            group_items=np.array(
                [[r is None for r in row] for row in group_items], dtype=bool
            ).reshape(len(keys), len(items)),
        )


def score(
    store: Store | Reader,
    campaign_ref: str | int,
    *,
    by: Sequence[str] = (),
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    rwg_listwise: bool = False,
    data: ResponseData | None = None,
) -> ScoreResult:
    """Load a stored campaign and score it with the campaign's own minimum group size.

    Parameters
    ----------
    store : culturescope.storage.Store or culturescope.storage.Reader
    campaign_ref : str or int
        Campaign name or id.
    by, progress, is_cancelled, rwg_listwise
        As for :func:`score_campaign`.
    data : ResponseData, optional
        The campaign's responses if the caller has loaded them already (for a trend too).
    """
    camp = store.campaign(campaign_ref)
    if data is None:
        if progress is not None:
            progress(0.0, "loading responses")
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("scoring cancelled")
        data = store.load_responses(camp.id)

    def sub(fraction: float, message: str) -> None:
        if progress is not None:
            progress(0.2 + 0.8 * fraction, message)

    return score_campaign(
        data,
        campaign=camp.name,
        by=by,
        min_group_size=camp.min_group_size,
        progress=sub,
        is_cancelled=is_cancelled,
        rwg_listwise=rwg_listwise,
    )
