"""``culturescope campaign create|list``."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("campaign", help="create and list campaigns (survey rounds)")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = csub.add_parser("create", help="open a new campaign")
    create.add_argument("name")
    create.add_argument("--instrument", required=True, help="instrument id or id@version")
    create.add_argument(
        "--min-group-size",
        type=int,
        default=5,
        metavar="N",
        help="smallest group whose scores are shown (default 5, never below 3)",
    )
    create.add_argument(
        "--min-comment-group-size",
        type=int,
        default=10,
        metavar="N",
        help="smallest group whose comments are shown (default 10)",
    )
    create.add_argument("--organisation", default="My organisation")
    create.add_argument("--previous", metavar="NAME", help="previous campaign, for trends")
    create.set_defaults(func=run_create)
    ls = csub.add_parser("list", help="all campaigns with their response counts")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)


def run_create(args, ctx) -> int:
    from culturescope.instruments import get_instrument

    c = ctx.store.create_campaign(
        args.name,
        get_instrument(args.instrument),
        organisation=args.organisation,
        min_group_size=args.min_group_size,
        min_comment_group_size=args.min_comment_group_size,
        previous=args.previous,
    )
    print(
        f"Created campaign '{c.name}' ({c.instrument_key}, minimum group size {c.min_group_size})."
    )
    return 0


def run_list(args, ctx) -> int:
    campaigns = ctx.store.campaigns()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "name": c.name,
                        "organisation": c.organisation,
                        "instrument": c.instrument_key,
                        "responses": c.response_count,
                        "status": c.status,
                        "min_group_size": c.min_group_size,
                        "min_comment_group_size": c.min_comment_group_size,
                        "opens_on": c.opens_on.isoformat() if c.opens_on else None,
                        "closes_on": c.closes_on.isoformat() if c.closes_on else None,
                    }
                    for c in campaigns
                ],
                indent=2,
            )
        )
        return 0
    if not campaigns:
        print(
            "No campaigns yet. Create one with 'culturescope campaign create NAME --instrument ID' "
            "or try 'culturescope demo'."
        )
        return 0
    width = max(len(c.name) for c in campaigns)
    for c in campaigns:
        print(
            f"{c.name:<{width}}  {c.instrument_key:<34} {c.response_count:>7} responses  {c.status}"
        )
    return 0
