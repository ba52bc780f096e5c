"""Match the columns of a file to an instrument's items, demographics and comment prompts,
and recognise the metadata columns of Microsoft Forms, Google Forms and similar tools.

Order of matching for each header (the first that applies wins):

1. a saved mapping (header text, exact or normalised, -> target);
2. identifying columns (Email, Name, Username, IP address...): always dropped;
3. metadata columns (ID, Start time, Completion time, Timestamp...): used only for the
   duplicate fingerprint and the submission date;
4. the id of an item, demographic or comment prompt (``LA1``, ``team``), also at the end
   of a form field's group path (ODK Central ``grp_a-LA1``, KoboToolbox ``grp_a/LA1``);
5. the normalised text of an item / comment prompt or the label of a demographic;
6. the closest text by difflib ratio, if at least :data:`FUZZY_THRESHOLD` and clearly
   better (by :data:`FUZZY_MARGIN`) than the next target;
7. an id followed by other text (``"LA1 - ..."``);
8. a demographic question recognised from its wording ("Which team do you work in?",
   "What is your role level?", "How long have you worked here?"): see
   :data:`DEMOGRAPHIC_WORDING`. Only for a demographic that no other column matched;
otherwise the column is unmatched (a warning; it is ignored).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from culturescope.importing.known_headers import (
    IDENTIFYING_HEADERS,
    IDENTIFYING_WORDS,
    METADATA_HEADERS,
    METADATA_ROLES,
)
from culturescope.importing.problems import ERROR, WARNING, Problem, column_letter, short_header
from culturescope.importing.text import normalise, similarity
from culturescope.instruments import Instrument

FUZZY_THRESHOLD = 0.8
FUZZY_MARGIN = 0.05

ITEM, DEMOGRAPHIC, COMMENT = "item", "demographic", "comment"
#: ``ColumnMatch.how`` of a demographic recognised from the question's wording.
WORDING = "question wording"
METADATA, IDENTIFYING, IGNORED, UNMATCHED = "metadata", "identifying", "ignored", "unmatched"
KINDS = (ITEM, DEMOGRAPHIC, COMMENT, METADATA, IDENTIFYING, IGNORED, UNMATCHED)

#: Demographic concepts and the words that name them in a question, checked in this order
#: (the first concept whose pattern occurs in the normalised header wins: "How long have
#: you worked in this team?" is about tenure, "What is your role in the team?" about role).
#: A demographic of the instrument belongs to a concept when its id or label names it.
DEMOGRAPHIC_WORDING: tuple[tuple[str, str], ...] = (
    (
        "tenure",
        r"\btenure\b|\bhow long\b|\blength of (service|employment)\b|\byears? (of|in) "
        r"(service|the (organi[sz]ation|company))\b|\btime (in|with|at) (the|this|our) "
        r"(organi[sz]ation|company|firm)\b|\bhow many years\b",
    ),
    (
        "role",
        r"\bare you (a|an) (manager|supervisor|people (manager|leader)|team leader)\b"
        r"|\brole\b|\bjob level\b|\bposition\b|\bseniority\b|\bgrade\b|\bjob band\b"
        r"|\bmanagement level\b|\bcareer level\b",
    ),
    (
        "site",
        r"\bsite\b|\blocation\b|\boffice\b|\bcountry\b|\bregion\b|\bplant\b"
        r"|\bworkplace\b|\bcampus\b",
    ),
    (
        "team",
        r"\bteam\b|\bdepartment\b|\bdept\b|\bbusiness unit\b|\bunit\b|\bgroup\b"
        r"|\bfunction\b|\bdivision\b|\bdirectorate\b|\barea\b",
    ),
)
_WORDING = tuple((concept, re.compile(pattern)) for concept, pattern in DEMOGRAPHIC_WORDING)
#: A header longer than this many words is a statement, not a demographic question.
MAX_DEMOGRAPHIC_WORDS = 12

#: A form field's path as ODK Central ("grp_a-grp_b-LA1") and KoboToolbox's "XML values
#: and headers" ("grp_a/LA1") write it: XML names joined by "-" or "/"; group 1 the
#: field's own name, matched to an item, demographic or comment id.
_FIELD_PATH = re.compile(r"^[A-Za-z_][\w.]*(?:[-/][A-Za-z_][\w.]*)*[-/]([A-Za-z_][\w.]*)$")
#: ``how`` of a column matched by the field name at the end of its group path.
FIELD_NAME = "field name"


@dataclass(frozen=True)
class ColumnMatch:
    """How one column of the file is used.

    ``kind``: ``item``, ``demographic``, ``comment``, ``metadata`` (used only for the
    duplicate fingerprint / submission date), ``identifying`` (dropped, never stored),
    ``ignored`` (by the mapping, or empty) or ``unmatched`` (ignored, with a warning).
    ``target``: the item / demographic / comment id, or the metadata role.
    ``how``: ``id``, ``field name`` (an id at the end of a group path), ``text``,
    ``similar text``, ``id prefix``, ``mapping``, ``known column``.
    """

    index: int
    header: str
    letter: str
    kind: str
    target: str | None = None
    how: str = ""
    score: float = 1.0

    @property
    def target_id(self) -> str:
        """``target`` of a column whose kind has one (item, demographic, comment, metadata)."""
        if self.target is None:
            raise ValueError(f"column {self.letter} ({self.kind}) has no target")
        return self.target

    def describe(self) -> str:
        """One line for a preview: what the column becomes and why."""
        if self.kind == ITEM:
            what = f"item {self.target}"
        elif self.kind in (DEMOGRAPHIC, COMMENT):
            what = f"{self.kind} {self.target}"
        elif self.kind == METADATA:
            what = {
                "id": "metadata: response or form number, only to detect duplicates",
                "start": "metadata: start time, only to detect duplicates",
                "end": "metadata: submission time, for the date and to detect duplicates",
                "modified": "metadata: last edit time, not used",
            }.get(self.target or "", "metadata, not used")
        elif self.kind == IDENTIFYING:
            what = "dropped: identifies the respondent"
        elif self.kind == IGNORED:
            what = "ignored"
        else:
            what = "unmatched: ignored"
        how = self.how
        if how == "similar text":
            how = f"similar text {self.score:.2f}"
        return f"{what} ({how})" if how else what


@dataclass(frozen=True)
class _Target:
    kind: str
    id: str


class _Vocabulary:
    """Everything a header can be matched against, for one instrument."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.ids: dict[str, _Target] = {}
        self.texts: dict[str, _Target] = {}
        self.fuzzy: list[tuple[str, _Target]] = []
        for item in instrument.items:
            t = _Target(ITEM, item.id)
            self.ids.setdefault(item.id.casefold(), t)
            for text in item.text.values():
                self._text(normalise(text), t)
        for d in instrument.demographics:
            t = _Target(DEMOGRAPHIC, d.id)
            self.ids.setdefault(d.id.casefold(), t)
            self._text(normalise(d.label), t)
            self.texts.setdefault(normalise(d.id), t)
        for c in instrument.comments:
            t = _Target(COMMENT, c.id)
            self.ids.setdefault(c.id.casefold(), t)
            for text in c.text.values():
                self._text(normalise(text), t)

    def demographic_by_wording(self, header: str) -> str | None:
        """The demographic a question asks for, judged by its wording (see
        :data:`DEMOGRAPHIC_WORDING`), or None."""
        norm = normalise(header)
        if not norm or len(norm.split()) > MAX_DEMOGRAPHIC_WORDS:
            return None
        return demographic_named(self.instrument, norm)

    def _text(self, norm: str, target: _Target) -> None:
        if norm:
            self.texts.setdefault(norm, target)
            self.fuzzy.append((norm, target))

    def resolve(self, value: str) -> _Target | None:
        """A mapping value: ``LA1``, ``item:LA1``, ``demographic:team``, ``comment:C1``."""
        kind, sep, ident = value.partition(":")
        if sep and kind.strip().casefold() in (ITEM, DEMOGRAPHIC, COMMENT):
            t = self.ids.get(ident.strip().casefold())
            if t is not None and t.kind == kind.strip().casefold():
                return t
            want = kind.strip().casefold()
            for tt in self.ids.values():  # a demographic whose id equals an item id
                if tt.kind == want and tt.id.casefold() == ident.strip().casefold():
                    return tt
            return None
        return self.ids.get(value.strip().casefold())

    def match(self, header: str) -> tuple[_Target, str, float] | tuple[None, str, float]:
        """Best target for ``header`` (target, how, score); ``(None, reason, score)`` if none."""
        raw = header.strip()
        exact = self.ids.get(raw.casefold())
        if exact is not None:
            return exact, "id", 1.0
        path = _FIELD_PATH.match(raw)
        if path is not None:  # ODK Central "grp_a-LA1", KoboToolbox "grp_a/LA1"
            named = self.ids.get(path.group(1).casefold())
            if named is not None:
                return named, FIELD_NAME, 1.0
        texts = [raw]
        grid = re.match(r"^(.*)\[(.+)\]\s*$", raw, re.DOTALL)  # Google Forms grid rows
        if grid:
            texts.insert(0, grid.group(2))
        if " - " in raw:  # Qualtrics / SurveyMonkey: "Question - Statement"
            texts[:0] = [raw.rsplit(" - ", 1)[1], raw.split(" - ", 1)[1]]
        if "/" in raw and " " not in raw.rsplit("/", 1)[0]:  # Kobo "group/question"
            texts.append(raw.rsplit("/", 1)[1])
        for text in texts:
            norm = normalise(text)
            if norm in self.texts:
                return self.texts[norm], "text", 1.0
        best: tuple[None, str, float] | tuple[_Target, str, float] = (None, "", 0.0)
        for text in texts:
            norm = normalise(text)
            if not norm:
                continue
            scored: dict[_Target, float] = {}
            for cand, target in self.fuzzy:
                s = similarity(norm, cand)
                if s > scored.get(target, 0.0):
                    scored[target] = s
            ranked = sorted(scored.items(), key=lambda kv: kv[1], reverse=True)
            if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
                if ranked and ranked[0][1] > best[2] and best[0] is None:
                    best = (None, "", ranked[0][1])
                continue
            top, score = ranked[0]
            if len(ranked) > 1 and ranked[1][1] > score - FUZZY_MARGIN:
                other = ranked[1][0]
                return (
                    None,
                    f"matches {top.kind} {top.id} and {other.kind} {other.id} almost equally "
                    "well; use a mapping file to say which",
                    score,
                )
            return top, "similar text", score
        token = re.split(r"[\s:.\-–—)\]]+", raw, maxsplit=1)[0].casefold()
        if token in self.ids:
            return self.ids[token], "id prefix", 1.0
        return best


