"""Read a spreadsheet (xlsx, xlsm, xls, ods via python-calamine; csv sniffed) into a
:class:`RawTable`: header texts and a DataFrame of the cells, without interpreting them.

The file's kind is recognised from its first bytes, not its name, so a PDF renamed
``.xlsx`` or a password-protected workbook gets a message that says what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from culturescope import Cancelled
from culturescope.importing.layouts import apply_layout
from culturescope.importing.limits import (
    ReadLimits,
    check_archive,
    check_file_size,
    check_formulas,
    check_member,
    check_regular_file,
)
from culturescope.importing.problems import column_letter, file_error

if TYPE_CHECKING:  # imported where used: only workbooks need it
    from python_calamine import CalamineWorkbook

Progress = Callable[[float, str], None]
IsCancelled = Callable[[], bool]
#: One row of cells as read (str, float/int, bool, date/time; "" for a blank cell).
Row = list[Any]
CSV_DELIMITERS = (",", ";", "\t", "|")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_NOT_SPREADSHEETS = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format 3", "a SQLite database"),
    (b"{\\rtf", "an RTF document"),
)
_PASSWORD = (
    "is password-protected (encrypted): remove the password in Excel "
    "(File > Info > Protect Workbook) and save again"
)


@dataclass(frozen=True)
class SourceInfo:
    """Where a table came from. ``header_row`` is the spreadsheet row number of the header
    (1 unless the sheet starts lower); ``first_column`` the 0-based index of its first column."""

    path: str
    name: str
    format: str  # xlsx, xlsm, xls, ods or csv
    sha256: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    first_column: int = 0
    #: The survey tool whose multi-row header was recognised (see .layouts), else None.
    layout: str | None = None
    #: The csv read from the ZIP archive ``path`` (ODK Central's download), else None.
    member: str | None = None


@dataclass
class RawTable:
    """The cells of one sheet, uninterpreted.

    ``headers``: the header text of each column (``""`` for an empty header cell).
    ``data``: one row per data row; columns are the positions ``0..len(headers)-1``
    (headers may repeat, positions do not); values are str, float/int, bool or
    datetime as read, blank cells are ``""`` or NaN.
    """

    headers: list[str]
    data: pd.DataFrame
    source: SourceInfo
    #: The same cells as a row-major object matrix (workbooks only): reading many columns
    #: at once in memory order is several times faster than column by column.
    cells: np.ndarray | None = field(default=None, repr=False)
    #: Spreadsheet row number of each data row when rows were left out (see
    #: :func:`without_rows`); None: consecutive rows.
    numbers: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.data)

    def letter(self, column: int) -> str:
        """Spreadsheet letter of column position ``column``."""
        return column_letter(self.source.first_column + column)

    def row_number(self, row: int) -> int:
        """Spreadsheet row number of data row ``row`` (0-based)."""
        if self.numbers is not None:
            return int(self.numbers[row])
        return self.source.header_row + 1 + row

    def row_numbers(self) -> np.ndarray:
        if self.numbers is not None:
            return self.numbers
        return np.arange(len(self.data)) + self.source.header_row + 1

    def release(self) -> None:
        """Empty the table, freeing the cells a block of rows at a time.

        A 100,000 × 60 workbook holds six million cell objects; freeing them in one go
        holds the GIL for 50-150 ms, which froze the window while an import ran in a
        worker. In blocks, other threads get the GIL in between.
        """
        cells, self.cells = self.cells, None
        self.data = self.data.iloc[:0]
        if cells is not None:
            for start in range(0, len(cells), BLOCK_ROWS):
                cells[start : start + BLOCK_ROWS] = None

    def block(self, columns: list[int]) -> np.ndarray:
        """Row-major object matrix of the given column positions."""
        if self.cells is not None:
            return self.cells[:, columns]
        out = np.empty((len(self.data), len(columns)), dtype=object)
        for j, c in enumerate(columns):
            out[:, j] = self.data[c].to_numpy(dtype=object)
        return out


def without_rows(raw: RawTable, positions: list[int]) -> RawTable:
    """A copy of ``raw`` without the given data rows; the others keep their row numbers."""
    keep = np.setdiff1d(np.arange(len(raw.data)), np.asarray(positions, dtype=np.int64))
    data = raw.data.iloc[keep].reset_index(drop=True)
    cells = raw.cells[keep] if raw.cells is not None else None
    return RawTable(
        list(raw.headers), data, raw.source, cells, numbers=raw.row_numbers()[keep].copy()
    )


# ---- recognising the file -------------------------------------------------------------------
def _kind(path: Path, head: bytes) -> str:
    name = path.name
    if not head:
        raise file_error(name, "the file is empty")
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(_ZIP):
        return "zip"
    for magic, what in _NOT_SPREADSHEETS:
        if head.startswith(magic):
            raise file_error(name, f"is {what}, not a spreadsheet (xlsx, xlsm, ods or csv)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "csv"
    if b"\x00" in head[:4096]:
        raise file_error(name, "is not a spreadsheet: it is neither an Excel/ODS workbook nor text")
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        raise file_error(
            name,
            f"is not a real {path.suffix.lower()[1:]} workbook: it contains plain text. "
            "Open it in your spreadsheet program and save it again as Excel, or, if it is "
            "a CSV export, give it a .csv name",
        )
    return "csv"


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def _zip_format(path: Path, limits: ReadLimits) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if zipped_csv(path.name, names) is not None:
                return ZIPPED_CSV  # its one member is checked when it is read
            check_archive(path.name, zf, limits)  # before anything is decompressed
            if "mimetype" in names:
                mime = zf.read("mimetype").decode("ascii", "replace")
                if "opendocument.spreadsheet" in mime:
                    return "ods"
                raise file_error(path.name, f"is an OpenDocument file ({mime}), not a spreadsheet")
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsm" if path.suffix.lower() == ".xlsm" else "xlsx"
            if "word/document.xml" in names:
                raise file_error(path.name, "is a Word document, not a spreadsheet")
            raise file_error(path.name, "is a ZIP archive, not a spreadsheet")
    except zipfile.BadZipFile:
        raise file_error(
            path.name, "is damaged (not a readable xlsx): open it in Excel and save it again"
        ) from None


#: The format of a ZIP archive whose main table is a csv (ODK Central's download).
ZIPPED_CSV = "csv in zip"


def zipped_csv(name: str, members: set[str]) -> str | None:
    """The csv to read from a ZIP archive that is not a workbook, None for other archives.

    ODK Central's "Download all submissions" is ``<form>.csv`` with, for repeat groups,
    ``<form>-<group>.csv`` beside it (and attachments under ``media/``): the main table is
    the one csv whose name the others extend. An archive with several unrelated csv files
    is refused, naming them, rather than guessing.
    """
    if {"mimetype", "xl/workbook.xml", "xl/workbook.bin", "[Content_Types].xml"} & members:
        return None
    tables = sorted(m for m in members if m.lower().endswith(".csv") and "/" not in m)
    if not tables:
        return None
    if len(tables) == 1:
        return tables[0]
    stems = {t: t[: -len(".csv")] for t in tables}
    main = [t for t in tables if all(o == t or o.startswith(stems[t] + "-") for o in tables)]
    if len(main) == 1:
        return main[0]
    listed = ", ".join(tables[:6]) + (", …" if len(tables) > 6 else "")
    raise file_error(
        name,
        f"is a ZIP archive holding {len(tables)} csv files ({listed}): unzip it and import "
        "the one that holds the responses",
    )


def _ole_format(path: Path) -> str:
    blob = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in blob or path.suffix.lower() in (".xlsx", ".xlsm"):
        raise file_error(path.name, _PASSWORD)
    return "xls"


def _sniff(path: Path) -> tuple[str, bytes]:
    size = check_regular_file(path)  # never open a pipe or a device: it could block forever
    check_file_size(path.name, size, ReadLimits.from_environment())
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise file_error(path.name, f"cannot be read ({exc.strerror or exc})") from None
    kind = _kind(path, head)
    if kind == "zip":
        return _zip_format(path, ReadLimits.from_environment()), head
    if kind == "ole":
        return _ole_format(path), head
    return "csv", head


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---- workbooks --------------------------------------------------------------------------------
def _workbook(path: Path) -> CalamineWorkbook:
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise file_error(path.name, _PASSWORD) from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise file_error(
            path.name,
            f"is damaged and cannot be read ({_short(exc)}): open it in Excel and save it again",
        ) from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def list_sheets(path: str | Path) -> list[str]:
    """Names of the worksheets of a workbook (``[]`` for a csv file)."""
    path = Path(path)
    fmt, _ = _sniff(path)
    if fmt in ("csv", ZIPPED_CSV):
        return []
    wb = _workbook(path)
    try:
        return [
            m.name for m in wb.sheets_metadata if getattr(m.typ, "name", "WorkSheet") == "WorkSheet"
        ] or list(wb.sheet_names)
    finally:
        wb.close()


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> RawTable:
    """Read the first row as headers and the rest as data.

    Parameters
    ----------
    path
        An xlsx, xlsm, xls, ods or csv file (recognised from its content).
    sheet
        Worksheet name; default: the first sheet that has data.

    Raises
    ------
    ImportFailed
        With one whole-file problem: not a spreadsheet, empty, damaged, password-protected,
        unknown sheet, no data rows.
    Cancelled
        When ``is_cancelled`` returns True.
    """
    path = Path(path)
    fmt, head = _sniff(path)
    _step(progress, is_cancelled, 0.0, f"reading {path.name}")
    if fmt == ZIPPED_CSV:
        table = _read_zipped_csv(path, progress, is_cancelled)
    elif fmt == "csv":
        table = _read_csv(path, head, progress, is_cancelled)
    else:
        table = _read_workbook(path, fmt, sheet, progress, is_cancelled)
    if not any(h.strip() for h in table.headers):
        raise file_error(path.name, "the first row has no column headers")
    table, _ = apply_layout(table)  # Qualtrics, SurveyMonkey: several header rows
    if len(table.data) == 0:
        where = f" (sheet {table.source.sheet})" if table.source.sheet else ""
        raise file_error(path.name, f"has a header row but no data rows{where}")
    _step(progress, is_cancelled, 1.0, f"read {len(table.data):,} rows")
    return table


def _step(
    progress: Progress | None, is_cancelled: IsCancelled | None, fraction: float, message: str
) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled("cancelled: nothing was imported")
    if progress is not None:
        progress(fraction, message)


def _read_workbook(
    path: Path,
    fmt: str,
    sheet: str | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> RawTable:
    wb = _workbook(path)
    try:
        names = list(wb.sheet_names)
        if sheet is not None:
            if sheet not in names:
                raise file_error(
                    path.name, f"has no sheet '{sheet}' (sheets: {', '.join(names) or 'none'})"
                )
            candidates = [sheet]
        else:
            candidates = names
        header: Row | None = None
        cells = np.empty((0, 0), dtype=object)
        chosen = None
        start = (0, 0)
        for name in candidates:
            chosen = name
            header, cells, start = _sheet_cells(path, wb, name, progress, is_cancelled)
            if header is not None and any(c != "" for c in header):
                break
        if header is None:
            raise file_error(path.name, "the file is empty: no sheet has any cells")
    finally:
        wb.close()
    if fmt in ("xlsx", "xlsm") and chosen is not None:
        check_formulas(path, chosen)
    _step(progress, is_cancelled, 0.9, "reading cells")
    width = cells.shape[1]
    header = [_header_text(v) for v in header] + [""] * (width - len(header))
    data = pd.DataFrame({i: cells[:, i] for i in range(width)}, copy=False)
    info = SourceInfo(
        path=str(path),
        name=path.name,
        format=fmt,
        sha256=_sha256(path),
        sheet=chosen,
        header_row=start[0] + 1,
        first_column=start[1],
    )
    return RawTable(header, data, info, cells)


#: Rows moved from calamine's row lists into the cell matrix at a time (see _sheet_cells).
BLOCK_ROWS = 4096


def _sheet_cells(
    path: Path,
    wb: CalamineWorkbook,
    name: str,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> tuple[Row | None, np.ndarray, tuple[int, int]]:
    """The header row and the data rows (a row-major object matrix as wide as the widest
    of the first 50 rows) from the sheet's first non-empty row and column on (calamine's
    used area), without trailing empty rows; the header is None when no row is left.

    Rows are read one by one so that progress shows and cancelling is possible, and moved
    into the matrix a block at a time: keeping 100,000 row lists until the end made each
    full garbage collection walk millions of cells, and a collection holds the GIL, so an
    import in a worker froze the window for ~100 ms at a time (docs/design/performance.md).
    """
    import python_calamine as pc

    header: Row | None = None
    cells = np.empty((0, 0), dtype=object)
    last = -1  # position of the last row with a non-empty cell (0: the header row)

    def take(block: list[Row], offset: int, expected: int) -> None:
        nonlocal header, cells, last
        for i in range(len(block) - 1, -1, -1):
            if any(c != "" for c in block[i]):
                last = offset + i
                break
        if offset == 0:
            width = max(len(r) for r in block[:50])
            header, block = block[0], block[1:]
            cells = np.empty((max(expected - 1, len(block)), width), dtype=object)
        at, width = max(0, offset - 1), cells.shape[1]
        if at + len(block) > len(cells):  # more rows than calamine announced
            cells = np.concatenate([cells, np.empty((at + len(block) - len(cells), width), object)])
        if block:
            rows = block if all(len(r) == width for r in block) else _padded(block, width)
            cells[at : at + len(block)] = rows

    try:
        ws = wb.get_sheet_by_name(name)
        top, left = ws.start or (0, 0)
        height = max(1, ws.height)  # rows from ``top`` on
        block: list[Row] = []
        offset = 0
        for n, row in enumerate(ws.iter_rows()):
            if n < top:
                continue
            block.append(row)  # calamine's rows already start at the used area's column
            # The first block holds the 50 rows that set the width.
            if len(block) == BLOCK_ROWS:
                take(block, offset, height)
                offset += len(block)
                block = []
            if n % 5000 == 0 and n:
                _step(progress, is_cancelled, 0.9 * n / height, "reading cells")
        if block:
            take(block, offset, height)
    except Cancelled:
        raise
    except pc.PasswordError:
        raise file_error(path.name, _PASSWORD) from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise file_error(
            path.name,
            f"sheet '{name}' is damaged ({_short(exc)}): open it in Excel and save it again",
        ) from None
    if last < 0:
        return None, cells[:0], (top, left)
    return header, cells[:last], (top, left)


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _padded(rows: list[Row], width: int) -> list[Row]:
    return [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows]


# ---- csv -------------------------------------------------------------------------------------
def decode_text(blob: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name: BOMs (UTF-8, UTF-16) first, then UTF-8, then cp1252,
    then Latin-1 (which decodes anything)."""
    if blob.startswith(b"\xef\xbb\xbf"):
        return blob[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return blob.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise file_error(name, "looks like UTF-16 text but cannot be decoded") from None
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return blob.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the first lines into the same, largest
    number of fields (quotes respected)."""
    sample = text[:65536]
    lines = sample.splitlines()[:50] if len(sample) < len(text) else sample.splitlines()
    if len(sample) < len(text) and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be partial
    best, best_score = ",", (-1, 0)
    for delim in CSV_DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not counts:
            continue
        width = max(set(counts), key=counts.count)
        agree = counts.count(width) / len(counts)
        score = (1 if width > 1 and agree >= 0.8 else 0, width if agree >= 0.8 else 0)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(
    path: Path, head: bytes, progress: Progress | None, is_cancelled: IsCancelled | None
) -> RawTable:
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise file_error(path.name, f"cannot be read ({exc.strerror or exc})") from None
    return _csv_table(blob, path, path.name, progress, is_cancelled)


def _read_zipped_csv(
    path: Path, progress: Progress | None, is_cancelled: IsCancelled | None
) -> RawTable:
    """The main csv of ODK Central's ZIP download (see :func:`zipped_csv`), read as if it
    had been unzipped: messages name it "form.csv (in download.zip)", and its fingerprint
    is the csv's own, so importing the unzipped file later is the same file again."""
    import zipfile

    limits = ReadLimits.from_environment()
    with zipfile.ZipFile(path) as zf:
        member = zipped_csv(path.name, set(zf.namelist()))
        assert member is not None  # _zip_format chose this format for it
        info = zf.getinfo(member)
        check_member(path.name, info, limits)
        try:
            blob = zf.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise file_error(path.name, f"{member} cannot be unpacked ({_short(exc)})") from None
    return _csv_table(
        blob, path, f"{member} (in {path.name})", progress, is_cancelled, member=member
    )


def _csv_table(
    blob: bytes,
    path: Path,
    name: str,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
    member: str | None = None,
) -> RawTable:
    """The table of a csv file's bytes; ``name`` is how messages call the file, ``member``
    the csv's name inside the ZIP archive ``path`` (None: ``path`` is the csv)."""
    text, encoding = decode_text(blob, name)
    if not text.strip():
        raise file_error(name, "the file is empty")
    if "\r" in text and "\n" not in text:
        # Old Mac line endings (\r only), as some exporters still write: lines end there.
        text = text.replace("\r", "\n")
    delim = sniff_delimiter(text)
    try:
        first = next(csv.reader(io.StringIO(text[:1_000_000]), delimiter=delim), [])
    except csv.Error as exc:
        raise file_error(name, f"is not a readable csv file ({_short(exc)})") from None
    header = [h.strip() for h in first]
    _step(progress, is_cancelled, 0.3, "parsing text")
    import pandas.errors

    try:
        data = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=0,
            index_col=False,
            keep_default_na=False,  # "N/A" is an answer, not a blank
            na_values=[""],
            skip_blank_lines=False,
            skipinitialspace=True,
            engine="c",
            low_memory=False,
        )
    except pandas.errors.ParserError as exc:
        raise file_error(name, _csv_problem(str(exc))) from None
    except pandas.errors.EmptyDataError:
        data = pd.DataFrame(columns=list(range(len(header))))
    if data.shape[1] != len(header):
        raise file_error(
            name, "the header row could not be read: check the delimiter and quotes"
        )
    data.columns = pd.RangeIndex(len(header))
    info = SourceInfo(
        path=str(path),
        name=name,
        format="csv",
        member=member,
        sha256=hashlib.sha256(blob).hexdigest(),
        encoding=encoding,
        delimiter=delim,
    )
    return RawTable(header, data, info)


def _csv_problem(message: str) -> str:
    import re

    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        expected, line, saw = m.groups()
        return (
            f"row {line} has {saw} fields but the header has {expected}: "
            "check the delimiter and quotes"
        )
    return f"is not a readable csv file ({message.strip().splitlines()[0][:120]})"
