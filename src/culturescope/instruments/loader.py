"""Load instrument YAML files and validate them, naming file, key and problem on error."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from culturescope import CultureScopeError
from culturescope.instruments.model import (
    ITEM_KINDS,
    UNDISCLOSED,
    Band,
    CommentPrompt,
    Demographic,
    Dimension,
    Instrument,
    Item,
    Option,
    PracticeArea,
    Scale,
)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
ROLE_LEVELS = ("front_line", "manager", "senior_leader")


class InstrumentError(CultureScopeError):
    """An instrument file is invalid. ``problems`` holds ``(key, problem)`` pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {key}: {problem}" for key, problem in problems]
        super().__init__(lines[0] if len(lines) == 1 else "\n".join(lines))


def slug(text: str) -> str:
    """Lower-case identifier made of a label: 'Front-line staff' -> 'front_line_staff'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


class _Checker:
    """Collects problems while reading a parsed YAML mapping."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, key: str, problem: str) -> None:
        self.problems.append((key, problem))

    def get(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in data or data[key] is None:
            if required:
                self.fail(where, "is required")
            return default
        value = data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.fail(where, f"must be {_article(names)}, not {type(value).__name__}")
            return default
        return value

    def ident(self, data: dict[str, Any], key: str, path: str) -> str:
        value = self.get(data, key, path, (str, int), default="")
        value = str(value)
        if value and not _ID.match(value):
            self.fail(
                f"{path}.{key}" if path else key,
                f"'{value}' is not a valid id (letters, digits, _ . -, starting with a letter)",
            )
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        languages: tuple[str, ...],
        *,
        required: bool = True,
    ) -> dict[str, str]:
        where = f"{path}.{key}" if path else key
        value = self.get(data, key, path, (str, dict), required=required)
        if value is None:
            return {}
        if isinstance(value, str):
            return {languages[0]: value.strip()}
        out: dict[str, str] = {}
        for lang, txt in value.items():
            if not isinstance(txt, str):
                self.fail(f"{where}.{lang}", "must be text")
            else:
                out[str(lang)] = txt.strip()
        if languages[0] not in out:
            self.fail(where, f"has no text in the default language '{languages[0]}'")
        return out


