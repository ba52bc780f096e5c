"""Small synthetic organisations for the signal tests (fast: no database needed).

``organisation(...)`` draws answers to the flagship from a latent "how good is it here"
per respondent; knobs switch on one safety-washing pattern at a time.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd

from culturescope.instruments import get_instrument as _load_instrument
from culturescope.scoring.results import DimensionScore, GroupResult, ItemScore, ScoreResult
from culturescope.scoring.statistics import rwg_j
from culturescope.signals.inputs import SurveyFrame, percent_positive
from culturescope.storage import Campaign, ResponseData


@functools.cache
def get_instrument(key: str):
    return _load_instrument(key)  # YAML parsing is the slow part of these tests


def campaign(name="C", *, min_group_size=5, headcounts=None, instrument="ai-safety-culture"):
    inst = get_instrument(instrument)
    return Campaign(
        id=abs(hash(name)) % 10_000,
        name=name,
        organisation="Org",
        instrument_key=inst.key,
        min_group_size=min_group_size,
        min_comment_group_size=10,
        status="open",
        opens_on=dt.date(2026, 1, 1),
        closes_on=None,
        created_on=dt.date(2026, 1, 1),
        previous_campaign_id=None,
        headcounts=headcounts or {},
    )


def organisation(
    *,
    teams=(("Red", 30), ("Blue", 30)),
    roles=(0.7, 0.15, 0.15),  # front_line, manager, senior_leader shares
    leader_lift=0.0,
    area_effects=None,
    awareness_shift=0.3,
    report_rate=0.6,
    team_report_rate=None,
    split_team=None,
    careless=0,
    neutral=0,
    seed=1,
    level=0.9,
    min_group_size=5,
    headcounts=None,
    instrument="ai-safety-culture",
    name="C",
) -> SurveyFrame:
    inst = get_instrument(instrument)
    rng = np.random.default_rng(seed)
    team = np.concatenate([[t] * n for t, n in teams])
    n = len(team)
    role = rng.choice(["front_line", "manager", "senior_leader"], size=n, p=list(roles))
    theta = level + rng.normal(0, 0.35, n) + np.where(role == "senior_leader", leader_lift, 0.0)
    area_effects = area_effects or {}
    answers = {}
    for item in inst.items:
        scale = inst.scale_of(item)
        if item.kind == "behaviour":
            rate = np.full(n, report_rate)
            for t, r in (team_report_rate or {}).items():
                rate[team == t] = r
            # two reporting items: "at least once" on either should happen at about `rate`
            per_item = 1 - np.sqrt(1 - rate)
            answers[item.id] = np.where(rng.random(n) < per_item, rng.choice([2, 3], n), 1)
            continue
        t = theta.copy()
        if item.kind == "practice":
            t = t + area_effects.get(item.practice_areas[0], 0.0)
        elif item.kind == "awareness":
            t = t + awareness_shift
        if split_team and item.dimension in ("safety_integration",):
            in_split = team == split_team
            half = rng.random(n) < 0.65
            t = np.where(in_split, np.where(half, 2.3, -1.6), t)
        v = np.clip(np.rint(3 + t + rng.normal(0, 0.45, n)), 1, scale.points)
        if item.reverse:
            v = scale.points + 1 - v
        answers[item.id] = v.astype(float)
    frame = pd.DataFrame(answers, index=pd.RangeIndex(1, n + 1, name="response_id"))
    agree = [i.id for i in inst.items if i.scale == "agree5"]
    for r in range(careless):
        frame.iloc[r, [frame.columns.get_loc(c) for c in agree]] = 5.0
    for r in range(careless, careless + neutral):
        frame.iloc[r, [frame.columns.get_loc(c) for c in agree]] = 3.0
    demographics = pd.DataFrame({"team": team, "role": role}, index=frame.index)
    data = ResponseData(
        instrument=inst,
        answers=frame[[i.id for i in inst.items]],
        demographics=demographics,
        meta=pd.DataFrame(index=frame.index),
        comments=pd.DataFrame(columns=["response_id", "prompt_id", "text"]),
    )
    camp = campaign(
        name, min_group_size=min_group_size, headcounts=headcounts, instrument=instrument
    )
    return SurveyFrame.from_data(camp, data)


def leaders_frame(n=12, *, level=0.9, seed=7, min_group_size=5):
    inst = get_instrument("leadership-self-assessment")
    rng = np.random.default_rng(seed)
    theta = level + rng.normal(0, 0.35, n)
    answers = {}
    for item in inst.items:
        v = np.clip(np.rint(3 + theta + rng.normal(0, 0.45, n)), 1, 5)
        answers[item.id] = (6 - v if item.reverse else v).astype(float)
    idx = pd.RangeIndex(1, n + 1, name="response_id")
    data = ResponseData(
        instrument=inst,
        answers=pd.DataFrame(answers, index=idx),
        demographics=pd.DataFrame({"role": ["manager"] * n}, index=idx),
        meta=pd.DataFrame(index=idx),
        comments=pd.DataFrame(columns=["response_id", "prompt_id", "text"]),
    )
    return SurveyFrame.from_data(
        campaign("Leaders", min_group_size=min_group_size, instrument=inst.id), data
    )


def _dimension(frame: SurveyFrame, mask, dim) -> DimensionScore:
    ids = [i.id for i in frame.instrument.items_of(dim.id)]
    persons = frame.persons.loc[mask, dim.id].dropna()
    points = frame.instrument.scale_of(ids[0]).points
    return DimensionScore(
        id=dim.id,
        title=dim.title,
        n=len(persons),
        mean=float(persons.mean()) if len(persons) else None,
        sd=float(persons.std()) if len(persons) > 1 else None,
        ci95=None,
        percent_positive=percent_positive(frame.positive.loc[mask, ids]),
        percent_neutral=None,
        percent_negative=float(
            (frame.scored.loc[mask, ids] <= 2).sum().sum()
            / frame.scored.loc[mask, ids].notna().sum().sum()
            * 100
        ),
        rwg_j=rwg_j(frame.scored.loc[mask, ids], scale_points=points),
        pillar=dim.pillar,
    )


def scores(frame: SurveyFrame, by: str | None = None) -> ScoreResult:
    """A hand-built ScoreResult (hidden below the minimum, no differencing protection)."""
    inst = frame.instrument
    everyone = pd.Series(True, index=frame.scored.index)
    items = []
    for item in inst.items:
        col = frame.positive[item.id].dropna()
        items.append(
            ItemScore(
                id=item.id,
                dimension=item.dimension,
                text=item.text_for("en"),
                reverse=item.reverse,
                n=len(col),
                n_na=0,
                mean=float(frame.scored[item.id].mean()),
                sd=None,
                percent_positive=float(col.mean() * 100) if len(col) else None,
                percent_neutral=None,
                percent_negative=None,
            )
        )
    groups = []
    if by is not None:
        for value, idx in frame.demographics.groupby(by).groups.items():
            mask = frame.scored.index.isin(idx)
            if mask.sum() < frame.min_group_size:
                groups.append(GroupResult({by: value}, None, True, "fewer than 5 responses"))
                continue
            dims = tuple(_dimension(frame, mask, d) for d in inst.dimensions)
            groups.append(GroupResult({by: value}, int(mask.sum()), False, None, dims))
    return ScoreResult(
        campaign=frame.campaign.name,
        instrument=inst,
        responses=len(frame),
        min_group_size=frame.min_group_size,
        by=(by,) if by else (),
        dimensions=tuple(_dimension(frame, everyone, d) for d in inst.dimensions),
        items=tuple(items),
        groups=tuple(groups),
    )
