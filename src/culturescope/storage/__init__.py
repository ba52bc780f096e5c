"""Local storage: SQLite by default, any SQLAlchemy URL (PostgreSQL included)."""

from culturescope.storage.database import DatabaseError, default_url, to_url
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
    "default_url",
    "is_database_exception",
    "set_default_waiting_progress",
    "to_url",
    "translate",
    "waiting_progress",
]
