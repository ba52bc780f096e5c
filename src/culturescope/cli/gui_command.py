"""``culturescope gui``: open the desktop app (also what ``culturescope`` alone does)."""

from __future__ import annotations

import argparse
import sys

from culturescope.cli.context import Context
from culturescope.gui.pages import PAGES  # page names only: imports no Qt


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "gui",
        help="open the desktop app",
        description="Open the desktop app. With --screenshot, render the main window "
        "offscreen (1366x768 unless --size says otherwise), save it as PNG and exit.",
    )
    p.add_argument(
        "--list-pages", action="store_true", help="print the page names, one per line, and exit"
    )
    p.add_argument("--screenshot", metavar="FILE.png", help="save a screenshot and exit")
    p.add_argument(
        "--page",
        metavar="NAME",
        help="page to show: "
        + ", ".join(["start", *(spec.key for spec in PAGES)])
        + " (default: dashboard, or the start screen on an empty database)",
    )
    p.add_argument(
        "--open",
        metavar="FILE",
        dest="open_file",
        help="install a kiosk setup file (.cskiosk) or merge a response bundle (.csbundle) "
        "once the window shows; 'culturescope FILE' alone does the same",
    )
    p.add_argument("--size", metavar="WxH", default="1366x768", help="window size for --screenshot")
    p.add_argument(
        "--theme",
        choices=("light", "dark", "system"),
        help="colours for this run (default: the Settings choice, which follows the system)",
    )
    p.set_defaults(func=run, creates_database=True)


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.list_pages:
        for name in ["start", *(spec.key for spec in PAGES)]:
            print(name)
        return 0
    # Imported here so other commands never load Qt.
    from culturescope.gui.app import parse_size, run_app

    try:
        size = parse_size(args.size)
    except ValueError as exc:
        print(f"culturescope: error: {exc}", file=sys.stderr)
        return 2
    # The app starts a new database on a --db file that is not there (its start screen
    # offers the first campaign); say so, in case the path was mistyped. Where its folder
    # is missing too, the app asks (or, making a screenshot, refuses).
    from culturescope.database_choice import MissingFolder

    try:
        new_file = ctx.missing_database_file()
    except MissingFolder:
        new_file = None
    if new_file is not None and not ctx.quiet:
        ctx.info(f"new database at {new_file}")
    return run_app(
        db=ctx.db,
        screenshot=args.screenshot,
        page=args.page,
        open_file=args.open_file,
        size=size,
        theme_choice=args.theme,
    )
