"""Campaigns: one survey run of one instrument, with its thresholds, dates and headcounts.

A campaign is the aggregate that owns its import batches and responses: deleting it
deletes them (:func:`delete_responses_where`), and every check on a change runs in the
same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, delete, func, select, text, update
from sqlalchemy.orm import Session

from culturescope import thresholds
from culturescope.instruments import Instrument
from culturescope.storage.campaign_names import campaign_name_key, clean_name, stored_name
from culturescope.storage.errors import DatabaseConflict, StoreError, UnknownCampaign
from culturescope.storage.instruments import InstrumentRepository
from culturescope.storage.models import (
    CampaignRecord,
    CommentRecord,
    ImportBatch,
    Organisation,
    ResponseRecord,
)
from culturescope.storage.previous import PreviousCheck, Side, check_previous
from culturescope.storage.records import Campaign
from culturescope.storage.values import as_date

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

DEFAULT_ORGANISATION = "My organisation"


class CampaignRepository(InstrumentRepository):
    """Campaigns by name or id; each returned as a frozen :class:`Campaign`."""

    def create_campaign(
        self,
        name: str,
        instrument: Instrument,
        *,
        organisation: str = DEFAULT_ORGANISATION,
        min_group_size: int = 5,
        min_comment_group_size: int = 10,
        opens_on: dt.date | None = None,
        closes_on: dt.date | None = None,
        previous: str | int | None = None,
        headcounts: dict[str, dict[str, int]] | None = None,
        uid: str | None = None,
        bundle_key: str | None = None,
    ) -> Campaign:
        """A new campaign. ``uid`` and ``bundle_key`` are given only when installing a
        campaign made elsewhere (a kiosk setup file); otherwise they are drawn at random."""
        name = clean_name(name)
        if not name:
            raise StoreError("a campaign needs a name")
        check_thresholds(min_group_size, min_comment_group_size)
        with self.transaction():  # all of it or, on a refusal, nothing
            key = self.save_instrument(instrument)
            prev_id = None
            if previous is not None:
                check = self.previous_check(
                    previous,
                    name=name,
                    instrument=instrument,
                    organisation=organisation,
                    opens_on=opens_on,
                )
                if check.refusal:
                    raise StoreError(check.refusal)
                prev_id = self.campaign(previous).id
            with self.session() as s:
                _check_name_free(s, name)
                org = self._organisation(s, organisation)
                rec = CampaignRecord(
                    name=name,
                    organisation_id=org.id,
                    instrument_key=key,
                    min_group_size=min_group_size,
                    min_comment_group_size=min_comment_group_size,
                    status="open",
                    opens_on=opens_on,
                    closes_on=closes_on,
                    created_on=dt.date.today(),
                    previous_campaign_id=prev_id,
                    headcounts=headcounts or {},
                )
                if uid is not None:
                    if s.scalar(select(CampaignRecord.id).where(CampaignRecord.uid == uid)):
                        raise StoreError(f"a campaign with uid {uid} already exists")
                    rec.uid = uid
                if bundle_key is not None:
                    rec.bundle_key = bundle_key
                s.add(rec)
                s.flush()
                cid = rec.id
                self.mark_changed(s, cid)
            return self.campaign(cid)

    @staticmethod
    def _organisation(s: Session, name: str) -> Organisation:
        org = s.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name)
            s.add(org)
            s.flush()
        return org

    def campaigns(self) -> list[Campaign]:
        with self.session() as s:
            counts = dict(
                s.execute(
                    select(ResponseRecord.campaign_id, func.count()).group_by(
                        ResponseRecord.campaign_id
                    )
                ).all()
            )
            rows = s.scalars(
                select(CampaignRecord).order_by(CampaignRecord.created_on, CampaignRecord.id)
            )
            return [_campaign(r, counts.get(r.id, 0)) for r in rows]

    def campaign(self, ref: str | int) -> Campaign:
        """Campaign by id, or by name as a person types it: the exact name, else the one
        name equal to it ignoring case and spaces (see :mod:`.campaign_names`)."""
        with self.session() as s:
            if isinstance(ref, int):
                rec = s.get(CampaignRecord, ref)
            else:
                rec = _record_named(s, ref)
            if rec is None:
                names = ", ".join(s.scalars(select(CampaignRecord.name))) or "none yet"
                raise UnknownCampaign(f"no campaign '{ref}' (campaigns: {names})")
            n = (
                s.scalar(
                    select(func.count())
                    .select_from(ResponseRecord)
                    .where(ResponseRecord.campaign_id == rec.id)
                )
                or 0
            )
            return _campaign(rec, n)

    def campaign_by_uid(self, uid: str) -> Campaign | None:
        """The campaign with this uid (see kiosk bundles), or None."""
        with self.session() as s:
            cid = s.scalar(select(CampaignRecord.id).where(CampaignRecord.uid == uid))
        return None if cid is None else self.campaign(cid)

    def forget_bundle_key(self, ref: str | int) -> Campaign:
        """Remove a campaign's bundle key from the database; a kiosk laptop keeps it sealed
        under the admin passphrase instead (see :mod:`culturescope.bundles`)."""
        cid = self.campaign(ref).id
        with self.session() as s:
            if self.is_sqlite:  # overwrite the old value on disk, not only unlink it
                s.execute(text("PRAGMA secure_delete = ON"))
            s.execute(update(CampaignRecord).where(CampaignRecord.id == cid).values(bundle_key=""))
            if self.is_sqlite:
                s.execute(text("PRAGMA secure_delete = OFF"))
            self.mark_changed(s, cid)
        if self.is_sqlite:
            with self.engine.connect() as conn:
                # Copy the rewritten page into the database file and empty the WAL, which
                # still holds earlier page images with the key.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return self.campaign(cid)

    def update_campaign(self, ref: str | int, **changes: Any) -> Campaign:
        """Change name, status, thresholds, dates, previous campaign or headcounts."""
        allowed = {
            "name",
            "status",
            "min_group_size",
            "min_comment_group_size",
            "opens_on",
            "closes_on",
            "previous_campaign_id",
            "headcounts",
            "private_names",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise StoreError(f"cannot change {', '.join(sorted(unknown))} of a campaign")
        with self.transaction():  # checked and changed as one
            current = self.campaign(ref)
            check_thresholds(
                changes.get("min_group_size", current.min_group_size),
                changes.get("min_comment_group_size", current.min_comment_group_size),
            )
            if changes.get("status", "open") not in ("open", "closed"):
                raise StoreError("a campaign's status is 'open' or 'closed'")
            if "name" in changes:
                changes["name"] = clean_name(str(changes["name"]))
                if not changes["name"]:
                    raise StoreError("a campaign needs a name")
            previous = changes.get("previous_campaign_id")
            if previous is not None and previous != current.previous_campaign_id:
                check = self.previous_check(
                    previous, campaign=current.id, opens_on=changes.get("opens_on")
                )
                if check.refusal:
                    raise StoreError(check.refusal)
            try:
                if "name" in changes:
                    with self.session() as s:
                        _check_name_free(s, changes["name"], but=current.id)
                with self.session() as s:
                    s.execute(
                        update(CampaignRecord)
                        .where(CampaignRecord.id == current.id)
                        .values(**changes)
                    )
                    self.mark_changed(s, current.id)
            except DatabaseConflict:
                raise StoreError(
                    f"a campaign named '{changes.get('name')}' already exists"
                ) from None
            return self.campaign(current.id)

    def delete_campaign(self, ref: str | int) -> None:
        with self.transaction():
            cid = self.campaign(ref).id
            with self.session() as s:
                self.mark_changed(s)  # campaigns that followed it lose their trend too
                s.execute(
                    update(CampaignRecord)
                    .where(CampaignRecord.previous_campaign_id == cid)
                    .values(previous_campaign_id=None)
                )
                delete_responses_where(s, ResponseRecord.campaign_id == cid)
                s.execute(delete(ImportBatch).where(ImportBatch.campaign_id == cid))
                s.execute(delete(CampaignRecord).where(CampaignRecord.id == cid))

    def survey_period(self, ref: str | int) -> tuple[dt.date | None, dt.date | None, str]:
        """``(first day, last day, basis)``: the campaign's own dates when set ("campaign"),
        else the first and last known response dates ("responses"), else ``(None, None,
        "none")``. A date the campaign leaves open is taken from the responses."""
        camp = self.campaign(ref)
        if camp.opens_on and camp.closes_on:
            return camp.opens_on, camp.closes_on, "campaign"
        with self.session() as s:
            first, last = s.execute(
                select(
                    func.min(ResponseRecord.submitted_on), func.max(ResponseRecord.submitted_on)
                ).where(ResponseRecord.campaign_id == camp.id)
            ).one()
        first, last = as_date(first), as_date(last)
        if camp.opens_on or camp.closes_on:
            return camp.opens_on or first, camp.closes_on or last, "campaign"
        if first is None:
            return None, None, "none"
        return first, last, "responses"

    def previous_check(
        self,
        previous: str | int,
        *,
        campaign: str | int | None = None,
        name: str = "",
        instrument: Instrument | None = None,
        organisation: str | None = None,
        opens_on: dt.date | None = None,
    ) -> PreviousCheck:
        """May ``previous`` be the previous campaign of ``campaign`` (an existing one), or
        of a campaign about to be made (``name``, ``instrument``, ``organisation``)?

        The rule is :func:`.previous.check_previous`; ``opens_on`` stands for the
        campaign's opening date when it is being changed (a dialog's value not saved yet).
        """
        before = self.campaign(previous)
        everyone = self.campaigns()
        previous_of = {c.id: c.previous_campaign_id for c in everyone}
        names = {c.id: c.name for c in everyone}
        if campaign is not None:
            now = self.campaign(campaign)
            this = Side(
                now.id,
                now.name,
                now.organisation,
                self.instrument(now.instrument_key),
                opens_on or self._starts_on(now),
            )
        else:
            if instrument is None:
                raise StoreError("a new campaign's previous campaign needs its instrument")
            this = Side(
                None,
                name.strip() or "the new campaign",
                organisation or DEFAULT_ORGANISATION,
                instrument,
                opens_on,
            )
        that = Side(
            before.id,
            before.name,
            before.organisation,
            self.instrument(before.instrument_key),
            self._starts_on(before),
        )
        return check_previous(this, that, previous_of=previous_of, names=names)

    def _starts_on(self, c: Campaign) -> dt.date | None:
        """The campaign's opening date, else its first response's date."""
        return c.opens_on or self.survey_period(c.id)[0]

    def campaign_instrument(self, ref: str | int) -> Instrument:
        return self.instrument(self.campaign(ref).instrument_key)


def check_thresholds(min_group_size: int, min_comment_group_size: int) -> None:
    """A campaign's minimum group sizes, by the one validator
    (:func:`culturescope.thresholds.check_thresholds`); raises :class:`StoreError`."""
    try:
        thresholds.check_thresholds(min_group_size, min_comment_group_size)
    except thresholds.ThresholdError as exc:
        raise StoreError(str(exc)) from None


def _campaign(r: CampaignRecord, n: int) -> Campaign:
    return Campaign(
        id=r.id,
        name=r.name,
        organisation=r.organisation.name,
        instrument_key=r.instrument_key,
        min_group_size=r.min_group_size,
        min_comment_group_size=r.min_comment_group_size,
        status=r.status,
        opens_on=r.opens_on,
        closes_on=r.closes_on,
        created_on=r.created_on,
        previous_campaign_id=r.previous_campaign_id,
        headcounts=dict(r.headcounts or {}),
        response_count=n,
        uid=r.uid,
        bundle_key=r.bundle_key,
        private_names=tuple(r.private_names or ()),
    )


def delete_responses_where(s: Session, condition: ColumnElement[bool]) -> int:
    """Delete the responses matching ``condition`` and their comments; returns how many.

    Explicit, so it works without ON DELETE CASCADE support.
    """
    ids = select(ResponseRecord.id).where(condition).scalar_subquery()
    s.execute(delete(CommentRecord).where(CommentRecord.response_id.in_(ids)))
    result = cast("CursorResult[Any]", s.execute(delete(ResponseRecord).where(condition)))
    return result.rowcount or 0


def _record_named(s: Session, typed: str) -> CampaignRecord | None:
    """The campaign a typed name means, None if none; refused if it could be several."""
    rec = s.scalar(select(CampaignRecord).where(CampaignRecord.name == typed))
    if rec is not None:
        return rec
    rows = dict(s.execute(select(CampaignRecord.name, CampaignRecord.id)).all())
    name = stored_name(typed, rows)
    return None if name is None else s.get(CampaignRecord, rows[name])


def _check_name_free(s: Session, name: str, *, but: int | None = None) -> None:
    """Refuse a new or changed campaign name that equals another campaign's, ignoring case
    and spaces: a typed name must never have to choose between two campaigns."""
    key = campaign_name_key(name)
    for other_id, other in s.execute(select(CampaignRecord.id, CampaignRecord.name)):
        if other_id != but and campaign_name_key(other) == key:
            same = (
                ""
                if other == name
                else " (names differing only in capitals or spaces are one name)"
            )
            raise StoreError(f"a campaign named '{other}' already exists{same}")