def _article(names: str) -> str:
    nice = {
        "str": "text",
        "int": "whole number",
        "float": "number",
        "bool": "true/false",
        "list": "list",
        "dict": "mapping",
    }
    parts = [nice.get(n.strip(), n.strip()) for n in names.split(" or ")]
    words = " or ".join(parts)
    return ("an " if words[0] in "aeiou" else "a ") + words


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate an instrument file.

    Raises
    ------
    InstrumentError
        With every problem found, each naming the file and the key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InstrumentError(str(path), [("(file)", "does not exist")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError(str(path), [("(file)", f"cannot be read: {exc}")]) from None
    return parse_instrument(text, source=str(path))


# libyaml's safe loader when PyYAML has it: the same documents, ten times faster (every
# command that opens a campaign parses its instrument).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Instruments parsed so far, by their YAML text (at most ``_PARSED_KEPT``). Finding an
#: instrument reads and parses every file (``get_instrument`` about 17 ms), and a store
#: parses each campaign's stored copy: the same few texts, again and again. Instruments are
#: frozen, so one object can serve every caller; a changed file is a new text.
_PARSED: dict[str, Instrument] = {}
_PARSED_KEPT = 64
_PARSED_LOCK = threading.Lock()


def parse_instrument(text: str, *, source: str = "<instrument>") -> Instrument:
    """Parse and validate instrument YAML ``text``; ``source`` names it in errors."""
    known = _PARSED.get(text)
    if known is not None:
        return known
    inst = _parse(text, source)
    with _PARSED_LOCK:  # pages parse on worker threads too
        if len(_PARSED) >= _PARSED_KEPT:
            del _PARSED[next(iter(_PARSED))]  # the oldest
        _PARSED[text] = inst
    return inst


def _parse(text: str, source: str) -> Instrument:
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise InstrumentError(
            source, [(where, f"is not valid YAML: {getattr(exc, 'problem', exc)}")]
        ) from None
    if not isinstance(data, dict):
        raise InstrumentError(
            source, [("(file)", "must be a YAML mapping with id, version, title, ...")]
        )
    c = _Checker()
    inst = _build(c, data)
    if c.problems:
        raise InstrumentError(source, c.problems)
    assert inst is not None
    return replace(inst, source_text=text)


def _build(c: _Checker, data: dict[str, Any]) -> Instrument | None:
    iid = c.ident(data, "id", "")
    version = str(c.get(data, "version", "", (str, int, float), default=""))
    title = c.get(data, "title", "", str, default="")
    description = c.get(data, "description", "", str, required=False, default="")
    languages = c.get(data, "languages", "", list, required=False, default=["en"])
    languages = tuple(str(x) for x in languages) or ("en",)
    respondent_kind = c.get(data, "respondents", "", str, required=False, default="staff")
    if respondent_kind not in ("staff", "leaders"):
        c.fail("respondents", "must be 'staff' or 'leaders'")

    scales = _scales(c, c.get(data, "scales", "", dict, default={}))
    areas = _practice_areas(c, c.get(data, "practice_areas", "", list, required=False, default=[]))
    dimensions = _dimensions(c, c.get(data, "dimensions", "", list, default=[]))
    items = _items(
        c,
        c.get(data, "items", "", list, default=[]),
        languages,
        scales,
        {d.id for d in dimensions},
        {a.id for a in areas},
    )
    demographics = _demographics(
        c, c.get(data, "demographics", "", list, required=False, default=[])
    )
    comments = _comments(
        c, c.get(data, "comments", "", list, required=False, default=[]), languages
    )
    bands = _bands(c, c.get(data, "bands", "", list, required=False, default=[]))
    consent = c.text(data, "consent", "", languages, required=False)
    thank_you = c.text(data, "thank_you", "", languages, required=False)

    for d in dimensions:
        if not any(i.dimension == d.id for i in items):
            c.fail(f"dimensions.{d.id}", "has no items")
    if c.problems:
        return None
    return Instrument(
        id=iid,
        version=version,
        title=title,
        description=description.strip(),
        languages=languages,
        scales=scales,
        dimensions=tuple(dimensions),
        items=tuple(items),
        demographics=tuple(demographics),
        comments=tuple(comments),
        practice_areas=tuple(areas),
        bands=tuple(bands),
        consent=consent,
        thank_you=thank_you,
        respondent_kind=respondent_kind,
        source_text="",
    )


def _scales(c: _Checker, raw: dict[str, Any]) -> dict[str, Scale]:
    if not raw:
        c.fail("scales", "must define at least one scale")
    out = {}
    for sid, spec in raw.items():
        path = f"scales.{sid}"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with points and labels")
            continue
        points = c.get(spec, "points", path, int, default=0)
        labels = c.get(spec, "labels", path, list, default=[])
        if points and not 2 <= points <= 11:
            c.fail(f"{path}.points", f"must be between 2 and 11, not {points}")
        if points and labels and len(labels) != points:
            c.fail(f"{path}.labels", f"has {len(labels)} labels but the scale has {points} points")
        na = c.get(spec, "not_applicable", path, dict, required=False)
        na_code = na_label = None
        if na is not None:
            na_code = c.get(na, "code", f"{path}.not_applicable", int, default=None)
            na_label = c.get(na, "label", f"{path}.not_applicable", str, default="Not applicable")
            if na_code is not None and 1 <= na_code <= (points or 0):
                c.fail(f"{path}.not_applicable.code", f"{na_code} is also an answer on the scale")
        half = (points or 0) // 2
        default_pos = list(
            range((points or 0) - (1 if points and points <= 3 else 2) + 1, (points or 0) + 1)
        )
        default_neg = list(range(1, min(half, 2) + 1)) if points and points > 3 else [1]
        positive = c.get(spec, "positive", path, list, required=False, default=default_pos)
        negative = c.get(spec, "negative", path, list, required=False, default=default_neg)
        for key, values in (("positive", positive), ("negative", negative)):
            for v in values:
                if not isinstance(v, int) or not 1 <= v <= (points or 0):
                    c.fail(f"{path}.{key}", f"{v!r} is not a point of the scale")
        if set(positive) & set(negative):
            c.fail(path, "a value cannot be both positive and negative")
        out[str(sid)] = Scale(
            id=str(sid),
            points=points or 0,
            labels=tuple(str(x) for x in labels),
            na_code=na_code,
            na_label=na_label,
            positive=tuple(sorted(positive)),
            negative=tuple(sorted(negative)),
        )
    return out


def _unique(c: _Checker, path: str, ident: str, seen: set[str]) -> None:
    if ident in seen:
        c.fail(path, f"id '{ident}' is used twice")
    seen.add(ident)


def _practice_areas(c: _Checker, raw: list[Any]) -> list[PracticeArea]:
    out: list[PracticeArea] = []
    seen: set[str] = set()
    for n, spec in enumerate(raw):
        path = f"practice_areas[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id and title")
            continue
        pid = c.ident(spec, "id", path)
        _unique(c, path, pid, seen)
        out.append(
            PracticeArea(
                pid,
                c.get(spec, "title", path, str, default=""),
                c.get(spec, "description", path, str, required=False, default=""),
            )
        )
    return out


def _dimensions(c: _Checker, raw: list[Any]) -> list[Dimension]:
    if not raw:
        c.fail("dimensions", "must list at least one dimension")
    out: list[Dimension] = []
    seen: set[str] = set()
    for n, spec in enumerate(raw):
        path = f"dimensions[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id and title")
            continue
        did = c.ident(spec, "id", path)
        _unique(c, path, did, seen)
        out.append(
            Dimension(
                did,
                c.get(spec, "title", path, str, default=""),
                c.get(spec, "description", path, str, required=False, default="").strip(),
                bool(c.get(spec, "pillar", path, bool, required=False, default=False)),
            )
        )
    return out


