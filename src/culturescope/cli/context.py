"""What every command gets: the store (opened on first use) and terminal progress."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy and pandas load only when a command opens the store
    from culturescope.storage import Store


class Context:
    """The store and progress of one command.

    Parameters
    ----------
    db
        ``--db`` as given; None for ``$CULTURESCOPE_DB`` or the user data folder's database.
    quiet
        No progress on stderr.
    creates_database
        The command may start a new database (``demo``, ``campaign create``...). A command
        that only reads or changes what is stored refuses a database file, named with
        ``--db`` or ``$CULTURESCOPE_DB``, that does not exist or is empty: a mistyped path
        must not show "no campaigns" and leave an empty file behind. No command makes the
        folder of a named file, and a command that started a new file and then failed
        removes it (:meth:`close`). The user data folder's database is made by any
        command, as on the first run (culturescope.database_choice).
    """

    def __init__(
        self, db: str | None = None, *, quiet: bool = False, creates_database: bool = False
    ) -> None:
        self.db = db
        self.quiet = quiet
        self.creates_database = creates_database
        self._store: Store | None = None
        self._last_draw = 0.0
        self._last_message = ""
        self._started: float | None = None
        self._shown = False
        self._waiting_set = False
        #: The database file this command started (it did not exist or was empty).
        self._new_file: Path | None = None
        self._new_file_was_empty = False

    @property
    def store(self) -> Store:
        if self._store is None:
            from culturescope.storage import Store, set_default_waiting_progress

            new_file = self.missing_database_file()
            set_default_waiting_progress(self.progress)
            self._waiting_set = True
            if new_file is not None:
                self._new_file, self._new_file_was_empty = new_file, new_file.exists()
            self._store = Store(self.db)
            if new_file is not None and not self.quiet:
                self.info(f"new database at {new_file}")
            if self._store.last_backup is not None:
                self.info(f"database upgraded; backup kept at {self._store.last_backup}")
        return self._store

    def missing_database_file(self) -> Path | None:
        """The chosen SQLite file if it is to be made now (it does not exist, or is empty).

        Raises CultureScopeError for a folder, a file whose folder does not exist, and a
        missing or empty file when this command may not make one.
        """
        chosen = self.db or os.environ.get("CULTURESCOPE_DB")
        if not chosen:
            return None  # the user data folder's database: made on first use
        from culturescope.database_choice import check_chosen_file

        return check_chosen_file(
            chosen,
            source="--db" if self.db else "CULTURESCOPE_DB",
            may_create=self.creates_database,
        )

    def close(self, *, failed: bool = False) -> None:
        """Close the store; after a failed command, remove the database file it started.

        A command that fails leaves nothing behind: a new file (and SQLite's journal files
        beside it) is removed, a file that was empty is emptied again. Otherwise the next
        command would find an empty database and say "No campaigns yet".
        """
        new_file = self._new_file if failed else None
        self._close()
        if new_file is None:
            return
        removed = _remove_started(new_file, was_empty=self._new_file_was_empty)
        if removed and not self.quiet:
            self.info(f"the new database at {new_file} was removed again (the command failed)")

    def _close(self) -> None:
        if self._waiting_set:  # storage was imported: no import just to undo nothing
            from culturescope.storage import set_default_waiting_progress

            set_default_waiting_progress(None)
            self._waiting_set = False
        if self._store is not None:
            self._store.close()
            self._store = None

    def info(self, message: str) -> None:
        """A notice for the user on stderr (stdout stays clean for --json)."""
        print(message, file=sys.stderr)

    def progress(self, fraction: float, message: str) -> None:
        """Progress callback for long core functions: a one-line bar on stderr."""
        if self.quiet or not sys.stderr:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
        if now - self._started < 0.5 and fraction < 1.0:
            return  # quick work shows no progress at all
        if fraction >= 1.0 and not self._shown:
            return
        self._shown = True
        if not sys.stderr.isatty():
            # Logs and pipes get one line per step instead of a redrawn bar.
            if message != self._last_message:
                self._last_message = message
                # Worded as progress, so that a log never reads "84.0% agreement" as a result.
                print(f"[{fraction * 100:3.0f}% done] {message}", file=sys.stderr)
            return
        if fraction < 1.0 and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        width = 30
        filled = int(round(max(0.0, min(1.0, fraction)) * width))
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction * 100:5.1f}% {message[:40]:<40}"
        )
        sys.stderr.write(line)
        if fraction >= 1.0:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _remove_started(path: Path, *, was_empty: bool) -> bool:
    """Undo the start of a database at ``path`` (see :meth:`Context.close`); True if done."""
    try:
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        if was_empty:
            path.write_bytes(b"")
        else:
            path.unlink(missing_ok=True)
    except OSError:  # e.g. no permission: the file stays, as before
        return False
    return True
