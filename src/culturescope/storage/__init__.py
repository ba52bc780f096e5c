"""Local storage: SQLite by default, any SQLAlchemy URL (PostgreSQL included)."""

from culturescope.storage.database import (
    DatabaseError,
    backup_sqlite,
    default_url,
    sqlite_path,
    to_url,
)
from culturescope.storage.errors import (
    DatabaseBusy,
    DatabaseConflict,
    DatabaseFailure,
    is_database_exception,
    set_default_waiting_progress,
    translate,
    waiting_progress,
)
from culturescope.storage.repository import (
    Batch,
    Campaign,
    NewResponse,
    ResponseData,
    ResponseTable,
    Store,
    StoreError,
    UnknownCampaign,
    check_thresholds,
)

__all__ = [
    "Batch",
    "Campaign",
    "DatabaseBusy",
    "DatabaseConflict",
    "DatabaseError",
    "DatabaseFailure",
    "NewResponse",
    "ResponseData",
    "ResponseTable",
    "Store",
    "StoreError",
    "UnknownCampaign",
    "backup_sqlite",
    "check_thresholds",
    "default_url",
    "is_database_exception",
    "set_default_waiting_progress",
    "sqlite_path",
    "to_url",
    "translate",
    "waiting_progress",
]
