"""What a safety-washing signal is, and the thresholds that decide when one fires."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from culturescope import CultureScopeError

#: Severities, mildest first.
SEVERITIES = ("info", "warning", "critical")

#: Signal kinds (docs/design/signals.md), in the order the docs describe them.
KINDS = (
    "policy_practice_gap",
    "perception_gap",
    "awareness_gap",
    "split_culture",
    "speak_up_paradox",
    "stale_commitment",
    "participation_bias",
    "response_integrity",
)

KIND_TITLES = {
    "policy_practice_gap": "Policy–practice gap",
    "perception_gap": "Perception gap",
    "awareness_gap": "Awareness gap",
    "split_culture": "Split culture",
    "speak_up_paradox": "Speak-up paradox",
    "stale_commitment": "Stale or overdue commitment",
    "participation_bias": "Participation bias",
    "response_integrity": "Response-pattern integrity",
}


@dataclass(frozen=True)
class Finding:
    """One finding that the stated safety culture and the measured one may differ.

    ``evidence`` holds only numbers (counts, percentages 0–100, means, p-values); numbers
    of a group below the minimum group size never appear in it (docs/design/confidentiality.md).
    """

    id: str
    kind: str
    severity: str
    title: str  # one line, e.g. "Independent audit: claimed audited, 31% see it in use"
    scope: tuple[str, ...]  # groups ("team: Red") or practice areas / policies it concerns
    evidence: dict[str, float]
    explanation: str
    question: str
    method: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown signal kind '{self.kind}'")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity '{self.severity}'")
        for key, value in self.evidence.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"evidence '{key}' of signal {self.id} is not a number")

    @property
    def rank(self) -> int:
        """Higher is more severe (for sorting)."""
        return SEVERITIES.index(self.severity)

    def to_json(self) -> dict[str, Any]:
        """The documented ``signals --json`` shape (docs/signals.md)."""
        out = asdict(self)
        out["scope"] = list(self.scope)
        out["evidence"] = {
            k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in self.evidence.items()
        }
        return out


@dataclass(frozen=True)
class SignalSettings:
    """Named thresholds of the signals, with their documented defaults (docs/signals.md).

    Percentages are 0–100; means are on the item scale (1–5 on the flagship).
    """

    #: False discovery rate across all tests of one detection run (Benjamini–Hochberg).
    alpha: float = 0.05
    # Policy–practice gap
    practice_low_percent: float = 50.0  # practice items below this % positive: "on paper only"
    policy_gap_critical_points: float = 15.0  # this far below: critical
    # Perception gap
    leader_levels: tuple[str, ...] = ("senior_leader",)
    frontline_levels: tuple[str, ...] = ("front_line",)
    perception_min_effect: float = 0.5  # Hedges' g
    perception_critical_effect: float = 0.8
    perception_critical_points: float = 20.0  # percentage points
    # Awareness gap
    awareness_high_percent: float = 70.0
    awareness_practice_low_percent: float = 50.0
    awareness_critical_points: float = 40.0
    # Split culture
    split_by: str = "team"
    split_good_mean: float = 3.5
    split_max_rwg_j: float = 0.50
    # Speak-up paradox
    psych_dimension: str = "psychological_safety"
    reporting_dimension: str = "reporting_activity"
    psych_high_percent: float = 70.0
    reporting_low_percent: float = 30.0  # organisation-wide share reporting at least once
    reporting_gap_points: float = 15.0  # a team this far below the rest of the organisation
    reporting_drop_points: float = 10.0  # fall since the previous campaign
    # Participation bias
    participation_low_rate: float = 0.30
    participation_relative: float = 0.6  # rate below this fraction of the rest's rate
    participation_leader_levels: tuple[str, ...] = ("senior_leader", "manager")
    participation_leader_ratio: float = 1.5
    # Response-pattern integrity
    pattern_min_pairs: int = 2
    all_neutral_min_items: int = 10
    pattern_warning_percent: float = 5.0
    # Stale or overdue commitments
    overdue_critical_days: int = 365

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def with_overrides(
        self, overrides: Mapping[str, Any], *, source: str = "signal thresholds"
    ) -> SignalSettings:
        """A copy with ``overrides`` (name → value; values may be text, as typed on the
        command line). Unknown names, wrong types and impossible values raise
        :class:`SignalSettingsError` naming ``source``, the setting and the problem."""
        values: dict[str, Any] = {}
        for name, raw in overrides.items():
            values[name] = _threshold_value(self, name, raw, source)
        return replace(self, **values)


#: What each threshold means (the same words as docs/signals.md).
THRESHOLD_HELP: dict[str, str] = {
    "alpha": "false discovery rate across all tests of one detection run (Benjamini–Hochberg)",
    "practice_low_percent": "practice percent positive below which a claimed policy is 'on paper only'",
    "policy_gap_critical_points": "points below that threshold at which the gap is critical",
    "leader_levels": "role levels compared as leaders in the perception gap",
    "frontline_levels": "role levels compared as front-line staff",
    "perception_min_effect": "smallest Hedges' g that counts as a perception gap",
    "perception_critical_effect": "Hedges' g from which a gap can be critical",
    "perception_critical_points": "... together with this many percentage points",
    "awareness_high_percent": "share aware of a procedure that counts as high",
    "awareness_practice_low_percent": "share seeing the practice that counts as low",
    "awareness_critical_points": "awareness minus practice gap that is critical",
    "split_by": "breakdown examined for split cultures and team-level speak-up paradox",
    "split_good_mean": "a pillar mean at least this is 'good'",
    "split_max_rwg_j": "rwg(j) below this is low agreement",
    "psych_dimension": "dimension measuring psychological safety",
    "reporting_dimension": "dimension holding the reporting-activity items",
    "psych_high_percent": "psychological safety percent positive that counts as high",
    "reporting_low_percent": "organisation-wide share reporting at least once that counts as low",
    "reporting_gap_points": "a team reporting this many points less than the rest",
    "reporting_drop_points": "fall in the share reporting since the previous campaign",
    "participation_low_rate": "response rate (0–1) below which a segment is low",
    "participation_relative": "... or below this fraction of the rest's rate",
    "participation_leader_levels": "role levels counted as leaders for response rates",
    "participation_leader_ratio": "leaders' rate divided by front-line rate that counts as far more",
    "pattern_min_pairs": "opposite pairs with the same extreme answer to count as straight-lining",
    "all_neutral_min_items": "answered items needed to count an all-neutral response",
    "pattern_warning_percent": "share of flagged respondents from which the signal is a warning",
    "overdue_critical_days": "days overdue from which an overdue review is critical",
}


#: Readable names of the thresholds, for people (docs and --set use the raw names).
THRESHOLD_TITLES = {
    "alpha": "Significance level",
    "practice_low_percent": "Practice low (% positive)",
    "policy_gap_critical_points": "Policy gap: critical (points)",
    "leader_levels": "Perception gap: leader role levels",
    "frontline_levels": "Perception gap: front-line role levels",
    "perception_min_effect": "Perception gap: smallest effect (g)",
    "perception_critical_effect": "Perception gap: critical effect (g)",
    "perception_critical_points": "Perception gap: critical (points)",
    "awareness_high_percent": "Awareness high (%)",
    "awareness_practice_low_percent": "Awareness gap: practice low (%)",
    "awareness_critical_points": "Awareness gap: critical (points)",
    "split_by": "Split culture: breakdown",
    "split_good_mean": "Split culture: good mean",
    "split_max_rwg_j": "Split culture: low agreement (rwg(j))",
    "psych_dimension": "Psychological safety dimension",
    "reporting_dimension": "Reporting-activity dimension",
    "psych_high_percent": "Psychological safety high (%)",
    "reporting_low_percent": "Reporting low (%)",
    "reporting_gap_points": "Team reporting gap (points)",
    "reporting_drop_points": "Reporting drop (points)",
    "participation_low_rate": "Low response rate (0–1)",
    "participation_relative": "Relative response rate",
    "participation_leader_levels": "Response rates: leader role levels",
    "participation_leader_ratio": "Leader / front-line rate ratio",
    "pattern_min_pairs": "Straight-lining: opposite pairs",
    "all_neutral_min_items": "All-neutral: answered items",
    "pattern_warning_percent": "Flagged respondents: warning (%)",
    "overdue_critical_days": "Overdue review: critical (days)",
}


def readable_method(text: str) -> str:
    """A method text with each threshold's raw name replaced by its readable name."""
    for name in sorted(THRESHOLD_TITLES, key=len, reverse=True):
        text = re.sub(rf"\b{name}\b", f"“{THRESHOLD_TITLES[name]}”", text)
    return text


