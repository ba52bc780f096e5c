"""Hand-built scoring results for report tests (independent of the scoring engine)."""

from __future__ import annotations

import math

import numpy as np

from culturescope.instruments import Instrument
from culturescope.scoring.results import (
    Agreement,
    DimensionScore,
    GroupResult,
    ItemScore,
    ScoreResult,
)

HIDDEN_TEAM = "Secret Squirrels"


def _item(inst: Instrument, item, rng: np.random.Generator, shift: float, n: int) -> ItemScore:
    scale = inst.scale_of(item)
    p = np.exp(-0.5 * ((np.arange(1, scale.points + 1) - (scale.points * 0.55 + shift)) / 1.1) ** 2)
    counts = rng.multinomial(n, p / p.sum())
    dist = {v + 1: int(c) for v, c in enumerate(counts)}
    total = sum(dist.values())
    pos = sum(dist[v] for v in scale.positive) / total * 100
    neg = sum(dist[v] for v in scale.negative) / total * 100
    mean = sum(v * c for v, c in dist.items()) / total
    sd = math.sqrt(sum(c * (v - mean) ** 2 for v, c in dist.items()) / (total - 1))
    return ItemScore(
        id=item.id,
        dimension=item.dimension,
        text=item.text_for("en"),
        reverse=item.reverse,
        n=total,
        n_na=int(rng.integers(0, 3)),
        mean=mean,
        sd=sd,
        percent_positive=pos,
        percent_neutral=100 - pos - neg,
        percent_negative=neg,
        distribution=dist,
        item_total_r=0.5,
        alpha_if_deleted=0.8,
    )


def _dims(
    inst: Instrument, items: list[ItemScore], n: int, *, group: bool
) -> tuple[DimensionScore, ...]:
    out = []
    for d in inst.dimensions:
        its = [i for i in items if i.dimension == d.id]
        if not its:
            continue
        mean = float(np.mean([i.mean for i in its]))
        sd = 0.7
        half = 1.96 * sd / math.sqrt(n)
        pp = float(np.mean([i.percent_positive for i in its]))
        # As the engine: behaviour dimensions (how often people reported...) have no band,
        # no reliability, and their percent positive means "reported at least once".
        kind = inst.dimension_kind(d.id)
        behaviour = kind == "behaviour"
        band = None if behaviour else inst.band_for(pp)
        scale = inst.dimension_scale(d.id)
        out.append(
            DimensionScore(
                id=d.id,
                title=d.title,
                n=n,
                mean=mean,
                sd=sd,
                ci95=(mean - half, mean + half),
                percent_positive=pp,
                percent_neutral=float(np.mean([i.percent_neutral for i in its])),
                percent_negative=float(np.mean([i.percent_negative for i in its])),
                alpha=None if group or behaviour else 0.82,
                omega=None if group or behaviour else 0.84,
                rwg_j=0.75 if group else None,
                band=band.id if band else None,
                band_label=band.label if band else None,
                pillar=d.pillar,
                kind=kind,
                scale=scale.id if scale else None,
                positive_label="reported at least once" if behaviour else "positive",
                reliability_note=(
                    "not computed: the items count different behaviours"
                    if behaviour and not group
                    else None
                ),
            )
        )
    return tuple(out)


def make_result(
    inst: Instrument,
    *,
    campaign: str = "2026 Q4",
    seed: int = 1,
    teams: tuple[str, ...] = ("Research", "Platform", "Policy", "Operations"),
    hidden: tuple[str, ...] = (HIDDEN_TEAM,),
    shift: float = 0.0,
) -> ScoreResult:
    rng = np.random.default_rng(seed)
    n_total = 120
    items = [_item(inst, it, rng, shift + rng.normal(0, 0.6), n_total) for it in inst.items]
    groups = []
    for k, team in enumerate(teams):
        n = 20 + 5 * k
        g_items = [_item(inst, it, rng, shift + (k - 1.5) * 0.5, n) for it in inst.items]
        groups.append(
            GroupResult(
                by={"team": team},
                n=n,
                hidden=False,
                reason=None,
                dimensions=_dims(inst, g_items, n, group=True),
                items=tuple(g_items),
            )
        )
    for team in hidden:
        groups.append(
            GroupResult(by={"team": team}, n=None, hidden=True, reason="fewer than 5 responses")
        )
    return ScoreResult(
        campaign=campaign,
        instrument=inst,
        responses=n_total,
        min_group_size=5,
        by=("team",),
        dimensions=_dims(inst, items, n_total, group=False),
        items=tuple(items),
        groups=tuple(groups),
        agreement=tuple(
            Agreement(
                dimension=d.id,
                icc1=0.08,
                icc2=0.6,
                mean_rwg_j=0.74,
                aggregation_justified=True,
                reason="rwg(j) ≥ .70 and ICC(1) > 0",
            )
            for d in inst.dimensions
        ),
        notes=("3 responses without a team are counted only overall",),
    )
