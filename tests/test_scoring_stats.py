"""The scoring statistics against independent references (see tests/reference/README.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from culturescope.scoring import (
    cronbach_alpha,
    icc1,
    icc2,
    item_total_correlations,
    mcdonald_omega,
    mean_ci95,
    null_variance,
    rwg,
    rwg_j,
)

REF = Path(__file__).parent / "reference"
VALUES = json.loads((REF / "reference_values.json").read_text())


@pytest.fixture(scope="module")
def teams() -> pd.DataFrame:
    return pd.read_csv(REF / "agreement_teams.csv")


# --- Cronbach's alpha -------------------------------------------------------------------


def test_alpha_listwise_matches_psych():
    # R psych::alpha(data, use = "complete.obs") = 0.8016949 (pingouin docs, same data).
    data = pd.read_csv(REF / "pingouin_cronbach_wide_missing.csv")
    assert cronbach_alpha(data) == pytest.approx(0.8016949152542373, abs=1e-12)
    assert VALUES["alpha_wide_missing_listwise"] == pytest.approx(0.8016949152542373)


def test_alpha_long_dataset_matches_pingouin():
    # pingouin.cronbach_alpha on its "cronbach_alpha" data set: 0.5917188 (R psych::alpha).
    long = pd.read_csv(REF / "pingouin_cronbach_alpha_long.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    assert cronbach_alpha(wide) == pytest.approx(VALUES["alpha_long"], abs=1e-12)
    assert cronbach_alpha(wide) == pytest.approx(0.5917188485995826, abs=1e-12)


def test_alpha_and_item_total_match_multilevel(teams):
    # multilevel::cronbach and multilevel::item.total, transliterated in make_reference_values.py
    items = teams[["I1", "I2", "I3", "I4"]]
    assert cronbach_alpha(items) == pytest.approx(VALUES["teams_alpha"], abs=1e-12)
    table = item_total_correlations(items)
    assert list(table.index) == ["I1", "I2", "I3", "I4"]
    expected = np.array(VALUES["teams_item_total"])
    np.testing.assert_allclose(table["item_total_r"], expected[:, 0], atol=1e-12)
    np.testing.assert_allclose(table["alpha_if_deleted"], expected[:, 1], atol=1e-12)


def test_alpha_hand_example():
    # Hand check: items a = (1,2,3), b = (1,2,3) → var 1 each, total var 4 → alpha = 2·(1 − 2/4) = 1.
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]})) == pytest.approx(1.0)
    # b reversed: total constant → alpha undefined.
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]})))


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(),
        pd.DataFrame({"a": [1.0, 2.0]}),
        pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]}),
        pd.DataFrame({"a": [3.0, 3.0], "b": [3.0, 3.0]}),
    ],
)
def test_alpha_undefined_is_nan(frame):
    assert math.isnan(cronbach_alpha(frame))
    assert item_total_correlations(frame).isna().all().all()
    assert mcdonald_omega(frame) is None


def test_alpha_rejects_non_frames():
    with pytest.raises(ValueError, match="DataFrame"):
        cronbach_alpha([[1, 2], [3, 4]])  # type: ignore[arg-type]


# --- omega ------------------------------------------------------------------------------


def test_omega_matches_statsmodels_ml_factor():
    # statsmodels Factor(method="ml"), one factor, rescaled to covariances (reference script).
    items = pd.read_csv(REF / "omega_items.csv")
    assert mcdonald_omega(items) == pytest.approx(VALUES["omega_items"], abs=1e-6)


def test_omega_three_items_closed_form():
    # With three indicators the one-factor model is just identified: λ1² = r12·r13/r23 etc.
    # (Bollen 1989, ch. 7). Data made with an exactly known covariance matrix.
    lam = np.array([0.9, 0.7, 0.5])
    sigma = np.outer(lam, lam) + np.diag(1 - lam**2)
    data = _with_covariance(sigma, n=200, seed=3)
    r = np.corrcoef(data, rowvar=False)
    l1 = math.sqrt(r[0, 1] * r[0, 2] / r[1, 2])
    l2 = math.sqrt(r[0, 1] * r[1, 2] / r[0, 2])
    l3 = math.sqrt(r[0, 2] * r[1, 2] / r[0, 1])
    s = l1 + l2 + l3
    expected = s**2 / (s**2 + (1 - l1**2) + (1 - l2**2) + (1 - l3**2))
    assert mcdonald_omega(pd.DataFrame(data)) == pytest.approx(expected, abs=1e-5)


def test_omega_where_the_old_fixed_point_iteration_stopped():
    # 3 items, N = 20: the fixed-point iteration used before gave None here. The model is
    # just identified, so the ML solution is the closed form λ1² = r12·r13/r23 etc. (all
    # below 1 here), rescaled to raw scores: a bounded optimiser must find it.
    data = pd.DataFrame(
        {
            "a": [2, 1, 5, 3, 2, 1, 4, 4, 4, 4, 5, 2, 4, 1, 1, 5, 4, 1, 4, 2],
            "b": [2, 3, 2, 4, 4, 1, 4, 3, 3, 2, 4, 1, 5, 4, 5, 4, 4, 4, 3, 4],
            "c": [5, 3, 4, 2, 4, 1, 3, 3, 3, 4, 5, 3, 4, 2, 3, 5, 2, 3, 3, 4],
        }
    )
    r = np.corrcoef(data.to_numpy(float), rowvar=False)
    l2 = np.array(
        [
            r[0, 1] * r[0, 2] / r[1, 2],
            r[0, 1] * r[1, 2] / r[0, 2],
            r[0, 2] * r[1, 2] / r[0, 1],
        ]
    )
    assert (l2 < 1).all()
    sd = data.std(ddof=1).to_numpy()
    lam, theta = np.sqrt(l2) * sd, (1 - l2) * sd**2
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum())
    assert expected == pytest.approx(0.5135, abs=1e-4)
    assert mcdonald_omega(data) == pytest.approx(expected, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
@example(1043)  # a Heywood case: one uniqueness at its bound
@example(1192)  # the optimiser's line search "fails" at the optimum
def test_omega_always_fitted_for_random_congeneric_data(seed):
    rng = np.random.default_rng(seed)
    k, n = int(rng.integers(3, 7)), int(rng.integers(20, 60))
    f = rng.normal(size=n)
    loads = rng.uniform(0.3, 1.0, k)
    data = np.clip(np.round(3 + f[:, None] * loads + rng.normal(size=(n, k))), 1, 5)
    frame = pd.DataFrame(data)
    if (frame.std() == 0).any() or np.linalg.matrix_rank(np.corrcoef(data, rowvar=False)) < k:
        return
    omega = mcdonald_omega(frame)
    assert omega is not None and 0 <= omega <= 1


def test_omega_equals_alpha_for_tau_equivalent_items():
    # Equal loadings, unequal error variances: omega = alpha exactly (McDonald 1999, ch. 6).
    lam = 0.8
    theta = np.array([0.3, 0.5, 0.7, 0.9])
    sigma = np.full((4, 4), lam**2) + np.diag(theta)
    data = pd.DataFrame(_with_covariance(sigma, n=150, seed=5))
    assert mcdonald_omega(data) == pytest.approx(cronbach_alpha(data), abs=1e-5)


def test_omega_none_for_two_items():
    assert mcdonald_omega(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3]})) is None


def _with_covariance(sigma: np.ndarray, *, n: int, seed: int) -> np.ndarray:
    """Data whose sample covariance (n − 1) is exactly ``sigma``."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, sigma.shape[0]))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)
    return z @ np.linalg.cholesky(sigma).T


