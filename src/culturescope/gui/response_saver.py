"""Store a kiosk response or a paper form (or undo one) without blocking the window.

A SQLite database takes one writer at a time: while another CultureScope (an import, a
merge) writes, a change waits for the write lock. :class:`ResponseSaver` runs the write in
a worker thread, reports the wait (``waiting(message)``) so the screen can say what is
happening, and lets the user stop waiting (:meth:`ResponseSaver.stop`) — the wait ends
with nothing written, and the answers stay where they are. Once the lock is taken the
write runs to its end, so a stop never loses a response that was in fact stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from culturescope.storage import Batch, NewResponse, Store, waiting_progress


def guarded_write(
    fn: Callable[..., Any],
    *args: Any,
    stop: threading.Event,
    progress: Callable[[float, str], None],
    is_cancelled: Callable[[], bool],
) -> Any:
    """Worker body: ``fn(*args)``, where ``stop`` ends a wait for the write lock.

    The task's own cancel flag is not used: a task cancelled after its write reports
    "cancelled" although the data is stored, and the respondent would submit twice.
    """
    del is_cancelled  # see above: only ``stop``, which acts before anything is written
    if stop.is_set():
        from culturescope import Cancelled

        raise Cancelled("stopped before saving (nothing was changed)")
    with waiting_progress(progress, is_cancelled=stop.is_set):
        return fn(*args)


def store_responses(
    store: Store, campaign_id: int, responses: Sequence[NewResponse], source: str
) -> Batch:
    """One batch in one transaction: all the responses or none."""
    return store.add_responses(campaign_id, list(responses), source=source)


class ResponseSaver(QObject):
    """Runs one write at a time for a page (the kiosk, the Paper forms page).

    Signals (GUI thread): ``waiting(message)`` while another program holds the write lock.
    The outcome goes to the ``on_result`` / ``on_error`` callbacks given to :meth:`write`;
    ``on_error`` gets :class:`culturescope.Cancelled` when the user stopped waiting.
    Nothing is written in either failure.
    """

    waiting = Signal(str)

    def __init__(self, state, *, source: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.source = source
        self.task = None
        self._stop = threading.Event()

    @property
    def busy(self) -> bool:
        """True from :meth:`write` until its outcome has been delivered."""
        return self.task is not None

    def save(
        self,
        campaign_id: int,
        responses: Sequence[NewResponse],
        *,
        title: str,
        on_result: Callable[[Batch], None],
        on_error: Callable[[BaseException], None],
    ) -> bool:
        """Store ``responses`` as one batch of this saver's source; see :meth:`write`."""
        return self.write(
            store_responses,
            self.state.store,
            campaign_id,
            list(responses),
            self.source,
            title=title,
            on_result=on_result,
            on_error=on_error,
        )

    def write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> bool:
        """Start ``fn(*args)`` in a worker; False (nothing started) while busy."""
        if self.task is not None:
            return False
        self._stop = threading.Event()

        def done(result: Any) -> None:
            self.task = None
            on_result(result)

        def failed(exc: BaseException) -> None:
            self.task = None
            on_error(exc)

        self.task = self.state.run_task(
            guarded_write,
            fn,
            *args,
            stop=self._stop,
            title=title,
            on_result=done,
            on_error=failed,
            cancellable=False,  # see guarded_write: stop() is the safe way to give up
        )
        self.task.progress.connect(self._on_progress)
        return True

    def stop(self) -> None:
        """Stop waiting for the database; a write already under way still finishes."""
        self._stop.set()

    def _on_progress(self, _fraction: float, message: str) -> None:
        if message and self.task is not None:
            self.waiting.emit(message)
