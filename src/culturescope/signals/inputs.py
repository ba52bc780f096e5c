"""What the signals read: a campaign's answers in scored form, person scores and groups.

Built once per detection run and shared by every signal function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from culturescope.instruments import Instrument
from culturescope.scoring import person_scores, scored_answers
from culturescope.storage import Campaign, ResponseData


@dataclass(frozen=True)
class Measure:
    """Something two groups can be compared on: a pillar or a practice area.

    ``scores``: one value per person (NaN when not scored); ``positive``: per person and
    item, 1.0 positive, 0.0 not positive, NaN unanswered.
    """

    id: str
    title: str
    kind: str  # "pillar" | "practice_area"
    scores: pd.Series
    positive: pd.DataFrame


@dataclass
class SurveyFrame:
    """One campaign's responses, scored, with positive flags and person scores."""

    campaign: Campaign
    instrument: Instrument
    raw: pd.DataFrame  # raw codes as given (N/A code kept), NaN blank
    scored: pd.DataFrame  # reverse-keyed; N/A and blank NaN
    demographics: pd.DataFrame
    persons: pd.DataFrame  # person dimension scores
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_data(cls, campaign: Campaign, data: ResponseData) -> SurveyFrame:
        return cls(
            campaign=campaign,
            instrument=data.instrument,
            raw=data.answers,
            scored=scored_answers(data),
            demographics=data.demographics,
            persons=person_scores(data),
        )

    def __len__(self) -> int:
        return len(self.scored)

    @property
    def min_group_size(self) -> int:
        return self.campaign.min_group_size

    @cached_property
    def positive(self) -> pd.DataFrame:
        """1.0 where the scored answer is positive on its scale, 0.0 where not, NaN blank."""
        out = pd.DataFrame(np.nan, index=self.scored.index, columns=self.scored.columns)
        for item in self.instrument.items:
            col = self.scored[item.id]
            pos = list(self.instrument.scale_of(item).positive)
            out[item.id] = np.where(col.isna(), np.nan, col.isin(pos).astype(float))
        return out

    def items(self, *, kind: str | None = None, area: str | None = None) -> list[str]:
        return [
            i.id
            for i in self.instrument.items
            if (kind is None or i.kind == kind) and (area is None or area in i.practice_areas)
        ]

    def role_level(self) -> pd.Series:
        """Each respondent's role level (front_line / manager / senior_leader) or None."""
        by_id = self.instrument.demographic_by_id
        for d in self.instrument.demographics:
            if d.role_levels and d.id in self.demographics.columns:
                return self.demographics[d.id].map(by_id[d.id].role_levels)
        return pd.Series(None, index=self.scored.index, dtype=object)

    def measures(self) -> dict[str, Measure]:
        """Pillars (person scores) and practice areas (mean of the area's practice items).

        A practice area whose practice items are exactly a pillar's items is the same
        measure as that pillar (same items, same half-answered rule): it is left out, so
        that no measure is tested twice.
        """
        out: dict[str, Measure] = {}
        pillar_items = set()
        for dim in self.instrument.pillars:
            ids = [i.id for i in self.instrument.items_of(dim.id)]
            pillar_items.add(frozenset(ids))
            out[dim.id] = Measure(
                dim.id, dim.title, "pillar", self.persons[dim.id], self.positive[ids]
            )
        for area in self.instrument.practice_areas:
            ids = self.items(kind="practice", area=area.id)
            if not ids or frozenset(ids) in pillar_items:
                continue
            block = self.scored[ids]
            answered = block.notna().sum(axis=1)
            scores = block.mean(axis=1).where(answered * 2 >= len(ids))
            out[f"area:{area.id}"] = Measure(
                area.id, area.title, "practice_area", scores, self.positive[ids]
            )
        return out


def percent_positive(positive: pd.DataFrame) -> float:
    """Mean over items of the percentage of answers that are positive (as in the scores)."""
    per_item = positive.mean(axis=0) * 100.0
    per_item = per_item.dropna()
    return float(per_item.mean()) if len(per_item) else float("nan")
