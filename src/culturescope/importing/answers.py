"""Turn cells into raw answer codes and demographic option ids, a column at a time.

Each column is factorised (its distinct values found once by pandas), each distinct value
is interpreted once, and the results are spread back over the rows with numpy indexing:
100,000 rows × 60 items cost a few hundred distinct values, not 6 million Python calls.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from culturescope.importing.text import normalise_label
from culturescope.instruments import UNDISCLOSED, Demographic, Scale

NA_WORDS = (
    "n a",
    "na",
    "not applicable",
    "don t know",
    "dont know",
    "do not know",
    "not applicable don t know",
    "not applicable dont know",
    "n a don t know",
    "no opinion",
    "can t say",
    "cannot say",
)
UNDISCLOSED_WORDS = ("prefer not to say", "prefer not to answer", "rather not say", "not stated")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_NUMBERED_LABEL = re.compile(r"^\s*(\d+)\s*[-=:.)]\s*(\D.*)$|^\s*(\D.*?)\s*\(\s*(\d+)\s*\)\s*$")


#: Longest free-text demographic answer (a team or site name) accepted, in characters.
MAX_DEMOGRAPHIC_CHARS = 200
#: Longest comment accepted, in characters (about five pages of text).
MAX_COMMENT_CHARS = 20_000
#: Longest cell text repeated in a message; longer text is shortened there.
MAX_QUOTED_CHARS = 60


def quoted(text: str) -> str:
    """``text`` for a message: cut to :data:`MAX_QUOTED_CHARS` with its length said, so
    a 1 MB cell gives a readable line, not a 1 MB one."""
    text = str(text)
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return f"{text[:MAX_QUOTED_CHARS]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class BadCells:
    """Rows (0-based positions) of one column holding the same unusable value."""

    value: object
    message: str
    rows: np.ndarray


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return value is pd.NA or value is pd.NaT


def display(value: object) -> str:
    """A cell value as the user typed it (``4.0`` -> ``4``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _factorised(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


class ScaleReader:
    """Reads answers on one scale: numbers ``1..points``, the N/A code, the scale's labels
    (case, spacing and punctuation ignored), N/A words, or ``"4 - Agree"`` / ``"Agree (4)"``."""

    def __init__(self, scale: Scale, *, extra: dict[str, int] | None = None) -> None:
        self.scale = scale
        #: The user's value mapping (normalised text -> code); checked before anything
        #: else, so it may also recode numbers (a 1-7 file onto a 5-point scale).
        self.extra = dict(extra or {})
        self.labels: dict[str, int] = {}
        for code, label in enumerate(scale.labels, start=1):
            self.labels.setdefault(normalise_label(label), code)
        if scale.na_code is not None:
            for word in (*NA_WORDS, normalise_label(scale.na_label or "")):
                if word:
                    self.labels.setdefault(word, scale.na_code)
        self.valid = set(range(1, scale.points + 1))
        if scale.na_code is not None:
            self.valid.add(scale.na_code)

    def expected(self) -> str:
        na = (
            f", or {self.scale.na_code} / '{self.scale.na_label}'"
            if self.scale.na_code is not None
            else ""
        )
        labels = ", ".join(f"'{x}'" for x in self.scale.labels)
        return f"1 to {self.scale.points} ({labels}){na}"

    def value(self, cell: object) -> tuple[float, str | None]:
        """``(code, None)``, ``(nan, None)`` for blank, ``(nan, message)`` if unusable."""
        if is_blank(cell):
            return math.nan, None
        if self.extra:
            mapped = self.extra.get(normalise_label(display(cell)))
            if mapped is not None:
                return float(mapped), None
        if isinstance(cell, bool | np.bool_):
            return math.nan, f"'{cell}' is not an answer: expected {self.expected()}"
        if isinstance(cell, int | float | np.integer | np.floating):
            return self.number(float(cell))
        if isinstance(cell, dt.date | dt.time | dt.timedelta):
            return (
                math.nan,
                f"'{display(cell)}' is a date/time, not an answer: expected {self.expected()}",
            )
        text = str(cell).strip()
        if _NUMBER.match(text):
            return self.number(float(text.replace(",", ".")), text)
        code = self.labels.get(normalise_label(text))
        if code is not None:
            return float(code), None
        m = _NUMBERED_LABEL.match(text)
        if m:
            number = int(m.group(1) or m.group(4))
            label = self.labels.get(normalise_label(m.group(2) or m.group(3)))
            if label is not None and label != number:
                return math.nan, (
                    f"'{quoted(text)}': the number {number} and the label mean different answers"
                )
            return self.number(float(number), text)
        return (
            math.nan,
            f"'{quoted(text)}' is not an answer of this scale: expected {self.expected()}",
        )

    def number(self, x: float, text: str | None = None) -> tuple[float, str | None]:
        shown = quoted(text or display(x))
        if not float(x).is_integer():
            return math.nan, f"'{shown}' is not a whole number: expected {self.expected()}"
        if int(x) not in self.valid:
            return math.nan, f"{shown} is out of range: expected {self.expected()}"
        return float(x), None

    def column(self, values: pd.Series) -> tuple[np.ndarray, list[BadCells]]:
        """Codes of a whole column (float, NaN blank or unusable) and the unusable cells."""
        if (
            pd.api.types.is_numeric_dtype(values.dtype)
            and not pd.api.types.is_bool_dtype(values.dtype)
            and not self.extra
        ):
            x = values.to_numpy(dtype=float, na_value=np.nan)
            ok = np.isnan(x) | np.isin(x, np.fromiter(self.valid, float))
            if ok.all():
                return x, []
            bad_rows = np.flatnonzero(~ok)
            out = x.copy()
            out[bad_rows] = np.nan
            bad = []
            for v in np.unique(x[bad_rows]):
                rows = bad_rows[x[bad_rows] == v]
                bad.append(BadCells(v, self.number(float(v))[1] or "", rows))
            return out, bad
        codes, uniques = _factorised(values)
        parsed, messages = self.uniques(uniques)
        bad = [
            BadCells(uniques[n], message, np.flatnonzero(codes == n))
            for n, message in messages.items()
        ]
        return parsed[codes], bad

    def uniques(self, uniques: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
        """Codes of factorised values (one extra NaN slot at the end for the NA sentinel
        -1) and the problem of each unusable one, by position."""
        parsed = np.full(len(uniques) + 1, np.nan)
        messages = {}
        for n, u in enumerate(uniques):
            value, message = self.value(u)
            parsed[n] = value
            if message is not None:
                messages[n] = message
        return parsed, messages


class DemographicReader:
    """Reads one demographic: an option by id or label (case-insensitive), "prefer not to
    say" words, or free text (trimmed) for questions without options."""

    def __init__(self, demographic: Demographic, *, extra: dict[str, str] | None = None) -> None:
        self.demographic = demographic
        #: The user's value mapping (normalised text -> option id or free text).
        self.extra = dict(extra or {})
        self.options: dict[str, str] = {}
        for o in demographic.options:
            self.options.setdefault(normalise_label(o.id), o.id)
            self.options.setdefault(normalise_label(o.label), o.id)
        if UNDISCLOSED in demographic.option_ids():
            for word in UNDISCLOSED_WORDS:
                self.options.setdefault(word, UNDISCLOSED)

    def value(self, cell: object) -> tuple[str | None, str | None]:
        if is_blank(cell):
            return None, None
        text = display(cell)
        if self.extra:
            mapped = self.extra.get(normalise_label(text))
            if mapped is not None:
                return mapped, None
        if self.demographic.free_text:
            if len(text) > MAX_DEMOGRAPHIC_CHARS:
                return None, (
                    f"'{quoted(text)}' is too long for {self.demographic.label}: at most "
                    f"{MAX_DEMOGRAPHIC_CHARS} characters are allowed (never cut silently)"
                )
            return " ".join(text.split()), None
        option = self.options.get(normalise_label(text))
        if option is not None:
            return option, None
        labels = ", ".join(f"'{o.label}'" for o in self.demographic.options)
        return None, f"'{quoted(text)}' is not an option of {self.demographic.label} ({labels})"

    def column(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray, list[BadCells]]:
        """``(codes, values, bad)``: ``values[codes[r]]`` is row r's option id / text
        (``codes == -1`` or value None: unanswered)."""
        codes, uniques = _factorised(values)
        parsed = np.empty(len(uniques), dtype=object)
        bad = []
        for n, u in enumerate(uniques):
            value, message = self.value(u)
            parsed[n] = value
            if message is not None:
                bad.append(BadCells(u, message, np.flatnonzero(codes == n)))
        return codes, parsed, bad


def text_column(values: pd.Series) -> np.ndarray:
    """Comment texts, trimmed; None where blank."""
    out = np.empty(len(values), dtype=object)
    for n, v in enumerate(values.to_numpy(dtype=object)):
        out[n] = None if is_blank(v) else display(v)
    return out


def key_column(values: pd.Series) -> np.ndarray:
    """Canonical text of metadata values (a response number, a time) for fingerprints:
    the same value read from xlsx or csv gives the same text."""
    codes, uniques = _factorised(values)
    parsed = np.empty(len(uniques) + 1, dtype=object)
    parsed[-1] = ""
    for n, u in enumerate(uniques):
        parsed[n] = "" if is_blank(u) else display(u)
    keys: np.ndarray = parsed[codes]
    return keys
