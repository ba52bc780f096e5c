"""Plan an import: match columns, read every answer, list every problem, store nothing.

The plan is what the preview shows (the mapping and the problems) and what
:func:`culturescope.importing.import_file` stores when it has no errors.

Duplicate detection
-------------------
Each kept row gets a source key, its identity in the file (see :mod:`.rowkeys`): rows
repeating an earlier row's key are imported once, with a warning naming both rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from culturescope.importing.answers import (
    MAX_COMMENT_CHARS,
    MAX_QUOTED_CHARS,
    BadCells,
    DemographicReader,
    display,
    quoted,
    text_column,
)
from culturescope.importing.columns import (
    COMMENT,
    DEMOGRAPHIC,
    IDENTIFYING,
    ITEM,
    METADATA,
    UNMATCHED,
    WORDING,
    ColumnMatch,
    match_columns,
)
from culturescope.importing.dates import submission_dates
from culturescope.importing.fit import instrument_fit
from culturescope.importing.identity import is_form_number_header
from culturescope.importing.itemcells import read_items
from culturescope.importing.layouts import (
    LIMESURVEY_CODE_TEXT,
    code_headings,
    coordinates_dropped,
)
from culturescope.importing.ownnames import FileNames, file_names
from culturescope.importing.problems import ERROR, WARNING, Problem, short_header
from culturescope.importing.reading import RawTable, SourceInfo, without_rows
from culturescope.importing.review import review_rejected
from culturescope.importing.rowkeys import (
    SEED_HEADERS,
    identical_rows_warnings,
    row_content,
    source_keys,
)
from culturescope.importing.text import normalise
from culturescope.importing.values import (
    UnknownValue,
    ValueMapping,
    check_keys,
    demographic_extra,
    scale_extra,
    unknown_values,
)
from culturescope.instruments import Instrument
from culturescope.storage import codes

#: Cell problems listed per column and message before they are summarised in one line.
MAX_LISTED_PER_COLUMN = 100
MORE_ROWS = "more rows with unusable answers in this column"


@dataclass
class ImportPlan:
    """The outcome of matching and validating a table, before anything is stored.

    ``columns``: one :class:`ColumnMatch` per column of the file. ``problems``: every
    :class:`Problem` (errors block the import, warnings do not). ``notices``: what the user
    should know (dropped columns, skipped rows...). The remaining fields hold the rows that
    would be stored, aligned with each other: ``answers`` (rows × instrument items, raw
    codes, NaN blank), ``demographics``, ``comments`` (row position -> prompt -> text),
    ``row_numbers`` (spreadsheet rows), ``submitted_on`` and ``source_keys``.
    """

    source: SourceInfo
    instrument: Instrument
    columns: list[ColumnMatch]
    problems: list[Problem]
    notices: list[str]
    rows_read: int
    answers: np.ndarray
    demographics: list[dict[str, str]]
    comments: dict[int, dict[str, str]]
    row_numbers: np.ndarray
    submitted_on: list[date | None]
    source_keys: list[str | None] = field(repr=False)  # None: the row has no identity
    answer_strings: list[str] = field(default_factory=list, repr=False)  # storage encoding
    key_kind: str = "content"
    #: Per row: the weak key of a row identified by a counter and its content (see
    #: :mod:`.rowkeys`), else None.
    weak_keys: list[str | None] = field(default_factory=list, repr=False)
    #: Data rows left out as empty, and as repeating an earlier row of the file.
    rows_empty: int = 0
    rows_repeated: int = 0
    #: The value mapping used (key -> value -> target, see :mod:`.values`).
    value_mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Every value no reader or value mapping knows, once per key, with its count.
    unknown_values: list[UnknownValue] = field(default_factory=list)
    #: Every unusable cell: (column, the rows holding one unusable value), for
    #: :meth:`rejected_rows` (``problems`` lists at most 100 rows per column).
    cell_errors: list[tuple[ColumnMatch, BadCells]] = field(default_factory=list, repr=False)
    #: Submissions left out as rejected in ODK Central's review (see :mod:`.review`).
    rows_review_rejected: int = 0
    #: rows marked rejected in ODK Central that ``include_rejected`` let in
    rows_review_included: int = 0
    #: Position in the table given to :func:`plan_import` of each row planned, when rows
    #: were left out before planning (None: the same positions).
    positions: np.ndarray | None = field(default=None, repr=False)

    @property
    def file_errors(self) -> list[Problem]:
        """Errors about the whole file or a whole column (no row to skip)."""
        return [p for p in self.errors if p.row is None and not p.message.endswith(MORE_ROWS)]

    def rejected_rows(self) -> dict[int, list[str]]:
        """Data-row position (0-based, in the table read) -> why the row is unusable."""
        out: dict[int, list[str]] = {}
        for column, bad in self.cell_errors:
            reason = f"column {column.letter} ({short_header(column.header)}): {bad.message}"
            rows = bad.rows if self.positions is None else self.positions[bad.rows]
            for r in rows.tolist():
                out.setdefault(r, []).append(reason)
        return out

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not any(p.is_error for p in self.problems)

    @property
    def rows(self) -> int:
        """Rows that would be stored (blank rows and in-file duplicates left out)."""
        return len(self.row_numbers)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def mapping(self) -> dict[str, str]:
        """Header -> target as a mapping file stores it (see :mod:`.mapping`)."""
        out: dict[str, str] = {}
        for c in self.columns:
            if not c.header or c.header in out:
                continue
            if c.kind in (ITEM, DEMOGRAPHIC, COMMENT):
                out[c.header] = f"{c.kind}:{c.target}"
            elif c.kind == METADATA:
                out[c.header] = f"metadata:{c.target}"
            elif c.kind == IDENTIFYING:
                out[c.header] = "identifying"
            else:
                out[c.header] = "ignore"
        return out


def plan_import(
    raw: RawTable,
    instrument: Instrument,
    *,
    mapping: Mapping[str, str] | str | Path | None = None,
    values: ValueMapping | None = None,
    date_order: str | None = None,
    names: FileNames | None = None,
    include_rejected: bool = False,
) -> ImportPlan:
    """Match ``raw``'s columns to ``instrument`` and validate every cell.

    Parameters
    ----------
    mapping
        Header -> target (see :func:`culturescope.importing.load_mapping`), or the path
        of a mapping file (whose ``values:`` are used too). Headers it does not name are
        matched automatically.
    values
        Value mapping: key -> file value -> target (see :mod:`.values`); added to (and
        winning over) a mapping file's own ``values:``.
    date_order
        ``day-first`` or ``month-first``: how to read a date column whose values leave it
        open (see :mod:`.dates`); default day-first, with a notice.
    names
        The respondents' names to remove from the comments (see :mod:`.ownnames`); by
        default those in ``raw``'s own identifying columns. Given when ``raw`` is part of
        a file, so that the names of the whole file count.
    include_rejected
        Also plan the submissions marked rejected in ODK Central's review (left out by
        default, with a notice; see :mod:`.review`).
    """
    value_mapping: dict[str, dict[str, str]] = {}
    if isinstance(mapping, str | Path):
        from culturescope.importing.mapping import load_mapping, load_value_mapping

        value_mapping = load_value_mapping(mapping)
        mapping = load_mapping(mapping)
    for key, table in (values or {}).items():
        value_mapping.setdefault(key, {}).update(table)
    file = raw.source.name
    has_data = [bool(h.strip()) or _has_data(raw.data[i]) for i, h in enumerate(raw.headers)]
    columns, problems, notices = match_columns(
        raw.headers,
        instrument,
        mapping=mapping,
        has_data=has_data,
        first_column=raw.source.first_column,
        file=file,
    )
    if raw.source.layout == LIMESURVEY_CODE_TEXT:
        notices.append(
            "recognised a LimeSurvey export with question code & question text headings: "
            "the codes are set aside and the question texts matched"
        )
    elif raw.source.layout:
        notices.append(
            f"recognised a {raw.source.layout} export: its header rows are read as one, "
            f"data start on row {raw.source.header_row + 1}"
        )
    columns = [coordinates_dropped(raw, c) for c in columns]
    rows_given = len(raw.data)
    review = review_rejected(raw, columns, include=include_rejected)
    if review.rows:
        notices.append(review.notice)
    positions = None
    if review.rows and not include_rejected:
        if names is None:  # the names of the rows left out still clean the others
            names = file_names(raw.data, columns)
        positions = np.setdiff1d(np.arange(rows_given), np.asarray(review.rows))
        raw = without_rows(raw, review.rows)
    fit = instrument_fit(raw, instrument, columns, notices)
    problems += fit
    # Headers that are a tool's codes: that one line says what to do; the cells of the
    # few columns matched by chance would only bury it.
    coded = bool(fit) and code_headings(raw.headers) is not None
    problems += check_keys(instrument, value_mapping, file=file)
    dropped = [c for c in columns if c.kind == IDENTIFYING]
    if dropped:
        listed = ", ".join(f"{short_header(c.header)} ({c.letter})" for c in dropped)
        notices.append(
            f"dropped {len(dropped)} column{'s' if len(dropped) > 1 else ''} that could identify "
            f"respondents (never stored): {listed}"
        )
    demographic = [c for c in columns if c.kind == DEMOGRAPHIC]
    if demographic:
        notices.append(
            "demographics: "
            + "; ".join(
                f"{short_header(c.header)} ({c.letter}) -> "
                f"{instrument.demographic_by_id[c.target_id].label}"
                + (" (recognised from the wording)" if c.how == WORDING else "")
                for c in demographic
            )
        )
    unmatched = [c for c in columns if c.kind == UNMATCHED]
    if unmatched:
        notices.append(
            f"ignored {len(unmatched)} unmatched column{'s' if len(unmatched) > 1 else ''}: "
            + ", ".join(f"{short_header(c.header)} ({c.letter})" for c in unmatched)
        )

    n = len(raw.data)
    row_numbers = raw.row_numbers()
    item_pos = {item.id: k for k, item in enumerate(instrument.items)}
    answers = np.full((n, len(instrument.items)), np.nan, order="F")  # filled by column
    answered = np.zeros(n, dtype=bool)
    cell_problems: list[Problem] = []
    bad_by_column: list[tuple[str, str, str, list[BadCells]]] = []
    cell_errors: list[tuple[ColumnMatch, BadCells]] = []
    item_cols = [c for c in columns if c.kind == ITEM]
    scale_tables = {}
    for scale in instrument.scales.values():
        scale_tables[scale.id], mapping_problems = scale_extra(scale, value_mapping, file=file)
        problems += mapping_problems
    for c, bad in read_items(raw, instrument, item_cols, answers, item_pos, scale_tables):
        for b in bad:
            answered[b.rows] = True
        cell_problems += _cell_problems(bad, c, row_numbers, file)
        bad_by_column.append((ITEM, c.target_id, c.letter, bad))
        cell_errors += [(c, b) for b in bad]
    answered |= ~np.isnan(answers).all(axis=1)

    demographic_cols = [c for c in columns if c.kind == DEMOGRAPHIC]
    demographic_codes = np.zeros((n, len(demographic_cols)), dtype=np.int64)
    demographic_values: list[np.ndarray] = []
    for j, c in enumerate(demographic_cols):
        asked = instrument.demographic_by_id[c.target_id]
        extra, mapping_problems = demographic_extra(asked, value_mapping, file=file)
        if j == next(k for k, d in enumerate(demographic_cols) if d.target == c.target):
            problems += mapping_problems  # once per demographic
        reader_d = DemographicReader(asked, extra=extra)
        col_codes, labels, bad = reader_d.column(raw.data[c.index])
        unanswered = np.array([v is None for v in labels], dtype=np.bool_)
        col_codes = np.where(
            (col_codes < 0) | (unanswered[col_codes] if len(labels) else True), -1, col_codes
        )
        demographic_codes[:, j] = col_codes
        demographic_values.append(labels)
        answered |= col_codes >= 0
        for b in bad:
            answered[b.rows] = True
        cell_problems += _cell_problems(bad, c, row_numbers, file)
        bad_by_column.append((DEMOGRAPHIC, c.target_id, c.letter, bad))
        cell_errors += [(c, b) for b in bad]
    unknown = unknown_values(instrument, bad_by_column)
    if unknown:
        notices.append(
            f"{len(unknown)} answer value{'s' if len(unknown) > 1 else ''} not known to the "
            "instrument: "
            + "; ".join(f"'{quoted(u.value)}' ({u.what}, {u.count}×)" for u in unknown[:10])
            + ("; …" if len(unknown) > 10 else "")
            + ". Map them under 'values:' in a mapping file (--write-mapping writes one to "
            "fill in) or in the import wizard"
        )

    comment_cols = [c for c in columns if c.kind == COMMENT]
    comment_text = {c.target_id: text_column(raw.data[c.index]) for c in comment_cols}
    for c in comment_cols:
        bad = _long_comments(comment_text[c.target_id])
        cell_problems += _cell_problems(bad, c, row_numbers, file)
        cell_errors += [(c, b) for b in bad]
    for texts in comment_text.values():
        answered |= np.array([t is not None for t in texts], dtype=bool)

    # Demographics per row: one dict per distinct combination, shared by its rows.
    if demographic_cols and n:
        combo_of_row, combos = _combinations(
            demographic_codes, [len(v) for v in demographic_values]
        )
        combo_dicts = [
            {
                demographic_cols[j].target_id: demographic_values[j][code]
                for j, code in enumerate(combo)
                if code >= 0
            }
            for combo in combos
        ]
    else:
        combo_of_row = np.zeros(n, dtype=np.int64)
        combo_dicts = [{}]

    blank_rows = np.flatnonzero(~answered)
    if len(blank_rows) and not fit:  # no question matched: every row is "empty", say nothing
        notices.append(_blank_rows_notice(raw, blank_rows))
    keep = np.flatnonzero(answered)

    meta = {c.target_id: c for c in columns if c.kind == METADATA}
    everything = len(keep) == n
    kept_answers = answers if everything else answers[keep]
    answer_strings = codes.encode_matrix(kept_answers) if len(keep) else []
    content = row_content(keep, answer_strings, combo_of_row, combo_dicts, comment_text)
    ids = meta.get("id")
    roles = {role: c.index for role, c in meta.items()}
    for c in columns:
        if c.kind == METADATA and normalise(c.header) in SEED_HEADERS:
            roles["seed"] = c.index
    keys = source_keys(
        raw.data,
        roles,
        form_numbers=ids is not None and is_form_number_header(ids.header),
        keep=keep,
        content=content,
    )
    duplicates = keys.duplicates
    for pos, first in duplicates:
        cell_problems.append(
            Problem(
                WARNING,
                keys.repeat_message(pos, int(row_numbers[keep[first]])),
                file,
                int(row_numbers[keep[pos]]),
            )
        )
    if keys.reused:
        shown = ", ".join(str(row_numbers[keep[p]]) for p in keys.reused[:10])
        notices.append(
            f"{len(keys.reused)} row{'s' if len(keys.reused) > 1 else ''} repeat the "
            f"response number of an earlier row but not its answers, time or seed (row"
            f"{'s' if len(keys.reused) > 1 else ''} {shown}{', …' if len(keys.reused) > 10 else ''})"
            ": kept, as different people (two surveys numbered from 1 in one file?)"
        )
    if keys.kind == "content":
        cell_problems += identical_rows_warnings(content, keep, row_numbers, file)

    unique = np.ones(len(keep), dtype=bool)
    unique[[pos for pos, _ in duplicates]] = False
    final = keep[unique]
    final_keys = [k for k, u in zip(keys.keys, unique) if u]
    final_weak = [k for k, u in zip(keys.weak, unique) if u]
    submitted = submission_dates(
        raw, meta.get("end") or meta.get("start"), final, date_order, cell_problems, notices
    )
    comments: dict[int, dict[str, str]] = {}
    if names is None:
        names = file_names(raw.data, columns)
    removed = 0
    for pid, texts in comment_text.items():
        for at in np.flatnonzero(pd.notna(texts[final])).tolist():
            comments.setdefault(at, {})[pid], count = names.clean(texts[final[at]])
            removed += count
    if removed:
        notices.append(_names_notice(removed, names.columns))
    all_kept = len(final) == n

    if coded:
        cell_problems = [p for p in cell_problems if not p.is_error]
    cell_problems.sort(key=lambda p: (p.row or 0, len(p.letter or ""), p.letter or ""))
    return ImportPlan(
        source=raw.source,
        instrument=instrument,
        columns=columns,
        problems=problems + cell_problems,
        notices=notices,
        rows_read=rows_given,
        answers=answers if all_kept else answers[final],
        demographics=[combo_dicts[i] for i in combo_of_row[final].tolist()],
        comments=comments,
        row_numbers=row_numbers[final],
        submitted_on=submitted,
        source_keys=final_keys,
        weak_keys=final_weak,
        answer_strings=answer_strings
        if len(final) == len(keep)
        else [a for a, u in zip(answer_strings, unique) if u],
        key_kind=keys.kind,
        rows_empty=len(blank_rows),
        rows_repeated=len(duplicates),
        value_mapping=value_mapping,
        unknown_values=unknown,
        cell_errors=cell_errors,
        rows_review_rejected=0 if include_rejected else len(review.rows),
        rows_review_included=len(review.rows) if include_rejected else 0,
        positions=positions,
    )


def _blank_rows_notice(raw: RawTable, blank_rows: np.ndarray) -> str:
    """Rows left out for having no answer, saying when they hold values elsewhere."""
    n = len(blank_rows)
    elsewhere = int(raw.data.iloc[blank_rows].notna().any(axis=1).sum())
    if not elsewhere:
        return f"skipped {n} empty row{'s' if n > 1 else ''}"
    return (
        f"skipped {n} row{'s' if n > 1 else ''} with no answer in the columns used"
        f" ({'all' if elsewhere == n else elsewhere} filled only in ignored or unmatched columns)"
    )


def _names_notice(removed: int, columns: list[str]) -> str:
    """Says how many respondents' names were taken out of comments, never which."""
    where = ", ".join(short_header(c) for c in columns)
    return (
        f"removed {removed} name{'s' if removed > 1 else ''} of this file's respondents "
        f"(from its {where} column{'s' if len(columns) > 1 else ''}) from the comments "
        "(replaced by [removed]; the names are not stored)"
    )


