"""Expected headcounts from a spreadsheet: how many people each team, role or site has.

The response rate per segment (the participation signal) needs them. The sheet a user
keeps anyway is enough: two columns, the first headed by the demographic ("Team", "Role
level", "Site"... or its id, or a word for it such as "Department" or "Location"), the
second by anything ("Headcount", "People"); a "Total" line is left out::

    Team      | Headcount
    Maintenance | 42
    Flight ops  | 17

An xlsx/ods workbook may hold one such table per worksheet (e.g. a "Team" sheet and a
"Role" sheet); a csv holds one. Values of a demographic with fixed options (role level)
are matched to the option's label or id. Used by ``culturescope campaign set --headcounts``
and the app's campaign dialog; Qt-free.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.importing.columns import demographic_named
from culturescope.importing.text import normalise
from culturescope.instruments import Demographic, Instrument
from culturescope.sheets import CSV_SUFFIXES, WORKBOOK_SUFFIXES, csv_rows, workbook_sheets

MAX_FILE_BYTES = 20 * 1024 * 1024
#: First cells of a total line, left out ("Total | 82" under the teams is not a team).
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "overall"})


class HeadcountError(CultureScopeError):
    """The headcount sheet cannot be used; ``problems`` lists every problem, one line each
    naming the file, sheet, row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


def read_headcounts(path: str | Path, instrument: Instrument) -> dict[str, dict[str, int]]:
    """Headcounts per demographic id and value, e.g. ``{"team": {"Red": 40}, "role":
    {"manager": 12}}`` (values of demographics with options are option ids).

    Raises
    ------
    HeadcountError
        With one line per problem; nothing is returned unless the whole file is usable.
    """
    path = Path(path)
    sheets = _read_sheets(path)
    out: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    for sheet, rows in sheets:
        where = f"{path.name}" + (f", sheet '{sheet}'" if sheet and len(sheets) > 1 else "")
        rows = [r for r in rows if any(_text(v) for v in r)]
        if not rows:
            continue
        header = [_text(v) for v in rows[0]] + ["", ""]
        demographic = _demographic(instrument, header[0]) or _demographic(instrument, sheet or "")
        if demographic is None:
            names = ", ".join(f"{d.label} ({d.id})" for d in instrument.demographics)
            problems.append(
                f"{where}, row 1, column A: '{header[0][:60]}' is not a demographic of "
                f"{instrument.key} (head the first column with one of: {names})"
            )
            continue
        if demographic.id in out:
            problems.append(f"{where}: headcounts for {demographic.label} are given twice")
            continue
        counts: dict[str, int] = {}
        for number, row in enumerate(rows[1:], start=2):
            cells = list(row) + [None, None]
            name, count = _text(cells[0]), cells[1]
            if _norm(name) in TOTAL_WORDS:
                continue  # a sheet's total line is not a group
            if not name:
                problems.append(
                    f"{where}, row {number}, column A: no {demographic.label.lower()} named"
                )
                continue
            key = _value(demographic, name)
            if key is None:
                allowed = ", ".join(o.label for o in demographic.options)
                problems.append(
                    f"{where}, row {number}, column A: '{name[:60]}' is not a {demographic.label} "
                    f"answer (allowed: {allowed})"
                )
                continue
            people = _count(count)
            if people is None:
                problems.append(
                    f"{where}, row {number}, column B: '{_text(count)[:30]}' is not a whole "
                    "number of people (0 or more)"
                )
                continue
            if key in counts:
                problems.append(f"{where}, row {number}, column A: '{name[:60]}' is listed twice")
                continue
            counts[key] = people
        out[demographic.id] = counts
    if problems:
        raise HeadcountError(problems)
    if not any(out.values()):
        raise HeadcountError([f"{path.name}: no headcounts found (two columns: name, people)"])
    return out


def _read_sheets(path: Path) -> list[tuple[str | None, list[list[Any]]]]:
    name = path.name
    if not path.is_file():
        raise HeadcountError([f"{name}: not found" if not path.exists() else f"{name}: not a file"])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HeadcountError([f"{name}: too large for a headcount sheet"])
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        try:
            return list(workbook_sheets(path))
        except Exception as exc:  # calamine raises its own error types
            raise HeadcountError([f"{name}: cannot read the spreadsheet ({exc})"]) from None
    if suffix in CSV_SUFFIXES:
        return [(None, csv_rows(path.read_bytes()))]
    raise HeadcountError([f"{name}: unsupported file type '{suffix}' (use .xlsx, .ods or .csv)"])


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _demographic(instrument: Instrument, header: str) -> Demographic | None:
    wanted = _norm(header)
    if not wanted:
        return None
    for d in instrument.demographics:
        if wanted in (_norm(d.id), _norm(d.label)):
            return d
    for d in instrument.demographics:  # "Role level" heads role; "Team name" heads team
        if _norm(d.id) in wanted.split():
            return d
    named = demographic_named(instrument, normalise(header))  # "Department", "Location"
    return instrument.demographic_by_id[named] if named else None


def _value(demographic: Demographic, name: str) -> str | None:
    if not demographic.options:
        return name
    wanted = _norm(name)
    for o in demographic.options:
        if wanted in (_norm(o.id), _norm(o.label)):
            return o.id
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = _text(value).replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() else None
