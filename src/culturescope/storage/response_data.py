"""Reading responses: a campaign's answers, demographics and comments as DataFrames
(built by :mod:`.frames`), and its responses as stored for kiosk bundles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from culturescope.storage.campaigns import CampaignRepository
from culturescope.storage.frames import RESPONSE_COLUMNS, ResponseData, response_data, sqlite_rows
from culturescope.storage.models import CommentRecord, ResponseRecord
from culturescope.storage.values import as_date


class ResponseDataRepository(CampaignRepository):
    """A campaign's stored responses, for scoring (frames) and for bundles (as stored)."""

    def load_responses(self, campaign_ref: str | int) -> ResponseData:
        """All responses of a campaign as DataFrames (see :class:`ResponseData`)."""
        camp = self.campaign(campaign_ref)
        inst = self.instrument(camp.instrument_key)
        with self.session() as s:
            if self.is_sqlite:
                # The driver's own cursor: building 100,000 SQLAlchemy rows costs more
                # than reading them.
                driver = s.connection().connection.dbapi_connection
                assert driver is not None  # a checked-out connection always has one
                rows, comments = sqlite_rows(driver, camp.id)
            else:
                rows = [
                    tuple(row)
                    for row in s.execute(
                        text(
                            f"SELECT {RESPONSE_COLUMNS} FROM responses "
                            "WHERE campaign_id = :c ORDER BY id"
                        ),
                        {"c": camp.id},
                    )
                ]
                comments = [
                    tuple(row)
                    for row in s.execute(
                        select(
                            CommentRecord.response_id, CommentRecord.prompt_id, CommentRecord.text
                        )
                        .join(ResponseRecord, ResponseRecord.id == CommentRecord.response_id)
                        .where(ResponseRecord.campaign_id == camp.id)
                        .order_by(CommentRecord.id)
                    )
                ]
        return response_data(inst, rows, comments)

    def stored_responses(self, campaign_ref: str | int) -> list[dict[str, Any]]:
        """A campaign's responses exactly as stored, for kiosk bundles: per response the
        answer string, demographics, comments, source, source_ref, submitted_on and
        fingerprint (never a database id)."""
        camp = self.campaign(campaign_ref)
        with self.session() as s:
            rows = s.execute(
                select(
                    ResponseRecord.id,
                    ResponseRecord.answers,
                    ResponseRecord.demographics,
                    ResponseRecord.source,
                    ResponseRecord.source_ref,
                    ResponseRecord.submitted_on,
                    ResponseRecord.fingerprint,
                )
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(ResponseRecord.id)
            ).all()
            comments: dict[int, dict[str, str]] = {}
            for rid, pid, body in s.execute(
                select(CommentRecord.response_id, CommentRecord.prompt_id, CommentRecord.text)
                .join(ResponseRecord, ResponseRecord.id == CommentRecord.response_id)
                .where(ResponseRecord.campaign_id == camp.id)
                .order_by(CommentRecord.id)
            ):
                comments.setdefault(rid, {})[pid] = body
        return [
            {
                "answers": r.answers,
                "demographics": dict(r.demographics or {}),
                "comments": comments.get(r.id, {}),
                "source": r.source,
                "source_ref": r.source_ref,
                "submitted_on": as_date(r.submitted_on),
                "fingerprint": r.fingerprint,
            }
            for r in rows
        ]
