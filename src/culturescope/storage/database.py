"""Open the database: resolve its location, create the engine, migrate after a backup.

Alembic is imported only when the schema is not current: opening an up-to-date database
costs one query of its version table, not Alembic's start-up.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from culturescope.paths import data_dir
from culturescope.storage.backups import backup_sqlite, private_file
from culturescope.storage.errors import DatabaseError, install_sqlite_write_queue, translate
from culturescope.storage.schema import MIGRATIONS, schema_head

if TYPE_CHECKING:
    from alembic.config import Config


def default_url() -> str:
    """``CULTURESCOPE_DB`` if set, else the SQLite file in the user's data folder."""
    env = os.environ.get("CULTURESCOPE_DB")
    if env:
        return to_url(env)
    return to_url(str(data_dir() / "culturescope.db"))


def to_url(path_or_url: str) -> str:
    """A SQLAlchemy URL from a file path or URL (``--db``)."""
    if "://" in path_or_url:
        try:
            make_url(path_or_url)
        except (ArgumentError, ValueError):
            shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", path_or_url)  # no password
            raise DatabaseError(f"'{shown}' is not a valid database URL") from None
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser().resolve()}"


def shown_url(url: str) -> str:
    """``url`` as it may be shown to the user: any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for a server database or an in-memory one."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def create_db_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and not str(path).startswith("file:"):  # not a sqlite URI
            path.parent.mkdir(parents=True, exist_ok=True)
            private_file(path)
        # hide_parameters: an error's text never carries the values (keys, answers) it wrote.
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        install_sqlite_write_queue(engine, timeout_ms=30_000)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            f"the database driver for '{u.get_backend_name()}' is not installed ({exc.name}); "
            "install CultureScope with the 'postgres' extra"
        ) from None


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest schema revision, as Alembic computes it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    """The revision in the version table, or None when it cannot be read cheaply (a new
    database, or any error: the full check then reports it properly)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def migrate(engine: Engine) -> Path | None:
    """Bring the schema to the newest revision; back the SQLite file up first if it has data.

    Returns the backup's path, or None when no backup was needed.
    """
    quick_head = schema_head()
    if quick_head is not None and _stored_revision(engine) == quick_head:
        return None
    from alembic import command

    head = head_revision()
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise translate(exc, action="opening the database") from None
    if current == head:
        return None
    backup = None
    path = sqlite_path(str(engine.url))
    if path is not None and path.exists() and path.stat().st_size > 0 and current is not None:
        backup = backup_sqlite(path, reason=f"before-migration-{head}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup
