"""The policy register (docs/design/policies.md): what an organisation says it does.

A policy belongs to an organisation; a campaign reaches the register through its
organisation. Every change adds a version and nothing is overwritten, so a commitment
that was softened or removed stays visible (the signals in docs/design/signals.md read the history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from culturescope import CultureScopeError
from culturescope.storage import Store
from culturescope.storage.models import Organisation, PolicyRecord, PolicyVersionRecord

#: Claimed statuses, weakest first: a later one claims more than an earlier one.
STATUSES = ("drafted", "approved", "implemented", "audited")
#: Statuses that claim the practice is in use, so survey practice items should show it.
IN_USE_STATUSES = ("implemented", "audited")


class PolicyError(CultureScopeError):
    """A policy the register refuses (unknown status, missing title, duplicate, ...)."""


@dataclass(frozen=True)
class PolicyDraft:
    """The content of a policy as entered or imported (one version's worth)."""

    title: str
    statement: str = ""
    owner: str = ""
    adopted_on: dt.date | None = None
    status: str = "drafted"
    evidence: str = ""
    review_on: dt.date | None = None
    practice_areas: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", " ".join(self.title.split()))
        object.__setattr__(self, "statement", self.statement.strip())
        object.__setattr__(self, "owner", self.owner.strip())
        object.__setattr__(self, "evidence", self.evidence.strip())
        object.__setattr__(self, "status", self.status.strip().lower())
        object.__setattr__(self, "practice_areas", tuple(self.practice_areas))
        if not self.title:
            raise PolicyError("a policy needs a title")
        if self.status not in STATUSES:
            raise PolicyError(
                f"unknown status '{self.status}' for policy '{self.title}' "
                f"(use one of: {', '.join(STATUSES)})"
            )


_CONTENT = tuple(f.name for f in fields(PolicyDraft))


@dataclass(frozen=True)
class PolicyVersion:
    """One stored version of a policy."""

    policy_id: int
    version: int
    title: str
    statement: str
    owner: str
    adopted_on: dt.date | None
    status: str
    evidence: str
    review_on: dt.date | None
    practice_areas: tuple[str, ...]
    removed: bool
    recorded_on: dt.date
    source: str = ""

    def draft(self) -> PolicyDraft:
        return PolicyDraft(**{name: getattr(self, name) for name in _CONTENT})

    @property
    def status_rank(self) -> int:
        return STATUSES.index(self.status)


@dataclass(frozen=True)
class Policy:
    """A policy as it stands now (its newest version), with its full history."""

    id: int
    organisation: str
    current: PolicyVersion
    history: tuple[PolicyVersion, ...] = field(default=(), repr=False)  # oldest first

    # Shortcuts to the current version, for tables and signals.
    @property
    def title(self) -> str:
        return self.current.title

    @property
    def status(self) -> str:
        return self.current.status

    @property
    def removed(self) -> bool:
        return self.current.removed

    @property
    def version(self) -> int:
        return self.current.version


@dataclass(frozen=True)
class RegisterChanges:
    """What :func:`apply_register` did."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


# ---- reading -----------------------------------------------------------------------
def organisation_of(store: Store, campaign_ref: str | int) -> str:
    """The organisation whose register applies to a campaign."""
    return store.campaign(campaign_ref).organisation


def policies(store: Store, organisation: str, *, include_removed: bool = False) -> list[Policy]:
    """The organisation's register, ordered by title; removed policies only on request."""
    with store.session() as s:
        out = _load(s, organisation)
    if not include_removed:
        out = [p for p in out if not p.removed]
    return sorted(out, key=lambda p: p.title.casefold())


def policy(store: Store, policy_id: int) -> Policy:
    with store.session() as s:
        rec = s.get(PolicyRecord, policy_id)
        if rec is None:
            raise PolicyError(f"no policy with id {policy_id}")
        org = s.get(Organisation, rec.organisation_id)
        assert org is not None  # foreign key
        return next(p for p in _load(s, org.name) if p.id == policy_id)


def _load(s: Session, organisation: str) -> list[Policy]:
    rows = s.execute(
        select(PolicyVersionRecord)
        .join(PolicyRecord, PolicyRecord.id == PolicyVersionRecord.policy_id)
        .join(Organisation, Organisation.id == PolicyRecord.organisation_id)
        .where(Organisation.name == organisation)
        .order_by(PolicyVersionRecord.policy_id, PolicyVersionRecord.version)
    ).scalars()
    grouped: dict[int, list[PolicyVersion]] = {}
    for r in rows:
        grouped.setdefault(r.policy_id, []).append(_version(r))
    return [
        Policy(id=pid, organisation=organisation, current=vs[-1], history=tuple(vs))
        for pid, vs in grouped.items()
    ]


def _version(r: PolicyVersionRecord) -> PolicyVersion:
    return PolicyVersion(
        policy_id=r.policy_id,
        version=r.version,
        title=r.title,
        statement=r.statement,
        owner=r.owner,
        adopted_on=r.adopted_on,
        status=r.status,
        evidence=r.evidence,
        review_on=r.review_on,
        practice_areas=tuple(r.practice_areas or ()),
        removed=bool(r.removed),
        recorded_on=r.recorded_on,
        source=r.source,
    )


# ---- writing -----------------------------------------------------------------------
def add_policy(
    store: Store, organisation: str, draft: PolicyDraft, *, source: str = "app"
) -> Policy:
    """Add a new policy (version 1). Titles are unique among an organisation's policies."""
    with store.session() as s:
        store.mark_changed(s)  # an organisation's policies feed all its campaigns
        pid = _add(s, organisation, draft, source=source)
    return policy(store, pid)


def update_policy(
    store: Store, policy_id: int, draft: PolicyDraft, *, source: str = "app"
) -> Policy:
    """Record a new version when the content changed; an unchanged draft adds nothing.

    Updating a removed policy restores it (as a new version).
    """
    with store.session() as s:
        store.mark_changed(s)  # an organisation's policies feed all its campaigns
        _update(s, policy_id, draft, source=source)
    return policy(store, policy_id)


def remove_policy(store: Store, policy_id: int, *, source: str = "app") -> Policy:
    """Mark a policy removed: a new version, so the removal itself stays visible."""
    with store.session() as s:
        store.mark_changed(s)  # an organisation's policies feed all its campaigns
        current = _current(s, policy_id)
        if not current.removed:
            _insert_version(s, policy_id, current.draft(), current.version + 1, True, source)
    return policy(store, policy_id)


def apply_register(
    store: Store,
    organisation: str,
    drafts: Sequence[PolicyDraft],
    *,
    source: str = "import",
    sources: Sequence[str] | None = None,
    remove_missing: bool = False,
) -> RegisterChanges:
    """Bring the register in line with ``drafts`` in one transaction (spreadsheet import).

    Policies are matched by title (case-insensitive); changed ones get a new version,
    unchanged ones are left alone. With ``remove_missing``, policies absent from ``drafts``
    are marked removed.
    """
    _check_unique(drafts)
    added, updated, unchanged, removed = [], [], [], []
    with store.session() as s:
        store.mark_changed(s)  # an organisation's policies feed all its campaigns
        existing = {p.title.casefold(): p for p in _load(s, organisation)}
        seen: set[str] = set()
        for n, draft in enumerate(drafts):
            src = sources[n] if sources is not None else source
            key = draft.title.casefold()
            seen.add(key)
            found = existing.get(key)
            if found is None:
                _add(s, organisation, draft, source=src)
                added.append(draft.title)
            elif _update(s, found.id, draft, source=src):
                updated.append(draft.title)
            else:
                unchanged.append(draft.title)
        if remove_missing:
            for key, p in existing.items():
                if key not in seen and not p.removed:
                    _insert_version(s, p.id, p.current.draft(), p.version + 1, True, source)
                    removed.append(p.title)
    return RegisterChanges(tuple(added), tuple(updated), tuple(unchanged), tuple(removed))


def _check_unique(drafts: Iterable[PolicyDraft]) -> None:
    seen: set[str] = set()
    for d in drafts:
        if d.title.casefold() in seen:
            raise PolicyError(f"the policy title '{d.title}' appears twice")
        seen.add(d.title.casefold())


def _add(s: Session, organisation: str, draft: PolicyDraft, *, source: str) -> int:
    if any(p.title.casefold() == draft.title.casefold() for p in _load(s, organisation)):
        raise PolicyError(f"{organisation} already has a policy titled '{draft.title}'")
    org = s.scalar(select(Organisation).where(Organisation.name == organisation))
    if org is None:
        org = Organisation(name=organisation)
        s.add(org)
        s.flush()
    rec = PolicyRecord(organisation_id=org.id, created_on=dt.date.today())
    s.add(rec)
    s.flush()
    _insert_version(s, rec.id, draft, 1, False, source)
    return rec.id


def _update(s: Session, policy_id: int, draft: PolicyDraft, *, source: str) -> bool:
    current = _current(s, policy_id)
    if not current.removed and current.draft() == draft:
        return False
    if draft.title.casefold() != current.title.casefold():
        rec = s.get(PolicyRecord, policy_id)
        assert rec is not None
        org = s.get(Organisation, rec.organisation_id)
        assert org is not None
        clash = [
            p
            for p in _load(s, org.name)
            if p.id != policy_id and p.title.casefold() == draft.title.casefold()
        ]
        if clash:
            raise PolicyError(f"{org.name} already has a policy titled '{draft.title}'")
    _insert_version(s, policy_id, draft, current.version + 1, False, source)
    return True


def _current(s: Session, policy_id: int) -> PolicyVersion:
    latest = s.scalar(
        select(PolicyVersionRecord)
        .where(PolicyVersionRecord.policy_id == policy_id)
        .order_by(PolicyVersionRecord.version.desc())
        .limit(1)
    )
    if latest is None:
        raise PolicyError(f"no policy with id {policy_id}")
    return _version(latest)


def _insert_version(
    s: Session, policy_id: int, d: PolicyDraft, version: int, removed: bool, source: str
) -> None:
    s.add(
        PolicyVersionRecord(
            policy_id=policy_id,
            version=version,
            title=d.title,
            statement=d.statement,
            owner=d.owner,
            adopted_on=d.adopted_on,
            status=d.status,
            evidence=d.evidence,
            review_on=d.review_on,
            practice_areas=list(d.practice_areas),
            removed=removed,
            recorded_on=dt.date.today(),
            source=source[:300],
        )
    )
    s.flush()


__all__ = [
    "IN_USE_STATUSES",
    "STATUSES",
    "Policy",
    "PolicyDraft",
    "PolicyError",
    "PolicyVersion",
    "RegisterChanges",
    "add_policy",
    "apply_register",
    "organisation_of",
    "policies",
    "policy",
    "remove_policy",
    "update_policy",
]
