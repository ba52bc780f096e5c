"""Reading the time columns of a file fast, with the results of the per-value reading.

:func:`time_column` gives the times that go into row keys (:mod:`.rowkeys`): they are part
of stored fingerprints, so a re-import must read them exactly as before. Reading each
value on its own (pandas' ``format="mixed"``, i.e. dateutil) took 12 s per 100,000
``dd/mm/yyyy hh:mm`` rows and 34 s for Google Forms' zoned times; the two shapes below are
read column-wise instead, with the same results (tests pin them), tens of times faster:

- ``a/b/yyyy[ hh:mm[:ss]]``: month first unless the first number is above 12, the rule
  of the per-value reading;
- Google Forms' ``yyyy/mm/dd h:mm:ss am GMT+1``: the wall-clock time; when a column has
  several zones, the per-value reading converts to UTC, taking "GMT+1" the POSIX way (one
  hour *behind* UTC), and so does :func:`time_column`.

Any other shape, or a column mixing shapes, is read as before, value by value.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from culturescope.importing.answers import is_blank

#: ``3/2/2026``, ``03/02/2026 9:41``, ``13/02/2026 09:41:07`` (a leap second "60", which a
#: strict format would roll over, is left to the per-value reading).
SLASHED = r"^\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:[0-5]\d(?::[0-5]\d)?)?$"
#: Google Forms' timestamps with a zone (hour 0 left to the per-value reading, which
#: accepts "0:41:07 am" where a strict 12-hour format does not).
GOOGLE = r"^(\d{4}/\d{1,2}/\d{1,2} (?:0?[1-9]|1[0-2]):\d{2}:\d{2} [AaPp][Mm]) GMT([+-]\d{1,2})$"
_GOOGLE_FORMAT = "%Y/%m/%d %I:%M:%S %p"


def all_text_like(values: pd.Series, pattern: str) -> bool:
    """True when ``values`` is not empty and every value is text matching ``pattern``."""
    if not len(values) or not re.fullmatch(pattern, str(values.iloc[0])):
        return False  # the first value decides most columns at once
    return pd.api.types.infer_dtype(values, skipna=False) == "string" and bool(
        values.str.fullmatch(pattern).all()
    )


def google_times(values: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """``(wall-clock times, zone hours)`` of a column of Google Forms' zoned times (NaT
    where a value is no date), or None unless every non-blank value has that shape."""
    filled = values.dropna()
    if not all_text_like(filled, GOOGLE):
        return None
    zones = filled.str[-6:].str.strip()  # "GMT+1", "GMT-10"
    wall = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    hours = pd.Series(np.nan, index=values.index)
    for zone in zones.unique().tolist():
        rows = zones.index[zones == zone]
        fmt = f"{_GOOGLE_FORMAT} {zone}"  # the zone as literal text: one strict format
        wall[rows] = pd.to_datetime(filled[rows], format=fmt, errors="coerce")
        hours[rows] = float(zone[3:])
    return wall, hours


def time_column(values: pd.Series) -> pd.Series:
    """Timestamps (NaT where blank or unreadable) of a time column, for row keys.

    The column is read with the format pandas infers from its first value; when that
    leaves values unread, each value is read on its own, and a column whose values carry
    different zones is read in UTC (see the module notes for the two fast shapes).
    """
    s = pd.Series(values.to_numpy(dtype=object), copy=False)
    blank = s.map(is_blank).to_numpy(dtype=bool)
    s = s.where(~blank, None)
    google = google_times(s)
    if google is not None:
        wall, hours = google
        if hours[wall.notna()].nunique() > 1:
            wall = wall + pd.to_timedelta(hours, unit="h")
        return wall
    slashed = all_text_like(s[~blank], SLASHED)
    best = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    # The first attempt infers one format and is vectorised; "mixed" parses value by value.
    for kwargs in ({}, {"format": "mixed"}, {"format": "mixed", "utc": True}):
        if slashed and kwargs:
            if "utc" in kwargs:
                break  # times without a zone: the same as the attempt before
            t = _slashed_each(s)
        else:
            try:
                with warnings.catch_warnings():
                    # "Could not infer format…": expected with exports in local formats;
                    # the next attempt parses value by value.
                    warnings.simplefilter("ignore", UserWarning)
                    t = pd.to_datetime(s, errors="coerce", **kwargs)
            except (ValueError, TypeError, OverflowError):
                continue
        if getattr(t.dt, "tz", None) is not None:
            t = t.dt.tz_localize(None)
        if t.notna().sum() > best.notna().sum():
            best = t
        if best.notna().sum() == (~blank).sum():
            break
    return best


def _slashed_each(s: pd.Series) -> pd.Series:
    """What reading each ``a/b/yyyy[ hh:mm[:ss]]`` value on its own gives: month first
    unless the first number is above 12; NaT where that is no date or time.

    Month first where that is a date, else day first: when the first number is at most
    12, day first could only be a date if month first were one too (the second number
    would be a month, so a valid day), so this is the per-value rule. Each shape (no
    time, hh:mm, hh:mm:ss) is read with a strict format.
    """
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    filled = s.dropna()
    colons = filled.str.count(":")
    for n, time_part in ((0, ""), (1, " %H:%M"), (2, " %H:%M:%S")):
        part = filled[colons == n]
        if not len(part):
            continue
        read = pd.to_datetime(part, format=f"%m/%d/%Y{time_part}", errors="coerce")
        missed = read.isna()
        if missed.any():
            day_first = f"%d/%m/%Y{time_part}"
            read[missed] = pd.to_datetime(part[missed], format=day_first, errors="coerce")
        out[part.index] = read
    return out


def iso_text(times: pd.Series) -> np.ndarray:
    """``YYYY-MM-DDTHH:MM:SS`` of each time (None where NaT), formatting each distinct
    time once."""
    codes, uniques = pd.factorize(times)
    text = np.empty(len(uniques) + 1, dtype=object)
    text[:-1] = pd.DatetimeIndex(uniques).strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object)
    text[-1] = None
    return text[codes]
