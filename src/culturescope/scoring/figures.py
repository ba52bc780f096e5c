"""The figures of every group of a campaign at once, from answer counts: item and
dimension statistics, reliability, within-group agreement and the result objects built
from them (docs/design/scoring.md). :mod:`culturescope.scoring.campaign` decides which
groups and items may be shown and calls these; nothing here decides confidentiality.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from culturescope.instruments import Instrument
from culturescope.scoring.confidentiality import too_few_answers, too_few_scored
from culturescope.scoring.results import DimensionScore, ItemScore
from culturescope.scoring.statistics import (
    _alpha_from_cov,
    _item_total_from_cov,
    _rwg_j_from_mean_variance,
    bounded_mean_ci,
    null_variance,
    omega_with_reason,
)

#: What percent positive means for a behaviour dimension (signals use the same definition:
#: culturescope.signals.survey.reported_at_least_once).
REPORTED_AT_LEAST_ONCE = "reported at least once"


#: Cronbach's alpha, McDonald's omega and the item statistics are computed only from this
#: many listwise-complete responses on: below it their sampling error is so large (with
#: 6 responses alpha can come out at -3) that a number would mislead. 20 follows the
#: usual advice for reliability studies (e.g. Bonett 2002; Yurdugül 2008 suggests 30 for
#: weak items) while still giving small organisations a figure.
RELIABILITY_MIN_N = 20


@dataclass(frozen=True)
class _DimMeta:
    """What kind of measure a dimension is, and so which statistics make sense for it."""

    kind: str  # item kind, or "mixed"
    scale: str | None  # the scale its items share
    banded: bool  # interpretation bands apply (agreement-type items on the main scale)
    positive_label: str

    @property
    def behaviour(self) -> bool:
        return self.kind == "behaviour"


def _dimension_meta(inst: Instrument, dim_id: str) -> _DimMeta:
    kind = inst.dimension_kind(dim_id)
    scale = inst.dimension_scale(dim_id)
    main = inst.main_scale
    on_main = scale is not None and main is not None and scale.id == main.id
    label = "positive"
    if kind == "behaviour":
        never_first = scale is not None and tuple(scale.negative) == (1,)
        label = REPORTED_AT_LEAST_ONCE if never_first else "at least one positive answer"
    return _DimMeta(kind, scale.id if scale else None, kind != "behaviour" and on_main, label)


@dataclass
class _Layout:
    """Per-item scale facts as arrays, in instrument item order."""

    points: np.ndarray  # (k,)
    positive: np.ndarray  # (k, W) bool: scored value is positive
    negative: np.ndarray
    neutral: np.ndarray
    width: int  # W: code 0 = blank, 1..points = answer, W - 1 = N/A


def _layout(instrument: Instrument) -> _Layout:
    scales = [instrument.scale_of(i) for i in instrument.items]
    width = max((s.points for s in scales), default=1) + 2
    k = len(scales)
    positive = np.zeros((k, width), dtype=bool)
    negative = np.zeros((k, width), dtype=bool)
    neutral = np.zeros((k, width), dtype=bool)
    for j, s in enumerate(scales):
        positive[j, list(s.positive)] = True
        negative[j, list(s.negative)] = True
        neutral[j, list(s.neutral)] = True
    points = np.array([s.points for s in scales], dtype=int)
    return _Layout(points, positive, negative, neutral, width)


def _none(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


#: Per statistic, its array as nested lists: groups × dimensions or items (item answer
#: counts one level deeper), as ``ndarray.tolist()`` returns them.
_Lists = dict[str, list[Any]]


def _as_lists(stats: dict[str, np.ndarray]) -> _Lists:
    """Arrays as nested Python lists: building thousands of results from numpy scalars
    one by one is what would otherwise dominate the run time."""
    return {key: value.tolist() for key, value in stats.items()}


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class _Context:
    """What every score of one campaign needs: its instrument, scale layout and minimum."""

    instrument: Instrument
    layout: _Layout
    min_n: int
    meta: list[_DimMeta]
    #: Per dimension, the positions of its items.
    dim_items: list[list[int]]
    #: Per item, its text in the instrument's language and its scale points (every group's
    #: result repeats them).
    item_texts: list[str]
    item_points: list[int]

    @classmethod
    def of(cls, inst: Instrument, min_n: int) -> _Context:
        layout = _layout(inst)
        return cls(
            inst,
            layout,
            min_n,
            [_dimension_meta(inst, d.id) for d in inst.dimensions],
            [[n for n, i in enumerate(inst.items) if i.dimension == d.id] for d in inst.dimensions],
            [i.text_for(inst.default_language) for i in inst.items],
            layout.points.tolist(),
        )


@dataclass(frozen=True)
class _Groups:
    """A breakdown's cells and, per response, its cell (``len(cells)``: in none)."""

    by: tuple[str, ...]
    cells: list[tuple[str, ...]]
    code: np.ndarray
    answer_codes: np.ndarray
    #: (responses, items) bool: answered (N/A is not an answer).
    answered: np.ndarray
    counts: np.ndarray  # (cells, items, W): the answer counts of each cell
    persons: np.ndarray
    shares: tuple[np.ndarray, np.ndarray]


