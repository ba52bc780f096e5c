"""Run Qt-free core functions in worker threads and report back on the GUI thread.

Modelled on Orange's ``ConcurrentWidgetMixin`` and Anki's ``QueryOp``: the function gets
plain ``progress(fraction, message)`` and ``is_cancelled()`` callbacks, runs on a
``QThread``, and its result or exception arrives through the :class:`Task` signals,
which are always emitted on the GUI thread.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from culturescope import Cancelled
from culturescope.storage import waiting_progress

#: Progress is forwarded to the GUI at most this often, so a chatty core function
#: cannot flood the event loop.
PROGRESS_INTERVAL = 0.05

_running: weakref.WeakSet[Task] = weakref.WeakSet()
_keep_alive: set[Task] = set()


def running_tasks() -> list[Task]:
    """Tasks whose worker thread has not finished yet."""
    return [t for t in list(_running) if t.is_running()]


class _Thread(QThread):
    """The worker thread: calls the function and hands the outcome back via signals."""

    reported = Signal(float, str)
    succeeded = Signal(object)
    raised = Signal(object)

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, cancel: threading.Event):
        super().__init__()
        self._fn, self._args, self._kwargs, self._cancel = fn, args, kwargs, cancel
        self._last = 0.0

    def _progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.reported.emit(float(fraction), str(message))

    def run(self) -> None:
        try:
            # A wait for another program's write lock shows on this task's progress, and
            # Cancel stops the wait (nothing is written before the lock is taken).
            with waiting_progress(self._progress, is_cancelled=self._cancel.is_set):
                result = self._fn(
                    *self._args,
                    progress=self._progress,
                    is_cancelled=self._cancel.is_set,
                    **self._kwargs,
                )
            if self._cancel.is_set() and not isinstance(result, BaseException):
                # The function finished anyway; the caller asked not to hear about it.
                self.raised.emit(Cancelled("cancelled"))
                return
            self.succeeded.emit(result)
        except BaseException as exc:
            self.raised.emit(exc)


class Task(QObject):
    """One unit of background work.

    Signals (GUI thread): ``progress(fraction, message)``, ``finished(result)``,
    ``failed(exception)`` — a cancelled task fails with :class:`culturescope.Cancelled` —
    and ``done()`` after either.
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str = "",
        cancellable: bool = True,
        parent: QObject | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.cancellable = cancellable
        self.fraction = 0.0
        self.message = ""
        self.outcome: str | None = None  # "finished", "failed" or "cancelled"
        self._cancel = threading.Event()
        self._thread = _Thread(fn, args, kwargs, self._cancel)
        self._thread.reported.connect(self._on_progress)
        self._thread.succeeded.connect(self._on_success)
        self._thread.raised.connect(self._on_error)

    # ---- control ------------------------------------------------------------------
    def start(self) -> Task:
        _running.add(self)
        _keep_alive.add(self)  # a task nobody holds must still deliver its result
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the function to stop; it raises ``Cancelled`` at its next check."""
        if self.cancellable:
            self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning() or (self.outcome is None and _started(self))

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker thread ends (used when closing); True if it ended."""
        if msecs < 0:
            return self._thread.wait()
        return self._thread.wait(msecs)

    # ---- delivery on the GUI thread -------------------------------------------------
    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self.outcome is not None:
            return
        self.fraction, self.message = fraction, message
        self.progress.emit(fraction, message)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        self._thread.wait()
        self.outcome = "finished"
        self.finished.emit(result)
        self._finish()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self._thread.wait()
        self.outcome = "cancelled" if isinstance(exc, Cancelled) else "failed"
        self.failed.emit(exc)
        self._finish()

    def _finish(self) -> None:
        self.done.emit()
        _keep_alive.discard(self)


def _started(task: Task) -> bool:
    return task in _keep_alive
