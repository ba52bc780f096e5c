"""A signal's evidence in words a lay reader understands (Qt-free; shared by the PDF and
Excel scorecards, ``culturescope signals`` and the Signals page).

:func:`evidence_lines` turns ``{"claimed_status_level": 3, "percent_positive": 15.5,
"independent_audit.p_adjusted": 3.1e-06}`` into ``[("Claimed status", "audited"),
("Percent positive", "16%"), ("Independent audit — adjusted p-value", "< 0.001")]``.
The raw keys and numbers stay as they are in :meth:`Finding.to_json` (``signals --json``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from culturescope.policies.register import STATUSES

#: Labels of the evidence keys documented in docs/signals.md.
LABELS: dict[str, str] = {
    # policy–practice gap
    "claimed_status_level": "Claimed status",
    "percent_positive": "Percent positive",
    "n": "Answers (n)",
    "threshold_percent": "Threshold",
    "gap_points": "Gap",
    "lower_95_percent": "Lower end of the 95% interval",
    "upper_95_percent": "Upper end of the 95% interval",
    "policy_version": "Policy version",
    # perception gap
    "leaders_n": "Leaders (n)",
    "frontline_n": "Front-line staff (n)",
    "measures_compared": "Measures compared",
    "measures_with_gap": "Measures with a gap",
    "tests_in_run": "Tests in this run (adjusted together)",
    # awareness gap
    "aware_percent": "Know the procedure",
    "practice_seen_percent": "See it used",
    "aware_not_seen": "Know it but do not see it used (people)",
    "seen_not_aware": "See it used but do not know it (people)",
    "p_adjusted": "Adjusted p-value",
    # split culture
    "mean": "Mean score",
    "sd": "Standard deviation",
    "rwg_j": "Agreement within the group, rwg(j)",
    "rwg_j_n": "People behind rwg(j) (n)",
    "percent_negative": "Percent negative",
    # speak-up paradox
    "psych_safety_percent_positive": "Psychological safety, percent positive",
    "reporting_percent": "Reported a concern or incident",
    "rest_reporting_percent": "Reported, rest of the organisation",
    "difference_points": "Difference from the rest",
    "previous_n": "Respondents in the previous campaign (n)",
    "previous_reporting_percent": "Reported in the previous campaign",
    "drop_points": "Fall since the previous campaign",
    "p_value": "p-value",
    "psych_safety_mean": "Psychological safety, mean score",
    "previous_psych_safety_mean": "Psychological safety, previous mean score",
    # stale or overdue commitment
    "days_overdue": "Review overdue by",
    "status_level": "Claimed status",
    "from_version": "From version",
    "to_version": "To version",
    "from_status_level": "Claimed status before",
    "to_status_level": "Claimed status after",
    "changes": "Changes that commit to less",
    "version": "Version",
    "last_status_level": "Last claimed status",
    # participation bias
    "responses": "Responses",
    "headcount": "Headcount",
    "response_rate_percent": "Response rate",
    "rest_response_rate_percent": "Response rate of everyone else",
    "rest_responses": "Responses of everyone else",
    "rest_headcount": "Headcount of everyone else",
    "groups_left_out": "Groups left out of everyone else (hidden, or more responses than people)",
    "extra_responses": "Responses beyond the headcount",
    "min_group_size": "Minimum group size",
    "leader_responses": "Leaders' responses",
    "leader_headcount": "Leaders' headcount",
    "leader_rate_percent": "Leaders' response rate",
    "staff_responses": "Front-line responses",
    "staff_headcount": "Front-line headcount",
    "staff_rate_percent": "Front-line response rate",
    "ratio": "Leaders' rate ÷ front-line rate",
    # response-pattern integrity
    "respondents": "Respondents",
    "flagged": "Respondents flagged",
    "flagged_percent": "Share flagged",
    "pairs_checked": "Oppositely worded pairs checked",
    "items_required": "Answered questions required",
}

#: Where a key means something more specific in one kind of signal.
KIND_LABELS: dict[tuple[str, str], str] = {
    ("policy_practice_gap", "gap_points"): "Below the threshold by",
    ("awareness_gap", "n"): "Respondents (n)",
    ("awareness_gap", "gap_points"): "Gap (know it minus see it used)",
    ("split_culture", "n"): "Respondents (n)",
    ("speak_up_paradox", "n"): "Respondents (n)",
    ("stale_commitment", "version"): "Removed in version",
}

#: Per-measure keys of the perception gap (``<id>.leaders_mean``): "<title> — leaders' mean".
MEASURE_LABELS: dict[str, str] = {
    "leaders_mean": "Leaders' mean",
    "frontline_mean": "Front-line mean",
    "difference": "Difference in means",
    "hedges_g": "Hedges' g (effect size)",
    "percent_points": "Difference in percent positive",
    "p_value": "p-value",
    "p_adjusted": "Adjusted p-value",
}
_PROPER = ("Hedges'",)  # stays capitalised after "<title> — "

#: Whole-number evidence (counts and version numbers).
_COUNTS = {
    "n",
    "responses",
    "headcount",
    "respondents",
    "flagged",
    "changes",
    "pairs_checked",
    "items_required",
    "min_group_size",
    "groups_left_out",
    "measures_compared",
    "measures_with_gap",
    "tests_in_run",
    "rwg_j_n",
    "aware_not_seen",
    "seen_not_aware",
}
_TWO_DECIMALS = {"hedges_g", "cohens_d", "mean", "sd", "difference", "rwg_j"}
MINUS = "−"


def measure_titles(instrument: Any) -> dict[str, str]:
    """Titles of an instrument's dimensions (pillars) and practice areas by id, for the
    per-measure evidence of the perception gap."""
    titles = {d.id: d.title for d in getattr(instrument, "dimensions", ()) or ()}
    for area in getattr(instrument, "practice_areas", ()) or ():
        titles.setdefault(area.id, area.title)
    return titles


def tidy(key: str) -> str:
    """``independent_audit`` → ``Independent audit`` (for ids and keys without a label)."""
    words = " ".join(re.sub(r"[_.\-]+", " ", str(key)).split())
    return words[:1].upper() + words[1:] if words else str(key)


def evidence_label(
    key: str,
    *,
    kind: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """The label of one evidence key, in words.

    ``<id>.<name>`` keys are labelled "<title> — <name in words>", the title taken from
    ``titles`` (see :func:`measure_titles`), else a tidied id.
    """
    prefix, dot, name = str(key).rpartition(".")
    if not dot:
        return _label(name, kind)
    title = (titles or {}).get(prefix) or tidy(prefix)
    part = _label(name, kind)
    if not part.startswith(_PROPER) and not part[1:2].isupper():  # keep "Hedges'", "rwg"
        part = part[:1].lower() + part[1:]
    return f"{title} — {part}"


def _label(name: str, kind: str | None) -> str:
    return (
        MEASURE_LABELS.get(name)
        or KIND_LABELS.get((kind or "", name))
        or LABELS.get(name)
        or tidy(name)
    )


def evidence_text(key: str, value: Any) -> str:
    """One evidence value formatted by what it is (percent, points, p-value, count, …)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–" if value is None else str(value)
    if not math.isfinite(value):
        return "–"
    name = str(key).rpartition(".")[2].lower()
    if name.endswith("status_level"):
        level = round(value)
        if level == value and 0 <= level < len(STATUSES):
            return STATUSES[level]
        return _number(value)
    if name in ("p", "p_value") or name.startswith("p_"):
        return format_p(value)
    if name.startswith("days") or name.endswith("_days"):
        return _unit(value, "day", "days")
    if name == "ratio" or name.endswith("_ratio"):
        return f"{_signed(f'{value:.1f}')}×"
    if name.endswith("points"):
        return _unit(value, "point", "points")
    if "percent" in name:
        return f"{_short(value)}%"
    if name in _TWO_DECIMALS or name.endswith(("_mean", "_sd", "_g")):
        return _signed(f"{value:.2f}")
    if name in _COUNTS or name.endswith(("_n", "_responses", "_headcount", "version")):
        return _signed(f"{round(value):,}")
    return _number(value)


