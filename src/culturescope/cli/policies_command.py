"""``culturescope policies import|export|list``: the policy register (docs/design/policies.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from culturescope.cli.campaign_option import add_campaign_option, find_campaign
from culturescope.cli.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "policies",
        help="import, export or list the policy register",
        description="The policy register of a campaign's organisation: what it says it does.",
    )
    sub = parser.add_subparsers(dest="policies_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="import policies from xlsx/csv (one row per policy)",
        description="Import a register spreadsheet: columns Title, Statement, Owner, Adopted, "
        "Status, Evidence, Review date, Practice areas (ids or titles separated by ; or ,). "
        "All or nothing: any problem and nothing is stored. Changed policies get a new version.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    add_campaign_option(imp)
    imp.add_argument(
        "--remove-missing",
        action="store_true",
        help="mark policies that are not in the file as removed (kept in the history)",
    )
    imp.set_defaults(func=run_import)

    exp = sub.add_parser(
        "export",
        help="export the register to xlsx (with version history) or csv (current policies)",
    )
    exp.add_argument("file", type=Path, metavar="FILE.xlsx|FILE.csv")
    add_campaign_option(exp)
    exp.set_defaults(func=run_export)

    lst = sub.add_parser("list", help="list the current policies")
    add_campaign_option(lst)
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.add_argument("--all", action="store_true", help="include removed policies")
    lst.set_defaults(func=run_list)


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.policies import import_policy_file

    changes = import_policy_file(
        ctx.store,
        find_campaign(ctx.store, args.campaign).id,
        args.file,
        remove_missing=args.remove_missing,
    )
    ctx.info(
        f"{args.file.name}: {len(changes.added)} added, {len(changes.updated)} updated "
        f"(new version), {len(changes.unchanged)} unchanged, {len(changes.removed)} removed"
    )
    if changes.ignored_columns:
        ctx.info(
            f"{args.file.name}: not read (not register fields): "
            + ", ".join(changes.ignored_columns)
        )
    return 0


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.policies import policies, write_policy_file

    campaign = find_campaign(ctx.store, args.campaign)
    org = campaign.organisation
    register = policies(ctx.store, org, include_removed=True)
    write_policy_file(args.file, register, ctx.store.campaign_instrument(campaign.id))
    ctx.info(f"{len(register)} policies of {org} written to {args.file}")
    return 0


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.policies import policies

    campaign = find_campaign(ctx.store, args.campaign)
    org = campaign.organisation
    register = policies(ctx.store, org, include_removed=args.all)
    if args.json:
        print(json.dumps([policy_json(p) for p in register], indent=2, ensure_ascii=False))
        return 0
    if not register:
        print(f"{org} has no policies yet (culturescope policies import FILE --campaign NAME)")
        return 0
    for p in register:
        v = p.current
        flag = " [removed]" if p.removed else ""
        review = v.review_on.isoformat() if v.review_on else "-"
        print(f"{p.title}{flag}")
        print(
            f"  status {v.status}, version {v.version}, owner {v.owner or '-'}, review {review}, "
            f"areas {', '.join(v.practice_areas) or '-'}"
        )
    return 0


def policy_json(p: Any) -> dict[str, Any]:
    """The ``policies list --json`` shape (docs/signals.md)."""

    def version(v: Any) -> dict[str, Any]:
        return {
            "version": v.version,
            "title": v.title,
            "statement": v.statement,
            "owner": v.owner,
            "adopted": v.adopted_on.isoformat() if v.adopted_on else None,
            "status": v.status,
            "evidence": v.evidence,
            "review_date": v.review_on.isoformat() if v.review_on else None,
            "practice_areas": list(v.practice_areas),
            "removed": v.removed,
            "recorded": v.recorded_on.isoformat(),
        }

    return {
        "id": p.id,
        "organisation": p.organisation,
        **version(p.current),
        "history": [version(v) for v in p.history],
    }
