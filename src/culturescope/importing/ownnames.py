"""Names from a file's own identifying columns, removed from that file's comments.

A survey that is not anonymous exports who answered: Microsoft Forms writes ``Email`` and
``Name``, Google Forms ``Email Address``, Qualtrics ``RecipientFirstName`` /
``RecipientLastName`` / ``RecipientEmail``. Those columns are dropped, but people write
their own or a colleague's name into a comment ("Priya Raman here - my team lead Tom
Okafor ignored my report"), and the colleague is often a respondent of the same file.

So every identifying cell of the file (all rows, also rows skipped or refused) becomes a
known name while the file is read, and each comment of the file is cleaned of them before
anything is stored:

- the whole name, any case, its words separated by spaces, hyphens, commas or full stops,
  also surname first ("Priya Raman", "priya raman", "RAMAN, PRIYA" for "Priya Raman" or
  "Raman, Priya");
- one word of a name (a first name or a surname of three letters or more) only when
  written with a capital letter ("Tom", "Okafor's"), so that a colleague called Will
  or Grace does not take "will" or "grace" out of every comment;
- from an e-mail address, the name its local part spells (``priya.raman@…`` and
  ``priya_raman99@…`` give "priya raman"); a local part without separator (``praman``)
  is a user name, not a name, and is not used; the address itself is removed from
  comments anyway (:mod:`culturescope.storage.scrub`).

First-name and last-name columns of one row are joined into the full name. Parts in
brackets ("Raman, Priya (Operations)"), titles (Dr, Mr…) and values that say no name was
given ("anonymous", "n/a", "prefer not to say") are not names.

The names live only in memory while the file is planned: they are never stored, printed
or logged. The comment keeps the rest of its words; each name becomes ``[removed]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from culturescope.importing.columns import IDENTIFYING, ColumnMatch
from culturescope.importing.text import normalise
from culturescope.storage.scrub import REMOVED

#: A word of a name: letters, with apostrophes inside (O'Brien, d’Arcy).
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: What may stand between two words of a name in a comment.
_GAP = re.compile(r"[\s,.\-‐–]{1,3}")
_BRACKETS = re.compile(r"[(\[{][^)\]}]*[)\]}]?")
#: Words that are not a name however they are written.
_NOT_NAMES = frozenset(
    [
        "anonymous",
        "anon",
        "anonym",
        "none",
        "n",
        "a",
        "na",
        "nil",
        "null",
        "unknown",
        "not",
        "given",
        "prefer",
        "say",
        "no",
        "yes",
        "test",
        "user",
        "guest",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "madam",
        "jr",
        "sr",
        "ii",
        "iii",
    ]
)
#: A name of more words than this is not a name (a sentence typed into a Name box).
_MAX_WORDS = 5
#: The shortest single word taken from a name.
_MIN_PART = 3

#: Identifying columns that hold names, e-mail addresses or user names (not IP addresses,
#: phone numbers, places or id numbers), by their normalised heading.
_PERSON = re.compile(r"name|mail|user|respondent|responder|login|account|submitted by")
_FIRST = re.compile(r"(first|given|fore) ?name")
_LAST = re.compile(r"(last|family) ?name|surname")


@dataclass
class FileNames:
    """The names of one file's respondents, as word tuples (casefolded). Never stored."""

    whole: set[tuple[str, ...]] = field(default_factory=set, repr=False)
    parts: set[str] = field(default_factory=set, repr=False)
    #: The columns they came from, by heading (for the notice; never their values).
    columns: list[str] = field(default_factory=list)
    #: The first words of names and the parts: where a name can start.
    _starts: set[str] = field(default_factory=set, repr=False)

    def __bool__(self) -> bool:
        return bool(self.whole or self.parts)

    def add(self, value: str) -> None:
        """Take one identifying cell's text (a name, an e-mail address, a user name)."""
        text = value.strip()
        if "@" in text:
            local = text.split("@", 1)[0]
            words = [w for w in re.split(r"[._\-+\d]+", local) if w]
            if len(words) < 2:
                return  # a user name such as "praman": not a name
        else:
            text = _BRACKETS.sub(" ", text)
            if "," in text:  # "Raman, Priya": also "Priya Raman"
                last, _, first = text.partition(",")
                self.add(f"{first} {last}")
            words = _WORD.findall(text)
        words = [w.casefold().replace("’", "'") for w in words]
        words = [w for w in words if w not in _NOT_NAMES]
        if not words or len(words) > _MAX_WORDS or len("".join(words)) < _MIN_PART:
            return
        self.whole.add(tuple(words))
        if len(words) > 1:  # "Raman Priya", "RAMAN, PRIYA" as a list of staff writes it
            self.whole.add((words[-1], *words[:-1]))
        parts = [w for w in words if len(w) >= _MIN_PART]
        self.parts.update(parts)
        self._starts.update(parts, (words[0], words[-1]))

    def clean(self, text: str) -> tuple[str, int]:
        """``(text with each name replaced by [removed], how many were replaced)``."""
        if not self:
            return text, 0
        tokens = list(_WORD.finditer(text))
        words = [t.group().casefold().replace("’", "'") for t in tokens]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            w = words[i]
            if w not in self._starts and (not w.endswith("'s") or w[:-2] not in self._starts):
                i += 1  # most words: no name starts with them
                continue
            found = self._match(text, tokens, words, i)
            if found is None:
                i += 1
                continue
            length, end = found
            spans.append((tokens[i].start(), end))
            i += length
        for start, end in reversed(spans):
            text = text[:start] + REMOVED + text[end:]
        return text, len(spans)

    def _match(
        self, text: str, tokens: Sequence[re.Match[str]], words: Sequence[str], i: int
    ) -> tuple[int, int] | None:
        """``(words matched, end of the match)`` for a name starting at token ``i``."""
        n = 1
        while (
            n < _MAX_WORDS
            and i + n < len(tokens)
            and _GAP.fullmatch(text, tokens[i + n - 1].end(), tokens[i + n].start())
        ):
            n += 1
        capital = tokens[i].group()[:1].isupper()
        for length in range(n, 0, -1):
            key = tuple(words[i : i + length])
            end = tokens[i + length - 1].end()
            candidates = [(key, end)]
            if key[-1].endswith("'s") and len(key[-1]) > 2:  # "Okafor's"
                candidates.append(((*key[:-1], key[-1][:-2]), end - 2))
            for name, stop in candidates:
                if (length > 1 and name in self.whole) or (
                    length == 1 and capital and name[0] in self.parts
                ):
                    return length, stop
        return None


def file_names(data: pd.DataFrame, columns: Iterable[ColumnMatch]) -> FileNames:
    """The names in the identifying columns of a table (every row)."""
    names = FileNames()
    identifying = [
        c for c in columns if c.kind == IDENTIFYING and _PERSON.search(normalise(c.header))
    ]
    firsts = [c for c in identifying if _FIRST.search(normalise(c.header))]
    lasts = [c for c in identifying if _LAST.search(normalise(c.header))]
    for c in identifying:
        values = [v for v in data[c.index].dropna().tolist() if isinstance(v, str)]
        before = len(names.whole)
        for v in dict.fromkeys(values):
            names.add(v)
        if len(names.whole) > before:
            names.columns.append(c.header)
    if len(firsts) == 1 and len(lasts) == 1:
        pairs = zip(data[firsts[0].index].tolist(), data[lasts[0].index].tolist())
        for first, last in dict.fromkeys(pairs):
            if isinstance(first, str) and isinstance(last, str):
                names.add(f"{first} {last}")
    return names
