"""Which signal checks the set-up data (a policy register, headcounts) makes possible.

Kept apart from :mod:`culturescope.signals` on purpose: the app's first screen (Campaign
home) says which checks a campaign's set-up leaves out, and importing the signals package
would load numpy, pandas and SciPy before the window shows. The words are those of
:attr:`culturescope.signals.SignalAnalysis.not_checked`, which uses these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from culturescope.policies.register import Policy
    from culturescope.storage import Campaign

#: The checks set-up data makes possible, as ``SignalAnalysis.not_checked`` words them.
NO_REGISTER = "policy–practice gaps (no policy register to compare what is said with practice)"
NO_HEADCOUNTS = "response rates per team, role or site (no headcounts)"


def setup_not_checked(campaign: Campaign, register: Sequence[Policy]) -> list[str]:
    """The signal checks that cannot run for want of set-up data (a current policy
    register, headcounts), in ``SignalAnalysis.not_checked`` words; cheap (no responses
    read, no statistics imported)."""
    out = []
    if not any(not p.removed for p in register):
        out.append(NO_REGISTER)
    if not campaign.headcounts:
        out.append(NO_HEADCOUNTS)
    return out


def not_checked_sentence(not_checked: Sequence[str]) -> str:
    """The sentence "Not checked: a; b." for the checks that could not run ("" if all ran)."""
    return "Not checked: " + "; ".join(not_checked) + "." if not_checked else ""
