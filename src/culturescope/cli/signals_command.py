"""``culturescope signals --campaign NAME [--json]``: safety-washing signals.

See docs/design/signals.md.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from culturescope.cli.campaign_option import add_campaign_option, find_campaign
from culturescope.cli.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "signals",
        help="detect safety-washing signals in a campaign",
        description="Where the stated safety culture and the measured one part ways: "
        "policy–practice gaps, perception gaps, awareness gaps, split cultures, the speak-up "
        "paradox, stale commitments, participation bias and response patterns. "
        "The method of each signal and the JSON format: 'culturescope docs signals'.",
    )
    add_campaign_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--min-severity",
        choices=("info", "warning", "critical"),
        default="info",
        help="only show signals at least this severe (default: all)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="use another value for a threshold this once, e.g. --set practice_low_percent=60 "
        "(repeatable; the names and defaults: 'culturescope docs signals'; lasting changes go in "
        "the Settings page or the settings file's signal_thresholds)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.settings import SettingsError, load_settings
    from culturescope.signals import SEVERITIES, analyse, evidence_sections, measure_titles

    extra = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SettingsError(f"--set {item}: write NAME=VALUE, e.g. practice_low_percent=60")
        extra[name.strip()] = value.strip()
    settings = load_settings().signal_settings(extra)
    campaign = find_campaign(ctx.store, args.campaign).id
    analysis = analyse(ctx.store, campaign, settings=settings, progress=ctx.progress)
    floor = SEVERITIES.index(args.min_severity)
    signals = [s for s in analysis.signals if s.rank >= floor]
    if args.json:
        print(json.dumps([s.to_json() for s in signals], indent=2, ensure_ascii=False))
        return 0
    counts = analysis.counts()
    print(
        f"{analysis.campaign.name}: {counts['critical']} critical, {counts['warning']} "
        f"warning, {counts['info']} info"
    )
    for note in analysis.notes:
        print(f"note: {note}")
    titles = measure_titles(analysis.overall.instrument) if analysis.overall else {}
    for s in signals:
        print()
        print(f"[{s.severity.upper()}] {s.title}")
        print(textwrap.fill(s.explanation, 88, initial_indent="  ", subsequent_indent="  "))
        print(
            textwrap.fill(f"Ask: {s.question}", 88, initial_indent="  ", subsequent_indent="    ")
        )
        sections = evidence_sections(s, titles)
        if sections:
            print("  Evidence:")
            rows: list[tuple[str, str | None]] = []
            for heading, lines in sections:
                indent = "      " if heading else "    "
                if heading:
                    rows.append((f"    {heading}:", None))
                rows += [(f"{indent}{label}:", value) for label, value in lines]
            column = max(len(left) for left, value in rows if value is not None)
            for left, value in rows:
                print(left if value is None else f"{left:<{column}}  {value}")
    return 0
