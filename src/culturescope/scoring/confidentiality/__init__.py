"""Disclosure control: what any output of a campaign may show (docs/confidentiality.md).

* :mod:`.rules` — the minimum group size, its floor and validator, and the sibling rule
  for one breakdown (:func:`protect_groups`, :func:`protect_breakdown`, filters).
* :mod:`.audit` — the linked-table audit: all published figures of a campaign (overall,
  every breakdown and pair, per dimension and per item) protected together.
"""

from culturescope.scoring.confidentiality.audit import (
    MAX_BREAKDOWN_DEMOGRAPHICS,
    RESPONSES,
    FigureKey,
    LinkedTableAudit,
    audit_linked_tables,
    figure_key,
)
from culturescope.scoring.confidentiality.rules import (
    MIN_GROUP_SIZE_FLOOR,
    PROTECTED,
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
    "ConfidentialityError",
    "FigureKey",
    "LinkedTableAudit",
    "Visibility",
    "audit_linked_tables",
    "breakdown_labels",
    "cell_codes",
    "check_filter",
    "check_min_group_size",
    "figure_key",
    "protect_breakdown",
    "protect_groups",
    "too_small",
]
