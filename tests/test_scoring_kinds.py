"""What each dimension is: behaviour counts are not attitudes (no band, no alpha, "reported
at least once" as the signals count it), bands only on the agreement scale, and no
reliability from too few complete responses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from culturescope.instruments import parse_instrument
from culturescope.scoring import (
    cronbach_alpha,
    person_scores,
    score_campaign,
    scored_answers,
)
from culturescope.scoring.campaign import RELIABILITY_MIN_N
from culturescope.storage import ResponseData

KINDS = """
id: kinds
version: "1"
title: Kinds test instrument
description: An attitude pillar, awareness items, behaviour counts, a rating on another scale.
languages: [en]
scales:
  agree5:
    points: 5
    labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
    not_applicable: {code: 0, label: N/A}
  frequency4:
    points: 4
    labels: [Never, Once, 2 to 5 times, More than 5 times]
    positive: [2, 3, 4]
    negative: [1]
  quality3:
    points: 3
    labels: [Poor, Fair, Good]
    positive: [3]
    negative: [1]
dimensions:
  - {id: trust, title: Trust, pillar: true}
  - {id: aware, title: Awareness}
  - {id: reporting, title: Reporting activity}
  - {id: tools, title: Tools}
items:
  - {id: T1, dimension: trust, text: "One"}
  - {id: T2, dimension: trust, reverse: true, text: "Two"}
  - {id: T3, dimension: trust, text: "Three"}
  - {id: A1, dimension: aware, kind: awareness, text: "I know A"}
  - {id: A2, dimension: aware, kind: awareness, text: "I know B"}
  - {id: R1, dimension: reporting, kind: behaviour, scale: frequency4, text: "Raised"}
  - {id: R2, dimension: reporting, kind: behaviour, scale: frequency4, text: "Reported"}
  - {id: Q1, dimension: tools, scale: quality3, text: "Tools A"}
  - {id: Q2, dimension: tools, scale: quality3, text: "Tools B"}
demographics:
  - {id: team, label: Team}
bands:
  - {id: strength, label: Strength, at_least: 75}
  - {id: moderate, label: Moderate, above: 50}
  - {id: improve, label: Improve, at_least: 0}
"""

nan = float("nan")


@pytest.fixture(scope="module")
def kinds():
    return parse_instrument(KINDS, source="kinds.yaml")


def make_data(instrument, answers, demographics=None) -> ResponseData:
    item_ids = [i.id for i in instrument.items]
    index = pd.Index(range(1, len(answers) + 1), name="response_id")
    frame = pd.DataFrame(answers, columns=item_ids, index=index, dtype=float)
    demographics = pd.DataFrame(demographics or [{}] * len(answers), index=index)
    demographics = demographics.reindex(columns=[d.id for d in instrument.demographics])
    demographics = demographics.astype(object).where(demographics.notna(), None)
    meta = pd.DataFrame(
        {"source": "test", "source_ref": None, "submitted_on": None, "batch_id": 1}, index=index
    )
    comments = pd.DataFrame(columns=["response_id", "prompt_id", "text"])
    return ResponseData(instrument, frame, demographics, meta, comments)


def synthetic(instrument, teams: dict[str, int], *, seed=0) -> ResponseData:
    """Correlated attitudes; reporting: many never, some blanks."""
    rng = np.random.default_rng(seed)
    answers, demographics = [], []
    for team, size in teams.items():
        for _ in range(size):
            person = rng.normal(3.3, 0.8)
            row = []
            for item in instrument.items:
                scale = instrument.scale_of(item)
                if item.kind == "behaviour":
                    value = float(rng.choice([1, 1, 1, 2, 3, 4]))
                    if rng.random() < 0.08:
                        value = nan
                else:
                    centre = person * scale.points / 5
                    value = int(np.clip(round(centre + rng.normal(0, 0.6)), 1, scale.points))
                    if item.reverse:
                        value = scale.points + 1 - value
                row.append(value)
            answers.append(row)
            demographics.append({"team": team})
    return make_data(instrument, answers, demographics)


@pytest.fixture(scope="module")
def data(kinds):
    return synthetic(kinds, {"Red": 40, "Blue": 30, "Green": 25}, seed=4)


def test_dimension_kinds_and_scales_are_on_the_result(kinds, data):
    result = score_campaign(data, by=["team"])
    got = {d.id: (d.kind, d.scale) for d in result.dimensions}
    assert got == {
        "trust": ("attitude", "agree5"),
        "aware": ("awareness", "agree5"),
        "reporting": ("behaviour", "frequency4"),
        "tools": ("attitude", "quality3"),
    }
    assert kinds.main_scale.id == "agree5"
    assert result.dimension("reporting").counts_behaviour
    assert not result.dimension("trust").counts_behaviour
    assert result.scale_text(result.dimension("reporting")) == "1–4 (Never … More than 5 times)"


def test_behaviour_dimension_is_a_count_not_an_attitude(kinds, data):
    result = score_campaign(data, by=["team"])
    rep = result.dimension("reporting")
    # No interpretation band, no reliability, and it says why.
    assert rep.band is None and rep.band_label is None
    assert rep.alpha is None and rep.omega is None
    assert "different behaviours" in rep.reliability_note
    for item_id in ("R1", "R2"):
        item = result.item(item_id)
        assert item.item_total_r is None and item.alpha_if_deleted is None
    # Percent positive = share of people who reported at least once (any item), the
    # signals' definition; negative = never; nothing neutral on this scale.
    scored = scored_answers(data)[["R1", "R2"]]
    has_score = person_scores(data)["reporting"].notna()
    at_least_once = (scored[has_score] >= 2).any(axis=1)
    assert rep.n == int(has_score.sum())
    assert rep.percent_positive == pytest.approx(100 * at_least_once.mean())
    assert rep.percent_negative == pytest.approx(100 - 100 * at_least_once.mean())
    assert rep.percent_neutral == 0.0
    assert rep.positive_label == "reported at least once"
    # ...which is not the mean of the items' percent positive.
    item_mean = np.mean([result.item(i).percent_positive for i in ("R1", "R2")])
    assert rep.percent_positive > item_mean
    # The mean is still there, on its own 1-4 scale.
    assert rep.mean == pytest.approx(person_scores(data)["reporting"].mean())
    # Per visible group the same definition, and no band.
    for g in result.visible_groups:
        gd = g.dimension("reporting")
        members = (data.demographics["team"] == g.by["team"]) & has_score
        expected = 100 * (scored[members] >= 2).any(axis=1).mean()
        assert gd.percent_positive == pytest.approx(expected)
        assert gd.band is None and gd.kind == "behaviour"


def _reported(data: ResponseData) -> pd.Series:
    """The signals' "reported at least once" per respondent (NaN: no score)."""
    from culturescope.signals.inputs import SurveyFrame
    from culturescope.signals.model import SignalSettings
    from culturescope.signals.survey import reported_at_least_once

    frame = SurveyFrame(
        campaign=None,
        instrument=data.instrument,
        raw=data.answers,
        scored=scored_answers(data),
        demographics=data.demographics,
        persons=person_scores(data),
    )
    return reported_at_least_once(frame, SignalSettings(reporting_dimension="reporting"))


