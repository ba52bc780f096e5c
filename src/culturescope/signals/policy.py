"""Signals read from the policy register: policy–practice gap and stale commitments."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from culturescope.policies.register import IN_USE_STATUSES, STATUSES, Policy, PolicyVersion
from culturescope.scoring.results import ScoreResult
from culturescope.signals.methods import METHODS
from culturescope.signals.model import Evidence, Finding, SignalSettings, slug
from culturescope.signals.multiplicity import NOT_ENOUGH_EVIDENCE, Builder, TestRun, run_alone
from culturescope.signals.statistics import proportion_score_test, wilson_interval


@dataclass(frozen=True)
class AreaPractice:
    """A practice area's claim and measured practice (for charts and the gap signal)."""

    area: str
    title: str
    claimed_status: str | None  # strongest status of the current policies covering it
    percent_positive: float | None  # mean of its practice items' percent positive
    n: int  # fewest answers on any of its practice items
    policies: int


def area_practice(register: Sequence[Policy], overall: ScoreResult | None) -> list[AreaPractice]:
    """Per practice area of the instrument: the strongest claim and the practice seen.

    Percentages are None when the campaign is below its minimum group size.
    """
    if overall is None or overall.instrument is None:
        return []
    inst = overall.instrument
    shown = overall.responses >= overall.min_group_size
    out = []
    for area in inst.practice_areas:
        claims = [p for p in register if not p.removed and area.id in p.current.practice_areas]
        status = max((p.status for p in claims), key=STATUSES.index, default=None)
        found = [
            overall.item(i.id)
            for i in inst.items
            if i.kind == "practice" and area.id in i.practice_areas
        ]
        scores = [s for s in found if s is not None]
        percents = [s.percent_positive for s in scores if s.percent_positive is not None]
        counts = [s.n for s in scores if s.percent_positive is not None]
        pp = sum(percents) / len(percents) if percents and shown else None
        n = min(counts, default=0) if shown else 0
        out.append(AreaPractice(area.id, area.title, status, pp, n, len(claims)))
    return out


# ---- 1. policy–practice gap --------------------------------------------------------
def policy_practice_gap(
    register: Sequence[Policy], overall: ScoreResult, *, settings: SignalSettings
) -> list[Finding]:
    """Policies claimed implemented/audited whose areas' practice items score low.

    Called on its own, the tests are adjusted among themselves; :func:`detect_signals`
    adjusts them together with every other test of the run (:mod:`.multiplicity`).
    """
    return run_alone(
        lambda run: policy_practice_gap_tests(register, overall, settings=settings, run=run),
        alpha=settings.alpha,
    )


def policy_practice_gap_tests(
    register: Sequence[Policy], overall: ScoreResult, *, settings: SignalSettings, run: TestRun
) -> Builder:
    """Register the tests of :func:`policy_practice_gap` in ``run``; return its builder."""
    areas = {a.area: a for a in area_practice(register, overall)}
    threshold = settings.practice_low_percent
    found: list[_Gap] = []
    keys: dict[str, str] = {}  # one test per practice area, however many policies cover it
    for p in register:
        if p.removed or p.status not in IN_USE_STATUSES:
            continue
        for area_id in p.current.practice_areas:
            a = areas.get(area_id)
            if a is None or a.percent_positive is None or a.percent_positive >= threshold:
                continue
            if area_id not in keys:
                p_raw = proportion_score_test(a.percent_positive / 100, a.n, threshold / 100)
                keys[area_id] = run.add("policy_practice_gap", area_id, p_raw)
            found.append(_Gap(p, a, a.percent_positive, keys[area_id]))

    def build() -> list[Finding]:
        return [_gap_signal(gap, run, settings) for gap in found]

    return build


@dataclass(frozen=True)
class _Gap:
    """A policy claimed in use over a practice area whose practice scores low."""

    policy: Policy
    area: AreaPractice
    percent_positive: float  # the area's (known: an area without it has no gap)
    key: str  # the area's test in the run


