"""Following up a campaign's results: signal reviews (acknowledged, a note) and actions.

Both belong to one campaign and go when it is deleted. A review is keyed by the signal's
stable id, so acknowledging a signal survives detecting the signals again and restarting
the app. An action keeps what the next campaign needs to judge it: the subject and the
measure it targets, and that measure's figure when the action was made (its baseline).
Owners are roles ("Head of safety"), not people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from culturescope.storage.errors import StoreError
from culturescope.storage.models import ActionRecord, SignalReviewRecord

if TYPE_CHECKING:
    from culturescope.storage.repository import Store

#: Action statuses, in the order an action goes through them.
ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
ACTION_STATUS_TITLES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
MAX_NOTE = 4000  # characters of a signal note
MAX_TITLE = 300  # of an action title
MAX_ROLE = 200  # of an owner role


@dataclass(frozen=True)
class SignalReview:
    """What the lead did with one signal of a campaign."""

    signal_id: str
    acknowledged: bool
    note: str
    updated_on: dt.date


@dataclass(frozen=True)
class NewAction:
    """An action to add: what will be done, about which subject, and the figure it should
    move (``measure`` key, its words, its value now)."""

    title: str
    subject_kind: str
    subject: str
    measure: str = ""
    measure_label: str = ""
    baseline: float | None = None
    owner_role: str = ""
    due_on: dt.date | None = None
    status: str = "planned"
    signal_id: str | None = None


@dataclass(frozen=True)
class Action:
    """An action planned on a campaign's results (see the module docstring)."""

    id: int
    campaign_id: int
    title: str
    subject_kind: str
    subject: str
    measure: str
    measure_label: str
    baseline: float | None
    owner_role: str
    due_on: dt.date | None
    status: str
    signal_id: str | None
    created_on: dt.date
    updated_on: dt.date

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Past its due date and neither done nor dropped."""
        today = today or dt.date.today()
        return (
            self.due_on is not None
            and self.due_on < today
            and self.status
            in (
                "planned",
                "in_progress",
            )
        )


# ---- signal reviews -----------------------------------------------------------------
def signal_reviews(store: Store, campaign_id: int) -> dict[str, SignalReview]:
    """The reviews of a campaign's signals, by signal id."""
    with store.session() as s:
        rows = s.scalars(
            select(SignalReviewRecord).where(SignalReviewRecord.campaign_id == campaign_id)
        ).all()
        return {r.signal_id: _review(r) for r in rows}


def acknowledged_signals(store: Store, campaign_id: int) -> set[str]:
    """The ids of the signals of a campaign the lead has acknowledged."""
    return {k for k, r in signal_reviews(store, campaign_id).items() if r.acknowledged}