# --- rwg / rwg(j) -----------------------------------------------------------------------


def test_null_variance_james_demaree_wolf():
    # James, Demaree & Wolf (1984): σ²_EU = (A² − 1)/12 → 2.0 for 5 points, 4.0 for 7.
    assert null_variance(5) == 2.0
    assert null_variance(7) == 4.0
    assert null_variance(4) == pytest.approx(1.25)
    with pytest.raises(ValueError, match="scale_points"):
        null_variance(1)


def test_rwg_matches_multilevel(teams):
    # multilevel::rwg(x, grpid, ranvar = 2), transliterated in make_reference_values.py
    for team, expected in VALUES["teams_rwg_I1"].items():
        got = rwg(teams.loc[teams.team == team, "I1"], scale_points=5)
        assert got == pytest.approx(expected, abs=1e-12), team


def test_rwg_j_listwise_matches_multilevel_2_7(teams):
    # multilevel 2.7 rwg.j(x, grpid, ranvar = 2): listwise deletion and the variance cap
    # (team T6 is capped: expected 0); 2.8 keeps it as listwise = TRUE.
    for team, expected in VALUES["teams_rwg_j"].items():
        items = teams.loc[teams.team == team, ["I1", "I2", "I3", "I4"]]
        got = rwg_j(items, scale_points=5, listwise=True)
        assert got == pytest.approx(expected, abs=1e-12), team


