"""``culturescope bundle setup|install|export|merge``: kiosk laptops at several sites."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from culturescope import CultureScopeError
from culturescope.cli.campaign_option import add_campaign_option, find_campaign

if TYPE_CHECKING:
    from culturescope.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "bundle",
        help="kiosk laptops at several sites: setup files and response bundles",
        description="Collect on several kiosk laptops, then merge into one database. On the "
        "lead's machine: 'setup' writes a campaign's kiosk setup file; on each kiosk laptop: "
        "'install' creates that campaign and 'export' writes its responses to a bundle; on "
        "the lead's machine: 'merge' adds a bundle's new responses (idempotent; tampered or "
        "foreign bundles are refused). Formats: 'culturescope docs bundles'.",
    )
    bsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    setup = bsub.add_parser(
        "setup",
        help="write a campaign's kiosk setup file (lead's machine)",
        description="Write the setup file a kiosk laptop installs: the campaign's name, uid, "
        "thresholds, headcounts, instrument version and the key that signs its bundles. "
        "Keep it as safe as the database: whoever holds it can make bundles that merge.",
    )
    add_campaign_option(setup)
    setup.add_argument("-o", "--output", required=True, metavar="FILE.cskiosk")
    setup.set_defaults(func=run_setup)

    install = bsub.add_parser(
        "install",
        help="create the campaign of a setup file here (kiosk laptop)",
        description="Create the campaign of a kiosk setup file in this database, with the "
        "same uid, bundle key and instrument version. Installing twice changes nothing.",
    )
    install.add_argument("file", metavar="FILE.cskiosk")
    install.set_defaults(func=run_install, creates_database=True)

    export = bsub.add_parser(
        "export",
        help="write a campaign's responses to a bundle file (kiosk laptop)",
        description="Write every response of the campaign (answers as given, demographics, "
        "comments, provenance; no identity) to a signed bundle for the lead's machine.",
    )
    add_campaign_option(export)
    export.add_argument("-o", "--output", required=True, metavar="FILE.csbundle")
    export.set_defaults(func=run_export)

    merge = bsub.add_parser(
        "merge",
        help="add a bundle's new responses to its campaign (lead's machine)",
        description="Add the responses of a bundle to the campaign it belongs to, in one "
        "transaction. Responses already stored are skipped, so merging twice adds nothing. "
        "A bundle of another campaign, changed after export, or of another instrument "
        "version is refused and nothing is stored.",
    )
    merge.add_argument("files", nargs="+", metavar="FILE.csbundle")
    merge.set_defaults(func=run_merge)


def run_setup(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope import bundles

    c = find_campaign(ctx.store, args.campaign)
    path = bundles.write_setup(ctx.store, c.id, args.output)
    print(
        f"Wrote the kiosk setup file of '{c.name}' to {path}. On each kiosk laptop run "
        f"'culturescope bundle install {path.name}'. It holds the key that signs the "
        "campaign's bundles: keep it safe."
    )
    return 0


def _read_passphrase(prompt: str) -> str:
    """A passphrase from the terminal (not echoed), or one line of stdin in scripts."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise CultureScopeError("the admin passphrase is needed (type it, or give it on stdin)")
    return line.rstrip("\r\n")


def _admin_passphrase() -> str:
    """The admin passphrase, checked against the settings; chosen now when none is set."""
    from culturescope.settings import load_settings, save_settings

    settings = load_settings()
    if settings.has_passphrase:
        typed = _read_passphrase("Admin passphrase: ")
        if not settings.check_passphrase(typed):
            raise CultureScopeError("the admin passphrase is wrong; nothing was changed")
        return typed
    print(
        "Choose the admin passphrase: it guards kiosk mode and locks the campaign's bundle "
        "key on this laptop.",
        file=sys.stderr,
    )
    first = _read_passphrase("New admin passphrase: ")
    settings.set_passphrase(first)  # refuses a weak one
    if _read_passphrase("Repeat it: ") != first:
        raise CultureScopeError("the two passphrases differ; nothing was changed")
    save_settings(settings)
    return first


def run_install(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope import bundles

    bundles.read_setup(args.file)  # a bad file is refused before any passphrase is asked
    passphrase = _admin_passphrase()  # before the database is opened (or a new one made)
    c, created = bundles.install_setup(ctx.store, args.file, passphrase=passphrase)
    if created:
        print(f"Installed campaign '{c.name}' ({c.instrument_key}); ready for the kiosk.")
    else:
        print(f"Campaign '{c.name}' is already installed here; nothing changed.")
    return 0


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope import bundles

    c = find_campaign(ctx.store, args.campaign)
    passphrase = None
    if bundles.key_is_sealed(ctx.store, c):
        passphrase = _read_passphrase("Admin passphrase (unlocks the bundle key): ")
    path, n = bundles.export_bundle(
        ctx.store, c.id, args.output, progress=ctx.progress, passphrase=passphrase
    )
    print(f"Exported {n} responses of '{c.name}' to {path}.")
    return 0


def run_merge(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope import bundles

    # Each file is checked and merged on its own: one transaction per bundle.
    for file in args.files:
        r = bundles.merge_bundle(ctx.store, file, progress=ctx.progress)
        print(
            f"Merged {r.file_name} into '{r.campaign.name}': {r.added} responses added, "
            f"{r.already_stored} already stored."
        )
    return 0
