"""The linked-table audit: every published figure of a campaign, protected together.

Protecting each breakdown on its own is not enough. Team and site, or team and role,
share respondents, so their totals can be subtracted from each other: a site minus a shown
team can be exactly a hidden team. This module treats all the figures the app can publish
for a campaign as one family — the overall result, every single breakdown (team, role,
site, tenure, ...), every pair of them, and the deeper nesting levels by which the
Responses page labels single responses (team × role × site, ...) — and hides figures until
no combination of the shown ones determines the total of fewer than the minimum number of
people.

The model
---------
* **Finest cells**: every combination of all the campaign's demographics, "not stated"
  included as a value of its own (those people are in the overall figure and in the
  breakdowns where they did state a value).
* **Layers**: each kind of figure counts different people. A group's head count counts
  responses; its dimension score counts the people with a score on that dimension (N/A
  and "too few items answered" do not count); an item counts the people who answered it.
  The audit runs per layer, with each cell's count of people in that layer.
* **Figures**: a shown group publishes, per layer, a sum (and count) over a union of
  cells: a 0/1 row over the cells. Everything an attacker can compute is a linear
  combination of the shown rows; the total of a set S of cells is learned exactly when
  S's 0/1 vector lies in the row space.
* **Leak**: a set S with 0 < (people of the layer in S) < minimum in the row space. Every
  cell of S then holds fewer than the minimum, so only such "small" cells are searched:
  the row space restricted to vectors that are zero on the large cells is computed once
  (exactly, modulo a large prime: :mod:`.modp`), reduced to echelon form and split into
  independent blocks (rows that share no cell), and each block's 0/1 vectors with few
  people are searched exactly: meet in the middle on hashed null-space signatures, or,
  when the sets of cells are too many, every subset of the block's basis (up to
  :data:`PIVOT_SEARCH_ROWS` rows). Only a block larger than both limits is treated as if
  it leaked (more hidden, never less).

Choosing secondary suppressions
-------------------------------
Figures below the minimum are hidden first ("fewer than N ..."). While a leak remains, one
more figure is hidden per leak: among the shown figures that every derivation of the leak
needs, the one holding the fewest people of that layer (ties: a cross-tab cell before a
whole group, then by name); if every figure could be replaced by another derivation, the
smallest figure used by one derivation. The whole campaign's figure comes last: when it is
the only figure every derivation needs, the smallest group used with it is hidden instead
(and the next one if the re-audit still finds the leak), because a missing headline is the
worst loss for the reader. Then the layer is audited again, until no leak is left.
A figure hidden at the head-count layer hides the whole group everywhere; one hidden at a
dimension or item layer hides only that dimension's or item's numbers in that group.

The audit is computed once per campaign data and minimum (cached on a digest of the cell
counts), and every view, export and command output reads the same result.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from culturescope.instruments import Instrument
from culturescope.scoring.answers import person_scores_matrix, scored_matrix
from culturescope.scoring.confidentiality import modp
from culturescope.scoring.confidentiality.rules import (
    PROTECTED,
    ConfidentialityError,
    Labels,
    Visibility,
    check_min_group_size,
    factorize_column,
    label_columns,
    too_small,
)
from culturescope.storage import ResponseData

if TYPE_CHECKING:  # labels may come as a DataFrame; `score` never loads pandas
    import pandas as pd

__all__ = [
    "MAX_BREAKDOWN_DEMOGRAPHICS",
    "RESPONSES",
    "FigureKey",
    "LinkedTableAudit",
    "audit_linked_tables",
    "campaign_audit",
    "figure_key",
    "nesting_chains",
    "nesting_order",
    "too_few_answers",
    "too_few_scored",
]

#: The layer of head counts (every response counts).
RESPONSES = "responses"
#: Breakdowns of up to this many demographics are published (and protected together).
MAX_BREAKDOWN_DEMOGRAPHICS = 2
#: Enumerating sets of small cells stops after this many candidate combinations; the
#: audit then hides as if a leak had been found (more hidden, never less).
SEARCH_LIMIT = 200_000

#: A published group: its (demographic, value) pairs in the family's column order; () is
#: the whole campaign.
FigureKey = tuple[tuple[str, str], ...]

_CACHE: OrderedDict[bytes, LinkedTableAudit] = OrderedDict()
_CACHE_SIZE = 16


def figure_key(by: Sequence[str], values: Sequence[str], order: Sequence[str]) -> FigureKey:
    """The canonical key of the group ``by = values`` (pairs sorted by ``order``)."""
    rank = {d: n for n, d in enumerate(order)}
    return tuple(sorted(zip(by, values, strict=True), key=lambda kv: rank.get(kv[0], len(rank))))


@dataclass(frozen=True)
class LinkedTableAudit:
    """What may be shown of every figure of a campaign, decided for all outputs at once.

    Attributes
    ----------
    min_group_size : int
        The minimum the audit enforced.
    demographics : tuple of str
        The family's demographics (its finest cells combine all of them).
    layers : tuple of str
        ``"responses"`` then the caller's layers (e.g. ``"dimension:PS"``, ``"item:PS1"``).
    hidden : mapping
        ``(layer, figure key)`` → reason, for every hidden figure. A figure hidden at the
        ``"responses"`` layer is a hidden group: all its layers are hidden.
    sizes : mapping
        Figure key → number of responses.
    """

    min_group_size: int
    demographics: tuple[str, ...]
    layers: tuple[str, ...]
    hidden: Mapping[tuple[str, FigureKey], str]
    sizes: Mapping[FigureKey, int] = field(default_factory=dict)

    def offers(self, by: Sequence[str]) -> bool:
        """True for a breakdown the family protects (one or two of its demographics)."""
        return len(by) <= MAX_BREAKDOWN_DEMOGRAPHICS and all(b in self.demographics for b in by)

    def check_breakdown(self, by: Sequence[str]) -> None:
        """Refuse a breakdown outside the protected family, with the reason."""
        if len(by) > MAX_BREAKDOWN_DEMOGRAPHICS:
            raise ConfidentialityError(
                f"a breakdown by {len(by)} demographics ({', '.join(by)}) is not offered: "
                f"results are protected together for the whole campaign, one demographic "
                f"or a pair of them; finer cross-tabs would let small groups be worked out"
            )
        unknown = [b for b in by if b not in self.demographics]
        if unknown:
            raise ConfidentialityError(
                f"no such demographic in this campaign: {', '.join(unknown)}"
            )

    def key(self, by: Sequence[str], values: Sequence[str]) -> FigureKey:
        return figure_key(by, values, self.demographics)

    def visibility(self, key: FigureKey, layer: str = RESPONSES) -> Visibility:
        """Whether the figure ``key`` is shown at ``layer``, and why not."""
        reason = self.hidden.get((RESPONSES, key))
        if reason is None and layer != RESPONSES:
            reason = self.hidden.get((layer, key))
        return Visibility(True, reason) if reason is not None else Visibility(False, None)


@dataclass
class _Family:
    keys: list[FigureKey]
    members: np.ndarray  # (figures, cells) bool: the figure sums over these cells
    demographics: tuple[str, ...]


def audit_linked_tables(
    labels: pd.DataFrame | Labels,
    scored: np.ndarray | None = None,
    layers: Sequence[str] = (),
    *,
    min_group_size: int = 5,
    layer_reasons: Sequence[str] | None = None,
    chains: Sequence[Sequence[str]] = (),
) -> LinkedTableAudit:
    """Audit the whole family of a campaign's figures and choose what to hide.

    Parameters
    ----------
    labels : pandas.DataFrame or Labels
        One row per response, one column per demographic of the campaign (all of them, not
        only the ones asked for), None where not stated (see
        :func:`~culturescope.scoring.confidentiality.breakdown_labels`, or
        :func:`~culturescope.scoring.confidentiality.rules.label_columns`).
    scored : numpy.ndarray, optional
        (responses, layers) bool: whether each response counts in each layer (has a score
        on the dimension, answered the item).
    layers : sequence of str
        The names of the columns of ``scored``.
    min_group_size : int
        The minimum number of people behind any figure or any derivable total.
    chains : sequence of sequences of str, optional
        Further published groups, not offered as score breakdowns: each sequence of three
        or more demographics adds a group per combination of their values (the deeper
        nesting levels of the Responses page, :func:`nesting_chains`).
    layer_reasons : sequence of str, optional
        Per layer, the reason shown for a figure with too few people in it (default
        "fewer than N responses").

    Returns
    -------
    LinkedTableAudit
        Cached: the same counts and minimum give the same (identical) object.
    """
    check_min_group_size(min_group_size)
    minimum = int(min_group_size)
    n = len(labels)
    if scored is None:
        scored = np.zeros((n, 0), dtype=bool)
    if scored.shape != (n, len(layers)):
        raise ValueError("scored must have one row per response and one column per layer")
    all_layers = (RESPONSES, *layers)
    reasons = [too_small(minimum)] + list(layer_reasons or [too_small(minimum)] * len(layers))
    demographics = tuple(str(c) for c in labels.columns)
    cell_values, cell_of = _finest_cells(labels)
    counts = np.zeros((len(cell_values), len(all_layers)), dtype=np.int64)
    counts[:, 0] = np.bincount(cell_of, minlength=len(cell_values))
    for j in range(len(layers)):
        counts[:, j + 1] = np.bincount(
            cell_of, weights=scored[:, j].astype(np.float64), minlength=len(cell_values)
        ).astype(np.int64)
    digest = hashlib.blake2b(digest_size=20)
    chains = tuple(tuple(str(d) for d in chain) for chain in chains)
    digest.update(repr((minimum, demographics, all_layers, reasons, cell_values, chains)).encode())
    digest.update(counts.tobytes())
    cache_key = digest.digest()
    if cache_key in _CACHE:
        _CACHE.move_to_end(cache_key)
        return _CACHE[cache_key]

    family = _family(cell_values, demographics, chains)
    hidden: dict[tuple[str, FigureKey], str] = {}
    group_hidden: set[int] = set()
    solved: dict[bytes, tuple[list[int], list[int]]] = {}
    for j, layer in enumerate(all_layers):
        people = counts[:, j]
        figure_n = family.members.astype(np.int64) @ people
        shown = [f for f in range(len(family.keys)) if figure_n[f] > 0 and f not in group_hidden]
        primary = [f for f in shown if figure_n[f] < minimum]
        rows = [f for f in shown if figure_n[f] >= minimum]
        # Layers with the same small cells and the same shown figures have the same answer.
        problem = hashlib.blake2b(
            np.minimum(people, minimum).tobytes() + np.array(rows, dtype=np.int64).tobytes(),
            digest_size=20,
        ).digest()
        if problem not in solved:
            solved[problem] = (
                primary,
                _protect_layer(family, rows, people, figure_n, minimum),
            )
        _, extra = solved[problem]
        for f in primary:
            hidden[(layer, family.keys[f])] = reasons[j]
        for f in extra:
            hidden[(layer, family.keys[f])] = PROTECTED
        if j == 0:
            group_hidden = set(primary) | set(extra)
    sizes = dict(
        zip(family.keys, (family.members.astype(np.int64) @ counts[:, 0]).tolist(), strict=True)
    )
    result = LinkedTableAudit(minimum, demographics, all_layers, hidden, sizes)
    _CACHE[cache_key] = result
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _finest_cells(
    labels: pd.DataFrame | Labels,
) -> tuple[list[tuple[str | None, ...]], np.ndarray]:
    """Every combination of demographics present (None = not stated), and each response's."""
    n = len(labels)
    if labels.shape[1] == 0:
        return ([()] if n else []), np.zeros(n, dtype=np.int64)
    parts = []
    for column in labels.columns:
        codes, uniques = factorize_column(labels, column)
        codes = np.where(codes < 0, len(uniques), codes)
        parts.append((codes, [str(u) for u in uniques] + [None]))
    dims = tuple(len(values) for _, values in parts)
    flat = np.ravel_multi_index(tuple(codes for codes, _ in parts), dims)
    present, cell_of = np.unique(flat, return_inverse=True)
    unravelled = np.unravel_index(present, dims)
    cells = [
        tuple(parts[i][1][int(unravelled[i][c])] for i in range(len(parts)))
        for c in range(len(present))
    ]
    return cells, cell_of.astype(np.int64)


def _family(
    cells: list[tuple[str | None, ...]],
    demographics: tuple[str, ...],
    chains: Sequence[Sequence[str]] = (),
) -> _Family:
    """The overall figure, every single breakdown and every pair, and the groups of each
    longer chain of demographics, as rows over the cells."""
    keys: list[FigureKey] = [()]
    rows: list[np.ndarray] = [np.ones(len(cells), dtype=bool)]
    subsets = [
        subset
        for size in range(1, min(MAX_BREAKDOWN_DEMOGRAPHICS, len(demographics)) + 1)
        for subset in combinations(range(len(demographics)), size)
    ]
    position = {d: n for n, d in enumerate(demographics)}
    for chain in chains:
        subset = tuple(sorted(position[d] for d in chain if d in position))
        if subset not in subsets:
            subsets.append(subset)
    for subset in subsets:
        groups: dict[tuple[str, ...], list[int]] = {}
        for c, cell in enumerate(cells):
            values = tuple(cell[i] for i in subset)
            if None not in values:
                # Every value is a str here; mypy cannot narrow a tuple by `None not in`.
                groups.setdefault(values, []).append(c)  # type: ignore[arg-type]
        for values in sorted(groups):
            keys.append(tuple((demographics[i], v) for i, v in zip(subset, values, strict=True)))
            row = np.zeros(len(cells), dtype=bool)
            row[groups[values]] = True
            rows.append(row)
    members = np.array(rows, dtype=bool).reshape(len(rows), len(cells))
    return _Family(keys, members, demographics)


