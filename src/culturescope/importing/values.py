"""Value mapping: answers written differently from the instrument's labels.

A value mapping says what an answer means when the file words it differently:
``"Director" -> senior_leader`` for the role question, ``"Tend to agree" -> Agree`` or
``7 -> 5`` for the items. It is keyed by what the values belong to:

- a demographic id (``role``, ``team``...): targets are option ids or labels (for a
  free-text demographic such as team, any text: ``"Ops" -> Operations``);
- a scale id (``agree5``) or ``answers`` (every item of the instrument): targets are
  labels, codes (``4``) or the not-applicable label/code.

Nothing is ever guessed: a value that neither the instrument nor the mapping knows still
refuses the import, and :func:`unknown_values` lists each such value once, with how often
it occurs, so that the user (or the import wizard) can map it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from culturescope.importing.answers import MAX_DEMOGRAPHIC_CHARS, BadCells, display
from culturescope.importing.problems import ERROR, Problem
from culturescope.importing.text import normalise_label
from culturescope.instruments import Demographic, Instrument, Scale

#: The value-mapping key that applies to every item.
ALL_ITEMS = "answers"

ValueMapping = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Choice:
    """A target the user can map a value to: ``value`` as a mapping stores it."""

    value: str
    label: str


@dataclass(frozen=True)
class UnknownValue:
    """One distinct value that could not be read, for one value-mapping key.

    ``key``: the demographic id or scale id it belongs to; ``what``: how to call it
    ("Role level", "answers on the scale Strongly disagree … Strongly agree");
    ``count``: cells holding it;
    ``columns``: the column letters where it occurs; ``choices``: what it can be mapped to.
    """

    key: str
    what: str
    value: str
    count: int
    columns: tuple[str, ...]
    choices: tuple[Choice, ...]


def scale_choices(scale: Scale) -> tuple[Choice, ...]:
    out = [Choice(str(code), f"{code} - {label}") for code, label in enumerate(scale.labels, 1)]
    if scale.na_code is not None:
        out.append(Choice(str(scale.na_code), f"{scale.na_code} - {scale.na_label}"))
    return tuple(out)


def demographic_choices(demographic: Demographic) -> tuple[Choice, ...]:
    return tuple(Choice(o.id, o.label) for o in demographic.options)


def scale_extra(
    scale: Scale, values: ValueMapping | None, *, file: str = ""
) -> tuple[dict[str, int], list[Problem]]:
    """The normalised value -> code table of ``scale`` from the ``answers`` and scale-id
    entries of ``values`` (the scale's own entries win), and a problem for each target that
    is not an answer of the scale."""
    table: dict[str, int] = {}
    problems: list[Problem] = []
    for key in (ALL_ITEMS, scale.id):
        for value, target in dict((values or {}).get(key, {})).items():
            if target is None or not str(target).strip():
                continue  # a blank target: not mapped yet (a written template)
            code = _scale_code(scale, str(target))
            if code is None and key == ALL_ITEMS:
                continue  # for another scale; check_keys reports a target no scale has
            if code is None:
                problems.append(
                    Problem(
                        ERROR,
                        f"value mapping {key}: '{value}' -> '{target}': '{target}' is not an "
                        f"answer of scale {scale.id} ("
                        + ", ".join(c.label for c in scale_choices(scale))
                        + ")",
                        file,
                    )
                )
                continue
            table[normalise_label(value)] = code
    return table, problems


def _scale_code(scale: Scale, target: str) -> int | None:
    t = target.strip()
    if t.lstrip("-").isdigit():
        code = int(t)
        ok = 1 <= code <= scale.points or code == scale.na_code
        return code if ok else None
    norm = normalise_label(t)
    for code, label in enumerate(scale.labels, 1):
        if normalise_label(label) == norm:
            return code
    if scale.na_code is not None and normalise_label(scale.na_label or "") == norm:
        return scale.na_code
    return None


def demographic_extra(
    demographic: Demographic, values: ValueMapping | None, *, file: str = ""
) -> tuple[dict[str, str], list[Problem]]:
    """The normalised value -> option id (or text) table of ``demographic``, and a problem
    for each target that is not one of its options."""
    table: dict[str, str] = {}
    problems: list[Problem] = []
    for value, target in dict((values or {}).get(demographic.id, {})).items():
        if target is None or not str(target).strip():
            continue
        t = " ".join(str(target).split())
        if demographic.free_text:
            table[normalise_label(value)] = t
            continue
        option = next(
            (
                o.id
                for o in demographic.options
                if normalise_label(o.id) == normalise_label(t)
                or normalise_label(o.label) == normalise_label(t)
            ),
            None,
        )
        if option is None:
            problems.append(
                Problem(
                    ERROR,
                    f"value mapping {demographic.id}: '{value}' -> '{target}': '{target}' is not "
                    f"an option of {demographic.label} ("
                    + ", ".join(f"'{o.label}'" for o in demographic.options)
                    + ")",
                    file,
                )
            )
            continue
        table[normalise_label(value)] = option
    return table, problems


def check_keys(
    instrument: Instrument, values: ValueMapping | None, *, file: str = ""
) -> list[Problem]:
    """A problem for each value-mapping key that is neither ``answers``, a scale id nor a
    demographic id of ``instrument``, and for each ``answers`` target no scale has."""
    known = {ALL_ITEMS, *instrument.scales, *instrument.demographic_by_id}
    nowhere = [
        Problem(
            ERROR,
            f"value mapping {ALL_ITEMS}: '{value}' -> '{target}': '{target}' is not an answer "
            f"of any scale of {instrument.key}",
            file,
        )
        for value, target in dict((values or {}).get(ALL_ITEMS, {})).items()
        if str(target or "").strip()
        and all(_scale_code(sc, str(target)) is None for sc in instrument.scales.values())
    ]
    return nowhere + [
        Problem(
            ERROR,
            f"value mapping: '{key}' is not '{ALL_ITEMS}', a scale id "
            f"({', '.join(instrument.scales)}) or a demographic id "
            f"({', '.join(instrument.demographic_by_id)}) of {instrument.key}",
            file,
        )
        for key in (values or {})
        if key not in known
    ]


@dataclass
class _Tally:
    """An unusable value as counted so far (an :class:`UnknownValue` once complete)."""

    key: str
    what: str
    value: str  # as first seen
    choices: tuple[Choice, ...]
    count: int = 0
    columns: list[str] = field(default_factory=list)


def unknown_values(
    instrument: Instrument, bad_by_column: list[tuple[str, str, str, list[BadCells]]]
) -> list[UnknownValue]:
    """Each unusable value once per key, with its count, most frequent first.

    ``bad_by_column``: ``(kind, target, letter, bad cells)`` of each item or demographic
    column. Free-text demographics never have unusable values.
    """
    found: dict[tuple[str, str], _Tally] = {}
    for kind, target, letter, bad in bad_by_column:
        if kind == "item":
            scale = instrument.scale_of(target)
            what = f"answers on the scale {scale.labels[0]} … {scale.labels[-1]}"
            key, choices = scale.id, scale_choices(scale)
        else:
            d = instrument.demographic_by_id[target]
            key, what, choices = d.id, d.label, demographic_choices(d)
        for b in bad:
            text = display(b.value)
            if len(text) > MAX_DEMOGRAPHIC_CHARS:
                continue  # too long to be an answer: an error, nothing to map

            entry = found.setdefault((key, normalise_label(text)), _Tally(key, what, text, choices))
            entry.count += len(b.rows)
            if letter not in entry.columns:
                entry.columns.append(letter)
    out = [
        UnknownValue(t.key, t.what, t.value, t.count, tuple(t.columns), t.choices)
        for t in found.values()
    ]
    return sorted(out, key=lambda u: (u.key, -u.count, u.value))
