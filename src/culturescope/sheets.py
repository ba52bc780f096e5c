"""Small spreadsheets read as plain rows (policy registers, headcount sheets).

Survey exports have their own, much stricter reader (:mod:`culturescope.importing.reading`);
these helpers serve the small side tables a user keeps in Excel or as csv.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


def csv_rows(raw: bytes) -> list[list[str]]:
    """The rows of a csv file's bytes: UTF-8 (with or without BOM), else Windows-1252;
    the delimiter (comma, semicolon, tab or pipe) is sniffed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def workbook_sheets(path: Path, *, first_only: bool = False) -> list[tuple[str, list[list[Any]]]]:
    """``(sheet name, rows)`` of an xlsx/xlsm/xls/ods workbook (python-calamine); raises
    calamine's own errors for a damaged file."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = book.sheet_names[:1] if first_only else book.sheet_names
    return [
        (name, [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)])
        for name in names
    ]
