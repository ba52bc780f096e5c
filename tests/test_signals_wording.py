"""A signal's evidence in words (culturescope.signals.wording): labels for every documented
key, values formatted by kind, p-values never shown as 0.00, unknown keys tidied."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from culturescope.policies import STATUSES
from culturescope.signals import Finding
from culturescope.signals.wording import (
    LABELS,
    MEASURE_LABELS,
    evidence_entries,
    evidence_label,
    evidence_lines,
    evidence_sections,
    evidence_text,
    format_p,
    measure_titles,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "signals.md"


def documented_keys() -> set[str]:
    """The evidence keys named in the 'Evidence:' paragraphs of docs/signals.md."""
    keys = set()
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("Evidence:"):
            body = re.split(r"\. (?:Ids?:|One signal)", line)[0]  # not the ids
            names = re.findall(r"`([^`]+)`", body)
            keys |= {k.rpartition(".")[2] for k in names if re.fullmatch(r"[a-z0-9_<>.]+", k)}
    return keys


def test_every_documented_key_has_a_label():
    keys = documented_keys()
    assert {"claimed_status_level", "hedges_g", "p_adjusted", "last_status_level"} <= keys
    missing = sorted(k for k in keys if k not in LABELS and k not in MEASURE_LABELS)
    assert missing == []
    for key in keys:
        label = evidence_label(key)
        assert "_" not in label and (label[0].isupper() or label == "p-value"), label


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("p_adjusted", "Adjusted p-value"),
        ("percent_positive", "Percent positive"),
        ("n", "Answers (n)"),
        ("claimed_status_level", "Claimed status"),
        ("leaders_n", "Leaders (n)"),
        ("independent_audit.hedges_g", "Independent audit — Hedges' g (effect size)"),
        ("independent_audit.leaders_mean", "Independent audit — leaders' mean"),
        ("independent_audit.frontline_mean", "Independent audit — front-line mean"),
        ("independent_audit.p_adjusted", "Independent audit — adjusted p-value"),
    ],
)
def test_labels(key, label):
    assert evidence_label(key) == label


def test_kind_specific_labels():
    assert evidence_label("n", kind="awareness_gap") == "Respondents (n)"
    assert evidence_label("gap_points", kind="policy_practice_gap") == "Below the threshold by"
    assert evidence_label("version", kind="stale_commitment") == "Removed in version"


def test_measure_labels_use_the_instrument_titles():
    inst = SimpleNamespace(
        dimensions=(SimpleNamespace(id="leadership", title="Leadership accountability"),),
        practice_areas=(SimpleNamespace(id="independent_audit", title="Independent audit"),),
    )
    titles = measure_titles(inst)
    assert titles == {
        "leadership": "Leadership accountability",
        "independent_audit": "Independent audit",
    }
    assert evidence_label("leadership.leaders_mean", titles=titles) == (
        "Leadership accountability — leaders' mean"
    )
    # Without a title: a tidied id.
    assert evidence_label("stop_work.difference") == "Stop work — difference in means"


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        # percentages: whole numbers, one decimal below 10
        ("percent_positive", 15.54, "16%"),
        ("threshold_percent", 50.0, "50%"),
        ("flagged_percent", 2.5, "2.5%"),
        ("flagged_percent", 0.04, "0%"),
        ("response_rate_percent", 100, "100%"),
        # percentage points
        ("gap_points", 34.46, "34 points"),
        ("x.percent_points", 29.8, "30 points"),
        ("difference_points", -60.2, "−60 points"),
        ("drop_points", 1.0, "1 point"),
        # effect sizes and means: two decimals
        ("x.hedges_g", 0.9079, "0.91"),
        ("x.leaders_mean", 3.1, "3.10"),
        ("x.difference", 0.886, "0.89"),
        ("mean", 3.7333, "3.73"),
        ("sd", 0.6, "0.60"),
        ("rwg_j", 0.0, "0.00"),
        ("psych_safety_mean", 4.0, "4.00"),
        # counts: integers with thousands separators
        ("n", 341, "341"),
        ("n", 12345.0, "12,345"),
        ("leaders_n", 44, "44"),
        ("headcount", 1200, "1,200"),
        ("policy_version", 2, "2"),
        ("aware_not_seen", 231, "231"),
        # claimed status levels as names
        ("claimed_status_level", 0, "drafted"),
        ("status_level", 1, "approved"),
        ("to_status_level", 2, "implemented"),
        ("claimed_status_level", 3, "audited"),
        ("last_status_level", 3.0, "audited"),
        ("claimed_status_level", 7, "7"),  # not a level: the number
        # days and ratios
        ("days_overdue", 608, "608 days"),
        ("days_overdue", 1, "1 day"),
        ("ratio", 1.52, "1.5×"),
    ],
)
def test_values_by_kind(key, value, text):
    assert evidence_text(key, value) == text


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (3.1e-06, "< 0.001"),
        (0.0, "< 0.001"),
        (0.000999, "< 0.001"),
        (0.001, "0.001"),
        (0.0012, "0.001"),
        (0.01234, "0.012"),
        (0.0496, "0.0496"),  # not "0.050": it is below the usual alpha
        (0.05, "0.050"),
        (0.5, "0.500"),
        (1.0, "1.000"),
    ],
)
def test_p_values(p, text):
    assert format_p(p) == text
    assert evidence_text("p_adjusted", p) == text
    assert evidence_text("x.p_adjusted", p) == text
    assert evidence_text("p_value", p) == text


def test_p_values_are_never_zero():
    for p in (1e-300, 1e-12, 4e-4, 0.00049, 0.0009999):
        assert evidence_text("p_adjusted", p) == "< 0.001"
        assert not re.fullmatch(r"0\.0+", evidence_text("p_value", p))


@pytest.mark.parametrize(
    ("key", "value", "label", "text"),
    [
        ("odd_new_key", 3, "Odd new key", "3"),
        ("odd_new_key", 1234567.0, "Odd new key", "1,234,567"),
        ("odd_new_key", 3.14159, "Odd new key", "3.14"),
        ("odd_new_key", 456.789, "Odd new key", "456.8"),
        ("odd_new_key", 0.00012, "Odd new key", "0.00012"),
        ("odd_new_key", -2.5, "Odd new key", "−2.50"),
        ("odd_new_key", math.nan, "Odd new key", "–"),
        ("odd_new_key", math.inf, "Odd new key", "–"),
        ("odd_new_key", None, "Odd new key", "–"),
        ("odd_new_key", "text", "Odd new key", "text"),
        ("some-area.new_figure", 0.5, "Some area — new figure", "0.50"),
        ("some_area.percent_positive", 45.0, "Some area — percent positive", "45%"),
        ("a.b.mean", 4.0, "A b — mean score", "4.00"),
        ("", 1, "", "1"),
    ],
)
def test_unknown_keys_never_crash(key, value, label, text):
    assert evidence_label(key) == label
    assert evidence_text(key, value) == text


def signal(kind, evidence, scope=("x",)):
    return Finding(
        id=f"{kind}:x",
        kind=kind,
        severity="warning",
        title="t",
        scope=scope,
        evidence=evidence,
        explanation="e",
        question="q",
        method="m",
    )


def test_lines_in_evidence_order():
    s = signal(
        "policy_practice_gap",
        {"claimed_status_level": 3, "percent_positive": 15.5, "n": 341, "gap_points": 34.5},
    )
    assert evidence_lines(s) == [
        ("Claimed status", "audited"),
        ("Percent positive", "16%"),
        ("Answers (n)", "341"),
        ("Below the threshold by", "34 points"),
    ]
    # Anything with evidence will do (the reports take duck-typed signals).
    assert evidence_lines(SimpleNamespace(evidence={"n": 5})) == [("Answers (n)", "5")]
    assert evidence_lines(SimpleNamespace()) == []
    assert evidence_lines(SimpleNamespace(evidence=None, kind="x")) == []


def test_perception_gap_titles_and_sections():
    ev = {
        "leaders_n": 44,
        "frontline_n": 230,
        "independent_audit.leaders_mean": 3.14,
        "independent_audit.hedges_g": 0.908,
        "independent_audit.p_adjusted": 3.1e-06,
        "stop_work.leaders_mean": 4.31,
        "stop_work.p_adjusted": 0.012,
    }
    s = signal(
        "perception_gap",
        ev,
        scope=("Senior leaders", "front-line staff", "Independent audit", "Stop-work authority"),
    )
    # Titles from the scope when none are given (they follow the evidence order) ...
    lines = dict(evidence_lines(s))
    assert lines["Independent audit — Hedges' g (effect size)"] == "0.91"
    assert lines["Stop-work authority — adjusted p-value"] == "0.012"
    # ... and the instrument's titles win.
    lines = dict(evidence_lines(s, {"stop_work": "Stop-work and escalation authority"}))
    assert "Stop-work and escalation authority — leaders' mean" in lines
    assert evidence_sections(s) == [
        ("", [("Leaders (n)", "44"), ("Front-line staff (n)", "230")]),
        (
            "Independent audit",
            [
                ("Leaders' mean", "3.14"),
                ("Hedges' g (effect size)", "0.91"),
                ("Adjusted p-value", "< 0.001"),
            ],
        ),
        ("Stop-work authority", [("Leaders' mean", "4.31"), ("Adjusted p-value", "0.012")]),
    ]
    entries = evidence_entries(s)
    assert [e.key for e in entries] == list(ev)
    assert entries[2].heading == "Independent audit"
    assert entries[2].short_label == "Leaders' mean"
    assert entries[0].heading == "" and entries[0].short_label == "Leaders (n)"


def test_scope_that_does_not_match_falls_back_to_tidied_ids():
    s = signal("perception_gap", {"stop_work.leaders_mean": 4.0}, scope=("a", "b"))
    assert evidence_lines(s) == [("Stop work — leaders' mean", "4.00")]


def test_status_names_follow_the_register():
    assert STATUSES == ("drafted", "approved", "implemented", "audited")
    for level, name in enumerate(STATUSES):
        assert evidence_text("claimed_status_level", level) == name


def test_json_keeps_raw_keys_and_numbers():
    s = signal("awareness_gap", {"n": 333, "p_adjusted": 3.1e-06, "aware_percent": 85.2})
    assert s.to_json()["evidence"] == {"n": 333, "p_adjusted": 3.1e-06, "aware_percent": 85.2}


def test_method_texts_name_thresholds_in_words():
    from dataclasses import fields

    from culturescope.signals import METHODS, THRESHOLD_TITLES, SignalSettings, readable_method

    assert set(THRESHOLD_TITLES) == {f.name for f in fields(SignalSettings)}
    for kind, method in METHODS.items():
        shown = readable_method(method)
        for name in THRESHOLD_TITLES:
            assert name not in shown, (kind, name)
    assert "“Practice low (% positive)”" in readable_method(METHODS["policy_practice_gap"])
