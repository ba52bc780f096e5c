"""Identities out of free text: comments are cleaned before anything is stored.

People type their own or a colleague's e-mail address, phone number or name into a
comment; printed on the board's report it would identify them. Every comment is cleaned
by :func:`scrub` on its way into the database (file imports, kiosk, paper entry, bundle
merges), and migration 0004 cleaned comments stored before. What is replaced by
``[removed]``:

- e-mail addresses (``jane.doe@corp.example``);
- phone numbers: 7 or more digits, alone or with spaces, dots, dashes, brackets or a
  leading ``+`` between them (``+44 20 7946 0958``, ``(555) 010-4477``); shorter numbers,
  years and dates stay;
- web addresses with a path (``https://linkedin.com/in/jane-doe``,
  ``intranet/~jdoe/notes``): the path often names a person; a bare site name stays;
- names the campaign knows: its organisation's policy owners and the names the user adds
  (``culturescope campaign set NAME --private-name "Jane Doe"``), whole words, any case.

The raw text is never stored. Also used for import labels (:func:`clean_label`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REMOVED = "[removed]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A URL with a path: scheme or www., a host, then "/" and at least one more character.
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s/]+/[^\s]*[^\s.,;:!?)\]}'\"]"
    r"|\b[\w.-]+\.[a-z]{2,}/[^\s]*~[^\s.,;:!?)\]}'\"]*",
    re.IGNORECASE,
)
# 7+ digits with optional separators: phone numbers, staff and national id numbers.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
_LONG_DIGITS = re.compile(r"\d{5,}")
# Dates written with dashes, dots or spaces (2026-03-01, 01.03.2026) are not phone numbers.
_DATE = re.compile(r"^(?:\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{4})$")


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names`` as whole words, any case (longest first)."""
    cleaned = sorted(
        {" ".join(str(n).split()) for n in names if len(" ".join(str(n).split())) >= 3},
        key=len,
        reverse=True,
    )
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(w) for w in n.split()) for n in cleaned]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def scrub(text: str, names: re.Pattern[str] | None = None) -> tuple[str, int]:
    """``(cleaned text, number of identities removed)``.

    Parameters
    ----------
    names
        A pattern from :func:`name_pattern`, or None for no names.
    """
    count = 0

    def sub(pattern: re.Pattern[str], value: str) -> str:
        nonlocal count
        value, n = pattern.subn(REMOVED, value)
        count += n
        return value

    def phone(match: re.Match[str]) -> str:
        nonlocal count
        if _DATE.match(match.group(0)):
            return match.group(0)
        count += 1
        return REMOVED

    out = sub(_EMAIL, text)
    out = sub(_URL, out)
    out = _PHONE.sub(phone, out)
    if names is not None:
        out = sub(names, out)
    return out, count


def clean_label(name: str) -> str:
    """A user's name for an import, without e-mail addresses or long digit runs."""
    out = _EMAIL.sub("", name)
    out = _LONG_DIGITS.sub("", out)
    return " ".join(out.split()).strip(" -_,.;") or ""


def neutral_label(number: int, rows: int, source: str, extension: str = "") -> str:
    """What an import is called when the user gave it no name: "import 3, 120 rows, xlsx",
    "kiosk 7, 1 row". Never the file's name, which may name a person."""
    what = "import" if source == "file" else source
    label = f"{what} {number}, {rows} row{'' if rows == 1 else 's'}"
    ext = extension.lower().lstrip(".")
    if ext and ext.isalnum() and len(ext) <= 8:
        label += f", {ext}"
    return label
