"""Signals for people: plain headlines, subjects, priorities and the figure an action moves.

The Signals page and the dashboard show a signal by what it means for the organisation
("Only 17% of staff see independent audits happen, although the register says they are
audited"), grouped by what it is about (a practice area, a pillar, a team, the leaders'
view, who answered). The statistics stay in the signal's evidence and method, shown on
request. Everything here reads the signal only, so it says nothing the signal's audited
evidence does not already say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from culturescope.policies.register import STATUSES
from culturescope.signals.model import Finding

if TYPE_CHECKING:
    from culturescope.signals.detect import SignalAnalysis

#: What the headline of a signal reads: its evidence and its scope.
EvidenceValues = Mapping[str, float]
Scope = tuple[str, ...]

#: What the user should do with a signal of each severity, mildest first. The words are
#: calm on purpose: a signal is a question to ask, not an alarm.
PRIORITIES = {
    "critical": "Start here",
    "warning": "Worth a look",
    "info": "For information",
}
PRIORITY_HELP = {
    "critical": "Strong evidence of a large gap: look at these subjects first.",
    "warning": "Clear evidence of a gap: look into these once the first ones are in hand.",
    "info": "Too little evidence to be sure yet, or a small effect: keep an eye on it.",
}


@dataclass(frozen=True)
class Subject:
    """What a signal is about: ``kind`` is one of "area", "team", "leaders",
    "speaking_up", "participation", "answers", "register"."""

    kind: str
    title: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.title.casefold()}"

    @property
    def kind_title(self) -> str:
        return SUBJECT_KINDS[self.kind]


SUBJECT_KINDS = {
    "area": "Practice area",
    "team": "Team",
    "leaders": "Comparison of views",
    "speaking_up": "Speaking up",
    "participation": "Who answered",
    "answers": "How people answered",
    "register": "Policy register",
}


@dataclass
class SubjectGroup:
    """The signals about one subject, most severe first."""

    subject: Subject
    signals: list[Finding] = field(default_factory=list)

    def severity(self, acknowledged: Iterable[str] = ()) -> str:
        """The most severe severity among the signals not yet acknowledged ("info" if all are)."""
        done = set(acknowledged)
        open_ = [s for s in self.signals if s.id not in done]
        return max(open_, key=lambda s: s.rank).severity if open_ else "info"


@dataclass(frozen=True)
class Attention:
    """How many subjects need a look, and which one first (for the dashboard and the page)."""

    start_here: int
    worth_a_look: int
    for_information: int
    acknowledged: int
    first: str | None  # the title of the subject to start with

    def text(self) -> str:
        """One calm line: what to look at first, then how much else there is."""
        if self.first is None:
            extra = f" ({self.for_information} for information)" if self.for_information else ""
            return f"Signals: nothing needs a look now{extra}"
        rest = self.start_here + self.worth_a_look - 1
        more = f" · {rest} more subject{'s' if rest != 1 else ''} to look into" if rest else ""
        return f"Signals: start with “{self.first}”{more}"


# ---- subjects -----------------------------------------------------------------------
def subject_of(
    signal: Finding,
    *,
    policy_areas: Mapping[str, Sequence[str]] | None = None,
    area_titles: Mapping[str, str] | None = None,
) -> Subject:
    """The subject a signal is grouped under.

    Parameters
    ----------
    signal : Finding
        The signal.
    policy_areas : mapping, optional
        Policy title → the titles of the practice areas it covers: a policy's overdue
        review or missing evidence is grouped with the practice it promises.
    area_titles : mapping, optional
        Practice area id → title (a removed policy's scope names area ids).
    """
    kind, scope = signal.kind, signal.scope
    if kind == "policy_practice_gap" and len(scope) > 1:
        return Subject("area", scope[1])
    if kind == "awareness_gap" and scope:
        return Subject("area", scope[0])
    if kind == "perception_gap":
        return Subject("leaders", "Leaders and front-line staff")
    if kind == "stale_commitment" and scope:
        areas = list((policy_areas or {}).get(scope[0], ()))
        areas += [(area_titles or {}).get(a, a) for a in scope[1:]]
        return Subject("area", areas[0]) if areas else Subject("register", scope[0])
    team = _team(scope)
    if kind in ("split_culture", "speak_up_paradox", "participation_bias") and team:
        return Subject("team", team)
    if kind == "speak_up_paradox":
        return Subject("speaking_up", "Speaking up and reporting")
    if kind == "participation_bias":
        return Subject("participation", "Who answered the survey")
    if kind == "response_integrity":
        return Subject("answers", "How people answered")
    return Subject("register", scope[0] if scope else signal.kind)


def _team(scope: Sequence[str]) -> str | None:
    for part in scope:
        name, sep, value = part.partition(": ")
        if sep and name.strip().casefold() == "team":
            return value.strip()
    return None


def group_signals(
    signals: Iterable[Finding],
    *,
    acknowledged: Iterable[str] = (),
    policy_areas: Mapping[str, Sequence[str]] | None = None,
    area_titles: Mapping[str, str] | None = None,
) -> list[SubjectGroup]:
    """Signals grouped by subject: the subjects to start with first (acknowledged signals
    count as information), then by how many signals each has, then by title."""
    done = set(acknowledged)
    groups: dict[str, SubjectGroup] = {}
    for s in signals:
        subject = subject_of(s, policy_areas=policy_areas, area_titles=area_titles)
        groups.setdefault(subject.key, SubjectGroup(subject)).signals.append(s)
    for g in groups.values():
        g.signals.sort(key=lambda s: (s.id in done, -s.rank, s.id))

    def order(g: SubjectGroup) -> tuple[int, int, str]:
        rank = ("info", "warning", "critical").index(g.severity(done))
        return (-rank, -len(g.signals), g.subject.title.casefold())

    return sorted(groups.values(), key=order)


def attention(groups: Sequence[SubjectGroup], acknowledged: Iterable[str] = ()) -> Attention:
    """Subjects per priority, acknowledged signals not counted (see :class:`Attention`).

    ``groups`` come from :func:`group_signals` with the same ``acknowledged``, so the
    first group needing a look is the one to start with.
    """
    done = set(acknowledged)
    by = {"critical": 0, "warning": 0, "info": 0}
    for g in groups:
        if any(s.id not in done for s in g.signals):  # all acknowledged: not counted
            by[g.severity(done)] += 1
    first = next((g.subject.title for g in groups if g.severity(done) != "info"), None)
    acked = sum(1 for g in groups for s in g.signals if s.id in done)
    return Attention(by["critical"], by["warning"], by["info"], acked, first)


# ---- plain headlines ----------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}%"


def _status(level: float | None) -> str:
    if level is None:
        return "in place"
    i = int(level)
    return STATUSES[i] if 0 <= i < len(STATUSES) else "in place"


def headline(signal: Finding) -> str:
    """The signal in one plain sentence: no test names, effect sizes or p-values."""
    e, scope, kind = signal.evidence, signal.scope, signal.kind
    tentative = signal.severity == "info" and "not enough evidence" in signal.title.casefold()
    text = _HEADLINES.get(kind, _title_only)(signal, e, scope)
    if tentative:
        text += " — too few answers to be sure yet"
    return text


def _title_only(signal: Finding, _e: EvidenceValues, _scope: Scope) -> str:
    return signal.title


def _policy_gap(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    policy = scope[0] if scope else "a policy"
    return (
        f"The register says “{policy}” is {_status(e.get('claimed_status_level'))}, but only "
        f"{_pct(e.get('percent_positive'))} of staff see it in practice"
    )


def _perception(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    leaders, staff = (scope + ("Leaders", "front-line staff"))[:2]
    areas = list(scope[2:])
    what = "practice areas" if signal.id.endswith(":areas") else "pillars"
    gaps = e.get("measures_with_gap")
    total = e.get("measures_compared")
    count = f"{int(gaps)} of {int(total)} {what}" if gaps and total else what
    text = f"{leaders} see {count} more positively than {staff} do"
    if areas:
        # "Most of all" in the unit the headline states: the largest difference in points
        # (the scope is ordered by effect size, which can name another measure first).
        ids = [k.split(".")[0] for k in e if k.endswith(".percent_points")]
        pairs = [(a, e.get(f"{i}.percent_points")) for a, i in zip(areas, ids, strict=False)]
        if len(ids) != len(areas) or any(p is None for _a, p in pairs):
            pairs = [(areas[0], None)]
        area, points = max(pairs, key=lambda ap: ap[1] if ap[1] is not None else 0.0)
        text += f", most of all “{area}”"
        if points is not None and points > 0:
            text += f" ({points:.0f} points more positive)"
    return text


def _awareness(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    area = scope[0] if scope else "a procedure"
    return (
        f"{_pct(e.get('aware_percent'))} know the “{area}” procedure exists, but only "
        f"{_pct(e.get('practice_seen_percent'))} see it used"
    )


def _split(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    group = scope[0] if scope else "A group"
    pillar = scope[1] if len(scope) > 1 else "a pillar"
    return (
        f"{group}: “{pillar}” looks good on average, but people experience it very "
        f"differently ({_pct(e.get('percent_negative'))} are negative)"
    )


def _speak_up(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    if signal.id.endswith(":trend"):
        return (
            f"Fewer people reported concerns: {_pct(e.get('previous_reporting_percent'))} "
            f"last time, {_pct(e.get('reporting_percent'))} now — while people say they "
            "feel safer to speak up"
        )
    who = scope[0] if scope and scope[0] != "whole organisation" else "People"
    tail = (
        f" ({_pct(e.get('rest_reporting_percent'))} elsewhere)"
        if "rest_reporting_percent" in e
        else ""
    )
    return (
        f"{who}: {_pct(e.get('psych_safety_percent_positive'))} feel safe to speak up, but "
        f"only {_pct(e.get('reporting_percent'))} reported a concern or incident{tail}"
    )


def _stale(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    policy = scope[0] if scope else "A policy"
    end = signal.id.rsplit(":", 1)[-1]
    if end == "overdue":
        days = int(e.get("days_overdue", 0))
        span = (
            f"over {days // 365} year{'s' if days >= 730 else ''}"
            if days >= 365
            else (f"{days} days")
        )
        return f"The review of “{policy}” is overdue by {span}"
    if end == "no-evidence":
        return (
            f"“{policy}” is recorded as {_status(e.get('status_level'))}, but no evidence is given"
        )
    if end == "softened":
        return f"“{policy}” now promises less than it did before"
    if end == "removed":
        return (
            f"“{policy}” was taken out of the register "
            f"(it was {_status(e.get('last_status_level'))})"
        )
    return signal.title


def _participation(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    if signal.id.endswith(":leaders-vs-staff"):
        return (
            f"Leaders answered the survey far more often than front-line staff "
            f"({_pct(e.get('leader_rate_percent'))} against {_pct(e.get('staff_rate_percent'))})"
        )
    segment = scope[0] if scope else "A group"
    name, _sep, value = segment.partition(": ")
    who = f"{name.capitalize()} {value}" if value else segment
    if signal.id.endswith(":over-headcount"):
        return (
            f"{who}: {int(e.get('responses', 0))} responses for {int(e.get('headcount', 0))} "
            "people — check the headcount sheet or repeated submissions"
        )
    if "response_rate_percent" not in e:
        return (
            f"{who}: fewer than {int(e.get('min_group_size', 0))} of its "
            f"{int(e.get('headcount', 0))} people answered, so its view is missing"
        )
    return (
        f"{who}: only {_pct(e.get('response_rate_percent'))} answered the survey "
        f"({_pct(e.get('rest_response_rate_percent'))} of everyone else)"
    )


def _integrity(signal: Finding, e: EvidenceValues, scope: Scope) -> str:
    k = int(e.get("flagged", 0))
    people = f"{k} {'person' if k == 1 else 'people'}"
    if signal.id.endswith("straight-lining"):
        return f"{people} gave the same strong answer to opposite statements"
    return f"{people} answered every question with the middle option"


_HEADLINES = {
    "policy_practice_gap": _policy_gap,
    "perception_gap": _perception,
    "awareness_gap": _awareness,
    "split_culture": _split,
    "speak_up_paradox": _speak_up,
    "stale_commitment": _stale,
    "participation_bias": _participation,
    "response_integrity": _integrity,
}


# ---- the figure an action is meant to move -------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """The figure of a signal that the next survey will be compared with: ``measure`` is a
    stable key, ``label`` says it in words, ``value`` is the figure now (None if none)."""

    measure: str
    label: str
    value: float | None


_BASELINES = {
    "policy_practice_gap": ("percent_positive", "% who see the practice"),
    "awareness_gap": ("practice_seen_percent", "% who see the procedure used"),
    "split_culture": ("rwg_j", "agreement within the team, rwg(j)"),
    "speak_up_paradox": ("reporting_percent", "% who reported a concern or incident"),
    "participation_bias": ("response_rate_percent", "response rate (%)"),
    "response_integrity": ("flagged_percent", "% of answers that cannot be taken at face value"),
    "stale_commitment": ("days_overdue", "days the review is overdue"),
}


def baseline(signal: Finding) -> Baseline:
    """The figure an action on this signal should move, as it stands in this campaign."""
    if signal.kind == "perception_gap":
        ids = [k.split(".")[0] for k in signal.evidence if k.endswith(".percent_points")]
        if ids:
            top = signal.scope[2] if len(signal.scope) > 2 else ids[0]
            return Baseline(
                f"{ids[0]}.percent_points",
                f"gap between leaders and front-line staff on “{top}”",
                signal.evidence[f"{ids[0]}.percent_points"],
            )
        count = signal.evidence.get("measures_with_gap")
        return Baseline("measures_with_gap", "measures with a gap", count)
    measure, label = _BASELINES.get(signal.kind, ("", ""))
    if signal.id.endswith(":over-headcount"):
        measure, label = "extra_responses", "responses beyond the headcount"
    value = signal.evidence.get(measure) if measure else None
    if value is None:
        return Baseline("", "no survey figure (judged by the register)", None)
    return Baseline(measure, label, float(value))


class SubjectContext(TypedDict):
    """The keyword arguments of :func:`subject_of` that a detection run supplies."""

    policy_areas: Mapping[str, Sequence[str]]
    area_titles: Mapping[str, str]


def subject_context(analysis: SignalAnalysis) -> SubjectContext:
    """The keyword arguments of :func:`subject_of` for a detection run: each policy with
    the practice areas it covers, each area id with its title."""
    area_titles = {a.area: a.title for a in analysis.areas}
    policy_areas = {
        p.title: [area_titles.get(x, x) for x in p.current.practice_areas]
        for p in analysis.register
    }
    return SubjectContext(policy_areas=policy_areas, area_titles=area_titles)


def group_analysis(
    analysis: SignalAnalysis, acknowledged: Iterable[str] = ()
) -> list[SubjectGroup]:
    """:func:`group_signals` for a detection run (policies join the areas they cover)."""
    return group_signals(analysis.signals, acknowledged=acknowledged, **subject_context(analysis))


# ---- judging last campaign's actions -------------------------------------------------
#: Measures where a smaller figure is the better one (a gap, days overdue, flagged answers).
LOWER_IS_BETTER = (
    "percent_points",
    "days_overdue",
    "flagged_percent",
    "measures_with_gap",
    "extra_responses",
)


@dataclass(frozen=True)
class ActionCheck:
    """An action of an earlier campaign next to this campaign's figure for its measure.

    ``now`` is None when this campaign has no such figure: its signal no longer fires
    (``still_flagged`` False) or the measure is not measured. ``better`` says whether the
    figure moved the right way; it is a plain difference, not a test.
    """

    action: Any
    still_flagged: bool | None
    now: float | None
    change: float | None
    better: bool | None


def check_actions(actions: Iterable[Any], analysis: SignalAnalysis) -> list[ActionCheck]:
    """Judge an earlier campaign's actions by this detection run (see :class:`ActionCheck`).

    The figure is the same signal's evidence for the action's measure, or, for a practice
    area's percent positive, the area's figure in this campaign even when no signal fires.
    """
    by_id = {s.id: s for s in analysis.signals}
    areas = {a.title: a for a in analysis.areas}
    out = []
    for a in actions:
        signal = by_id.get(a.signal_id) if a.signal_id else None
        still = None if not a.signal_id else signal is not None
        now = None
        if signal is not None and a.measure in signal.evidence:
            now = float(signal.evidence[a.measure])
        elif a.measure == "percent_positive" and a.subject in areas:
            now = areas[a.subject].percent_positive
        change = None if now is None or a.baseline is None else now - a.baseline
        lower = any(a.measure.endswith(m) for m in LOWER_IS_BETTER)
        better = None if not change else (change < 0) == lower
        out.append(ActionCheck(a, still, now, change, better))
    return out
