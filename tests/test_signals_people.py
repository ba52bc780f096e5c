"""Signals for people: plain headlines, subjects, calm priorities; reviews and actions
stored per campaign (migration 0005)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from culturescope.signals import Finding
from culturescope.signals.people import (
    attention,
    baseline,
    group_signals,
    headline,
    subject_of,
)
from culturescope.storage import (
    NewAction,
    Store,
    StoreError,
    acknowledged_signals,
    actions,
    add_action,
    review_signal,
    signal_reviews,
    update_action,
)

#: Words of statistics that a headline never uses (they are in the evidence and method).
STATISTICS = re.compile(r"\bg = |\bp = |\bn = |rwg|hedges|holm|p-value|adjusted|welch", re.I)


def sig(sid, kind, severity, title, scope, **evidence):
    return Finding(
        id=sid,
        kind=kind,
        severity=severity,
        title=title,
        scope=tuple(scope),
        evidence=evidence,
        explanation="",
        question="",
        method="",
    )


SIGNALS = [
    sig(
        "policy_practice_gap:audit:independent-audit",
        "policy_practice_gap",
        "critical",
        "Independent safety audit: claimed audited, 17% see independent audit in use",
        ["Independent safety audit", "Independent audit"],
        claimed_status_level=3,
        percent_positive=17.1,
        n=295,
    ),
    sig(
        "perception_gap:roles:pillars",
        "perception_gap",
        "critical",
        "Senior leaders rate 3 of 3 pillars higher than front-line staff (largest: "
        "Psychological safety, g = 0.84)",
        ["Senior leaders", "front-line staff", "Psychological safety", "Leadership"],
        measures_compared=3,
        measures_with_gap=3,
        **{"psych.percent_points": 22.7, "psych.hedges_g": 0.84, "lead.percent_points": 10.0},
    ),
    sig(
        "awareness_gap:independent-audit",
        "awareness_gap",
        "critical",
        "Independent audit: 79% know the procedure, 17% see it used",
        ["Independent audit"],
        aware_percent=79.0,
        practice_seen_percent=17.1,
    ),
    sig(
        "split_culture:red:psych",
        "split_culture",
        "warning",
        "team: Red: Psychological safety averages 3.80 but agreement is low (rwg(j) 0.41)",
        ["team: Red", "Psychological safety"],
        mean=3.8,
        rwg_j=0.41,
        percent_negative=22.0,
    ),
    sig(
        "speak_up_paradox:team-red",
        "speak_up_paradox",
        "warning",
        "team: Red: 80% feel safe to speak up, but 10% reported anything (rest: 40%)",
        ["team: Red"],
        psych_safety_percent_positive=80.0,
        reporting_percent=10.0,
        rest_reporting_percent=40.0,
    ),
    sig(
        "speak_up_paradox:trend",
        "speak_up_paradox",
        "warning",
        "Reporting fell from 40% to 25% while Psychological safety rose",
        ["whole organisation", "since 2025"],
        reporting_percent=25.0,
        previous_reporting_percent=40.0,
    ),
    sig(
        "stale_commitment:stop-work:overdue",
        "stale_commitment",
        "critical",
        "Stop-work authority: review overdue by 610 days",
        ["Stop-work authority"],
        days_overdue=610,
        status_level=2,
    ),
    sig(
        "stale_commitment:budget:removed",
        "stale_commitment",
        "warning",
        "Budget: removed from the register (was implemented)",
        ["Budget", "safety_resourcing"],
        version=2,
        last_status_level=2,
    ),
    sig(
        "participation_bias:team-blue",
        "participation_bias",
        "warning",
        "team: Blue — 31% responded (rest: 61%)",
        ["team: Blue"],
        responses=11,
        headcount=35,
        response_rate_percent=31.4,
        rest_response_rate_percent=61.0,
    ),
    sig(
        "participation_bias:team-green",
        "participation_bias",
        "warning",
        "team: Green — fewer than 5 responses from 20 people",
        ["team: Green"],
        headcount=20,
        min_group_size=5,
    ),
    sig(
        "response_integrity:all-neutral",
        "response_integrity",
        "info",
        "All-neutral: 2 respondents (0.7%)",
        ["whole campaign"],
        respondents=300,
        flagged=2,
        flagged_percent=0.7,
    ),
    sig(
        "policy_practice_gap:review:predeployment",
        "policy_practice_gap",
        "info",
        "Review: claimed audited, 44% see review in use (not enough evidence yet, n = 295)",
        ["Review", "Pre-deployment review"],
        claimed_status_level=3,
        percent_positive=44.0,
        n=295,
    ),
]


def test_headlines_are_plain_and_keep_the_figures_people_need():
    lines = {s.id: headline(s) for s in SIGNALS}
    for sid, line in lines.items():
        assert not STATISTICS.search(line), (sid, line)
        assert "_" not in line, (sid, line)  # no raw ids
    assert lines["policy_practice_gap:audit:independent-audit"] == (
        "The register says “Independent safety audit” is audited, but only 17% of staff see "
        "it in practice"
    )
    assert (
        "most of all “Psychological safety” (23 points more positive)"
        in lines["perception_gap:roles:pillars"]
    )
    assert lines["stale_commitment:stop-work:overdue"].endswith("overdue by over 1 year")
    assert "fewer than 5 of its 20 people" in lines["participation_bias:team-green"]
    assert lines["policy_practice_gap:review:predeployment"].endswith("to be sure yet")
    assert "40% last time, 25% now" in lines["speak_up_paradox:trend"]


def test_signals_about_one_subject_are_grouped_and_ordered_by_what_to_do_first():
    groups = group_signals(
        SIGNALS,
        policy_areas={"Stop-work authority": ["Stop-work and escalation"]},
        area_titles={"safety_resourcing": "Safety resourcing"},
    )
    by_title = {g.subject.title: g for g in groups}
    audit = by_title["Independent audit"]
    assert {s.kind for s in audit.signals} == {"policy_practice_gap", "awareness_gap"}
    assert by_title["Red"].subject.kind == "team" and len(by_title["Red"].signals) == 2
    assert "Stop-work and escalation" in by_title  # an overdue review joins its practice
    assert "Safety resourcing" in by_title  # a removed policy too, through the area id
    assert subject_of(SIGNALS[1]).kind == "leaders"
    severities = [g.severity() for g in groups]
    order = ("info", "warning", "critical")
    assert [order.index(s) for s in severities] == sorted(
        (order.index(s) for s in severities), reverse=True
    )
    # The subject to start with, and the count of subjects — not of signals.
    summary = attention(groups)
    assert summary.start_here == 3 and summary.first == groups[0].subject.title
    assert summary.text().startswith(f"Signals: start with “{groups[0].subject.title}”")
    assert "critical" not in summary.text()


def test_acknowledged_signals_no_longer_ask_for_a_look():
    ids = [s.id for s in SIGNALS if s.severity != "info"]
    groups = group_signals(SIGNALS, acknowledged=ids)
    summary = attention(groups, ids)
    assert summary.first is None and summary.start_here == summary.worth_a_look == 0
    assert summary.acknowledged == len(ids)
    assert summary.text() == (
        f"Signals: nothing needs a look now ({summary.for_information} for information)"
    )
    # Acknowledged signals sink to the end of their subject.
    audit = next(
        g
        for g in group_signals(SIGNALS, acknowledged=[SIGNALS[0].id])
        if g.subject.title == "Independent audit"
    )
    assert audit.signals[-1].id == SIGNALS[0].id


def test_baseline_is_the_figure_the_next_survey_can_judge():
    b = baseline(SIGNALS[0])
    assert (b.measure, b.value) == ("percent_positive", 17.1)
    gap = baseline(SIGNALS[1])
    assert gap.measure == "psych.percent_points" and gap.value == 22.7
    assert "Psychological safety" in gap.label
    removed = baseline(SIGNALS[7])
    assert removed.measure == "" and removed.value is None


def _campaign(store, flagship, name):
    return store.create_campaign(name, flagship, min_group_size=5).id


def test_reviews_survive_reopening_and_belong_to_one_campaign(tmp_path, empty_db_file, flagship):
    from conftest import copy_db

    path = copy_db(empty_db_file, tmp_path / "reviews.db")
    store = Store(path)
    a, b = _campaign(store, flagship, "A"), _campaign(store, flagship, "B")
    review_signal(store, a, "awareness_gap:x", acknowledged=True)
    review_signal(store, a, "awareness_gap:x", note="  Raised with the audit lead  ")
    store.close()
    store = Store(path)
    reviews = signal_reviews(store, a)
    assert reviews["awareness_gap:x"].acknowledged
    assert reviews["awareness_gap:x"].note == "Raised with the audit lead"
    assert acknowledged_signals(store, b) == set()
    review_signal(store, a, "awareness_gap:x", acknowledged=False)
    assert acknowledged_signals(store, a) == set()
    assert signal_reviews(store, a)["awareness_gap:x"].note == "Raised with the audit lead"
    with pytest.raises(StoreError, match="note"):
        review_signal(store, a, "awareness_gap:x", note="x" * 5000)
    store.delete_campaign(a)
    with store.session() as s:
        from sqlalchemy import text

        assert s.execute(text("SELECT count(*) FROM signal_reviews")).scalar() == 0
    store.close()


def test_actions_keep_what_the_next_campaign_needs(store, flagship):
    cid = _campaign(store, flagship, "A")
    b = baseline(SIGNALS[0])
    action = add_action(
        store,
        cid,
        NewAction(
            title="Commission the overdue independent audit",
            subject_kind="area",
            subject="Independent audit",
            measure=b.measure,
            measure_label=b.label,
            baseline=b.value,
            owner_role="Head of safety",
            due_on=dt.date(2027, 3, 31),
            signal_id=SIGNALS[0].id,
        ),
        today=dt.date(2026, 12, 1),
    )
    assert action.status == "planned" and action.baseline == pytest.approx(17.1)
    assert not action.is_overdue(dt.date(2027, 3, 31))
    assert action.is_overdue(dt.date(2027, 4, 1))
    done = update_action(store, action.id, status="done", today=dt.date(2027, 4, 2))
    assert not done.is_overdue(dt.date(2027, 5, 1))
    [stored] = actions(store, cid)
    assert (stored.subject, stored.measure, stored.owner_role) == (
        "Independent audit",
        "percent_positive",
        "Head of safety",
    )
    assert stored.created_on == dt.date(2026, 12, 1) and stored.updated_on == dt.date(2027, 4, 2)
    with pytest.raises(StoreError, match="title"):
        add_action(store, cid, NewAction(title="  ", subject_kind="area", subject="X"))
    with pytest.raises(StoreError, match="status"):
        update_action(store, action.id, status="finished")
    assert [a.status for a in actions(store, cid)] == ["done"]


def test_an_earlier_campaigns_actions_are_judged_by_this_campaigns_figures():
    from types import SimpleNamespace

    from culturescope.signals.people import check_actions

    def action(signal_id, measure, subject, base):
        return SimpleNamespace(
            signal_id=signal_id, measure=measure, subject=subject, baseline=base, title="x"
        )

    area = SimpleNamespace(title="Safety resourcing", percent_positive=41.0)
    run = SimpleNamespace(signals=SIGNALS, areas=[area])
    checks = check_actions(
        [
            action(SIGNALS[0].id, "percent_positive", "Independent audit", 12.0),  # still low
            action(SIGNALS[1].id, "psych.percent_points", "Leaders", 30.0),  # gap narrowed
            action("policy_practice_gap:gone:x", "percent_positive", "Safety resourcing", 31.0),
            action("awareness_gap:gone", "practice_seen_percent", "Gone", 20.0),
        ],
        run,
    )
    audit, gap, resourcing, gone = checks
    assert audit.still_flagged and audit.now == pytest.approx(17.1)
    assert audit.change == pytest.approx(5.1) and audit.better
    assert gap.change == pytest.approx(-7.3) and gap.better  # a smaller gap is better
    # No longer flagged, but the area's figure is still measured.
    assert resourcing.still_flagged is False and resourcing.now == 41.0 and resourcing.better
    assert gone.still_flagged is False and gone.now is None and gone.better is None


def test_perception_headline_names_the_largest_gap_in_the_points_it_states():
    """The scope is ordered by effect size; "most of all" is stated in points, so it names
    the measure with the most points (a lead read 30 points "most of all" beside 35)."""
    s = sig(
        "perception_gap:roles:areas",
        "perception_gap",
        "warning",
        "Senior leaders rate 3 of 8 practice areas higher than front-line staff",
        ["Senior leaders", "front-line staff", "Independent audit", "Learning from incidents",
         "Stop-work"],
        measures_compared=8,
        measures_with_gap=3,
        **{
            "audit.percent_points": 30.0,
            "audit.hedges_g": 0.95,
            "learning.percent_points": 35.0,
            "learning.hedges_g": 0.80,
            "stopwork.percent_points": 32.0,
            "stopwork.hedges_g": 0.70,
        },
    )
    assert headline(s).endswith("most of all “Learning from incidents” (35 points more positive)")
