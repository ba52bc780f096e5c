"""The identity of an imported row: what makes two rows "the same response".

A duplicate is the same response from the same source, nothing else. Each row gets a
*source key*, its identity in the file, from which the store makes a keyed hash (the
fingerprint; see :mod:`culturescope.storage.keys`); the raw values are never stored:

- the template's ``Form number`` (:func:`.identity.form_number_key`): the number alone, in its own
  namespace, so a form typed twice (two clerks, or a clerk and the Paper entry page) is
  stored once;
- a response number that is unique across surveys (Qualtrics ``R_…``, SurveyMonkey's
  long respondent ids, Kobo's uuids): the number, with the start time when there is one;
- a response number that is a *counter* (a whole number of at most 8 digits: Microsoft
  Forms ``ID``, LimeSurvey ``Response ID``), which every survey starts again at 1:

  - with LimeSurvey's ``Seed`` (a random number drawn for each response, exported by
    LimeSurvey 3 and later): the number and the seed;
  - else the number, the start (else submission) time when there is one, **and the row's
    content** (answers, demographics, comments);

  so response 1 of another survey or of a copy of the form is another person, never
  "already stored";
- no number but a time (Google Forms ``Timestamp``): the time and the row's content;
- neither: no key. Two rows with the same answers are two people, and both are kept (a
  warning names them, so that a copied row can be deleted by hand).

Counter keys come with a *weak key*: the number (and start time) alone, which is also the
key earlier versions made for such rows. The importer gives such rows a fingerprint whose
first half comes from the weak key and second half from the full key, which lets it (1)
still recognise rows stored by earlier versions (weak key stored, same content) and (2)
say how many kept rows carry a number already stored with other answers.

Known limit of content keys: a response changed in the survey tool between two exports
(an administrator's edit, an incomplete response finished later) comes back as a new
response; the import summary counts such rows (see :mod:`.importer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from culturescope.importing.answers import key_column
from culturescope.importing.identity import form_number_key
from culturescope.importing.problems import WARNING, Problem
from culturescope.importing.times import iso_text, time_column

#: A response number every survey numbers again from 1 (Microsoft Forms, LimeSurvey).
#: Longer numbers (SurveyMonkey's 11-12 digit respondent ids) are unique across surveys.
_COUNTER = re.compile(r"^\d{1,8}$")

#: Key prefixes, one per kind of identity (see the module notes).
FORM, NUMBER, COUNTER, SEEDED, TIME = "form", "id", "row", "seed", "time"
#: Headers (normalised) of LimeSurvey's per-response random seed.
SEED_HEADERS = frozenset({"seed"})
_SEP = "\x1f"
_WHAT = {
    FORM: "the same form number",
    NUMBER: "the same response number",
    COUNTER: "the same response number and answers",
    SEEDED: "the same response number and seed",
    TIME: "the same time and answers",
}


def is_counter(number: str) -> bool:
    """True for a response number that only counts responses within one survey."""
    return bool(_COUNTER.match(number))


@dataclass
class RowKeys:
    """The source keys of the kept rows of a file (see the module notes).

    ``keys``: each row's key (None: no identity, always stored). ``weak``: the weak key of
    rows identified by a counter and their content (else None). ``kind``: the kind of
    identity the file's rows have (``form``, ``id``, ``time`` or ``content``).
    ``duplicates``: (position, first position) of rows repeating an earlier row's key.
    ``reused``: positions of rows whose counter repeats an earlier row's with other
    answers (kept, as different people).
    """

    keys: list[str | None]
    weak: list[str | None]
    kind: str
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    reused: list[int] = field(default_factory=list)

    def repeat_message(self, pos: int, first_row: int) -> str:
        """The warning for row ``pos`` repeating the row numbered ``first_row``."""
        kind, *parts = (self.keys[pos] or "").split(_SEP)
        what = _WHAT.get(kind, "the same identity")
        if kind == NUMBER and len(parts) == 2:
            what += " and start time"
        elif kind == COUNTER and parts[1]:
            what = "the same response number, time and answers"
        return f"repeats row {first_row} ({what}); imported once"


def source_keys(
    data: pd.DataFrame,
    meta: dict[str, int],
    *,
    form_numbers: bool,
    keep: np.ndarray,
    content: list[str],
) -> RowKeys:
    """The keys of the ``keep`` rows of ``data`` (a file's cells, columns by position).

    ``meta`` gives the column of each metadata role found (``id``, ``start``, ``end``,
    and ``seed`` for LimeSurvey's seed);
    ``form_numbers`` says the ``id`` column is the template's Form number; ``content``
    is each kept row's :func:`row_content`.
    """
    times = starts = None  # the submission (else start) time; the start time
    if "end" in meta or "start" in meta:
        times = time_keys(data[meta["end"] if "end" in meta else meta["start"]])[keep]
    if "start" in meta:
        starts = time_keys(data[meta["start"]])[keep]
    if "id" in meta and form_numbers:
        keys = [form_number_key(i) for i in key_column(data[meta["id"]])[keep]]
        out = RowKeys(keys, [None] * len(keys), FORM)
    elif "id" in meta:
        ids = key_column(data[meta["id"]])[keep]
        stable = starts if starts is not None else times  # a start time never changes
        seeds = key_column(data[meta["seed"]])[keep] if "seed" in meta else None
        out = _number_keys(ids, times, starts, stable, seeds, content)
    elif times is not None:
        keys = [f"{TIME}{_SEP}{t}{_SEP}{c}" if t else None for t, c in zip(times, content)]
        out = RowKeys(keys, [None] * len(keys), TIME)
    else:
        return RowKeys([None] * len(content), [None] * len(content), "content")
    first_of: dict[str, int] = {}
    first_weak: dict[str, int] = {}
    for pos, (k, w) in enumerate(zip(out.keys, out.weak)):
        if k is None:
            continue
        first = first_of.setdefault(k, pos)
        if first != pos:
            out.duplicates.append((pos, first))
        elif w is not None and first_weak.setdefault(w, pos) != pos:
            out.reused.append(pos)
    return out


def _number_keys(
    ids: np.ndarray,
    times: np.ndarray | None,
    starts: np.ndarray | None,
    stable: np.ndarray | None,
    seeds: np.ndarray | None,
    content: list[str],
) -> RowKeys:
    """Keys of rows with a response-number column (see the module notes)."""
    keys: list[str | None] = []
    weak: list[str | None] = [None] * len(ids)
    for n, number in enumerate(ids):
        if not number:  # a blank number: the time and answers, as without numbers
            t = times[n] if times is not None else ""
            keys.append(f"{TIME}{_SEP}{t}{_SEP}{content[n]}" if t else None)
            continue
        plain = f"{NUMBER}{_SEP}{number}"
        if starts is not None:
            plain += f"{_SEP}{starts[n]}"
        if not is_counter(number):
            keys.append(plain)
            continue
        weak[n] = plain  # the key earlier versions made for this row
        if seeds is not None and seeds[n]:
            keys.append(f"{SEEDED}{_SEP}{number}{_SEP}{seeds[n]}")
        else:
            t = stable[n] if stable is not None else ""
            keys.append(f"{COUNTER}{_SEP}{number}{_SEP}{t}{_SEP}{content[n]}")
    return RowKeys(keys, weak, NUMBER)


def time_keys(values: pd.Series) -> np.ndarray:
    """Canonical text of each time of a column for keys: ISO when it can be read, else
    the cell's text ("" when blank)."""
    iso = iso_text(time_column(values))
    unread = pd.isna(iso)
    if unread.any():
        iso[unread] = key_column(values)[unread]
    return iso


def row_content(
    keep: np.ndarray,
    answer_strings: list[str],
    combo_of_row: np.ndarray,
    combo_dicts: list[dict[str, str]],
    comment_text: dict[str, np.ndarray],
) -> list[str]:
    """A text per kept row that changes with any answer, demographic or comment."""
    combo_text = ["\x1e".join(f"{k}={v}" for k, v in sorted(d.items())) for d in combo_dicts]
    rows_combo = combo_of_row[keep]
    out = [s + "\x1d" + combo_text[c] for s, c in zip(answer_strings, rows_combo)]
    for pid, texts in comment_text.items():
        kept = texts[keep]
        out = [o if t is None else f"{o}\x1d{pid}={t}" for o, t in zip(out, kept)]
    return out


def identical_rows_warnings(
    content: list[str], keep: np.ndarray, row_numbers: np.ndarray, file: str
) -> list[Problem]:
    """A warning for each row with the same content as an earlier one (both are kept)."""
    dup = pd.Series(content, dtype=object).duplicated(keep="first").to_numpy()
    if not dup.any():
        return []
    first_of: dict[str, int] = {}
    for pos, c in enumerate(content):
        first_of.setdefault(c, pos)
    return [
        Problem(
            WARNING,
            f"has exactly the same answers as row {row_numbers[keep[first_of[content[pos]]]]}; "
            "both are kept (people can answer alike): delete one if it is a copy",
            file,
            int(row_numbers[keep[pos]]),
        )
        for pos in np.flatnonzero(dup)
    ]
