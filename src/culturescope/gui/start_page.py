"""The first screen on an empty database: explore the demo, or start a campaign."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from culturescope import Cancelled
from culturescope.gui import messages
from culturescope.gui.state import AppState
from culturescope.gui.style import icon, set_icon


def demo_available() -> bool:
    return importlib.util.find_spec("culturescope.demo") is not None


def _create_demo(store, *, progress, is_cancelled):
    from culturescope.demo import create_demo

    return create_demo(store, progress=progress, is_cancelled=is_cancelled)


class StartPage(QWidget):
    navigate = Signal(str)
    createCampaign = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.task = None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(560)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(12)
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(56, 56))
        title = QLabel(self.tr("Welcome to CultureScope"))
        title.setObjectName("pageTitle")
        text = QLabel(
            self.tr(
                "Measure whether your organisation's safety culture is real or on paper: "
                "run a survey campaign, collect responses on a kiosk laptop, on paper or "
                "from a spreadsheet, and read scores per pillar and team — all offline."
            )
        )
        text.setWordWrap(True)
        text.setObjectName("muted")
        self.demo_button = QPushButton(self.tr("  Explore the demo"))
        set_icon(self.demo_button, "demo", on_primary=True)
        self.demo_button.setObjectName("bigPrimary")
        self.demo_button.setIconSize(QSize(22, 22))
        self.demo_button.setAccessibleName(self.tr("Explore the demo"))
        self.demo_button.setToolTip(
            self.tr("Fill this database with a realistic demo campaign to look around")
        )
        self.demo_button.clicked.connect(self.explore_demo)
        self.campaign_button = QPushButton(self.tr("  Start a campaign"))
        set_icon(self.campaign_button, "campaigns")
        self.campaign_button.setObjectName("big")
        self.campaign_button.setIconSize(QSize(22, 22))
        self.campaign_button.setAccessibleName(self.tr("Start a campaign"))
        self.campaign_button.clicked.connect(self.createCampaign)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(self.tr("Demo progress"))
        self.progress.setTextVisible(False)  # the note below says what is happening
        self.progress.setVisible(False)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        for w in (
            logo,
            title,
            text,
            self.demo_button,
            self.campaign_button,
            self.progress,
            self.note,
        ):
            layout.addWidget(w)
        # Wrapped labels in a fixed-width card: give them the height their text needs, so
        # the layout never squeezes the text or the buttons.
        inner = 560 - 36 - 36
        for label in (text, self.note):
            label.setMinimumHeight(label.heightForWidth(inner) + 4)
        for button in (self.demo_button, self.campaign_button):
            button.setMinimumHeight(button.sizeHint().height() + 6)
        self._note_width = inner
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setTabOrder(self.demo_button, self.campaign_button)

    def refresh(self) -> None:
        available = demo_available()
        busy = self.task is not None
        self.demo_button.setEnabled(available and not busy)
        self.campaign_button.setEnabled(not busy)
        if not available:
            self.note.setText(self.tr("The demo generator is not part of this build."))
        elif not busy:
            self.note.setText(
                self.tr(
                    "The demo adds an example organisation with three campaigns and a policy "
                    "register; delete them later on the Campaigns page."
                )
            )
        self.note.setMinimumHeight(self.note.heightForWidth(self._note_width) + 4)
        self.demo_button.setFocus()

    def explore_demo(self) -> None:
        if self.task is not None or not demo_available():
            return
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.note.setText(self.tr("Creating the demo campaign…"))
        self.task = self.state.run_task(
            _create_demo,
            self.state.store,
            title=self.tr("Creating the demo"),
            on_result=self._demo_done,
            on_error=self._demo_failed,
        )
        self.task.progress.connect(lambda f, _m: self.progress.setValue(int(f * 1000)))
        self.refresh()

    def _demo_done(self, _result) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.state.current_campaign = None
        self.state.notify_data_changed()  # the main window moves on to the dashboard

    def _demo_failed(self, exc: BaseException) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.refresh()
        if isinstance(exc, Cancelled):
            self.note.setText(self.tr("Demo cancelled; nothing was added."))
            return
        messages.error(
            self,
            self.tr("The demo could not be created"),
            messages.describe(exc),
            self.tr("Nothing was added. You can start a campaign of your own instead."),
        )
