"""Safety-washing signals (docs/design/signals.md): where the stated safety culture and the
measured one part ways. Each kind is a small function; :func:`detect_signals` runs all.
"""

from culturescope.signal_setup import not_checked_sentence, setup_not_checked
from culturescope.signals.detect import SignalAnalysis, analyse, detect_signals
from culturescope.signals.integrity import response_integrity
from culturescope.signals.methods import METHODS
from culturescope.signals.model import (
    KIND_TITLES,
    KINDS,
    SEVERITIES,
    THRESHOLD_HELP,
    THRESHOLD_TITLES,
    Finding,
    SignalSettings,
    SignalSettingsError,
    readable_method,
    severity_sort,
)
from culturescope.signals.participation import participation_bias
from culturescope.signals.policy import (
    AreaPractice,
    area_practice,
    policy_practice_gap,
    stale_commitments,
)
from culturescope.signals.survey import (
    awareness_gap,
    perception_gap,
    speak_up_paradox,
    split_culture,
)
from culturescope.signals.wording import (
    EvidenceEntry,
    evidence_entries,
    evidence_label,
    evidence_lines,
    evidence_sections,
    evidence_text,
    format_p,
    measure_titles,
)

__all__ = [
    "KINDS",
    "KIND_TITLES",
    "METHODS",
    "SEVERITIES",
    "THRESHOLD_HELP",
    "THRESHOLD_TITLES",
    "AreaPractice",
    "EvidenceEntry",
    "Finding",
    "SignalAnalysis",
    "SignalSettings",
    "SignalSettingsError",
    "analyse",
    "area_practice",
    "awareness_gap",
    "detect_signals",
    "evidence_entries",
    "evidence_label",
    "evidence_lines",
    "evidence_sections",
    "evidence_text",
    "format_p",
    "measure_titles",
    "not_checked_sentence",
    "participation_bias",
    "perception_gap",
    "policy_practice_gap",
    "readable_method",
    "response_integrity",
    "setup_not_checked",
    "severity_sort",
    "speak_up_paradox",
    "split_culture",
    "stale_commitments",
]
