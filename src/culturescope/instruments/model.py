"""The instrument model: what a survey asks, on which scales, scored into which dimensions.

Instances are immutable and built by :mod:`culturescope.instruments.loader` from YAML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

#: Demographic option id meaning "prefer not to say"; treated as missing in breakdowns.
UNDISCLOSED = "prefer_not_to_say"

#: Item kinds. ``attitude`` items measure perceptions; ``practice`` items ask whether a
#: practice is seen in use; ``awareness`` items ask whether people know it exists;
#: ``behaviour`` items ask what the respondent did (e.g. reported a concern).
ITEM_KINDS = ("attitude", "practice", "awareness", "behaviour")


@dataclass(frozen=True)
class Scale:
    """A response scale: answers are the integers ``1..points``, plus an optional N/A code."""

    id: str
    points: int
    labels: tuple[str, ...]
    na_code: int | None = None
    na_label: str | None = None
    positive: tuple[int, ...] = ()
    negative: tuple[int, ...] = ()

    @property
    def minimum(self) -> int:
        return 1

    @property
    def maximum(self) -> int:
        return self.points

    @property
    def neutral(self) -> tuple[int, ...]:
        return tuple(
            v
            for v in range(1, self.points + 1)
            if v not in self.positive and v not in self.negative
        )

    def label_of(self, value: int) -> str:
        """Label of a raw answer (N/A included)."""
        if self.na_code is not None and value == self.na_code:
            return self.na_label or "N/A"
        return self.labels[value - 1]


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    description: str = ""
    pillar: bool = False


@dataclass(frozen=True)
class PracticeArea:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Item:
    """One question. ``text`` maps language code to wording."""

    id: str
    text: dict[str, str]
    dimension: str
    scale: str
    reverse: bool = False
    practice_areas: tuple[str, ...] = ()
    kind: str = "attitude"
    pair: str | None = None  # id of an item worded in the opposite direction

    def text_for(self, language: str, default: str = "en") -> str:
        return self.text.get(language) or self.text.get(default) or next(iter(self.text.values()))


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Demographic:
    """A demographic question. No options means free text (e.g. team names)."""

    id: str
    label: str
    options: tuple[Option, ...] = ()
    role_levels: dict[str, str] = field(default_factory=dict)  # option id -> level

    @property
    def free_text(self) -> bool:
        return not self.options

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class CommentPrompt:
    id: str
    text: dict[str, str]

    def text_for(self, language: str, default: str = "en") -> str:
        return self.text.get(language) or self.text.get(default) or next(iter(self.text.values()))


@dataclass(frozen=True)
class Band:
    """Interpretation band on percent positive: applies when pp >= at_least (or > above)."""

    id: str
    label: str
    threshold: float
    inclusive: bool = True
    colour: str = "#888888"

    def contains(self, percent_positive: float) -> bool:
        if self.inclusive:
            return percent_positive >= self.threshold
        return percent_positive > self.threshold


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    description: str
    languages: tuple[str, ...]
    scales: dict[str, Scale]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    demographics: tuple[Demographic, ...] = ()
    comments: tuple[CommentPrompt, ...] = ()
    practice_areas: tuple[PracticeArea, ...] = ()
    bands: tuple[Band, ...] = ()
    consent: dict[str, str] = field(default_factory=dict)
    thank_you: dict[str, str] = field(default_factory=dict)
    respondent_kind: str = "staff"  # "staff" or "leaders" (self-assessment)
    source_text: str = field(default="", repr=False, compare=False)

    @property
    def key(self) -> str:
        """Unique key of this version, e.g. ``ai-safety-culture@1.0``."""
        return f"{self.id}@{self.version}"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def demographic_by_id(self) -> dict[str, Demographic]:
        return {d.id: d for d in self.demographics}

    @cached_property
    def practice_area_by_id(self) -> dict[str, PracticeArea]:
        return {p.id: p for p in self.practice_areas}

    def scale_of(self, item: Item | str) -> Scale:
        it = self.item_by_id[item] if isinstance(item, str) else item
        return self.scales[it.scale]

    def items_of(self, dimension_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == dimension_id)

    def items_for_area(self, area_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if area_id in i.practice_areas)

    @property
    def pillars(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.pillar)

    @cached_property
    def main_scale(self) -> Scale | None:
        """The agreement scale the interpretation bands are meant for: the scale of the
        first pillar item, else of the first item, else the first scale declared."""
        pillar_ids = {d.id for d in self.pillars}
        for item in self.items:
            if item.dimension in pillar_ids:
                return self.scale_of(item)
        if self.items:
            return self.scale_of(self.items[0])
        return next(iter(self.scales.values()), None)

    def dimension_kind(self, dimension_id: str) -> str:
        """The kind of a dimension's items (:data:`ITEM_KINDS`), ``"mixed"`` if they
        differ, ``"attitude"`` for a dimension without items."""
        kinds = {i.kind for i in self.items_of(dimension_id)}
        if len(kinds) > 1:
            return "mixed"
        return kinds.pop() if kinds else "attitude"

    def dimension_scale(self, dimension_id: str) -> Scale | None:
        """The scale all of a dimension's items share (None if they differ or it has none)."""
        scales = {i.scale for i in self.items_of(dimension_id)}
        return self.scales[scales.pop()] if len(scales) == 1 else None

    def band_for(self, percent_positive: float | None) -> Band | None:
        """The first band (highest first) that contains ``percent_positive``."""
        if percent_positive is None:
            return None
        for band in sorted(self.bands, key=lambda b: b.threshold, reverse=True):
            if band.contains(percent_positive):
                return band
        return None

    def role_demographic(self) -> Demographic | None:
        """The demographic that carries role levels (front-line / manager / senior leader)."""
        for d in self.demographics:
            if d.role_levels:
                return d
        return None


def band_percent(instrument: Instrument, percent: float | None) -> str:
    """A percent positive as shown beside its band: whole, or with one or two decimals
    where the whole number would fall in another band than the value itself.

    Bands come from the unrounded percent, so "50% · Moderate" next to "50% · Area for
    improvement" would read as a mistake: the first is shown as "50.2%" (above the limit
    of 50%), the second stays "50%". "–" for no value.
    """
    if percent is None or math.isnan(percent):
        return "–"
    return f"{percent:.{band_digits(instrument, percent)}f}%"


def band_digits(instrument: Instrument, percent: float, *, at_least: int = 0) -> int:
    """The decimals (``at_least`` to 2) that keep ``percent``, rounded, in its own band
    (see :func:`band_percent`); 2 when even two decimals cannot (50.004 beside 50)."""
    band = instrument.band_for(percent)
    for digits in range(at_least, 2):
        if instrument.band_for(float(f"{percent:.{digits}f}")) == band:
            return digits
    return 2
