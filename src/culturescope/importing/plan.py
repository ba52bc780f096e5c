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
from pathlib import Path

import numpy as np
import pandas as pd

from culturescope.importing.answers import (
    MAX_COMMENT_CHARS,
    MAX_QUOTED_CHARS,
    BadCells,
    DemographicReader,
    ScaleReader,
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
    count_item_matches,
    match_columns,
)
from culturescope.importing.dates import submission_dates
from culturescope.importing.identity import is_form_number_header
from culturescope.importing.layouts import (
    LIMESURVEY,
    LIMESURVEY_CODE_TEXT,
    code_headings,
    coordinates_dropped,
)
from culturescope.importing.problems import ERROR, WARNING, Problem, short_header
from culturescope.importing.reading import RawTable, SourceInfo
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
    submitted_on: list
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

    @property
    def file_errors(self) -> list[Problem]:
        """Errors about the whole file or a whole column (no row to skip)."""
        return [p for p in self.errors if p.row is None and not p.message.endswith(MORE_ROWS)]

    def rejected_rows(self) -> dict[int, list[str]]:
        """Data-row position (0-based, in the table read) -> why the row is unusable."""
        out: dict[int, list[str]] = {}
        for column, bad in self.cell_errors:
            reason = f"column {column.letter} ({short_header(column.header)}): {bad.message}"
            for r in bad.rows.tolist():
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
    fit = _instrument_fit(raw, instrument, columns, notices)
    problems += fit
    # Headers that are a tool's codes: that one line says what to do; the cells of the
    # few columns matched by chance would only bury it.
    coded = bool(fit) and code_headings(raw.headers) is not None
    problems += check_keys(instrument, value_mapping, file=file)
    dropped = [c for c in columns if c.kind == IDENTIFYING]
    if dropped:
        names = ", ".join(f"{short_header(c.header)} ({c.letter})" for c in dropped)
        notices.append(
            f"dropped {len(dropped)} column{'s' if len(dropped) > 1 else ''} that could identify "
            f"respondents (never read or stored): {names}"
        )
    demographic = [c for c in columns if c.kind == DEMOGRAPHIC]
    if demographic:
        notices.append(
            "demographics: "
            + "; ".join(
                f"{short_header(c.header)} ({c.letter}) -> "
                f"{instrument.demographic_by_id[c.target].label}"
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
    for c, bad in _read_items(raw, instrument, item_cols, answers, item_pos, scale_tables):
        for b in bad:
            answered[b.rows] = True
        cell_problems += _cell_problems(bad, c, row_numbers, file)
        bad_by_column.append((ITEM, c.target, c.letter, bad))
        cell_errors += [(c, b) for b in bad]
    answered |= ~np.isnan(answers).all(axis=1)

    demographic_cols = [c for c in columns if c.kind == DEMOGRAPHIC]
    demographic_codes = np.zeros((n, len(demographic_cols)), dtype=np.int64)
    demographic_values: list[np.ndarray] = []
    for j, c in enumerate(demographic_cols):
        demographic = instrument.demographic_by_id[c.target]
        extra, mapping_problems = demographic_extra(demographic, value_mapping, file=file)
        if j == next(k for k, d in enumerate(demographic_cols) if d.target == c.target):
            problems += mapping_problems  # once per demographic
        reader_d = DemographicReader(demographic, extra=extra)
        col_codes, values, bad = reader_d.column(raw.data[c.index])
        unanswered = np.array([v is None for v in values], dtype=bool)
        col_codes = np.where(
            (col_codes < 0) | (unanswered[col_codes] if len(values) else True), -1, col_codes
        )
        demographic_codes[:, j] = col_codes
        demographic_values.append(values)
        answered |= col_codes >= 0
        for b in bad:
            answered[b.rows] = True
        cell_problems += _cell_problems(bad, c, row_numbers, file)
        bad_by_column.append((DEMOGRAPHIC, c.target, c.letter, bad))
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
    comment_text = {c.target: text_column(raw.data[c.index]) for c in comment_cols}
    for c in comment_cols:
        bad = _long_comments(comment_text[c.target])
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
                demographic_cols[j].target: demographic_values[j][code]
                for j, code in enumerate(combo)
                if code >= 0
            }
            for combo in combos
        ]
    else:
        combo_of_row = np.zeros(n, dtype=np.int64)
        combo_dicts = [{}]

    blank_rows = np.flatnonzero(~answered)
    if len(blank_rows):
        notices.append(f"skipped {len(blank_rows)} empty row{'s' if len(blank_rows) > 1 else ''}")
    keep = np.flatnonzero(answered)

    meta = {c.target: c for c in columns if c.kind == METADATA}
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
    for pid, texts in comment_text.items():
        for pos in np.flatnonzero(pd.notna(texts[final])):
            comments.setdefault(int(pos), {})[pid] = texts[final[pos]]
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
        rows_read=n,
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
    )


