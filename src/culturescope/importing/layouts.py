"""Survey tools whose exports have more than one header row, recognised from the cells.

- **Qualtrics** (csv and xlsx): row 1 holds export tags (``StartDate``, ``Q1``,
  ``Q2_3``), row 2 the question texts ("Please rate… - Leaders take responsibility…" for
  the statements of a matrix), row 3 one ``{"ImportId": …}`` JSON cell per column. Row 2
  becomes the header; rows 1 and 3 are dropped; data start on row 4.
- **SurveyMonkey** (csv and xlsx): row 1 holds the metadata names and each question's title
  (once, over the first of its columns; the others are blank or merged), row 2 the statement
  of each matrix column, ``Response`` under a single-choice question and ``Open-Ended
  Response`` under a text question. Each column's header becomes "title - statement" (or
  the title); data start on row 3.

Matching then treats "Question - Statement" like any header (see
:mod:`culturescope.importing.columns`).

- **LimeSurvey** with "Question code & question text" headings (``G01Q01[SQ001]. Question
  [Statement]``, ``id. Response ID``): the codes are set aside, the texts matched.

Headers that are only a form's codes or names (LimeSurvey's "Question code" headings,
KoboToolbox's "XML values and headers") cannot be matched: :func:`code_headings`
recognises them so that the import can say how to export the file with question texts.
Any other layout is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from culturescope.importing.answers import display, is_blank
from culturescope.importing.columns import (
    COMMENT,
    DEMOGRAPHIC,
    IDENTIFYING,
    UNMATCHED,
    ColumnMatch,
    classify_metadata,
)

if TYPE_CHECKING:
    from culturescope.importing.reading import RawTable

QUALTRICS, SURVEYMONKEY = "Qualtrics", "SurveyMonkey"
_SINGLE = {"response", "open-ended response", "open ended response"}


def _row(raw: RawTable, n: int) -> list[str]:
    cells = raw.block(list(range(len(raw.headers))))[n] if len(raw.data) > n else []
    return ["" if is_blank(v) else display(v) for v in cells]


def detect(raw: RawTable) -> str | None:
    """``Qualtrics``, ``SurveyMonkey`` or None (a one-header-row file)."""
    if len(raw.data) < 2:
        return None
    second = _row(raw, 1)
    if sum(c.startswith('{"ImportId"') for c in second) >= max(2, len(second) // 2):
        return QUALTRICS
    first = _row(raw, 0)
    # "Response" under a question and no answer-like cell in the row: a second header row.
    if any(c.casefold() in _SINGLE for c in first) and _only_text(first):
        return SURVEYMONKEY
    return None


def _only_text(cells: list[str]) -> bool:
    """True when no cell of a row looks like an answer (a number or a date)."""
    return not any(c.replace(".", "", 1).isdigit() for c in cells if c)


def apply_layout(raw: RawTable) -> tuple[RawTable, str | None]:
    """``raw`` with one header row per column (rows above the data dropped), and the
    tool's name; ``raw`` itself and None for single-header files."""
    tool = detect(raw)
    if tool is None:
        separator = limesurvey_separator(raw.headers)
        if separator is not None:
            return strip_codes(raw, separator), LIMESURVEY_CODE_TEXT
        return raw, None
    if tool == QUALTRICS:
        texts = _row(raw, 0)
        headers = [t or h for t, h in zip(texts, raw.headers)]
        return _drop_rows(raw, headers, 2, tool), tool
    subs = _row(raw, 0)
    headers, title = [], ""
    for h, sub in zip(raw.headers, subs):
        if h.strip():
            title = h.strip()
        if not sub or sub.casefold() in _SINGLE:
            headers.append(title if h.strip() or sub else "")
        else:
            headers.append(f"{title} - {sub}" if title else sub)
    return _drop_rows(raw, headers, 1, tool), tool


def _drop_rows(raw: RawTable, headers: list[str], n: int, tool: str) -> RawTable:
    return replace(
        raw,
        headers=headers,
        data=raw.data.iloc[n:].reset_index(drop=True),
        source=replace(raw.source, header_row=raw.source.header_row + n, layout=tool),
        cells=raw.cells[n:] if raw.cells is not None else None,
        numbers=raw.numbers[n:].copy() if raw.numbers is not None else None,
    )


