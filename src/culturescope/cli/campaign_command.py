"""``culturescope campaign create|list|set|delete``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from culturescope import CultureScopeError
from culturescope.cli.campaign_option import CAMPAIGN_HELP, find_campaign

if TYPE_CHECKING:
    from culturescope.cli.context import Context
    from culturescope.signals.participation import HeadcountCheck
    from culturescope.storage import Campaign, PreviousCheck, Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("campaign", help="create and list campaigns (survey rounds)")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = csub.add_parser("create", help="open a new campaign")
    create.add_argument("name")
    create.add_argument(
        "--instrument",
        required=True,
        help="instrument id, id@version, or the path of your own instrument file (.yaml)",
    )
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
    create.add_argument(
        "--previous",
        metavar="NAME",
        help="previous campaign, for trends: an earlier campaign (name or id)",
    )
    _period_options(create)
    create.set_defaults(func=run_create, creates_database=True)
    ls = csub.add_parser("list", help="all campaigns with their response counts")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)

    st = csub.add_parser(
        "set",
        help="change a campaign: survey period, previous campaign, headcounts, names to remove",
        description=(
            "Change a campaign's fields; options not given stay as they are. Headcounts come "
            "from a two-column sheet (first column headed by the demographic, e.g. 'Team', "
            "second the number of people); a workbook may hold one such sheet per demographic."
        ),
    )
    st.add_argument("name", metavar="NAME", help=CAMPAIGN_HELP)
    st.add_argument("--rename", metavar="NEW", help="a new name")
    _period_options(st)
    st.add_argument(
        "--previous",
        metavar="NAME",
        help="previous campaign, for trends: an earlier campaign (name or id; 'none' to unset)",
    )
    st.add_argument(
        "--headcounts",
        metavar="FILE",
        help="expected headcounts per team/role/site from an xlsx, ods or csv sheet "
        "(replaces the headcounts of the demographics it lists)",
    )
    st.add_argument(
        "--private-name",
        action="append",
        default=[],
        metavar="NAME",
        help="a person's name to remove from comments at import (repeatable)",
    )
    st.add_argument("--status", choices=("open", "closed"))
    st.set_defaults(func=run_set)

    rm = csub.add_parser(
        "delete", help="delete a campaign with all its responses (a backup is made first)"
    )
    rm.add_argument("name", metavar="NAME", help=CAMPAIGN_HELP)
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=run_delete)


def _period_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--opens", metavar="DATE", type=_date, help="first day of the survey (YYYY-MM-DD)"
    )
    p.add_argument(
        "--closes", metavar="DATE", type=_date, help="last day of the survey (YYYY-MM-DD)"
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (use YYYY-MM-DD)") from None


def confirm(question: str, yes: bool) -> bool:
    """True when the user agrees (or gave --yes). Without a terminal, refuses: a script
    must say --yes."""
    if yes:
        return True
    if not sys.stdin or not sys.stdin.isatty():
        raise CultureScopeError(f"{question} — add --yes to confirm (no terminal to ask)")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes")


def backup_first(ctx: Context, reason: str) -> str | None:
    """A backup copy of a SQLite database before something is deleted; None otherwise."""
    from culturescope.storage import backup_sqlite, sqlite_path

    path = sqlite_path(ctx.store.url)
    if path is None or not path.exists():
        return None
    made = backup_sqlite(path, reason=reason)
    ctx.info(f"backup kept at {made}")
    return str(made)


def run_create(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.cli.instruments_command import instrument_from

    _check_period(args.opens, args.closes)
    instrument = instrument_from(args.instrument)
    if args.previous:
        _previous_rule(
            ctx.store.previous_check(
                find_campaign(ctx.store, args.previous).id,
                name=args.name,
                instrument=instrument,
                organisation=args.organisation,
                opens_on=args.opens,
            ),
            nothing="nothing was created",
        )
    c = ctx.store.create_campaign(
        args.name,
        instrument,
        opens_on=args.opens,
        closes_on=args.closes,
        organisation=args.organisation,
        min_group_size=args.min_group_size,
        min_comment_group_size=args.min_comment_group_size,
        previous=find_campaign(ctx.store, args.previous).id if args.previous else None,
    )
    print(
        f"Created campaign '{c.name}' ({c.instrument_key}, minimum group size {c.min_group_size})."
    )
    return 0


def _check_period(opens: dt.date | None, closes: dt.date | None) -> None:
    if opens and closes and closes < opens:
        raise CultureScopeError(f"the survey cannot close ({closes}) before it opens ({opens})")


def run_set(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    camp = find_campaign(store, args.name)
    changes = _set_changes(args, store, camp)
    if not changes:
        raise CultureScopeError("nothing to change: give at least one option (see --help)")
    c = store.update_campaign(camp.id, **changes)
    period = store.survey_period(c.id)
    print(f"Updated campaign '{c.name}'.")
    print(f"  survey period: {_period_text(period)}")
    prev = store.campaign(c.previous_campaign_id).name if c.previous_campaign_id else "none"
    print(f"  previous campaign: {prev}")
    check = _headcount_check(store, c, changes.get("headcounts")) if args.headcounts else None
    for field, counts in sorted(c.headcounts.items()):
        print(f"  headcounts by {field}: {len(counts)} groups, {sum(counts.values())} people")
        for over in check.overcounts if check else ():
            if over.field == field:
                print(f"    {over.message}")
    if c.private_names:
        print(f"  names removed from comments: {len(c.private_names)}")
    return 0


def _set_changes(args: argparse.Namespace, store: Store, camp: Campaign) -> dict[str, Any]:
    """The campaign fields ``campaign set`` was asked to change, checked."""
    changes: dict[str, Any] = {}
    if args.rename:
        changes["name"] = args.rename
    if args.opens:
        changes["opens_on"] = args.opens
    if args.closes:
        changes["closes_on"] = args.closes
    _check_period(changes.get("opens_on", camp.opens_on), changes.get("closes_on", camp.closes_on))
    if args.status:
        changes["status"] = args.status
    if args.previous:
        changes["previous_campaign_id"] = _previous_id(
            args.previous, store, camp, changes.get("opens_on")
        )
    if args.headcounts:
        changes["headcounts"] = {**camp.headcounts, **_headcounts(args.headcounts, store, camp)}
    if args.private_name:
        names = list(camp.private_names)
        names += [n.strip() for n in args.private_name if n.strip() and n.strip() not in names]
        changes["private_names"] = names
    return changes


def _previous_id(
    value: str, store: Store, camp: Campaign, opens_on: dt.date | None
) -> int | None:
    if value.lower() == "none":
        return None
    prev = find_campaign(store, value)
    _previous_rule(store.previous_check(prev.id, campaign=camp.id, opens_on=opens_on))
    return prev.id


def _previous_rule(check: PreviousCheck, *, nothing: str = "nothing was changed") -> None:
    """Refuse a previous campaign the rule refuses; print its warnings."""
    if check.refusal:
        raise CultureScopeError(f"{check.refusal}; {nothing}")
    for warning in check.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _headcounts(path: str, store: Store, camp: Campaign) -> dict[str, dict[str, int]]:
    from culturescope.importing.headcounts import HeadcountError, read_headcounts

    try:
        return read_headcounts(path, store.instrument(camp.instrument_key))
    except HeadcountError as exc:
        for line in exc.problems[1:]:
            print(f"error: {line}", file=sys.stderr)
        raise CultureScopeError(f"{exc.problems[0]}; nothing was changed") from None


def _headcount_check(
    store: Store, camp: Campaign, headcounts: dict[str, dict[str, int]] | None
) -> HeadcountCheck:
    """Groups with more responses than people (only groups whose results are shown)."""
    from culturescope.signals.participation import check_headcounts

    return check_headcounts(store, camp, headcounts or {})


def _period_text(period: tuple[dt.date | None, dt.date | None, str]) -> str:
    first, last, basis = period
    if basis == "none":
        return "not set, no dated responses yet"
    where = "set on the campaign" if basis == "campaign" else "from the responses' dates"
    return f"{first or '?'} to {last or '?'} ({where})"


def run_delete(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store
    camp = find_campaign(store, args.name)
    question = f"Delete campaign '{camp.name}' and its {camp.response_count} responses?"
    if not confirm(question, args.yes):
        print("Nothing deleted.")
        return 1
    backup_first(ctx, "before-delete")
    store.delete_campaign(camp.id)
    print(f"Deleted campaign '{camp.name}' ({camp.response_count} responses).")
    return 0


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    campaigns = ctx.store.campaigns()
    periods = {c.id: ctx.store.survey_period(c.id) for c in campaigns}
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
                        "survey_period": {
                            "from": _iso(periods[c.id][0]),
                            "to": _iso(periods[c.id][1]),
                            "basis": periods[c.id][2],
                        },
                        "previous": next(
                            (p.name for p in campaigns if p.id == c.previous_campaign_id), None
                        ),
                        "headcounts": c.headcounts,
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
        first, last, basis = periods[c.id]
        period = f"  {first or '?'} to {last or '?'}" if basis != "none" else ""
        print(
            f"{c.name:<{width}}  {c.instrument_key:<34} {c.response_count:>7} responses  "
            f"{c.status}{period}"
        )
    return 0


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
