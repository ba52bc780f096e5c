"""Reliability and agreement statistics, the pingouin way: DataFrame in, number out.

Formulas follow the R packages ``multilevel`` (rwg, rwg.j, ICC1, ICC2, cronbach,
item.total) and the usual one-factor definition of McDonald's omega. Every function
returns NaN (or None for :func:`mcdonald_omega`) where the statistic is undefined instead
of raising, so scoring never fails on small or degenerate groups. Inputs that are not what
the function needs (wrong shapes, a scale of fewer than 2 points) raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, TypeAlias, overload

import numpy as np

from culturescope import special_functions as sc  # what scipy.stats calls, no more

if TYPE_CHECKING:  # DataFrames come from the caller; `score` itself never loads pandas
    import pandas as pd

__all__ = [
    "bounded_mean_ci",
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


#: One number per person (NaN for missing).
Values: TypeAlias = "Sequence[float] | np.ndarray | pd.Series"
#: The group of each person (None or NaN for missing).
Groups: TypeAlias = "Sequence[Hashable] | np.ndarray | pd.Series"
#: A number, or numbers element-wise.
Numbers = float | np.ndarray


def _numeric_frame(items: pd.DataFrame, name: str = "items") -> pd.DataFrame:
    import pandas as pd

    if not isinstance(items, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame (respondents × items)")
    try:
        return items.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only: {exc}") from None


def _vector(values: Values, name: str = "values") -> np.ndarray:
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
    complete: np.ndarray = arr[~np.isnan(arr).any(axis=1)]
    return complete


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
    import pandas as pd

    return pd.DataFrame(
        {"item_total_r": r, "alpha_if_deleted": a}, index=pd.Index(items.columns, name="item")
    )


def _one_factor_discrepancy(psi: np.ndarray, corr: np.ndarray) -> tuple[float, np.ndarray]:
    """ML discrepancy of the one-factor model concentrated on the uniquenesses ψ, and its
    gradient.

    For fixed ψ the best loadings come from the leading eigenpair (e₁, v₁) of
    Ψ^-½ R Ψ^-½: λ = Ψ^½ v₁ √max(e₁ − 1, 0). What remains of the ML discrepancy
    log|Σ| + tr(R Σ⁻¹) − log|R| − p is, up to a constant, −Σ_{j≥2} (log e_j − e_j) − 1 + p
    (Jöreskog 1967; Lawley & Maxwell 1971, ch. 4). Its derivative in ψ_i is
    (Σ − R)_ii / ψ_i² with Σ = λλ' + Ψ.
    """
    root = np.sqrt(psi)
    values, vectors = np.linalg.eigh(corr / np.outer(root, root))
    rest = values[:-1]  # eigh sorts ascending: all but the largest
    if np.any(rest <= 0):
        return float("inf"), np.zeros_like(psi)
    value = -float(np.sum(np.log(rest) - rest)) - 1.0 + corr.shape[0]
    lam = root * vectors[:, -1] * np.sqrt(max(values[-1] - 1.0, 0.0))
    gradient = (lam**2 + psi - np.diag(corr)) / psi**2
    return value, gradient


def _stationary(psi: np.ndarray, gradient: np.ndarray, tol: float = 1e-6) -> bool:
    """Whether ψ meets the optimality conditions on [0.005, 1]: no downhill direction
    (a zero gradient inside the bounds, pointing outwards at a bound)."""
    low, high = psi <= 0.005 + 1e-9, psi >= 1.0 - 1e-9
    free = ~(low | high)
    return bool(
        np.all(np.abs(gradient[free]) < tol)
        and np.all(gradient[low] > -tol)
        and np.all(gradient[high] < tol)
    )


def _bounded_newton(
    corr: np.ndarray, psi: np.ndarray, *, max_steps: int = 200
) -> tuple[np.ndarray, float, np.ndarray]:
    """Minimise :func:`_one_factor_discrepancy` over ψ in [0.005, 1] by projected Newton
    steps (Bertsekas 1982): uniquenesses held at a bound by their gradient stay there,
    the others take a Newton step on a Hessian from central differences of the analytic
    gradient, shortened until the discrepancy drops enough (Armijo).

    A handful of variables (the items of one dimension) make each step cheap, and this
    keeps SciPy's optimisers (and their ~0.4 s import) out of every scoring run.
    Returns ``(psi, value, gradient)`` at the last point.
    """
    value, gradient = _one_factor_discrepancy(psi, corr)
    p = psi.size
    for _ in range(max_steps):
        if not np.isfinite(value) or _stationary(psi, gradient, tol=1e-10):
            break
        held = ((psi <= _PSI_LOW + 1e-12) & (gradient > 0)) | (
            (psi >= _PSI_HIGH - 1e-12) & (gradient < 0)
        )
        free = ~held
        step = np.zeros(p)
        h = 1e-6
        hessian = np.empty((p, p))
        for j in range(p):
            e = np.zeros(p)
            e[j] = h
            hessian[:, j] = (
                _one_factor_discrepancy(psi + e, corr)[1]
                - _one_factor_discrepancy(psi - e, corr)[1]
            ) / (2 * h)
        hessian = (hessian + hessian.T) / 2
        sub = hessian[np.ix_(free, free)]
        shift = 0.0
        for _attempt in range(30):  # make the free block positive definite
            try:
                chol = np.linalg.cholesky(sub + shift * np.eye(sub.shape[0]))
                break
            except np.linalg.LinAlgError:
                shift = max(2 * shift, 1e-8 * max(1.0, float(np.abs(sub).max())))
        else:
            chol = None
        if chol is not None and sub.size:
            step[free] = -np.linalg.solve(chol.T, np.linalg.solve(chol, gradient[free]))
        if not np.all(np.isfinite(step)) or gradient @ step >= 0:
            step = np.where(free, -gradient, 0.0)  # steepest descent
        t = 1.0
        moved = False
        while t > 1e-14:
            trial = np.clip(psi + t * step, _PSI_LOW, _PSI_HIGH)
            trial_value, trial_gradient = _one_factor_discrepancy(trial, corr)
            if trial_value <= value + 1e-4 * float(gradient @ (trial - psi)):
                moved = True
                break
            t /= 2
        if not moved:
            break
        done = abs(value - trial_value) <= 1e-15 * (1 + abs(value)) and np.allclose(
            trial, psi, rtol=0, atol=1e-13
        )
        psi, value, gradient = trial, trial_value, trial_gradient
        if done:
            break
    return psi, value, gradient


_PSI_LOW, _PSI_HIGH = 0.005, 1.0


def _fit_one_factor(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Maximum-likelihood one-factor model of a correlation matrix, as R ``factanal``.

    Minimises the concentrated ML discrepancy (:func:`_one_factor_discrepancy`) over the
    uniquenesses with a bounded Newton method (:func:`_bounded_newton`), ψ in [0.005, 1]
    as ``factanal`` bounds it, from ``factanal``'s start (1 − 0.5/p) / diag(R⁻¹) and,
    should that not converge, from ψ = 0.5 and ψ = 0.9; the best converged fit wins.
    Returns (loadings, uniquenesses), or None when no start converges.
    """
    p = corr.shape[0]
    try:
        first = (1.0 - 0.5 / p) / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        return None
    best: tuple[np.ndarray, float] | None = None
    for start in (first, np.full(p, 0.5), np.full(p, 0.9)):
        psi, value, gradient = _bounded_newton(corr, np.clip(start, _PSI_LOW, _PSI_HIGH))
        if _stationary(psi, gradient) and np.isfinite(value):
            if best is None or value < best[1]:
                best = (psi, value)
            break
    if best is None:
        return None
    psi = best[0]
    root = np.sqrt(psi)
    values, vectors = np.linalg.eigh(corr / np.outer(root, root))
    lam = root * vectors[:, -1] * np.sqrt(max(values[-1] - 1.0, 0.0))
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
    covariance metric (ML estimates are scale-free), so this is the *raw-score* omega: the
    reliability of the unweighted sum (or mean) of the raw item scores — the score the
    app reports — like ``MBESS::ci.reliability(type = "omega")``, not the standardised
    omega of standardised items. For tau-equivalent items ω equals alpha.
    """
    data = _listwise(items)
    if data.shape[0] < 2 or data.shape[1] < 3:
        return None
    return omega_from_covariance(np.cov(data, rowvar=False, ddof=1), data.shape[0])


def omega_from_covariance(cov: np.ndarray, n: int) -> float | None:
    """:func:`mcdonald_omega` from a covariance matrix of ``n`` complete rows."""
    return omega_with_reason(cov, n)[0]


def omega_with_reason(cov: np.ndarray, n: int) -> tuple[float | None, str | None]:
    """Raw-score omega total from a covariance matrix of ``n`` complete rows, or None and
    the reason in words (for ``reliability_note``)."""
    k = cov.shape[0]
    if k < 3:
        return None, "omega needs at least 3 items (a one-factor model of fewer is not identified)"
    if n < k + 1:
        return None, f"omega needs at least {k + 1} complete responses for {k} items"
    var = np.diag(cov)
    if np.any(~np.isfinite(var)) or np.any(var <= 0):
        return None, "omega not computed: an item is the same for everyone"
    sd = np.sqrt(var)
    corr = cov / np.outer(sd, sd)
    if not np.all(np.isfinite(corr)) or np.linalg.matrix_rank(corr) < k:
        return None, (
            "omega not computed: the items' correlations are singular (an item repeats "
            "another or is a sum of others)"
        )
    fit = _fit_one_factor(corr)
    if fit is None:
        return None, "omega not computed: the one-factor model could not be fitted"
    lam, psi = fit
    lam_raw = lam * sd
    theta = psi * sd**2
    common = lam_raw.sum() ** 2
    denominator = common + theta.sum()
    if denominator <= 0 or not np.isfinite(denominator):
        return None, "omega not computed: the one-factor model could not be fitted"
    return float(common / denominator), None


# --- agreement ----------------------------------------------------------------------------


def rwg(values: Values, *, scale_points: int) -> float:
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


@overload
def _rwg_j_from_mean_variance(mean_var: float, n_items: int, null: float) -> float: ...
@overload
def _rwg_j_from_mean_variance(mean_var: np.ndarray, n_items: int, null: float) -> np.ndarray: ...
def _rwg_j_from_mean_variance(mean_var: Numbers, n_items: int, null: float) -> Numbers:
    s = np.minimum(mean_var, null) / null
    num = n_items * (1.0 - s)
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / (num + s)


def rwg_j(items: pd.DataFrame, *, scale_points: int, listwise: bool = False) -> float:
    """James, Demaree & Wolf's (1984) multi-item agreement rwg(j) for one group.

    Parameters
    ----------
    items : pandas.DataFrame
        The group members (rows) × the scale's J items; NaN is missing.
    scale_points : int
        Number of response options A; σ²_EU = (A² − 1)/12.
    listwise : bool
        False (default): each item's variance from the answers that item has (pairwise).
        True: only members who answered every item (listwise deletion, the behaviour of
        R ``multilevel`` before 2.8, which its manual calls "not recommended").

    Returns
    -------
    float
        J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), where s̄² is the mean of the J item
        variances capped at σ²_EU, so 0 ≤ rwg(j) ≤ 1. NaN for fewer than 2 rows, or when an
        item has fewer than 2 answers (its variance is undefined).

    Notes
    -----
    Matches R ``multilevel::rwg.j(x, grpid, ranvar = (A^2 - 1)/12)`` of version 2.8 for
    one group, whose default is pairwise (``listwise = FALSE``); ``listwise=True`` matches
    ``listwise = TRUE`` (and versions before 2.8).
    """
    null = null_variance(scale_points)
    data = _listwise(items) if listwise else _numeric_frame(items).to_numpy()
    if data.shape[0] < 2 or data.shape[1] < 1:
        return float("nan")
    answered = (~np.isnan(data)).sum(axis=0)
    if np.any(answered < 2):
        return float("nan")
    mean_var = float(np.mean(np.nanvar(data, axis=0, ddof=1)))
    return float(_rwg_j_from_mean_variance(mean_var, data.shape[1], null))


def oneway_anova(values: Values, groups: Groups) -> tuple[float, float, int, int]:
    """Between and within mean squares and their degrees of freedom of a one-way ANOVA.

    Rows with a missing value or group are dropped (as R ``aov`` does with ``na.omit``).
    Returns (MSB, MSW, df_between, df_within); mean squares are NaN where df is 0.
    """
    import pandas as pd

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
    # A sum of squares that is zero in exact arithmetic (equal group means, or no variance
    # within groups) comes out as rounding noise of the order (eps · |x|)² per value, e.g.
    # after shifting the data by 9.95; noise must not decide between "undefined" and an
    # ICC of 1.0, so anything below that level is zero.
    noise = 64.0 * n * (np.finfo(float).eps * float(np.max(np.abs(x)))) ** 2
    ssb = 0.0 if ssb <= noise else ssb
    ssw = 0.0 if ssw <= noise else ssw
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


def icc1(values: Values, groups: Groups) -> float:
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


def icc2(values: Values, groups: Groups) -> float:
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


def bounded_mean_ci(
    mean: Numbers,
    sd: Numbers,
    n: Numbers,
    low: Numbers,
    high: Numbers,
    *,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval of a mean on a bounded scale, inside the scale's bounds.

    The mean is mapped to (0, 1) by p = (mean − low) / (high − low), the t interval is
    built on the logit of p with the delta-method standard error
    se / ((high − low) · p · (1 − p)), and mapped back. The interval is therefore always
    inside (low, high), asymmetric near an end of the scale (where answers can only move
    one way), and close to the t interval mean ∓ t · sd / √n in the middle of the scale.
    Works element-wise on arrays; NaN for n < 2; (mean, mean) without spread.

    Parameters
    ----------
    mean, sd, n : float or numpy.ndarray
        Sample mean, sample standard deviation (n − 1) and size.
    low, high : float or numpy.ndarray
        The scale's bounds (1 and the number of points).
    confidence : float
        Two-sided confidence level.
    """
    mean, sd, n = (np.asarray(v, dtype=float) for v in (mean, sd, n))
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        t = sc.stdtrit(np.maximum(n - 1, 1), 0.5 + confidence / 2)
        p = (mean - low) / width
        inside = (p > 0) & (p < 1) & (sd > 0)
        q = np.where(inside, p, 0.5)
        centre = np.log(q / (1 - q))
        half = t * sd / np.sqrt(n) / (width * q * (1 - q))
        lo = low + width / (1 + np.exp(-(centre - half)))
        hi = low + width / (1 + np.exp(-(centre + half)))
    lo = np.where(inside, lo, mean)
    hi = np.where(inside, hi, mean)
    small = n < 2
    return np.where(small, np.nan, lo), np.where(small, np.nan, hi)


def mean_ci95(values: Values, *, bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """Two-sided 95% confidence interval of the mean.

    Parameters
    ----------
    values : array-like
        NaN is ignored.
    bounds : tuple of float, optional
        The scale's (low, high) ends, e.g. (1, 5): the interval is then the
        logit-transformed one of :func:`bounded_mean_ci`, never past an end of the scale.
        Without bounds, Student's t interval.

    Returns
    -------
    tuple of float
        (lower, upper); (NaN, NaN) for fewer than 2 values.

    Notes
    -----
    Without ``bounds``: mean ∓ t(0.975, n − 1) · sd / √n, as R ``t.test(values)$conf.int``.
    """
    x = _vector(values)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 2:
        return float("nan"), float("nan")
    m = float(x.mean())
    if bounds is not None:
        lo, hi = bounded_mean_ci(m, float(x.std(ddof=1)), n, bounds[0], bounds[1])
        return float(lo), float(hi)
    half = float(sc.stdtrit(n - 1, 0.975) * x.std(ddof=1) / np.sqrt(n))
    return m - half, m + half
