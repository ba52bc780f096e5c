"""What a safety-washing signal is, and the thresholds that decide when one fires."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: Severities, mildest first.
SEVERITIES = ("info", "warning", "critical")

#: Signal kinds (PRODUCT.md §8), in the order the docs describe them.
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
class Signal:
    """One finding that the stated safety culture and the measured one may differ.

    ``evidence`` holds only numbers (counts, percentages 0–100, means, p-values); numbers
    of a group below the minimum group size never appear in it (PRODUCT.md §6).
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

    #: Significance level of every test, after Holm's correction within a signal's family.
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


_SLUG = re.compile(r"[^0-9a-z]+")


def slug(*parts: object) -> str:
    """A stable id fragment: ``slug("team", "Trust & Safety")`` → ``team-trust-safety``."""
    return "-".join(_SLUG.sub("-", str(p).casefold()).strip("-") for p in parts if str(p))


def severity_sort(signals: list[Signal]) -> list[Signal]:
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