@pytest.fixture(scope="module")
def bhr2000() -> pd.DataFrame:
    return pd.read_csv(REF / "bhr2000_missing.csv")


BHR_ITEMS = ["AF06", "AF07", "AP12", "AP17", "AP33", "AP34", "AS14", "AS15", "AS16", "AS17", "AS28"]
RWG_28 = json.loads((REF / "rwg_j_references.json").read_text())


def _same(got: float, expected: float | None) -> bool:
    return math.isnan(got) if expected is None else got == pytest.approx(expected, abs=1e-12)


def test_rwg_j_matches_multilevel_2_8_pairwise(bhr2000):
    # multilevel 2.8 rwg.j(x, grpid, ranvar = 2) (default listwise = FALSE) and with
    # listwise = TRUE, on bhr2000 companies 1-12 with answers removed (make_rwg_references.py).
    for grp, members in bhr2000.groupby("GRP"):
        items = members[BHR_ITEMS]
        assert _same(rwg_j(items, scale_points=5), RWG_28["pairwise"][str(grp)]), grp
        listwise = rwg_j(items, scale_points=5, listwise=True)
        assert _same(listwise, RWG_28["listwise"][str(grp)]), grp
    # Company 7: 6 members, 2 complete — listwise would claim far more agreement.
    assert RWG_28["listwise"]["7"] - RWG_28["pairwise"]["7"] > 0.09


def test_score_campaign_rwg_j_is_pairwise_with_its_n(bhr2000):
    from types import SimpleNamespace

    from culturescope.scoring.figures import _rwg_j_by_group

    five = SimpleNamespace(points=5)
    inst = SimpleNamespace(items=list(range(len(BHR_ITEMS))), scale_of=lambda _item: five)
    codes = bhr2000[BHR_ITEMS].fillna(0).to_numpy(dtype=np.int32)
    # An N/A answer (the code above the scale) counts as unanswered.
    codes_na = codes.copy()
    codes_na[codes_na == 0] = 6
    groups, labels = pd.factorize(bhr2000["GRP"])
    cols = [list(range(len(BHR_ITEMS)))]
    k, width = len(BHR_ITEMS), 5 + 2  # value codes: 0 blank, 1..5 answers, 6 N/A
    for block in (codes, codes_na):
        # The breakdown as score_campaign hands it over: per group, item and value code
        # the answer counts, and which answers are answers (N/A is not).
        flat = (groups[:, None] * k + np.arange(k)[None, :]) * width + block
        counts = np.bincount(flat.ravel(), minlength=len(labels) * k * width)
        breakdown = SimpleNamespace(
            code=groups.astype(np.int64),
            answer_codes=block,
            answered=(block >= 1) & (block <= 5),
            counts=counts.reshape(len(labels), k, width),
        )
        for listwise in (False, True):
            values, n = _rwg_j_by_group(inst, breakdown, len(labels), cols, listwise=listwise)
            key = "listwise" if listwise else "pairwise"
            counts = "complete" if listwise else "answered_any"
            for g, grp in enumerate(labels):
                assert _same(values[g, 0], RWG_28[key][str(grp)]), (key, grp)
                assert n[g, 0] == RWG_28[counts][str(grp)], (key, grp)


def test_rwg_hand_examples():
    # s² = 0.5 on a 5-point scale → rwg = 1 − 0.5/2 = .75 (JDW 1984 formula by hand).
    assert rwg([2, 3, 3, 4, 3, 2, 4, 3, 3], scale_points=5) == pytest.approx(1 - 0.5 / 2)
    # J = 10 items with mean variance 1.0 on 5 points: 10·.5 / (10·.5 + .5) = 0.90909
    items = pd.DataFrame({f"i{j}": [2, 4, 3, 3, 2, 4] for j in range(10)})
    assert items.var().iloc[0] == pytest.approx(0.8)
    s = 0.8 / 2
    assert rwg_j(items, scale_points=5) == pytest.approx(10 * (1 - s) / (10 * (1 - s) + s))
    assert math.isnan(rwg([4], scale_points=5))
    assert math.isnan(rwg_j(pd.DataFrame({"a": [4.0], "b": [3.0]}), scale_points=5))
    assert rwg([1, 5, 1, 5], scale_points=5) == 0.0  # variance above the null: capped


