"""Trends (docs/design/scoring.md): change since the previous campaign, tested, on matching items
only; Welch's t-test checked against scipy on the same person scores."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from conftest import copy_db
from culturescope.cli import main
from culturescope.instruments import parse_instrument
from culturescope.scoring.trend import matching_items, trend
from test_scoring_kinds import KINDS, make_data


@pytest.fixture(scope="module")
def kinds():
    return parse_instrument(KINDS, source="kinds.yaml")


def answers(instrument, n, *, trust_shift=0.0, report_rate=0.6, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        trait = rng.normal(0, 1)
        row = []
        for item in instrument.items:
            if item.scale == "frequency4":
                row.append(float(rng.choice([2, 3]) if rng.random() < report_rate else 1))
                continue
            points = instrument.scale_of(item).points
            centre = (points + 1) / 2 + 0.3 + (trust_shift if item.dimension == "trust" else 0)
            value = np.clip(np.rint(centre + 0.8 * trait + rng.normal(0, 0.6)), 1, points)
            row.append(float(points + 1 - value if item.reverse else value))
        rows.append(row)
    return rows


def test_a_real_change_is_significant_and_noise_is_not(kinds):
    now = make_data(kinds, answers(kinds, 150, trust_shift=0.6, seed=1))
    before = make_data(kinds, answers(kinds, 140, seed=2))
    t = trend(now, before, min_group_size=5, campaign="now", previous_name="before")
    trust, aware = t.dimension("trust"), t.dimension("aware")
    assert trust.significant and trust.direction == "up" and trust.difference > 0.3
    assert not aware.significant and aware.direction == "same"

    # Welch's t-test on the same person scores (mean of answered scored items)
    def person(data):
        cols = [i.id for i in kinds.items_of("trust")]
        block = data.answers[cols].to_numpy(dtype=float).copy()
        block[:, 1] = 6 - block[:, 1]  # T2 is reverse-keyed
        return block.mean(axis=1)

    ref = stats.ttest_ind(person(now), person(before), equal_var=False)
    assert trust.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert trust.current == pytest.approx(person(now).mean())
    lo, hi = trust.ci95
    assert lo < trust.difference < hi
    # Holm: the smallest p is multiplied by the number of dimensions compared
    compared = [d for d in t.dimensions if d.p_value is not None]
    smallest = min(compared, key=lambda d: d.p_value)
    assert smallest.p_adjusted == pytest.approx(min(1.0, smallest.p_value * len(compared)))


def test_behaviour_compares_the_share_who_reported(kinds):
    now = make_data(kinds, answers(kinds, 200, report_rate=0.3, seed=3))
    before = make_data(kinds, answers(kinds, 200, report_rate=0.7, seed=4))
    rep = trend(now, before, min_group_size=5).dimension("reporting")
    assert rep.measure == "share"
    # two items: reported on at least one = 1 - (1 - rate)^2
    assert rep.current == pytest.approx(51, abs=8) and rep.previous == pytest.approx(91, abs=6)
    assert rep.significant and rep.direction == "down"
    # two-proportion z-test with the pooled proportion
    x1, x2 = rep.current * 200 / 100, rep.previous * 200 / 100
    pooled = (x1 + x2) / 400
    z = (x1 / 200 - x2 / 200) / np.sqrt(pooled * (1 - pooled) * (2 / 200))
    assert rep.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_only_items_asked_the_same_way_are_compared(kinds):
    changed = parse_instrument(
        KINDS.replace('text: "Three"', 'text: "Three, reworded"').replace(
            '{id: A2, dimension: aware, kind: awareness, text: "I know B"}',
            '{id: A9, dimension: aware, kind: awareness, text: "I know B"}',
        ),
        source="kinds2.yaml",
    )
    assert matching_items(changed, kinds) == {
        "T3": "worded differently in the previous campaign",
        "A9": "not asked in the previous campaign",
    }
    base = answers(kinds, 60, seed=5)
    now_rows = [list(r) for r in base]
    for r in now_rows:
        r[2] = 1.0  # the reworded item collapses: it must not move the trend
    now = make_data(changed, now_rows)
    before = make_data(kinds, base)
    t = trend(now, before, min_group_size=5)
    trust = t.dimension("trust")
    assert trust.items == ("T1", "T2") and trust.left_out == ("T3",)
    assert trust.difference == pytest.approx(0.0)
    assert t.dimension("aware").items == ("A1",)
    assert "2 item(s) are left out" in t.notes[0]


def test_too_few_on_either_side_shows_no_numbers(kinds):
    now = make_data(kinds, answers(kinds, 50, seed=6))
    before = make_data(kinds, answers(kinds, 4, seed=7))
    for d in trend(now, before, min_group_size=5).dimensions:
        assert d.difference is None and d.current is None and d.previous is None
        assert d.p_value is None and d.significant is None
        assert "fewer than 5" in d.note


def test_score_cli_reports_the_trend(tmp_path, capsys, demo_db_template):
    db = copy_db(demo_db_template(120), tmp_path / "d.db")  # a trend at any demo size
    assert main(["--db", str(db), "-q", "score", "--campaign", "Demo 2026 Q4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["trend"]["previous_campaign"] == "Demo 2025 Q4"
    ids = [d["id"] for d in data["trend"]["dimensions"]]
    assert ids[:3] == ["leadership_accountability", "safety_integration", "psychological_safety"]
    assert main(["--db", str(db), "-q", "score", "--campaign", "Demo 2025 Q4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["trend"] is None
    assert main(["--db", str(db), "score", "--campaign", "Demo 2026 Q4"]) == 0
    assert "Since Demo 2025 Q4 (matching items only" in capsys.readouterr().out


def test_share_ci_uses_the_exact_normal_quantile(kinds):
    now = make_data(kinds, answers(kinds, 200, report_rate=0.3, seed=3))
    before = make_data(kinds, answers(kinds, 200, report_rate=0.7, seed=4))
    rep = trend(now, before, min_group_size=5).dimension("reporting")
    a, b = rep.current / 100, rep.previous / 100
    se = np.sqrt(a * (1 - a) / rep.current_n + b * (1 - b) / rep.previous_n)
    half = 100 * stats.norm.ppf(0.975) * se
    assert rep.ci95 == pytest.approx((rep.difference - half, rep.difference + half), abs=1e-12)
