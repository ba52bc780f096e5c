"""``culturescope import FILE --campaign NAME``: import responses from a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from culturescope.cli.campaign_option import add_campaign_option, find_campaign

if TYPE_CHECKING:  # the importer pulls in pandas: only `import` itself pays for it
    from culturescope.cli.context import Context
    from culturescope.importing import ImportPlan, ImportReport

MAX_ERRORS_SHOWN = 200
MAX_WARNINGS_SHOWN = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="import responses from xlsx, xlsm, ods or csv (Microsoft/Google Forms exports too)",
        description=(
            "Import responses into a campaign. Columns are matched to the instrument's items "
            "by id or text (or by --mapping); answers may be numbers or scale labels. "
            "Identifying columns (e-mail, name...) are dropped. All or nothing: any error "
            "stores nothing. Re-importing the same or an overlapping file adds no duplicates."
        ),
    )
    p.add_argument(
        "file",
        metavar="FILE",
        help="the spreadsheet (xlsx, xlsm, ods, csv; or the .zip ODK Central downloads)",
    )
    add_campaign_option(p)
    p.add_argument("--sheet", metavar="S", help="worksheet name (default: the first with data)")
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help="YAML/JSON mapping of column headers to item/demographic ids or 'ignore', and "
        "of answer values ('values:', e.g. Director -> senior_leader); the format: "
        "'culturescope docs importing'",
    )
    p.add_argument(
        "--write-mapping",
        metavar="FILE",
        help="save the mapping used (YAML, or JSON for .json) to edit and reuse with --mapping",
    )
    p.add_argument(
        "--label",
        metavar="TEXT",
        help="a name for this import in 'imports list' (default: a neutral label such as "
        "'import 3, 120 rows, xlsx'; the file's own name is never stored)",
    )
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the valid rows and write every row with unusable answers, unchanged and "
        "with its reasons, to NAME.rejected.xlsx next to FILE (default: all or nothing)",
    )
    p.add_argument(
        "--dates",
        choices=("day-first", "month-first"),
        help="how to read dates like 03/02/2026 when no day above 12 in their column says "
        "it (default: day-first, with a note)",
    )
    p.add_argument(
        "--include-rejected",
        action="store_true",
        help="ODK Central: also import the submissions rejected in Central's review "
        "(ReviewState 'rejected'; left out by default, with a note)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show the mapping and every problem; store nothing",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.importing import ImportFailed, import_file, write_mapping

    store = ctx.store
    try:
        report = import_file(
            store,
            find_campaign(store, args.campaign).id,
            args.file,
            sheet=args.sheet,
            mapping=args.mapping,
            label=args.label,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            date_order=args.dates,
            include_rejected=args.include_rejected,
            progress=ctx.progress,
        )
    except ImportFailed as exc:
        if exc.plan is not None and args.write_mapping:
            ctx.info(f"mapping written to {write_mapping(exc.plan, args.write_mapping)}")
        errors = exc.errors
        if len(errors) > 1:
            # Every error, with its row and column; warnings do not matter when nothing
            # is imported.
            for p in errors[:MAX_ERRORS_SHOWN]:
                print(f"error: {p}", file=sys.stderr)
            if len(errors) > MAX_ERRORS_SHOWN:
                print(
                    f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors "
                    "(--dry-run lists them all)",
                    file=sys.stderr,
                )
            _failure_notes(exc.plan)
            name = errors[0].file or Path(args.file).name
            print(
                f"culturescope: error: {len(errors)} errors in {name}: nothing was imported; "
                "the database is unchanged",
                file=sys.stderr,
            )
            return 1
        _failure_notes(exc.plan)
        raise
    plan = report.plan
    if args.write_mapping:
        ctx.info(f"mapping written to {write_mapping(plan, args.write_mapping)}")
    if args.dry_run:
        print_mapping(plan)
        for notice in plan.notices:
            print(f"note: {notice}")
        for p in plan.problems:
            print(f"{p.severity}: {p}")
        if not plan.ok:
            print(
                f"Dry run: {len(plan.errors)} error(s) would block the import "
                f"({report.rows_read} rows read). Nothing was stored."
            )
            return 1
        for note in report.store_notes:
            print(f"note: {note}")
        print(
            f"Dry run: {_responses(report.rows_added)} would be added "
            f"({report.counts_text()}). Nothing was stored."
        )
        return 0
    for notice in plan.notices:
        ctx.info(f"note: {notice}")
    warnings = plan.warnings
    for p in warnings[:MAX_WARNINGS_SHOWN]:
        ctx.info(f"warning: {p}")
    if len(warnings) > MAX_WARNINGS_SHOWN:
        ctx.info(
            f"... and {len(warnings) - MAX_WARNINGS_SHOWN} more warnings (--dry-run lists all)"
        )
    for note in report.store_notes:
        ctx.info(f"note: {note}")
    campaign = find_campaign(store, args.campaign)
    print(
        f"Imported {_responses(report.rows_added)} from {plan.source.name} into "
        f"'{campaign.name}'{_as_import(report)} ({report.counts_text()})."
    )
    if report.rejected_file is not None:
        print(
            f"{report.rows_rejected} rejected row{'s' if report.rows_rejected > 1 else ''} "
            f"written, unchanged and with the reasons, to {report.rejected_file}"
        )
    return 0


def _responses(n: int) -> str:
    return "1 response" if n == 1 else f"{n:,} responses"


def _as_import(report: ImportReport) -> str:
    """`` as import 3`` and the user's own label (a neutral label would only repeat the
    number), or nothing when no import was recorded."""
    batch = report.batch
    if batch is None:
        return ""
    own = "" if batch.label.startswith(f"import {batch.id},") else f" '{batch.label}'"
    return f" as import {batch.id}{own}"


def _failure_notes(plan: ImportPlan | None) -> None:
    """The notes that help fix a refused file: columns dropped as identifying (a user
    fixing the file learns they are not read), demographics found, unknown values."""
    for notice in plan.notices if plan is not None else ():
        if notice.startswith(("dropped ", "demographics:")) or "not known to the instrument" in (
            notice
        ):
            print(f"note: {notice}", file=sys.stderr)


def print_mapping(plan: ImportPlan) -> None:
    src = plan.source
    where = f", sheet '{src.sheet}'" if src.sheet else ""
    extra = ""
    if src.format == "csv":
        delim = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
            src.delimiter or ",", src.delimiter
        )
        extra = f", {src.encoding}, {delim}-separated"
    print(f"{src.name}{where}{extra}: {plan.rows_read} data rows -> {plan.instrument.key}")
    width = min(50, max((len(c.header) for c in plan.columns), default=10))
    for c in plan.columns:
        header = c.header if len(c.header) <= width else c.header[: width - 1] + "…"
        print(f"  {c.letter:>3}  {header:<{width}}  {c.describe()}")
