"""Change since the previous campaign, with a test, on matching items only (docs/design/scoring.md).

Two campaigns are compared dimension by dimension on the items both asked in the same way:
the same item id, the same wording (every language the current instrument has), the same
scale and the same keying. A person's score is recomputed on those items only (the mean
of the answered ones, if at least half were answered), so a reworded or added item never
moves a trend. The difference of the mean person scores is tested with Welch's t-test
(the campaigns are independent, anonymous samples); p-values are Holm-corrected across
the dimensions compared. Behaviour dimensions (how often people reported something)
compare the share who reported at least once, with a two-proportion z-test.

Confidentiality: nothing is compared unless both campaigns have at least the current
campaign's minimum group size of scored people on the dimension.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

import numpy as np

from culturescope import special_functions as sc  # what scipy.stats calls, no more
from culturescope.instruments import Scale
from culturescope.instruments.compare import matching_items
from culturescope.scoring.answers import scored_matrix
from culturescope.scoring.confidentiality import campaign_audit
from culturescope.storage import ResponseData

if TYPE_CHECKING:  # the full store imports SQLAlchemy; scoring only reads
    from culturescope.storage import Reader, Store

__all__ = ["DimensionTrend", "TrendResult", "campaign_trend", "matching_items", "trend"]


@dataclass(frozen=True)
class DimensionTrend:
    """One dimension now against the previous campaign (None where not computable)."""

    id: str
    title: str
    items: tuple[str, ...]  # the matching items compared
    left_out: tuple[str, ...]  # items of the dimension asked differently or not before
    measure: str  # "mean" (person scores) or "share" (reported at least once)
    current_n: int
    previous_n: int
    current: float | None = None  # mean on the matching items, or share in percent
    previous: float | None = None
    difference: float | None = None  # current - previous
    ci95: tuple[float, float] | None = None  # of the difference
    effect_size: float | None = None  # Hedges' g for means, Cohen's h for shares
    p_value: float | None = None
    p_adjusted: float | None = None  # Holm across the dimensions compared
    significant: bool | None = None
    current_percent_positive: float | None = None
    previous_percent_positive: float | None = None
    note: str | None = None

    @property
    def direction(self) -> str:
        """ "up", "down" or "same" (a change that is not significant is "same")."""
        if not self.significant or self.difference is None:
            return "same"
        return "up" if self.difference > 0 else "down"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "items": list(self.items),
            "left_out": list(self.left_out),
            "current_n": self.current_n,
            "previous_n": self.previous_n,
            "current": self.current,
            "previous": self.previous,
            "difference": self.difference,
            "ci95": list(self.ci95) if self.ci95 else None,
            "effect_size": self.effect_size,
            "p_value": self.p_value,
            "p_adjusted": self.p_adjusted,
            "significant": self.significant,
            "current_percent_positive": self.current_percent_positive,
            "previous_percent_positive": self.previous_percent_positive,
            "note": self.note,
        }


@dataclass(frozen=True)
class TrendResult:
    campaign: str
    previous: str
    alpha: float
    dimensions: tuple[DimensionTrend, ...]
    notes: list[str] = field(default_factory=list)

    def dimension(self, dim_id: str) -> DimensionTrend | None:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_campaign": self.previous,
            "alpha": self.alpha,
            "dimensions": [d.to_json() for d in self.dimensions],
            "notes": list(self.notes),
        }


class _Compared(TypedDict):
    """What every row of a dimension's trend starts from (the first fields of
    :class:`DimensionTrend`)."""

    id: str
    title: str
    items: tuple[str, ...]
    left_out: tuple[str, ...]
    measure: str


def trend(
    current: ResponseData,
    previous: ResponseData,
    *,
    min_group_size: int,
    alpha: float = 0.05,
    campaign: str = "",
    previous_name: str = "",
) -> TrendResult:
    """Compare two campaigns' responses dimension by dimension (see the module docstring).

    Parameters
    ----------
    current, previous : ResponseData
        The two campaigns' responses (``Store.load_responses``).
    min_group_size : int
        The current campaign's minimum: a side with fewer scored people shows no numbers.
    alpha : float
        Significance level after Holm's correction.
    """
    inst, old_inst = current.instrument, previous.instrument
    mismatch = matching_items(inst, old_inst)
    now_scored, _ = scored_matrix(inst, current)
    old_scored, _ = scored_matrix(old_inst, previous)
    now_col = {i.id: n for n, i in enumerate(inst.items)}
    old_col = {i.id: n for n, i in enumerate(old_inst.items)}
    notes: list[str] = []
    rows: list[DimensionTrend] = []
    # An item hidden in either campaign (too few answers, or hidden to protect a smaller
    # set) is left out: a trend over the other items would let it be subtracted back out.
    withheld = _hidden_items(current, min_group_size) | _hidden_items(previous, min_group_size)
    for dim in inst.dimensions:
        dim_items = inst.items_of(dim.id)
        same = tuple(i.id for i in dim_items if i.id not in mismatch and i.id not in withheld)
        left_out = tuple(i.id for i in dim_items if i.id in mismatch or i.id in withheld)
        behaviour = inst.dimension_kind(dim.id) == "behaviour"
        base = _Compared(
            id=dim.id,
            title=dim.title,
            items=same,
            left_out=left_out,
            measure="share" if behaviour else "mean",
        )
        if not same:
            rows.append(
                DimensionTrend(
                    **base, current_n=0, previous_n=0, note="no item was asked the same way"
                )
            )
            continue
        a = now_scored[:, [now_col[i] for i in same]]
        b = old_scored[:, [old_col[i] for i in same]]
        scales = [inst.scale_of(inst.item_by_id[i]) for i in same]
        pp_a, pp_b = _percent_positive(a, scales), _percent_positive(b, scales)
        if behaviour:
            x = _reported(a, scales)
            y = _reported(b, scales)
        else:
            x, y = _person_means(a), _person_means(b)
        n_a, n_b = len(x), len(y)
        if min(n_a, n_b) < min_group_size:
            rows.append(
                DimensionTrend(
                    **base,
                    current_n=n_a,
                    previous_n=n_b,
                    note=f"fewer than {min_group_size} scored responses in one campaign",
                )
            )
            continue
        if behaviour:
            rows.append(_share_trend(base, x, y, pp_a, pp_b))
        else:
            rows.append(_mean_trend(base, x, y, pp_a, pp_b))
    rows = _holm_adjusted(rows, alpha)
    kept_back = sorted(i for i in withheld if i in inst.item_by_id and i not in mismatch)
    if kept_back:
        notes.append(
            f"{len(kept_back)} item(s) are left out of the trend because fewer than "
            f"{min_group_size} people answered them in one of the campaigns, so that they "
            "cannot be worked out from it."
        )
    if mismatch:
        notes.append(
            f"{len(mismatch)} item(s) are left out of the trend because they were not asked "
            "the same way in the previous campaign."
        )
    return TrendResult(campaign, previous_name, alpha, tuple(rows), notes)


def campaign_trend(
    store: Store | Reader,
    campaign_ref: str | int,
    *,
    alpha: float = 0.05,
    data: ResponseData | None = None,
) -> TrendResult | None:
    """The trend of a stored campaign against its previous campaign; None when it has none.

    ``data``: the campaign's responses when the caller has already loaded them (``score``
    does), so that they are not read from the database a second time.
    """
    camp = store.campaign(campaign_ref)
    if camp.previous_campaign_id is None:
        return None
    prev = store.campaign(camp.previous_campaign_id)
    return trend(
        data if data is not None else store.load_responses(camp.id),
        store.load_responses(prev.id),
        min_group_size=camp.min_group_size,
        alpha=alpha,
        campaign=camp.name,
        previous_name=prev.name,
    )


# ---- pieces --------------------------------------------------------------------------
def _hidden_items(data: ResponseData, minimum: int) -> set[str]:
    """Items whose overall figures the campaign's linked-table audit hides."""
    if len(data) < minimum:
        return set()  # no numbers at all: the trend says so by its counts
    audit = campaign_audit(data, min_group_size=minimum)
    return {i.id for i in data.instrument.items if audit.visibility((), f"item:{i.id}").hidden}


