"""Policy register to and from spreadsheets: one row per policy.

Import is all-or-nothing: every problem in the file is collected and reported with its
file, row and column, and nothing is stored unless the whole file is valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.csvsafe import unguard
from culturescope.instruments import Instrument
from culturescope.policies.register import (
    STATUSES,
    Policy,
    PolicyDraft,
    PolicyError,
    PolicyVersion,
    RegisterChanges,
    apply_register,
)
from culturescope.sheets import CSV_SUFFIXES, WORKBOOK_SUFFIXES, csv_rows, workbook_sheets
from culturescope.storage import Store

#: Column -> accepted header spellings (compared case-insensitively, ignoring punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "policy", "policy title", "name", "policy name", "name of policy"),
    "statement": (
        "statement",
        "commitment",
        "policy statement",
        "text",
        "description",
        "summary",
        "purpose",
    ),
    "owner": ("owner", "policy owner", "responsible", "accountable", "owner role"),
    "adopted_on": (
        "adopted",
        "adopted on",
        "date adopted",
        "adoption date",
        "adopted date",
        "effective date",
        "effective from",
        "date approved",
        "approval date",
        "issue date",
        "date issued",
    ),
    "status": ("status", "claimed status", "policy status", "implementation status"),
    "evidence": ("evidence", "evidence reference", "evidence ref", "evidence of implementation"),
    "review_on": (
        "review date",
        "review",
        "review on",
        "next review",
        "review due",
        "next review date",
        "review due date",
        "review by",
    ),
    "practice_areas": ("practice areas", "practice area", "areas"),
}
HEADERS = {
    "title": "Title",
    "statement": "Statement",
    "owner": "Owner",
    "adopted_on": "Adopted",
    "status": "Status",
    "evidence": "Evidence",
    "review_on": "Review date",
    "practice_areas": "Practice areas",
}
_UNAMBIGUOUS_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
)


_SLASHED = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")


class PolicyImportError(CultureScopeError):
    """The file cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"nothing was imported: {shown}{more}")


class PolicyExportError(CultureScopeError):
    """The register cannot be written to the file asked for."""


@dataclass(frozen=True)
class PolicyRow:
    """A valid row: the draft and where it came from (``file.xlsx row 3``)."""

    draft: PolicyDraft
    source: str


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def read_rows(path: Path) -> list[list[Any]]:
    """All rows of the first sheet (xlsx/xlsm/xls/ods via python-calamine) or of a csv."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise PolicyImportError([f"{path.name}: file not found"])
    if suffix in WORKBOOK_SUFFIXES:
        try:
            return workbook_sheets(path, first_only=True)[0][1]
        except Exception as exc:  # calamine raises its own error types
            raise PolicyImportError([f"{path.name}: cannot read the spreadsheet ({exc})"]) from None
    if suffix in CSV_SUFFIXES:
        # Cells our own csv export guarded ('=…) read back as written.
        return [[unguard(c) for c in r] for r in csv_rows(path.read_bytes())]
    raise PolicyImportError(
        [f"{path.name}: unsupported file type '{suffix}' (use .xlsx, .xlsm, .ods or .csv)"]
    )


def parse_policy_rows(
    rows: Sequence[Sequence[Any]], instrument: Instrument, *, file_name: str = "file"
) -> list[PolicyRow]:
    """Validate rows (the first is the header) into drafts; raise with every problem."""
    rows = list(rows)
    header_at, sheet = _read_header(rows, instrument, file_name)
    problems: list[str] = []
    sheet = _with_date_orders(sheet, rows[header_at + 1 :], problems)
    first_row_of: dict[str, int] = {}  # casefolded title -> its row number
    out: list[PolicyRow] = []
    for n in range(header_at + 1, len(rows)):
        if not any(_cell(c) for c in rows[n]):
            continue
        draft = _policy_draft(sheet, rows[n], n + 1, first_row_of, problems)
        if draft is not None:
            out.append(PolicyRow(draft=draft, source=f"{file_name} row {n + 1}"))
    if problems:
        raise PolicyImportError(problems)
    if not out:
        raise PolicyImportError([f"{file_name}: no policies below the header row"])
    return out


@dataclass(frozen=True)
class _Sheet:
    """A register sheet's header: where each column is, and the instrument's areas."""

    file_name: str
    header: Sequence[Any]
    columns: dict[str, int]
    #: Practice area id or title (normalised) -> the area's id.
    areas: dict[str, str]
    known_areas: str
    #: Per date column: "dmy" or "mdy" when its slashed dates show which it is.
    date_orders: dict[str, str] = field(default_factory=dict)

    def get(self, row: Sequence[Any], key: str) -> Any:
        idx = self.columns.get(key)
        return row[idx] if idx is not None and idx < len(row) else None

    def col(self, key: str) -> str:
        idx = self.columns[key]
        return f"column {_column_letter(idx)} ({_cell(self.header[idx])})"


def _read_header(
    rows: list[Sequence[Any]], instrument: Instrument, file_name: str
) -> tuple[int, _Sheet]:
    """The header row's index and what it says; raises when there is none or no title."""
    header_at = next((n for n, r in enumerate(rows) if any(_cell(c) for c in r)), None)
    if header_at is None:
        raise PolicyImportError([f"{file_name}: the file is empty"])
    header = rows[header_at]
    columns: dict[str, int] = {}
    for idx, cell in enumerate(header):
        name = _norm(_cell(cell))
        for key, spellings in COLUMNS.items():
            if name in spellings and key not in columns:
                columns[key] = idx
    if "title" not in columns:
        found = ", ".join(_cell(c) for c in header if _cell(c)) or "none"
        raise PolicyImportError(
            [f"{file_name} row {header_at + 1}: no 'Title' column (columns found: {found})"]
        )
    areas: dict[str, str] = {}
    for area in instrument.practice_areas:
        areas[_norm(area.id)] = area.id
        areas[_norm(area.title)] = area.id
    known = ", ".join(a.id for a in instrument.practice_areas)
    return header_at, _Sheet(file_name, header, columns, areas, known)


