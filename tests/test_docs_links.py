"""The guides `culturescope docs` ships link only to what is shipped with them: another
guide (or a place in one), or a web address — never a file only the source has."""

from __future__ import annotations

import re

from culturescope.cli.docs_command import guides

LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_shipped_guides_link_only_to_shipped_guides():
    shipped = guides()
    assert {"signals", "importing", "confidentiality", "bundles"} <= set(shipped)
    dead = []
    for name, path in shipped.items():
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            file = target.split("#", 1)[0]
            if file.removesuffix(".md") not in shipped or "/" in file:
                dead.append(f"{name}.md -> {target}")
    assert dead == []
