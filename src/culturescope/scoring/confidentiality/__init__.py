"""Disclosure control: what any output of a campaign may show (docs/confidentiality.md).

* :mod:`.rules` — the minimum group size, its floor and validator, and the sibling rule
  for one breakdown (:func:`protect_groups`, :func:`protect_breakdown`, filters).
* :mod:`.audit` — the linked-table audit: all published figures of a campaign (overall,
  every breakdown and pair, per dimension and per item) protected together.
* :mod:`.responses` — what a list of single responses may show of their demographics
  (import it from there: it needs the scoring of a campaign).
* :mod:`.comments` — which groups' comments may be shown (import it from there too).
"""

from culturescope.instruments.respondent import respondent_notice
from culturescope.scoring.confidentiality.audit import (
    MAX_BREAKDOWN_DEMOGRAPHICS,
    RESPONSES,
    FigureKey,
    LinkedTableAudit,
    audit_linked_tables,
    campaign_audit,
    figure_key,
    too_few_answers,
    too_few_scored,
)
from culturescope.scoring.confidentiality.rules import (
    MIN_GROUP_SIZE_FLOOR,
    PROTECTED,
    VISIBLE,
    ConfidentialityError,
    Visibility,
    breakdown_labels,
    cell_codes,
    check_filter,
    check_min_group_size,
    protect_breakdown,
    protect_groups,
    too_small,
)

__all__ = [
    "MAX_BREAKDOWN_DEMOGRAPHICS",
    "MIN_GROUP_SIZE_FLOOR",
    "PROTECTED",
    "RESPONSES",
    "VISIBLE",
    "ConfidentialityError",
    "FigureKey",
    "LinkedTableAudit",
    "Visibility",
    "audit_linked_tables",
    "breakdown_labels",
    "campaign_audit",
    "cell_codes",
    "check_filter",
    "check_min_group_size",
    "figure_key",
    "protect_breakdown",
    "protect_groups",
    "respondent_notice",
    "too_few_answers",
    "too_few_scored",
    "too_small",
]
