"""rwg(j) references as R multilevel 2.8 computes them, on bhr2000 data with answers removed.

R is not installable on our machines. multilevel 2.8 (Bliese, March 2026) changed
``rwg.j(x, grpid, ranvar = 2, listwise = FALSE)`` to pairwise deletion by default: each
item's variance uses the answers that item has (``var(na.rm = TRUE)``), and ``gsize`` is
the number of rows of the group. Its source is::

    S <- mean(apply(Q, 2, var, na.rm = TRUE))
    if (S > ranvar) S <- ranvar
    out <- (J * (1 - (S/ranvar))) / ((J * (1 - (S/ranvar))) + (S/ranvar))

(``listwise = TRUE`` first applies ``na.exclude`` to the data, the behaviour before 2.8).
An item with fewer than two answers in a group has variance NA, and R then stops with
"missing value where TRUE/FALSE needed"; the references record such a group as None.
Below is that formula again, in plain Python (statistics module, no numpy), written from
the documented formula above and never importing culturescope.

The data: ``bhr2000`` from the multilevel 2.8 package (data/bhr2000.rda, GPL ≥ 2; Bliese,
Halverson & Rothberg 2000: 5,400 soldiers in 99 companies, 11 leadership-climate items
AF06 … AS28 on a 5-point scale). ``bhr2000_missing.csv`` holds its first 12 companies with
answers removed by a fixed seed (about 10% at random, one company's item AP12 kept for
only one member, one company cut to 6 members of whom 2 answered everything). It was
extracted once with the ``rdata`` package (``python -m pip install rdata``)::

    python tests/reference/make_rwg_references.py --from-rda bhr2000.rda

and the references are recomputed from the CSV with::

    python tests/reference/make_rwg_references.py
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).parent
ITEMS = ["AF06", "AF07", "AP12", "AP17", "AP33", "AP34", "AS14", "AS15", "AS16", "AS17", "AS28"]
CSV = HERE / "bhr2000_missing.csv"


def extract(rda: str) -> None:
    import rdata  # only for the one-time extraction

    frame = rdata.read_rda(rda)["bhr2000"]
    frame = frame[frame["GRP"] <= 12]
    rng = random.Random(20261201)
    rows = []
    for grp, members in frame.groupby("GRP"):
        members = members[ITEMS].astype(int).values.tolist()
        if grp == 7:  # a small group: 6 members, 2 of them complete
            members = members[:6]
            for person in members[2:]:
                for j in rng.sample(range(len(ITEMS)), 3):
                    person[j] = None
        for person in members:
            for j in range(len(ITEMS)):
                if grp != 7 and rng.random() < 0.10:
                    person[j] = None
        if grp == 11:  # AP12 answered by one member only: rwg(j) undefined
            for person in members[1:]:
                person[ITEMS.index("AP12")] = None
        rows += [[int(grp), *person] for person in members]
    with CSV.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["GRP", *ITEMS])
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def read() -> list[list]:
    with CSV.open(newline="") as f:
        return [
            [int(r["GRP"]), *(float(r[i]) if r[i] else None for i in ITEMS)]
            for r in csv.DictReader(f)
        ]


def rwg_j_28(group: list[list], ranvar: float, *, listwise: bool = False):
    """multilevel 2.8 ``rwg.j`` for one group (rows of item answers, None missing)."""
    if listwise:
        group = [r for r in group if all(v is not None for v in r)]
    if len(group) <= 1:
        return None
    j = len(group[0])
    variances = []
    for c in range(j):
        answers = [r[c] for r in group if r[c] is not None]
        if len(answers) < 2:
            return None  # var() is NA: R stops here
        variances.append(statistics.variance(answers))
    s = min(statistics.mean(variances), ranvar)
    return (j * (1 - s / ranvar)) / (j * (1 - s / ranvar) + s / ranvar)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--from-rda":
        extract(sys.argv[2])
    rows = read()
    groups: dict[int, list] = {}
    for grp, *answers in rows:
        groups.setdefault(grp, []).append(answers)
    out = {
        "pairwise": {str(g): rwg_j_28(m, 2.0) for g, m in sorted(groups.items())},
        "listwise": {str(g): rwg_j_28(m, 2.0, listwise=True) for g, m in sorted(groups.items())},
        "gsize": {str(g): len(m) for g, m in sorted(groups.items())},
        "answered_any": {
            str(g): sum(any(v is not None for v in r) for r in m) for g, m in sorted(groups.items())
        },
        "complete": {
            str(g): sum(all(v is not None for v in r) for r in m) for g, m in sorted(groups.items())
        },
    }
    (HERE / "rwg_j_references.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["pairwise"], indent=2))


if __name__ == "__main__":
    main()