def _combinations(demographic_codes: np.ndarray, sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Index of each row's combination of demographic codes, and the combinations."""
    if math.prod(s + 1 for s in sizes) < 2**62:
        combined = np.zeros(len(demographic_codes), dtype=np.int64)
        for j, size in enumerate(sizes):
            combined = combined * (size + 1) + (demographic_codes[:, j] + 1)
        combo_of_row, _ = pd.factorize(combined)
        _, first = np.unique(combo_of_row, return_index=True)
        return combo_of_row, demographic_codes[first]
    combos, combo_of_row = np.unique(demographic_codes, axis=0, return_inverse=True)
    return combo_of_row.reshape(-1), combos


def _long_comments(texts: np.ndarray) -> list[BadCells]:
    """Comments over :data:`MAX_COMMENT_CHARS` (refused rather than cut); blanked."""
    long = [r for r, t in enumerate(texts) if t is not None and len(t) > MAX_COMMENT_CHARS]
    out = []
    for r in long:
        message = (
            f"'{quoted(texts[r])}' is too long for a comment: at most {MAX_COMMENT_CHARS:,} "
            "characters are allowed (never cut silently)"
        )
        out.append(BadCells(texts[r][:MAX_QUOTED_CHARS], message, np.array([r])))
        texts[r] = None
    return out


def _has_data(values: pd.Series) -> bool:
    return any(display(v) for v in values.dropna().to_numpy(dtype=object)[:100000])


def _cell_problems(
    bad: list[BadCells], column: ColumnMatch, row_numbers: np.ndarray, file: str
) -> list[Problem]:
    out = []
    listed = 0
    hidden = 0
    for b in bad:
        for r in b.rows:
            if listed < MAX_LISTED_PER_COLUMN:
                out.append(
                    Problem(
                        ERROR, b.message, file, int(row_numbers[r]), column.header, column.letter
                    )
                )
                listed += 1
            else:
                hidden += 1
    if hidden:
        out.append(
            Problem(
                ERROR,
                f"and {hidden} {MORE_ROWS}",
                file,
                None,
                column.header,
                column.letter,
            )
        )
    return out
