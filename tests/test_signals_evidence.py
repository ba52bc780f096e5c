"""No signal is a warning or critical without its test's support, and all tests of one
detection run are adjusted together (Benjamini–Hochberg); docs/signals.md "Not firing on
noise"."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy import stats

from culturescope.signals import (
    SignalSettings,
    analyse,
    perception_gap,
    policy_practice_gap,
    speak_up_paradox,
    split_culture,
)
from culturescope.signals.multiplicity import TestRun
from culturescope.signals.statistics import (
    benjamini_hochberg,
    low_agreement_test,
    proportion_score_test,
    wilson_interval,
)
from signal_factory import organisation, scores
from test_signals import make_policy
from test_signals_detect import genuine_store  # noqa: F401  (fixture)

S = SignalSettings()


def _policy(area: str):
    return make_policy(
        "External audit", {"status": "audited", "evidence": "A-1", "practice_areas": (area,)}
    )


# ---- the statistics --------------------------------------------------------------------
def test_benjamini_hochberg_matches_the_step_up_rule():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # NaN is not a test: it stays NaN and does not count in m.
    out = benjamini_hochberg([0.01, float("nan"), 0.04])
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)
    # Against the definition, on random p-values: min over j >= i of p_(j) * m / j.
    rng = np.random.default_rng(3)
    p = rng.uniform(size=40) ** 3
    order = np.argsort(p)
    m = len(p)
    expected = np.empty(m)
    for rank, idx in enumerate(order):
        expected[idx] = min(1.0, *(p[order[j]] * m / (j + 1) for j in range(rank, m)))
    assert benjamini_hochberg(p) == pytest.approx(expected.tolist())


def test_score_test_is_the_test_the_wilson_interval_inverts():
    for n, x in [(5, 1), (20, 6), (60, 21), (200, 88)]:
        low, high = wilson_interval(x, n)
        for threshold in (0.3, 0.4, 0.5, 0.6):
            inside = low <= threshold <= high
            assert (proportion_score_test(x / n, n, threshold) >= 0.05) == inside


def test_low_agreement_test_is_a_chi_square_test_of_the_variance():
    # rwg(j) 0 on 4 items: variance ratio 1; at rwg(j) .5 it is 4 * .5 / (4 * .5 + .5) = .8.
    p = low_agreement_test(0.0, n_items=4, n=30, below=0.5)
    assert p == pytest.approx(stats.chi2.sf(29 * 1 / 0.8, 29))
    # More people, same rwg(j): more evidence.
    assert low_agreement_test(0.1, n_items=4, n=200, below=0.5) < p
    assert math.isnan(low_agreement_test(0.1, n_items=4, n=1, below=0.5))


# ---- each signal kind: size without test support is only 'info' ----------------------
def test_policy_gap_with_five_answers_is_not_enough_evidence():
    """1 positive answer of 5 (20%): the Wilson interval reaches 62%, above the 50% line."""
    frame = organisation(teams=(("Red", 5),), seed=2)
    result = scores(frame)
    area = "independent_audit"
    ids = {
        i.id for i in result.instrument.items if i.kind == "practice" and area in i.practice_areas
    }
    items = tuple(
        dataclasses.replace(i, n=5, percent_positive=20.0) if i.id in ids else i
        for i in result.items
    )
    result = dataclasses.replace(result, items=items)
    (sig,) = policy_practice_gap([_policy(area)], result, settings=S)
    assert sig.severity == "info"
    assert "not enough evidence yet" in sig.title and "n = 5" in sig.title
    assert sig.evidence["n"] == 5 and sig.evidence["percent_positive"] == 20
    assert sig.evidence["upper_95_percent"] == pytest.approx(62.4, abs=0.1)
    assert sig.evidence["p_adjusted"] >= 0.05
    assert "4%–62%" in sig.explanation
    # The same 20% from 60 answers is beyond chance: critical (30 points below).
    items = tuple(dataclasses.replace(i, n=60) if i.id in ids else i for i in items)
    (sig,) = policy_practice_gap(
        [_policy(area)], dataclasses.replace(result, items=items), settings=S
    )
    assert sig.severity == "critical" and sig.evidence["p_adjusted"] < 0.05


def test_perception_gap_small_groups_are_info():
    # Leaders higher by g >= 0.5 on several measures, but only 6 leaders and 6 front-line.
    frame = organisation(teams=(("Red", 12),), roles=(0.5, 0.0, 0.5), leader_lift=0.8, seed=6)
    out = perception_gap(frame, settings=S, visible_roles=None)
    assert [s.severity for s in out] == ["info", "info"]
    for sig in out:
        adjusted = [v for k, v in sig.evidence.items() if k.endswith(".p_adjusted")]
        assert adjusted and all(p >= S.alpha for p in adjusted)
        assert all(v >= 0.5 for k, v in sig.evidence.items() if k.endswith(".hedges_g"))
        assert "not enough evidence yet" in sig.title


def test_split_culture_small_team_is_info():
    frame = organisation(teams=(("Red", 30), ("Blue", 6)), split_team="Blue", seed=8)
    result = scores(frame, "team")
    out = [s for s in split_culture(result, settings=S) if s.scope[0] == "team: Blue"]
    assert out and all(s.severity == "info" for s in out)
    assert all(s.evidence["p_adjusted"] >= S.alpha for s in out)


def test_speak_up_organisation_needs_its_test():
    quiet = organisation(teams=(("Red", 6),), report_rate=0.1, level=1.3, seed=10)
    out = speak_up_paradox(quiet, settings=S, groups=None)
    for sig in out:
        assert (sig.severity == "warning") == (sig.evidence["p_adjusted"] < S.alpha)


# ---- one family per run ------------------------------------------------------------------
def test_run_adjusts_all_tests_together(genuine_store):  # noqa: F811
    analysis = analyse(genuine_store, "2026")
    keys = [k for k, _, _ in analysis.tests]
    kinds = {k.split(":")[0] for k in keys}
    assert len(kinds) >= 3, kinds  # one family spans the signal kinds
    assert len(keys) == len(set(keys))
    raw = [p for _, p, _ in analysis.tests]
    assert [a for *_, a in analysis.tests] == pytest.approx(benjamini_hochberg(raw), nan_ok=True)
    assert any("Benjamini–Hochberg" in n for n in analysis.notes)
    # Every signal's adjusted p-value is the run's, and nothing is a warning without it.
    adjusted = {round(a, 12) for *_, a in analysis.tests if not math.isnan(a)}
    for sig in analysis.signals:
        ps = [v for k, v in sig.evidence.items() if k == "p_adjusted" or k.endswith(".p_adjusted")]
        for p in ps:
            assert round(p, 12) in adjusted
        if ps and sig.severity != "info":
            assert min(ps) < analysis.settings.alpha


def test_a_test_cannot_be_registered_twice():
    run = TestRun()
    run.add("perception_gap", "roles:pillar:x", 0.01)
    with pytest.raises(ValueError, match="twice"):
        run.add("perception_gap", "roles:pillar:x", 0.02)
    run.close()
    with pytest.raises(RuntimeError):
        run.add("awareness_gap", "y", 0.5)


def test_a_practice_area_with_a_pillars_items_is_not_tested_twice():
    frame = organisation(seed=4)
    inst = frame.instrument
    pillar = inst.pillars[0]
    pillar_ids = [i.id for i in inst.items_of(pillar.id)]
    area = inst.practice_areas[0]
    # Make the first practice area's practice items exactly the pillar's items.
    items = tuple(
        dataclasses.replace(
            i,
            kind="practice" if i.id in pillar_ids else i.kind,
            practice_areas=(
                (area.id,)
                if i.id in pillar_ids
                else tuple(a for a in i.practice_areas if a != area.id)
            ),
        )
        for i in inst.items
    )
    twin = dataclasses.replace(frame, instrument=dataclasses.replace(inst, items=items))
    measures = twin.measures()
    assert pillar.id in measures and f"area:{area.id}" not in measures


# ---- edge cases of the tests -------------------------------------------------------------
def test_welch_with_two_constant_samples():
    from culturescope.signals.statistics import welch

    res = welch([3, 3, 3, 3, 3], [4, 4, 4, 4, 4])
    assert res.difference == -1 and res.t == -math.inf  # the sign of the difference
    assert res.p_value == pytest.approx(2 / math.comb(10, 5))  # exact permutation p
    same = welch([3, 3, 3], [3, 3, 3, 3])
    assert same.t == 0 and same.p_value == 1.0


def test_two_proportion_test_undefined_is_nan_with_a_reason():
    from culturescope.signals.statistics import two_proportion_test, two_proportion_z

    none = two_proportion_test(0, 20, 0, 30)
    assert math.isnan(none.p_value) and none.reason == "both proportions are 0%"
    all_ = two_proportion_test(20, 20, 30, 30)
    assert math.isnan(all_.p_value) and "100%" in all_.reason
    assert math.isnan(two_proportion_z(0, 0, 3, 10))
    # Defined case: as the textbook pooled z.
    pooled = 25 / 60
    z = (10 / 30 - 15 / 30) / math.sqrt(pooled * (1 - pooled) * (2 / 30))
    assert two_proportion_z(10, 30, 15, 30) == pytest.approx(2 * stats.norm.sf(abs(z)))
