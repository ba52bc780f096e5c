"""Import a file into a campaign: read, plan, and store all rows in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from culturescope import Cancelled
from culturescope.importing.ownnames import file_names
from culturescope.importing.plan import ImportPlan, plan_import
from culturescope.importing.problems import ImportFailed
from culturescope.importing.reading import read_table
from culturescope.importing.rejected import rejected_path, skip_invalid_rows
from culturescope.storage import Batch, ResponseTable, Store

Progress = Callable[[float, str], None]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``rows_added`` counts responses stored (for a dry run: that would be stored);
    ``rows_skipped`` the data rows not stored: empty, duplicates within the file, or
    already in the campaign. ``batch`` is None for a dry run, and when nothing was new
    (then no batch is recorded); ``already_imported_as`` is the import that holds this
    very file, when that is why nothing was added.
    """

    plan: ImportPlan
    batch: Batch | None
    rows_read: int
    rows_added: int
    rows_skipped: int
    already_stored: int
    dry_run: bool = False
    already_imported_as: int | None = None
    identities_removed: int = 0
    same_answers_as_stored: int = 0
    #: With ``skip_invalid``: rows left out for unusable cells, and the file they were
    #: written to (None in a dry run, or when no row was rejected).
    rows_rejected: int = 0
    rejected_file: Path | None = None
    #: Rows kept although their response number is stored with other answers (see
    #: :mod:`.rowkeys`): another survey's numbering, or answers changed since.
    numbers_reused: int = 0

    def skipped_parts(self) -> list[str]:
        """Why rows were (or would be) left out, one part per reason with its count; the
        counts add up to :attr:`rows_skipped`."""
        plan = self.plan
        counts = [
            (self.rows_rejected, "rejected (unusable answers)"),
            (plan.rows_review_rejected, "rejected in ODK Central"),
            (self.already_stored, "already stored"),
            (plan.rows_empty, "without answers"),
            (plan.rows_repeated, "repeated in the file"),
        ]
        return [f"{n:,} {what}" for n, what in counts if n]

    def counts_text(self) -> str:
        """``30 rows read; 5 skipped: 3 already stored, 2 without answers`` (or ``none skipped``)."""
        parts = self.skipped_parts()
        skipped = f"{self.rows_skipped:,} skipped: {', '.join(parts)}" if parts else "none skipped"
        return f"{self.rows_read:,} rows read; {skipped}"

    @property
    def store_notes(self) -> list[str]:
        """What the store noted beyond the plan: the same file again, identities removed
        from comments, rows with the same answers as stored ones (kept)."""
        notes = []
        if self.already_imported_as is not None:
            notes.append(
                f"this file was imported already (import {self.already_imported_as}): "
                "nothing added, no import recorded"
            )
        if self.identities_removed:
            n = self.identities_removed
            notes.append(
                f"{n} e-mail addresses, phone numbers, web addresses or "
                "names removed from comments (replaced by [removed])"
                if n > 1
                else "1 e-mail address, phone number, web address or name removed from "
                "comments (replaced by [removed])"
            )
        if self.numbers_reused:
            notes.append(_reused_note(self.numbers_reused))
        if self.same_answers_as_stored:
            notes.append(
                f"{self.same_answers_as_stored} row(s) have the same answers as a response "
                "already stored: kept, as different people"
            )
        return notes


