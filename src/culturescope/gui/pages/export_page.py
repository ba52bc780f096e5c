"""Export: scorecards (PDF, Excel, PNG/SVG charts), response templates and paper forms.

The work runs in a worker through :meth:`AppState.run_task` (progress and Cancel in the
status area); when it is done the page offers "Open the file" and "Show in folder".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages
from culturescope.gui.state import AppState, FollowsStore
from culturescope.gui.widgets import EmptyState, page_header, tool_button

FORMATS = (
    ("pdf", "PDF scorecard — for the board"),
    ("xlsx", "Excel scorecard — for analysts"),
    ("png", "PNG charts — for slides (a folder)"),
    ("svg", "SVG charts — for editing (a folder)"),
)


def _export(
    store,
    campaign_id,
    fmt,
    path,
    *,
    by_team,
    include_responses,
    signal_settings,
    progress,
    is_cancelled,
):
    from culturescope.reports.export import export_scorecard

    return export_scorecard(
        store,
        campaign_id,
        fmt,
        path,
        by_team=by_team,
        include_responses=include_responses,
        signal_settings=signal_settings,
        progress=progress,
        is_cancelled=is_cancelled,
    )


def _template(store, campaign_id, path, *, progress, is_cancelled):
    from culturescope.reports.template import write_template

    progress(0.1, "Writing the template")
    return write_template(store, campaign_id, path)


def _form(instrument, path, paper, *, progress, is_cancelled):
    from culturescope.reports.form import write_form

    progress(0.1, "Writing the questionnaire")
    return write_form(instrument, path, paper=paper)


class ExportPage(FollowsStore, QWidget):
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.task = None
        self.last_path: Path | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)  # as the other pages
        outer.addWidget(
            page_header(
                self.tr("Export"),
                self.tr(
                    "Scorecards for the board and analysts, charts for slides, and the forms to "
                    "collect responses. Groups below the minimum size never appear with numbers."
                ),
            )
        )
        self.stack = QStackedLayout()
        outer.addLayout(self.stack, 1)
        self.empty = EmptyState(
            "export",
            self.tr("No campaign yet"),
            self.tr("Create a campaign and collect responses; then export its scorecard here."),
        )
        new = self.empty.add_button(tool_button(self.tr("New campaign…"), "add"))
        new.clicked.connect(lambda: self.navigate.emit("new-campaign"))
        self.stack.addWidget(self.empty)
        body = QWidget()
        self.stack.addWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)

        self.campaign_label = QLabel()
        self.campaign_label.setObjectName("pageSubtitle")
        layout.addWidget(self.campaign_label)

        card = QGroupBox(self.tr("Scorecard"))
        card_layout = QVBoxLayout(card)
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for key, label in FORMATS:
            button = QRadioButton(self.tr(label))
            button.setAccessibleName(self.tr(label))
            self.format_group.addButton(button)
            self.format_buttons[key] = button
            card_layout.addWidget(button)
        self.format_buttons["pdf"].setChecked(True)
        self.by_team = QCheckBox(
            self.tr("Add one page per team (teams at or above the minimum size) — PDF only")
        )
        self.by_team.setAccessibleName(self.tr("One page per team"))
        self.responses = QCheckBox(
            self.tr(
                "Add a response sheet: one row per person, without names, ids, dates or "
                "comments (shuffled; team only where shown) — Excel only"
            )
        )
        self.responses.setAccessibleName(self.tr("Include a response sheet"))
        card_layout.addWidget(self.by_team)
        card_layout.addWidget(self.responses)
        self.export_button = tool_button(
            self.tr("Export scorecard…"), "export", name=self.tr("Export scorecard"), primary=True
        )
        self.export_button.clicked.connect(self.export_scorecard)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        # A disabled button says why, next to it.
        self.export_reason = QLabel()
        self.export_reason.setObjectName("reason")
        self.export_reason.setWordWrap(True)
        row.addWidget(self.export_reason, 1)
        row.addStretch(1)
        card_layout.addLayout(row)
        layout.addWidget(card)
        self.format_group.buttonToggled.connect(lambda *_: self._update_options())

        forms = QGroupBox(self.tr("Forms to collect responses"))
        forms_layout = QHBoxLayout(forms)
        self.template_button = QPushButton(self.tr("Excel response template…"))
        self.template_button.setAccessibleName(self.tr("Excel response template"))
        self.template_button.clicked.connect(self.export_template)
        self.form_button = QPushButton(self.tr("Printable questionnaire…"))
        self.form_button.setAccessibleName(self.tr("Printable questionnaire"))
        self.form_button.clicked.connect(self.export_form)
        self.paper = QComboBox()
        self.paper.addItem(self.tr("A4"), "a4")
        self.paper.addItem(self.tr("Letter"), "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        forms_layout.addWidget(self.template_button)
        forms_layout.addWidget(self.form_button)
        forms_layout.addWidget(self.paper)
        forms_layout.addStretch(1)
        layout.addWidget(forms)

        done = QWidget()
        done_layout = QHBoxLayout(done)
        done_layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Export status"))
        self.open_button = QPushButton(self.tr("Open the file"))
        self.open_button.setAccessibleName(self.tr("Open the file"))
        self.open_button.clicked.connect(self.open_result)
        self.folder_button = QPushButton(self.tr("Show in folder"))
        self.folder_button.setAccessibleName(self.tr("Show in folder"))
        self.folder_button.clicked.connect(self.show_folder)
        done_layout.addWidget(self.status, 1)
        done_layout.addWidget(self.open_button)
        done_layout.addWidget(self.folder_button)
        layout.addWidget(done)
        layout.addStretch(1)
        self._show_result(None)
        self._update_options()

        state.campaignChanged.connect(lambda _c: self.refresh())
        self.follow_store()
        self.refresh()

    # ---- state --------------------------------------------------------------------
    def refresh(self) -> None:
        campaign = self.state.current_campaign
        self.stack.setCurrentIndex(0 if campaign is None else 1)
        if campaign is None:
            return
        self.campaign_label.setText(
            self.tr("Campaign: {name} · {n} responses · {inst}").format(
                name=campaign.name,
                n=f"{campaign.response_count:,}",
                inst=self.state.store.instrument(campaign.instrument_key).title,
            )
        )
        self.export_button.setEnabled(campaign.response_count > 0 and self.task is None)
        if campaign.response_count == 0:
            self.export_reason.setText(
                self.tr("Nothing to export yet: {0} has no responses.").format(campaign.name)
            )
        elif self.task is not None:
            self.export_reason.setText(self.tr("An export is being written…"))
        else:
            self.export_reason.setText("")
        self.export_reason.setVisible(bool(self.export_reason.text()))

    def selected_format(self) -> str:
        return next(k for k, b in self.format_buttons.items() if b.isChecked())

    def _update_options(self) -> None:
        fmt = self.selected_format()
        self.by_team.setEnabled(fmt == "pdf")
        self.responses.setEnabled(fmt == "xlsx")

    def _busy(self, busy: bool) -> None:
        for w in (self.export_button, self.template_button, self.form_button):
            w.setEnabled(not busy)
        if not busy:
            self.refresh()

    # ---- choosing where to save (patched in tests) ---------------------------------
    def choose_path(self, kind: str, suggested: str) -> str:
        """A file (pdf/xlsx) or folder (png/svg) chosen by the user; '' if cancelled."""
        if kind in ("png", "svg"):
            return QFileDialog.getExistingDirectory(
                self, self.tr("Folder for the charts"), suggested
            )
        filters = {"pdf": self.tr("PDF (*.pdf)"), "xlsx": self.tr("Excel workbook (*.xlsx)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as"), suggested, filters[kind])
        return path

    def _suggest(self, stem: str, ext: str) -> str:
        safe = (
            "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in stem).strip() or "export"
        )
        return str(Path.home() / (f"{safe}.{ext}" if ext else safe))

    # ---- actions ------------------------------------------------------------------
    def export_scorecard(self) -> None:
        campaign = self.state.current_campaign
        if campaign is None:
            return
        fmt = self.selected_format()
        ext = "" if fmt in ("png", "svg") else fmt
        path = self.choose_path(fmt, self._suggest(f"{campaign.name} scorecard", ext))
        if not path:
            return
        if ext and not path.lower().endswith(f".{ext}"):
            path += f".{ext}"
        self._start(
            _export,
            self.state.store,
            campaign.id,
            fmt,
            path,
            title=self.tr("Exporting the scorecard"),
            by_team=self.by_team.isChecked() and fmt == "pdf",
            include_responses=self.responses.isChecked() and fmt == "xlsx",
            signal_settings=self.state.settings.signal_settings(),
        )

    def export_template(self) -> None:
        campaign = self.state.current_campaign
        if campaign is None:
            return
        path = self.choose_path("xlsx", self._suggest(f"{campaign.name} response template", "xlsx"))
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self._start(
                _template,
                self.state.store,
                campaign.id,
                path,
                title=self.tr("Writing the response template"),
            )

    def export_form(self) -> None:
        campaign = self.state.current_campaign
        if campaign is None:
            return
        instrument = self.state.store.campaign_instrument(campaign.id)
        path = self.choose_path("pdf", self._suggest(f"{instrument.title} questionnaire", "pdf"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self._start(
                _form,
                instrument,
                path,
                self.paper.currentData(),
                title=self.tr("Writing the questionnaire"),
            )

    def _start(self, fn, *args, title: str, **kwargs) -> None:
        self._busy(True)
        self._show_result(None)
        self.status.setText(self.tr("{title}…").format(title=title))
        self.task = self.state.run_task(
            fn, *args, title=title, on_result=self._done, on_error=self._failed, **kwargs
        )

    def _done(self, path) -> None:
        self.task = None
        self._busy(False)
        self._show_result(Path(path))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._busy(False)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Export cancelled; nothing was written."))
            return
        from culturescope.reports.export import TooFewResponses

        if isinstance(exc, TooFewResponses):
            # Nothing to report yet: say so where the user looks, not as a failure to save.
            self.status.setText(self.tr("Nothing was written: {0}").format(messages.describe(exc)))
            next_step = self.tr("Add responses on the Responses page or import them first.")
        else:
            self.status.setText(self.tr("The export failed."))
            next_step = self.tr("Choose another place to save, or try again.")
        messages.error(self, self.tr("Export failed"), messages.describe(exc), next_step)

    def _show_result(self, path: Path | None) -> None:
        self.last_path = path
        self.open_button.setVisible(path is not None)
        self.folder_button.setVisible(path is not None)
        if path is not None:
            self.open_button.setText(
                self.tr("Open the folder") if path.is_dir() else self.tr("Open the file")
            )
            self.status.setText(self.tr("Saved: {path}").format(path=str(path)))

    def open_result(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path)))

    def show_folder(self) -> None:
        if self.last_path is not None:
            folder = self.last_path if self.last_path.is_dir() else self.last_path.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
