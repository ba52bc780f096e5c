"""Each signal kind: a synthetic organisation that triggers it and a matched one that does
not; confidentiality of every signal's numbers (docs/design/confidentiality.md,
docs/design/signals.md)."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest

from culturescope.policies import PolicyDraft
from culturescope.policies.register import Policy, PolicyVersion
from culturescope.scoring.results import GroupResult
from culturescope.signals import (
    KINDS,
    METHODS,
    Finding,
    SignalSettings,
    awareness_gap,
    participation_bias,
    perception_gap,
    policy_practice_gap,
    response_integrity,
    speak_up_paradox,
    split_culture,
    stale_commitments,
)
from culturescope.signals.policy import weaker_statement
from culturescope.signals.statistics import hedges_g, holm, welch
from signal_factory import leaders_frame, organisation, scores

S = SignalSettings()
TODAY = dt.date(2026, 11, 1)


def kinds(signals, *, at_least="info"):
    order = ("info", "warning", "critical")
    return [s.kind for s in signals if order.index(s.severity) >= order.index(at_least)]


def make_policy(title, *versions, pid=1):
    history = []
    for n, v in enumerate(versions, start=1):
        removed = v.pop("removed", False)
        d = PolicyDraft(title, **v)
        history.append(
            PolicyVersion(
                policy_id=pid,
                version=n,
                title=d.title,
                statement=d.statement,
                owner=d.owner,
                adopted_on=d.adopted_on,
                status=d.status,
                evidence=d.evidence,
                review_on=d.review_on,
                practice_areas=d.practice_areas,
                removed=removed,
                recorded_on=dt.date(2026, 1, n),
            )
        )
    return Policy(id=pid, organisation="Org", current=history[-1], history=tuple(history))


# ---- statistics ---------------------------------------------------------------------
def test_hedges_g_and_welch_match_textbook_formulas():
    import math
    import statistics as st

    from scipy import stats

    x = [4.1, 4.5, 3.9, 4.8, 4.4, 4.0]
    y = [3.1, 3.6, 2.9, 3.4, 3.8, 3.2, 3.0]
    # Hedges & Olkin (1985): d with the pooled SD, times J = 1 - 3 / (4(n1 + n2) - 9).
    pooled = math.sqrt((5 * st.variance(x) + 6 * st.variance(y)) / 11)
    d = (st.mean(x) - st.mean(y)) / pooled
    assert hedges_g(np.array(x), np.array(y)) == pytest.approx(d * (1 - 3 / 43), rel=1e-12)
    # Welch (1947): t = diff / sqrt(vx/nx + vy/ny), Welch-Satterthwaite df.
    a, b = st.variance(x) / 6, st.variance(y) / 7
    t = (st.mean(x) - st.mean(y)) / math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / 5 + b**2 / 6)
    res = welch(x, y)
    assert res.t == pytest.approx(t, rel=1e-9)
    assert res.p_value == pytest.approx(2 * stats.t.sf(t, df), rel=1e-9)
    assert (res.n1, res.n2) == (6, 7)


def test_holm_matches_r():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") -> 0.030 0.060 0.060 0.020
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


# ---- the genuine culture ------------------------------------------------------------
@pytest.fixture(scope="module")
def genuine():
    return organisation(seed=11)


def test_genuine_culture_raises_no_warning(genuine):
    register = [
        make_policy(
            "Incident reporting",
            {
                "status": "implemented",
                "evidence": "INC log",
                "statement": "All incidents must be reported.",
                "review_on": dt.date(2027, 1, 1),
                "practice_areas": ("incident_reporting",),
            },
        )
    ]
    overall, by_team = scores(genuine), scores(genuine, "team")
    signals = (
        policy_practice_gap(register, overall, settings=S)
        + stale_commitments(register, settings=S, today=TODAY)
        + perception_gap(genuine, settings=S, visible_roles=None, leaders=leaders_frame())
        + awareness_gap(genuine, settings=S)
        + split_culture(by_team, settings=S)
        + speak_up_paradox(genuine, settings=S, groups=by_team, previous=organisation(seed=3))
        + participation_bias(genuine, settings=S, breakdowns={"team": by_team})
        + response_integrity(genuine, settings=S)
    )
    assert kinds(signals, at_least="warning") == []


# ---- 1. policy–practice gap ---------------------------------------------------------
def test_policy_practice_gap_fires_on_paper_only_policy():
    frame = organisation(area_effects={"independent_audit": -2.2}, seed=2)
    register = [
        make_policy(
            "External audit",
            {"status": "audited", "evidence": "A-1", "practice_areas": ("independent_audit",)},
        ),
        make_policy(
            "Audit plan",
            {"status": "approved", "practice_areas": ("independent_audit",)},
            pid=2,
        ),
    ]
    out = policy_practice_gap(register, scores(frame), settings=S)
    assert [s.id for s in out] == ["policy_practice_gap:external-audit:independent-audit"]
    sig = out[0]
    assert sig.severity == "critical"
    assert sig.evidence["percent_positive"] < 35 and sig.evidence["n"] == 60
    assert sig.evidence["claimed_status_level"] == 3


def test_policy_practice_gap_silent_when_practice_matches():
    frame = organisation(seed=2)
    register = [
        make_policy(
            "External audit",
            {"status": "audited", "evidence": "A-1", "practice_areas": ("independent_audit",)},
        )
    ]
    assert policy_practice_gap(register, scores(frame), settings=S) == []


def test_policy_practice_gap_needs_minimum_responses():
    frame = organisation(teams=(("Red", 4),), area_effects={"independent_audit": -3}, seed=2)
    register = [make_policy("A", {"status": "audited", "practice_areas": ("independent_audit",)})]
    assert policy_practice_gap(register, scores(frame), settings=S) == []


# ---- 2. perception gap --------------------------------------------------------------
def test_perception_gap_leaders_rate_higher():
    frame = organisation(teams=(("Red", 60), ("Blue", 60)), leader_lift=1.0, seed=4)
    out = perception_gap(frame, settings=S, visible_roles=None)
    assert "perception_gap" in kinds(out, at_least="warning")
    sig = next(s for s in out if s.id == "perception_gap:roles:pillars")
    assert "Leadership accountability" in sig.scope
    ev = sig.evidence
    key = "leadership_accountability"
    assert ev[f"{key}.hedges_g"] >= 0.5 and ev[f"{key}.p_adjusted"] < 0.05
    assert ev[f"{key}.percent_points"] > 0
    assert ev[f"{key}.leaders_mean"] > ev[f"{key}.frontline_mean"]
    assert ev["leaders_n"] >= 5 and ev["frontline_n"] >= 5


def test_perception_gap_title_headline_and_question_name_one_area():
    """The headline's "most of all" is the largest gap in points; the title and the
    question name the same area, not the one with the largest effect size (a lead read
    two different "worst" areas on one card)."""
    from culturescope.signals.people import headline

    frame = organisation(teams=(("Red", 60), ("Blue", 60)), leader_lift=1.0, seed=37)
    sig = next(
        s
        for s in perception_gap(frame, settings=S, visible_roles=None)
        if s.id == "perception_gap:roles:areas"
    )
    # Evidence rows come in the scope's order (largest effect size first).
    points = [v for k, v in sig.evidence.items() if k.endswith(".percent_points")]
    by_points = max(zip(sig.scope[2:], points, strict=True), key=lambda tp: tp[1])[0]
    assert by_points != sig.scope[2]  # the largest effect size is another area here
    assert f"most of all “{by_points}”" in headline(sig)
    assert f"experience in '{by_points}'" in sig.question
    assert f"(largest: {by_points}, +" in sig.title and "points, g = " in sig.title


def test_perception_gap_silent_when_leaders_agree():
    frame = organisation(teams=(("Red", 60), ("Blue", 60)), leader_lift=0.0, seed=4)
    assert perception_gap(frame, settings=S, visible_roles=None) == []


def test_perception_gap_from_leadership_self_assessment():
    frame = organisation(seed=5)
    rosy = leaders_frame(n=12, level=2.0)
    out = perception_gap(frame, settings=S, visible_roles=None, leaders=rosy)
    assert any(s.id.startswith("perception_gap:self-assessment:") for s in out)
    realistic = leaders_frame(n=12, level=0.9)
    out = perception_gap(frame, settings=S, visible_roles=None, leaders=realistic)
    assert not [s for s in out if s.id.startswith("perception_gap:self-assessment:")]


def test_perception_gap_not_computed_for_hidden_or_small_sides():
    # Four senior leaders only: below the minimum of 5, nothing is computed.
    frame = organisation(teams=(("Red", 60),), roles=(0.9, 0.1, 0.0), leader_lift=2.0, seed=4)
    frame.demographics.loc[frame.demographics.index[:4], "role"] = "senior_leader"
    frame.persons.loc[frame.persons.index[:4], :] = 5.0
    assert perception_gap(frame, settings=S, visible_roles=None) == []
    # Enough leaders, but their group is hidden in the role breakdown (differencing).
    big = organisation(teams=(("Red", 60), ("Blue", 60)), leader_lift=1.0, seed=4)
    out = perception_gap(big, settings=S, visible_roles={"front_line", "manager"})
    assert [s for s in out if s.id.startswith("perception_gap:roles")] == []


# ---- 3. awareness gap ---------------------------------------------------------------
def test_awareness_gap_fires_when_known_but_not_seen():
    frame = organisation(area_effects={"stop_work": -2.0}, awareness_shift=0.8, seed=6)
    out = awareness_gap(frame, settings=S)
    assert [s.id for s in out] == ["awareness_gap:stop-work"]
    ev = out[0].evidence
    assert ev["aware_percent"] >= 70 and ev["practice_seen_percent"] < 50
    assert ev["aware_not_seen"] > ev["seen_not_aware"]


def test_awareness_gap_silent_when_practice_seen():
    assert awareness_gap(organisation(awareness_shift=0.8, seed=6), settings=S) == []


# ---- 4. split culture ---------------------------------------------------------------
def test_split_culture_fires_for_split_team_only():
    frame = organisation(split_team="Blue", seed=8)
    out = split_culture(scores(frame, "team"), settings=S)
    assert [s.scope for s in out] == [("team: Blue", "Systematic safety integration")]
    assert out[0].evidence["rwg_j"] < 0.5 and out[0].evidence["mean"] >= 3.5


def test_split_culture_silent_for_shared_climate():
    assert split_culture(scores(organisation(seed=8), "team"), settings=S) == []


def test_split_culture_never_reads_hidden_groups():
    frame = organisation(teams=(("Red", 30), ("Tiny", 4)), split_team="Tiny", seed=8)
    result = scores(frame, "team")
    assert any(g.hidden for g in result.groups)
    assert split_culture(result, settings=S) == []


# ---- 5. speak-up paradox ------------------------------------------------------------
def test_speak_up_paradox_team_feels_safe_but_reports_little():
    frame = organisation(
        teams=(("Red", 40), ("Blue", 40), ("Green", 40)),
        team_report_rate={"Blue": 0.1},
        level=1.2,
        seed=9,
    )
    out = speak_up_paradox(frame, settings=S, groups=scores(frame, "team"))
    assert [s.id for s in out] == ["speak_up_paradox:team-blue"]
    assert out[0].evidence["reporting_percent"] < out[0].evidence["rest_reporting_percent"]


def test_speak_up_paradox_organisation_and_trend():
    quiet = organisation(report_rate=0.1, level=1.3, seed=10)
    out = speak_up_paradox(quiet, settings=S, groups=None)
    assert [s.id for s in out] == ["speak_up_paradox:organisation"]
    before = organisation(report_rate=0.8, level=0.7, seed=12, name="Before")
    now = organisation(report_rate=0.45, level=1.0, seed=13)
    out = speak_up_paradox(now, settings=S, previous=before)
    assert [s.id for s in out] == ["speak_up_paradox:trend"]
    assert out[0].evidence["drop_points"] >= 10


def test_speak_up_paradox_silent_when_reporting_steady():
    frame = organisation(teams=(("Red", 40), ("Blue", 40)), level=1.2, seed=9)
    before = organisation(level=1.0, seed=12, name="Before")
    assert speak_up_paradox(frame, settings=S, groups=scores(frame, "team"), previous=before) == []


# ---- 6. stale or overdue commitments -------------------------------------------------
def test_stale_commitments_each_pattern():
    register = [
        make_policy("Overdue", {"status": "approved", "review_on": dt.date(2025, 6, 1)}, pid=1),
        make_policy("No evidence", {"status": "implemented"}, pid=2),
        make_policy(
            "Stop work",
            {
                "status": "implemented",
                "evidence": "E",
                "statement": "Anyone must stop unsafe work at once and will be backed up.",
            },
            {
                "status": "approved",
                "evidence": "E",
                "statement": "Staff should raise concerns where possible.",
            },
            pid=3,
        ),
        make_policy(
            "Audit",
            {"status": "audited", "evidence": "E"},
            {"status": "audited", "evidence": "E", "removed": True},
            pid=4,
        ),
    ]
    out = stale_commitments(register, settings=S, today=TODAY)
    ids = sorted(s.id for s in out)
    assert ids == [
        "stale_commitment:audit:removed",
        "stale_commitment:no-evidence:no-evidence",
        "stale_commitment:overdue:overdue",
        "stale_commitment:stop-work:softened",
    ]
    overdue = next(s for s in out if s.id.endswith(":overdue"))
    assert overdue.evidence["days_overdue"] == (TODAY - dt.date(2025, 6, 1)).days
    assert overdue.severity == "critical"
    softened = next(s for s in out if s.id.endswith(":softened"))
    assert softened.evidence["from_status_level"] == 2 and softened.evidence["to_status_level"] == 1


def test_stale_commitments_silent_for_kept_commitments():
    register = [
        make_policy(
            "Stop work",
            {"status": "approved", "statement": "Anyone may stop unsafe work."},
            {
                "status": "implemented",
                "evidence": "Log",
                "review_on": dt.date(2027, 1, 1),
                "statement": "Anyone must stop unsafe work and will always be backed up.",
            },
        )
    ]
    assert stale_commitments(register, settings=S, today=TODAY) == []


@pytest.mark.parametrize(
    ("old", "new", "weaker"),
    [
        ("Teams must run a review.", "Teams should run a review.", True),
        ("All releases are reviewed.", "Releases are reviewed where possible.", True),
        (
            "Every incident is reviewed within 5 days by the safety board.",
            "Incidents reviewed.",
            True,
        ),
        ("Teams should run a review.", "Teams must run a review.", False),
        ("Reviews happen.", "Reviews happen every week.", False),
    ],
)
def test_weaker_statement(old, new, weaker):
    assert weaker_statement(old, new) is weaker


# ---- 7. participation bias ----------------------------------------------------------
def _breakdown(frame, field, hidden=()):
    result = scores(frame, field)
    groups = tuple(
        GroupResult(g.by, None, True, "hidden to protect a smaller group")
        if g.by[field] in hidden
        else g
        for g in result.groups
    )
    return type(result)(**{**result.__dict__, "groups": groups})


def test_participation_bias_low_segment_and_leaders():
    frame = organisation(
        teams=(("Red", 30), ("Blue", 8), ("Green", 30)),
        headcounts={
            "team": {"Red": 36, "Blue": 40, "Green": 35},
            "role": {"front_line": 200, "manager": 14, "senior_leader": 16},
        },
        seed=13,
    )
    out = participation_bias(
        frame,
        settings=S,
        breakdowns={"team": _breakdown(frame, "team"), "role": _breakdown(frame, "role")},
    )
    ids = [s.id for s in out]
    assert "participation_bias:team-blue" in ids
    assert "participation_bias:leaders-vs-staff" in ids
    blue = next(s for s in out if s.id == "participation_bias:team-blue")
    assert blue.evidence["responses"] == 8 and blue.evidence["headcount"] == 40


def test_participation_bias_silent_when_rates_even():
    frame = organisation(
        teams=(("Red", 30), ("Blue", 30)),
        headcounts={"team": {"Red": 40, "Blue": 42}},
        seed=13,
    )
    assert (
        participation_bias(frame, settings=S, breakdowns={"team": _breakdown(frame, "team")}) == []
    )


def test_participation_bias_hides_counts_of_small_segments():
    frame = organisation(
        teams=(("Red", 30), ("Blue", 3), ("Green", 30)),
        headcounts={"team": {"Red": 35, "Blue": 30, "Green": 35}},
        seed=13,
    )
    out = participation_bias(frame, settings=S, breakdowns={"team": _breakdown(frame, "team")})
    blue = next(s for s in out if s.id == "participation_bias:team-blue")
    assert blue.evidence == {"headcount": 30, "min_group_size": 5}
    assert "fewer than 5 responses" in blue.explanation
    # Only the headcount, the minimum and the ceiling it implies (4/30): never the count.
    assert re.findall(r"\d+", blue.explanation) == ["30", "5", "13"]


def test_participation_bias_shows_nothing_for_differencing_hidden_segment():
    frame = organisation(
        teams=(("Red", 30), ("Blue", 6), ("Green", 30)),
        headcounts={"team": {"Red": 35, "Blue": 40, "Green": 35}},
        seed=13,
    )
    out = participation_bias(
        frame, settings=S, breakdowns={"team": _breakdown(frame, "team", hidden=("Blue",))}
    )
    assert [s for s in out if "blue" in s.id] == []


# ---- 8. response-pattern integrity --------------------------------------------------
def test_response_integrity_counts_straightliners_and_neutrals():
    frame = organisation(teams=(("Red", 40), ("Blue", 40)), careless=5, neutral=3, seed=14)
    out = response_integrity(frame, settings=S)
    by_id = {s.id: s for s in out}
    assert by_id["response_integrity:straight-lining"].evidence["flagged"] == 5
    assert by_id["response_integrity:straight-lining"].severity == "warning"  # 6.25%
    assert by_id["response_integrity:all-neutral"].evidence["flagged"] == 3
    assert by_id["response_integrity:all-neutral"].severity == "info"  # 3.75%
    # Counts only: no response ids anywhere in the signal.
    text = json.dumps([s.to_json() for s in out])
    assert "response_id" not in text


def test_response_integrity_silent_for_careful_answers():
    assert response_integrity(organisation(seed=14), settings=S) == []


# ---- shape --------------------------------------------------------------------------
def test_signal_shape_and_methods():
    assert set(METHODS) == set(KINDS)
    with pytest.raises(ValueError, match="not a number"):
        Finding("x", "split_culture", "info", "t", (), {"a": "b"}, "e", "q", "m")
    with pytest.raises(ValueError, match="unknown severity"):
        Finding("x", "split_culture", "fatal", "t", (), {}, "e", "q", "m")


def test_docs_describe_every_method_and_setting():
    import dataclasses
    from pathlib import Path

    docs = (Path(__file__).parents[1] / "docs" / "signals.md").read_text(encoding="utf-8")
    for kind, method in METHODS.items():
        assert method in docs, f"docs/signals.md lacks the method of {kind}"
    for f in dataclasses.fields(SignalSettings):
        assert f"`{f.name}`" in docs