def _gap_signal(found: _Gap, run: TestRun, settings: SignalSettings) -> Finding:
    p, a, key, percent = found.policy, found.area, found.key, found.percent_positive
    threshold = settings.practice_low_percent
    gap = threshold - percent
    low, high = (x * 100 for x in wilson_interval(percent / 100 * a.n, a.n))
    if not run.significant(key):
        severity = "info"  # the interval still reaches the threshold: too few answers
    elif gap >= settings.policy_gap_critical_points:
        severity = "critical"
    else:
        severity = "warning"
    what = f"{a.title.lower()}"
    if severity == "info":
        title = (
            f"{p.title}: claimed {p.status}, {a.percent_positive:.0f}% see {what} in use "
            f"({NOT_ENOUGH_EVIDENCE.lower()}, n = {a.n})"
        )
        verdict = (
            f" With {a.n} answers the 95% interval ({low:.0f}%–{high:.0f}%) still reaches "
            f"{threshold:.0f}%, and the test across this run's findings (adjusted p = "
            f"{run.adjusted(key):.2g}) does not show the gap beyond chance: "
            f"{NOT_ENOUGH_EVIDENCE.lower()}."
        )
    else:
        title = f"{p.title}: claimed {p.status}, {a.percent_positive:.0f}% see {what} in use"
        verdict = " The policy may exist on paper only."
    return Finding(
        id=f"policy_practice_gap:{slug(p.title)}:{slug(a.area)}",
        kind="policy_practice_gap",
        severity=severity,
        title=title,
        scope=(p.title, a.title),
        evidence=Evidence()
        .add(
            claimed_status_level=STATUSES.index(p.status),
            percent_positive=a.percent_positive,
            n=a.n,
            threshold_percent=threshold,
            gap_points=gap,
            lower_95_percent=low,
            upper_95_percent=high,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
            policy_version=p.version,
        )
        .values,
        explanation=(
            f"The register says '{p.title}' is {p.status}, but only "
            f"{a.percent_positive:.0f}% of respondents (n = {a.n}) say that "
            f"{what} happens in practice — below {threshold:.0f}%." + verdict
        ),
        question=(
            f"What evidence shows '{p.title}' working day to day"
            + (f" (the register cites '{p.current.evidence}')" if p.current.evidence else "")
            + f", and why do most staff not see {what} happen?"
        ),
        method=METHODS["policy_practice_gap"],
    )


# ---- 6. stale or overdue commitments -----------------------------------------------
_BINDING = re.compile(
    r"\b(must|shall|will|always|required|requires|require|mandatory|every|all|never|"
    r"guarantee[sd]?|ensure[sd]?)\b",
    re.IGNORECASE,
)
_HEDGING = re.compile(
    r"\b(should|may|might|could|aim|aims|try|tries|encourage[sd]?|endeavou?r|seek|seeks|"
    r"consider|ideally|where possible|where practicable|as appropriate|if feasible|"
    r"when possible)\b",
    re.IGNORECASE,
)


def weaker_statement(old: str, new: str) -> bool:
    """Whether ``new`` commits to less than ``old``: fewer binding words, more hedging
    words, or at least 30% shorter."""
    if not old.strip() or old.strip() == new.strip():
        return False
    fewer_binding = len(_BINDING.findall(new)) < len(_BINDING.findall(old))
    more_hedging = len(_HEDGING.findall(new)) > len(_HEDGING.findall(old))
    shorter = len(old) >= 20 and len(new.strip()) <= 0.7 * len(old.strip())
    return fewer_binding or more_hedging or shorter


def softenings(before: PolicyVersion, after: PolicyVersion) -> list[str]:
    """How ``after`` commits to less than ``before`` (empty when it does not)."""
    out = []
    if after.status_rank < before.status_rank:
        out.append(f"status lowered from {before.status} to {after.status}")
    if weaker_statement(before.statement, after.statement):
        out.append(f"statement weakened from “{before.statement}” to “{after.statement}”")
    dropped = [a for a in before.practice_areas if a not in after.practice_areas]
    if dropped:
        out.append(f"practice areas dropped: {', '.join(dropped)}")
    return out