class SignalSettingsError(CultureScopeError):
    """A signal threshold that does not exist or cannot have the value given."""


_PERCENT = re.compile(r"_percent$|_points$")
_FRACTION = ("alpha", "participation_low_rate", "participation_relative", "split_max_rwg_j")


def _threshold_value(base: SignalSettings, name: str, raw: Any, source: str) -> Any:
    known = {f.name: f for f in fields(SignalSettings)}
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise SignalSettingsError(f"{source}: unknown signal threshold '{name}'{hint}")
    default = getattr(base, name)
    problem = f"{source}: {name} = {raw!r}"
    if isinstance(default, tuple):
        parts = raw.split(",") if isinstance(raw, str) else list(raw)
        value = tuple(str(p).strip() for p in parts if str(p).strip())
        if not value:
            raise SignalSettingsError(f"{problem}: give at least one value")
        return value
    if isinstance(default, str):
        text = str(raw).strip()
        if not text:
            raise SignalSettingsError(f"{problem}: give a value")
        return text
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise SignalSettingsError(f"{problem}: not a number") from None
    if isinstance(default, int) and not isinstance(default, bool):
        if number != int(number) or number < 0:
            raise SignalSettingsError(f"{problem}: must be a whole number, 0 or more")
        return int(number)
    if not math.isfinite(number) or number < 0:
        raise SignalSettingsError(f"{problem}: must be a number, 0 or more")
    if _PERCENT.search(name) and number > 100:
        raise SignalSettingsError(f"{problem}: a percentage must be between 0 and 100")
    if name in _FRACTION and not 0 < number <= 1:
        raise SignalSettingsError(f"{problem}: must be above 0 and at most 1")
    return number


_SLUG = re.compile(r"[^0-9a-z]+")


def slug(*parts: object) -> str:
    """A stable id fragment: ``slug("team", "Trust & Safety")`` → ``team-trust-safety``."""
    return "-".join(_SLUG.sub("-", str(p).casefold()).strip("-") for p in parts if str(p))


def severity_sort(signals: list[Finding]) -> list[Finding]:
    """Most severe first; kinds in documented order; then by id (stable output)."""
    return sorted(signals, key=lambda s: (-s.rank, KINDS.index(s.kind), s.id))


@dataclass
class Evidence:
    """Builds an evidence dict, dropping values that are not finite numbers."""

    values: dict[str, float] = field(default_factory=dict)

    def add(self, **numbers: float | int | None) -> Evidence:
        for key, value in numbers.items():
            if value is None:
                continue
            value = float(value) if not isinstance(value, int) else value
            if isinstance(value, float) and not math.isfinite(value):
                continue
            self.values[key] = value
        return self
