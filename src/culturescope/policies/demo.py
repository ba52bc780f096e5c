"""The demo organisation's policy register: some policies real, some on paper only.

Matched to the demo survey (:mod:`culturescope.demo`): incident reporting and learning from
incidents are practised; pre-deployment review, independent audit and safety resourcing
are claimed but barely seen. One review is overdue, one implemented policy has no
evidence, one commitment was softened and one was removed.
"""

from __future__ import annotations

import datetime as dt

from culturescope.policies.register import (
    PolicyDraft,
    add_policy,
    policies,
    remove_policy,
    update_policy,
)
from culturescope.storage import Store

_REGISTER = (
    PolicyDraft(
        title="Incident and near-miss reporting",
        statement="Every incident and near miss, however minor, must be reported in the "
        "incident log within 24 hours.",
        owner="Head of Safety",
        adopted_on=dt.date(2024, 2, 1),
        status="implemented",
        evidence="Incident log INC (quarterly summaries to the board)",
        review_on=dt.date(2027, 2, 1),
        practice_areas=("incident_reporting",),
    ),
    PolicyDraft(
        title="Learning from incidents",
        statement="Every incident review must end with actions and owners; the changes made "
        "are shared with all staff.",
        owner="Head of Safety",
        adopted_on=dt.date(2024, 2, 1),
        status="implemented",
        evidence="Post-incident review archive PIR-2026",
        review_on=dt.date(2027, 2, 1),
        practice_areas=("learning_from_incidents",),
    ),
    PolicyDraft(
        title="Pre-deployment safety review",
        statement="No model or system is released before its safety review is signed off "
        "by the safety board.",
        owner="VP Engineering",
        adopted_on=dt.date(2024, 6, 1),
        status="audited",
        evidence="Release gate audit RG-2026-03",
        review_on=dt.date(2027, 6, 1),
        practice_areas=("predeployment_review",),
    ),
    PolicyDraft(
        title="Independent safety audit",
        statement="An independent auditor reviews our safety practices every year; all "
        "findings are tracked to closure.",
        owner="Chief Risk Officer",
        adopted_on=dt.date(2024, 9, 1),
        status="audited",
        evidence="External audit report EA-2025",
        review_on=dt.date(2027, 9, 1),
        practice_areas=("independent_audit",),
    ),
    PolicyDraft(
        title="Safety resourcing under deadline pressure",
        statement="Safety work keeps its budget and people when a deadline is at risk; "
        "any cut must be approved by the safety board.",
        owner="COO",
        adopted_on=dt.date(2025, 1, 15),
        status="implemented",
        evidence="",  # claimed implemented, nothing to show for it
        review_on=dt.date(2027, 1, 15),
        practice_areas=("safety_resourcing",),
    ),
    PolicyDraft(
        title="Stop-work authority",
        statement="Anyone may stop or escalate work they believe is unsafe and will be "
        "backed up by their manager.",
        owner="COO",
        adopted_on=dt.date(2023, 3, 1),
        status="implemented",
        evidence="Stop-work register SW-01",
        review_on=dt.date(2025, 3, 31),  # overdue
        practice_areas=("stop_work",),
    ),
    PolicyDraft(
        title="Risk indicators with paired controls",
        statement="Each tracked risk indicator has a named owner and a control applied when "
        "it crosses its threshold.",
        owner="Chief Risk Officer",
        adopted_on=dt.date(2026, 5, 1),
        status="approved",
        evidence="",
        review_on=dt.date(2027, 5, 1),
        practice_areas=("risk_indicators",),
    ),
)

_SPEAK_UP = PolicyDraft(
    title="Speaking up without retaliation",
    statement="Anyone who raises a safety concern must be protected from retaliation, and "
    "every concern will be answered within 10 working days.",
    owner="Chief People Officer",
    adopted_on=dt.date(2024, 4, 1),
    status="implemented",
    evidence="Speak-up case log",
    review_on=dt.date(2027, 4, 1),
    practice_areas=("speaking_up",),
)
_SPEAK_UP_SOFTENED = PolicyDraft(
    title="Speaking up without retaliation",
    statement="Staff are encouraged to raise safety concerns; concerns should be answered "
    "where possible.",
    owner="Chief People Officer",
    adopted_on=dt.date(2024, 4, 1),
    status="approved",
    evidence="Speak-up case log",
    review_on=dt.date(2027, 4, 1),
    practice_areas=("speaking_up",),
)
_RED_TEAM = PolicyDraft(
    title="Ring-fenced red-teaming budget",
    statement="Ten percent of every model's compute budget is reserved for red-teaming and "
    "cannot be reallocated.",
    owner="VP Engineering",
    adopted_on=dt.date(2024, 6, 1),
    status="implemented",
    evidence="Compute allocation sheet 2025",
    review_on=dt.date(2026, 6, 1),
    practice_areas=("safety_resourcing",),
)


def add_demo_register(store: Store, organisation: str) -> None:
    """Create the demo policy register for ``organisation`` (nothing if it has one)."""
    if policies(store, organisation, include_removed=True):
        return
    for draft in _REGISTER:
        add_policy(store, organisation, draft, source="demo")
    speak_up = add_policy(store, organisation, _SPEAK_UP, source="demo")
    update_policy(store, speak_up.id, _SPEAK_UP_SOFTENED, source="demo: revised")
    red_team = add_policy(store, organisation, _RED_TEAM, source="demo")
    remove_policy(store, red_team.id, source="demo: withdrawn")
