"""Local storage: SQLite by default, any SQLAlchemy URL (PostgreSQL included).

The GUI and the command line use only what this package exports (checked by
import-linter, docs/design/layers.md); docs/design/storage.md describes the modules.
"""

from culturescope.storage.backups import backup_sqlite, check_backup_file
from culturescope.storage.database import default_url, shown_url, sqlite_path, to_url
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
from culturescope.storage.repository import (
    SERVER_BACKUP_MESSAGE,
    Batch,
    Campaign,
    NewResponse,
    ResponseData,
    ResponseTable,
    Store,
    check_thresholds,
)
from culturescope.storage.unit_of_work import DataChange

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