def review_signal(
    store: Store,
    campaign_id: int,
    signal_id: str,
    *,
    acknowledged: bool | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> SignalReview:
    """Acknowledge a signal (or take that back) and/or set its note; None leaves a field as
    it is. Returns the review as stored."""
    if not signal_id or len(signal_id) > 300:
        raise StoreError("a signal review needs the signal's id (at most 300 characters)")
    if note is not None:
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise StoreError(f"the note is {len(note)} characters long; at most {MAX_NOTE}")
    store.campaign(campaign_id)  # an unknown campaign says so by name
    today = today or dt.date.today()
    with store.session() as s:
        store.mark_changed(s, campaign_id)
        row = s.scalars(
            select(SignalReviewRecord).where(
                SignalReviewRecord.campaign_id == campaign_id,
                SignalReviewRecord.signal_id == signal_id,
            )
        ).first()
        if row is None:
            row = SignalReviewRecord(
                campaign_id=campaign_id, signal_id=signal_id, acknowledged=False, note=""
            )
            s.add(row)
        if acknowledged is not None:
            row.acknowledged = bool(acknowledged)
        if note is not None:
            row.note = note
        row.updated_on = today
        s.flush()
        return _review(row)


def _review(r: SignalReviewRecord) -> SignalReview:
    return SignalReview(r.signal_id, bool(r.acknowledged), r.note or "", r.updated_on)


# ---- actions ------------------------------------------------------------------------
def add_action(
    store: Store, campaign_id: int, new: NewAction, *, today: dt.date | None = None
) -> Action:
    """Store a new action of a campaign; bad values raise :class:`StoreError` naming the field."""
    store.campaign(campaign_id)
    today = today or dt.date.today()
    values = _checked(
        title=new.title,
        owner_role=new.owner_role,
        status=new.status,
        subject=new.subject,
        due_on=new.due_on,
    )
    with store.session() as s:
        store.mark_changed(s, campaign_id)
        row = ActionRecord(
            campaign_id=campaign_id,
            signal_id=new.signal_id,
            subject_kind=new.subject_kind,
            measure=new.measure,
            measure_label=new.measure_label,
            baseline=None if new.baseline is None else float(new.baseline),
            created_on=today,
            updated_on=today,
            **values,
        )
        s.add(row)
        s.flush()
        return _action(row)


def actions(store: Store, campaign_id: int) -> list[Action]:
    """The actions of a campaign, oldest first."""
    with store.session() as s:
        rows = s.scalars(
            select(ActionRecord)
            .where(ActionRecord.campaign_id == campaign_id)
            .order_by(ActionRecord.id)
        ).all()
        return [_action(r) for r in rows]


def update_action(
    store: Store, action_id: int, *, today: dt.date | None = None, **changes: Any
) -> Action:
    """Change an action's title, owner_role, due_on or status."""
    unknown = set(changes) - {"title", "owner_role", "due_on", "status"}
    if unknown:
        raise StoreError(f"an action has no field {', '.join(sorted(unknown))} to change")
    with store.session() as s:
        row = s.get(ActionRecord, action_id)
        if row is None:
            raise StoreError(f"there is no action {action_id}")
        store.mark_changed(s, row.campaign_id)
        current = {k: getattr(row, k) for k in ("title", "owner_role", "status", "due_on")}
        values = _checked(subject=row.subject, **{**current, **changes})
        for key in changes:
            setattr(row, key, values[key])
        row.updated_on = today or dt.date.today()
        s.flush()
        return _action(row)


def delete_action(store: Store, action_id: int) -> None:
    with store.session() as s:
        cid = s.scalar(select(ActionRecord.campaign_id).where(ActionRecord.id == action_id))
        if cid is not None:
            store.mark_changed(s, cid)
        s.execute(delete(ActionRecord).where(ActionRecord.id == action_id))


def _checked(
    *, title: str, owner_role: str, status: str, subject: str, due_on: dt.date | None
) -> dict[str, Any]:
    title = (title or "").strip()
    owner_role = (owner_role or "").strip()
    if not title:
        raise StoreError("title: say what will be done")
    if len(title) > MAX_TITLE:
        raise StoreError(f"title: {len(title)} characters; at most {MAX_TITLE}")
    if len(owner_role) > MAX_ROLE:
        raise StoreError(f"owner: {len(owner_role)} characters; at most {MAX_ROLE}")
    if status not in ACTION_STATUSES:
        raise StoreError(f"status: '{status}' is not one of {', '.join(ACTION_STATUSES)}")
    if due_on is not None and not isinstance(due_on, dt.date):
        raise StoreError("due date: not a date")
    return {
        "title": title,
        "owner_role": owner_role,
        "status": status,
        "subject": subject[:300],
        "due_on": due_on,
    }


def _action(r: ActionRecord) -> Action:
    return Action(
        id=r.id,
        campaign_id=r.campaign_id,
        title=r.title,
        subject_kind=r.subject_kind,
        subject=r.subject,
        measure=r.measure,
        measure_label=r.measure_label,
        baseline=r.baseline,
        owner_role=r.owner_role,
        due_on=r.due_on,
        status=r.status,
        signal_id=r.signal_id,
        created_on=r.created_on,
        updated_on=r.updated_on,
    )