@dataclass(frozen=True)
class EvidenceEntry:
    """One evidence figure in words.

    ``label`` is complete ("Independent audit — leaders' mean"); a per-measure figure
    also has its measure's ``heading`` ("Independent audit") and ``short_label``
    ("Leaders' mean"); figures of the signal as a whole have ``heading`` "" and
    ``short_label`` equal to ``label``.
    """

    key: str
    value: Any
    label: str
    text: str
    heading: str = ""
    short_label: str = ""


def evidence_entries(signal: Any, titles: Mapping[str, str] | None = None) -> list[EvidenceEntry]:
    """Every evidence figure of ``signal`` in words, in evidence order.

    ``signal`` is a :class:`~culturescope.signals.Finding` or anything with ``evidence``
    (and ``kind``, ``scope``). ``titles`` maps measure ids to titles (see
    :func:`measure_titles`); for a perception gap without them, the titles in the
    signal's scope are used (they follow the evidence order), else a tidied id.
    """
    evidence = getattr(signal, "evidence", None)
    if not isinstance(evidence, Mapping):
        return []
    kind = getattr(signal, "kind", None)
    names = dict(titles or {})
    if kind == "perception_gap":
        ids = list(dict.fromkeys(str(k).rpartition(".")[0] for k in evidence if "." in str(k)))
        scope = getattr(signal, "scope", ())
        scope = list(scope)[2:] if isinstance(scope, (list, tuple)) else []
        if len(scope) == len(ids):
            for mid, title in zip(ids, scope, strict=True):
                names.setdefault(mid, str(title))
    out = []
    for key, value in evidence.items():
        key = str(key)
        prefix, dot, name = key.rpartition(".")
        label = evidence_label(key, kind=kind, titles=names)
        heading = (names.get(prefix) or tidy(prefix)) if dot else ""
        short = _label(name, kind) if dot else label
        out.append(EvidenceEntry(key, value, label, evidence_text(key, value), heading, short))
    return out


