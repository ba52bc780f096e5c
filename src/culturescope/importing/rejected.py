"""Skipping invalid rows on request (``import --skip-invalid``) without losing them.

The rows that cannot be imported are written, unchanged, to ``<name>.rejected.xlsx`` next
to the input, with their spreadsheet row number and the reasons, so that they can be
corrected and imported again. Only rows with unusable cells are skipped: problems with the
whole file or a whole column (wrong instrument, a bad mapping) still refuse the import.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from culturescope.atomic import atomic_file
from culturescope.importing.plan import ImportPlan
from culturescope.importing.problems import file_error
from culturescope.importing.reading import RawTable, without_rows

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

#: How the notice about the rows left out starts.
REJECTED_NOTICE = "left out"
#: Header of the two columns added in front of the rejected rows.
ROW_HEADER, REASONS_HEADER = "Row in the original file", "Why it was not imported"


def rejected_path(source: str | Path) -> Path:
    """``survey.xlsx`` -> ``survey.rejected.xlsx`` in the same folder."""
    source = Path(source)
    return source.with_name(f"{source.stem}.rejected.xlsx")


def write_rejected(raw: RawTable, rejected: dict[int, list[str]], path: Path) -> Path:
    """Write the rejected data rows of ``raw`` (position -> reasons), cells as read, to
    ``path``. Text is written as text: a cell starting with ``=`` never becomes a formula.
    """
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    try:
        with atomic_file(path) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), options)
            ws = wb.add_worksheet("Rejected rows")
            bold = wb.add_format({"bold": True})
            when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
            ws.write_row(0, 0, [ROW_HEADER, REASONS_HEADER, *raw.headers], bold)
            numbers = raw.row_numbers()
            block = raw.block(list(range(len(raw.headers))))
            for out_row, pos in enumerate(sorted(rejected), start=1):
                ws.write_number(out_row, 0, int(numbers[pos]))
                ws.write_string(out_row, 1, "; ".join(rejected[pos]))
                for col, value in enumerate(block[pos], start=2):
                    _write(ws, out_row, col, value, when)
            ws.freeze_panes(1, 2)
            ws.set_column(1, 1, 60)
            wb.close()
    except OSError as exc:
        raise file_error(
            raw.source.name,
            f"the rejected rows cannot be written to {path} ({exc.strerror or exc}); "
            "nothing was imported",
        ) from None
    return path


def _write(ws: Worksheet, row: int, col: int, value: object, when: Format) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value))
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value))
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, when)
    else:
        ws.write_string(row, col, str(value))


def skip_invalid_rows(
    raw: RawTable,
    plan: ImportPlan,
    replan: Callable[[RawTable], ImportPlan],
    *,
    rejected_to: Path | None,
) -> tuple[ImportPlan, int, Path | None]:
    """Leave out the rows with unusable cells of a failed ``plan`` and plan the rest again.

    Returns the new plan (``rows_read`` still counting every row, the unknown values of
    the whole file), the number of rows left out, and the file they were written to
    (``rejected_to``; None writes nothing, as in a dry run). The first plan is returned
    unchanged when an error concerns the whole file or a column.
    """
    rejected = split_invalid(plan)
    if not rejected:
        return plan, 0, None
    written = write_rejected(raw, rejected, rejected_to) if rejected_to is not None else None
    unknown = plan.unknown_values
    plan = replan(without_rows(raw, sorted(rejected)))
    plan.rows_read = len(raw.data)
    plan.unknown_values = unknown
    n = len(rejected)
    plan.notices.append(
        f"{REJECTED_NOTICE} {n} row{'s' if n > 1 else ''} with unusable answers"
        + (f", written with the reasons to {written}" if written else "")
    )
    return plan, n, written


def split_invalid(plan: ImportPlan) -> dict[int, list[str]] | None:
    """Data-row position -> reasons for every row with an unusable cell, or None when an
    error concerns the whole file or a column (then no row may be skipped)."""
    if plan.file_errors:
        return None
    return plan.rejected_rows()
