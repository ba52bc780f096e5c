"""Produce tests/reference/reference_values.json from independent implementations.

R is not installable on our machines, so the references are (see README.md here):

* pingouin 0.7.0 (``cronbach_alpha``, ``intraclass_corr``), whose documented values were
  checked by its authors against R ``psych::alpha`` / ``psych::ICC``, on pingouin's own
  data sets (copied here as ``pingouin_*.csv``);
* statsmodels 0.15 (``anova_lm`` for one-way ANOVA mean squares on unbalanced groups,
  ``Factor(method="ml")`` for the one-factor maximum-likelihood model behind omega);
* a line-by-line transliteration, in plain Python without numpy, of the R ``multilevel``
  2.7 functions ``rwg``, ``rwg.j``, ``ICC1``, ``ICC2``, ``cronbach`` and ``item.total``.

It never imports culturescope. Run it from outside the project's virtualenv::

    python -m venv /tmp/refenv && /tmp/refenv/bin/pip install pingouin statsmodels
    /tmp/refenv/bin/python tests/reference/make_reference_values.py
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import statsmodels.formula.api as smf
from statsmodels.multivariate.factor import Factor
from statsmodels.stats.anova import anova_lm

HERE = Path(__file__).parent


def fixed_data() -> None:
    """The deterministic data sets used below (written once, kept in the repository)."""
    rng = np.random.default_rng(20261125)
    # Agreement: 6 teams of unequal size, 4 items on a 5-point scale, a few blanks.
    rows = []
    for team, (size, centre, spread) in enumerate(
        [(4, 4.2, 0.5), (7, 3.1, 0.9), (5, 2.2, 1.4), (9, 3.8, 0.7), (3, 4.8, 0.3), (6, 2.9, 2.0)]
    ):
        for _ in range(size):
            person = rng.normal(centre, spread)
            answers = [int(np.clip(round(person + rng.normal(0, 0.6)), 1, 5)) for _ in range(4)]
            rows.append({"team": f"T{team + 1}", **{f"I{j + 1}": a for j, a in enumerate(answers)}})
    df = pd.DataFrame(rows)
    df.loc[[2, 11, 20], "I3"] = np.nan
    df.to_csv(HERE / "agreement_teams.csv", index=False)
    # Omega: 300 people, 5 congeneric items (different loadings) on a 7-point scale.
    f = rng.normal(size=300)
    loads = [0.8, 0.7, 0.6, 0.5, 0.4]
    items = {
        f"X{j + 1}": np.clip(
            np.round(4 + 1.2 * (lam * f + rng.normal(0, math.sqrt(1 - lam**2), 300))), 1, 7
        )
        for j, lam in enumerate(loads)
    }
    pd.DataFrame(items).astype(int).to_csv(HERE / "omega_items.csv", index=False)


# --- R multilevel 2.7, transliterated (x is a list of rows, NA = None) ----------------------


def r_var(x):
    return statistics.variance(x)


def r_na_exclude(rows):
    return [r for r in rows if all(v is not None for v in r)]


def r_rwg(x, ranvar):
    x = [v for v in x if v is not None]
    if len(x) <= 1:
        return None
    v = min(r_var(x), ranvar)
    return 1 - v / ranvar


def r_rwg_j(rows, ranvar):
    rows = r_na_exclude(rows)
    if len(rows) <= 1:
        return None
    j = len(rows[0])
    s = statistics.mean(r_var([r[c] for r in rows]) for c in range(j))
    s = min(s, ranvar)
    return (j * (1 - s / ranvar)) / (j * (1 - s / ranvar) + s / ranvar)


def r_cronbach(rows):
    rows = r_na_exclude(rows)
    n = len(rows[0])
    totvar = r_var([sum(r) for r in rows])
    sumvar = sum(r_var([r[c] for r in rows]) for c in range(n))
    return (n / (n - 1)) * (1 - sumvar / totvar)


def r_item_total(rows):
    rows = r_na_exclude(rows)
    n = len(rows[0])
    out = []
    for i in range(n):
        item = [r[i] for r in rows]
        rest = [statistics.mean(v for c, v in enumerate(r) if c != i) for r in rows]
        dropped = [[v for c, v in enumerate(r) if c != i] for r in rows]
        out.append((statistics.correlation(item, rest), r_cronbach(dropped)))
    return out


def main() -> None:
    if not (HERE / "agreement_teams.csv").exists():
        fixed_data()
    out: dict = {}

    # Cronbach's alpha: pingouin docstring values are R psych::alpha(use = "complete.obs").
    wide = pd.read_csv(HERE / "pingouin_cronbach_wide_missing.csv")
    out["alpha_wide_missing_listwise"] = pg.cronbach_alpha(data=wide, nan_policy="listwise")[0]
    long = pd.read_csv(HERE / "pingouin_cronbach_alpha_long.csv")
    out["alpha_long"] = pg.cronbach_alpha(
        data=long, items="Items", scores="Scores", subject="Subj"
    )[0]

    # ICC: psych::ICC ICC1 / ICC1k equal multilevel ICC1 / ICC2 with wines as groups
    # (balanced one-way design).
    wine = pd.read_csv(HERE / "pingouin_icc_wine.csv")
    icc = pg.intraclass_corr(data=wine, targets="Wine", raters="Judge", ratings="Scores")
    icc = icc.set_index("Type")["ICC"]
    out["icc_wine_icc1"] = float(icc["ICC(1,1)"])
    out["icc_wine_icc2"] = float(icc["ICC(1,k)"])

    # Unbalanced groups: one-way ANOVA from statsmodels, then the multilevel formulas.
    teams = pd.read_csv(HERE / "agreement_teams.csv")
    teams["score"] = teams[["I1", "I2", "I3", "I4"]].mean(axis=1, skipna=True)
    table = anova_lm(smf.ols("score ~ C(team)", data=teams).fit())
    msb, msw = table["mean_sq"].iloc[0], table["mean_sq"].iloc[1]
    dfb, dfw = table["df"].iloc[0], table["df"].iloc[1]
    gsize = (dfw + (dfb + 1)) / (dfb + 1)
    out["teams_icc1"] = (msb - msw) / (msb + (gsize - 1) * msw)
    out["teams_icc2"] = (msb - msw) / msb

    # rwg / rwg.j per team (multilevel transliteration, ranvar = (5^2 - 1)/12 = 2).
    rows = [
        [None if pd.isna(v) else float(v) for v in r]
        for r in teams[["I1", "I2", "I3", "I4"]].itertuples(index=False)
    ]
    out["teams_rwg_I1"] = {}
    out["teams_rwg_j"] = {}
    for team in sorted(teams["team"].unique()):
        members = [r for r, t in zip(rows, teams["team"], strict=True) if t == team]
        out["teams_rwg_I1"][team] = r_rwg([m[0] for m in members], 2.0)
        out["teams_rwg_j"][team] = r_rwg_j(members, 2.0)
    out["teams_alpha"] = r_cronbach(rows)
    out["teams_item_total"] = r_item_total(rows)

    # Omega: one-factor ML loadings from statsmodels on the correlation matrix, rescaled to
    # the covariance metric; omega = (sum l)^2 / ((sum l)^2 + sum theta).
    items = pd.read_csv(HERE / "omega_items.csv").astype(float)
    res = Factor(items.to_numpy(), n_factor=1, method="ml").fit()
    lam = np.asarray(res.loadings)[:, 0]
    lam = lam if lam.sum() > 0 else -lam
    sd = items.std(ddof=1).to_numpy()
    lam_raw = lam * sd
    theta = np.asarray(res.uniqueness) * sd**2
    out["omega_items"] = float(lam_raw.sum() ** 2 / (lam_raw.sum() ** 2 + theta.sum()))
    out["omega_loadings"] = [float(v) for v in lam]

    (HERE / "reference_values.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
