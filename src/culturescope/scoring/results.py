"""The scoring result: what every view, export and signal reads.

Confidentiality (docs/design/confidentiality.md) is applied when the result is built: a hidden group
carries no numbers at all (``n`` None, no dimensions, no items), so no caller can leak it.
Numbers are unrounded; round only when displaying.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from culturescope.instruments import Instrument, Scale


@dataclass(frozen=True)
class DimensionScore:
    """A dimension over all respondents (or within one visible group)."""

    id: str
    title: str
    n: int  # persons with a dimension score (answered at least half of its items)
    mean: float | None  # mean of person scores, on the scale's 1..points
    sd: float | None
    ci95: tuple[float, float] | None  # 95% interval of the mean, inside the scale
    percent_positive: float | None  # 0-100, mean of the items' percent positive
    percent_neutral: float | None
    percent_negative: float | None
    alpha: float | None = None  # Cronbach's alpha (listwise); overall only
    omega: float | None = None  # McDonald's omega total; overall only, where computable
    rwg_j: float | None = None  # within-group agreement; groups only
    #: Group members behind rwg_j: those who answered at least one of the dimension's items
    #: (with the listwise option: all of them). None overall.
    rwg_j_n: int | None = None
    band: str | None = None  # interpretation band id; None for behaviour/other scales
    band_label: str | None = None
    pillar: bool = False
    #: The kind of the dimension's items: "attitude", "practice", "awareness", "behaviour"
    #: or "mixed". A "behaviour" dimension counts what people did (e.g. reported a concern):
    #: it has no band and no reliability, and ``percent_positive`` is the share of people
    #: who reported at least once.
    kind: str = "attitude"
    scale: str | None = None  # id of the scale its items share (None if they differ)
    positive_label: str = "positive"  # what percent_positive counts, in words
    reliability_note: str | None = None  # why alpha/omega are None (overall only)
    #: Why the numbers are not shown (e.g. "fewer than 5 people with a score", "hidden to
    #: protect a smaller group"); None when shown.
    hidden_reason: str | None = None

    @property
    def counts_behaviour(self) -> bool:
        """True for a dimension of behaviour items (how often people did something)."""
        return self.kind == "behaviour"


@dataclass(frozen=True)
class ItemScore:
    id: str
    dimension: str
    text: str
    reverse: bool
    n: int  # answered, N/A excluded
    n_na: int  # answered "not applicable / don't know"
    mean: float | None  # on the scored (reverse-keyed) value
    sd: float | None
    percent_positive: float | None
    percent_neutral: float | None
    percent_negative: float | None
    distribution: dict[int, int] = field(default_factory=dict)  # scored value -> count
    item_total_r: float | None = None  # corrected item-total correlation; overall only
    alpha_if_deleted: float | None = None
    hidden_reason: str | None = None  # why the numbers are not shown; None when shown


@dataclass(frozen=True)
class GroupResult:
    """One breakdown cell, e.g. ``{"team": "Red"}`` or ``{"team": "Red", "role": "manager"}``."""

    by: dict[str, str]
    n: int | None  # None when hidden
    hidden: bool
    reason: str | None  # why hidden, in words a user understands
    dimensions: tuple[DimensionScore, ...] = ()
    items: tuple[ItemScore, ...] = ()
    #: The group in words: option labels ("Front-line staff") instead of ids.
    title: str = ""

    def dimension(self, dim_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    @property
    def label(self) -> str:
        return self.title or " / ".join(str(v) for v in self.by.values())


@dataclass(frozen=True)
class Agreement:
    """Whether a dimension may be aggregated to the breakdown's groups."""

    dimension: str
    icc1: float | None
    icc2: float | None
    mean_rwg_j: float | None  # over visible groups
    aggregation_justified: bool | None  # None when it cannot be judged (too few groups)
    reason: str  # every criterion with its figure and its meaning
    rwg_j_groups: int = 0  # visible groups with an rwg(j)
    rwg_j_n: int = 0  # people behind those rwg(j) values
    f_statistic: float | None = None  # one-way ANOVA F of the dimension score by group
    f_df: tuple[int, int] = (0, 0)  # its degrees of freedom (between, within)
    f_p_value: float | None = None
    group_means_reliable: bool | None = None  # ICC(2) >= .70 (False when groups do not differ)

    @property
    def no_difference(self) -> bool:
        """Groups differ less than chance would make them (ICC(2) negative or undefined
        because all group means are equal)."""
        return self.icc2 is not None and self.icc2 < 0


