"""May a dimension's scores be read as a group climate? The aggregation verdict.

Three published criteria, each reported with its meaning (Bliese 2000; LeBreton & Senter
2008):

* **within-group agreement** — mean rwg(j) of the visible groups at least .70
  (:data:`RWG_J_MINIMUM`), reported with how many groups and people it rests on;
* **non-independence** — ICC(1), the share of the individual variance that lies between
  groups, with the one-way ANOVA F test of whether it is above zero (p < .05,
  :data:`F_TEST_ALPHA`). There is no "near zero" cut-off: Bliese (2000) reports values of
  .05–.20 as typical, and a small ICC(1) with a significant F test is real group-level
  variance (e.g. .043 with p = 2e-41 in Bliese & Halverson's 1996 data);
* **reliability of the group means** — ICC(2) at least .70 (:data:`ICC2_MINIMUM`); below
  it groups may still share a climate, but their means cannot be told apart reliably.

Aggregation is justified when members agree and groups differ (the first two); the third
is reported separately (``group_means_reliable``). ICC(2) is negative when groups differ
less than chance would make them: that is shown as "no difference between groups", not as
a number nobody can interpret.
"""

from __future__ import annotations

import math

import numpy as np

from culturescope.instruments import Instrument
from culturescope.scoring.results import Agreement
from culturescope.scoring.statistics import _anova_from_codes, icc_from_mean_squares
from culturescope.special_functions import fdtrc

__all__ = ["F_TEST_ALPHA", "ICC2_MINIMUM", "RWG_J_MINIMUM", "agreement", "verdict"]

#: Members agree: mean rwg(j) of the visible groups at least .70 (James et al. 1984;
#: LeBreton & Senter 2008).
RWG_J_MINIMUM = 0.70
#: Groups differ: the one-way ANOVA F test of ICC(1) significant at .05 (Bliese 2000).
F_TEST_ALPHA = 0.05
#: Group means reliable: ICC(2) at least .70 (Bliese 2000; LeBreton & Senter 2008).
ICC2_MINIMUM = 0.70

NO_DIFFERENCE = "no difference between groups"


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def agreement(
    inst: Instrument,
    persons: np.ndarray,
    codes: np.ndarray,
    visible: np.ndarray,
    rwgj: np.ndarray,
    rwgj_n: np.ndarray,
) -> tuple[Agreement, ...]:
    """The aggregation verdict of every dimension over the visible groups.

    ``persons``: person × dimension scores; ``codes``: each person's group; ``visible``:
    per group, whether it is shown; ``rwgj`` and ``rwgj_n``: group × dimension rwg(j)
    and the n behind it.
    """
    # ICC(1)/ICC(2) use the visible groups only. A pooled ICC over all groups looks
    # harmless, but ICC(1) and ICC(2) together give MSW/MSB and hence the mean group size
    # N/k that multilevel::ICC1 uses, so they reveal how many people the hidden groups
    # hold. Computed over visible groups, they follow from numbers already shown.
    in_visible = visible[codes] if codes.size else np.zeros(0, dtype=bool)
    out = []
    for d, dim in enumerate(inst.dimensions):
        ok = in_visible & ~np.isnan(persons[:, d])
        groups, n_present = _dense(codes[ok])
        msb, msw, dfb, dfw = _anova_from_codes(persons[ok, d], groups.astype(np.int64))
        i1, i2 = icc_from_mean_squares(msb, msw, dfb, dfw)
        has = visible & ~np.isnan(rwgj[:, d])
        mean_rwg = float(rwgj[has, d].mean()) if has.any() else None
        f, p = f_test(msb, msw, dfb, dfw)
        justified, reliable, reason = verdict(
            icc1=i1,
            icc2=i2,
            f_p_value=p,
            msb=msb,
            mean_rwg_j=mean_rwg,
            rwg_groups=int(has.sum()),
            rwg_n=int(rwgj_n[has, d].sum()),
            n_groups=n_present,
        )
        out.append(
            Agreement(
                dimension=dim.id,
                icc1=_finite(i1),
                icc2=_finite(i2),
                mean_rwg_j=mean_rwg,
                aggregation_justified=justified,
                reason=reason,
                rwg_j_groups=int(has.sum()),
                rwg_j_n=int(rwgj_n[has, d].sum()),
                f_statistic=_finite(f),
                f_df=(int(dfb), int(dfw)),
                f_p_value=_finite(p),
                group_means_reliable=reliable,
            )
        )
    return tuple(out)


