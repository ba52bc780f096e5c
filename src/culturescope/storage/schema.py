"""The newest schema revision, read from the migration scripts without Alembic or
SQLAlchemy: opening an up-to-date database (and the fast read path of
:mod:`.reader`) costs one query of the version table, not Alembic's start-up."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")

_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*[\"']?([\w-]+)", re.MULTILINE)


@cache
def schema_head() -> str | None:
    """The newest revision read from the migration scripts without importing Alembic.

    None when the scripts do not form one linear history (then Alembic decides).
    """
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        down = found.get("down_revision")
        revisions[found["revision"]] = None if down in (None, "None") else down
    heads = set(revisions) - {d for d in revisions.values() if d}
    return heads.pop() if len(heads) == 1 else None
