"""Adding responses: one batch per import, kiosk session, paper form or merged bundle.

Each batch is stored in one write transaction that includes the duplicate check, so two
imports at once queue instead of doubling rows; comments are cleaned of identities before
they are written (:mod:`.scrub`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Required, TypedDict, Unpack

from sqlalchemy import insert, select, true
from sqlalchemy.orm import Session

from culturescope import Cancelled
from culturescope.storage.batches import Batch, BatchRepository, _batch
from culturescope.storage.errors import StoreError
from culturescope.storage.meta import MetaRepository
from culturescope.storage.models import (
    CommentRecord,
    ImportBatch,
    Organisation,
    PolicyRecord,
    PolicyVersionRecord,
    ResponseRecord,
)
from culturescope.storage.records import Campaign
from culturescope.storage.scrub import clean_label, name_pattern, neutral_label, scrub
from culturescope.storage.values import dumps

Progress = Callable[[float, str], None]
DATED_TODAY = ("kiosk", "paper")


@dataclass
class NewResponse:
    """A response about to be stored. ``answers`` maps item id to the raw code as given
    (un-reversed; the scale's N/A code for "not applicable"); blank items are left out."""

    answers: dict[str, int]
    demographics: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    source_ref: str | None = None
    submitted_on: dt.date | None = None
    fingerprint: str | None = None  # set by the caller for idempotent imports; None: new


@dataclass
class ResponseTable:
    """Many responses at once, column-wise, for fast imports.

    ``answers`` holds answer strings (see :func:`culturescope.storage.codes.encode_matrix`);
    ``comments`` maps a row number to that row's ``{prompt_id: text}``.
    """

    answers: list[str]
    demographics: list[dict[str, str]]
    #: Keyed hash of each row's identity in its source; None for a row with no identity
    #: (it is always added: two rows with the same answers are two people).
    fingerprints: list[str | None]
    source_refs: list[str | None]
    submitted_on: list[dt.date | None]
    comments: dict[int, dict[str, str]] = field(default_factory=dict)
    # Each response's own source (e.g. "kiosk" in a merged bundle) when it differs from
    # the batch's; None: every response has the batch's source.
    sources: list[str] | None = None


class BatchOptions(TypedDict, total=False):
    """The keyword options of :meth:`ResponseRepository.add_response_table`, which
    :meth:`~ResponseRepository.add_responses` passes on unchanged."""

    source: Required[str]
    label: str | None
    file_name: str | None
    file_sha256: str | None
    sheet: str | None
    rows_read: int | None
    notices: Iterable[str]
    progress: Progress | None
    is_cancelled: Callable[[], bool] | None


class ResponseRepository(BatchRepository, MetaRepository):
    """Responses added in batches, all or nothing, each duplicate stored once."""

    def existing_fingerprints(self, campaign_id: int) -> set[str]:
        with self.session() as s:
            return set(
                s.scalars(
                    select(ResponseRecord.fingerprint).where(
                        ResponseRecord.campaign_id == campaign_id
                    )
                )
            )

    def stored_content(
        self, campaign_id: int, fingerprints: Iterable[str]
    ) -> dict[str, tuple[str, dict[str, str]]]:
        """``fingerprint -> (answer string, demographics)`` of the campaign's responses
        with one of ``fingerprints`` (used to recognise rows stored by earlier versions,
        whose fingerprint came from their response number alone)."""
        wanted = sorted(set(fingerprints))
        out: dict[str, tuple[str, dict[str, str]]] = {}
        with self.session() as s:
            for start in range(0, len(wanted), 500):
                rows = s.execute(
                    select(
                        ResponseRecord.fingerprint,
                        ResponseRecord.answers,
                        ResponseRecord.demographics,
                    ).where(
                        ResponseRecord.campaign_id == campaign_id,
                        ResponseRecord.fingerprint.in_(wanted[start : start + 500]),
                    )
                )
                for fp, answers, demographics in rows:
                    out[fp] = (answers, dict(demographics or {}))
        return out

    @staticmethod
    def _stored_fingerprints(s: Session, campaign_id: int, fingerprints: Sequence[str]) -> set[str]:
        """Which of ``fingerprints`` the campaign holds already. A few (one kiosk or paper
        form) are looked up by index, so saving one response stays fast in a big campaign."""
        query = select(ResponseRecord.fingerprint).where(ResponseRecord.campaign_id == campaign_id)
        if len(fingerprints) <= 500:
            query = query.where(ResponseRecord.fingerprint.in_(sorted(set(fingerprints))))
        return set(s.scalars(query))

    def response_count(self, campaign_ref: str | int) -> int:
        return self.campaign(campaign_ref).response_count

    def add_responses(
        self,
        campaign_id: int,
        responses: Sequence[NewResponse],
        **batch: Unpack[BatchOptions],
    ) -> Batch:
        """Store ``responses`` as one batch in one transaction: all or nothing.

        ``batch`` takes the keyword options of :meth:`add_response_table` (``source`` is
        required), which also gives the rules (duplicates, comments, labels).
        """
        from culturescope.storage import codes

        camp = self.campaign(campaign_id)  # raises if unknown
        item_ids = [i.id for i in self.instrument(camp.instrument_key).items]
        unknown = {k for r in responses for k in r.answers} - set(item_ids)
        if unknown:
            raise StoreError(f"answers to unknown items: {', '.join(sorted(unknown))}")
        table = ResponseTable(
            answers=[codes.encode([r.answers.get(i) for i in item_ids]) for r in responses],
            demographics=[r.demographics for r in responses],
            fingerprints=[r.fingerprint for r in responses],
            source_refs=[r.source_ref for r in responses],
            submitted_on=[r.submitted_on for r in responses],
            comments={n: r.comments for n, r in enumerate(responses) if r.comments},
        )
        return self.add_response_table(camp.id, table, **batch)

    def add_response_table(
        self,
        campaign_id: int,
        table: ResponseTable,
        *,
        source: str,
        label: str | None = None,
        file_name: str | None = None,
        file_sha256: str | None = None,
        sheet: str | None = None,
        rows_read: int | None = None,
        notices: Iterable[str] = (),
        progress: Progress | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> Batch:
        """Store many responses as one batch, in one write transaction that includes the
        duplicate check: all or nothing.

        A duplicate is the same response from the same source, nothing else:

        - the same file again (``file_sha256`` equal to an earlier batch's of the campaign):
          nothing is added;
        - a row whose fingerprint (its identity in its source) is already stored, or
          repeats an earlier row of ``table``: skipped, counted in ``already_stored``.

        Rows without a fingerprint are always added: two rows with the same answers are two
        people (``same_answers_as_stored`` counts those equal to a stored response).
        When nothing is new, no batch is recorded and the result's ``id`` is None.

        Comments are cleaned of identities first (:mod:`culturescope.storage.scrub`);
        the raw text is never stored. ``label`` is the user's name for the import (e-mail
        addresses and long digit runs are taken out); without one, a neutral label is
        made. Only the extension of ``file_name`` is kept, for that label.

        Raises ``Cancelled`` (nothing stored) when ``is_cancelled`` returns True.
        """
        today = dt.date.today()
        total = len(table.fingerprints)
        read = total if rows_read is None else rows_read
        notices = list(notices)
        camp = self.campaign(campaign_id)
        names = self._private_name_pattern(camp)
        if label is not None:
            label = clean_label(label)[:200] or None
        extension = PurePath(file_name).suffix if file_name and source == "file" else ""

        def nothing(already: int, prior: int | None) -> Batch:
            return Batch(
                id=None,
                campaign_id=campaign_id,
                source=source,
                label=label or "",
                sheet=sheet,
                imported_on=today,
                rows_read=read,
                rows_added=0,
                rows_skipped=read,
                notices=notices,
                file_sha256=file_sha256,
                already_stored=already,
                already_imported_as=prior,
            )

        key_matches = self.fingerprint_key_matches() if any(table.fingerprints) else True
        with self.write_session(campaign_id) as s:
            if file_sha256:
                prior = self._batch_with_file(s, campaign_id, file_sha256)
                if prior is not None:
                    return nothing(total, prior)
            given = [fp for fp in table.fingerprints if fp]
            seen = self._stored_fingerprints(s, campaign_id, given) if given else set()
            keep: list[int] = []
            fingerprints: list[str] = []
            for n, fp in enumerate(table.fingerprints):
                if fp is None:
                    keep.append(n)
                    fingerprints.append(self._random_fingerprint())
                elif fp not in seen:
                    seen.add(fp)
                    keep.append(n)
                    fingerprints.append(fp)
            if not keep:
                return nothing(total, None)
            same = self._same_answers_as_stored(
                s, campaign_id, [n for n in keep if table.fingerprints[n] is None], table
            )
            comments, removed = _clean_comments(table.comments, keep, names)
            notices += _store_notices(key_matches=key_matches, same=same, removed=removed)
            batch = ImportBatch(
                campaign_id=campaign_id,
                source=source,
                label=label or "",
                file_name=None,
                file_sha256=file_sha256,
                sheet=sheet,
                imported_on=today,
                rows_read=read,
                rows_added=len(keep),
                rows_skipped=read - len(keep),
                notices=notices,
            )
            s.add(batch)
            s.flush()
            self.mark_changed(s, campaign_id)
            if not label:
                batch.label = (
                    "demo data"
                    if source == "demo"
                    else neutral_label(batch.id, len(keep), source, extension)
                )
            self._insert_rows(s, batch, table, keep, fingerprints, progress, is_cancelled)
            if comments:
                ids = dict(
                    s.execute(
                        select(ResponseRecord.fingerprint, ResponseRecord.id).where(
                            ResponseRecord.batch_id == batch.id
                        )
                    ).all()
                )
                s.execute(
                    insert(CommentRecord),
                    [
                        {"response_id": ids[fingerprints[k]], "prompt_id": pid, "text": body}
                        for k, cs in comments.items()
                        for pid, body in cs.items()
                    ],
                )
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("cancelled: nothing was stored")
            s.flush()
            result = replace(
                _batch(batch),
                already_stored=total - len(keep),
                identities_removed=removed,
                same_answers_as_stored=same,
            )
        return result

    def _insert_rows(
        self,
        s: Session,
        batch: ImportBatch,
        table: ResponseTable,
        keep: list[int],
        fingerprints: list[str],
        progress: Progress | None,
        is_cancelled: Callable[[], bool] | None,
    ) -> None:
        """Insert the kept rows of ``table`` into ``batch`` (same session)."""
        batch_id, campaign_id, source, today = (
            batch.id,
            batch.campaign_id,
            batch.source,
            batch.imported_on,
        )
        # Plain DB-API executemany: the ORM, or Core with JSON types, take 10+ seconds for
        # 100,000 responses (docs/design/performance.md).
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        demographics_mark = (
            f"CAST({mark} AS JSON)" if self.engine.dialect.name == "postgresql" else mark
        )
        sql = (
            "INSERT INTO responses (campaign_id, batch_id, source, source_ref, submitted_on, "
            f"fingerprint, demographics, answers) VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, "
            f"{mark}, {demographics_mark}, {mark})"
        )
        chunk = 10000
        conn = s.connection()
        demographics_json: dict[tuple[tuple[str, str], ...], str] = {}
        for start in range(0, len(keep), chunk):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("cancelled: nothing was stored")
            rows = []
            for k in range(start, min(start + chunk, len(keep))):
                n = keep[k]
                d = table.demographics[n]
                key = tuple(sorted(d.items()))
                demographics_text = demographics_json.get(key)
                if demographics_text is None:
                    demographics_text = demographics_json[key] = dumps(dict(key))
                rows.append(
                    (
                        campaign_id,
                        batch_id,
                        source if table.sources is None else table.sources[n],
                        table.source_refs[n],
                        # Unknown dates stay unknown for files and bundles (never the
                        # import date); a kiosk or paper form is dated the day it is saved.
                        table.submitted_on[n] or (today if source in DATED_TODAY else None),
                        fingerprints[k],
                        demographics_text,
                        table.answers[n],
                    )
                )
            conn.exec_driver_sql(sql, rows)
            if progress is not None:
                progress(min(1.0, (start + chunk) / max(1, len(keep))), "storing responses")

    def _random_fingerprint(self) -> str:
        # A row with no identity in its source: unique, and says nothing about the row.
        return secrets.token_hex(32)

    @staticmethod
    def _same_answers_as_stored(
        s: Session, campaign_id: int, rows: list[int], table: ResponseTable
    ) -> int:
        if not rows:
            return 0
        wanted = {table.answers[n] for n in rows}
        stored = {
            (a, dumps(dict(sorted((d or {}).items()))))
            for a, d in s.execute(
                select(ResponseRecord.answers, ResponseRecord.demographics).where(
                    ResponseRecord.campaign_id == campaign_id,
                    ResponseRecord.answers.in_(sorted(wanted)) if len(wanted) <= 500 else true(),
                )
            )
        }
        # Only rows whose answers are stored can match: the demographics of the others are
        # never encoded (on a new campaign, none are; 100,000 encodings cost a second).
        stored_answers = {a for a, _ in stored}
        return sum(
            (table.answers[n], dumps(dict(sorted(table.demographics[n].items())))) in stored
            for n in rows
            if table.answers[n] in stored_answers
        )

    def _private_name_pattern(self, camp: Campaign) -> re.Pattern[str] | None:
        """Names removed from this campaign's comments: its organisation's policy owners and
        the names the user added to the campaign."""
        with self.session() as s:
            owners = set(
                s.scalars(
                    select(PolicyVersionRecord.owner)
                    .join(PolicyRecord, PolicyRecord.id == PolicyVersionRecord.policy_id)
                    .join(Organisation, Organisation.id == PolicyRecord.organisation_id)
                    .where(Organisation.name == camp.organisation)
                )
            )
        return name_pattern([o for o in owners if o] + list(camp.private_names))


def _store_notices(*, key_matches: bool, same: int, removed: int) -> list[str]:
    """What the store tells about a batch besides the caller's notices."""
    out = []
    if not key_matches:
        out.append(
            "this computer does not hold the key this database's fingerprints were "
            "made with: responses stored elsewhere could not be recognised by their "
            "response id (see the importing guide: 'culturescope docs importing')"
        )
    if same:
        out.append(
            f"{same} row{'s have' if same > 1 else ' has'} the same answers as a "
            "response already stored; kept, as different people (a row is a duplicate "
            "only with the same response id, time, form number or file)"
        )
    if removed:
        out.append(
            f"removed {removed} e-mail addresses, phone numbers, web addresses or names "
            "from comments (replaced by [removed])"
            if removed > 1
            else "removed 1 e-mail address, phone number, web address or name from "
            "the comments (replaced by [removed])"
        )
    return out


def _clean_comments(
    comments: dict[int, dict[str, str]], keep: list[int], names: re.Pattern[str] | None
) -> tuple[dict[int, dict[str, str]], int]:
    """The kept rows' non-blank comments (keyed by position in ``keep``), cleaned of
    identities, and how many identities were removed."""
    out: dict[int, dict[str, str]] = {}
    removed = 0
    for k, n in enumerate(keep):
        cs = comments.get(n)
        if not cs:
            continue
        for pid, body in cs.items():
            body = str(body).strip()
            if not body:
                continue
            cleaned, count = scrub(body, names)
            removed += count
            out.setdefault(k, {})[pid] = cleaned
    return out, removed