def demographic_concept(norm: str) -> str | None:
    """``team``, ``role``, ``site`` or ``tenure`` when normalised text names one."""
    for concept, pattern in _WORDING:
        if pattern.search(norm):
            return concept
    return None


def demographic_named(instrument: Instrument, norm: str) -> str | None:
    """The id of the instrument's demographic that normalised text names by concept
    ("department" -> the team demographic, whatever its id), or None."""
    concept = demographic_concept(norm)
    if concept is None:
        return None
    for d in instrument.demographics:
        if concept in (
            demographic_concept(normalise(d.id)),
            demographic_concept(normalise(d.label)),
        ):
            return d.id
    return None


def classify_metadata(header: str) -> tuple[str, str] | None:
    """``(kind, role)`` for identifying / metadata headers, else None."""
    norm = normalise(header)
    if norm in IDENTIFYING_HEADERS or IDENTIFYING_WORDS.search(norm):
        return IDENTIFYING, "identifying"
    role = METADATA_HEADERS.get(norm)
    if role is not None:
        return METADATA, role
    if norm.startswith(("points ", "feedback ")):  # Microsoft Forms quiz columns
        return METADATA, "other"
    return None


def match_columns(
    headers: Sequence[str],
    instrument: Instrument,
    *,
    mapping: Mapping[str, str] | None = None,
    has_data: Sequence[bool] | None = None,
    first_column: int = 0,
    file: str = "",
) -> tuple[list[ColumnMatch], list[Problem], list[str]]:
    """Match every header; returns the matches, column problems and notices."""
    vocab = _Vocabulary(instrument)
    problems: list[Problem] = []
    notices: list[str] = []
    by_header = dict(mapping or {})
    by_norm = {normalise(k): v for k, v in (mapping or {}).items()}
    used_mapping: set[str] = set()
    matches: list[ColumnMatch] = []
    by_wording: list[tuple[int, str, str]] = []  # (position, demographic id, why unmatched)
    for i, header in enumerate(headers):
        letter = column_letter(first_column + i)
        header = str(header).strip()

        def col(
            kind: str,
            target: str | None = None,
            how: str = "",
            score: float = 1.0,
            *,
            _i: int = i,
            _h: str = header,
            _l: str = letter,
        ) -> ColumnMatch:
            return ColumnMatch(_i, _h, _l, kind, target, how, score)

        if not header:
            if has_data is None or has_data[i]:
                problems.append(
                    Problem(WARNING, "column has no header; it is ignored", file, None, "", letter)
                )
            matches.append(col(IGNORED, how="no header"))
            continue
        meta = classify_metadata(header)
        if meta is not None and meta[0] == IDENTIFYING:
            matches.append(col(IDENTIFYING, how="known column"))
            continue
        value = by_header.get(header)
        if value is None:
            value = by_norm.get(normalise(header))
        if value is not None:
            used_mapping.add(normalise(header))
            matches.append(_mapped(col, str(value), vocab, problems, file, header, letter))
            continue
        if meta is not None:
            matches.append(col(METADATA, meta[1], "known column"))
            continue
        target, how, score = vocab.match(header)
        if target is None:
            message = how or "matches no item, demographic or comment of the instrument"
            worded = None if how else vocab.demographic_by_wording(header)
            if worded is not None:
                by_wording.append((i, worded, message))
            else:
                problems.append(
                    Problem(
                        WARNING, f"{message}; the column is ignored", file, None, header, letter
                    )
                )
            matches.append(col(UNMATCHED, how="", score=score))
        else:
            matches.append(col(target.kind, target.id, how, score))
    taken = {m.target for m in matches if m.kind == DEMOGRAPHIC}
    for i, demographic, _ in by_wording:
        m = matches[i]
        if demographic in taken:
            first = next(x for x in matches if x.kind == DEMOGRAPHIC and x.target == demographic)
            problems.append(
                Problem(
                    WARNING,
                    f"reads like the {demographic} question, but column {first.letter} "
                    f"({short_header(first.header)}) already is; the column is ignored "
                    "(use a mapping file to choose)",
                    file,
                    None,
                    m.header,
                    m.letter,
                )
            )
            continue
        taken.add(demographic)
        matches[i] = ColumnMatch(m.index, m.header, m.letter, DEMOGRAPHIC, demographic, WORDING)
    for key in by_norm:
        if key not in used_mapping and not any(normalise(h) == key for h in headers):
            notices.append(f"the mapping names a column that is not in the file: {key!r}")
    problems += _conflicts(matches, file)
    return matches, problems, notices


