"""Local storage: SQLite by default, any SQLAlchemy URL (PostgreSQL included)."""

from culturescope.storage.database import DatabaseError, default_url, to_url
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
    "DatabaseError",
    "NewResponse",
    "ResponseData",
    "ResponseTable",
    "Store",
    "StoreError",
    "UnknownCampaign",
    "default_url",
    "to_url",
]
