"""What can be wrong with an imported file, said with file, row and column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from culturescope import CultureScopeError

if TYPE_CHECKING:
    from culturescope.importing.plan import ImportPlan

ERROR = "error"
WARNING = "warning"
#: Characters of a column header repeated in a message.
MAX_HEADER_SHOWN = 80


def short_header(header: object) -> str:
    """A header as messages show it: at most :data:`MAX_HEADER_SHOWN` characters (a header
    can be a whole paragraph, or a hostile megabyte)."""
    text = str(header)
    return text if len(text) <= MAX_HEADER_SHOWN else text[:MAX_HEADER_SHOWN] + "…"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    if index < 0:
        raise ValueError("column index must be >= 0")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem found in a file.

    ``row`` is the spreadsheet row number as the user sees it (the header is row 1);
    ``None`` when the problem concerns a whole column or the whole file. ``column`` is the
    header text and ``letter`` the column letter; both ``None`` for whole-file problems.
    """

    severity: str  # ERROR blocks the import, WARNING does not
    message: str
    file: str = ""
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.letter is not None:
            parts.append(f"column {self.letter} ({short_header(self.column)})")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}: {self.message}" if where else f"{prefix}{self.message}"


class ImportFailed(CultureScopeError):
    """The file cannot be imported; nothing was stored. ``problems`` lists every reason
    (errors first); ``str()`` is one line naming the first error."""

    plan: ImportPlan | None = None  # when the file could be read

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems, key=lambda p: not p.is_error)
        errors = [p for p in self.problems if p.is_error]
        first = str(errors[0]) if errors else "the import was refused"
        more = len(errors) - 1
        if more > 0:
            first += (
                f" (and {more} more error{'s' if more > 1 else ''}; use --dry-run to list them)"
            )
        super().__init__(first)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def file_error(file: str, message: str) -> ImportFailed:
    """A whole-file problem (not a spreadsheet, empty, damaged...)."""
    return ImportFailed([Problem(ERROR, message, file)])
