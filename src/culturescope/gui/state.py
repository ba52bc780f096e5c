"""What every page shares: the store, the settings, the current campaign, and tasks."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from culturescope import Cancelled
from culturescope.gui.workers import Task, running_tasks
from culturescope.settings import Settings, load_settings, save_settings
from culturescope.storage import Campaign, DataChange, Store, UnknownCampaign

T = TypeVar("T")

#: How many computed results (scorecards, signal counts...) the app keeps for reuse.
RESULTS_KEPT = 24


class AppState(QObject):
    """The app's shared model. Pages read it and listen to its signals.

    ``campaignChanged(campaign_or_None)`` when the header's campaign changes;
    ``dataChanged()`` after any write (pages refresh); ``storeChanged(DataChange)`` when a
    store write has committed, on the GUI thread whichever thread wrote;
    ``taskStarted(task)`` for the main window's status area; ``taskError(title, exception)``
    for failures no page handles.

    Results computed from a campaign's data are shared through :meth:`result` /
    :meth:`keep_result`, keyed by :meth:`result_key` on the store's data version of that
    campaign: a page never builds its own cache key, and no page shows numbers from
    before a write.
    """

    campaignChanged = Signal(object)
    dataChanged = Signal()
    storeChanged = Signal(object)
    taskStarted = Signal(object)
    taskError = Signal(str, object)

    def __init__(
        self, store: Store, settings: Settings | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else load_settings()
        self.current_campaign: Campaign | None = None
        self.tasks: list[Task] = []
        #: Goes up at every notify_data_changed() (writes and settings that change results).
        self.data_version = 0
        self._results: OrderedDict[tuple, Any] = OrderedDict()
        # Called on the writing thread; the signal delivers it on the GUI thread.
        unsubscribe = store.subscribe(self.storeChanged.emit)
        self.destroyed.connect(lambda *_: unsubscribe())

    # ---- campaign -----------------------------------------------------------------
    def set_campaign(self, campaign: Campaign | None) -> None:
        """Make ``campaign`` current (None for none) and tell the pages."""
        same = (campaign is None and self.current_campaign is None) or (
            campaign is not None
            and self.current_campaign is not None
            and campaign.id == self.current_campaign.id
        )
        self.current_campaign = campaign
        if not same:
            self.campaignChanged.emit(campaign)

    def reload_campaign(self) -> None:
        """Re-read the current campaign (after a write), or pick one when none is set."""
        current = self.current_campaign
        campaign = None
        if current is not None:
            try:
                campaign = self.store.campaign(current.id)
            except UnknownCampaign:
                campaign = None
        if campaign is None:
            campaign = default_campaign(self.store.campaigns())
        changed = (campaign is None) != (current is None) or (
            campaign is not None and current is not None and campaign.id != current.id
        )
        self.current_campaign = campaign
        if changed:
            self.campaignChanged.emit(campaign)

    def notify_data_changed(self) -> None:
        """Call after any write: refreshes the current campaign and every page."""
        self.data_version += 1
        self.reload_campaign()
        self.dataChanged.emit()

    # ---- shared results -------------------------------------------------------------
    def result_key(self, kind: str, campaign: Campaign, *args: Hashable) -> tuple:
        """The key of the result ``kind`` computed from ``campaign`` with ``args``.

        It holds the store's data version of the campaign and of its previous campaign
        (trends read both), so a write to either gives a new key. ``args`` are whatever
        else the result depends on (a breakdown, the signal thresholds…).
        """
        return (kind, campaign.id, id(self.store), self._version(campaign), args)

    def _version(self, campaign: Campaign) -> int:
        return max(self.store.version_of(i) for i in _read_by(campaign))

    def write_keeping(
        self, campaign: Campaign, kinds: Collection[str], write: Callable[[], T]
    ) -> T:
        """Run ``write``, a write to ``campaign`` that cannot change its results of
        ``kinds`` (a note on a signal changes no score), and keep those results under
        the campaign's new data version. When another write came in between (the store's
        version went up by more than one), nothing is kept: the next look computes anew.
        """
        old = self._version(campaign)
        before = self.store.data_version
        value = write()
        if self.store.data_version == before + 1:
            new = self._version(campaign)
            for key, kept in list(self._results.items()):
                kind, cid, store_id, version, args = key
                ours = cid == campaign.id and store_id == id(self.store)
                if ours and kind in kinds and version == old:
                    self.keep_result((kind, cid, store_id, new, args), kept)
        return value

    def affects_current(self, change: DataChange) -> bool:
        """True when ``change`` may change a result of the current campaign (its own data
        or its previous campaign's, as in :meth:`result_key`)."""
        c = self.current_campaign
        return c is None or any(change.affects(i) for i in _read_by(c))

    def result(self, key: tuple) -> Any | None:
        """The result kept under ``key`` (see :meth:`result_key`), or None."""
        if key in self._results:
            self._results.move_to_end(key)
            return self._results[key]
        return None

    def keep_result(self, key: tuple, value: Any) -> None:
        """Keep ``value`` for every page; the least recently used results make way."""
        self._results[key] = value
        self._results.move_to_end(key)
        while len(self._results) > RESULTS_KEPT:
            self._results.popitem(last=False)

    def forget_results(self) -> None:
        """Drop every kept result (e.g. "Score again")."""
        self._results.clear()

    def save_settings(self) -> None:
        save_settings(self.settings)

    # ---- background work ----------------------------------------------------------
    def run_task(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, progress=..., is_cancelled=..., **kwargs)`` in a worker thread.

        ``on_result(value)`` or ``on_error(exception)`` is called on the GUI thread. A
        cancelled task reports :class:`culturescope.Cancelled` to ``on_error``; without
        ``on_error``, failures other than cancelling are shown by the main window.
        """
        task = Task(fn, *args, title=title, cancellable=cancellable, parent=self, **kwargs)
        task.finished.connect(on_result)

        def failed(exc: BaseException) -> None:
            if on_error is not None:
                on_error(exc)
            elif not isinstance(exc, Cancelled):
                self.taskError.emit(title, exc)

        task.failed.connect(failed)
        task.done.connect(lambda: self._forget(task))
        self.tasks.append(task)
        task.start()
        self.taskStarted.emit(task)
        return task

    def run_write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        refused: Callable[[BaseException], None],
        done: Callable[[Any], None] | None = None,
    ) -> Task:
        """Run the store write ``fn(store, *args)`` in a worker, so that a busy database
        never freezes the window (the wait shows in the status bar).

        Then ``done(result)`` (if given) and every page is told (:meth:`notify_data_changed`);
        a refusal or a database error goes to ``refused(exception)`` — nothing was changed.
        Not cancellable: a write stopped after it committed would be reported as undone.
        """

        def finished(result: Any) -> None:
            if done is not None:
                done(result)
            self.notify_data_changed()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, Cancelled):
                refused(exc)

        return self.run_task(
            fn,
            self.store,
            *args,
            title=title,
            on_result=finished,
            on_error=failed,
            cancellable=False,
        )

    def _forget(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        task.deleteLater()

    def running(self) -> list[Task]:
        return [t for t in self.tasks if t in running_tasks()]

    def cancel_all(self, *, wait: bool = True) -> None:
        """Cancel every task; with ``wait``, block until their threads have ended."""
        for task in list(self.tasks):
            task.cancel()
        if wait:
            for task in list(self.tasks):
                task.wait()


def _read_by(campaign: Campaign) -> list[int]:
    """The campaigns whose data a result of ``campaign`` reads: itself and its previous."""
    if campaign.previous_campaign_id is None:
        return [campaign.id]
    return [campaign.id, campaign.previous_campaign_id]


class SerialWrites:
    """One store write at a time for a page: :meth:`AppState.run_write` in a worker, the
    running task in :attr:`task` (the page keeps its other write buttons off meanwhile),
    and ``on_change()`` called when a write starts and when it ends, so the page can
    update those buttons."""

    def __init__(self, state: AppState, on_change: Callable[[], None]) -> None:
        self.state = state
        self.task: Task | None = None
        self._on_change = on_change

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        refused: Callable[[BaseException], None],
        done: Callable[[Any], None] | None = None,
    ) -> Task:
        """Start the write ``fn(store, *args)``; then ``done(result)`` or ``refused(exc)``."""

        def finished(result: Any) -> None:
            self._end(task)
            if done is not None:
                done(result)

        def failed(exc: BaseException) -> None:
            self._end(task)
            refused(exc)

        task = self.state.run_write(fn, *args, title=title, refused=failed, done=finished)
        self.task = task
        self._on_change()
        return task

    def _end(self, task: Task) -> None:
        if task is self.task:
            self.task = None
        self._on_change()


class FollowsStore:
    """For a page that shows results of the current campaign: :meth:`follow_store` makes
    it ``refresh()`` after a committed store write that may change them, while it is
    visible (a hidden page refreshes when it is shown). Its ``refresh`` looks its
    results up by :meth:`AppState.result_key`, so a refresh after an unrelated write or
    a second one after the same write costs nothing.
    """

    state: AppState

    def follow_store(self) -> None:
        # Queued: a write made on the GUI thread finishes (and its page takes note of
        # what it wrote) before the pages hear of it.
        self.state.storeChanged.connect(self._store_changed, Qt.ConnectionType.QueuedConnection)

    def _store_changed(self, change: DataChange) -> None:
        if self.isVisible() and self.state.affects_current(change):  # type: ignore[attr-defined]
            self.refresh()  # type: ignore[attr-defined]


def default_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The campaign to show first: the open one with the most responses, newest on ties."""
    if not campaigns:
        return None
    return max(
        enumerate(campaigns),
        key=lambda nc: (nc[1].status == "open", nc[1].response_count, nc[0]),
    )[1]


def enough_data(campaign: Campaign) -> bool:
    """True when a campaign has responses enough for "no signals" to mean something.

    Below the minimum group size nothing can be shown, so an empty result says nothing
    either way: pages show a neutral "not enough responses" state, never an all-clear.
    """
    return campaign.response_count >= max(1, campaign.min_group_size)
