"""SQLAlchemy models. Raw answers are stored un-reversed, with their provenance.

No respondent identity is ever stored: no names, e-mails, respondent or device ids, and
dates to the day only.

Answers are kept as one short string per response, one character per instrument item in
the instrument's order (see :mod:`culturescope.storage.codes`): 100,000 responses store
and load in well under a second that way, while one row per answer takes 6+ seconds to
store (docs/design/performance.md) and a JSON object per response takes 2+ seconds to decode. The
``answers_long`` view gives the usual long form (response, item, raw answer) for SQL users.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class DataVersion(Base):
    """A random token per scope (``all``, or ``campaign:<id>``), made anew by every committed
    write that changes that scope's data (migration 0006): another process tells from it
    whether a result it saved is still current (see :mod:`culturescope.result_cache`)."""

    __tablename__ = "data_versions"
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class Meta(Base):
    """Key/value facts about this database: its random id, and a check value that tells
    whether this computer's fingerprint key is the one its fingerprints were made with
    (the key itself is kept outside the database, see :mod:`culturescope.storage.keys`)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class InstrumentRecord(Base):
    """An instrument version as used by campaigns: the YAML is kept so results stay traceable."""

    __tablename__ = "instruments"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # id@version
    instrument_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    source_yaml: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


class InstrumentItem(Base):
    """Position of each item in the answer string of responses to an instrument version."""

    __tablename__ = "instrument_items"
    instrument_key: Mapped[str] = mapped_column(
        ForeignKey("instruments.key", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based
    item_id: Mapped[str] = mapped_column(String(120))


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class CampaignRecord(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    instrument_key: Mapped[str] = mapped_column(ForeignKey("instruments.key"))
    min_group_size: Mapped[int] = mapped_column(Integer, default=5)
    min_comment_group_size: Mapped[int] = mapped_column(Integer, default=10)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    created_on: Mapped[dt.date] = mapped_column(Date)
    previous_campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    # Expected respondents per segment, e.g. {"team": {"Red": 40}}: for response rates.
    headcounts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Names removed from comments at import (besides the policy owners), migration 0004.
    private_names: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    # The same campaign on every database that holds it (kiosk laptops and the lead's
    # machine), and the key that signs its response bundles (migration 0003).
    uid: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, default=lambda: uuid.uuid4().hex, server_default=""
    )
    bundle_key: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_hex(32), server_default=""
    )

    organisation: Mapped[Organisation] = relationship()


class ImportBatch(Base):
    """One act of adding responses: a file import, a kiosk session, paper entry, a bundle."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))  # file | kiosk | paper | bundle | demo
    # Never the user's file name (it may name a person): a neutral label such as
    # "import 3, 120 rows, xlsx", or the name the user gave the import (migration 0004).
    label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    file_name: Mapped[str | None] = mapped_column(String(500))  # unused since 0004
    # SHA-256 of the file's bytes: importing the same file again adds nothing.
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    sheet: Mapped[str | None] = mapped_column(String(200))
    imported_on: Mapped[dt.date] = mapped_column(Date)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_skipped: Mapped[int] = mapped_column(Integer, default=0)
    notices: Mapped[list[Any]] = mapped_column(default=list)


class ResponseRecord(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("campaign_id", "fingerprint"),
        Index("ix_responses_campaign_batch", "campaign_id", "batch_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE")
    )
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(String(200))  # "row 12", "form 0042"
    submitted_on: Mapped[dt.date | None] = mapped_column(
        Date
    )  # to the day only (docs/design/storage.md)
    # Keyed hash of what identifies the row in its source (response id, submission time and
    # answers, form number, kiosk id), for idempotent re-imports; random for rows with no
    # identity. The key is outside the database (storage/keys.py).
    fingerprint: Mapped[str] = mapped_column(String(64))
    demographics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # One character per instrument item: raw code in base 36 ("0"-"9", "a"-"z"), "." blank.
    answers: Mapped[str] = mapped_column(Text)


class CommentRecord(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)


class PolicyRecord(Base):
    """A policy in an organisation's register (docs/design/policies.md); its content lives in versions.

    Campaigns reach the register through their organisation.
    """

    __tablename__ = "policies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_on: Mapped[dt.date] = mapped_column(Date)


class PolicyVersionRecord(Base):
    """One version of a policy. Versions are never edited or deleted, so softened or removed
    commitments stay visible; removing a policy adds a version with ``removed`` set."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("policy_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ...
    title: Mapped[str] = mapped_column(String(300))
    statement: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # drafted|approved|implemented|audited
    evidence: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    practice_areas: Mapped[list[Any]] = mapped_column(default=list)  # practice area ids
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")  # "app", "file x.xlsx row 3"


class SignalReviewRecord(Base):
    """What the lead did with a signal of a campaign: acknowledged it, wrote a note
    (migration 0005). Keyed by the signal's stable id, so it survives detecting again."""

    __tablename__ = "signal_reviews"
    __table_args__ = (UniqueConstraint("campaign_id", "signal_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    signal_id: Mapped[str] = mapped_column(String(300))
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_on: Mapped[dt.date] = mapped_column(Date)


class ActionRecord(Base):
    """An action planned on a campaign's results (migration 0005).

    It keeps what the next campaign needs to judge it: the subject and measure it targets
    and that measure's figure when the action was made (the baseline).
    """

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    signal_id: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    subject_kind: Mapped[str] = mapped_column(String(40))  # area | team | pillar | ...
    subject: Mapped[str] = mapped_column(String(300))  # its title, e.g. "Independent audit"
    measure: Mapped[str] = mapped_column(String(200), default="")  # evidence key, "" if none
    measure_label: Mapped[str] = mapped_column(String(300), default="")
    baseline: Mapped[float | None] = mapped_column(Float)
    owner_role: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    created_on: Mapped[dt.date] = mapped_column(Date)
    updated_on: Mapped[dt.date] = mapped_column(Date)
