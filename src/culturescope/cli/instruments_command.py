"""``culturescope instruments list|show|validate|add``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from culturescope.cli.context import Context

    # YAML parsing loads only for the commands that read instruments
    from culturescope.instruments import Instrument, Scale


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("instruments", help="list, show and validate survey instruments")
    isub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = isub.add_parser("list", help="the shipped and your own instruments")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)
    show = isub.add_parser("show", help="one instrument's dimensions and items")
    show.add_argument("id", help="instrument id, or id@version")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(func=run_show)
    val = isub.add_parser("validate", help="check an instrument file and list every problem")
    val.add_argument("file")
    val.set_defaults(func=run_validate)
    add = isub.add_parser(
        "add",
        help="validate an instrument file and install it into your instrument folder",
        description=(
            "Validate FILE and copy it into your own instrument folder, where every "
            "command and the app find it by its id. The folder is 'instruments' in the user "
            "data folder; on Linux ~/.local/share/CultureScope/instruments/."
        ),
    )
    add.add_argument("file", metavar="FILE.yaml")
    add.add_argument(
        "--replace",
        action="store_true",
        help="overwrite an installed file with the same id and version",
    )
    add.set_defaults(func=run_add)


def instrument_from(value: str) -> Instrument:
    """An instrument from an id, id@version, or the path of a YAML file."""
    from culturescope.instruments import get_instrument, load_instrument

    candidate = Path(value).expanduser()
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.is_file():
        return load_instrument(candidate)  # raises InstrumentError listing every problem
    return get_instrument(value)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.instruments import scan_instruments

    found, errors = scan_instruments()
    if args.json:
        print(
            json.dumps(
                [
                    {"id": i.id, "version": i.version, "title": i.title, "items": len(i.items)}
                    for i in found
                ],
                indent=2,
            )
        )
    else:
        width = max((len(i.key) for i in found), default=10)
        for i in found:
            print(f"{i.key:<{width}}  {len(i.items):>3} items  {i.title}")
    for err in errors:
        ctx.info(f"skipped an invalid instrument file: {err}")
    return 0


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.instruments import get_instrument

    inst = get_instrument(args.id)
    if args.json:
        print(json.dumps(instrument_json(inst), indent=2, ensure_ascii=False))
        return 0
    print(f"{inst.title} ({inst.key})")
    if inst.description:
        print(inst.description)
    for dim in inst.dimensions:
        print(f"\n{dim.title} [{dim.id}]{' — pillar' if dim.pillar else ''}")
        for item in inst.items_of(dim.id):
            flag = " (reverse-keyed)" if item.reverse else ""
            print(f"  {item.id:<5} {item.text_for(inst.default_language)}{flag}")
    return 0


def run_validate(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.instruments import load_instrument, report_gaps

    inst = load_instrument(args.file)  # raises InstrumentError listing every problem
    print(
        f"{args.file}: valid — {inst.title} ({inst.key}), {len(inst.dimensions)} dimensions, "
        f"{len(inst.items)} items"
    )
    for gap in report_gaps(inst):
        print(f"warning: {gap}")
    return 0


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    from culturescope.instruments import install_user_instrument, load_instrument, report_gaps

    target = install_user_instrument(args.file, replace=args.replace)
    inst = load_instrument(target)
    print(
        f"Installed {inst.title} ({inst.key}) as {target}; use it with "
        f"'culturescope campaign create NAME --instrument {inst.id}'."
    )
    for gap in report_gaps(inst):
        print(f"warning: {gap}")
    return 0


def instrument_json(inst: Instrument) -> dict[str, Any]:
    """The documented ``instruments show --json`` format (docs/json-formats.md)."""
    lang = inst.default_language
    default_scale = next(iter(inst.scales.values()))
    return {
        "id": inst.id,
        "version": inst.version,
        "title": inst.title,
        "description": inst.description,
        "languages": list(inst.languages),
        "respondents": inst.respondent_kind,
        "scale": _scale_json(default_scale),
        "scales": {sid: _scale_json(s) for sid, s in inst.scales.items()},
        "dimensions": [
            {"id": d.id, "title": d.title, "pillar": d.pillar, "description": d.description}
            for d in inst.dimensions
        ],
        "practice_areas": [{"id": a.id, "title": a.title} for a in inst.practice_areas],
        "items": [
            {
                "id": i.id,
                "text": i.text_for(lang),
                "dimension": i.dimension,
                "scale": i.scale,
                "reverse": i.reverse,
                "kind": i.kind,
                "practice_areas": list(i.practice_areas),
            }
            for i in inst.items
        ],
        "demographics": [
            {
                "id": d.id,
                "label": d.label,
                "options": [{"id": o.id, "label": o.label} for o in d.options],
            }
            for d in inst.demographics
        ],
        "comments": [{"id": c.id, "text": c.text_for(lang)} for c in inst.comments],
        "bands": [
            {"id": b.id, "label": b.label, "threshold": b.threshold, "inclusive": b.inclusive}
            for b in inst.bands
        ],
    }


def _scale_json(s: Scale) -> dict[str, Any]:
    return {
        "points": s.points,
        "labels": list(s.labels),
        "not_applicable": None if s.na_code is None else {"code": s.na_code, "label": s.na_label},
        "positive": list(s.positive),
        "negative": list(s.negative),
    }
