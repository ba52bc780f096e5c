"""``culturescope imports list|delete``: see and undo the imports of a campaign."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from culturescope import CultureScopeError
from culturescope.cli.campaign_command import backup_first, confirm
from culturescope.cli.campaign_option import add_campaign_option, find_campaign

if TYPE_CHECKING:
    from culturescope.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("imports", help="list a campaign's imports, or undo one")
    isub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = isub.add_parser(
        "list", help="every import of a campaign: id, label, rows, date and source"
    )
    add_campaign_option(ls)
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)
    rm = isub.add_parser(
        "delete",
        help="delete an import and all its responses (a backup is made first)",
    )
    rm.add_argument("id", type=int, metavar="ID", help="the import's id (see 'imports list')")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=run_delete)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    camp = find_campaign(store, args.campaign)
    batches = store.batches(camp.id)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": b.id,
                        "label": b.label,
                        "source": b.source,
                        "rows": b.rows_added,
                        "rows_read": b.rows_read,
                        "rows_skipped": b.rows_skipped,
                        "imported_on": b.imported_on.isoformat(),
                        "sheet": b.sheet,
                        "notices": b.notices,
                    }
                    for b in batches
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not batches:
        print(f"Campaign '{camp.name}' has no imports yet.")
        return 0
    width = max(len(b.label) for b in batches)
    print(f"{'id':>5}  {'label':<{width}}  {'rows':>7}  {'when':<10}  source")
    for b in batches:
        print(
            f"{b.id:>5}  {b.label:<{width}}  {b.rows_added:>7}  "
            f"{b.imported_on.isoformat():<10}  {b.source}"
        )
    return 0


def run_delete(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    batch = store.batch(args.id)
    if batch is None:
        raise CultureScopeError(f"no import {args.id} (see 'culturescope imports list')")
    camp = store.campaign(batch.campaign_id)
    question = (
        f"Delete import {batch.id} ('{batch.label}', {batch.rows_added} responses) "
        f"from campaign '{camp.name}'?"
    )
    if not confirm(question, args.yes):
        print("Nothing deleted.")
        return 1
    backup_first(ctx, "before-delete")
    assert batch.id is not None  # a stored import has its number
    n = store.delete_batch(batch.id)
    print(f"Deleted import {batch.id} ('{batch.label}'): {n} responses removed from '{camp.name}'.")
    return 0