def _person_means(block: np.ndarray) -> np.ndarray:
    answered = (~np.isnan(block)).sum(axis=1)
    enough = (answered * 2 >= block.shape[1]) & (answered > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nansum(block, axis=1) / answered
    shown: np.ndarray = means[enough]
    return shown


def _reported(block: np.ndarray, scales: Sequence[Scale]) -> np.ndarray:
    """1.0 for people positive on at least one item, 0.0 for people who answered none
    positively; people who answered nothing are left out."""
    positive = np.zeros(block.shape, dtype=bool)
    for j, s in enumerate(scales):
        positive[:, j] = np.isin(block[:, j], list(s.positive))
    answered = (~np.isnan(block)).any(axis=1)
    # cast: numpy's stubs give any() a scalar-or-array result even with an axis, where a
    # 2-D array always gives an array.
    per_person = cast(np.ndarray, positive.any(axis=1))
    reported: np.ndarray = per_person[answered].astype(float)
    return reported


def _percent_positive(block: np.ndarray, scales: Sequence[Scale]) -> float | None:
    shares: list[float] = []
    for j, s in enumerate(scales):
        column = block[:, j]
        column = column[~np.isnan(column)]
        if len(column):
            shares.append(100.0 * np.isin(column, list(s.positive)).mean())
    return float(np.mean(shares)) if shares else None


def _mean_trend(
    base: _Compared, x: np.ndarray, y: np.ndarray, pp_a: float | None, pp_b: float | None
) -> DimensionTrend:
    n_a, n_b = len(x), len(y)
    diff = float(x.mean() - y.mean())
    va, vb = x.var(ddof=1) / n_a, y.var(ddof=1) / n_b
    se = math.sqrt(va + vb)
    if se > 0:
        df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
        p = float(2 * sc.stdtr(df, -abs(diff) / se))
        half = float(sc.stdtrit(df, 0.975) * se)
    else:
        # Both campaigns without spread: the exact permutation p-value (every relabelling
        # is the observed split or its mirror), not 0.
        p = 1.0 if diff == 0 else min(1.0, 2.0 / math.comb(n_a + n_b, n_a))
        half = 0.0
    pooled = math.sqrt(((n_a - 1) * x.var(ddof=1) + (n_b - 1) * y.var(ddof=1)) / (n_a + n_b - 2))
    g = None
    if pooled > 0:
        g = diff / pooled * (1 - 3 / (4 * (n_a + n_b) - 9))
    return DimensionTrend(
        **base,
        current_n=n_a,
        previous_n=n_b,
        current=float(x.mean()),
        previous=float(y.mean()),
        difference=diff,
        ci95=(diff - half, diff + half),
        effect_size=g,
        p_value=p,
        current_percent_positive=pp_a,
        previous_percent_positive=pp_b,
    )


def _share_trend(
    base: _Compared, x: np.ndarray, y: np.ndarray, pp_a: float | None, pp_b: float | None
) -> DimensionTrend:
    n_a, n_b = len(x), len(y)
    p_a, p_b = float(x.mean()), float(y.mean())
    pooled = (x.sum() + y.sum()) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    # Both shares 0% or both 100%: the z-test is undefined (no p-value, not a made-up 1.0).
    p = float(2 * sc.ndtr(-abs(p_a - p_b) / se0)) if se0 > 0 else None
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    diff = 100.0 * (p_a - p_b)
    half = 100.0 * float(sc.ndtri(0.975)) * se  # the exact quantile, not 1.96
    h = 2 * math.asin(math.sqrt(p_a)) - 2 * math.asin(math.sqrt(p_b))
    return DimensionTrend(
        **base,
        current_n=n_a,
        previous_n=n_b,
        current=100.0 * p_a,
        previous=100.0 * p_b,
        difference=diff,
        ci95=(diff - half, diff + half),
        effect_size=h,
        p_value=p,
        current_percent_positive=pp_a,
        previous_percent_positive=pp_b,
        note=None
        if p is not None
        else f"no test: the share was {100.0 * p_a:.0f}% in both campaigns",
    )


def _holm_adjusted(rows: list[DimensionTrend], alpha: float) -> list[DimensionTrend]:
    from dataclasses import replace

    tested = sorted((r.p_value, n) for n, r in enumerate(rows) if r.p_value is not None)
    m = len(tested)
    adjusted: dict[int, float] = {}
    running = 0.0
    for rank, (p, n) in enumerate(tested):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[n] = running
    return [
        replace(r, p_adjusted=adjusted[n], significant=adjusted[n] < alpha) if n in adjusted else r
        for n, r in enumerate(rows)
    ]