_COORDINATES = re.compile(r"^\s*-?\d{1,3}\.\d{3,}[ ,;]+-?\d{1,3}\.\d{3,}(\s+\S+){0,2}\s*$")


def coordinates_dropped(raw: RawTable, column: ColumnMatch) -> ColumnMatch:
    """A demographic, comment or unmatched column whose answers are GPS positions (a
    KoboToolbox/ODK geopoint such as "51.5072 -0.1276 12 5") identifies where a person
    was: it is dropped like an e-mail column, whatever its header says."""
    if column.kind not in (DEMOGRAPHIC, COMMENT, UNMATCHED):
        return column
    values = [display(v) for v in raw.data[column.index].dropna().to_numpy(dtype=object)[:200]]
    values = [v for v in values if v]
    if not values or sum(bool(_COORDINATES.match(v)) for v in values) < 0.8 * len(values):
        return column
    return ColumnMatch(
        column.index, column.header, column.letter, IDENTIFYING, None, "GPS position"
    )


#: LimeSurvey's "Question code & question text" headings: "G01Q01. Question text",
#: "Q1[SQ001]. Question [Statement]", "id. Response ID" (the separator can be changed in
#: the export; ". " is its default).
LIMESURVEY_CODE_TEXT = "LimeSurvey (question code & question text)"
_LS_CODE = r"[A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_#-]+\])*"
_LS_META_CODES = ("id", "submitdate", "lastpage", "startlanguage", "seed", "startdate")
_LS_META = re.compile(rf"^({'|'.join(_LS_META_CODES)})([^A-Za-z0-9\[\]]{{1,4}})\S")


def limesurvey_separator(headers: list[str]) -> str | None:
    """The code/text separator of LimeSurvey's "Question code & question text" headings
    (``id. Response ID``), found on at least two of its metadata columns; else None."""
    seps = [m.group(2) for h in headers if (m := _LS_META.match(h.strip()))]
    if len(seps) < 2 or len(set(seps)) != 1:
        return None
    return seps[0]


def strip_codes(raw: RawTable, separator: str) -> RawTable:
    """``raw`` with each "code<separator>text" heading replaced by its text."""
    code = re.compile(rf"^{_LS_CODE}{re.escape(separator)}(?=\S)")
    headers = [code.sub("", h.strip(), count=1) for h in raw.headers]
    return replace(raw, headers=headers, source=replace(raw.source, layout=LIMESURVEY_CODE_TEXT))


#: Headers that only a form's own names give: LimeSurvey's "Question code" headings
#: (``G01Q01``, ``Q1[SQ001]``) and KoboToolbox/ODK's "XML values and headers"
#: (``group_x/q1``); ODK Central writes ``group_x-q1`` (and has no other kind of heading).
#: Field names that are the instrument's ids match anyway (:mod:`.columns`).
_NAME = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_.-]*(?:/[A-Za-z_][A-Za-z0-9_.-]*)*(?:\[[A-Za-z0-9_#-]+\])*$"
)
LIMESURVEY, KOBO, ODK_CENTRAL = "LimeSurvey", "KoboToolbox/ODK", "ODK Central"


def code_headings(headers: list[str]) -> tuple[str, list[str]] | None:
    """``(tool, example headers)`` when the headers are a survey tool's question codes or
    XML names rather than question texts, else None."""
    stripped = [h.strip() for h in headers if h.strip()]
    names = {h.casefold() for h in stripped}
    if "id" in names and len(names & {"submitdate", "lastpage", "startlanguage"}) >= 2:
        tool = LIMESURVEY
    elif {"submissiondate", "key"} <= names:
        tool = ODK_CENTRAL
    elif names & {"_uuid", "_submission_time", "meta/instanceid", "key", "submissiondate"}:
        tool = KOBO
    else:
        return None
    questions = [h for h in stripped if not h.startswith("_") and not classify_metadata(h)]
    coded = [h for h in questions if _NAME.match(h)]
    if not questions or len(coded) < 0.6 * len(questions):
        return None
    return tool, coded[:2]