@dataclass(frozen=True)
class ScoreResult:
    campaign: str
    instrument: Instrument
    responses: int
    min_group_size: int
    by: tuple[str, ...]
    dimensions: tuple[DimensionScore, ...]
    items: tuple[ItemScore, ...]
    groups: tuple[GroupResult, ...] = ()
    agreement: tuple[Agreement, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "3 responses without a team are counted only overall"

    def dimension(self, dim_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    def scale_text(self, d: DimensionScore) -> str:
        """The range a dimension's mean is on, e.g. "1–4 (Never … More than 5 times)"."""
        scale = self.instrument.scales.get(d.scale) if d.scale else None
        return describe_scale(scale) if scale is not None else ""

    def item(self, item_id: str) -> ItemScore | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def visible_groups(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if not g.hidden)

    @property
    def hidden_groups(self) -> tuple[GroupResult, ...]:
        return tuple(g for g in self.groups if g.hidden)

    def to_json(self) -> dict[str, Any]:
        """The documented ``score --json`` format (docs/json-formats.md)."""
        return {
            "campaign": self.campaign,
            "instrument": {"id": self.instrument.id, "version": self.instrument.version},
            "responses": self.responses,
            "min_group_size": self.min_group_size,
            "by": list(self.by),
            "dimensions": [_dimension_json(d, overall=True) for d in self.dimensions],
            "items": [_item_json(i) for i in self.items],
            "groups": [
                {
                    "by": dict(g.by),
                    "n": g.n,
                    "hidden": g.hidden,
                    "reason": g.reason,
                    "dimensions": [] if g.hidden else [_dimension_json(d) for d in g.dimensions],
                }
                for g in self.groups
            ],
            "agreement": [
                {
                    "dimension": a.dimension,
                    "icc1": _num(a.icc1),
                    "icc2": _num(a.icc2),
                    "mean_rwg_j": _num(a.mean_rwg_j),
                    "rwg_j_groups": a.rwg_j_groups,
                    "rwg_j_n": a.rwg_j_n,
                    "f_statistic": _num(a.f_statistic),
                    "f_df": list(a.f_df),
                    "f_p_value": _num(a.f_p_value),
                    "aggregation_justified": a.aggregation_justified,
                    "group_means_reliable": a.group_means_reliable,
                    "reason": a.reason,
                }
                for a in self.agreement
            ],
            "notes": list(self.notes),
        }


def describe_scale(scale: Scale) -> str:
    """A scale's range with its end labels: "1–4 (Never … More than 5 times)"."""
    if not scale.labels:
        return f"1–{scale.points}"
    return f"1–{scale.points} ({scale.labels[0]} … {scale.labels[-1]})"


def _num(x: float | None) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _dimension_json(d: DimensionScore, *, overall: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "pillar": d.pillar,
        "n": d.n,
        "mean": _num(d.mean),
        "sd": _num(d.sd),
        "ci95": [_num(d.ci95[0]), _num(d.ci95[1])] if d.ci95 else None,
        "percent_positive": _num(d.percent_positive),
        "percent_neutral": _num(d.percent_neutral),
        "percent_negative": _num(d.percent_negative),
        "band": d.band,
        "kind": d.kind,
        "scale": d.scale,
        "percent_positive_means": d.positive_label,
        "hidden_reason": d.hidden_reason,
    }
    if overall:
        out["alpha"] = _num(d.alpha)
        out["omega"] = _num(d.omega)
        out["reliability_note"] = d.reliability_note
    else:
        out["rwg_j"] = _num(d.rwg_j)
        out["rwg_j_n"] = d.rwg_j_n
    return out


def _item_json(i: ItemScore) -> dict[str, Any]:
    return {
        "id": i.id,
        "dimension": i.dimension,
        "text": i.text,
        "reverse": i.reverse,
        "n": i.n,
        "n_na": i.n_na,
        "mean": _num(i.mean),
        "sd": _num(i.sd),
        "percent_positive": _num(i.percent_positive),
        "percent_neutral": _num(i.percent_neutral),
        "percent_negative": _num(i.percent_negative),
        "distribution": {str(k): v for k, v in sorted(i.distribution.items())},
        "item_total_r": _num(i.item_total_r),
        "alpha_if_deleted": _num(i.alpha_if_deleted),
        "hidden_reason": i.hidden_reason,
    }
