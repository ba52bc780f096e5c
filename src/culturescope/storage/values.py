"""How Python values are written to and read back from columns (JSON text, dates)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


def dumps(obj: Any) -> str:
    """Compact JSON, as stored (and compared) in the demographics column."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def as_date(value: Any) -> dt.date | None:
    """A stored date as a ``date`` (SQLite hands back text, other databases dates)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