def _policy_draft(
    sheet: _Sheet,
    row: Sequence[Any],
    rownum: int,
    first_row_of: dict[str, int],
    problems: list[str],
) -> PolicyDraft | None:
    """One row as a draft, or None with its problems added to ``problems``.

    A row without a usable title or status is left at its first problem; dates and
    practice areas are all checked.
    """
    where = f"{sheet.file_name} row {rownum}"
    title = _title(sheet, row, where, first_row_of, problems)
    if title is None:
        return None
    first_row_of[title.casefold()] = rownum
    values: dict[str, Any] = {"title": title}
    for key in ("statement", "owner", "evidence"):
        values[key] = _cell(sheet.get(row, key))
    if "status" in sheet.columns:
        status = _status(sheet, row, where, problems)
        if status is None:
            return None
        values["status"] = status
    for key in ("adopted_on", "review_on"):
        if key not in sheet.columns:
            continue
        try:
            values[key] = parse_date(sheet.get(row, key), order=sheet.date_orders.get(key))
        except ValueError as exc:
            problems.append(f"{where}, {sheet.col(key)}: {exc}")
    if "practice_areas" in sheet.columns:
        values["practice_areas"] = _practice_areas(sheet, row, where, problems)
    try:
        return PolicyDraft(**values)
    except PolicyError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _title(
    sheet: _Sheet, row: Sequence[Any], where: str, first_row_of: dict[str, int], problems: list[str]
) -> str | None:
    title = " ".join(_cell(sheet.get(row, "title")).split())
    if not title:
        problems.append(f"{where}, {sheet.col('title')}: a policy needs a title")
        return None
    if title.casefold() in first_row_of:
        problems.append(
            f"{where}, {sheet.col('title')}: duplicate policy '{title}' "
            f"(also on row {first_row_of[title.casefold()]})"
        )
        return None
    return title


def _status(sheet: _Sheet, row: Sequence[Any], where: str, problems: list[str]) -> str | None:
    status = _norm(_cell(sheet.get(row, "status"))) or "drafted"
    if status not in STATUSES:
        problems.append(
            f"{where}, {sheet.col('status')}: unknown status '{_cell(sheet.get(row, 'status'))}' "
            f"(use one of: {', '.join(STATUSES)})"
        )
        return None
    return status


def _practice_areas(
    sheet: _Sheet, row: Sequence[Any], where: str, problems: list[str]
) -> tuple[str, ...]:
    areas: list[str] = []
    for part in re.split(r"[;,\n]", _cell(sheet.get(row, "practice_areas"))):
        if not part.strip():
            continue
        area_id = sheet.areas.get(_norm(part))
        if area_id is None:
            problems.append(
                f"{where}, {sheet.col('practice_areas')}: unknown practice area "
                f"'{part.strip()}' (known: {sheet.known_areas})"
            )
        elif area_id not in areas:
            areas.append(area_id)
    return tuple(areas)