def _read_items(
    raw: RawTable,
    instrument: Instrument,
    item_cols: list[ColumnMatch],
    answers: np.ndarray,
    item_pos: dict[str, int],
    scale_tables: dict[str, dict[str, int]] | None = None,
) -> list[tuple[ColumnMatch, list[BadCells]]]:
    """Fill ``answers`` from the item columns; return each column's unusable cells.

    Numeric columns (csv) are checked with numpy. The others are factorised together, a
    block of rows at a time in the order the cells were created (memory order): several
    times faster than column by column on 100,000 × 60 cells.
    """
    readers: dict[str, ScaleReader] = {}

    def reader_of(c: ColumnMatch) -> ScaleReader:
        scale = instrument.scale_of(c.target)
        extra = (scale_tables or {}).get(scale.id)
        return readers.get(scale.id) or readers.setdefault(
            scale.id, ScaleReader(scale, extra=extra)
        )

    out = []
    mixed = []
    for c in item_cols:
        dtype = raw.data[c.index].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            values, bad = reader_of(c).column(raw.data[c.index])
            answers[:, item_pos[c.target]] = values
            out.append((c, bad))
        else:
            mixed.append(c)
    if not mixed:
        return out
    codes, uniques, has_bool = _factorise_block(raw, [c.index for c in mixed])
    by_scale: dict[str, list[int]] = {}
    for j, c in enumerate(mixed):
        by_scale.setdefault(reader_of(c).scale.id, []).append(j)
    for scale_id, js in by_scale.items():
        table, messages = readers[scale_id].uniques(uniques)
        sub = codes[:, js]
        answers[:, [item_pos[mixed[j].target] for j in js]] = table[sub]
        bad_ids = np.fromiter(messages, dtype=np.int64)
        if len(bad_ids) == 0 or not np.isin(sub, bad_ids).any():
            out += [(mixed[j], []) for j in js]
            continue
        for k, j in enumerate(js):
            column = sub[:, k]
            bad = [
                BadCells(uniques[n], messages[n], rows)
                for n in messages
                if len(rows := np.flatnonzero(column == n))
            ]
            out.append((mixed[j], bad))
    if has_bool:
        out = [(c, bad + _bool_cells(raw, c, answers, item_pos, reader_of(c))) for c, bad in out]
    return out


def _bool_cells(raw, c, answers, item_pos, reader: ScaleReader) -> list[BadCells]:
    """TRUE/FALSE cells, which factorising merges with 1 and 0 (True == 1 in Python)."""
    column = raw.data[c.index].to_numpy(dtype=object)
    is_bool = np.fromiter(
        (isinstance(v, (bool, np.bool_)) for v in column), dtype=bool, count=len(column)
    )
    bad = []
    for value in (True, False):
        rows = np.flatnonzero(is_bool & (column == value))
        if len(rows):
            answers[rows, item_pos[c.target]] = np.nan
            bad.append(BadCells(value, reader.value(value)[1] or "", rows))
    return bad


