"""The lead's workspace: header with the campaign selector, sidebar, pages, task status."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages, theme
from culturescope.gui.pages import DEFAULT_PAGE, PageSpec, available_pages
from culturescope.gui.state import AppState
from culturescope.gui.style import icon, retheme_icons, set_icon
from culturescope.gui.workers import Task
from culturescope.paths import config_dir

START_PAGE = "start"
NEW_CAMPAIGN = "new-campaign"  # what pages ask for to open the new-campaign dialog
EDIT_CAMPAIGN = "edit-campaign"  # ... and the current campaign's settings dialog


def window_settings() -> QSettings:
    """Window geometry and other view state, kept beside the app's settings file."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


class _BrokenPage(QWidget):
    """Stands in for a page whose module failed to load, so the rest of the app works."""

    def __init__(self, title: str, exc: BaseException, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("The {0} page could not be opened").format(title))
        heading.setObjectName("emptyTitle")
        detail = QLabel("".join(traceback.format_exception_only(type(exc), exc)).strip())
        detail.setWordWrap(True)
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(self.tr("The other pages work. Please report this message."))
        hint.setObjectName("muted")
        for w in (heading, detail, hint):
            layout.addWidget(w)
        layout.addStretch(1)

    def refresh(self) -> None:
        pass


def _focus_first_child(page: QWidget) -> None:
    """Give focus to the first widget of ``page`` that takes it by Tab (or to the page)."""
    candidate = page.nextInFocusChain()
    while candidate is not None and candidate is not page:
        if (
            page.isAncestorOf(candidate)
            and candidate.isVisible()
            and candidate.isEnabled()
            and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            candidate.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        candidate = candidate.nextInFocusChain()
    page.setFocus(Qt.FocusReason.OtherFocusReason)


class TaskStatus(QWidget):
    """Progress bar and Cancel button for the running tasks, in the status bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks: list[Task] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(self.tr("Task progress"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        set_icon(self.cancel_button, "cancel")
        self.cancel_button.setAccessibleName(self.tr("Cancel the running task"))
        self.cancel_button.clicked.connect(self.cancel_current)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    @property
    def current(self) -> Task | None:
        return self.tasks[-1] if self.tasks else None

    def add(self, task: Task) -> None:
        self.tasks.append(task)
        task.progress.connect(self._update)
        task.done.connect(lambda: self._remove(task))
        self._update()

    def cancel_current(self) -> None:
        task = self.current
        if task is not None:
            task.cancel()
            self.label.setText(self.tr("Cancelling {0}…").format(task.title))
            self.cancel_button.setEnabled(False)

    def _remove(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        self._update()

    def _update(self, *_args) -> None:
        task = self.current
        self.setVisible(task is not None)
        if task is None:
            return
        more = len(self.tasks) - 1
        text = task.title + (f" — {task.message}" if task.message else "")
        if more:
            text += self.tr(" (+{0} more)").format(more)
        if task.cancel_requested:
            text = self.tr("Cancelling {0}…").format(task.title)
        self.label.setText(text)
        self.bar.setValue(int(max(0.0, min(1.0, task.fraction)) * 1000))
        self.cancel_button.setEnabled(task.cancellable and not task.cancel_requested)


class MainWindow(QMainWindow):
    """Sidebar navigation over the pages in ``culturescope.gui.pages.PAGES``."""

    pageShown = Signal(str)

    def __init__(self, state: AppState, *, remember_geometry: bool = True):
        super().__init__()
        self.state = state
        self.remember_geometry = remember_geometry
        self.specs: list[PageSpec] = available_pages()
        self.pages: dict[str, QWidget] = {}
        self.current_key: str | None = None
        self._switching = False
        self.setWindowTitle(self.tr("CultureScope"))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(960, 600))

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_header())
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(self.tr("Pages"))
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(max(190, self.fontMetrics().horizontalAdvance("M") * 15))
        self._fill_sidebar()
        # Selection, not the current row: focus arriving in the list (Tab, or a hidden page
        # handing focus on) makes the first row current without selecting it, and must not
        # switch pages behind the user's back.
        self.sidebar.itemSelectionChanged.connect(self._on_sidebar)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        status = QStatusBar()
        self.task_status = TaskStatus()
        status.addPermanentWidget(self.task_status)
        self.setStatusBar(status)

        for n, spec in enumerate(self.specs[:10]):
            sc = QShortcut(QKeySequence(f"Ctrl+{(n + 1) % 10}"), self)
            sc.activated.connect(lambda key=spec.key: self.show_page(key))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh_current)
        QShortcut(QKeySequence("Ctrl+L"), self, self.campaign_box.setFocus)

        state.taskStarted.connect(self._on_task_started)
        state.taskError.connect(self._on_task_error)
        state.campaignChanged.connect(self._on_campaign_changed)
        state.dataChanged.connect(self._on_data_changed)

        self._fill_campaigns()
        if remember_geometry:
            geometry = window_settings().value("main/geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
            else:
                self.resize(1280, 800)
        theme.notifier().changed.connect(self._on_theme)
        if not state.store.campaigns():
            self.show_page(START_PAGE)
        else:
            self.show_page(self._default_page())

    def _default_page(self) -> str:
        keys = [s.key for s in self.specs]
        if DEFAULT_PAGE in keys:
            return DEFAULT_PAGE
        return keys[0] if keys else START_PAGE

    # ---- sidebar ------------------------------------------------------------------
    def _fill_sidebar(self) -> None:
        """Pages under their group headings (Set up, Collect, Results), Settings last."""
        sidebar = self.sidebar
        sidebar.clear()
        self._rows: dict[str, int] = {}
        group = None
        for n, spec in enumerate(self.specs):
            if spec.group != group and (spec.group or n > 0):
                group = spec.group
                if n > 0:  # a little space between the groups
                    gap = QListWidgetItem("")
                    gap.setFlags(Qt.ItemFlag.NoItemFlags)
                    gap.setSizeHint(QSize(0, self.fontMetrics().height() // 2))
                    gap.setData(Qt.ItemDataRole.UserRole, None)
                    sidebar.addItem(gap)
                if group:
                    heading = QListWidgetItem(self.tr(group))
                    # Shown but not selectable: arrows pass over it, Enter does nothing.
                    heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = heading.font()
                    font.setBold(True)
                    font.setPointSizeF(max(1.0, font.pointSizeF() * 0.9))
                    heading.setFont(font)
                    # room below the text, so the next entry's highlight never covers it
                    heading.setSizeHint(QSize(0, self.fontMetrics().height() + 14))
                    heading.setData(Qt.ItemDataRole.UserRole, None)
                    heading.setData(
                        Qt.ItemDataRole.AccessibleTextRole, self.tr("{0}:").format(group)
                    )
                    sidebar.addItem(heading)
            item = QListWidgetItem(icon(spec.icon), self.tr(spec.title))
            # The row's height set here: the view lays rows out before the stylesheet's
            # padding reaches it, and a selected row's highlight then covers its neighbours.
            item.setSizeHint(QSize(0, max(self.fontMetrics().height(), 20) + 16))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            shortcut = f"Ctrl+{(n + 1) % 10}" if n < 10 else ""
            item.setToolTip(f"{self.tr(spec.title)} ({shortcut})" if shortcut else spec.title)
            self._rows[spec.key] = sidebar.count()
            sidebar.addItem(item)
        self._colour_headings()

    def _colour_headings(self) -> None:
        muted = QColor(theme.colour("muted"))
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) is None:
                item.setForeground(muted)

    def sidebar_row(self, key: str) -> int:
        """The sidebar row of page ``key`` (-1 when it has none, e.g. the start screen)."""
        return self._rows.get(key, -1)

    def _on_theme(self, _tokens) -> None:
        """Re-draw what a stylesheet cannot reach: item colours and the icons."""
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            spec = next((s for s in self.specs if s.key == key), None)
            if spec is not None:
                item.setIcon(icon(spec.icon))
        self._colour_headings()
        retheme_icons(self)
        for widget in self.pages.values():
            hook = getattr(widget, "theme_changed", None)
            if hook is not None:
                hook()

    # ---- header -------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        row.setContentsMargins(14, 8, 14, 8)
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(28, 28))
        title = QLabel(self.tr("CultureScope"))
        title.setObjectName("appTitle")
        row.addWidget(logo)
        row.addWidget(title)
        row.addStretch(1)
        label = QLabel(self.tr("&Campaign:"))
        self.campaign_box = QComboBox()
        self.campaign_box.setMinimumWidth(260)
        self.campaign_box.setAccessibleName(self.tr("Current campaign"))
        self.campaign_box.setToolTip(self.tr("The campaign every page shows (Ctrl+L)"))
        label.setBuddy(self.campaign_box)
        self.campaign_box.activated.connect(self._on_campaign_chosen)
        row.addWidget(label)
        row.addWidget(self.campaign_box)
        return header

    def _fill_campaigns(self) -> None:
        state = self.state
        if state.current_campaign is None:
            state.reload_campaign()
        campaigns = state.store.campaigns()
        box = self.campaign_box
        box.blockSignals(True)
        box.clear()
        for c in campaigns:
            suffix = self.tr(" (closed)") if c.status == "closed" else ""
            box.addItem(f"{c.name}{suffix}", c.id)
        if not campaigns:
            box.addItem(self.tr("No campaign yet"), None)
        current = state.current_campaign
        if current is not None:
            index = box.findData(current.id)
            if index >= 0:
                box.setCurrentIndex(index)
        box.setEnabled(bool(campaigns))
        box.blockSignals(False)

    def _on_campaign_chosen(self, index: int) -> None:
        cid = self.campaign_box.itemData(index)
        if cid is None:
            return
        self.state.set_campaign(self.state.store.campaign(int(cid)))

    # ---- pages --------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget for ``key``, built on first use."""
        if key not in self.pages:
            if key == START_PAGE:
                from culturescope.gui.start_page import StartPage

                widget: QWidget = StartPage(self.state, self)
                widget.createCampaign.connect(self._create_campaign)
            else:
                spec = next((s for s in self.specs if s.key == key), None)
                if spec is None:
                    known = ", ".join([START_PAGE, *(s.key for s in self.specs)])
                    raise KeyError(f"no page '{key}' (pages: {known})")
                try:
                    widget = spec.load()(self.state, self)
                except Exception as exc:  # a broken page must not take the app down
                    widget = _BrokenPage(self.tr(spec.title), exc, self)
                if hasattr(widget, "navigate"):
                    widget.navigate.connect(self.navigate)
            widget.setObjectName(widget.objectName() or "page")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        widget = self.page(key)
        old = self.stack.currentWidget()
        focus = QApplication.focusWidget()
        had_focus = old is not None and focus is not None and old.isAncestorOf(focus)
        self.current_key = key
        row = self.sidebar_row(key)
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(row)
        if row < 0:
            self.sidebar.clearSelection()
        self.sidebar.blockSignals(False)
        self._switching = True
        try:
            self.stack.setCurrentWidget(widget)
            if had_focus:
                # The focused widget was just hidden: Qt would hand focus to the next one
                # in the window (the sidebar). Keep the keyboard user on the page.
                _focus_first_child(widget)
        finally:
            self._switching = False
        self._refresh(widget)
        self.pageShown.emit(key)
        return widget

    def navigate(self, target: str) -> None:
        """Go where a page's action points: a page key, ``"new-campaign"`` or
        ``"edit-campaign"`` (the current campaign's settings)."""
        if target == NEW_CAMPAIGN:
            self._create_campaign()
        elif target == EDIT_CAMPAIGN:
            page = self.show_page("campaigns")
            edit = getattr(page, "edit_campaign", None)
            if edit is not None and self.state.current_campaign is not None:
                edit(self.state.current_campaign)
        else:
            self.show_page(target)

    def _create_campaign(self) -> None:
        page = self.show_page("campaigns")
        create = getattr(page, "create_campaign", None)
        if create is not None:
            create()

    def _on_sidebar(self) -> None:
        if self._switching:
            return
        selected = self.sidebar.selectedItems()
        if not selected:
            return
        key = selected[0].data(Qt.ItemDataRole.UserRole)
        if key != self.current_key:
            self.show_page(key)

    def refresh_current(self) -> None:
        if self.current_key is not None:
            self._refresh(self.pages[self.current_key])

    def _refresh(self, widget: QWidget) -> None:
        refresh = getattr(widget, "refresh", None)
        if refresh is None:
            return
        try:
            refresh()
        except Exception as exc:
            messages.error(
                self,
                self.tr("Could not show this page"),
                messages.describe(exc),
                self.tr("Try another campaign, or restart the app if this keeps happening."),
            )

    def _on_campaign_changed(self, _campaign) -> None:
        self._fill_campaigns()
        self.refresh_current()

    def _on_data_changed(self) -> None:
        self._fill_campaigns()
        if self.current_key == START_PAGE and self.state.store.campaigns() and self.specs:
            self.show_page(self._default_page())
        else:
            self.refresh_current()

    # ---- tasks --------------------------------------------------------------------
    def _on_task_started(self, task: Task) -> None:
        self.task_status.add(task)
        task.done.connect(lambda: self._on_task_done(task))

    def _on_task_done(self, task: Task) -> None:
        if task.outcome == "cancelled":
            self.statusBar().showMessage(self.tr("{0}: cancelled").format(task.title), 5000)
        elif task.outcome == "finished":
            self.statusBar().showMessage(self.tr("{0}: done").format(task.title), 5000)

    def _on_task_error(self, title: str, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        messages.error(
            self,
            self.tr("{0} failed").format(title),
            messages.describe(exc),
            self.tr("Nothing was changed. Correct the cause above and try again."),
        )

    # ---- closing ------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        running = self.state.running()
        if running:
            names = ", ".join(t.title for t in running)
            if not messages.confirm(
                self,
                self.tr("Work in progress"),
                self.tr("{0} is still running. Cancel it and close?").format(names),
                action=self.tr("Cancel and close"),
            ):
                event.ignore()
                return
            self.statusBar().showMessage(self.tr("Cancelling running work…"))
            self.state.cancel_all(wait=True)
        for widget in self.pages.values():
            close = getattr(widget, "shutdown", None)
            if close is not None:
                close()
        if self.remember_geometry:
            window_settings().setValue("main/geometry", self.saveGeometry())
        event.accept()
