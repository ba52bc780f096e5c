"""Submissions rejected in ODK Central's review.

ODK Central lets a project manager review each submission (ReviewState: received, approved,
hasIssues, edited, rejected); test runs and junk submissions are usually *rejected*, and
its "Download all submissions" csv still holds them. They are left out of an import by
default, with a notice naming the column and rows; ``import --include-rejected`` keeps
them. Other review states (approved, hasIssues, edited, blank = not reviewed) are imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from culturescope.importing.answers import display
from culturescope.importing.columns import ColumnMatch
from culturescope.importing.problems import short_header
from culturescope.importing.reading import RawTable
from culturescope.importing.text import normalise

#: The normalised heading of Central's review column, and the state that rejects.
REVIEW_HEADER, REJECTED = "reviewstate", "rejected"
#: Row numbers named in the notice before the rest are counted.
MAX_ROWS_NAMED = 10


@dataclass(frozen=True)
class ReviewRejected:
    """The data rows (positions in the table) marked rejected, and the notice about them."""

    rows: list[int] = field(default_factory=list)
    notice: str = ""


def review_rejected(
    raw: RawTable, columns: list[ColumnMatch], *, include: bool = False
) -> ReviewRejected:
    """The rows of ``raw`` whose ODK Central ReviewState is "rejected" (none without that
    column); the notice says whether they are left out (default) or imported."""
    column = next((c for c in columns if normalise(c.header) == REVIEW_HEADER), None)
    if column is None:
        return ReviewRejected()
    values = raw.data[column.index].to_numpy(dtype=object)
    rows = [r for r, v in enumerate(values) if display(v).strip().casefold() == REJECTED]
    if not rows:
        return ReviewRejected()
    numbers = raw.row_numbers()
    named = ", ".join(str(int(numbers[r])) for r in rows[:MAX_ROWS_NAMED])
    more = ", …" if len(rows) > MAX_ROWS_NAMED else ""
    n = len(rows)
    what = f"{n} submission{'s' if n > 1 else ''} rejected in ODK Central"
    where = (
        f"(column {column.letter} {short_header(column.header)} = rejected, "
        f"row{'s' if n > 1 else ''} {named}{more})"
    )
    if include:
        return ReviewRejected(rows, f"{what} {where} imported, as asked (--include-rejected)")
    return ReviewRejected(
        rows,
        f"{what} {where} {'were' if n > 1 else 'was'} left out; to import them, change their "
        "review state in Central and download again, or use 'import --include-rejected'",
    )
