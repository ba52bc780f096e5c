"""The tests and effect sizes behind the statistical signals (scipy underneath)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from culturescope.lazy import lazy_module

stats = lazy_module("scipy.stats")  # ~1 s to import: loaded by the first test run


@dataclass(frozen=True)
class Comparison:
    """Two independent groups compared on one measure."""

    n1: int
    n2: int
    mean1: float
    mean2: float
    difference: float  # mean1 - mean2
    hedges_g: float
    t: float
    p_value: float  # two-sided Welch t-test


def hedges_g(x: np.ndarray, y: np.ndarray) -> float:
    """Hedges' g: Cohen's d with the pooled SD, times the small-sample correction
    J = 1 − 3 / (4(n1 + n2) − 9) (Hedges & Olkin 1985; as pingouin ``compute_effsize``)."""
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return float("nan")
    pooled = ((n1 - 1) * np.var(x, ddof=1) + (n2 - 1) * np.var(y, ddof=1)) / (n1 + n2 - 2)
    if pooled <= 0:
        diff = float(np.mean(x) - np.mean(y))
        return 0.0 if diff == 0 else math.copysign(float("inf"), diff)
    d = (np.mean(x) - np.mean(y)) / math.sqrt(pooled)
    return float(d * (1 - 3 / (4 * (n1 + n2) - 9)))


def welch(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> Comparison:
    """Welch's t-test (unequal variances) and Hedges' g of ``x`` minus ``y`` (NaN dropped)."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    g = hedges_g(a, b)
    if len(a) < 2 or len(b) < 2:
        t, p = float("nan"), float("nan")
    elif np.ptp(a) == 0 and np.ptp(b) == 0:
        # Two constant samples: the t statistic is 0/0 or ±x/0. Every relabelling of the
        # pooled answers is then either the observed split or its mirror, so the exact
        # two-sided permutation p-value is 2 / C(n1 + n2, n1) when the values differ and
        # 1 when they do not; t carries the sign of the difference.
        diff = float(a[0] - b[0])
        if diff == 0:
            t, p = 0.0, 1.0
        else:
            t = math.copysign(float("inf"), diff)
            p = min(1.0, 2.0 / math.comb(len(a) + len(b), len(a)))
    else:
        with warnings.catch_warnings():
            # near-identical answers (everyone "strongly agree") are valid data, not an error
            warnings.simplefilter("ignore", RuntimeWarning)
            res = stats.ttest_ind(a, b, equal_var=False)
        t, p = float(res.statistic), float(res.pvalue)
    return Comparison(
        n1=len(a),
        n2=len(b),
        mean1=float(np.mean(a)) if len(a) else float("nan"),
        mean2=float(np.mean(b)) if len(b) else float("nan"),
        difference=float(np.mean(a) - np.mean(b)) if len(a) and len(b) else float("nan"),
        hedges_g=g,
        t=t,
        p_value=p,
    )


def _floats(values: np.ndarray) -> list[float]:
    out: list[float] = values.tolist()
    return out


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (as R ``p.adjust(method = "BH")``); NaN kept.

    A test is a discovery at false discovery rate q when its adjusted p-value is below q.
    NaN entries (tests that could not be computed) are not counted among the tests.
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size == 0:
        return _floats(out)
    m = ok.size
    order = ok[np.argsort(p[ok], kind="stable")]
    scaled = p[order] * m / np.arange(1, m + 1)
    # step-up: the adjusted value of rank i is the smallest scaled value at rank >= i
    out[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return _floats(out)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (as R ``p.adjust(method = "holm")``); NaN kept."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size == 0:
        return _floats(out)
    order = ok[np.argsort(p[ok], kind="stable")]
    m = ok.size
    running = 0.0
    for rank, idx in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[idx]))
        out[idx] = running
    return _floats(out)


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar test on the discordant pairs ``b`` and ``c``."""
    if b + c == 0:
        return 1.0
    return float(stats.binomtest(b, b + c, 0.5).pvalue)


def wilson_interval(successes: float, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (0–1)."""
    if n <= 0:
        return (float("nan"), float("nan"))
    z = stats.norm.ppf(0.5 + confidence / 2)
    phat = successes / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class ProportionTest:
    """A test on proportions: its statistic and p-value, or why it is undefined."""

    statistic: float
    p_value: float  # NaN when undefined (then ``reason`` says why)
    reason: str | None = None


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> ProportionTest:
    """Pooled two-proportion z-test of x1/n1 against x2/n2 (two-sided).

    Undefined — p-value NaN with a reason, never a made-up 1.0 — when a sample is empty or
    both proportions are 0% or both 100% (the pooled standard error is then zero: the data
    hold no information about a difference).
    """
    if n1 <= 0 or n2 <= 0:
        return ProportionTest(float("nan"), float("nan"), "a sample has no answers")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        which = "0%" if pooled == 0 else "100%"
        return ProportionTest(float("nan"), float("nan"), f"both proportions are {which}")
    z = (x1 / n1 - x2 / n2) / se
    return ProportionTest(float(z), float(2 * stats.norm.sf(abs(z))))


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (NaN where undefined, see
    :func:`two_proportion_test`)."""
    return two_proportion_test(x1, n1, x2, n2).p_value


def proportion_score_test(share: float, n: int, threshold: float) -> float:
    """Two-sided p-value of the score test of a proportion ``share`` (0–1) of ``n``
    answers against ``threshold`` (0–1): z = (p̂ − p₀) / √(p₀(1 − p₀)/n).

    It is the test that the Wilson interval inverts: p < 0.05 exactly when the 95% Wilson
    interval excludes the threshold. NaN for n = 0 or a threshold of 0 or 1.
    """
    if n <= 0 or not 0 < threshold < 1:
        return float("nan")
    z = (share - threshold) / math.sqrt(threshold * (1 - threshold) / n)
    return float(2 * stats.norm.sf(abs(z)))


def rwg_j_variance_ratio(rwg_j: float, n_items: int) -> float:
    """The mean item variance over the null variance, s̄²/σ²_EU, behind an rwg(j) of
    ``n_items`` items (the inverse of rwg(j) = J(1 − s) / (J(1 − s) + s)); 1 for rwg(j) 0,
    where the variance was capped at the null."""
    j = float(n_items)
    return j * (1 - rwg_j) / (j * (1 - rwg_j) + rwg_j)


def low_agreement_test(rwg_j: float, *, n_items: int, n: int, below: float) -> float:
    """One-sided p-value that a group's true rwg(j) is below ``below``.

    rwg(j) is below ``below`` exactly when the mean item variance exceeds v* times the
    null variance, v* = :func:`rwg_j_variance_ratio` (``below``). The test is the
    normal-theory χ² test of a variance, (n − 1) · s̄² / v* against χ²(n − 1), with the
    degrees of freedom of a single item: the mean of J correlated item variances varies
    at most as much as one item's variance, so this is conservative. NaN for n < 2.
    """
    if n < 2 or not math.isfinite(rwg_j):
        return float("nan")
    observed = rwg_j_variance_ratio(rwg_j, n_items)
    limit = rwg_j_variance_ratio(below, n_items)
    return float(stats.chi2.sf((n - 1) * observed / limit, n - 1))
