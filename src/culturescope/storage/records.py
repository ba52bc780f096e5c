"""Plain records the store returns, importable without SQLAlchemy (the fast read path of
:mod:`.reader` returns the same ones as the full store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Campaign:
    id: int
    name: str
    organisation: str
    instrument_key: str
    min_group_size: int
    min_comment_group_size: int
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    created_on: dt.date
    previous_campaign_id: int | None
    headcounts: dict[str, dict[str, int]]
    response_count: int = 0
    uid: str = ""  # the same on every database holding the campaign (kiosk bundles)
    bundle_key: str = field(default="", repr=False)  # hex key signing its bundles
    #: Names removed from comments at import, besides the organisation's policy owners.
    private_names: tuple[str, ...] = field(default=(), repr=False)
