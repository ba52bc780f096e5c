"""A campaign on the command line: ``--campaign NAME`` (and ``campaign set/delete NAME``)
takes the name as ``campaign list`` shows it, or the campaign's id, in every command."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from culturescope.storage import Campaign, Reader, Store

#: The help text of every option or argument naming a campaign.
CAMPAIGN_HELP = (
    "campaign name as 'campaign list' shows it (capitals and spaces may differ) or its id "
    "(the 'id' of 'campaign list --json')"
)


def add_campaign_option(parser: argparse.ArgumentParser) -> None:
    """``--campaign NAME`` (required) with the common help text."""
    parser.add_argument("--campaign", required=True, metavar="NAME", help=CAMPAIGN_HELP)


def find_campaign(store: Store | Reader, value: str | None) -> Campaign:
    """The campaign ``value`` names: a stored name first (so that a campaign called
    "2026" is found by its name), else, for a number, the campaign with that id.

    Raises
    ------
    UnknownCampaign
        When neither finds one (the message lists the campaigns).
    """
    from culturescope.storage import UnknownCampaign

    text = (value or "").strip()
    try:
        return store.campaign(text)
    except UnknownCampaign:
        if text.isdigit():
            try:
                return store.campaign(int(text))
            except UnknownCampaign:
                pass
        raise
