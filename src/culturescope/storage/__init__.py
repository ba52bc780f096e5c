"""Local storage: SQLite by default, any SQLAlchemy URL (PostgreSQL included).

The GUI and the command line use only what this package exports (checked by
import-linter, docs/design/layers.md); docs/design/storage.md describes the modules.

The names below load on first use (PEP 562): ``culturescope score`` reads through
:func:`open_reader` without importing SQLAlchemy, which only :class:`Store` needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from culturescope.storage.backups import (
        backup_sqlite,
        check_backup_file,
    )
    from culturescope.storage.database import (
        default_url,
        shown_url,
        sqlite_path,
        to_url,
    )
    from culturescope.storage.errors import (
        DatabaseBusy,
        DatabaseConflict,
        DatabaseError,
        DatabaseFailure,
        StoreError,
        UnknownCampaign,
        is_database_exception,
        set_default_waiting_progress,
        translate,
        waiting_progress,
    )
    from culturescope.storage.followup import (
        ACTION_STATUS_TITLES,
        ACTION_STATUSES,
        MAX_NOTE,
        MAX_ROLE,
        MAX_TITLE,
        Action,
        NewAction,
        SignalReview,
        acknowledged_signals,
        actions,
        add_action,
        delete_action,
        review_signal,
        signal_reviews,
        update_action,
    )
    from culturescope.storage.frames import ResponseData
    from culturescope.storage.previous import PreviousCheck
    from culturescope.storage.reader import (
        Reader,
        open_reader,
    )
    from culturescope.storage.records import Campaign
    from culturescope.storage.repository import (
        SERVER_BACKUP_MESSAGE,
        Batch,
        NewResponse,
        ResponseTable,
        Store,
        check_thresholds,
    )
    from culturescope.storage.unit_of_work import DataChange

#: Public name -> the module of this package that defines it.
_WHERE = {
    "ACTION_STATUSES": "followup",
    "ACTION_STATUS_TITLES": "followup",
    "Action": "followup",
    "Batch": "repository",
    "Campaign": "records",
    "DataChange": "unit_of_work",
    "DatabaseBusy": "errors",
    "DatabaseConflict": "errors",
    "DatabaseError": "errors",
    "DatabaseFailure": "errors",
    "MAX_NOTE": "followup",
    "MAX_ROLE": "followup",
    "MAX_TITLE": "followup",
    "NewAction": "followup",
    "NewResponse": "repository",
    "PreviousCheck": "previous",
    "Reader": "reader",
    "ResponseData": "frames",
    "ResponseTable": "repository",
    "SERVER_BACKUP_MESSAGE": "repository",
    "SignalReview": "followup",
    "Store": "repository",
    "StoreError": "errors",
    "UnknownCampaign": "errors",
    "acknowledged_signals": "followup",
    "actions": "followup",
    "add_action": "followup",
    "backup_sqlite": "backups",
    "check_backup_file": "backups",
    "check_thresholds": "repository",
    "default_url": "database",
    "delete_action": "followup",
    "is_database_exception": "errors",
    "open_reader": "reader",
    "review_signal": "followup",
    "set_default_waiting_progress": "errors",
    "shown_url": "database",
    "signal_reviews": "followup",
    "sqlite_path": "database",
    "to_url": "database",
    "translate": "errors",
    "update_action": "followup",
    "waiting_progress": "errors",
}

__all__ = [
    "ACTION_STATUSES",
    "ACTION_STATUS_TITLES",
    "MAX_NOTE",
    "MAX_ROLE",
    "MAX_TITLE",
    "SERVER_BACKUP_MESSAGE",
    "Action",
    "Batch",
    "Campaign",
    "DataChange",
    "DatabaseBusy",
    "DatabaseConflict",
    "DatabaseError",
    "DatabaseFailure",
    "NewAction",
    "NewResponse",
    "PreviousCheck",
    "Reader",
    "ResponseData",
    "ResponseTable",
    "SignalReview",
    "Store",
    "StoreError",
    "UnknownCampaign",
    "acknowledged_signals",
    "actions",
    "add_action",
    "backup_sqlite",
    "check_backup_file",
    "check_thresholds",
    "default_url",
    "delete_action",
    "is_database_exception",
    "open_reader",
    "review_signal",
    "set_default_waiting_progress",
    "shown_url",
    "signal_reviews",
    "sqlite_path",
    "to_url",
    "translate",
    "update_action",
    "waiting_progress",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next access is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
