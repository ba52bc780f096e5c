"""Which campaign may be another's *previous* campaign (the one its trend compares with).

The rule, shared by ``campaign create/set --previous`` and the app's campaign dialog:

* refused: the campaign itself; a campaign that already follows it (directly or through
  others: the two trends would each run backwards); a campaign that started later than it;
  a campaign whose instrument asks none of its items in the same way (nothing to compare);
* allowed with a warning: another instrument that shares some items (only those are
  compared), or a campaign of another organisation.

"Started" is the campaign's opening date, else its first response's date; without either
on one side the dates are not compared. Pure logic on :class:`Campaign` records: the store
gathers the facts (:meth:`CampaignRepository.previous_check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from culturescope.instruments import Instrument
from culturescope.instruments.compare import comparable_items


@dataclass(frozen=True)
class PreviousCheck:
    """Whether a campaign may follow another: ``refusal`` (one line, None when allowed)
    and ``warnings`` (shown, but the choice is kept)."""

    refusal: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class Side:
    """What the rule needs to know of one campaign."""

    id: int | None  # None: a campaign not created yet
    name: str
    organisation: str
    instrument: Instrument
    starts_on: dt.date | None


def check_previous(
    campaign: Side,
    previous: Side,
    *,
    previous_of: Mapping[int, int | None],
    names: Mapping[int, str],
) -> PreviousCheck:
    """May ``previous`` be ``campaign``'s previous campaign?

    ``previous_of`` maps every campaign id to its previous campaign's id; ``names`` every
    campaign id to its name (for the message about a chain).
    """
    this, other = campaign.name, previous.name
    if campaign.id is not None and previous.id == campaign.id:
        return PreviousCheck("a campaign cannot be its own previous campaign")
    chain = _chain(previous.id, previous_of)
    if campaign.id is not None and campaign.id in chain:
        path = chain[: chain.index(campaign.id)]
        via = (
            f" (through {', '.join(repr(names.get(c, c)) for c in path[1:])})"
            if len(path) > 1
            else ""
        )
        return PreviousCheck(
            f"'{other}' cannot be the previous campaign of '{this}': '{other}' already "
            f"follows '{this}'{via}, so each trend would run backwards"
        )
    if (
        previous.starts_on is not None
        and campaign.starts_on is not None
        and previous.starts_on > campaign.starts_on
    ):
        return PreviousCheck(
            f"'{other}' is later than '{this}' (it started {previous.starts_on}, "
            f"'{this}' {campaign.starts_on}): the previous campaign must be an earlier one"
        )
    warnings = []
    current, before = campaign.instrument, previous.instrument
    if current.id != before.id:
        shared = comparable_items(current, before)
        if not shared:
            return PreviousCheck(
                f"'{other}' uses another instrument ({before.key}, '{this}' uses "
                f"{current.key}): no items to compare"
            )
        warnings.append(
            f"'{other}' uses another instrument ({before.key}): only the {len(shared)} of "
            f"{len(current.items)} items both ask in the same way are compared"
        )
    if previous.organisation != campaign.organisation:
        warnings.append(
            f"'{other}' belongs to another organisation ({previous.organisation}; "
            f"'{this}': {campaign.organisation}): the trend compares two organisations"
        )
    return PreviousCheck(None, tuple(warnings))


def _chain(start: int | None, previous_of: Mapping[int, int | None]) -> list[int]:
    """``start``, its previous campaign, that one's previous… (stops at a loop)."""
    out: list[int] = []
    at = start
    while at is not None and at not in out:
        out.append(at)
        at = previous_of.get(at)
    return out