def _items(
    c: _Checker,
    raw: list[Any],
    languages: tuple[str, ...],
    scales: dict[str, Scale],
    dims: set[str],
    areas: set[str],
) -> list[Item]:
    if not raw:
        c.fail("items", "must list at least one item")
    out: list[Item] = []
    seen: set[str] = set()
    default_scale = next(iter(scales), "")
    for n, spec in enumerate(raw):
        path = f"items[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id, text and dimension")
            continue
        iid = c.ident(spec, "id", path)
        if iid:
            path = f"items.{iid}"
        _unique(c, path, iid, seen)
        text = c.text(spec, "text", path, languages)
        dim = str(c.get(spec, "dimension", path, str, default=""))
        if dim and dim not in dims:
            c.fail(f"{path}.dimension", f"'{dim}' is not a dimension of this instrument")
        scale = str(c.get(spec, "scale", path, str, required=False, default=default_scale))
        if scale not in scales:
            c.fail(f"{path}.scale", f"'{scale}' is not a scale of this instrument")
        reverse = c.get(spec, "reverse", path, bool, required=False, default=False)
        tagged = c.get(spec, "practice_areas", path, list, required=False, default=[])
        for a in tagged:
            if a not in areas:
                c.fail(f"{path}.practice_areas", f"'{a}' is not a practice area of this instrument")
        kind = c.get(spec, "kind", path, str, required=False, default="attitude")
        if kind not in ITEM_KINDS:
            c.fail(f"{path}.kind", f"'{kind}' is not one of {', '.join(ITEM_KINDS)}")
        pair = c.get(spec, "pair", path, str, required=False, default=None)
        out.append(
            Item(iid, text, dim, scale, bool(reverse), tuple(str(a) for a in tagged), kind, pair)
        )
    ids = {i.id for i in out}
    for i in out:
        if i.pair is not None and i.pair not in ids:
            c.fail(f"items.{i.id}.pair", f"'{i.pair}' is not an item of this instrument")
    return out


def _demographics(c: _Checker, raw: list[Any]) -> list[Demographic]:
    out: list[Demographic] = []
    seen: set[str] = set()
    for n, spec in enumerate(raw):
        path = f"demographics[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id, label and options")
            continue
        did = c.ident(spec, "id", path)
        if did:
            path = f"demographics.{did}"
        _unique(c, path, did, seen)
        label = c.get(spec, "label", path, str, default="")
        options = []
        for m, opt in enumerate(c.get(spec, "options", path, list, required=False, default=[])):
            if isinstance(opt, str):
                options.append(Option(slug(opt), opt))
            elif isinstance(opt, dict) and "id" in opt and "label" in opt:
                options.append(Option(str(opt["id"]), str(opt["label"])))
            else:
                c.fail(f"{path}.options[{m}]", "must be text or a mapping with id and label")
        if options and UNDISCLOSED not in {o.id for o in options}:
            c.fail(f"{path}.options", f"must include 'Prefer not to say' (id {UNDISCLOSED})")
        levels = c.get(spec, "role_levels", path, dict, required=False, default={})
        for opt_id, level in levels.items():
            if opt_id not in {o.id for o in options}:
                c.fail(f"{path}.role_levels", f"'{opt_id}' is not an option of this question")
            if level not in ROLE_LEVELS:
                c.fail(f"{path}.role_levels.{opt_id}", f"must be one of {', '.join(ROLE_LEVELS)}")
        out.append(
            Demographic(did, label, tuple(options), {str(k): str(v) for k, v in levels.items()})
        )
    return out


def _comments(c: _Checker, raw: list[Any], languages: tuple[str, ...]) -> list[CommentPrompt]:
    out: list[CommentPrompt] = []
    seen: set[str] = set()
    for n, spec in enumerate(raw):
        path = f"comments[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id and text")
            continue
        cid = c.ident(spec, "id", path)
        _unique(c, path, cid, seen)
        out.append(CommentPrompt(cid, c.text(spec, "text", path, languages)))
    return out


def _bands(c: _Checker, raw: list[Any]) -> list[Band]:
    out = []
    for n, spec in enumerate(raw):
        path = f"bands[{n}]"
        if not isinstance(spec, dict):
            c.fail(path, "must be a mapping with id, label and at_least or above")
            continue
        bid = c.ident(spec, "id", path)
        label = c.get(spec, "label", path, str, default="")
        if ("at_least" in spec) == ("above" in spec):
            c.fail(path, "needs exactly one of at_least or above (percent positive)")
            continue
        key = "at_least" if "at_least" in spec else "above"
        threshold = c.get(spec, key, path, float, default=0.0)
        if not 0 <= threshold <= 100:
            c.fail(f"{path}.{key}", "must be a percentage between 0 and 100")
        colour = c.get(spec, "colour", path, str, required=False, default="#888888")
        out.append(Band(bid, label, threshold, key == "at_least", colour))
    return out