def read_policy_file(path: str | Path, instrument: Instrument) -> list[PolicyRow]:
    """Read and validate a register spreadsheet; nothing is stored here."""
    path = Path(path)
    return parse_policy_rows(read_rows(path), instrument, file_name=path.name)


def import_policy_file(
    store: Store, campaign_ref: str | int, path: str | Path, *, remove_missing: bool = False
) -> RegisterChanges:
    """Import a register file for the organisation of a campaign (all or nothing).

    Practice areas are checked against the campaign's instrument. Re-importing updates
    changed policies as new versions and leaves unchanged ones alone.
    """
    path = Path(path)
    campaign = store.campaign(campaign_ref)
    cells = read_rows(path)
    rows = parse_policy_rows(cells, store.instrument(campaign.instrument_key), file_name=path.name)
    changes = apply_register(
        store,
        campaign.organisation,
        [r.draft for r in rows],
        sources=[r.source for r in rows],
        remove_missing=remove_missing,
    )
    return replace(changes, ignored_columns=unknown_columns(cells))


def unknown_columns(rows: Sequence[Sequence[Any]]) -> tuple[str, ...]:
    """The header cells that name no register field (e.g. "Last reviewed"): not read."""
    header = next((r for r in rows if any(_cell(c) for c in r)), [])
    known = {spelling for spellings in COLUMNS.values() for spelling in spellings}
    return tuple(_cell(c) for c in header if _cell(c) and _norm(_cell(c)) not in known)


def _slashed(value: Any) -> tuple[int, int] | None:
    """The first two numbers of a slashed date cell (``15/01/2025`` -> 15, 1)."""
    if not isinstance(value, str):
        return None
    m = _SLASHED.fullmatch(" ".join(value.split()))
    return (int(m[1]), int(m[2])) if m else None


def _with_date_orders(sheet: _Sheet, rows: Sequence[Sequence[Any]], problems: list[str]) -> _Sheet:
    """Decide day/month order once per date column, from its values: a column with
    15/01/2025 is day-first, so its 01/03/2026 is 1 March (as responses are read)."""
    orders: dict[str, str] = {}
    for key in ("adopted_on", "review_on"):
        if key not in sheet.columns:
            continue
        pairs = [p for r in rows if (p := _slashed(sheet.get(r, key))) is not None]
        # Only a value with one possible reading votes (31/31/2025 is no date at all).
        day_first = any(a > 12 >= b for a, b in pairs)
        month_first = any(b > 12 >= a for a, b in pairs)
        if day_first and month_first:
            problems.append(
                f"{sheet.file_name}, {sheet.col(key)}: dates written both day-first and "
                "month-first in one column; write them as YYYY-MM-DD"
            )
        elif day_first or month_first:
            orders[key] = "dmy" if day_first else "mdy"
    return replace(sheet, date_orders=orders)


