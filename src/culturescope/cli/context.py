"""What every command gets: the store (opened on first use) and terminal progress."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy and pandas load only when a command opens the store
    from culturescope.storage import Store


class Context:
    def __init__(self, db: str | None = None, *, quiet: bool = False) -> None:
        self.db = db
        self.quiet = quiet
        self._store: Store | None = None
        self._last_draw = 0.0
        self._last_message = ""
        self._started: float | None = None
        self._shown = False
        self._waiting_set = False

    @property
    def store(self) -> Store:
        if self._store is None:
            from culturescope.storage import Store, set_default_waiting_progress

            set_default_waiting_progress(self.progress)
            self._waiting_set = True
            self._store = Store(self.db)
            if self._store.last_backup is not None:
                self.info(f"database upgraded; backup kept at {self._store.last_backup}")
        return self._store

    def close(self) -> None:
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
