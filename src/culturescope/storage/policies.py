"""The policy register as stored: policies and their versions, per organisation.

The rules of the register (titles unique per organisation, a new version only when the
content changed, removal as a version of its own) live in :mod:`culturescope.policies`;
this module only reads and writes rows and returns plain dataclasses, so that the
register never holds an ORM object. A change runs in one transaction through
:func:`policy_changes`, which also marks it for every campaign (an organisation's
policies feed all its campaigns' signals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from culturescope.storage.models import Organisation, PolicyRecord, PolicyVersionRecord

if TYPE_CHECKING:
    from culturescope.storage.repository import Store

MAX_SOURCE = 300  # characters of a version's source note (column width)


@dataclass(frozen=True)
class PolicyContent:
    """What one version of a policy says."""

    title: str
    statement: str
    owner: str
    adopted_on: dt.date | None
    status: str
    evidence: str
    review_on: dt.date | None
    practice_areas: tuple[str, ...]


@dataclass(frozen=True)
class StoredPolicyVersion(PolicyContent):
    """One stored version: its content and when, how and whether it removed the policy."""

    policy_id: int
    version: int
    removed: bool
    recorded_on: dt.date
    source: str = ""


def policy_versions(store: Store, organisation: str) -> dict[int, list[StoredPolicyVersion]]:
    """Every version of every policy of ``organisation``, by policy id, oldest first."""
    with store.session() as s:
        return _versions(s, organisation)


def policy_organisation(store: Store, policy_id: int) -> str | None:
    """The organisation a policy belongs to; None when there is no such policy."""
    with store.session() as s:
        return _organisation_of(s, policy_id)


class PolicyChanges:
    """Reads and writes of the register inside one transaction (see :func:`policy_changes`)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def versions(self, organisation: str) -> dict[int, list[StoredPolicyVersion]]:
        """As :func:`policy_versions`, seeing this transaction's own writes."""
        return _versions(self._s, organisation)

    def organisation_of(self, policy_id: int) -> str | None:
        return _organisation_of(self._s, policy_id)

    def latest(self, policy_id: int) -> StoredPolicyVersion | None:
        """The newest version of a policy; None when there is no such policy."""
        record = self._s.scalar(
            select(PolicyVersionRecord)
            .where(PolicyVersionRecord.policy_id == policy_id)
            .order_by(PolicyVersionRecord.version.desc())
            .limit(1)
        )
        return None if record is None else _stored(record)

    def add_policy(self, organisation: str, content: PolicyContent, *, source: str) -> int:
        """A new policy with ``content`` as its version 1 (the organisation is created
        when it has no row yet); returns the policy's id."""
        s = self._s
        org = s.scalar(select(Organisation).where(Organisation.name == organisation))
        if org is None:
            org = Organisation(name=organisation)
            s.add(org)
            s.flush()
        record = PolicyRecord(organisation_id=org.id, created_on=dt.date.today())
        s.add(record)
        s.flush()
        self.add_version(record.id, content, version=1, removed=False, source=source)
        return record.id

    def add_version(
        self, policy_id: int, content: PolicyContent, *, version: int, removed: bool, source: str
    ) -> None:
        """Record ``content`` as version ``version`` of a policy, recorded today."""
        self._s.add(
            PolicyVersionRecord(
                policy_id=policy_id,
                version=version,
                title=content.title,
                statement=content.statement,
                owner=content.owner,
                adopted_on=content.adopted_on,
                status=content.status,
                evidence=content.evidence,
                review_on=content.review_on,
                practice_areas=list(content.practice_areas),
                removed=removed,
                recorded_on=dt.date.today(),
                source=source[:MAX_SOURCE],
            )
        )
        self._s.flush()


@contextmanager
def policy_changes(store: Store) -> Iterator[PolicyChanges]:
    """One transaction over the register: all of the block's writes are stored, or none."""
    with store.session() as s:
        store.mark_changed(s)  # an organisation's policies feed all its campaigns
        yield PolicyChanges(s)


def _versions(s: Session, organisation: str) -> dict[int, list[StoredPolicyVersion]]:
    rows = s.execute(
        select(PolicyVersionRecord)
        .join(PolicyRecord, PolicyRecord.id == PolicyVersionRecord.policy_id)
        .join(Organisation, Organisation.id == PolicyRecord.organisation_id)
        .where(Organisation.name == organisation)
        .order_by(PolicyVersionRecord.policy_id, PolicyVersionRecord.version)
    ).scalars()
    grouped: dict[int, list[StoredPolicyVersion]] = {}
    for record in rows:
        grouped.setdefault(record.policy_id, []).append(_stored(record))
    return grouped


def _organisation_of(s: Session, policy_id: int) -> str | None:
    record = s.get(PolicyRecord, policy_id)
    if record is None:
        return None
    org = s.get(Organisation, record.organisation_id)
    assert org is not None  # foreign key
    return org.name


def _stored(r: PolicyVersionRecord) -> StoredPolicyVersion:
    return StoredPolicyVersion(
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