def _factorise_block(raw: RawTable, columns: list[int], chunk: int = 4096):
    """``(codes, uniques, has_bool)`` of the given columns: ``codes`` rows × columns,
    -1 for NaN; ``has_bool`` when a cell is TRUE/FALSE (merged with 1/0 by hashing)."""
    n = len(raw.data)
    codes = np.empty((n, len(columns)), dtype=np.int64)
    ids: dict[tuple[type, object], int] = {}  # keyed by type too: True == 1 == 1.0 in Python
    uniques: list[object] = []
    contiguous = columns == list(range(columns[0], columns[0] + len(columns)))
    types: set[type] = set()
    for start in range(0, n, chunk):
        if raw.cells is not None and contiguous:
            part = raw.cells[start : start + chunk, columns[0] : columns[0] + len(columns)]
        elif raw.cells is not None:
            part = raw.cells[start : start + chunk][:, columns]
        else:
            part = raw.block(columns)[start : start + chunk]
        flat = part.ravel()
        types.update(map(type, flat))
        c_codes, c_uniques = pd.factorize(flat, use_na_sentinel=True)
        lut = np.empty(len(c_uniques) + 1, dtype=np.int64)
        lut[-1] = -1
        for k, u in enumerate(np.asarray(c_uniques, dtype=object)):
            key = (type(u), u)
            gid = ids.get(key)
            if gid is None:
                gid = ids[key] = len(uniques)
                uniques.append(u)
            lut[k] = gid
        codes[start : start + len(part)] = lut[c_codes].reshape(part.shape)
    out = np.empty(len(uniques), dtype=object)
    out[:] = uniques
    return codes, out, bool in types or np.bool_ in types


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


def _instrument_fit(
    raw: RawTable, instrument: Instrument, columns: list[ColumnMatch], notices: list[str]
) -> list[Problem]:
    """Errors when the file does not look like it belongs to ``instrument``."""
    file = raw.source.name
    n_items = len(instrument.items)
    matched = {c.target for c in columns if c.kind == ITEM}
    if len(matched) == n_items:
        return []
    from culturescope.instruments import available_instruments

    best_other, best_count = None, 0
    for other in available_instruments():
        if other.id == instrument.id:
            continue
        count = count_item_matches(raw.headers, other)
        if count > best_count:
            best_other, best_count = other, count
    this = f"{instrument.title} ({instrument.key})"
    if best_other is not None and best_count > len(matched):
        return [
            Problem(
                ERROR,
                f"wrong instrument: this file seems to be for {best_other.title} "
                f"({best_other.key}): {best_count} of its {len(best_other.items)} questions "
                f"match, but only {len(matched)} of the {n_items} questions of {this}",
                file,
            )
        ]
    coded = code_headings(raw.headers) if len(matched) < math.ceil(n_items / 3) else None
    if coded is not None:
        return [Problem(ERROR, _code_headings_message(*coded), file)]
    if not matched:
        return [
            Problem(
                ERROR,
                f"no column matches a question of {this}: check that the file is for this "
                "instrument, or give a mapping file",
                file,
            )
        ]
    if len(matched) < math.ceil(n_items / 3):
        return [
            Problem(
                ERROR,
                f"too few questions of {this} found: only {len(matched)} of its {n_items} "
                "questions have a column; check the instrument, or give a mapping file",
                file,
            )
        ]
    missing = [i.id for i in instrument.items if i.id not in matched]
    notices.append(
        f"{len(missing)} question{'s' if len(missing) > 1 else ''} of the instrument "
        f"{'have' if len(missing) > 1 else 'has'} no column and stay blank: {', '.join(missing)}"
    )
    return []


def _code_headings_message(tool: str, examples: list[str]) -> str:
    """How to import a file whose headers are a survey tool's codes or names."""
    shown = ", ".join(short_header(e) for e in examples)
    mapping = "or map each {0} in a mapping file (--write-mapping FILE writes one to fill in)"
    if tool == LIMESURVEY:
        return (
            f"this LimeSurvey export has question codes as headings ({shown}), which cannot "
            "be matched to the questions: export the responses again with 'Export questions "
            "as: Full question text' (or 'Question code & question text') and 'Export "
            f"responses as: Full answers', {mapping.format('code')}"
        )
    return (
        f"this KoboToolbox/ODK export has the form's XML names as headers ({shown}), which "
        "cannot be matched to the questions: download it again with 'Value and header "
        f"format: Labels' (KoboToolbox: Data > Downloads), {mapping.format('name')}"
    )


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