def _item_stats(
    counts: np.ndarray, layout: _Layout, shown: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Per group × item: n, n_na, mean, sd and percents, from answer counts (G, k, W).

    ``shown`` (G, k) marks the items whose figures may be shown in each group: the others
    get no percents, so that a dimension's percent positive (the mean over its items) is
    computed from shown items only and cannot be subtracted back to a hidden item.
    """
    W = layout.width
    values = np.arange(W, dtype=float)
    answered = counts[:, :, 1 : W - 1]
    n = answered.sum(axis=2).astype(float)
    s1 = (answered * values[1 : W - 1]).sum(axis=2)
    s2 = (answered * values[1 : W - 1] ** 2).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s1 / n
        # Sums of small integers are exact in float64, so this is not prone to cancellation.
        var = (n * s2 - s1**2) / (n * (n - 1))
        sd = np.sqrt(np.maximum(var, 0.0))
        sd[n < 2] = np.nan
        pct = {
            name: 100.0 * (counts * mask[None, :, :]).sum(axis=2) / n
            for name, mask in (
                ("positive", layout.positive),
                ("neutral", layout.neutral),
                ("negative", layout.negative),
            )
        }
    if shown is not None:
        for values in pct.values():
            values[~shown] = np.nan
    return {
        "counts": counts,
        "n": n,
        "n_na": counts[:, :, W - 1].astype(float),
        "mean": mean,
        "sd": sd,
        **pct,
    }


def _dimension_stats(
    persons: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    item_stats: dict[str, np.ndarray] | None,
    dim_items: list[list[int]],
    layout: _Layout,
    shares: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Per group × dimension: n, mean, sd, CI and percents (mean over the items).

    ``shares`` (from :func:`_behaviour_shares`, rows as ``persons``) replace the percents
    of behaviour dimensions with person-level shares: reported at least once / never.
    """
    n_dims = persons.shape[1]
    shape = (n_groups, n_dims)
    n = np.zeros(shape)
    mean = np.full(shape, np.nan)
    sd = np.full(shape, np.nan)
    for d in range(n_dims):
        ok = ~np.isnan(persons[:, d])
        x, g = persons[ok, d], codes[ok]
        n[:, d] = np.bincount(g, minlength=n_groups)[:n_groups]
        with np.errstate(divide="ignore", invalid="ignore"):
            mean[:, d] = np.bincount(g, weights=x, minlength=n_groups)[:n_groups] / n[:, d]
            dev = np.bincount(g, weights=(x - mean[g, d]) ** 2, minlength=n_groups)[:n_groups]
            sd[:, d] = np.where(n[:, d] >= 2, np.sqrt(dev / (n[:, d] - 1)), np.nan)
    # Within the scale (1..points of the dimension's items): a logit-transformed t interval.
    top = np.array([layout.points[cols].max() if cols else 2 for cols in dim_items], float)
    low, high = bounded_mean_ci(mean, sd, n, 1.0, top[None, :])
    out = {
        "size": np.bincount(codes, minlength=n_groups)[:n_groups],
        "n": n,
        "mean": mean,
        "sd": sd,
        "low": low,
        "high": high,
    }
    for name in ("positive", "neutral", "negative"):
        arr = np.full(shape, np.nan)
        if item_stats is not None:
            for d, cols in enumerate(dim_items):
                block = item_stats[name][:, cols]
                if cols:
                    with np.errstate(invalid="ignore"):
                        has = ~np.isnan(block)
                        total = np.where(has, block, 0.0).sum(axis=1)
                        count = has.sum(axis=1)
                        arr[:, d] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        out[name] = arr
    if shares is not None:
        pos, neg = shares
        for d in range(n_dims):
            ok = ~np.isnan(pos[:, d])
            if not ok.any():
                continue
            g = codes[ok]
            count = np.bincount(g, minlength=n_groups)[:n_groups].astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                for name, weights in (
                    ("positive", pos[ok, d]),
                    ("negative", neg[ok, d]),
                    ("neutral", 1.0 - pos[ok, d] - neg[ok, d]),
                ):
                    total = np.bincount(g, weights=weights, minlength=n_groups)[:n_groups]
                    out[name][:, d] = 100.0 * total / count
    return out


def _behaviour_shares(
    codes: np.ndarray,
    persons: np.ndarray,
    layout: _Layout,
    dim_items: list[list[int]],
    meta: list[_DimMeta],
) -> tuple[np.ndarray, np.ndarray]:
    """Per person × dimension, for behaviour dimensions only (NaN elsewhere and for people
    without a dimension score): 1.0 if any answer is positive ("reported at least once",
    as the signals' ``reported_at_least_once``), and separately 1.0 if every answer given
    is negative ("never")."""
    shape = persons.shape
    pos = np.full(shape, np.nan)
    neg = np.full(shape, np.nan)
    for d, (cols, m) in enumerate(zip(dim_items, meta, strict=True)):
        if not m.behaviour or not cols:
            continue
        idx = np.array(cols)
        block = codes[:, idx]  # 0 blank, 1..points answer, W - 1 N/A
        answered = (block >= 1) & (block <= layout.points[idx][None, :])
        is_pos = layout.positive[idx[None, :], block] & answered
        is_neg = layout.negative[idx[None, :], block] & answered
        has = ~np.isnan(persons[:, d])
        pos[:, d] = np.where(has, is_pos.any(axis=1), np.nan)
        neg[:, d] = np.where(has, (is_neg | ~answered).all(axis=1) & answered.any(axis=1), np.nan)
    return pos, neg


@dataclass(frozen=True)
class _Reliability:
    """One dimension's internal consistency (overall, listwise-complete responses)."""

    alpha: float | None
    omega: float | None
    item_total: np.ndarray  # per item of the dimension; NaN where not computed
    alpha_if_deleted: np.ndarray
    #: Why a figure is not given (or is given with a warning); None when all is well.
    note: str | None
    #: The number of complete responses when there were too few of them.
    complete_n: int | None = None


def _reliability(
    complete: np.ndarray, *, behaviour: bool = False, names: Sequence[str] = ()
) -> _Reliability:
    """Alpha, omega, item-total r and alpha-if-deleted of one dimension from the scored
    answers of its listwise-complete respondents (``complete``: respondents × items), the
    reasons for every figure not given (or given with a warning), and the complete n when
    the reason is too few responses.

    An item that is the same for every complete response has no variance: it cannot hang
    together with anything, so it is left out of alpha and omega (kept in, it would lower
    alpha and turn the other items' alpha-if-deleted into 0) and gets no item statistics.
    """
    k = complete.shape[1]
    nan_items = np.full(k, np.nan)
    if behaviour:
        return _Reliability(
            None,
            None,
            nan_items,
            nan_items,
            "not computed: the items count different behaviours, they are not one "
            "attitude measured several times",
        )
    if k < 2:
        return _Reliability(
            None,
            None,
            nan_items,
            nan_items,
            "not computed: a one-item dimension has no internal consistency to measure",
        )
    n = int(complete.shape[0])
    if n < RELIABILITY_MIN_N:
        return _Reliability(
            None,
            None,
            nan_items,
            nan_items,
            f"not computed: {n} complete response{'s' * (n != 1)}, fewer than {RELIABILITY_MIN_N}",
            n,
        )
    notes = []
    full = np.atleast_2d(np.cov(complete, rowvar=False, ddof=1))
    # An item is the same for every complete response exactly when its variance is 0
    # (scores are small integers: the mean of a constant column is exact), so one
    # covariance serves both questions.
    varies = np.diag(full) > 0
    if not varies.all():
        which = ", ".join(names[int(j)] for j in np.flatnonzero(~varies)) if names else "an item"
        notes.append(f"{which}: the same answer from everyone, left out of alpha and omega")
    r, a = np.full(k, np.nan), np.full(k, np.nan)
    kept = np.flatnonzero(varies)
    if kept.size < 2:
        notes.append("fewer than 2 items vary: alpha and omega not computed")
        return _Reliability(None, None, r, a, "; ".join(notes))
    if varies.all():
        cov = full
    else:
        cov = np.atleast_2d(np.cov(complete[:, kept], rowvar=False, ddof=1))
    alpha = _none(_alpha_from_cov(cov))
    r[kept], a[kept] = _item_total_from_cov(cov)
    if alpha is None:
        notes.append("alpha not computed: the items' total does not vary")
    elif alpha < 0:
        notes.append(
            "alpha is negative: the items do not hang together (check reverse keying and wording)"
        )
    omega, why = omega_with_reason(cov, n)
    if kept.size < 3:
        notes.append(
            "with 2 items there is no alpha if deleted and no omega (omega needs at least 3 items)"
        )
    elif why is not None:
        notes.append(why)
    return _Reliability(alpha, omega, r, a, "; ".join(notes) or None)


def _rwg_j_by_group(
    inst: Instrument,
    grp: _Groups,
    n_groups: int,
    dim_items: list[list[int]],
    *,
    listwise: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """rwg(j) and the n behind it for every group × dimension, as ``multilevel::rwg.j``
    2.8: each item's variance over the answers that item has in the group (pairwise), or
    over the members who answered every item when ``listwise``.

    Item variances come from per-group answer counts: pairwise, the breakdown's own
    (``grp.counts``, value codes 0 blank, 1..points answer, anything above not
    applicable), so no answer is counted twice; listwise, counted again over the members
    who answered every item. The n is the members who answered at least one of the items
    (listwise: all of them).
    rwg(j) is NaN where an item has fewer than 2 answers in the group (its variance is
    undefined) and for items on different scales (no single null distribution).
    """
    out = np.full((n_groups, len(dim_items)), np.nan)
    n_out = np.zeros((n_groups, len(dim_items)), dtype=np.int64)
    for d, cols in enumerate(dim_items):
        if not cols or n_groups == 0:
            continue
        width = max(inst.scale_of(inst.items[j]).points for j in cols) + 1
        m = len(cols)
        if listwise:
            in_cell = grp.code < n_groups
            block = grp.answer_codes[in_cell][:, cols]
            block[block >= width] = 0  # not applicable counts as unanswered
            ok = (block > 0).all(axis=1)
            block, g = block[ok], grp.code[in_cell][ok].astype(np.int32)
            n_out[:, d] = np.bincount(g, minlength=n_groups)[:n_groups]
        else:
            # Rows in no cell have code n_groups: counted, then dropped with the last bin.
            some = grp.answered[:, cols].any(axis=1)
            n_out[:, d] = np.bincount(grp.code[some], minlength=n_groups + 1)[:n_groups]
        points = {inst.scale_of(inst.items[j]).points for j in cols}
        if len(points) != 1:
            continue
        null = null_variance(width - 1)
        if listwise:
            flat = g[:, None] * np.int32(m * width) + np.arange(0, m * width, width, dtype=np.int32)
            flat += block
            counts = np.bincount(flat.ravel(), minlength=n_groups * m * width)
            counts = counts[: n_groups * m * width].reshape(n_groups, m, width).astype(float)
        else:
            # Codes from width on (not applicable) fall outside the slice: unanswered.
            counts = grp.counts[:, cols, :width].astype(float)
        counts[:, :, 0] = 0.0  # blanks carry no value
        values = np.arange(width, dtype=float)
        n = counts.sum(axis=2)  # answers per group × item
        s1 = counts @ values
        s2 = counts @ values**2
        with np.errstate(divide="ignore", invalid="ignore"):
            # Sums of small integers: exact in float64.
            variances = np.maximum((n * s2 - s1**2) / (n * (n - 1)), 0.0)
            value = _rwg_j_from_mean_variance(variances.mean(axis=1), m, null)
        out[:, d] = np.where((n >= 2).all(axis=1), value, np.nan)
    return out, n_out


def _dimension_score(
    ctx: _Context,
    d: int,
    stats: _Lists,
    g: int,
    *,
    hide: bool = False,
    rel: _Reliability | None = None,
    rwg: tuple[float | None, int | None] = (None, None),
    hidden_reason: str | None = None,
) -> DimensionScore:
    """Dimension ``d`` of group ``g`` of ``stats`` (reliability overall, rwg(j) in groups)."""
    inst, min_n, meta = ctx.instrument, ctx.min_n, ctx.meta[d]
    rwg_j, rwg_j_n = rwg
    dim = inst.dimensions[d]
    n = int(stats["n"][g][d])
    if hide or n < min_n or hidden_reason is not None:
        return DimensionScore(
            dim.id,
            dim.title,
            n,
            None,
            None,
            None,
            None,
            None,
            None,
            pillar=dim.pillar,
            hidden_reason=hidden_reason or (too_few_scored(min_n) if n else None),
            kind=meta.kind,
            scale=meta.scale,
            positive_label=meta.positive_label,
        )
    pp = _finite(stats["positive"][g][d])
    band = inst.band_for(pp) if meta.banded else None
    low, high = _finite(stats["low"][g][d]), _finite(stats["high"][g][d])
    return DimensionScore(
        id=dim.id,
        title=dim.title,
        n=n,
        mean=_finite(stats["mean"][g][d]),
        sd=_finite(stats["sd"][g][d]),
        ci95=(low, high) if low is not None and high is not None else None,
        percent_positive=pp,
        percent_neutral=_finite(stats["neutral"][g][d]),
        percent_negative=_finite(stats["negative"][g][d]),
        alpha=rel.alpha if rel else None,
        omega=rel.omega if rel else None,
        rwg_j=None if rwg_j is None else _finite(rwg_j),
        rwg_j_n=rwg_j_n,
        band=band.id if band else None,
        band_label=band.label if band else None,
        pillar=dim.pillar,
        reliability_note=rel.note if rel else None,
        kind=meta.kind,
        scale=meta.scale,
        positive_label=meta.positive_label,
    )


def _item_score(
    ctx: _Context,
    j: int,
    stats: _Lists,
    g: int,
    *,
    hide: bool = False,
    consistency: tuple[float, float] = (math.nan, math.nan),
    hidden_reason: str | None = None,
) -> ItemScore:
    """Item ``j`` of group ``g`` of ``stats``; ``consistency`` is its item-total r and
    alpha if deleted (overall only)."""
    min_n = ctx.min_n
    item_total_r, alpha_if_deleted = consistency
    item = ctx.instrument.items[j]
    text = ctx.item_texts[j]
    n = int(stats["n"][g][j])
    n_na = int(stats["n_na"][g][j])
    if hide or n < min_n or hidden_reason is not None:
        return ItemScore(
            item.id,
            item.dimension,
            text,
            item.reverse,
            n,
            n_na,
            None,
            None,
            None,
            None,
            None,
            hidden_reason=hidden_reason or (too_few_answers(min_n) if n else None),
        )
    row = stats["counts"][g][j]
    return ItemScore(
        id=item.id,
        dimension=item.dimension,
        text=text,
        reverse=item.reverse,
        n=n,
        n_na=n_na,
        mean=_finite(stats["mean"][g][j]),
        sd=_finite(stats["sd"][g][j]),
        percent_positive=_finite(stats["positive"][g][j]),
        percent_neutral=_finite(stats["neutral"][g][j]),
        percent_negative=_finite(stats["negative"][g][j]),
        distribution={v: row[v] for v in range(1, ctx.item_points[j] + 1)},
        item_total_r=_none(item_total_r),
        alpha_if_deleted=_none(alpha_if_deleted),
    )


def group_title(inst: Instrument, by: dict[str, str]) -> str:
    """A group in words: each value as its option's label where the question has options."""
    parts = []
    for field_id, value in by.items():
        demographic = next((d for d in inst.demographics if d.id == field_id), None)
        option = None
        if demographic is not None:
            option = next((o for o in demographic.options if o.id == value), None)
        parts.append(option.label if option is not None else str(value))
    return " / ".join(parts)
