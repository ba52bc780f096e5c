"""Import batches: what one import, kiosk session, paper form or merged bundle added."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from culturescope.storage.campaigns import CampaignRepository, delete_responses_where
from culturescope.storage.errors import StoreError
from culturescope.storage.models import ImportBatch, ResponseRecord


@dataclass(frozen=True)
class Batch:
    """One import (file, kiosk session, paper form, bundle): what it added and skipped.

    ``id`` is None when nothing was new, so that no batch was recorded (the same file
    imported again, a bundle merged twice). ``label`` is a neutral name ("import 3, 120
    rows, xlsx") or the one the user gave; never the file's own name.
    """

    id: int | None
    campaign_id: int
    source: str
    label: str
    sheet: str | None
    imported_on: dt.date
    rows_read: int
    rows_added: int
    rows_skipped: int
    notices: list[str]
    file_sha256: str | None = None
    #: Rows skipped because a response with the same row identity is stored already.
    already_stored: int = 0
    #: The batch holding this very file (same bytes), when that is why nothing was added.
    already_imported_as: int | None = None
    #: E-mail addresses, phone numbers... replaced by "[removed]" in the comments.
    identities_removed: int = 0
    #: Rows added that have the same answers as a stored response (kept: two people).
    same_answers_as_stored: int = 0


class BatchRepository(CampaignRepository):
    """A campaign's batches, and deleting responses by batch or by id."""

    def batch_with_file(self, campaign_id: int, file_sha256: str) -> int | None:
        """The id of the campaign's batch that imported a file with these bytes, or None."""
        with self.session() as s:
            return self._batch_with_file(s, campaign_id, file_sha256)

    @staticmethod
    def _batch_with_file(s: Session, campaign_id: int, file_sha256: str) -> int | None:
        return s.scalar(
            select(ImportBatch.id)
            .where(ImportBatch.campaign_id == campaign_id, ImportBatch.file_sha256 == file_sha256)
            .order_by(ImportBatch.id)
            .limit(1)
        )

    def batches(self, campaign_ref: str | int) -> list[Batch]:
        cid = self.campaign(campaign_ref).id
        with self.session() as s:
            rows = s.scalars(
                select(ImportBatch).where(ImportBatch.campaign_id == cid).order_by(ImportBatch.id)
            )
            return [_batch(b) for b in rows]

    def batch(self, batch_id: int) -> Batch | None:
        """One import batch by id, or None."""
        with self.session() as s:
            b = s.get(ImportBatch, batch_id)
            return None if b is None else _batch(b)

    def delete_responses(self, response_ids: Iterable[int]) -> int:
        ids = [int(i) for i in response_ids]  # numpy integers match no row in SQLite
        with self.session() as s:
            for cid in s.scalars(
                select(ResponseRecord.campaign_id).where(ResponseRecord.id.in_(ids)).distinct()
            ):
                self.mark_changed(s, cid)
            return delete_responses_where(s, ResponseRecord.id.in_(ids))

    def delete_batch(self, batch_id: int) -> int:
        """Delete an import batch and all its responses; returns how many responses went."""
        with self.session() as s:
            batch = s.get(ImportBatch, batch_id)
            if batch is None:
                raise StoreError(f"no import batch {batch_id}")
            self.mark_changed(s, batch.campaign_id)
            n = delete_responses_where(s, ResponseRecord.batch_id == batch_id)
            s.execute(delete(ImportBatch).where(ImportBatch.id == batch_id))
            return n


def _batch(b: ImportBatch) -> Batch:
    return Batch(
        id=b.id,
        campaign_id=b.campaign_id,
        source=b.source,
        label=b.label or b.source,
        sheet=b.sheet,
        imported_on=b.imported_on,
        rows_read=b.rows_read,
        rows_added=b.rows_added,
        rows_skipped=b.rows_skipped,
        notices=list(b.notices or []),
        file_sha256=b.file_sha256,
    )
