"""Reading a date column with one rule for the whole column.

Text dates such as ``03/02/2026`` mean 3 February day-first and 2 March month-first. Reading
each cell on its own (as a "mixed" parser does) can read ``13/02/2026`` day-first and
``03/02/2026`` month-first in the same column. Here the order is decided once per column
from its values:

- a first number above 12 somewhere (``13/02/2026``) -> the column is day-first;
- a second number above 12 somewhere (``02/13/2026``) -> month-first;
- both -> the column mixes orders: its slash dates cannot be trusted and are unknown;
- neither -> ambiguous: read month-first when the times use a 12-hour clock with AM/PM
  (``11/10/2026 09:00:00 AM``, as US exports write them: a strong month-first hint), else
  day-first, unless told otherwise (``order``); reported either way.

ISO dates (``2026-02-03``) and real date cells of a workbook are never ambiguous. A value
that cannot be read is *unknown* (NaT): the caller warns with its rows and stores no date,
never the import date.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from culturescope.importing.answers import display, is_blank, quoted
from culturescope.importing.problems import WARNING, Problem, short_header
from culturescope.importing.times import google_times

if TYPE_CHECKING:
    import datetime as dt

    from culturescope.importing.columns import ColumnMatch
    from culturescope.importing.reading import RawTable

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
ORDERS = (DAY_FIRST, MONTH_FIRST)
#: Unreadable dates named one by one before the rest are counted in one line.
MAX_LISTED = 100
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
#: A time after the date: hh:mm[:ss], then AM/PM (``09:00:00 AM``, ``9:41 p.m.``) or not.
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*([AaPp]\.?\s?[Mm]\b\.?)?")
#: Why an ambiguous column was read month-first.
TWELVE_HOUR = "the times use a 12-hour clock with AM/PM, as US exports write them"


@dataclass(frozen=True)
class DateColumn:
    """A date column as read: ``times`` (NaT where blank or unknown), the ``order`` used
    for numeric text dates (None when there were none), whether that order was
    ``ambiguous`` (no number above 12 decided it) or ``mixed`` (both orders occur), and
    the positions of ``unreadable`` non-blank cells. ``reason`` says why an ambiguous
    column was read in the order used, when something in its values suggested it."""

    times: pd.Series
    order: str | None
    ambiguous: bool
    mixed: bool
    unreadable: np.ndarray
    reason: str | None = None


def twelve_hour_clock(texts: list[str]) -> bool:
    """True when the numeric dates of ``texts`` carry times, all with AM/PM."""
    clocks = [
        _TIME.search(t, m.end()) for t in texts if (m := _NUMERIC_DATE.match(t)) is not None
    ]
    times = [c for c in clocks if c is not None]
    return bool(times) and all(c.group(1) for c in times)


def decide_order(texts: list[str]) -> tuple[str | None, bool, bool]:
    """``(order, ambiguous, mixed)`` of numeric text dates (see the module notes)."""
    first_big = second_big = False
    seen = False
    for t in texts:
        m = _NUMERIC_DATE.match(t)
        if not m:
            continue
        seen = True
        a, b = int(m.group(1)), int(m.group(2))
        first_big |= a > 12
        second_big |= b > 12
    if not seen:
        return None, False, False
    if first_big and second_big:
        return None, False, True
    if first_big:
        return DAY_FIRST, False, False
    if second_big:
        return MONTH_FIRST, False, False
    return None, True, False


def read_dates(values: pd.Series, *, order: str | None = None) -> DateColumn:
    """Read a column of dates/times with one day/month order for all its text dates.

    ``order`` (``day-first`` / ``month-first``) is used when the values leave it open.
    """
    if order is not None and order not in ORDERS:
        raise ValueError(f"date order must be one of {', '.join(ORDERS)}, not {order!r}")
    cells = values.to_numpy(dtype=object)
    blank = np.fromiter((is_blank(v) for v in cells), dtype=bool, count=len(cells))
    texts = [str(v).strip() for v, b in zip(cells, blank) if not b and isinstance(v, str)]
    decided, ambiguous, mixed = decide_order(texts)
    reason = None
    if ambiguous and order is None and twelve_hour_clock(texts):
        order, reason = MONTH_FIRST, TWELVE_HOUR
    use = decided or order or DAY_FIRST
    # The stubs of numpy (np.where with None) and pandas (Series of dtype object) are
    # narrower than the libraries: both are documented uses.
    s = pd.Series(np.where(blank, None, cells), dtype=object)  # type: ignore[call-overload,arg-type]
    numeric = np.array([isinstance(v, str) and bool(_NUMERIC_DATE.match(v)) for v in s], bool)
    # Only dd/mm/yyyy-shaped text takes the column's order: with "day first" on, a parser
    # would also read 2026-02-05 as 2 May.
    times = _parse(s.where(~numeric, None), dayfirst=False)
    if numeric.any() and not mixed:  # in both orders, none of them can be trusted
        times[numeric] = _parse(s[numeric], dayfirst=use == DAY_FIRST)
    unreadable = np.flatnonzero(~blank & times.isna().to_numpy())
    used = None if not texts or (decided is None and not ambiguous) else use
    return DateColumn(
        times, used, ambiguous and (order is None or reason is not None), mixed, unreadable, reason
    )


def _parse(s: pd.Series, *, dayfirst: bool) -> pd.Series:
    """Timestamps (naive) of ``s``.

    A column's texts usually share one format: it is guessed from the first text and the
    whole column parsed with it at C speed (a strict format reads a value right or not at
    all); only the values it does not read go through the general parser, which tries
    each value on its own (about 100 times slower on 100,000 rows).
    """
    google = google_times(s)
    if google is not None:  # Google Forms' zoned times: the day the respondent saw
        return google[0]
    texts = s[s.map(lambda v: isinstance(v, str))]
    fmt = None
    if len(texts):
        from pandas.tseries.api import guess_datetime_format

        fmt = guess_datetime_format(str(texts.iloc[0]).strip(), dayfirst=dayfirst)
    if fmt is None or "%z" in fmt or "%Z" in fmt:
        return _parse_each(s, dayfirst=dayfirst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            times = pd.to_datetime(
                s.str.strip().where(s.map(lambda v: isinstance(v, str)), s),
                format=fmt,
                errors="coerce",
            )
        except (ValueError, TypeError, OverflowError):
            return _parse_each(s, dayfirst=dayfirst)
    missed = times.isna().to_numpy() & s.notna().to_numpy()
    if missed.any():
        times = times.astype("datetime64[ns]")
        times[missed] = _parse_each(s[missed], dayfirst=dayfirst).to_numpy()
    return times


def _parse_each(s: pd.Series, *, dayfirst: bool) -> pd.Series:
    """Timestamps (naive) of ``s``; the whole column at once, else value by value (time
    zones that differ between rows make the first attempt fail)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            times = pd.to_datetime(s, errors="coerce", format="mixed", dayfirst=dayfirst)
            if getattr(times.dt, "tz", None) is not None:
                times = times.dt.tz_localize(None)
            return times
        except (ValueError, TypeError, OverflowError):
            pass
        out = []
        for v in s:
            try:
                t = pd.to_datetime(v, errors="coerce", dayfirst=dayfirst)
            except (ValueError, TypeError, OverflowError):
                t = pd.NaT
            if t is not pd.NaT and getattr(t, "tzinfo", None) is not None:
                t = t.tz_localize(None)
            out.append(t)
        return pd.Series(pd.to_datetime(out, errors="coerce"), index=s.index)