def _slice(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A sub-step's share of the progress bar (like Orange's ``wrap_callback``)."""
    if progress is None:
        return None
    return lambda f, msg: progress(start + (end - start) * max(0.0, min(1.0, f)), msg)


def import_file(
    store: Store,
    campaign_ref: str | int,
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | str | Path | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    label: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    date_order: str | None = None,
    include_rejected: bool = False,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import the responses in ``path`` into a campaign, all or nothing.

    ``label`` names the import in lists (e-mail addresses and long digit runs are taken
    out); without it the import gets a neutral label such as "import 3, 120 rows, xlsx" —
    the file's own name is never stored.

    With ``skip_invalid``, rows with unusable cells are left out instead and written,
    unchanged and with their reasons, to ``<name>.rejected.xlsx`` next to ``path`` (not in
    a dry run); errors about the whole file or a column still refuse it.

    ``date_order`` (``day-first`` / ``month-first``) says how to read dates such as
    03/02/2026 when no value of their column decides it (see :mod:`.dates`).

    Submissions rejected in ODK Central's review are left out unless
    ``include_rejected`` (see :mod:`.review`).

    A dry run stores nothing and returns the report even when the plan has errors
    (``report.plan.ok`` is then False), so that every problem can be shown.

    Raises
    ------
    ImportFailed
        When the file cannot be read, or (not a dry run) any error is found: nothing is
        stored. ``problems`` lists every error and warning; ``plan`` is the plan when the
        file could be read.
    Cancelled
        When ``is_cancelled`` returns True (nothing stored).
    """
    campaign = store.campaign(campaign_ref)
    instrument = store.instrument(campaign.instrument_key)
    raw = read_table(
        path, sheet=sheet, progress=_slice(progress, 0.0, 0.55), is_cancelled=is_cancelled
    )
    n_rejected, rejected_file = 0, None
    try:
        _check(is_cancelled)
        if progress is not None:
            progress(0.55, "checking answers")
        plan = plan_import(
            raw,
            instrument,
            mapping=mapping,
            values=values,
            date_order=date_order,
            include_rejected=include_rejected,
        )
        if skip_invalid and not plan.ok:
            names = file_names(raw.data, plan.columns)  # those of the rows left out too
            plan, n_rejected, rejected_file = skip_invalid_rows(
                raw,
                plan,
                lambda kept: plan_import(
                    kept,
                    instrument,
                    mapping=mapping,
                    values=values,
                    date_order=date_order,
                    names=names,
                    include_rejected=include_rejected,
                ),
                # A file imported before keeps its first rejected file: nothing is imported.
                rejected_to=None
                if dry_run or store.batch_with_file(campaign.id, raw.source.sha256) is not None
                else rejected_path(path),
            )
    finally:
        raw.release()  # not needed any more; freed in steps (see RawTable.release)
    try:
        if not plan.ok and not dry_run:
            failed = ImportFailed(plan.problems)
            failed.plan = plan
            raise failed
        _check(is_cancelled)
    except BaseException:
        if rejected_file is not None:
            rejected_file.unlink(missing_ok=True)  # nothing stored: no half-done result
        raise
    if progress is not None:
        progress(0.7, "detecting duplicates")
    fingerprints, reused = row_fingerprints(store, campaign.id, plan)
    if dry_run:
        report = _dry_run_report(
            store, campaign.id, plan, _file_key(raw.source.sha256, plan), fingerprints, n_rejected
        )
        report.numbers_reused = reused if report.already_imported_as is None else 0
        return _done(report, progress, "dry run: nothing stored")
    table = ResponseTable(
        answers=plan.answer_strings,
        demographics=plan.demographics,
        fingerprints=fingerprints,
        source_refs=[f"row {r}" for r in plan.row_numbers.tolist()],
        submitted_on=plan.submitted_on,
        comments=plan.comments,
    )
    notices = [*plan.notices, *([_reused_note(reused)] if reused else [])]
    warnings = len(plan.warnings)
    if warnings:
        notices.append(f"{warnings} warning{'s' if warnings > 1 else ''} at import")
    if progress is not None:
        progress(0.75, "storing responses")
    try:
        batch = store.add_response_table(
            campaign.id,
            table,
            source="file",
            label=label,
            # Only its extension is kept, for the label.
            file_name=raw.source.member or raw.source.name,
            file_sha256=_file_key(raw.source.sha256, plan),
            sheet=raw.source.sheet,
            rows_read=plan.rows_read,
            notices=notices,
            progress=_slice(progress, 0.75, 1.0),
            is_cancelled=is_cancelled,
        )
    except BaseException:
        if rejected_file is not None:
            rejected_file.unlink(missing_ok=True)  # nothing stored: no half-done result
        raise
    return ImportReport(
        plan,
        batch if batch.id is not None else None,
        plan.rows_read,
        batch.rows_added,
        plan.rows_read - batch.rows_added,
        batch.already_stored,
        already_imported_as=batch.already_imported_as,
        identities_removed=batch.identities_removed,
        same_answers_as_stored=batch.same_answers_as_stored,
        rows_rejected=n_rejected,
        rejected_file=rejected_file,
        numbers_reused=reused if batch.id is not None else 0,
    )