def stale_commitments(
    register: Sequence[Policy], *, settings: SignalSettings, today: dt.date | None = None
) -> list[Finding]:
    """Overdue reviews, missing evidence, softened and removed commitments.

    ``register`` should include removed policies (their removal is a finding).
    """
    today = today or dt.date.today()
    out = []
    method = METHODS["stale_commitment"]
    for p in register:
        v = p.current
        key = slug(p.title)
        if p.removed:
            last = p.history[-2] if len(p.history) > 1 else v
            out.append(
                Finding(
                    id=f"stale_commitment:{key}:removed",
                    kind="stale_commitment",
                    severity="warning",
                    title=f"{p.title}: removed from the register (was {last.status})",
                    scope=(p.title, *v.practice_areas),
                    evidence=Evidence()
                    .add(version=v.version, last_status_level=STATUSES.index(last.status))
                    .values,
                    explanation=(
                        f"'{p.title}' ({last.status}) was removed from the register on "
                        f"{v.recorded_on:%d %b %Y}. A commitment that disappears quietly is "
                        "a commitment weakened."
                    ),
                    question=f"Why was '{p.title}' dropped, and what replaced it?",
                    method=method,
                )
            )
            continue
        if v.review_on is not None and v.review_on < today:
            days = (today - v.review_on).days
            out.append(
                Finding(
                    id=f"stale_commitment:{key}:overdue",
                    kind="stale_commitment",
                    severity="critical" if days >= settings.overdue_critical_days else "warning",
                    title=f"{p.title}: review overdue by {days} days",
                    scope=(p.title,),
                    evidence=Evidence()
                    .add(days_overdue=days, status_level=STATUSES.index(v.status))
                    .values,
                    explanation=(
                        f"'{p.title}' was due for review on {v.review_on:%d %b %Y}, "
                        f"{days} days ago. An unreviewed policy may no longer match how "
                        "work is done."
                    ),
                    question=f"Who owns the review of '{p.title}'"
                    + (f" ({v.owner})" if v.owner else "")
                    + ", and when will it happen?",
                    method=method,
                )
            )
        if v.status in IN_USE_STATUSES and not v.evidence:
            out.append(
                Finding(
                    id=f"stale_commitment:{key}:no-evidence",
                    kind="stale_commitment",
                    severity="warning",
                    title=f"{p.title}: claimed {v.status} without evidence",
                    scope=(p.title,),
                    evidence=Evidence().add(status_level=STATUSES.index(v.status)).values,
                    explanation=(
                        f"'{p.title}' is claimed {v.status}, but the register names no "
                        "evidence (an audit report, a log, a record of use)."
                    ),
                    question=f"What record shows that '{p.title}' is {v.status}?",
                    method=method,
                )
            )
        changes = []
        for before, after in zip(p.history, p.history[1:], strict=False):
            if not before.removed and not after.removed:
                changes += [(before, after, c) for c in softenings(before, after)]
        if changes:
            first, last = changes[0][0], changes[-1][1]
            out.append(
                Finding(
                    id=f"stale_commitment:{key}:softened",
                    kind="stale_commitment",
                    severity="warning",
                    title=f"{p.title}: commitment softened (version {first.version} → "
                    f"{last.version})",
                    scope=(p.title,),
                    evidence=Evidence()
                    .add(
                        from_version=first.version,
                        to_version=last.version,
                        from_status_level=STATUSES.index(first.status),
                        to_status_level=STATUSES.index(last.status),
                        changes=len(changes),
                    )
                    .values,
                    explanation=(
                        f"'{p.title}' commits to less than it did: "
                        + "; ".join(c for *_, c in changes)
                        + "."
                    ),
                    question=f"Who decided to soften '{p.title}', and why?",
                    method=method,
                )
            )
    return out