#: What LimeSurvey writes as the submission time of a completed response when the survey
#: stores no dates ("Date stamp" off): a mark, not a date.
LIMESURVEY_NO_DATE = pd.Timestamp(1980, 1, 1)


def _no_datestamp(times: pd.Series, kept: np.ndarray, where: str, notices: list[str]) -> None:
    """Blank LimeSurvey's 1980-01-01 00:00:00 mark in ``times`` (in place), with a note."""
    mark = (times == LIMESURVEY_NO_DATE).to_numpy()
    if not (mark & kept).any():
        return
    times[mark] = pd.NaT
    notices.append(
        f"{where}: 1980-01-01 00:00:00 is how LimeSurvey marks a completed response in a "
        "survey that stores no dates; those responses are stored with their date unknown"
    )


def submission_dates(
    raw: RawTable,
    column: ColumnMatch | None,
    rows: np.ndarray,
    order: str | None,
    problems: list[Problem],
    notices: list[str],
) -> list[dt.date | None]:
    """The date of each of ``rows`` from the submission (or start) time ``column``, read with
    one day/month order for the whole column; unreadable times are unknown (None) and
    warned about with their rows, never replaced by another date."""
    if column is None:
        return [None] * len(rows)
    read = read_dates(raw.data[column.index], order=order)
    file = raw.source.name
    where = f"column {column.letter} ({short_header(column.header)})"
    if read.mixed:
        problems.append(
            Problem(
                WARNING,
                "dates are written both day-first (13/02/…) and month-first (02/13/…): "
                "those dates cannot be trusted and are stored as unknown",
                file,
                None,
                column.header,
                column.letter,
            )
        )
    elif read.ambiguous:
        other = MONTH_FIRST if read.order == DAY_FIRST else DAY_FIRST
        why = f" because {read.reason}" if read.reason else ""
        notices.append(
            f"{where}: every date could be day-first or month-first (no day above 12); read "
            f"as {read.order}{why} — if they are {other}, import again with --dates {other} "
            "(or choose it under the wizard's preview)"
        )
    elif read.order is not None:
        notices.append(f"{where}: dates read as {read.order}")
    kept = np.zeros(len(raw.data), dtype=bool)
    kept[rows] = True
    _no_datestamp(read.times, kept, where, notices)
    bad = [r for r in read.unreadable.tolist() if kept[r]]
    numbers = raw.row_numbers()
    for r in bad[:MAX_LISTED]:
        problems.append(
            Problem(
                WARNING,
                f"'{quoted(display(raw.data[column.index].iloc[r]))}' cannot be read as a "
                "date: the response is stored with its date unknown",
                file,
                int(numbers[r]),
                column.header,
                column.letter,
            )
        )
    if len(bad) > MAX_LISTED:
        problems.append(
            Problem(
                WARNING,
                f"and {len(bad) - MAX_LISTED} more rows with unreadable dates",
                file,
                None,
                column.header,
                column.letter,
            )
        )
    times = read.times.iloc[rows]
    return [None if pd.isna(t) else t.date() for t in times]
