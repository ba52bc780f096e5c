"""Store a kiosk response or a paper form without blocking the window.

A SQLite database takes one writer at a time: while another CultureScope (an import, a
merge) writes, a save waits for the write lock. :class:`ResponseSaver` does the write in a
worker thread, reports the wait (``waiting(message)``) so the screen can say what is
happening, and lets the user stop waiting (:meth:`ResponseSaver.stop`) — the wait ends
with nothing written, and the answers stay where they are. Once the lock is taken the
write runs to its end, so a stop never loses a response that was in fact stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from culturescope.storage import Batch, NewResponse, Store, waiting_progress


def store_responses(
    store: Store,
    campaign_id: int,
    responses: Sequence[NewResponse],
    *,
    source: str,
    stop: threading.Event,
    progress: Callable[[float, str], None],
    is_cancelled: Callable[[], bool],
) -> Batch:
    """Worker body: one batch in one transaction; ``stop`` ends a wait for the lock.

    The task's own cancel flag is not used: a task cancelled after its write reports
    "cancelled" although the response is stored, and the respondent would submit twice.
    """
    del is_cancelled  # see above: only ``stop``, which acts before anything is written
    if stop.is_set():
        from culturescope import Cancelled

        raise Cancelled("stopped before saving (nothing was changed)")
    with waiting_progress(progress, is_cancelled=stop.is_set):
        return store.add_responses(campaign_id, list(responses), source=source)


class ResponseSaver(QObject):
    """Saves responses of one source ("kiosk", "paper") one batch at a time.

    Signals (GUI thread): ``waiting(message)`` while another program holds the write
    lock; ``saved(batch)``; ``failed(exception)`` — :class:`culturescope.Cancelled` when
    the user stopped waiting. Nothing is written in either failure.
    """

    waiting = Signal(str)
    saved = Signal(object)
    failed = Signal(object)

    def __init__(self, state, *, source: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.source = source
        self.task = None
        self._stop = threading.Event()

    @property
    def busy(self) -> bool:
        """True from :meth:`save` until ``saved`` or ``failed`` has been emitted."""
        return self.task is not None

    def save(self, campaign_id: int, responses: Sequence[NewResponse], *, title: str) -> bool:
        """Start saving; False (nothing started) while an earlier save is still running."""
        if self.task is not None:
            return False
        self._stop = threading.Event()
        self.task = self.state.run_task(
            store_responses,
            self.state.store,
            campaign_id,
            list(responses),
            source=self.source,
            stop=self._stop,
            title=title,
            on_result=self._on_saved,
            on_error=self._on_failed,
            cancellable=False,  # see store_responses: stop() is the safe way to give up
        )
        self.task.progress.connect(self._on_progress)
        return True

    def stop(self) -> None:
        """Stop waiting for the database; a write already under way still finishes."""
        self._stop.set()

    def wait(self) -> None:
        """Block until the running save has ended (closing the window)."""
        if self.task is not None:
            self.task.wait()

    def _on_progress(self, _fraction: float, message: str) -> None:
        if message:
            self.waiting.emit(message)

    def _on_saved(self, batch: Batch) -> None:
        self.task = None
        self.saved.emit(batch)

    def _on_failed(self, exc: BaseException) -> None:
        self.task = None
        self.failed.emit(exc)