# --- ICC(1), ICC(2) ---------------------------------------------------------------------


def test_icc_shrout_fleiss_table_2():
    # Shrout & Fleiss (1979) Table 2: 6 targets × 4 judges; ICC(1,1) = .17, ICC(1,4) = .44.
    ratings = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    )
    values, groups = ratings.ravel(), np.repeat(np.arange(6), 4)
    assert round(icc1(values, groups), 2) == 0.17
    assert round(icc2(values, groups), 2) == 0.44


def test_icc_wine_matches_psych():
    # R psych::ICC via pingouin.intraclass_corr: ICC1 = 0.728, ICC1k = 0.914 (balanced
    # one-way design, wines as groups, so equal to multilevel ICC1 / ICC2).
    wine = pd.read_csv(REF / "pingouin_icc_wine.csv")
    assert icc1(wine.Scores, wine.Wine) == pytest.approx(VALUES["icc_wine_icc1"], abs=1e-12)
    assert icc2(wine.Scores, wine.Wine) == pytest.approx(VALUES["icc_wine_icc2"], abs=1e-12)
    assert round(icc1(wine.Scores, wine.Wine), 3) == 0.728
    assert round(icc2(wine.Scores, wine.Wine), 3) == 0.914


def test_icc_unbalanced_matches_anova(teams):
    # statsmodels anova_lm mean squares + multilevel ICC1/ICC2 formulas (gsize = N/k).
    score = teams[["I1", "I2", "I3", "I4"]].mean(axis=1)
    assert icc1(score, teams.team) == pytest.approx(VALUES["teams_icc1"], abs=1e-12)
    assert icc2(score, teams.team) == pytest.approx(VALUES["teams_icc2"], abs=1e-12)


def test_icc_drops_missing_and_handles_degenerate():
    assert math.isnan(icc1([1, 2, 3], ["a", "a", "a"]))  # one group
    assert math.isnan(icc2([1, 2], ["a", "b"]))  # no within df
    values = [1, 2, np.nan, 4, 5, 6]
    groups = ["a", "a", "a", None, "b", "b"]
    assert icc1(values, groups) == pytest.approx(icc1([1, 2, 5, 6], ["a", "a", "b", "b"]))
    with pytest.raises(ValueError, match="length"):
        icc1([1, 2], ["a"])


# --- confidence interval ----------------------------------------------------------------


def test_mean_ci95_t_interval():
    # R: t.test(c(1, 2, 3, 4))$conf.int = 0.445739 4.554261
    low, high = mean_ci95([1, 2, 3, 4])
    assert low == pytest.approx(0.4457397, abs=1e-6)
    assert high == pytest.approx(4.5542603, abs=1e-6)
    assert all(math.isnan(v) for v in mean_ci95([3.0]))
    assert all(math.isnan(v) for v in mean_ci95([]))


# --- properties -------------------------------------------------------------------------

likert = st.integers(min_value=1, max_value=5)


@st.composite
def item_frames(draw, min_items=2, max_items=6):
    k = draw(st.integers(min_items, max_items))
    n = draw(st.integers(2, 25))
    rows = draw(st.lists(st.lists(likert, min_size=k, max_size=k), min_size=n, max_size=n))
    return pd.DataFrame(rows, columns=[f"q{j}" for j in range(k)], dtype=float)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item_frames(), st.randoms(use_true_random=False))
def test_alpha_invariant_to_item_and_row_order(frame, rnd):
    cols = list(frame.columns)
    rnd.shuffle(cols)
    rows = list(range(len(frame)))
    rnd.shuffle(rows)
    a, b = cronbach_alpha(frame), cronbach_alpha(frame.iloc[rows][cols])
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(item_frames(min_items=1), st.sampled_from([4, 5, 7]))
def test_rwg_j_within_zero_and_one(frame, points):
    value = rwg_j(frame.clip(upper=points), scale_points=points)
    assert math.isnan(value) or 0.0 <= value <= 1.0
    single = rwg(frame.iloc[:, 0].clip(upper=points), scale_points=points)
    assert math.isnan(single) or 0.0 <= single <= 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abcd"), st.floats(1, 5)), min_size=3, max_size=40),
    st.floats(-10, 10),
)
def test_icc_invariant_to_shift(pairs, shift):
    groups = [g for g, _ in pairs]
    values = np.array([v for _, v in pairs])
    a, b = icc1(values, groups), icc1(values + shift, groups)
    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-6)
    c = icc2(values, groups)
    assert math.isnan(c) or c <= 1.0 + 1e-12