def _protect_layer(
    family: _Family,
    rows: list[int],
    people: np.ndarray,
    figure_n: np.ndarray,
    minimum: int,
) -> list[int]:
    """The figures to hide (beyond those below the minimum) so that no leak is left."""
    support = np.flatnonzero(people > 0)
    small = people[support] < minimum
    if not small.any() or not rows:
        return []
    large_cells, small_cells = support[~small], support[small]
    small_n = people[small_cells]
    # Figures over the same people (e.g. a team wholly at one site, and that team × site)
    # are one figure: they are audited once and hidden together.
    same: dict[bytes, list[int]] = {}
    for r in rows:
        same.setdefault(np.packbits(family.members[r, support]).tobytes(), []).append(r)
    rows = [group[0] for group in same.values()]
    twins = {group[0]: group for group in same.values()}
    extra: list[int] = []
    order = np.concatenate([large_cells, small_cells])
    n_large = len(large_cells)
    while rows:
        # One elimination of [A | I], large cells first: rows of the result that are zero
        # on the large cells span every combination that isolates small cells (W), the
        # identity part says which shown figures each such combination uses, and rows
        # that become zero on all cells are the dependencies between figures.
        # As an array: numpy's stubs for ix_ take arrays only (it converts lists itself).
        a = family.members[np.ix_(np.asarray(rows), order)].astype(np.int64)
        reduced, pivots = modp.rref(
            np.concatenate([a, np.eye(len(rows), dtype=np.int64)], axis=1), pivot_columns=a.shape[1]
        )
        in_w = [i for i, p in enumerate(pivots) if p >= n_large]
        if not in_w:
            break
        w = reduced[in_w, n_large : a.shape[1]]  # echelon basis of W over the small cells
        w_pivots = [pivots[i] - n_large for i in in_w]
        targets = _find_leaks(w, w_pivots, small_n, minimum)
        if not targets:
            break
        uses = reduced[in_w, a.shape[1] :]  # figures behind each basis row
        dependencies = reduced[len(pivots) :, a.shape[1] :]
        chosen = set(_choose(targets, w_pivots, uses, dependencies, rows, family, figure_n))
        extra += [f for i in sorted(chosen) for f in twins[rows[i]]]
        rows = [r for i, r in enumerate(rows) if i not in chosen]
    return extra


