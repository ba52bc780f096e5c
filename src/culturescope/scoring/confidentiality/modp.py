"""Exact linear algebra over the integers modulo a large prime, for the disclosure audit.

The published figures are 0/1 rows over the finest cells, so "is this set of cells
determined?" is a question of exact rank. Floating-point rank needs a tolerance and can
be wrong near it; arithmetic modulo the prime :data:`PRIME` is exact and fast with int64
arrays. A rational dependency survives modulo the prime unless the prime divides one of
its denominators (minors of a 0/1 matrix), which for a prime near 2³¹ does not happen at
our sizes; an extra dependency modulo the prime would only hide more, never less.
"""

from __future__ import annotations

import numpy as np

#: The Mersenne prime 2³¹ − 1: products of two residues fit in int64.
PRIME = 2_147_483_647


def rref(matrix: np.ndarray, *, pivot_columns: int | None = None) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form modulo :data:`PRIME`.

    Returns the non-zero rows (each with a leading 1 and zeros above and below it) and
    the column of each row's leading 1. With ``pivot_columns``, pivots are taken only in
    the first that many columns (the rest is carried along, e.g. an identity block that
    records the row operations) and all rows are returned, the pivot rows first.
    """
    a = np.array(matrix, dtype=np.int64) % PRIME
    rows, cols = a.shape
    pivots: list[int] = []
    r = 0
    for c in range(cols if pivot_columns is None else pivot_columns):
        if r == rows:
            break
        nz = np.flatnonzero(a[r:, c])
        if nz.size == 0:
            continue
        i = r + int(nz[0])
        if i != r:
            a[[r, i]] = a[[i, r]]
        inv = pow(int(a[r, c]), PRIME - 2, PRIME)
        a[r] = (a[r] * inv) % PRIME
        factors = a[:, c].copy()
        factors[r] = 0
        others = np.flatnonzero(factors)
        if others.size:
            # Row r is zero left of c (earlier pivots cleared it), so only columns from
            # c on change.
            a[others, c:] = (a[others, c:] - (factors[others, None] * a[r, c:]) % PRIME) % PRIME
        pivots.append(c)
        r += 1
    return (a[:r] if pivot_columns is None else a), pivots


def null_space(matrix: np.ndarray) -> np.ndarray:
    """A basis of ``{x : matrix @ x = 0}`` modulo :data:`PRIME`, as columns."""
    reduced, pivots = rref(matrix)
    return null_space_of_rref(reduced, pivots)


def null_space_of_rref(reduced: np.ndarray, pivots: list[int]) -> np.ndarray:
    """The null space (as columns) of a matrix already in reduced row echelon form."""
    cols = reduced.shape[1]
    pivot_set = set(pivots)
    free = np.array([c for c in range(cols) if c not in pivot_set], dtype=np.int64)
    basis = np.zeros((cols, len(free)), dtype=np.int64)
    basis[free, np.arange(len(free))] = 1
    if pivots and len(free):
        basis[np.array(pivots)[:, None], np.arange(len(free))[None, :]] = (
            -reduced[: len(pivots)][:, free]
        ) % PRIME
    return basis


def matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y`` modulo :data:`PRIME` without int64 overflow (``y`` split in 16-bit halves)."""
    x = np.asarray(x, dtype=np.int64) % PRIME
    y = np.asarray(y, dtype=np.int64) % PRIME
    low = y & 0xFFFF
    high = y >> 16
    part_low = _small_matmul(x, low)
    part_high = _small_matmul(x, high)
    product: np.ndarray = (part_high * 65536 + part_low) % PRIME
    return product


def _small_matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # x < 2^31, y < 2^16: each product < 2^47, so sums of up to 2^15 terms fit in int64;
    # longer inner dimensions are summed in chunks.
    inner = x.shape[-1]
    out = np.zeros((x.shape[0], y.shape[-1]) if y.ndim == 2 else (x.shape[0],), dtype=np.int64)
    step = 1 << 15
    for start in range(0, max(inner, 1), step):
        out = (out + x[:, start : start + step] @ y[start : start + step]) % PRIME
    return out


def solve(matrix: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """All solutions of ``matrix @ z = rhs`` modulo :data:`PRIME` (``rhs`` one column, or
    several as a matrix).

    Returns ``(particular, kernel)`` — every solution is ``particular + kernel @ t``, with
    one particular column per right-hand side — or None when some right-hand side has no
    solution.
    """
    rows, cols = matrix.shape
    rhs = np.asarray(rhs, dtype=np.int64).reshape(rows, -1)
    augmented = np.concatenate([np.asarray(matrix, dtype=np.int64), rhs], axis=1)
    reduced, pivots = rref(augmented)
    if any(p >= cols for p in pivots):
        return None
    particular = np.zeros((cols, rhs.shape[1]), dtype=np.int64)
    for row, p in enumerate(pivots):
        particular[p] = reduced[row, cols:]
    return particular, null_space(matrix)
