"""Participation bias: who answered, against the headcounts (docs/design/signals.md).

A segment below the minimum group size is named with a count only, never as a sample.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from culturescope.lazy import lazy_module
from culturescope.scoring.results import ScoreResult
from culturescope.signals.inputs import SurveyFrame
from culturescope.signals.methods import METHODS
from culturescope.signals.model import Evidence, Finding, SignalSettings, slug
from culturescope.signals.multiplicity import NOT_ENOUGH_EVIDENCE, Builder, TestRun, run_alone
from culturescope.signals.survey import levels_label, visible_values

stats = lazy_module("scipy.stats")  # ~1 s to import: loaded by the first test run


# ---- 7. participation bias ---------------------------------------------------------
def participation_bias(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
) -> list[Finding]:
    """Low response rate in a segment, or leaders responding far more than staff.

    ``breakdowns`` maps each headcount field to the scores by that field, whose group
    visibility decides which segments' numbers may be shown.
    """
    return run_alone(
        lambda run: participation_bias_tests(
            frame, settings=settings, breakdowns=breakdowns, run=run
        ),
        alpha=settings.alpha,
    )


def participation_bias_tests(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
    run: TestRun,
) -> Builder:
    """Register the tests of :func:`participation_bias` in ``run``; return its builder."""
    m = frame.min_group_size
    facts: list[Finding] = []  # hidden segments: a count against a known headcount, no test
    tests: list[_Segment] = []
    for field, heads in sorted(frame.campaign.headcounts.items()):
        result = breakdowns.get(field)
        if result is None or field not in frame.demographics.columns or not heads:
            continue
        counts = frame.demographics[field].value_counts()
        visible = visible_values(result, field) or set()
        total_n = int(sum(int(counts.get(v, 0)) for v in heads))
        total_h = int(sum(int(h) for h in heads.values()))
        for value, h in sorted(heads.items()):
            h = int(h)
            n = int(counts.get(value, 0))
            if h <= 0:
                continue
            if value not in visible:
                if n < m and (m - 1) / h < settings.participation_low_rate:
                    facts.append(_hidden_segment(field, value, h, m, settings))
                continue
            rest_n, rest_h = total_n - n, total_h - h
            if n > h or rest_h <= 0 or rest_n > rest_h:
                continue  # headcounts that do not fit the responses: no rate to test
            rest_rate = rest_n / rest_h
            p = (
                stats.binomtest(n, h, rest_rate, alternative="less").pvalue
                if rest_rate
                else float("nan")  # nobody else responded: no rate to compare with
            )
            key = run.add("participation_bias", slug(field, value), float(p))
            tests.append(_Segment(field, value, n, h, rest_rate, key))
    leader = _leader_participation(frame, settings=settings, breakdowns=breakdowns, run=run)

    def build() -> list[Finding]:
        out = list(facts)
        for segment in tests:
            rate = segment.responses / segment.headcount
            low = rate < settings.participation_low_rate or (
                rate < settings.participation_relative * segment.rest_rate
            )
            if low:
                out.append(_segment_signal(segment, run))
        return out + leader()

    return build


@dataclass(frozen=True)
class _Segment:
    """A shown segment's responses against its headcount, and the rest's response rate."""

    field: str
    value: str
    responses: int
    headcount: int
    rest_rate: float
    key: str  # the test in the run


def _segment_signal(segment: _Segment, run: TestRun) -> Finding:
    field, value, key = segment.field, segment.value, segment.key
    n, h, rest_rate = segment.responses, segment.headcount, segment.rest_rate
    rate = n / h
    supported = run.significant(key)
    tail = (
        ""
        if supported
        else f" Against the rest's rate this is not beyond chance across the run's tests "
        f"(adjusted p = {run.adjusted(key):.2g}): {NOT_ENOUGH_EVIDENCE.lower()}."
    )
    return Finding(
        id=f"participation_bias:{slug(field, value)}",
        kind="participation_bias",
        severity="warning" if supported else "info",
        title=f"{field}: {value} — {rate * 100:.0f}% responded "
        f"(rest: {rest_rate * 100:.0f}%)"
        + ("" if supported else f" ({NOT_ENOUGH_EVIDENCE.lower()})"),
        scope=(f"{field}: {value}",),
        evidence=Evidence()
        .add(
            responses=n,
            headcount=h,
            response_rate_percent=rate * 100,
            rest_response_rate_percent=rest_rate * 100,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"Only {n} of {h} people in {field} '{value}' responded "
            f"({rate * 100:.0f}%, against {rest_rate * 100:.0f}% elsewhere). "
            "The results speak for the people who chose to answer; the silent "
            "ones may see things differently." + tail
        ),
        question=(
            f"Why did so few in '{value}' respond: no time, no access, no trust "
            "that answers stay confidential, or no belief that anything changes?"
        ),
        method=METHODS["participation_bias"],
    )


def _hidden_segment(field: str, value: str, h: int, m: int, settings: SignalSettings) -> Finding:
    ceiling = (m - 1) / h * 100
    return Finding(
        id=f"participation_bias:{slug(field, value)}",
        kind="participation_bias",
        severity="warning",
        title=f"{field}: {value} — fewer than {m} responses from {h} people",
        scope=(f"{field}: {value}",),
        evidence=Evidence().add(headcount=h, min_group_size=m).values,
        explanation=(
            f"{field.capitalize()} '{value}' has {h} people but fewer than {m} responses, so "
            f"fewer than {ceiling:.0f}% answered and its results are hidden. Its view is "
            "missing from everything shown."
        ),
        question=(
            f"What would it take for people in '{value}' to answer: time, access, or trust "
            "that their answers stay confidential?"
        ),
        method=METHODS["participation_bias"],
    )


def _leader_participation(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
    run: TestRun,
) -> Builder:
    role = next((d for d in frame.instrument.demographics if d.role_levels), None)
    if role is None or role.id not in frame.campaign.headcounts:
        return lambda: []
    heads = frame.campaign.headcounts[role.id]
    visible = visible_values(breakdowns.get(role.id), role.id) or set()
    counts: pd.Series | dict[str, int] = (
        frame.demographics[role.id].value_counts() if role.id in frame.demographics else {}
    )

    def side(levels: Collection[str]) -> tuple[int, int] | None:
        values = [v for v, lvl in role.role_levels.items() if lvl in levels and v in heads]
        if not values or any(v not in visible for v in values):
            return None  # a hidden part: no numbers for the whole side
        return sum(int(counts.get(v, 0)) for v in values), sum(int(heads[v]) for v in values)

    lead = side(settings.participation_leader_levels)
    staff = side(settings.frontline_levels)
    if lead is None or staff is None or 0 in (lead[1], staff[1]):
        return lambda: []
    (nl, hl), (ns, hs) = lead, staff
    if nl > hl or ns > hs or ns == 0:
        return lambda: []
    p = stats.chi2_contingency([[nl, hl - nl], [ns, hs - ns]]).pvalue
    key = run.add("participation_bias", "leaders-vs-staff", float(p))
    if nl / hl < settings.participation_leader_ratio * (ns / hs):
        return lambda: []
    return lambda: [_leader_signal(settings, nl, hl, ns, hs, key, run)]


def _leader_signal(
    settings: SignalSettings, nl: int, hl: int, ns: int, hs: int, key: str, run: TestRun
) -> Finding:
    rl, rs = nl / hl, ns / hs
    supported = run.significant(key)
    leaders = levels_label(settings.participation_leader_levels)
    staff_label = levels_label(settings.frontline_levels)
    return Finding(
        id="participation_bias:leaders-vs-staff",
        kind="participation_bias",
        severity="warning" if supported else "info",
        title=f"{leaders.capitalize()} responded {rl * 100:.0f}%, {staff_label} "
        f"{rs * 100:.0f}%" + ("" if supported else f" ({NOT_ENOUGH_EVIDENCE.lower()})"),
        scope=(leaders, staff_label),
        evidence=Evidence()
        .add(
            leader_responses=nl,
            leader_headcount=hl,
            leader_rate_percent=rl * 100,
            staff_responses=ns,
            staff_headcount=hs,
            staff_rate_percent=rs * 100,
            ratio=rl / rs,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"{leaders.capitalize()} answered {rl / rs:.1f} times as often as "
            f"{staff_label} ({rl * 100:.0f}% against {rs * 100:.0f}%). Overall results "
            "lean towards the leaders' view."
            + (
                ""
                if supported
                else f" The difference is not beyond chance across the run's tests "
                f"(adjusted p = {run.adjusted(key):.2g}): {NOT_ENOUGH_EVIDENCE.lower()}."
            )
        ),
        question=(
            f"Did {staff_label} have the time and access to respond, and do they trust "
            "that the survey is confidential and leads somewhere?"
        ),
        method=METHODS["participation_bias"],
    )