class _MakeMatch(Protocol):
    """The match of the column being read, given how it is used (``col`` above)."""

    def __call__(
        self, kind: str, target: str | None = None, how: str = "", score: float = 1.0
    ) -> ColumnMatch: ...


def _mapped(
    col: _MakeMatch,
    value: str,
    vocab: _Vocabulary,
    problems: list[Problem],
    file: str,
    header: str,
    letter: str,
) -> ColumnMatch:
    v = value.strip()
    low = v.casefold()
    if low in ("ignore", "ignored", "skip", "", "none", "null"):
        return col(IGNORED, how="mapping")
    if low in (IDENTIFYING, "drop"):
        return col(IDENTIFYING, how="mapping")
    if low.startswith("metadata"):
        role = low.partition(":")[2].strip() or "other"
        if role not in METADATA_ROLES:
            problems.append(
                Problem(
                    ERROR,
                    f"mapping: metadata role '{role}' is not one of {', '.join(METADATA_ROLES)}",
                    file,
                    None,
                    header,
                    letter,
                )
            )
            return col(IGNORED, how="mapping")
        return col(METADATA, role, "mapping")
    target = vocab.resolve(v)
    if target is None:
        problems.append(
            Problem(
                ERROR,
                f"mapping: '{v}' is not an item, demographic or comment id of "
                f"{vocab.instrument.key}",
                file,
                None,
                header,
                letter,
            )
        )
        return col(UNMATCHED, how="mapping")
    return col(target.kind, target.id, "mapping")


def _conflicts(matches: list[ColumnMatch], file: str) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str | None], ColumnMatch] = {}
    for m in matches:
        if m.kind not in (ITEM, DEMOGRAPHIC, COMMENT):
            continue
        first = seen.setdefault((m.kind, m.target), m)
        if first is not m:
            problems.append(
                Problem(
                    ERROR,
                    f"matches {m.kind} {m.target}, like column {first.letter} "
                    f"({short_header(first.header)}); remove one of the two columns or use a "
                    "mapping file",
                    file,
                    None,
                    m.header,
                    m.letter,
                )
            )
    return problems


def count_item_matches(headers: Sequence[str], instrument: Instrument) -> int:
    """How many distinct items of ``instrument`` the headers match (for guessing which
    instrument a file belongs to)."""
    vocab = _Vocabulary(instrument)
    found = set()
    for h in headers:
        h = str(h).strip()
        if not h or classify_metadata(h) is not None:
            continue
        target, _, _ = vocab.match(h)
        if target is not None and target.kind == ITEM:
            found.add(target.id)
    return len(found)