def evidence_lines(signal: Any, titles: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value text) for every evidence figure of ``signal``, in evidence order
    (see :func:`evidence_entries`)."""
    return [(e.label, e.text) for e in evidence_entries(signal, titles)]


def evidence_sections(
    signal: Any, titles: Mapping[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures of :func:`evidence_lines`, grouped: first ``("", lines)`` for the
    signal as a whole (when it has such figures), then ``(measure title, lines)`` per
    measure of a perception gap, labelled without the title ("Leaders' mean")."""
    sections: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for e in evidence_entries(signal, titles):
        group = (e.heading, e.key.rpartition(".")[0])
        sections.setdefault(group, []).append((e.short_label, e.text))
    ordered = sorted(sections.items(), key=lambda kv: kv[0][0] != "")  # stable
    return [(heading, lines) for (heading, _prefix), lines in ordered]


def format_p(p: float) -> str:
    """A p-value as a reader expects it: "< 0.001", "0.012", never "0.00"."""
    if not math.isfinite(p):
        return "–"
    if p < 0.001:
        return "< 0.001"
    out = f"{p:.3f}"
    if p < 0.05 <= float(out):  # 0.0496 is not "0.050": keep it below the usual alpha
        out = f"{p:.4f}"
    return out


def _short(x: float) -> str:
    """Whole numbers from 10 on, one decimal below (2.5, not 3; 16, not 15.5)."""
    if abs(x) >= 9.95:
        return _signed(f"{x:,.0f}")
    r = round(x, 1)
    return _signed(f"{r:.0f}" if r == int(r) else f"{r:.1f}")


def _unit(x: float, one: str, many: str) -> str:
    text = _short(x)
    return f"{text} {one if text in ('1', MINUS + '1') else many}"


def _number(x: float) -> str:
    """A sensible format for a number of unknown meaning."""
    if float(x).is_integer():
        return _signed(f"{int(x):,}")
    if abs(x) >= 100:
        return _signed(f"{x:,.1f}")
    if abs(x) >= 0.01:
        return _signed(f"{x:.2f}")
    return _signed(f"{x:.2g}")


def _signed(text: str) -> str:
    """A typographic minus; no "-0"."""
    if text.startswith("-"):
        body = text[1:]
        return body if not body.strip("0.,") else MINUS + body
    return text
