"""Scoring a campaign: data preparation, the ScoreResult, agreement and confidentiality."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culturescope.instruments import parse_instrument
from culturescope.scoring import person_scores, scored_answers
from culturescope.storage import ResponseData

SMALL = """
id: small
version: "1"
title: Small test instrument
description: Two dimensions on two scales.
languages: [en]
scales:
  agree5:
    points: 5
    labels: [SD, D, N, A, SA]
    not_applicable: {code: 0, label: N/A}
  freq4:
    points: 4
    labels: [Never, Once, Few, Many]
    positive: [3, 4]
    negative: [1]
dimensions:
  - {id: trust, title: Trust, pillar: true}
  - {id: reporting, title: Reporting}
items:
  - {id: T1, dimension: trust, scale: agree5, text: "One"}
  - {id: T2, dimension: trust, scale: agree5, reverse: true, text: "Two"}
  - {id: T3, dimension: trust, scale: agree5, text: "Three"}
  - {id: T4, dimension: trust, scale: agree5, text: "Four"}
  - {id: R1, dimension: reporting, scale: freq4, text: "Five"}
  - {id: R2, dimension: reporting, scale: freq4, text: "Six"}
demographics:
  - {id: team, label: Team}
  - id: role
    label: Role
    options:
      - {id: front_line, label: Front line}
      - {id: manager, label: Manager}
      - {id: prefer_not_to_say, label: Prefer not to say}
bands:
  - {id: strength, label: Strength, at_least: 75}
  - {id: moderate, label: Moderate, above: 50}
  - {id: improve, label: Improve, at_least: 0}
