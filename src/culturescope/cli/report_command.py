"""``culturescope report`` / ``template`` / ``form``: what leaves CultureScope."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from culturescope.cli.campaign_option import add_campaign_option, find_campaign

if TYPE_CHECKING:
    from culturescope.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="write a scorecard: PDF for the board, Excel for analysts, PNG/SVG charts",
        description="Score a campaign and write its scorecard. Groups below the minimum group "
        "size appear only as 'Insufficient responses'. For png/svg, -o names a folder that "
        "receives one file per chart.",
    )
    add_campaign_option(p)
    p.add_argument("--format", required=True, choices=("pdf", "xlsx", "png", "svg"))
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="file (pdf, xlsx) or folder (png, svg)",
    )
    p.add_argument(
        "--by",
        choices=("team",),
        help="pdf: add one page per team shown (teams at or above the minimum group size)",
    )
    p.add_argument(
        "--responses",
        action="store_true",
        help="xlsx: add a response sheet, one row per person without ids, dates or comments "
        "(shuffled; team only for teams shown)",
    )
    p.set_defaults(func=run_report)

    t = sub.add_parser(
        "template",
        help="write an Excel response template for a campaign",
        description="An xlsx with one column per item (headers the importer matches without a "
        "mapping), dropdowns for answers and demographics, and an Instructions sheet.",
    )
    add_campaign_option(t)
    t.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    t.set_defaults(func=run_template)

    f = sub.add_parser(
        "form",
        help="write a printable questionnaire (PDF) for an instrument",
        description="Consent text, demographics, items as tick boxes, comment boxes and a form "
        "number, in the order of the paper data-entry screen.",
    )
    f.add_argument(
        "--instrument", required=True, metavar="ID", help="instrument id, e.g. ai-safety-culture"
    )
    f.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    f.add_argument("--paper", choices=("a4", "letter"), default="a4")
    f.set_defaults(func=run_form)


def run_report(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.reports.export import ReportError, export_scorecard
    from culturescope.settings import load_settings

    if args.by and args.format != "pdf":
        raise ReportError("--by team adds pages to the PDF; use it with --format pdf")
    if args.responses and args.format != "xlsx":
        raise ReportError("--responses adds a sheet to the workbook; use it with --format xlsx")
    path = export_scorecard(
        ctx.store,
        find_campaign(ctx.store, args.campaign).id,
        args.format,
        args.output,
        by_team=bool(args.by),
        include_responses=args.responses,
        progress=ctx.progress,
        signal_settings=load_settings().signal_settings(),
    )
    ctx.info(f"wrote {path}")
    return 0


def run_template(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.reports.template import write_template

    path = write_template(ctx.store, find_campaign(ctx.store, args.campaign).id, args.output)
    ctx.info(f"wrote {path}")
    return 0


def run_form(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.reports.form import write_form

    path = write_form(args.instrument, args.output, paper=args.paper)
    ctx.info(f"wrote {path}")
    return 0
