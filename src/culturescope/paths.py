"""Where CultureScope finds its shipped files and keeps the user's data."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "CultureScope"


def _shipped_dir(name: str) -> Path:
    """Folder ``name`` (``surveys``, ``resources`` or ``docs``) shipped with the package.

    In a wheel they live in ``culturescope/_data/``; in a source checkout (editable
    install) they are the top-level folders of the repository.
    """
    packaged = Path(str(resources.files("culturescope"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"CultureScope's shipped folder '{name}' is missing: reinstall the app")


def surveys_dir() -> Path:
    """Folder of the shipped instrument files."""
    return _shipped_dir("surveys")


def resources_dir() -> Path:
    """Folder of icons, stylesheets and other shipped resources."""
    return _shipped_dir("resources")


def docs_dir() -> Path:
    """Folder of the user guides (``importing.md``...): ``culturescope docs`` shows them."""
    return _shipped_dir("docs")


def sqlite_file(name: str) -> Path | None:
    """The file a ``--db``/``CULTURESCOPE_DB`` value names, whether it exists or not.

    None for a server database, an in-memory or URI-style SQLite name (``file:``, ``?``
    options): names only a database driver can interpret. Needs no SQLAlchemy.
    """
    if "://" in name:
        prefix = "sqlite:///"
        if not name.startswith(prefix) or "?" in name:
            return None
        name = name[len(prefix) :]
    if not name or name.startswith((":memory:", "file:")):
        return None
    return Path(name).expanduser().resolve()


def data_dir() -> Path:
    """The user's data folder (database, backups, user instruments)."""
    override = os.environ.get("CULTURESCOPE_DATA_DIR")
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The user's configuration folder (settings file)."""
    override = os.environ.get("CULTURESCOPE_CONFIG_DIR")
    path = (
        Path(override)
        if override
        else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_instruments_dir() -> Path:
    """Folder where the user's own instrument files are kept."""
    path = data_dir() / "instruments"
    path.mkdir(parents=True, exist_ok=True)
    return path
