"""The compact answer string: one character per item, in the instrument's item order.

A raw answer ``v`` (0..35, the N/A code included) is written as ``v`` in base 36
("0"-"9", "a"-"z"); a blank item as ".". Decoding a whole campaign is one vectorised
numpy operation, which keeps loading 100,000 responses well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BLANK = "."
MAX_CODE = len(DIGITS) - 1

#: The code of a blank answer in :func:`decode_codes`' matrix (any other character that is
#: not a digit reads as blank too, as in :func:`decode`).
BLANK_CODE = 255

_CODE_OF = np.full(256, BLANK_CODE, dtype=np.uint8)
for _value, _char in enumerate(DIGITS):
    _CODE_OF[ord(_char)] = _value
_FLOAT_OF = np.full(256, np.nan)
_FLOAT_OF[: len(DIGITS)] = np.arange(len(DIGITS))


def encode(values: Sequence[int | None]) -> str:
    """Answer string of raw values in item order (None for blank)."""
    try:
        return "".join(BLANK if v is None else DIGITS[v] for v in values)
    except (IndexError, TypeError):
        bad = next(
            v for v in values if v is not None and not (isinstance(v, int) and 0 <= v <= MAX_CODE)
        )
        raise ValueError(
            f"raw answer {bad!r} cannot be stored (codes are 0 to {MAX_CODE})"
        ) from None


def decode(strings: Sequence[str], n_items: int) -> np.ndarray:
    """Float matrix (responses × items) of raw codes, NaN where blank."""
    return as_float(decode_codes(strings, n_items))


def decode_codes(strings: Sequence[str], n_items: int) -> np.ndarray:
    """uint8 matrix (responses × items) of raw codes, :data:`BLANK_CODE` where blank."""
    if not strings:
        return np.empty((0, n_items), dtype=np.uint8)
    if sum(map(len, strings)) == len(strings) * n_items and min(map(len, strings)) == n_items:
        blob = "".join(strings).encode("ascii")  # as stored: one character per item
    else:  # rows stored before the instrument grew or shrank
        blob = "".join(s.ljust(n_items, BLANK)[:n_items] for s in strings).encode("ascii")
    raw = np.frombuffer(blob, dtype=np.uint8).reshape(len(strings), n_items)
    codes: np.ndarray = _CODE_OF[raw]
    return codes


def decode_joined(joined: str, n_responses: int, n_items: int) -> np.ndarray:
    """:func:`decode_codes` of answer strings of exactly ``n_items`` characters each,
    given joined into one string (as SQLite's ``group_concat`` returns them)."""
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    codes: np.ndarray = _CODE_OF[raw.reshape(n_responses, n_items)]
    return codes


def as_float(codes: np.ndarray) -> np.ndarray:
    """The float matrix of :func:`decode` from :func:`decode_codes`' matrix."""
    values: np.ndarray = _FLOAT_OF[codes]
    return values


_CHARS = np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)


def encode_matrix(matrix: np.ndarray) -> list[str]:
    """Answer strings of a float matrix (responses × items; NaN blank) in one pass."""
    n, k = matrix.shape
    if n == 0:
        return []
    blank = np.isnan(matrix)
    values = np.where(blank, 0, matrix)
    if values.min() < 0 or values.max() > MAX_CODE or np.any(values != np.round(values)):
        raise ValueError(f"raw answers must be whole numbers from 0 to {MAX_CODE}")
    chars = np.where(blank, ord(BLANK), _CHARS[values.astype(np.intp)]).astype(np.uint8)
    blob = chars.tobytes().decode("ascii")
    return [blob[i * k : (i + 1) * k] for i in range(n)]