def _find_leaks(
    w: np.ndarray, w_pivots: list[int], small_n: np.ndarray, minimum: int
) -> list[np.ndarray]:
    """0/1 vectors over the small cells in the row space of ``w`` (reduced row echelon
    form, pivots ``w_pivots``) holding 0 < people < minimum: up to 64 of them, none if
    there is no such vector.

    The space splits into independent blocks: rows of ``w`` that share no cell, directly
    or through other rows, span spaces over disjoint cells, and a vector of the space is
    the sum of its parts in each block. A leak's part in a block it touches is itself a
    leak (a non-empty subset of its cells, so fewer people), so searching each block on
    its own finds a leak whenever there is one — and a block is much smaller than the
    whole space, which keeps the search exact where the whole would be too large.
    """
    found: list[np.ndarray] = []
    for rows, cols in _blocks(w):
        part = w[np.ix_(rows, cols)]
        position = {c: k for k, c in enumerate(cols)}
        part_pivots = [position[w_pivots[r]] for r in rows]
        null = modp.null_space_of_rref(part, part_pivots)
        for leak in _find_block_leaks(part, null, small_n[cols], minimum):
            vector = np.zeros(len(small_n), dtype=np.int64)
            vector[cols] = leak
            found.append(vector)
        if len(found) >= 64:
            break
    return found