def test_behaviour_share_matches_the_signals(kinds, data):
    reported = _reported(data)
    rep = score_campaign(data).dimension("reporting")
    assert rep.n == int(reported.notna().sum())
    assert rep.percent_positive == pytest.approx(100 * reported.dropna().mean())


def test_attitude_and_awareness_keep_band_and_alpha_other_scales_lose_the_band(kinds, data):
    result = score_campaign(data)
    trust = result.dimension("trust")
    assert trust.band == kinds.band_for(trust.percent_positive).id
    cols = ["T1", "T2", "T3"]
    assert trust.alpha == pytest.approx(cronbach_alpha(scored_answers(data)[cols]))
    assert trust.reliability_note is None and trust.positive_label == "positive"
    aware = result.dimension("aware")
    assert aware.band is not None and aware.alpha is not None
    # A rating on another scale than the agreement scale: alpha yes, band no.
    tools = result.dimension("tools")
    assert tools.band is None and tools.alpha is not None
    assert tools.percent_positive is not None


def test_json_fields_are_additive(data):
    out = score_campaign(data, by=["team"]).to_json()
    rep = next(d for d in out["dimensions"] if d["id"] == "reporting")
    assert rep["kind"] == "behaviour" and rep["scale"] == "frequency4"
    assert rep["percent_positive_means"] == "reported at least once"
    assert rep["band"] is None and rep["alpha"] is None
    assert "different behaviours" in rep["reliability_note"]
    trust = next(d for d in out["dimensions"] if d["id"] == "trust")
    assert trust["kind"] == "attitude" and trust["percent_positive_means"] == "positive"
    for key in ("id", "title", "pillar", "n", "mean", "sd", "ci95", "percent_positive"):
        assert key in trust
    group_dim = out["groups"][0]["dimensions"][0]
    assert "kind" in group_dim and "rwg_j" in group_dim and "reliability_note" not in group_dim


def test_no_reliability_from_a_handful_of_responses(kinds):
    # Six responses (the user test): alpha came out at -3.46. Now: no number, a reason.
    small = synthetic(kinds, {"Red": 6}, seed=2)
    result = score_campaign(small)
    assert result.responses == 6
    for dim_id in ("trust", "aware", "tools"):
        d = result.dimension(dim_id)
        assert d.mean is not None  # the scores are shown (6 >= minimum group size 5)
        assert d.alpha is None and d.omega is None
        assert d.reliability_note == "not computed: 6 complete responses, fewer than 20"
    assert all(i.item_total_r is None for i in result.items)
    note = next(n for n in result.notes if "Cronbach" in n)
    assert f"at least {RELIABILITY_MIN_N} complete responses" in note
    assert "Trust (6)" in note and "Reporting" not in note
    assert "NaN" not in repr(result.to_json())


