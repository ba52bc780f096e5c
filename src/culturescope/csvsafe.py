"""CSV files that stay data when someone opens them in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read
as a formula by Excel, LibreOffice and Google Sheets — ``=HYPERLINK(...)`` typed into a
free-text answer would run on the reader's machine. Every such cell is written with an
apostrophe in front (``'=1+1``), the spreadsheet convention for "this is text"; numbers
written as numbers are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from culturescope.atomic import atomic_file

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: Any) -> Any:
    """``value`` made safe for a csv cell: text that could start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """The text :func:`guard` was given (for reading our own csv files back)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a guarded csv (UTF-8 with a byte-order mark, so Excel reads accents right),
    all or nothing."""
    path = Path(path)
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([guard(h) for h in header])
        for row in rows:
            writer.writerow(["" if v is None else guard(v) for v in row])
    return path