# --- aggregation verdict (Bliese 2000; LeBreton & Senter 2008) -------------------------
def _verdict(icc1, icc2, p, *, msb, rwg, groups, people):
    from culturescope.scoring.agreement import verdict

    return verdict(
        icc1=icc1,
        icc2=icc2,
        f_p_value=p,
        msb=msb,
        mean_rwg_j=rwg,
        rwg_groups=groups,
        rwg_n=people,
        n_groups=groups,
    )


def test_small_icc1_with_significant_f_test_is_group_variance():
    # bh1996 WBEING: ICC(1) .043, F test p = 2e-41 — real group-level variance.
    justified, reliable, reason = _verdict(
        0.043, 0.78, 2e-41, msb=3.0, rwg=0.82, groups=99, people=7382
    )
    assert justified is True and reliable is True
    assert "near zero" not in reason
    assert "ICC(1) 0.043" in reason and "4.3%" in reason and "p < 0.001" in reason
    assert "99 groups, 7382 people" in reason
    # Low agreement: not justified, whatever the F test says; low ICC(2): means unreliable.
    justified, reliable, reason = _verdict(0.05, 0.45, 0.01, msb=2.0, rwg=0.6, groups=4, people=40)
    assert justified is False and reliable is False
    assert "do not agree enough" in reason and "not reliable enough" in reason
    assert "ICC(1) 0.050" in reason and "(below" not in reason


def test_negative_icc2_is_no_difference_between_groups():
    from culturescope.scoring.agreement import icc2_text

    justified, reliable, reason = _verdict(
        -0.2, -132.5, 0.99, msb=0.01, rwg=0.9, groups=3, people=30
    )
    assert justified is False and reliable is False
    assert "no difference between groups" in reason and "-132" not in reason
    assert icc2_text(-132.5) == "no difference between groups"
    assert icc2_text(0.812) == "0.81"


@pytest.mark.parametrize("shift", [0.0, 9.95, -3.3, 1e6])
def test_icc_zero_variance_is_robust_to_rounding(shift):
    # Issue: [('a', 1.0), ('a', 1.0), ('b', 1.0)] shifted by 9.95 gave 1.0 instead of NaN.
    values = np.array([1.0, 1.0, 1.0]) + shift
    assert math.isnan(icc1(values, ["a", "a", "b"]))
    # No variance within, groups apart: ICC 1 — also after a shift.
    values = np.array([1.0, 1.0, 2.0, 2.0]) + shift
    assert icc1(values, ["a", "a", "b", "b"]) == pytest.approx(1.0)


# --- confidence intervals inside the scale -----------------------------------------------
def test_ci_of_a_small_team_stays_on_the_scale():
    from scipy.special import expit, logit

    # Issue: 5, 5, 5, 5, 4 on a 1–5 scale had the t interval (4.24, 5.36).
    x = [5, 5, 5, 5, 4]
    low, high = mean_ci95(x, bounds=(1, 5))
    assert 1 < low < high < 5
    # Independently: logit of (mean − 1)/4, delta-method SE, t(4) quantile, back-transform.
    p = (4.8 - 1) / 4
    se = np.std(x, ddof=1) / math.sqrt(5) / (4 * p * (1 - p))
    t = 2.7764451051977987  # qt(0.975, 4)
    assert low == pytest.approx(1 + 4 * expit(logit(p) - t * se), abs=1e-12)
    assert high == pytest.approx(1 + 4 * expit(logit(p) + t * se), abs=1e-12)
    # Mid-scale it is close to the t interval.
    mid = [2, 3, 4, 3, 3, 2, 4, 3, 3, 4, 2, 3]
    assert mean_ci95(mid, bounds=(1, 5)) == pytest.approx(mean_ci95(mid), abs=0.03)
    # No spread: the mean itself.
    assert mean_ci95([5, 5, 5], bounds=(1, 5)) == (5.0, 5.0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=12), st.sampled_from([4, 5, 7]))
def test_ci_never_outside_the_scale(values, points):
    values = [min(v, points) for v in values]
    low, high = mean_ci95(values, bounds=(1, points))
    assert 1 <= low <= np.mean(values) <= high <= points