"""


@pytest.fixture(scope="module")
def small():
    return parse_instrument(SMALL, source="small.yaml")


def make_data(instrument, answers, demographics=None) -> ResponseData:
    """ResponseData as Store.load_responses returns it, from rows of raw codes."""
    item_ids = [i.id for i in instrument.items]
    index = pd.Index(range(1, len(answers) + 1), name="response_id")
    frame = pd.DataFrame(answers, columns=item_ids, index=index, dtype=float)
    demographic_ids = [d.id for d in instrument.demographics]
    demographics = pd.DataFrame(demographics or [{}] * len(answers), index=index).reindex(
        columns=demographic_ids
    )
    demographics = demographics.astype(object).where(demographics.notna(), None)
    meta = pd.DataFrame(
        {"source": "test", "source_ref": None, "submitted_on": None, "batch_id": 1}, index=index
    )
    comments = pd.DataFrame(columns=["response_id", "prompt_id", "text"])
    return ResponseData(instrument, frame, demographics, meta, comments)


nan = float("nan")


# --- data preparation -------------------------------------------------------------------


def test_scored_answers_reverse_keys_and_na(small):
    data = make_data(small, [[5, 5, 0, nan, 1, 4], [1, 1, 3, 2, 2, nan]])
    scored = scored_answers(data)
    assert list(scored.columns) == ["T1", "T2", "T3", "T4", "R1", "R2"]
    assert scored.loc[1, "T1"] == 5
    assert scored.loc[1, "T2"] == 1  # (1 + 5) - 5
    assert scored.loc[2, "T2"] == 5
    assert math.isnan(scored.loc[1, "T3"])  # N/A is missing, never a number
    assert math.isnan(scored.loc[1, "T4"])
    assert scored.loc[1, "R2"] == 4  # frequency scale has no N/A; 4 is an answer


def test_scored_answers_refuses_codes_outside_the_scale(small):
    data = make_data(small, [[5, 5, 5, 5, 5, 5]])
    with pytest.raises(ValueError, match=r"response 1, item R1: 5 is not an answer"):
        scored_answers(data)


def test_person_scores_need_half_of_the_items(small):
    data = make_data(
        small,
        [
            [4, 2, 0, 0, 1, 2],  # trust: 2 of 4 answered (N/A twice) → mean(4, 4) = 4
            [4, 0, 0, 0, 3, nan],  # trust: 1 of 4 → NaN; reporting 1 of 2 → 3
            [nan] * 6,
        ],
    )
    scores = person_scores(data)
    assert list(scores.columns) == ["trust", "reporting"]
    assert scores.loc[1, "trust"] == 4.0
    assert scores.loc[1, "reporting"] == 1.5
    assert math.isnan(scores.loc[2, "trust"])
    assert scores.loc[2, "reporting"] == 3.0
    assert scores.loc[3].isna().all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=4, max_size=4), min_size=1, max_size=20))
def test_reverse_keying_is_an_involution(rows):
    small_inst = parse_instrument(SMALL, source="small.yaml")
    answers = [[*r, 1, 1] for r in rows]
    data = make_data(small_inst, answers)
    once = scored_answers(data)
    # Scoring the scored values again (with N/A already missing) turns reverse items back.
    twice = scored_answers(make_data(small_inst, once.to_numpy()))
    raw = data.answers.where(data.answers != 0)
    pd.testing.assert_frame_equal(twice, raw, check_names=False)
    assert np.all(np.isnan(once.to_numpy()) == (data.answers.to_numpy() == 0))


# --- score_campaign -------------------------------------------------------------------------

from culturescope import Cancelled  # noqa: E402
from culturescope.scoring import (  # noqa: E402
    ScoringError,
    cronbach_alpha,
    icc1,
    icc2,
    item_total_correlations,
    mean_ci95,
    rwg_j,
    score,
    score_campaign,
)
from culturescope.storage import NewResponse  # noqa: E402


def synthetic(instrument, team_sizes, *, seed=0, na_rate=0.05, roles=None):
    """Answers with team effects: each team has its own mean; a few N/A and blanks."""
    rng = np.random.default_rng(seed)
    answers, demographics = [], []
    for t, (team, size) in enumerate(team_sizes.items()):
        centre = 2.2 + 0.5 * (t % 5)
        for _ in range(size):
            person = rng.normal(centre, 0.5)
            row = []
            for item in instrument.items:
                scale = instrument.scale_of(item)
                value = int(np.clip(round(person + rng.normal(0, 0.7)), 1, scale.points))
                if item.reverse:
                    value = scale.points + 1 - value
                u = rng.random()
                if u < na_rate and scale.na_code is not None:
                    value = scale.na_code
                elif u < na_rate * 1.5:
                    value = nan
                row.append(value)
            answers.append(row)
            demographics.append({"team": team, "role": rng.choice(roles) if roles else None})
    return make_data(instrument, answers, demographics)


@pytest.fixture(scope="module")
def teams_data(small):
    return synthetic(small, {"Red": 30, "Blue": 24, "Green": 18, "Amber": 12, "Tiny": 3}, seed=1)


def test_overall_scores_match_the_statistics(teams_data):
    result = score_campaign(teams_data, campaign="Q4")
    persons = person_scores(teams_data)
    scored = scored_answers(teams_data)
    assert result.responses == 87
    assert result.campaign == "Q4"
    trust = result.dimension("trust")
    assert trust.pillar and trust.title == "Trust"
    x = persons["trust"].dropna()
    assert trust.n == len(x)
    assert trust.mean == pytest.approx(x.mean())
    assert trust.sd == pytest.approx(x.std(ddof=1))
    assert trust.ci95 == pytest.approx(mean_ci95(x, bounds=(1, 5)))
    cols = ["T1", "T2", "T3", "T4"]
    assert trust.alpha == pytest.approx(cronbach_alpha(scored[cols]))
    table = item_total_correlations(scored[cols])
    for item_id in cols:
        item = result.item(item_id)
        assert item.item_total_r == pytest.approx(table.loc[item_id, "item_total_r"])
        assert item.alpha_if_deleted == pytest.approx(table.loc[item_id, "alpha_if_deleted"])
        values = scored[item_id].dropna()
        assert item.n == len(values)
        assert item.n_na == int((teams_data.answers[item_id] == 0).sum())
        assert item.mean == pytest.approx(values.mean())
        assert item.sd == pytest.approx(values.std(ddof=1))
        assert item.percent_positive == pytest.approx(100 * (values >= 4).mean())
        assert item.percent_neutral == pytest.approx(100 * (values == 3).mean())
        assert item.percent_negative == pytest.approx(100 * (values <= 2).mean())
        assert item.distribution == {v: int((values == v).sum()) for v in range(1, 6)}
    pps = [result.item(i).percent_positive for i in cols]
    assert trust.percent_positive == pytest.approx(np.mean(pps))
    band = teams_data.instrument.band_for(trust.percent_positive)
    assert trust.band == band.id and trust.band_label == band.label


def test_frequency_dimension_uses_its_own_scale(teams_data):
    result = score_campaign(teams_data, by=["team"])
    scored = scored_answers(teams_data)
    r1 = result.item("R1")
    values = scored["R1"].dropna()
    # freq4 declares positive [3, 4], negative [1]: 2 is neutral.
    assert r1.percent_positive == pytest.approx(100 * (values >= 3).mean())
    assert r1.percent_neutral == pytest.approx(100 * (values == 2).mean())
    assert set(r1.distribution) == {1, 2, 3, 4}
    assert result.dimension("reporting").omega is None  # two items: not identified
    red = next(g for g in result.groups if g.by == {"team": "Red"})
    block = scored.loc[teams_data.demographics.team == "Red", ["R1", "R2"]]
    assert red.dimension("reporting").rwg_j == pytest.approx(rwg_j(block, scale_points=4))


def test_groups_hide_small_teams_and_match_the_statistics(teams_data):
    result = score_campaign(teams_data, by=["team"])
    by_team = {g.by["team"]: g for g in result.groups}
    assert [g.by["team"] for g in result.groups] == ["Amber", "Blue", "Green", "Red", "Tiny"]
    tiny = by_team["Tiny"]
    assert tiny.hidden and tiny.n is None and tiny.reason == "fewer than 5 responses"
    assert tiny.dimensions == () and tiny.items == ()
    # Amber is the next-smallest: hidden so Tiny cannot be recovered from the total.
    amber = by_team["Amber"]
    assert amber.hidden and amber.reason == "hidden to protect a smaller group"
    persons = person_scores(teams_data)
    scored = scored_answers(teams_data)
    team = teams_data.demographics.team
    for name in ("Red", "Blue", "Green"):
        g = by_team[name]
        assert not g.hidden and g.n == int((team == name).sum())
        x = persons.loc[team == name, "trust"].dropna()
        dim = g.dimension("trust")
        assert dim.mean == pytest.approx(x.mean())
        assert dim.sd == pytest.approx(x.std(ddof=1))
        assert dim.ci95 == pytest.approx(mean_ci95(x, bounds=(1, 5)))
        block = scored.loc[team == name, ["T1", "T2", "T3", "T4"]]
        assert dim.rwg_j == pytest.approx(rwg_j(block, scale_points=5))
        assert dim.alpha is None
        item = next(i for i in g.items if i.id == "T2")
        values = block["T2"].dropna()
        assert item.mean == pytest.approx(values.mean())
        assert item.distribution == {v: int((values == v).sum()) for v in range(1, 6)}
    # Agreement over the visible groups only.
    visible = team.isin(["Red", "Blue", "Green"])
    agreement = next(a for a in result.agreement if a.dimension == "trust")
    assert agreement.icc1 == pytest.approx(icc1(persons.trust[visible], team[visible]))
    assert agreement.icc2 == pytest.approx(icc2(persons.trust[visible], team[visible]))
    rwgs = [by_team[n].dimension("trust").rwg_j for n in ("Red", "Blue", "Green")]
    assert agreement.mean_rwg_j == pytest.approx(np.mean(rwgs))
    assert isinstance(agreement.aggregation_justified, bool)
    assert agreement.reason


def test_aggregation_verdicts(small):
    # Strong team effects and tight teams: justified.
    rng = np.random.default_rng(4)
    rows, demographics = [], []
    for team, level in (("A", 1), ("B", 3), ("C", 5)):
        for _ in range(10):
            rows.append([level if rng.random() > 0.1 else max(1, level - 1)] * 4 + [2, 2])
            demographics.append({"team": team})
    data = make_data(small, [[r[0], 6 - r[1], r[2], r[3], r[4], r[5]] for r in rows], demographics)
    trust = next(a for a in score_campaign(data, by=["team"]).agreement if a.dimension == "trust")
    assert trust.aggregation_justified is True
    assert trust.icc1 > 0.9
    # No team effect, random answers: not justified.
    noise = synthetic(small, {"A": 15, "B": 15, "C": 15}, seed=9)
    noise.answers.loc[:, ["T1", "T3", "T4"]] = rng.integers(1, 6, (45, 3))
    agreement = score_campaign(noise, by=["team"]).agreement
    assert next(a for a in agreement if a.dimension == "trust").aggregation_justified is False
    # One visible group: cannot be judged.
    one = synthetic(small, {"A": 20, "B": 3}, seed=2)
    verdict = score_campaign(one, by=["team"]).agreement[0]
    assert verdict.aggregation_justified is None and verdict.icc1 is None


def test_unstated_breakdown_counts_only_overall_and_is_protected(small):
    data = synthetic(small, {"Red": 20, "Blue": 20, "Green": 8}, seed=3)
    data.demographics.loc[data.demographics.index[:2], "team"] = "prefer_not_to_say"
    data.demographics.loc[data.demographics.index[2], "team"] = None
    result = score_campaign(data, by=["team"])
    assert result.responses == 48
    assert any("3 responses without a stated team" in n for n in result.notes)
    by_team = {g.by["team"]: g for g in result.groups}
    assert "prefer_not_to_say" not in by_team
    # Red lost 3 people (17 left); the 3 unstated would be total minus visible teams, so
    # the smallest team (Green, 8) is hidden to protect them.
    assert (
        by_team["Green"].hidden and by_team["Green"].reason == "hidden to protect a smaller group"
    )
    visible = sum(g.n for g in result.groups if not g.hidden)
    assert result.responses - visible >= 5


def test_cross_tab_cells(small):
    data = synthetic(
        small, {"Red": 40, "Blue": 30, "Green": 9}, seed=5, roles=["front_line", "manager"]
    )
    result = score_campaign(data, by=["team", "role"])
    assert all(set(g.by) == {"team", "role"} for g in result.groups)
    assert [tuple(g.by.values()) for g in result.groups][:2] == [
        ("Blue", "front_line"),
        ("Blue", "manager"),
    ]
    for g in result.groups:
        size = int(
            (
                (data.demographics.team == g.by["team"]) & (data.demographics.role == g.by["role"])
            ).sum()
        )
        if size < 5:
            assert g.hidden and g.reason == "fewer than 5 responses"
        if not g.hidden:
            assert g.n == size and g.dimensions
    assert ScoringError.__mro__[1].__name__ == "CultureScopeError"


def test_edge_cases_never_raise(small):
    empty = make_data(small, [])
    result = score_campaign(empty, by=["team"])
    assert result.responses == 0 and result.groups == ()
    assert all(d.n == 0 and d.mean is None for d in result.dimensions)
    assert result.agreement[0].aggregation_justified is None
    # Nobody answered the reporting dimension; T3 is all N/A; singleton groups.
    rows = [[4, 2, 0, 5, nan, nan] for _ in range(12)] + [[3, 3, 0, 3, nan, nan]]
    demographics = [{"team": f"solo{n}"} for n in range(6)] + [{"team": "big"}] * 7
    data = make_data(small, rows, demographics)
    result = score_campaign(data, by=["team"])
    reporting = result.dimension("reporting")
    assert reporting.n == 0 and reporting.mean is None and reporting.alpha is None
    assert reporting.percent_positive is None and reporting.band is None
    t3 = result.item("T3")
    assert t3.n == 0 and t3.n_na == 13 and t3.mean is None and t3.percent_positive is None
    trust = result.dimension("trust")
    assert trust.n == 13 and trust.omega is None  # T3 is empty: no complete rows
    json_out = result.to_json()  # no NaN anywhere
    assert "NaN" not in repr(json_out)
    # All answers identical: variances are zero, alpha undefined → None.
    same = make_data(small, [[3, 3, 3, 3, 2, 2]] * 6, [{"team": "A"}] * 6)
    result = score_campaign(same, by=["team"])
    assert result.dimension("trust").alpha is None
    assert result.groups[0].dimension("trust").rwg_j == 1.0
    assert result.groups[0].dimension("trust").sd == 0.0


def test_fewer_responses_than_the_minimum_show_no_overall_numbers(small):
    data = synthetic(small, {"A": 4}, seed=1, na_rate=0)
    result = score_campaign(data, by=["team"])
    assert result.responses == 4
    assert all(d.mean is None and d.alpha is None for d in result.dimensions)
    assert all(i.mean is None and i.distribution == {} for i in result.items)
    assert result.groups[0].hidden
    assert any("only 4 responses" in n for n in result.notes)


def test_bad_requests_raise_clear_errors(teams_data):
    with pytest.raises(
        ScoringError, match=r"cannot break down by site: .* asks these demographics: team, role"
    ):
        score_campaign(teams_data, by=["site"])
    with pytest.raises(ScoringError, match="at least 3"):
        score_campaign(teams_data, min_group_size=2)


def test_progress_and_cancel(teams_data):
    seen = []
    score_campaign(teams_data, by=["team"], progress=lambda f, m: seen.append((f, m)))
    assert seen[0][0] == 0.0 and seen[-1][0] == 1.0
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        score_campaign(teams_data, by=["team"], is_cancelled=lambda: next(calls, True))


def test_score_from_the_store(store, flagship):
    camp = store.create_campaign("Q1", flagship, min_group_size=4)
    rng = np.random.default_rng(0)
    responses = []
    for team, size in (("Ops", 6), ("Research", 7), ("Legal", 3)):
        for _ in range(size):
            answers = {
                i.id: int(rng.integers(1, flagship.scale_of(i).points + 1)) for i in flagship.items
            }
            responses.append(NewResponse(answers=answers, demographics={"team": team}))
    store.add_responses(camp.id, responses, source="test")
    seen = []
    result = score(store, "Q1", by=["team"], progress=lambda f, m: seen.append(f))
    assert result.campaign == "Q1" and result.min_group_size == 4 and result.responses == 16
    hidden = {g.by["team"]: g.reason for g in result.groups if g.hidden}
    assert hidden == {"Legal": "fewer than 4 responses", "Ops": "hidden to protect a smaller group"}
    assert seen[-1] == 1.0
    assert result.to_json()["groups"][0]["dimensions"] == []


def test_items_and_dimensions_answered_by_too_few_show_no_numbers(small):
    # A visible team of 8 where only 3 answered T1 (the rest said N/A) and only 4 have a
    # reporting score: those numbers would single out a handful of people.
    rows = [[4, 2, 3, 4, 2, 3]] * 3 + [[0, 2, 3, 4, nan, nan]] * 4 + [[0, 2, 3, 4, 1, 1]]
    rows += [[5, 1, 5, 5, 4, 4]] * 10
    demographics = [{"team": "Small"}] * 8 + [{"team": "Big"}] * 10
    result = score_campaign(make_data(small, rows, demographics), by=["team"])
    small_team = next(g for g in result.groups if g.by == {"team": "Small"})
    assert not small_team.hidden and small_team.n == 8
    t1 = next(i for i in small_team.items if i.id == "T1")
    assert t1.n == 3 and t1.n_na == 5
    assert t1.mean is None and t1.percent_positive is None and t1.distribution == {}
    reporting = small_team.dimension("reporting")
    assert reporting.n == 4 and reporting.mean is None and reporting.rwg_j is None
    assert small_team.dimension("trust").mean is not None
    assert result.item("T1").n == 13 and result.item("T1").mean is not None
