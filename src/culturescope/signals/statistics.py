"""The tests and effect sizes behind the statistical signals (scipy underneath)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


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
    elif np.var(a) == 0 and np.var(b) == 0:
        t, p = (0.0, 1.0) if np.mean(a) == np.mean(b) else (float("inf"), 0.0)
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


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (as R ``p.adjust(method = "holm")``); NaN kept."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size == 0:
        return out.tolist()
    order = ok[np.argsort(p[ok], kind="stable")]
    m = ok.size
    running = 0.0
    for rank, idx in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[idx]))
        out[idx] = running
    return out.tolist()


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


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    if n1 == 0 or n2 == 0:
        return float("nan")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / se
    return float(2 * stats.norm.sf(abs(z)))
