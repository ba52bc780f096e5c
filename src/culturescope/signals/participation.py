"""Participation bias: who answered, against the headcounts (docs/design/signals.md).

A segment below the minimum group size is named with a count only, never as a sample.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from culturescope import Cancelled
from culturescope.lazy import lazy_module
from culturescope.scoring.results import ScoreResult
from culturescope.signals.inputs import SurveyFrame
from culturescope.signals.methods import METHODS
from culturescope.signals.model import Evidence, Finding, SignalSettings, slug
from culturescope.signals.multiplicity import NOT_ENOUGH_EVIDENCE, Builder, TestRun, run_alone
from culturescope.signals.survey import levels_label, visible_values
from culturescope.storage import Campaign, Store

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
    facts: list[Finding] = []  # no test: hidden segments, groups over their headcount
    tests: list[_Segment] = []
    over_by_field: dict[str, set[str]] = {}
    for field, heads in sorted(frame.campaign.headcounts.items()):
        result = breakdowns.get(field)
        if result is None or field not in frame.demographics.columns or not heads:
            continue
        counts = frame.demographics[field].value_counts()
        visible = visible_values(result, field) or set()
        over = overcounts(heads, counts, visible, field=field)
        over_by_field[field] = {c.value for c in over}
        facts += [_overcount_signal(c) for c in over]
        # "Everyone else" holds only shown groups whose responses fit their headcount:
        # a hidden group's count is never put into a rate, and a group at 120% would
        # make everyone else look keener than they are.
        usable = {
            v: int(h)
            for v, h in heads.items()
            if v in visible and int(h) > 0 and v not in over_by_field[field]
        }
        total_n = sum(int(counts.get(v, 0)) for v in usable)
        total_h = sum(usable.values())
        for value, h in sorted(heads.items()):
            h = int(h)
            n = int(counts.get(value, 0))
            if h <= 0:
                continue
            if value not in visible:
                if n < m and (m - 1) / h < settings.participation_low_rate:
                    facts.append(_hidden_segment(field, value, h, m, settings))
                continue
            if value not in usable:
                continue  # more responses than people: its own finding, no rate
            rest_n, rest_h = total_n - n, total_h - h
            if rest_h <= 0:
                continue  # no other shown group to compare with
            rest_rate = rest_n / rest_h
            p = (
                stats.binomtest(n, h, rest_rate, alternative="less").pvalue
                if rest_rate
                else float("nan")  # nobody else responded: no rate to compare with
            )
            key = run.add("participation_bias", slug(field, value), float(p))
            left_out = len([v for v, c in heads.items() if int(c) > 0 and v not in usable])
            tests.append(
                _Segment(
                    field,
                    value,
                    n,
                    h,
                    rest_rate,
                    key,
                    rest_responses=rest_n,
                    rest_headcount=rest_h,
                    over=tuple(sorted(over_by_field[field])),
                    hidden=left_out - len(over_by_field[field]),
                )
            )
    leader = _leader_participation(
        frame, settings=settings, breakdowns=breakdowns, run=run, over=over_by_field
    )

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
    rest_responses: int = 0
    rest_headcount: int = 0
    over: tuple[str, ...] = ()  # groups left out of the rest: more responses than people
    hidden: int = 0  # groups left out of the rest: their results are hidden


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
            rest_responses=segment.rest_responses,
            rest_headcount=segment.rest_headcount,
            groups_left_out=len(segment.over) + segment.hidden,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"Only {n} of {h} people in {field} '{value}' responded "
            f"({rate * 100:.0f}%, against {rest_rate * 100:.0f}% elsewhere). "
            "The results speak for the people who chose to answer; the silent "
            "ones may see things differently. " + _rest_text(segment) + tail
        ),
        question=(
            f"Why did so few in '{value}' respond: no time, no access, no trust "
            "that answers stay confidential, or no belief that anything changes?"
        ),
        method=METHODS["participation_bias"],
    )


def _rest_text(segment: _Segment) -> str:
    """Who "everyone else" is, in words, naming the groups left out and why."""
    field = segment.field
    parts = []
    if segment.over:
        names = ", ".join(f"'{v}'" for v in segment.over)
        verb = "has" if len(segment.over) == 1 else "have"
        parts.append(f"{names}, which {verb} more responses than people")
    if segment.hidden:
        groups = "group" if segment.hidden == 1 else "groups"
        parts.append(f"{segment.hidden} {groups} whose results are hidden")
    left_out = f", leaving out {' and '.join(parts)}" if parts else ""
    return (
        f"Everyone else: the other {field} groups with a headcount "
        f"({segment.rest_responses} responses from {segment.rest_headcount} people){left_out}."
    )


@dataclass(frozen=True)
class Overcount:
    """A shown group with more responses than its headcount has people.

    Only groups whose results are shown are checked: for a hidden group, "more responses
    than its 3 people" would tell how many answered.
    """

    field: str  # demographic id
    value: str  # the group (an option id for demographics with options)
    label: str  # the group in words (the option's label)
    responses: int
    headcount: int

    @property
    def message(self) -> str:
        """"Operations: 24 responses for 20 people — check the headcount sheet or …"."""
        people = "person" if self.headcount == 1 else "people"
        return (
            f"{self.label}: {self.responses} responses for {self.headcount} {people} — "
            "check the headcount sheet or repeated submissions"
        )


def overcounts(
    heads: Mapping[str, int],
    counts: Mapping[str, int] | pd.Series,
    visible: Collection[str],
    *,
    field: str,
    labels: Mapping[str, str] | None = None,
) -> list[Overcount]:
    """The shown groups of ``field`` with more responses (``counts``) than ``heads``."""
    out = []
    for value, h in sorted(heads.items()):
        n = int(counts.get(value, 0))
        if value in visible and n > int(h):
            label = (labels or {}).get(value, value)
            out.append(Overcount(field, value, label, n, int(h)))
    return out


@dataclass(frozen=True)
class HeadcountCheck:
    """Headcounts against a campaign's responses (:func:`check_headcounts`)."""

    overcounts: list[Overcount]
    #: Per demographic id, how many of its headcount groups are hidden (not checked).
    hidden: dict[str, int]