def row_fingerprints(
    store: Store, campaign_id: int, plan: ImportPlan
) -> tuple[list[str | None], int]:
    """Each row's fingerprint (None: no identity), and how many rows carry a response
    number already stored with other answers.

    A row identified by a counter and its content (see :mod:`.rowkeys`) gets the first
    half of its weak key's fingerprint and the first half of its full key's: 128 bits
    each. A row stored by an earlier version has the weak key's whole fingerprint; when
    its stored answers and demographics equal the row's, the row takes that fingerprint,
    so that the store counts it as already stored.
    """
    fps = _fingerprints(store, campaign_id, plan)
    if not any(w is not None for w in plan.weak_keys):
        return fps, 0
    existing = store.existing_fingerprints(campaign_id)
    prefixes = {fp[: len(fp) // 2] for fp in existing}
    legacy: dict[int, str] = {}
    reused = 0
    for n, weak in enumerate(plan.weak_keys):
        fp = fps[n]
        if weak is None or fp is None or fp in existing:
            continue
        old = store.fingerprint(campaign_id, weak)
        if old in existing:
            legacy[n] = old
        elif fp[: len(fp) // 2] in prefixes:
            reused += 1
    if legacy:
        stored = store.stored_content(campaign_id, legacy.values())
        taken: set[str] = set()
        for n, old in legacy.items():
            if old not in taken and stored.get(old) == (
                plan.answer_strings[n],
                plan.demographics[n],
            ):
                fps[n] = old  # the store counts it as already stored
                taken.add(old)
            else:
                reused += 1
    return fps, reused


def _fingerprints(store: Store, campaign_id: int, plan: ImportPlan) -> list[str | None]:
    weak_keys = plan.weak_keys or [None] * len(plan.source_keys)
    fps: list[str | None] = []
    for key, weak in zip(plan.source_keys, weak_keys):
        if key is None:
            fps.append(None)
        elif weak is None:
            fps.append(store.fingerprint(campaign_id, key))
        else:
            full = store.fingerprint(campaign_id, key)
            half = len(full) // 2
            fps.append(store.fingerprint(campaign_id, weak)[:half] + full[:half])
    return fps


def _reused_note(reused: int) -> str:
    return (
        f"{reused} row{'s carry' if reused > 1 else ' carries'} a response number already "
        "stored for another response (other answers, time or seed): kept, as different "
        "people (another survey or a copy of "
        "the form numbers its responses from 1 too). If the answers were changed in the "
        "survey tool since the earlier import, delete that import (culturescope imports "
        "delete ID) and import again"
    )


def _dry_run_report(
    store: Store,
    campaign_id: int,
    plan: ImportPlan,
    sha256: str,
    fingerprints: list[str | None],
    n_rejected: int,
) -> ImportReport:
    """What an import would do: rows that would be added and already stored ones."""
    if not plan.ok:
        return ImportReport(plan, None, plan.rows_read, 0, plan.rows_read, 0, dry_run=True)
    prior = store.batch_with_file(campaign_id, sha256)
    if prior is not None:
        already = plan.rows
    else:
        existing = store.existing_fingerprints(campaign_id)
        already = sum(fp is not None and fp in existing for fp in fingerprints)
    return ImportReport(
        plan,
        None,
        plan.rows_read,
        plan.rows - already,
        plan.rows_read - plan.rows + already,
        already,
        dry_run=True,
        already_imported_as=prior,
        rows_rejected=n_rejected,
    )


def _done(report: ImportReport, progress: Progress | None, message: str) -> ImportReport:
    if progress is not None:
        progress(1.0, message)
    return report


def _check(is_cancelled: Callable[[], bool] | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled("cancelled: nothing was imported")


def _file_key(sha256: str, plan: ImportPlan) -> str:
    """What says "this file was imported already": its contents and the rows it lets in.

    The same ODK Central file imported with ``include_rejected`` after a first import
    without it is another choice of its rows: the submissions rejected in Central are
    new, so the whole-file shortcut must not answer "nothing added" (each row's own
    identifier still keeps the others from being stored twice).
    """
    if plan.rows_review_included:
        return hashlib.sha256(f"{sha256}:with-rejected".encode()).hexdigest()
    return sha256