def _blocks(w: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """The rows and cells of each independent block of ``w`` (rows linked by shared cells)."""
    from scipy import sparse  # not at import: the command line starts faster without it
    from scipy.sparse.csgraph import connected_components

    rows, cols = w.shape
    r, c = np.nonzero(w)
    # One graph over rows and cells (cells numbered after the rows), edges where w ≠ 0.
    graph = sparse.coo_matrix(
        (np.ones(len(r), dtype=np.int8), (r, rows + c)), shape=(rows + cols, rows + cols)
    )
    _, label = connected_components(graph, directed=False)
    row_label, cell_label = label[:rows], label[rows:]
    used = np.zeros(cols, dtype=bool)
    used[c] = True
    return [
        (np.flatnonzero(row_label == k).tolist(), np.flatnonzero((cell_label == k) & used).tolist())
        for k in np.unique(row_label)
    ]


def _find_block_leaks(
    w: np.ndarray, null: np.ndarray, small_n: np.ndarray, minimum: int
) -> list[np.ndarray]:
    """0/1 vectors in the row space of ``w`` (one block; null space ``null``) holding
    0 < people < minimum.

    A set S is in the row space exactly when it is orthogonal to the null space: with a
    null-space basis Z, each cell has a signature Z[c] and S is determined when its
    signatures sum to zero. Every cell of a leak holds at least one person, so a leak has
    at most minimum − 1 cells; it splits into two halves of at most ⌈(minimum − 1)/2⌉
    cells each, and the search meets in the middle: every half within the budget of
    people is hashed (a random linear projection of its signature sum, so sums of halves
    are sums of hashes), halves whose hashes cancel are paired, and each candidate is
    confirmed on the full signature. Past :data:`SEARCH_LIMIT` halves,
    :func:`_leaks_by_pivots` tries every subset of the basis instead.
    """
    budget = minimum - 1
    cells = np.flatnonzero(small_n <= budget)
    if cells.size == 0:
        return []
    if w.shape[0] <= SMALL_BLOCK_ROWS:
        return _leaks_by_pivots(w, small_n, minimum)  # exact, and cheaper than hashing
    rng = np.random.default_rng(20261201)
    projection = rng.integers(1, modp.PRIME, size=(null.shape[1], 2), dtype=np.int64)
    cell_hash = (
        modp.matmul(null, projection)
        if null.shape[1]
        else np.zeros((len(small_n), 2), dtype=np.int64)
    )
    halves = _halves(cells, small_n, budget, (budget + 1) // 2)
    if halves is None:
        return _leaks_by_pivots(w, small_n, minimum)
    members, people = halves
    hashes = np.zeros((len(members), 2), dtype=np.int64)
    for j in range(members.shape[1]):
        valid = members[:, j] >= 0
        hashes[valid] = (hashes[valid] + cell_hash[members[valid, j]]) % modp.PRIME
    found: list[np.ndarray] = []
    seen: set[tuple[int, ...]] = set()

    def confirm(cells_of_s: list[int]) -> None:
        key = tuple(sorted(set(cells_of_s)))
        if key in seen or len(key) != len(cells_of_s):
            return
        seen.add(key)
        total = int(small_n[list(key)].sum())
        if not 0 < total < minimum:
            return
        if null.shape[1] and np.any(null[list(key)].sum(axis=0) % modp.PRIME):
            return  # the hashes collided; the signatures do not cancel
        vector = np.zeros(len(small_n), dtype=np.int64)
        vector[list(key)] = 1
        found.append(vector)

    # One half is the whole leak: its hash is zero.
    for h in np.flatnonzero(~hashes.any(axis=1)):
        confirm([int(c) for c in members[h] if c >= 0])
    # Two halves whose hashes cancel.
    code = hashes[:, 0]  # the first lane to match, the second to confirm
    negative = (-hashes) % modp.PRIME
    order = np.argsort(code, kind="stable")
    sorted_code = code[order]
    lo = np.searchsorted(sorted_code, negative[:, 0], side="left")
    hi = np.searchsorted(sorted_code, negative[:, 0], side="right")
    for a in np.flatnonzero(hi > lo):
        for b in order[lo[a] : hi[a]]:
            if b <= a or people[a] + people[b] > budget:
                continue
            if hashes[b, 1] != negative[a, 1]:
                continue
            confirm([int(c) for c in (*members[a], *members[b]) if c >= 0])
            if len(found) >= 64:
                return found  # enough for one round of hiding
    return found


#: Blocks of up to this many basis vectors are searched by trying every subset of the basis
#: at once (at most 4,096 sums), which is cheaper for them than meeting in the middle.
SMALL_BLOCK_ROWS = 12

#: Up to this many basis vectors (of one block), every 0/1 vector of the space is found by
#: trying all subsets of the basis (a 0/1 vector is the sum of the basis rows at its pivot
#: cells): about a million sums at most, a second or two.
PIVOT_SEARCH_ROWS = 20


def _leaks_by_pivots(w: np.ndarray, small_n: np.ndarray, minimum: int) -> list[np.ndarray]:
    """The exact search when the halves are too many but the space is small; past
    :data:`PIVOT_SEARCH_ROWS` basis vectors a basis row is returned as if it leaked (safe
    side: more is hidden, never less)."""
    rows = w.shape[0]
    if rows > PIVOT_SEARCH_ROWS:
        return [w[0]]
    found: list[np.ndarray] = []
    for start in range(1, 2**rows, 4096):
        chosen = np.arange(start, min(start + 4096, 2**rows))
        masks = (chosen[:, None] >> np.arange(rows)[None, :]) & 1  # which basis rows
        block = modp.matmul(masks, w)  # their sums
        binary = np.all((block == 0) | (block == 1), axis=1)
        people = block[binary] @ small_n
        for vector in block[binary][(people > 0) & (people < minimum)]:
            found.append(vector.copy())
            if len(found) >= 64:
                return found
    return found


def _halves(
    cells: np.ndarray, small_n: np.ndarray, budget: int, size: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Every set of 1..``size`` of ``cells`` holding at most ``budget`` people, as rows of
    cell indices (−1 padded) and their people; None past :data:`SEARCH_LIMIT`."""
    level = [cells.reshape(-1, 1)]
    level_n = [small_n[cells]]
    for _ in range(1, size):
        prev, prev_n = level[-1], level_n[-1]
        last = prev[:, -1]
        # Extend each set by a later cell that keeps it within the budget.
        pos = np.searchsorted(cells, last, side="right")
        counts = len(cells) - pos
        total = int(counts.sum())
        if total > SEARCH_LIMIT:
            return None
        owner = np.repeat(np.arange(len(prev)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        added = cells[pos[owner] + offsets]
        n = prev_n[owner] + small_n[added]
        keep = n <= budget
        level.append(np.concatenate([prev[owner[keep]], added[keep, None]], axis=1))
        level_n.append(n[keep])
        if sum(len(x) for x in level) > SEARCH_LIMIT:
            return None
    width = size
    members = np.concatenate(
        [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-1) for x in level]
    )
    return members, np.concatenate(level_n)


def _choose(
    targets: list[np.ndarray],
    w_pivots: list[int],
    uses: np.ndarray,
    dependencies: np.ndarray,
    rows: list[int],
    family: _Family,
    figure_n: np.ndarray,
) -> list[int]:
    """One row (index into ``rows``) to hide per leak, smallest loss first.

    A leak's vector is the sum of the echelon rows at its pivots (its entries there), so
    the figures it uses are the same sum of those rows' identity parts. A figure that no
    dependency between figures involves cannot be replaced: hiding it breaks the leak.
    """
    chosen: list[int] = []

    def cost(i: int) -> tuple[bool, int, int, FigureKey]:
        key = family.keys[rows[i]]
        # The whole campaign's figure is the last resort: hiding it loses the most.
        return key == (), int(figure_n[rows[i]]), -len(key), key

    def overall(i: int) -> bool:
        return family.keys[rows[i]] == ()

    replaceable = dependencies.any(axis=0) if dependencies.size else np.zeros(len(rows), bool)
    for target in targets:
        coefficients = target[w_pivots].reshape(1, -1)
        used = modp.matmul(coefficients, uses)[0] != 0
        needed = set(np.flatnonzero(used & ~replaceable).tolist())
        if needed & set(chosen):
            continue  # already broken by a figure hidden for an earlier leak
        # A figure every derivation needs breaks the leak at once; when only the whole
        # campaign's figure is needed, a group it is derived with is hidden instead (the
        # re-audit hides the next one if another derivation remains).
        pool = (
            [i for i in sorted(needed) if not overall(i)]
            or [i for i in np.flatnonzero(used).tolist() if not overall(i)]
            or sorted(needed)
            or np.flatnonzero(used).tolist()
        )
        if pool:
            chosen.append(min(pool, key=cost))
    if not chosen:  # never loop without hiding something
        chosen.append(min(range(len(rows)), key=cost))
    return sorted(set(chosen))


def too_few_scored(minimum: int) -> str:
    """Why a dimension's numbers are hidden: too few people have a score on it."""
    return f"fewer than {minimum} people with a score"


def too_few_answers(minimum: int) -> str:
    """Why an item's numbers are hidden: too few answered it (N/A does not count)."""
    return f"fewer than {minimum} answers"


def campaign_audit(
    data: ResponseData,
    persons: np.ndarray | None = None,
    answered: np.ndarray | None = None,
    min_group_size: int = 5,
) -> LinkedTableAudit:
    """The linked-table audit of a campaign's responses (cached on the data's counts).

    Every demographic the instrument asks is part of the family, and so are the deeper
    nesting levels of the Responses page (:func:`nesting_chains`); the layers are the
    responses, each dimension (people with a score) and each item (people who answered,
    N/A excluded). ``persons`` and ``answered`` are computed when not given.
    """
    inst = data.instrument
    if persons is None or answered is None:
        scored, is_na = scored_matrix(inst, data)
        persons = person_scores_matrix(inst, scored)
        answered = ~np.isnan(scored) & ~is_na
    labels = label_columns(data, [d.id for d in inst.demographics])
    layers = [f"dimension:{d.id}" for d in inst.dimensions] + [f"item:{i.id}" for i in inst.items]
    reasons = [too_few_scored(min_group_size)] * len(inst.dimensions) + [
        too_few_answers(min_group_size)
    ] * len(inst.items)
    return audit_linked_tables(
        labels,
        np.concatenate([~np.isnan(persons), answered], axis=1),
        layers,
        min_group_size=min_group_size,
        layer_reasons=reasons,
        chains=nesting_chains(inst),
    )


def nesting_order(inst: Instrument) -> list[str]:
    """The demographics as a list of single responses nests them: the team first, then
    the instrument's order."""
    return [d.id for d in sorted(inst.demographics, key=lambda d: d.id != "team")]


def nesting_chains(inst: Instrument) -> list[tuple[str, ...]]:
    """The nesting levels deeper than a pair (team × role × site, ...): a list of single
    responses labels its rows with them, so they are published groups too."""
    order = nesting_order(inst)
    return [tuple(order[:k]) for k in range(MAX_BREAKDOWN_DEMOGRAPHICS + 1, len(order) + 1)]
