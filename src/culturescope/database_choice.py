"""Checks of a database file chosen by name (``--db``, ``CULTURESCOPE_DB``, Settings).

A path typed by hand, or one on a network drive that is not connected today, must not
quietly become a new, empty database: the user would see "No campaigns yet" and wonder
where their data went. :func:`check_chosen_file` says what the path names and refuses
what cannot be meant, in one line naming it. The user data folder's own database is not
checked: it is made on first use, as on the very first run. Core module: no Qt, no
SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path

from culturescope import CultureScopeError
from culturescope.paths import sqlite_file

__all__ = ["MissingFolder", "check_chosen_file"]

#: The commands that start a database, as a hint in refusals.
STARTERS = "'demo', 'campaign create' and 'bundle install' start a new one"


class MissingFolder(CultureScopeError):
    """The chosen database's folder does not exist (a drive not connected? a typo?)."""

    def __init__(self, message: str, *, path: Path, source: str) -> None:
        super().__init__(message)
        self.path = path
        self.source = source


def check_chosen_file(chosen: str, *, source: str, may_create: bool) -> Path | None:
    """The file a new database will be made in, or None when there is nothing to make.

    Parameters
    ----------
    chosen : str
        The path or URL as the user gave it.
    source : str
        Where it was given, for messages: ``"--db"``, ``"CULTURESCOPE_DB"``...
    may_create : bool
        Whether the caller starts a new database where there is none (``demo``,
        ``campaign create``, ``bundle install``, the app).

    Returns
    -------
    Path or None
        The file to be made (it does not exist, or is empty) when ``may_create``; None for
        an existing database or a name only a database driver can interpret (a server
        URL, an in-memory or ``file:`` SQLite name).

    Raises
    ------
    MissingFolder
        The file's folder does not exist: nothing is made there, whoever asks.
    CultureScopeError
        The path is a folder; or, when not ``may_create``, there is no file or an empty
        one.
    """
    path = sqlite_file(chosen)
    if path is None:
        return None
    if path.is_dir():
        raise CultureScopeError(f"{path} is a folder, not a database file (check {source})")
    if path.is_file() and path.stat().st_size > 0:
        return None
    empty = path.is_file()
    if not may_create:
        if empty:
            raise CultureScopeError(
                f"{path} is an empty file, not a CultureScope database (check {source}; {STARTERS})"
            )
        raise CultureScopeError(f"no database at {path} (check {source}; {STARTERS})")
    if not path.parent.is_dir():
        raise MissingFolder(
            f"no folder {path.parent} for the database {path.name} (check {source}: a "
            "network drive or disk not connected? To start a new database there, make the "
            "folder first)",
            path=path,
            source=source,
        )
    return path
