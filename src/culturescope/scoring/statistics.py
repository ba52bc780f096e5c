"""Reliability and agreement statistics, the pingouin way: DataFrame in, number out.

Formulas follow the R packages ``multilevel`` (rwg, rwg.j, ICC1, ICC2, cronbach,
item.total) and the usual one-factor definition of McDonald's omega. Every function
returns NaN (or None for :func:`mcdonald_omega`) where the statistic is undefined instead
of raising, so scoring never fails on small or degenerate groups. Inputs that are not what
the function needs (wrong shapes, a scale of fewer than 2 points) raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special as sc  # what scipy.stats calls, without its 1 s import

__all__ = [
    "cronbach_alpha",
    "icc1",
    "icc2",
    "item_total_correlations",
    "mcdonald_omega",
    "mean_ci95",
    "null_variance",
    "rwg",
    "rwg_j",
]


def _numeric_frame(items: pd.DataFrame, name: str = "items") -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame (respondents × items)")
    try:
        return items.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only: {exc}") from None


def _vector(values: Sequence[float] | np.ndarray | pd.Series, name: str = "values") -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only: {exc}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {arr.shape}")
    return arr


def null_variance(scale_points: int) -> float:
    """Variance of the uniform ("rectangular") null distribution, σ²_EU = (A² − 1) / 12.

    Parameters
    ----------
    scale_points : int
        Number of response options A (e.g. 5 for a 5-point agreement scale).
    """
    if int(scale_points) != scale_points or scale_points < 2:
        raise ValueError(f"scale_points must be an integer of at least 2, not {scale_points!r}")
    return (scale_points**2 - 1) / 12.0


# --- reliability --------------------------------------------------------------------------


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    if k < 2:
        return float("nan")
    total = cov.sum()
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - np.trace(cov) / total))


def _listwise(items: pd.DataFrame) -> np.ndarray:
    arr = _numeric_frame(items).to_numpy()
    return arr[~np.isnan(arr).any(axis=1)]


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a respondents × items frame, on listwise-complete rows.

    Parameters
    ----------
    items : pandas.DataFrame
        One row per respondent, one column per item (already reverse-keyed). NaN is missing.

    Returns
    -------
    float
        Alpha; NaN with fewer than 2 items, fewer than 2 complete rows or a constant total.

    Notes
    -----
    alpha = k/(k−1) · (1 − Σ var(item) / var(total)), sample variances (n − 1).
    Matches R ``multilevel::cronbach`` and ``psych::alpha`` (raw alpha) on listwise data.
    """
    data = _listwise(items)
    if data.shape[0] < 2 or data.shape[1] < 2:
        return float("nan")
    return _alpha_from_cov(np.cov(data, rowvar=False, ddof=1))


def _item_total_from_cov(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Corrected item-total r and alpha-if-deleted for every item of a covariance matrix."""
    k = cov.shape[0]
    r = np.full(k, np.nan)
    a = np.full(k, np.nan)
    if k < 2:
        return r, a
    total = cov.sum()
    row = cov.sum(axis=1)
    diag = np.diag(cov)
    rest_var = total - 2 * row + diag  # variance of the sum of the other items
    cov_rest = row - diag  # covariance of the item with that sum
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cov_rest / np.sqrt(diag * rest_var)
        if k >= 3:
            a = (k - 1) / (k - 2) * (1.0 - (np.trace(cov) - diag) / rest_var)
    r[~np.isfinite(r)] = np.nan
    a[~np.isfinite(a) | (rest_var <= 0)] = np.nan
    return r, a


def item_total_correlations(items: pd.DataFrame) -> pd.DataFrame:
    """Corrected item–total correlation and alpha-if-item-deleted for every item.

    Parameters
    ----------
    items : pandas.DataFrame
        Respondents × items, already reverse-keyed; listwise-complete rows are used.

    Returns
    -------
    pandas.DataFrame
        Indexed by item (the columns of ``items``), columns ``item_total_r`` (correlation of
        the item with the sum — equivalently the mean — of the *other* items) and
        ``alpha_if_deleted``. NaN where undefined.

    Notes
    -----
    Matches R ``multilevel::item.total`` (Item.Total, Alpha.Without) and the ``r.drop`` /
    ``raw_alpha`` columns of ``psych::alpha``'s "if an item is dropped" table.
    """
    data = _listwise(items)
    k = data.shape[1]
    if data.shape[0] >= 2 and k >= 2:
        r, a = _item_total_from_cov(np.cov(data, rowvar=False, ddof=1))
    else:
        r = a = np.full(k, np.nan)
    return pd.DataFrame(
        {"item_total_r": r, "alpha_if_deleted": a}, index=pd.Index(items.columns, name="item")
    )


def _fit_one_factor(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Maximum-likelihood one-factor model of a correlation matrix, as R ``factanal``.

    Solves the ML stationarity condition diag(λλ' + Ψ) = diag(R) by the classical
    fixed-point iteration (Jöreskog 1967): λ from the leading eigenpair of Ψ^-½ R Ψ^-½,
    then Ψ = diag(R − λλ'), with Ψ kept in [0.005, 1] as ``factanal`` bounds it. (A
    general optimiser gives the same answer but is slower on tiny matrices.)
    Returns (loadings, uniquenesses), or None when the iteration does not converge.
    """
    p = corr.shape[0]
    try:
        psi = np.clip((1.0 - 0.5 / p) / np.diag(np.linalg.inv(corr)), 0.005, 1.0)
    except np.linalg.LinAlgError:
        return None
    lam = np.zeros(p)
    for _ in range(20000):
        root = np.sqrt(psi)
        values, vectors = np.linalg.eigh(corr / np.outer(root, root))
        lam = root * vectors[:, -1] * np.sqrt(max(values[-1] - 1.0, 0.0))
        new = np.clip(np.diag(corr) - lam**2, 0.005, 1.0)
        if np.max(np.abs(new - psi)) < 1e-12:
            psi = new
            break
        psi = new
    else:
        return None
    if not np.all(np.isfinite(lam)):
        return None
    if lam.sum() < 0:
        lam = -lam
    return lam, psi


def mcdonald_omega(items: pd.DataFrame) -> float | None:
    """McDonald's omega total from a one-factor model (listwise-complete rows).

    Parameters
    ----------
    items : pandas.DataFrame
        Respondents × items, already reverse-keyed.

    Returns
    -------
    float or None
        ω = (Σλ)² / ((Σλ)² + Σθ) with loadings λ and unique variances θ of a one-factor
        maximum-likelihood model of the item covariances. None where not computable: fewer
        than 3 items (the model is not identified), fewer complete rows than items + 1, a
        constant item, a singular correlation matrix or a failed fit.

    Notes
    -----
    The model is fitted to the correlation matrix as R ``factanal`` does and rescaled to the
    covariance metric (ML estimates are scale-free), so ω refers to the unweighted sum of
    the raw item scores, like ``MBESS::ci.reliability(type = "omega")``. For
    tau-equivalent items ω equals alpha.
    """
    data = _listwise(items)
    if data.shape[0] < 2 or data.shape[1] < 3:
        return None
    return omega_from_covariance(np.cov(data, rowvar=False, ddof=1), data.shape[0])


def omega_from_covariance(cov: np.ndarray, n: int) -> float | None:
    """:func:`mcdonald_omega` from a covariance matrix of ``n`` complete rows."""
    k = cov.shape[0]
    if k < 3 or n < k + 1:
        return None
    var = np.diag(cov)
    if np.any(~np.isfinite(var)) or np.any(var <= 0):
        return None
    sd = np.sqrt(var)
    corr = cov / np.outer(sd, sd)
    if not np.all(np.isfinite(corr)) or np.linalg.matrix_rank(corr) < k:
        return None
    fit = _fit_one_factor(corr)
    if fit is None:
        return None
    lam, psi = fit
    lam_raw = lam * sd
    theta = psi * sd**2
    common = lam_raw.sum() ** 2
    denominator = common + theta.sum()
    if denominator <= 0 or not np.isfinite(denominator):
        return None
    return float(common / denominator)


# --- agreement ----------------------------------------------------------------------------


def rwg(values: Sequence[float] | np.ndarray | pd.Series, *, scale_points: int) -> float:
    """James, Demaree & Wolf's (1984) single-item agreement rwg for one group.

    Parameters
    ----------
    values : array-like
        The group members' answers to one item; NaN is ignored.
    scale_points : int
        Number of response options A; the null variance is (A² − 1)/12.

    Returns
    -------
    float
        1 − s²/σ²_EU with the observed variance truncated at σ²_EU, so 0 ≤ rwg ≤ 1.
        NaN for fewer than 2 answers.

    Notes
    -----
    Matches R ``multilevel::rwg(x, grpid, ranvar = (A^2 - 1)/12)``.
    """
    null = null_variance(scale_points)
    x = _vector(values)
    x = x[~np.isnan(x)]
    if x.size < 2:
        return float("nan")
    v = min(float(np.var(x, ddof=1)), null)
    return 1.0 - v / null


def _rwg_j_from_mean_variance(mean_var, n_items, null):
    s = np.minimum(mean_var, null) / null
    num = n_items * (1.0 - s)
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / (num + s)


def rwg_j(items: pd.DataFrame, *, scale_points: int) -> float:
    """James, Demaree & Wolf's (1984) multi-item agreement rwg(j) for one group.

    Parameters
    ----------
    items : pandas.DataFrame
        The group members (rows) × the scale's J items; listwise-complete rows are used.
    scale_points : int
        Number of response options A; σ²_EU = (A² − 1)/12.

    Returns
    -------
    float
        J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), where s̄² is the mean of the item
        variances capped at σ²_EU, so 0 ≤ rwg(j) ≤ 1. NaN for fewer than 2 complete rows.

    Notes
    -----
    Matches R ``multilevel::rwg.j(x, grpid, ranvar = (A^2 - 1)/12)`` for one group,
    including its listwise deletion (``na.exclude``) and its cap on the mean variance.
    """
    null = null_variance(scale_points)
    data = _listwise(items)
    if data.shape[0] < 2 or data.shape[1] < 1:
        return float("nan")
    mean_var = float(np.mean(np.var(data, axis=0, ddof=1)))
    return float(_rwg_j_from_mean_variance(mean_var, data.shape[1], null))


def oneway_anova(values, groups) -> tuple[float, float, int, int]:
    """Between and within mean squares and their degrees of freedom of a one-way ANOVA.

    Rows with a missing value or group are dropped (as R ``aov`` does with ``na.omit``).
    Returns (MSB, MSW, df_between, df_within); mean squares are NaN where df is 0.
    """
    x = _vector(values)
    g = pd.Series(np.asarray(groups, dtype=object) if not isinstance(groups, pd.Series) else groups)
    if len(g) != x.size:
        raise ValueError(f"values ({x.size}) and groups ({len(g)}) differ in length")
    codes, _ = pd.factorize(g.reset_index(drop=True), use_na_sentinel=True)
    keep = (codes >= 0) & ~np.isnan(x)
    return _anova_from_codes(x[keep], codes[keep])


def _anova_from_codes(x: np.ndarray, codes: np.ndarray) -> tuple[float, float, int, int]:
    if x.size == 0:
        return float("nan"), float("nan"), 0, 0
    n_g = np.bincount(codes).astype(float)
    present = n_g > 0
    sums = np.bincount(codes, weights=x)[present]
    n_g = n_g[present]
    k = int(present.sum())
    n = x.size
    grand = x.mean()
    means = sums / n_g
    ssb = float(np.sum(n_g * (means - grand) ** 2))
    # Within sum of squares from the deviations, not from sums of squares: exact for
    # the small integer-valued data of surveys and free of cancellation.
    dense = np.zeros(codes.max() + 1)
    dense[np.flatnonzero(present)] = means
    ssw = float(np.sum((x - dense[codes]) ** 2))
    dfb, dfw = k - 1, n - k
    msb = ssb / dfb if dfb > 0 else float("nan")
    msw = ssw / dfw if dfw > 0 else float("nan")
    return msb, msw, dfb, dfw


def icc_from_mean_squares(msb: float, msw: float, dfb: int, dfw: int) -> tuple[float, float]:
    """ICC(1) and ICC(2) from one-way ANOVA mean squares, as R ``multilevel::ICC1/ICC2``."""
    if dfb < 1 or dfw < 1 or not np.isfinite(msb) or not np.isfinite(msw) or msb <= 0:
        return float("nan"), float("nan")
    gsize = (dfw + dfb + 1) / (dfb + 1)  # mean group size N/k, as multilevel computes it
    icc_1 = (msb - msw) / (msb + (gsize - 1) * msw)
    icc_2 = (msb - msw) / msb
    return float(icc_1), float(icc_2)


def icc1(values, groups) -> float:
    """ICC(1): the share of individual variance explained by group membership.

    Parameters
    ----------
    values : array-like
        One value per person (e.g. a dimension score); NaN rows are dropped.
    groups : array-like
        The person's group, same length; missing groups are dropped.

    Returns
    -------
    float
        (MSB − MSW) / (MSB + (N/k − 1) · MSW) from a one-way ANOVA, N persons in k groups.
        Can be negative; NaN with fewer than 2 groups or no within-group degrees of freedom.

    Notes
    -----
    Matches R ``multilevel::ICC1(aov(values ~ as.factor(groups)))`` (Bliese, 2000), which
    uses the mean group size N/k also for unbalanced groups.
    """
    return icc_from_mean_squares(*oneway_anova(values, groups))[0]


def icc2(values, groups) -> float:
    """ICC(2): the reliability of the group means, (MSB − MSW) / MSB.

    Parameters
    ----------
    values, groups : array-like
        As for :func:`icc1`.

    Returns
    -------
    float
        NaN with fewer than 2 groups or no within-group degrees of freedom.

    Notes
    -----
    Matches R ``multilevel::ICC2(aov(values ~ as.factor(groups)))`` (Bliese, 2000).
    """
    return icc_from_mean_squares(*oneway_anova(values, groups))[1]


# --- descriptive --------------------------------------------------------------------------


def mean_ci95(values) -> tuple[float, float]:
    """Two-sided 95% confidence interval of the mean, from Student's t distribution.

    Parameters
    ----------
    values : array-like
        NaN is ignored.

    Returns
    -------
    tuple of float
        (lower, upper) = mean ∓ t(0.975, n − 1) · sd / √n; (NaN, NaN) for fewer than 2 values.

    Notes
    -----
    Matches R ``t.test(values)$conf.int``.
    """
    x = _vector(values)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 2:
        return float("nan"), float("nan")
    m = float(x.mean())
    half = float(sc.stdtrit(n - 1, 0.975) * x.std(ddof=1) / np.sqrt(n))
    return m - half, m + half