def parse_date(value: Any, *, order: str | None = None) -> dt.date | None:
    """A date from a spreadsheet cell; raises ValueError naming the problem.

    Day-first (``31/12/2026``) and month-first (``12/31/2026``) slashed dates are accepted
    when only one reading is valid, or in the ``order`` ("dmy"/"mdy") decided for the
    whole column; ``03/04/2026`` alone is refused as ambiguous.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"'{value}' is a number, not a date (write it as YYYY-MM-DD)")
    text = " ".join(str(value).split())
    if not text:
        return None
    text = re.sub(r"[T ]00:00(:00)?$", "", text)
    for fmt in _UNAMBIGUOUS_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    m = _SLASHED.fullmatch(text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        readings = set()
        ways = {"dmy": ((a, b),), "mdy": ((b, a),)}.get(order or "", ((a, b), (b, a)))
        for day, month in ways:
            try:
                readings.add(dt.date(year, month, day))
            except ValueError:
                continue
        if len(readings) == 1:
            return readings.pop()
        if len(readings) > 1:
            raise ValueError(
                f"ambiguous date '{text}' (day/month or month/day?); write it as YYYY-MM-DD"
            )
    raise ValueError(f"'{text}' is not a date (write it as YYYY-MM-DD)")


def write_policy_file(path: str | Path, register: Sequence[Policy], instrument: Instrument) -> Path:
    """Export the register by the file's suffix, all or nothing.

    ``.xlsx``: a "Policies" sheet that imports back unchanged, and a "Version history" sheet
    with every version (removed ones included). ``.csv``: the current policies, one row
    each, with the Policies sheet's columns (text that could start a formula guarded with an
    apostrophe, removed again on import). Any other suffix is refused.
    """
    from culturescope.atomic import atomic_file

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise PolicyExportError(
            f"{path.name}: the register is written as .xlsx (with its version history) or "
            f".csv, not '{path.suffix or 'no suffix'}'; nothing was written"
        )
    if path.is_dir():
        raise PolicyExportError(f"{path.name} is a folder; give a file name ending in {suffix}")
    if not path.parent.is_dir():
        raise PolicyExportError(f"folder {path.parent} does not exist")
    with atomic_file(path) as tmp:
        if suffix == ".csv":
            _write_csv(tmp, register, instrument)
        else:
            _write_xlsx(tmp, register, instrument)
    return path


def _write_csv(path: Path, register: Sequence[Policy], instrument: Instrument) -> None:
    from culturescope.csvsafe import write_csv

    titles = {a.id: a.title for a in instrument.practice_areas}
    rows = []
    for p in register:
        if p.removed:
            continue
        v = p.current
        rows.append(
            [
                v.title,
                v.statement,
                v.owner,
                v.adopted_on.isoformat() if v.adopted_on else "",
                v.status,
                v.evidence,
                v.review_on.isoformat() if v.review_on else "",
                "; ".join(titles.get(a, a) for a in v.practice_areas),
            ]
        )
    write_csv(path, list(HEADERS.values()), rows)


def _write_xlsx(path: Path, register: Sequence[Policy], instrument: Instrument) -> None:
    import xlsxwriter

    titles = {a.id: a.title for a in instrument.practice_areas}
    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True, "bg_color": "#dfe6ee", "border": 1})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        keys = list(HEADERS)
        sheet = book.add_worksheet("Policies")
        _header(sheet, [HEADERS[k] for k in keys], bold)
        current = [p for p in register if not p.removed]
        for r, p in enumerate(current, start=1):
            _version_row(sheet, r, 0, p.current, titles, date, wrap)
        widths = (34, 60, 20, 12, 13, 30, 12, 40)
        for c, w in enumerate(widths):
            sheet.set_column(c, c, w)
        hist = book.add_worksheet("Version history")
        _header(
            hist, ["Policy id", "Version", "Recorded", "Removed", *HEADERS.values(), "Source"], bold
        )
        r = 1
        for p in register:
            for v in p.history:
                hist.write_number(r, 0, p.id)
                hist.write_number(r, 1, v.version)
                hist.write_datetime(r, 2, dt.datetime.combine(v.recorded_on, dt.time()), date)
                hist.write_string(r, 3, "yes" if v.removed else "no")
                _version_row(hist, r, 4, v, titles, date, wrap)
                hist.write_string(r, 12, v.source)
                r += 1
        hist.set_column(0, 3, 10)
        hist.set_column(4, 11, 20)
    finally:
        book.close()


def _header(sheet: Any, names: Sequence[str], fmt: Any) -> None:
    for c, name in enumerate(names):
        sheet.write_string(0, c, name, fmt)
    sheet.freeze_panes(1, 0)


def _version_row(
    sheet: Any,
    r: int,
    c0: int,
    v: PolicyVersion,
    titles: dict[str, str],
    date: Any,
    wrap: Any,
) -> None:
    # write_string everywhere: text starting with = + - @ must never become a formula.
    sheet.write_string(r, c0, v.title)
    sheet.write_string(r, c0 + 1, v.statement, wrap)
    sheet.write_string(r, c0 + 2, v.owner)
    for offset, value in ((3, v.adopted_on), (6, v.review_on)):
        if value is not None:
            sheet.write_datetime(r, c0 + offset, dt.datetime.combine(value, dt.time()), date)
    sheet.write_string(r, c0 + 4, v.status)
    sheet.write_string(r, c0 + 5, v.evidence)
    sheet.write_string(r, c0 + 7, "; ".join(titles.get(a, a) for a in v.practice_areas))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_letter(idx: int) -> str:
    letters = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