def _dense(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """``np.unique(codes, return_inverse=True)``'s inverse and the number of distinct
    codes, for small non-negative group codes: counted, not sorted."""
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64), 0
    present = np.bincount(codes) > 0
    rank = np.cumsum(present) - 1
    return rank[codes].astype(np.int64), int(present.sum())


def f_test(msb: float, msw: float, dfb: int, dfw: int) -> tuple[float, float]:
    """F = MSB / MSW of the one-way ANOVA and its p-value (NaN where undefined)."""
    if dfb < 1 or dfw < 1 or not (math.isfinite(msb) and math.isfinite(msw)):
        return float("nan"), float("nan")
    if msw == 0:
        # No variance within groups: if the means differ, the groups are perfectly apart.
        return (float("inf"), 0.0) if msb > 0 else (float("nan"), float("nan"))
    f = msb / msw
    return f, float(fdtrc(dfb, dfw, f))


def verdict(
    *,
    icc1: float,
    icc2: float,
    f_p_value: float,
    msb: float,
    mean_rwg_j: float | None,
    rwg_groups: int,
    rwg_n: int,
    n_groups: int,
) -> tuple[bool | None, bool | None, str]:
    """(aggregation justified, group means reliable, the reasons in words).

    None where a criterion cannot be judged (fewer than two groups with scores, or no
    group with an rwg(j)).
    """
    if n_groups < 2:
        return None, None, "fewer than 2 groups with scores: agreement cannot be judged"
    if mean_rwg_j is None:
        return None, None, "no group has enough answers for rwg(j): agreement cannot be judged"
    no_difference = math.isfinite(msb) and msb <= 0
    if not math.isfinite(icc1) and not no_difference:
        return None, None, "too few answers within the groups to judge agreement"
    parts = []
    agree = mean_rwg_j >= RWG_J_MINIMUM
    on = f"{rwg_groups} group{'s' * (rwg_groups != 1)}, {rwg_n} people"
    parts.append(
        f"members {'agree' if agree else 'do not agree enough'} (mean rwg(j) "
        f"{mean_rwg_j:.2f} over {on}; {RWG_J_MINIMUM:.2f} or more is agreement)"
    )
    if no_difference or icc1 < 0:
        differ = False
        parts.append(f"{NO_DIFFERENCE} (the group means differ no more than chance)")
    else:
        differ = math.isfinite(f_p_value) and f_p_value < F_TEST_ALPHA
        p_text = "p < 0.001" if f_p_value < 0.001 else f"p = {f_p_value:.3f}"
        parts.append(
            f"groups {'differ' if differ else 'do not differ beyond chance'}: "
            f"ICC(1) {icc1:.3f} — {icc1 * 100:.1f}% of the differences between people lie "
            f"between groups (F test {p_text})"
        )
    if math.isfinite(icc2) and icc2 >= 0 and differ:
        reliable = icc2 >= ICC2_MINIMUM
        parts.append(
            f"group means are {'reliable' if reliable else 'not reliable enough to rank groups'}"
            f" (ICC(2) {icc2:.2f}; {ICC2_MINIMUM:.2f} or more is reliable)"
        )
    else:
        reliable = False
    return agree and differ, reliable, "; ".join(parts)


def icc2_text(icc2: float | None) -> str:
    """ICC(2) for people: the number, or "no difference between groups" when negative."""
    if icc2 is None:
        return "–"
    return NO_DIFFERENCE if icc2 < 0 else f"{icc2:.2f}"
