"""The policy register (docs/design/policies.md): what an organisation says it does.

A policy belongs to an organisation; a campaign reaches the register through its
organisation. Every change adds a version and nothing is overwritten, so a commitment
that was softened or removed stays visible (the signals in docs/design/signals.md read the history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from culturescope import CultureScopeError
from culturescope.storage import Store
from culturescope.storage.policies import (
    PolicyChanges,
    PolicyContent,
    StoredPolicyVersion,
    policy_changes,
    policy_organisation,
    policy_versions,
)

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
class PolicyVersion(StoredPolicyVersion):
    """One stored version of a policy (its fields: :class:`StoredPolicyVersion`)."""

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
    #: Columns of an imported file that are not register fields (so were not read).
    ignored_columns: tuple[str, ...] = ()


# ---- reading -----------------------------------------------------------------------
def organisation_of(store: Store, campaign_ref: str | int) -> str:
    """The organisation whose register applies to a campaign."""
    return store.campaign(campaign_ref).organisation


def policies(store: Store, organisation: str, *, include_removed: bool = False) -> list[Policy]:
    """The organisation's register, ordered by title; removed policies only on request."""
    out = _policies(policy_versions(store, organisation), organisation)
    if not include_removed:
        out = [p for p in out if not p.removed]
    return sorted(out, key=lambda p: p.title.casefold())


def policy(store: Store, policy_id: int) -> Policy:
    organisation = policy_organisation(store, policy_id)
    if organisation is None:
        raise PolicyError(f"no policy with id {policy_id}")
    return next(p for p in policies(store, organisation, include_removed=True) if p.id == policy_id)


def _policies(stored: dict[int, list[StoredPolicyVersion]], organisation: str) -> list[Policy]:
    out = []
    for pid, rows in stored.items():
        versions = tuple(_version(r) for r in rows)
        out.append(
            Policy(id=pid, organisation=organisation, current=versions[-1], history=versions)
        )
    return out


def _version(r: StoredPolicyVersion) -> PolicyVersion:
    return PolicyVersion(**{f.name: getattr(r, f.name) for f in fields(StoredPolicyVersion)})


def _content(d: PolicyDraft) -> PolicyContent:
    return PolicyContent(**{name: getattr(d, name) for name in _CONTENT})


# ---- writing -----------------------------------------------------------------------
def add_policy(
    store: Store, organisation: str, draft: PolicyDraft, *, source: str = "app"
) -> Policy:
    """Add a new policy (version 1). Titles are unique among an organisation's policies."""
    with policy_changes(store) as w:
        pid = _add(w, organisation, draft, source=source)
    return policy(store, pid)


def update_policy(
    store: Store, policy_id: int, draft: PolicyDraft, *, source: str = "app"
) -> Policy:
    """Record a new version when the content changed; an unchanged draft adds nothing.

    Updating a removed policy restores it (as a new version).
    """
    with policy_changes(store) as w:
        _update(w, policy_id, draft, source=source)
    return policy(store, policy_id)


def remove_policy(store: Store, policy_id: int, *, source: str = "app") -> Policy:
    """Mark a policy removed: a new version, so the removal itself stays visible."""
    with policy_changes(store) as w:
        current = _current(w, policy_id)
        if not current.removed:
            _remove(w, current, source)
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
    with policy_changes(store) as w:
        existing = {
            p.title.casefold(): p for p in _policies(w.versions(organisation), organisation)
        }
        seen: set[str] = set()
        for n, draft in enumerate(drafts):
            src = sources[n] if sources is not None else source
            key = draft.title.casefold()
            seen.add(key)
            found = existing.get(key)
            if found is None:
                _add(w, organisation, draft, source=src)
                added.append(draft.title)
            elif _update(w, found.id, draft, source=src):
                updated.append(draft.title)
            else:
                unchanged.append(draft.title)
        if remove_missing:
            for key, p in existing.items():
                if key not in seen and not p.removed:
                    _remove(w, p.current, source)
                    removed.append(p.title)
    return RegisterChanges(tuple(added), tuple(updated), tuple(unchanged), tuple(removed))


def _check_unique(drafts: Iterable[PolicyDraft]) -> None:
    seen: set[str] = set()
    for d in drafts:
        if d.title.casefold() in seen:
            raise PolicyError(f"the policy title '{d.title}' appears twice")
        seen.add(d.title.casefold())


def _check_title_free(
    w: PolicyChanges, organisation: str, title: str, *, policy_id: int | None = None
) -> None:
    for pid, versions in w.versions(organisation).items():
        if pid != policy_id and versions[-1].title.casefold() == title.casefold():
            raise PolicyError(f"{organisation} already has a policy titled '{title}'")


def _add(w: PolicyChanges, organisation: str, draft: PolicyDraft, *, source: str) -> int:
    _check_title_free(w, organisation, draft.title)
    return w.add_policy(organisation, _content(draft), source=source)


def _update(w: PolicyChanges, policy_id: int, draft: PolicyDraft, *, source: str) -> bool:
    current = _current(w, policy_id)
    if not current.removed and current.draft() == draft:
        return False
    if draft.title.casefold() != current.title.casefold():
        organisation = w.organisation_of(policy_id)
        assert organisation is not None  # _current found the policy
        _check_title_free(w, organisation, draft.title, policy_id=policy_id)
    w.add_version(
        policy_id, _content(draft), version=current.version + 1, removed=False, source=source
    )
    return True


def _remove(w: PolicyChanges, current: PolicyVersion, source: str) -> None:
    w.add_version(
        current.policy_id,
        _content(current.draft()),
        version=current.version + 1,
        removed=True,
        source=source,
    )


def _current(w: PolicyChanges, policy_id: int) -> PolicyVersion:
    latest = w.latest(policy_id)
    if latest is None:
        raise PolicyError(f"no policy with id {policy_id}")
    return _version(latest)


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