def test_reliability_threshold_counts_complete_responses(kinds):
    data = synthetic(kinds, {"Red": RELIABILITY_MIN_N}, seed=3)
    assert score_campaign(data).dimension("trust").alpha is not None
    # One blank answer leaves 19 complete responses for trust: no alpha.
    answers = data.answers.copy()
    answers.iloc[0, answers.columns.get_loc("T1")] = nan
    blanked = ResponseData(kinds, answers, data.demographics, data.meta, data.comments)
    trust = score_campaign(blanked).dimension("trust")
    assert trust.n == RELIABILITY_MIN_N and trust.mean is not None
    assert trust.alpha is None and "19 complete responses" in trust.reliability_note


def test_negative_alpha_is_shown_with_a_warning(kinds):
    # Two awareness items that contradict each other across 30 people.
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(30):
        a = int(rng.integers(1, 6))
        b = int(np.clip(6 - a + rng.integers(-1, 2), 1, 5))
        rows.append([3, 3, 3, a, b, 1, 1, 2, 2])
    result = score_campaign(make_data(kinds, rows))
    aware = result.dimension("aware")
    assert aware.alpha is not None and aware.alpha < 0
    assert aware.reliability_note.startswith("alpha is negative")


# ---- degenerate cases: every figure not given has a reason ---------------------------
def test_constant_item_is_left_out_of_alpha_with_a_note(kinds):
    data = synthetic(kinds, {"Red": 40}, seed=5)
    answers = data.answers.copy()
    answers["T1"] = 4.0  # everyone gives T1 the same answer
    data = ResponseData(kinds, answers, data.demographics, data.meta, data.comments)
    result = score_campaign(data)
    trust = result.dimension("trust")
    scored = scored_answers(data)
    assert trust.alpha == pytest.approx(cronbach_alpha(scored[["T2", "T3"]]))
    assert "T1: the same answer from everyone" in trust.reliability_note
    assert "omega needs at least 3 items" in trust.reliability_note
    assert trust.omega is None
    t1, t2 = result.item("T1"), result.item("T2")
    assert t1.item_total_r is None and t1.alpha_if_deleted is None
    assert t2.item_total_r is not None  # the other items keep their statistics
    # Two varying items: alpha if deleted is undefined, and the note says why.
    assert t2.alpha_if_deleted is None and "no alpha if deleted" in trust.reliability_note


def test_one_item_and_two_item_dimensions_say_why(kinds):
    solo = parse_instrument(
        KINDS.replace(
            "  - {id: tools, title: Tools}",
            "  - {id: tools, title: Tools}\n  - {id: solo, title: Solo}",
        ).replace(
            '  - {id: Q2, dimension: tools, scale: quality3, text: "Tools B"}',
            '  - {id: Q2, dimension: tools, scale: quality3, text: "Tools B"}\n'
            '  - {id: S1, dimension: solo, text: "Alone"}',
        ),
        source="solo.yaml",
    )
    result = score_campaign(synthetic(solo, {"Red": 40}, seed=6))
    one = result.dimension("solo")
    assert one.mean is not None and one.alpha is None and one.omega is None
    assert one.reliability_note == (
        "not computed: a one-item dimension has no internal consistency to measure"
    )
    two = result.dimension("aware")
    assert two.omega is None and "omega needs at least 3 items" in two.reliability_note
    for d in result.dimensions:
        if d.mean is not None and (d.alpha is None or d.omega is None):
            assert d.reliability_note, d.id


def test_behaviour_share_same_rule_in_scores_and_signals():
    """Issue: with 3 behaviour items, people who answered only one counted in the signals
    (n = 30, 66.7%) but not in the score (half-answered rule: n = 20, 100%)."""
    three = parse_instrument(
        KINDS.replace(
            '  - {id: R2, dimension: reporting, kind: behaviour, scale: frequency4, text: "Reported"}',
            '  - {id: R2, dimension: reporting, kind: behaviour, scale: frequency4, text: "Reported"}\n'
            '  - {id: R3, dimension: reporting, kind: behaviour, scale: frequency4, text: "Told"}',
        ),
        source="three.yaml",
    )
    rows = []
    for k in range(30):
        attitude = [3, 3, 3, 3, 3]
        if k < 20:  # reported, answering all three
            behaviour = [2, 1, 1]
        else:  # answered only R1: "never" — too little for a dimension score
            behaviour = [1, nan, nan]
        rows.append(attitude + behaviour + [2, 2])
    data = make_data(three, rows)
    rep = score_campaign(data).dimension("reporting")
    reported = _reported(data)
    assert rep.n == 20 == int(reported.notna().sum())
    assert rep.percent_positive == pytest.approx(100.0) == 100 * reported.dropna().mean()
