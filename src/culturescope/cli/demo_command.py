"""``culturescope demo``: fill the database with the demo organisation."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from culturescope.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="fill the database with a realistic demo campaign",
        description="Create the demo organisation: a previous and a current campaign of the "
        "AI Safety Culture Survey, a leadership self-assessment and a policy register.",
    )
    p.add_argument(
        "--respondents",
        type=int,
        default=360,
        metavar="N",
        help="respondents in the current campaign (default 360)",
    )
    p.set_defaults(func=run, creates_database=True)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.demo import CURRENT, check_respondents, create_demo

    check_respondents(args.respondents)  # before a new database file is made
    campaign = create_demo(ctx.store, respondents=args.respondents, progress=ctx.progress)
    print(f"Created demo campaign '{campaign.name}' with {campaign.response_count} responses.")
    print(f'Try: culturescope score --campaign "{CURRENT}" --by team')
    return 0
