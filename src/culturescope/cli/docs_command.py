"""``culturescope docs [GUIDE]``: the user guides, shipped with every install.

The ``--help`` texts point here rather than to a ``docs/`` folder, which only a source
checkout has: the wheel and the desktop bundles carry the guides in
``culturescope/_data/docs/`` (pyproject.toml and packaging/culturescope.spec).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from culturescope.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "docs",
        help="read a user guide (importing, signals, JSON formats...)",
        description="With no GUIDE, list the guides shipped with CultureScope and where "
        "their files are; with one, print it (Markdown text: pipe it to a pager, or open "
        "the file).",
    )
    p.add_argument("guide", nargs="?", metavar="GUIDE", help="e.g. importing, signals")
    p.add_argument("--path", action="store_true", help="print the guide's file path only")
    p.set_defaults(func=run)


def guides() -> dict[str, Path]:
    """Name (file name without .md) → file of every shipped guide."""
    from culturescope.paths import docs_dir

    return {path.stem: path for path in sorted(docs_dir().glob("*.md"))}


def _title(path: Path) -> str:
    with path.open(encoding="utf-8") as fh:
        first = fh.readline().strip()
    return first.lstrip("#").strip() or path.stem


def run(args: argparse.Namespace, ctx: Context) -> int:
    found = guides()
    if args.guide is None:
        width = max((len(name) for name in found), default=0)
        for name, path in found.items():
            print(f"{name:<{width}}  {_title(path)}")
        folder = next(iter(found.values())).parent if found else None
        print(f"\nFiles: {folder}" if folder else "No guides are installed.")
        return 0
    name = args.guide.lower().removesuffix(".md")
    if name not in found:
        print(
            f"culturescope: error: no guide '{args.guide}'; the guides are: "
            + ", ".join(found),
            file=sys.stderr,
        )
        return 1
    if args.path:
        print(found[name])
    else:
        sys.stdout.write(found[name].read_text(encoding="utf-8"))
    return 0