def check_headcounts(
    store: Store,
    campaign: Campaign,
    headcounts: Mapping[str, Mapping[str, int]],
    *,
    progress: Callable[[float, str], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> HeadcountCheck:
    """Groups with more responses than people, for ``campaign set --headcounts`` and the
    campaign dialog: the groups are scored by each demographic of ``headcounts`` with the
    campaign's minimum group size, and only shown groups are named with their counts.
    """
    from culturescope.scoring import score_campaign

    fields = [f for f, heads in sorted(headcounts.items()) if heads]
    if not fields or campaign.response_count == 0:
        return HeadcountCheck([], {})
    data = store.load_responses(campaign.id)
    if is_cancelled is not None and is_cancelled():
        raise Cancelled("headcount check cancelled")
    found: list[Overcount] = []
    hidden: dict[str, int] = {}
    for n, field in enumerate(fields):
        if field not in data.demographics.columns:
            continue
        result = score_campaign(
            data,
            campaign=campaign.name,
            by=(field,),
            min_group_size=campaign.min_group_size,
            progress=_part(progress, n, len(fields)),
            is_cancelled=is_cancelled,
        )
        visible = visible_values(result, field) or set()
        demographic = data.instrument.demographic_by_id.get(field)
        labels = {o.id: o.label for o in demographic.options} if demographic else {}
        counts = data.demographics[field].value_counts()
        heads = headcounts[field]
        found += overcounts(heads, counts, visible, field=field, labels=labels)
        hidden[field] = len([v for v in heads if v not in visible])
    return HeadcountCheck(found, hidden)


def _part(
    progress: Callable[[float, str], None] | None, index: int, parts: int
) -> Callable[[float, str], None] | None:
    """``progress`` for part ``index`` of ``parts`` equal parts of the work."""
    if progress is None:
        return None
    report = progress
    return lambda fraction, message: report((index + fraction) / parts, message)


def _overcount_signal(over: Overcount) -> Finding:
    field, value, n, h = over.field, over.value, over.responses, over.headcount
    people = "person" if h == 1 else "people"
    return Finding(
        id=f"participation_bias:{slug(field, value)}:over-headcount",
        kind="participation_bias",
        severity="info",
        title=f"{field}: {value} — {n} responses for {h} {people}",
        scope=(f"{field}: {value}",),
        evidence=Evidence().add(responses=n, headcount=h, extra_responses=n - h).values,
        explanation=(
            f"{field.capitalize()} '{value}' has {n} responses, but the headcounts give it "
            f"{h} {people}. Either the headcount sheet is out of date (people joined, or "
            "teams were merged or renamed), or some answers were submitted twice, or people "
            f"of another {field} chose this one. Its response rate is not computed, and it "
            "is left out of 'everyone else' when the other groups' rates are compared."
        ),
        question=(
            f"Is the headcount of '{value}' current, and could anyone have answered twice "
            "(a shared kiosk, a link opened again, the same file imported under another name)?"
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
    over: Mapping[str, Collection[str]] | None = None,
) -> Builder:
    role = next((d for d in frame.instrument.demographics if d.role_levels), None)
    if role is None or role.id not in frame.campaign.headcounts:
        return lambda: []
    heads = frame.campaign.headcounts[role.id]
    visible = visible_values(breakdowns.get(role.id), role.id) or set()
    counts: pd.Series | dict[str, int] = (
        frame.demographics[role.id].value_counts() if role.id in frame.demographics else {}
    )

    too_many = set((over or {}).get(role.id, ()))  # more responses than people: left out

    def side(levels: Collection[str]) -> tuple[int, int] | None:
        values = [
            v
            for v, lvl in role.role_levels.items()
            if lvl in levels and v in heads and v not in too_many
        ]
        if not values or any(v not in visible for v in values):
            return None  # a hidden part: no numbers for the whole side
        return sum(int(counts.get(v, 0)) for v in values), sum(int(heads[v]) for v in values)

    def compared(levels: Collection[str]) -> tuple[list[str], list[str]]:
        """The levels a side is made of, and the levels left out of it (over headcount)."""
        kept = [
            lvl
            for lvl in levels
            if any(role.role_levels.get(v) == lvl and v not in too_many for v in heads)
        ]
        dropped = [
            lvl
            for lvl in levels
            if lvl not in kept and any(role.role_levels.get(v) == lvl for v in too_many)
        ]
        return kept, dropped

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
    lead_levels, lead_out = compared(settings.participation_leader_levels)
    staff_levels, staff_out = compared(settings.frontline_levels)
    sides = _Sides(lead_levels, staff_levels, (*lead_out, *staff_out))
    return lambda: [_leader_signal(sides, nl, hl, ns, hs, key, run)]


@dataclass(frozen=True)
class _Sides:
    """The role levels each side of the leaders-vs-staff comparison is made of.

    A level whose every group had more responses than people is left out of its side
    (its rate would be over 100%), and the finding names the levels it compared.
    """

    leaders: Collection[str]
    staff: Collection[str]
    left_out: tuple[str, ...] = ()


def _leader_signal(
    sides: _Sides, nl: int, hl: int, ns: int, hs: int, key: str, run: TestRun
) -> Finding:
    rl, rs = nl / hl, ns / hs
    supported = run.significant(key)
    leaders = levels_label(sides.leaders)
    staff_label = levels_label(sides.staff)
    left_out = (
        f" {levels_label(sides.left_out).capitalize()} are left out of this comparison: "
        "more responses than people in the headcount sheet."
        if sides.left_out
        else ""
    )
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
            + left_out
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
