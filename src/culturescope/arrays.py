"""Small array helpers shared by storage and scoring, without pandas.

``culturescope score`` never imports pandas (about a quarter of a second per process):
the store hands it decoded columns and scoring groups responses with :func:`factorize`,
which numbers values exactly as ``pandas.factorize`` does for the object columns
CultureScope stores (strings and None).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def factorize(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """``(codes, uniques)`` of an object array, as ``pandas.factorize`` gives them.

    ``uniques`` are the distinct values in order of first appearance; ``codes[i]`` is the
    position of ``values[i]`` among them, or -1 for a missing value (None, NaN, NaT,
    ``pandas.NA``), which is not among the uniques. Values are told apart as a ``dict``
    tells keys apart (``1 == 1.0``), as pandas' hash table does.
    """
    first: dict[Any, int] = {}
    seen = np.fromiter(
        map(first.setdefault, values.tolist(), range(len(values))),
        dtype=np.intp,
        count=len(values),
    )
    uniques = [k for k in first if not is_missing(k)]
    # A value's first position rises with its first appearance: numbering the first
    # positions in that order gives the codes; a missing value keeps -1.
    number = np.full(len(values), -1, dtype=np.intp)
    number[[first[k] for k in uniques]] = np.arange(len(uniques), dtype=np.intp)
    codes: np.ndarray = number[seen]
    return codes, uniques


def is_missing(value: Any) -> bool:
    """True for None and for values that differ from themselves (NaN, NaT, pandas.NA)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # noqa: PLR0124 - the NaN test, for any type
    except TypeError:  # pandas.NA is neither equal nor unequal to itself
        return True
