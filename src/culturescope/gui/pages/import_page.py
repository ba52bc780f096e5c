"""Import wizard: file → sheet → mapping preview with every problem → import → summary.

Reading, checking and storing run in workers (``culturescope.importing``); nothing is
stored if the user cancels or any error remains.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages, theme
from culturescope.gui.pages.import_values import ValueMappingPanel
from culturescope.gui.state import AppState
from culturescope.gui.style import set_picture
from culturescope.gui.widgets import EmptyState, page_header, tool_button

if TYPE_CHECKING:  # the importer pulls in pandas: loaded only when a file is chosen
    from culturescope.importing import ImportPlan

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".zip"}
STEPS = ("Choose a file", "Sheet", "Check the mapping", "Import", "Done")

#: Row colours (theme tokens) of the mapping table by what a column becomes.
KIND_COLOURS = {
    "item": "good_soft",
    "demographic": "good_soft",
    "comment": "good_soft",
    "metadata": "surface_alt",
    "identifying": "warn_soft",
    "ignored": "surface_alt",
    "unmatched": "bad_soft",
}


def _preview(
    store, campaign_id: int, path: str, sheet: str | None, options: dict, *, progress, is_cancelled
):
    from culturescope.importing import import_file

    return import_file(
        store,
        campaign_id,
        path,
        sheet=sheet,
        dry_run=True,
        progress=progress,
        is_cancelled=is_cancelled,
        **options,
    )


def _import(
    store, campaign_id: int, path: str, sheet: str | None, options: dict, *, progress, is_cancelled
):
    from culturescope.importing import import_file

    return import_file(
        store,
        campaign_id,
        path,
        sheet=sheet,
        progress=progress,
        is_cancelled=is_cancelled,
        **options,
    )


class DropArea(QFrame):
    """A large target for dropping a spreadsheet, with a button for the keyboard."""

    fileDropped = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setAcceptDrops(True)
        self.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        picture = QLabel()
        set_picture(picture, "import", 48)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(self.tr("Drop a spreadsheet here"))
        text.setObjectName("emptyTitle")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            self.tr(
                "Excel (.xlsx, .xlsm), OpenDocument (.ods) or CSV — including Microsoft Forms "
                "and Google Forms exports and filled CultureScope templates."
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = tool_button(self.tr("&Choose file…"), "open", primary=True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        for w in (picture, text, hint):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.fileDropped.emit(path)


def _dropped_file(event) -> str | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        return urls[0].toLocalFile()
    return None


def _delete_batch(store, batch_id: int, *, progress, is_cancelled) -> int:
    progress(0.0, "deleting the imported responses")
    return store.delete_batch(batch_id)


class ImportPage(QWidget):
    """The import wizard, on the current campaign."""

    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.path: str | None = None
        self.sheets: list[str] = []
        self.report = None  # the dry-run ImportReport shown in the preview
        self.result = None  # the ImportReport of the import
        self.task = None
        #: Answer values mapped by the user (key -> value -> target), see import_values.
        self.values: dict[str, dict[str, str]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            page_header(
                self.tr("Import responses"),
                self.tr(
                    "Nothing is stored until you press Import, and nothing at all if a "
                    "problem remains."
                ),
            )
        )
        self.steps_label = QLabel()
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.steps_label)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        # -- no campaign --
        self.no_campaign = EmptyState(
            "campaigns",
            self.tr("No campaign to import into"),
            self.tr("Create a campaign first: imported responses belong to a campaign."),
        )
        go = tool_button(self.tr("Go to Campaigns"), "campaigns")
        go.clicked.connect(lambda: self.navigate.emit("campaigns"))
        self.no_campaign.add_button(go)
        self.stack.addWidget(self.no_campaign)

        # -- step 1: file --
        step = QWidget()
        lay = QVBoxLayout(step)
        self.target_label = QLabel()
        lay.addWidget(self.target_label)
        self.drop = DropArea()
        self.drop.button.clicked.connect(self._ask_file)
        self.drop.fileDropped.connect(self.choose_file)
        lay.addWidget(self.drop, 1)
        self.file_problem = QLabel()
        self.file_problem.setObjectName("error")
        self.file_problem.setWordWrap(True)
        lay.addWidget(self.file_problem)
        self.step_file = step
        self.stack.addWidget(step)

        # -- step 2: sheet --
        step = QWidget()
        lay = QVBoxLayout(step)
        self.sheet_intro = QLabel()
        self.sheet_intro.setWordWrap(True)
        self.sheet_box = QComboBox()
        self.sheet_box.setAccessibleName(self.tr("Worksheet"))
        self.sheet_box.setMinimumWidth(300)
        lay.addWidget(self.sheet_intro)
        lay.addWidget(self.sheet_box, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        lay.addLayout(self._nav(self._back_to_file, self.tr("&Check the mapping"), self.preview))
        self.step_sheet = step
        self.stack.addWidget(step)

        # -- step 3: preview --
        step = QWidget()
        lay = QVBoxLayout(step)
        self.preview_summary = QLabel()
        self.preview_summary.setWordWrap(True)
        self.preview_summary.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.preview_summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.columns_table = self._table(
            [self.tr("Col"), self.tr("Header in the file"), self.tr("Becomes")],
            self.tr("Column mapping"),
        )
        self.problems_table = self._table(
            [self.tr("Severity"), self.tr("Row"), self.tr("Column"), self.tr("Problem")],
            self.tr("Problems"),
        )
        split.addWidget(self._titled(self.tr("Columns"), self.columns_table))
        self.problems_box = self._titled(self.tr("Problems"), self.problems_table)
        split.addWidget(self.problems_box)
        self.values_panel = ValueMappingPanel()
        self.values_panel.applied.connect(self._apply_values)
        split.addWidget(self.values_panel)
        self.preview_split = split
        lay.addWidget(split, 1)
        self.skip_box = QCheckBox(
            self.tr("&Skip rows with unusable answers (they are saved to a .rejected.xlsx file)")
        )
        self.skip_box.setToolTip(
            self.tr(
                "Store the rows that can be read and write every other row, unchanged and "
                "with the reasons, to <name>.rejected.xlsx next to the file"
            )
        )
        self.skip_box.toggled.connect(lambda _: self.preview())
        options = QHBoxLayout()
        options.addWidget(self.skip_box)
        options.addStretch(1)
        dates_label = QLabel(self.tr("&Dates like 03/02/2026 are:"))
        self.dates_box = QComboBox()
        self.dates_box.addItem(self.tr("decided from the file"), None)
        self.dates_box.addItem(self.tr("day first (3 February)"), "day-first")
        self.dates_box.addItem(self.tr("month first (March 2)"), "month-first")
        self.dates_box.setAccessibleName(self.tr("Order of day and month in dates"))
        dates_label.setBuddy(self.dates_box)
        self.dates_box.currentIndexChanged.connect(lambda _: self.preview())
        options.addWidget(dates_label)
        options.addWidget(self.dates_box)
        lay.addLayout(options)
        self.import_button = tool_button(self.tr("&Import"), "import", primary=True)
        lay.addLayout(self._nav(self._back_from_preview, "", None, extra=self.import_button))
        self.import_button.clicked.connect(self.start_import)
        self.step_preview = step
        self.stack.addWidget(step)

        # -- step 4: working (preview or import) --
        step = QWidget()
        lay = QVBoxLayout(step)
        lay.addStretch(1)
        self.work_label = QLabel()
        self.work_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.work_bar = QProgressBar()
        self.work_bar.setRange(0, 1000)
        self.work_bar.setAccessibleName(self.tr("Import progress"))
        # Text drawn on the bar would sit half on the fill: it goes in a label below.
        self.work_bar.setTextVisible(False)
        self.work_detail = QLabel()
        self.work_detail.setObjectName("muted")
        self.work_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.work_cancel = tool_button(self.tr("Cancel"), "cancel")
        self.work_cancel.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.work_cancel)
        row.addStretch(1)
        lay.addWidget(self.work_label)
        lay.addWidget(self.work_bar)
        lay.addWidget(self.work_detail)
        lay.addLayout(row)
        lay.addStretch(2)
        self.step_work = step
        self.stack.addWidget(step)

        # -- step 5: summary --
        step = QWidget()
        lay = QVBoxLayout(step)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        lay.addStretch(1)
        row = QHBoxLayout()
        again = tool_button(self.tr("Import &another file"), "import")
        again.clicked.connect(self.reset)
        self.undo_button = tool_button(
            self.tr("&Undo this import…"),
            "restore",
            self.tr("Delete exactly the responses this import added"),
        )
        self.undo_button.clicked.connect(self.undo_import)
        rows = tool_button(self.tr("Check the &responses"), "responses")
        rows.clicked.connect(lambda: self.navigate.emit("responses"))
        self.results_button = tool_button(
            self.tr("See the &results"),
            "dashboard",
            self.tr("The dashboard with the new scores"),
            primary=True,
        )
        self.results_button.clicked.connect(lambda: self.navigate.emit("dashboard"))
        row.addWidget(again)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(rows)
        row.addWidget(self.results_button)
        lay.addLayout(row)
        self.step_summary = step
        self.stack.addWidget(step)

        self.setAcceptDrops(True)
        self.stack.setCurrentWidget(self.step_file)

    # ---- construction helpers -------------------------------------------------------
    def _nav(self, back, next_text: str, next_slot, *, extra: QPushButton | None = None):
        row = QHBoxLayout()
        back_button = tool_button(self.tr("&Back"), "back")
        back_button.setAccessibleName(self.tr("Back"))
        back_button.clicked.connect(back)
        row.addWidget(back_button)
        row.addStretch(1)
        if next_slot is not None:
            button = tool_button(next_text, "preview", primary=True)
            button.clicked.connect(next_slot)
            row.addWidget(button)
        if extra is not None:
            row.addWidget(extra)
        return row

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.horizontalHeader().setSectionResizeMode(
            len(headers) - 1, QHeaderView.ResizeMode.Stretch
        )
        return table

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 0)
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        lay.addWidget(label)
        lay.addWidget(widget)
        return box

    def _show_step(self, widget: QWidget) -> None:
        self.stack.setCurrentWidget(widget)
        order = [
            self.step_file,
            self.step_sheet,
            self.step_preview,
            self.step_work,
            self.step_summary,
        ]
        current = order.index(widget) if widget in order else -1
        parts = []
        for n, name in enumerate(STEPS):
            if n == 1 and len(self.sheets) <= 1:
                continue
            text = self.tr(name)
            if n == current:
                parts.append(f"<b style='color:{theme.colour('accent')}'>{text}</b>")
            else:
                parts.append(f"<span style='color:{theme.colour('muted')}'>{text}</span>")
        self.steps_label.setText(" &nbsp;›&nbsp; ".join(parts) if current >= 0 else "")

    # ---- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        c = self.state.current_campaign
        if c is None:
            self.stack.setCurrentWidget(self.no_campaign)
            self.steps_label.setText("")
            return
        if self.stack.currentWidget() is self.no_campaign:
            self._show_step(self.step_file)
        self.target_label.setText(
            self.tr("Importing into campaign <b>{0}</b> ({1} responses so far).").format(
                c.name, f"{c.response_count:,}"
            )
        )
        if self.stack.currentWidget() is self.step_file:
            self._show_step(self.step_file)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.task is None and _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None and self.task is None:
            event.acceptProposedAction()
            self.choose_file(path)

    # ---- step 1-2: file and sheet ------------------------------------------------------
    def _ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a spreadsheet to import"),
            str(Path.home()),
            self.tr(
                "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;"
                "ODK Central download (*.zip);;All files (*)"
            ),
        )
        if path:
            self.choose_file(path)

    def choose_file(self, path: str) -> None:
        """Take ``path``: ask for the sheet when there are several, else check it."""
        from culturescope.importing import ImportFailed, list_sheets

        if self.state.current_campaign is None or self.task is not None:
            return
        self.file_problem.clear()
        p = Path(path)
        if not p.is_file():
            self.file_problem.setText(self.tr("{0} is not a file.").format(path))
            return
        try:
            sheets = list_sheets(p)
        except (ImportFailed, OSError, ValueError) as exc:
            self.file_problem.setText(
                self.tr("{0} Choose an xlsx, ods or csv file.").format(_unreadable(p.name, exc))
            )
            return
        self.path, self.sheets = str(p), sheets
        self.values = self._saved_values()
        if len(sheets) > 1:
            self.sheet_intro.setText(
                self.tr("{0} has {1} worksheets. Which one holds the responses?").format(
                    p.name, len(sheets)
                )
            )
            self.sheet_box.clear()
            self.sheet_box.addItems(sheets)
            self._show_step(self.step_sheet)
            self.sheet_box.setFocus()
        else:
            self.preview()

    def _saved_values(self) -> dict[str, dict[str, str]]:
        c = self.state.current_campaign
        if c is None:
            return {}
        return self.state.settings.value_mapping(c.organisation, c.instrument_key.split("@")[0])

    def _options(self) -> dict:
        return {
            "values": self.values,
            "skip_invalid": self.skip_box.isChecked(),
            "date_order": self.dates_box.currentData(),
        }

    def _apply_values(self, mapping: dict) -> None:
        self.values = mapping
        self.preview()

    def sheet(self) -> str | None:
        if len(self.sheets) > 1:
            return self.sheet_box.currentText()
        return self.sheets[0] if self.sheets else None

    def _back_to_file(self) -> None:
        self._show_step(self.step_file)

    def _back_from_preview(self) -> None:
        self._show_step(self.step_sheet if len(self.sheets) > 1 else self.step_file)

    # ---- step 3: preview ---------------------------------------------------------------
    def preview(self) -> None:
        c = self.state.current_campaign
        if c is None or self.path is None or self.task is not None:
            return
        self._work(self.tr("Reading and checking {0}…").format(Path(self.path).name))
        self.task = self.state.run_task(
            _preview,
            self.state.store,
            c.id,
            self.path,
            self.sheet(),
            self._options(),
            title=self.tr("Checking {0}").format(Path(self.path).name),
            on_result=self._show_preview,
            on_error=self._preview_failed,
        )
        self.task.progress.connect(self._on_progress)

    def _work(self, text: str) -> None:
        self.work_label.setText(text)
        self.work_bar.setValue(0)
        self.work_detail.clear()
        self.work_cancel.setEnabled(True)
        self._show_step(self.step_work)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.work_bar.setValue(int(fraction * 1000))
        percent = f"{fraction * 100:.0f}%"
        self.work_detail.setText(f"{message} — {percent}" if message else percent)

    def _preview_failed(self, exc: BaseException) -> None:
        from culturescope.importing import ImportFailed

        self.task = None
        if isinstance(exc, Cancelled):
            self._back_from_preview()
            return
        if isinstance(exc, ImportFailed) and exc.plan is None:
            self.file_problem.setText(
                "\n".join(str(p) for p in exc.problems) or messages.describe(exc)
            )
            self._show_step(self.step_file)
            return
        self._show_step(self.step_file)
        self.file_problem.setText(
            self.tr("The file could not be checked: {0}").format(messages.describe(exc))
        )

    def _show_preview(self, report) -> None:
        self.task = None
        self.report = report
        plan = report.plan
        self._fill_columns(plan.columns)
        self._fill_problems(plan.problems)
        has_values = self.values_panel.show_values(plan, self.values)
        self.values_panel.setVisible(has_values)
        if has_values:  # the values to map come first: they are what blocks the import
            # the columns keep room for ~6 rows; the values table is short (one row each)
            self.preview_split.setSizes([3, 2 if plan.problems else 0, 2])
        name = escape(Path(self.path or "").name)  # a file name may hold '<' or '&'
        errors, warnings = len(plan.errors), len(plan.warnings)
        lines = [
            (
                self.tr("<b>{0}</b>{1}: 1 data row read.")
                if plan.rows_read == 1
                else self.tr("<b>{0}</b>{1}: {2} data rows read.")
            ).format(
                name, f" ({plan.source.sheet})" if plan.source.sheet else "", f"{plan.rows_read:,}"
            )
        ]
        if plan.ok and report.already_imported_as is not None:
            lines.append(
                self.tr(
                    "<b>This file was imported already</b> (import {0}): nothing will be added."
                ).format(report.already_imported_as)
            )
        elif plan.ok:
            lines.append(
                (
                    self.tr("1 response will be added ({1}).")
                    if report.rows_added == 1
                    else self.tr("{0} responses will be added ({1}).")
                ).format(f"{report.rows_added:,}", escape(report.counts_text()))
            )
            if report.rows_rejected:
                rejected = escape(Path(self.path or "").stem + ".rejected.xlsx")
                lines.append(
                    self.tr(
                        "1 row with unusable answers will be left out and saved to {1}."
                    ).format(report.rows_rejected, rejected)
                    if report.rows_rejected == 1
                    else self.tr(
                        "{0} rows with unusable answers will be left out and saved to {1}."
                    ).format(f"{report.rows_rejected:,}", rejected)
                )
            elif not plan.problems:
                lines.append(self.tr("No problems found in the file."))
        else:
            lines.append(
                f"<span style='color:{theme.colour('bad')}'>"
                + (
                    self.tr(
                        "1 error must be corrected in the file before it can be imported; "
                        "nothing will be stored."
                    )
                    if errors == 1
                    else self.tr(
                        "{0} errors must be corrected in the file before it can be imported; "
                        "nothing will be stored."
                    ).format(errors)
                )
                + "</span>"
            )
            if any("mapping file" in p.message for p in plan.errors):
                lines.append(
                    self.tr(
                        "This wizard does not take a mapping file: rename the file's column "
                        "headings to the questions' wording or their ids (LA1, team, C1…) and "
                        "load it again, or import it with the command line's --mapping option."
                    )
                )
        if warnings:
            lines.append(
                self.tr("1 warning (it does not block the import).")
                if warnings == 1
                else self.tr("{0} warnings (they do not block the import).").format(warnings)
            )
        for notice in plan.notices:
            if has_values and notice == _unknown_values_notice(plan):
                continue  # the table below lists them, with what to do in this wizard
            lines.append("• " + escape(notice))
        self.preview_summary.setText("<br>".join(lines))
        self.import_button.setEnabled(plan.ok and report.rows_added > 0)
        self.import_button.setToolTip(
            "" if plan.ok else self.tr("Correct the errors listed below, then load the file again")
        )
        self._show_step(self.step_preview)
        self.import_button.setFocus()

    def _fill_columns(self, columns) -> None:
        table = self.columns_table
        table.setRowCount(len(columns))
        for row, col in enumerate(columns):
            brush = QBrush(QColor(theme.colour(KIND_COLOURS.get(col.kind, "surface"))))
            values = (col.letter, col.header or self.tr("(no header)"), col.describe())
            for k, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setBackground(brush)
                item.setToolTip(value)
                table.setItem(row, k, item)
        table.resizeColumnToContents(0)
        table.setColumnWidth(1, min(420, max(160, table.sizeHintForColumn(1))))

    def _fill_problems(self, problems) -> None:
        table = self.problems_table
        table.setRowCount(len(problems))
        for row, p in enumerate(problems):
            values = (
                self.tr("Error") if p.is_error else self.tr("Warning"),
                "" if p.row is None else str(p.row),
                "" if p.letter is None else f"{p.letter} ({p.column})",
                p.message,
            )
            for k, value in enumerate(values):
                item = QTableWidgetItem(value)
                if k == 0:
                    item.setForeground(
                        QBrush(QColor(theme.colour("bad" if p.is_error else "warn")))
                    )
                if k in (2, 3):
                    item.setToolTip(str(p))  # the whole message, with row and column
                table.setItem(row, k, item)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(1)
        table.setColumnWidth(2, min(300, max(120, table.sizeHintForColumn(2))))
        # No problems: the column mapping gets the whole height (the summary says so).
        self.problems_box.setVisible(bool(problems))
        if problems:
            self.preview_split.setSizes([3, 2])

    # ---- step 4: import ------------------------------------------------------------------
    def start_import(self) -> None:
        c = self.state.current_campaign
        if c is None or self.path is None or self.report is None or not self.report.plan.ok:
            return
        self._work(self.tr("Importing {0} into {1}…").format(Path(self.path).name, c.name))
        self.task = self.state.run_task(
            _import,
            self.state.store,
            c.id,
            self.path,
            self.sheet(),
            self._options(),
            title=self.tr("Importing {0}").format(Path(self.path).name),
            on_result=self._imported,
            on_error=self._import_failed,
        )
        self.task.progress.connect(self._on_progress)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.work_cancel.setEnabled(False)
            self.work_label.setText(self.tr("Cancelling… nothing will be stored."))

    def _imported(self, report) -> None:
        from culturescope.importing.rejected import REJECTED_NOTICE

        self.task = None
        self.result = report
        c = self.state.current_campaign
        if c is not None:
            self.state.settings.remember_value_mapping(
                c.organisation, c.instrument_key.split("@")[0], self.values
            )
            self.state.save_settings()
        batch = report.batch
        lines = [
            (
                self.tr("<b>{0} responses imported</b> into {1} from {2} as import {3}.")
                if batch is not None and report.rows_added != 1
                else self.tr("<b>1 response imported</b> into {1} from {2} as import {3}.")
                if batch is not None
                else self.tr("<b>{0} responses imported</b> into {1} from {2}.")
            ).format(
                f"{report.rows_added:,}",
                escape(c.name if c else ""),
                escape(Path(self.path or "").name),
                batch.id if batch is not None else "",
            ),
            escape(report.counts_text()[:1].upper() + report.counts_text()[1:]) + ".",
        ]
        if report.rejected_file is not None:
            lines.append(
                (
                    self.tr("<b>1 row was not imported</b>: it is saved, with the reasons, to {1}.")
                    if report.rows_rejected == 1
                    else self.tr(
                        "<b>{0} rows were not imported</b>: they are saved, with the reasons, "
                        "to {1}."
                    )
                ).format(f"{report.rows_rejected:,}", escape(str(report.rejected_file)))
            )
        for notice in [*report.plan.notices, *report.store_notes]:
            if report.rejected_file is not None and notice.startswith(REJECTED_NOTICE):
                continue  # said in bold above
            lines.append("• " + escape(notice))
        if report.plan.warnings:
            lines.append(
                self.tr("{0} warning(s) were noted with the import batch.").format(
                    len(report.plan.warnings)
                )
            )
        can_undo = report.batch is not None and report.rows_added > 0
        self.undo_button.setVisible(can_undo)
        self.undo_button.setEnabled(can_undo)
        if can_undo:
            lines.append(
                self.tr(
                    "Imported by mistake? <b>Undo this import</b> removes exactly these responses."
                )
            )
        self.summary.setText("<br>".join(lines))
        self._show_step(self.step_summary)
        self.results_button.setFocus()
        self.state.notify_data_changed()

    def undo_import(self) -> None:
        """Delete the batch this wizard just imported (after asking)."""
        report = self.result
        if report is None or report.batch is None or self.task is not None:
            return
        if not messages.confirm(
            self,
            self.tr("Undo this import"),
            self.tr("Delete the {0} responses this import added? Nothing else changes.").format(
                f"{report.rows_added:,}"
            ),
            action=self.tr("Delete them"),
            destructive=True,
        ):
            return
        self.undo_button.setEnabled(False)
        self.task = self.state.run_task(
            _delete_batch,
            self.state.store,
            report.batch.id,
            title=self.tr("Undoing the import"),
            on_result=self._undone,
            on_error=self._undo_failed,
            cancellable=False,
        )

    def _undone(self, removed: int) -> None:
        self.task = None
        self.result = None
        self.undo_button.setVisible(False)
        self.summary.setText(
            self.tr(
                "<b>Import undone:</b> {0} responses removed; the campaign is as it was before."
            ).format(f"{removed:,}")
        )
        self.state.notify_data_changed()

    def _undo_failed(self, exc: BaseException) -> None:
        self.task = None
        self.undo_button.setEnabled(True)
        messages.error(
            self,
            self.tr("The import was not undone"),
            messages.describe(exc),
            self.tr("Nothing was deleted. You can delete the import on the Responses page."),
        )

    def _import_failed(self, exc: BaseException) -> None:
        from culturescope.importing import ImportFailed

        self.task = None
        if isinstance(exc, Cancelled):
            self._show_step(self.step_preview)
            self.preview_summary.setText(
                self.tr("<b>Import cancelled: nothing was stored.</b>")
                + "<br>"
                + self.preview_summary.text()
            )
            return
        if isinstance(exc, ImportFailed):
            self._fill_problems(exc.problems)
            self.import_button.setEnabled(False)
            self._show_step(self.step_preview)
            self.preview_summary.setText(
                f"<span style='color:{theme.colour('bad')}'>"
                + self.tr("The file changed or has errors: nothing was stored. {0}").format(
                    messages.describe(exc)
                )
                + "</span>"
            )
            return
        self._show_step(self.step_preview)
        messages.error(
            self,
            self.tr("The import failed"),
            messages.describe(exc),
            self.tr(
                "Nothing was stored. Check the file and the database location, then try again."
            ),
        )

    def reset(self) -> None:
        self.path, self.sheets, self.report, self.result = None, [], None, None
        self.values = {}
        self.skip_box.setChecked(False)
        self.dates_box.setCurrentIndex(0)
        self.file_problem.clear()
        self._show_step(self.step_file)
        self.refresh()

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()


def _unknown_values_notice(plan: ImportPlan) -> str | None:
    """The plan's notice listing unknown answer values (written for the command line)."""
    return next((n for n in plan.notices if "not known to the instrument" in n), None)


def _unreadable(name: str, exc: BaseException) -> str:
    """One sentence naming the file once: "x.xlsx is not a real xlsx workbook: …"."""
    from culturescope.importing import ImportFailed

    errors = exc.errors if isinstance(exc, ImportFailed) else []
    if errors and errors[0].row is None and errors[0].letter is None:
        message = errors[0].message.rstrip(".")
        verb = message.split(" ", 1)[0]
        if verb in ("is", "does", "cannot", "has", "looks", "contains"):
            return f"{name} {message}."
        return f"{name} cannot be read: {message}."
    return f"{name} cannot be read: {str(messages.describe(exc)).rstrip('.')}."
