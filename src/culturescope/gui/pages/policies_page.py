"""Policies: the organisation's policy register (docs/design/policies.md) — what it says it does.

A table of current policies, an add/edit dialog with the version history, remove (kept
in the history), and spreadsheet import/export in a worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope import CultureScopeError
from culturescope.gui import messages, theme
from culturescope.gui.state import AppState, SerialWrites
from culturescope.gui.widgets import (
    DateField,
    EmptyState,
    field_error_label,
    mark_invalid,
    page_header,
    scrolling_dialog,
    tool_button,
)
from culturescope.instruments import Instrument
from culturescope.policies import (
    STATUSES,
    Policy,
    PolicyDraft,
    PolicyImportError,
    add_policy,
    import_policy_file,
    policies,
    remove_policy,
    update_policy,
    write_policy_file,
)

COLUMNS = (
    "Title",
    "Status",
    "Owner",
    "Adopted",
    "Review date",
    "Evidence",
    "Practice areas",
    "Version",
)
HISTORY_COLUMNS = ("Version", "Recorded", "Status", "Statement", "Practice areas", "Source")


def _overdue() -> QColor:
    return QColor(theme.colour("bad"))


def _removed() -> QColor:
    return QColor(theme.colour("muted"))


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "–"


def _add(store, organisation: str, draft, *, progress, is_cancelled):
    progress(0.0, "saving the policy")
    return add_policy(store, organisation, draft)


def _update(store, policy_id: int, draft, *, progress, is_cancelled):
    progress(0.0, "saving the policy")
    return update_policy(store, policy_id, draft)


def _remove(store, policy_id: int, *, progress, is_cancelled):
    progress(0.0, "removing the policy")
    return remove_policy(store, policy_id)


def _import(store, campaign_id: int, path: str, *, progress, is_cancelled):
    progress(0.0, "reading the register")
    return import_policy_file(store, campaign_id, path)


def _export(store, campaign_id: int, path: str, *, progress, is_cancelled):
    progress(0.0, "writing the register")
    campaign = store.campaign(campaign_id)
    register = policies(store, campaign.organisation, include_removed=True)
    return write_policy_file(path, register, store.instrument(campaign.instrument_key))


class PolicyDialog(QDialog):
    """Add or edit one policy; when editing, the version history is shown below."""

    def __init__(
        self, instrument: Instrument, policy: Policy | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.instrument = instrument
        self.policy = policy
        self.setWindowTitle(self.tr("Edit policy") if policy else self.tr("New policy"))
        # Everything but the buttons scrolls, so the dialog fits a 768-pixel-high screen.
        outer, layout = scrolling_dialog(self, 820, 780 if policy else 560)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.statement = QPlainTextEdit()
        self.statement.setAccessibleName(self.tr("Statement"))
        self.statement.setTabChangesFocus(True)
        self.statement.setFixedHeight(80)
        self.owner = QLineEdit()
        self.owner.setAccessibleName(self.tr("Owner"))
        self.adopted = DateField(self.tr("Date adopted"))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Claimed status"))
        for s in STATUSES:
            self.status.addItem(self.tr(s.capitalize()), s)
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText(self.tr("e.g. audit report AR-2026-03, incident log"))
        self.evidence.setAccessibleName(self.tr("Evidence reference"))
        self.review = DateField(self.tr("Review date"))
        self.areas = QListWidget()
        self.areas.setAccessibleName(self.tr("Practice areas"))
        self.areas.setFixedHeight(150)
        for area in instrument.practice_areas:
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.UserRole, area.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.areas.addItem(item)
        self.title_problem = field_error_label()
        title_box = QVBoxLayout()
        title_box.setSpacing(2)
        title_box.addWidget(self.title)
        title_box.addWidget(self.title_problem)
        title_label = QLabel(self.tr("&Title:"))
        title_label.setBuddy(self.title)
        form.addRow(title_label, title_box)
        form.addRow(self.tr("&Statement:"), self.statement)
        form.addRow(self.tr("&Owner:"), self.owner)
        form.addRow(self.tr("&Adopted:"), self.adopted)
        form.addRow(self.tr("Claimed s&tatus:"), self.status)
        form.addRow(self.tr("&Evidence:"), self.evidence)
        form.addRow(self.tr("&Review date:"), self.review)
        form.addRow(self.tr("&Practice areas:"), self.areas)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.history = None
        self.history_heading = None
        if policy is not None:
            self._fill(policy)
            heading = QLabel(self.tr("Version history (newest first; nothing is overwritten)"))
            heading.setObjectName("sectionTitle")
            layout.addWidget(heading)
            self.history_heading = heading
            self.history = _history_table(policy, instrument, self)
            layout.addWidget(self.history, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.title.textEdited.connect(lambda _t: mark_invalid(self.title, "", self.title_problem))
        self.title.setFocus()

    def _fill(self, policy: Policy) -> None:
        v = policy.current
        self.title.setText(v.title)
        self.statement.setPlainText(v.statement)
        self.owner.setText(v.owner)
        self.adopted.set_value(v.adopted_on)
        self.status.setCurrentIndex(STATUSES.index(v.status))
        self.evidence.setText(v.evidence)
        self.review.set_value(v.review_on)
        for n in range(self.areas.count()):
            item = self.areas.item(n)
            if item.data(Qt.ItemDataRole.UserRole) in v.practice_areas:
                item.setCheckState(Qt.CheckState.Checked)

    def set_areas(self, area_ids: list[str]) -> None:
        for n in range(self.areas.count()):
            item = self.areas.item(n)
            checked = item.data(Qt.ItemDataRole.UserRole) in area_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def draft(self) -> PolicyDraft:
        """The entered policy; raises ValueError or PolicyError naming the problem."""
        areas = tuple(
            self.areas.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.areas.count())
            if self.areas.item(n).checkState() == Qt.CheckState.Checked
        )
        return PolicyDraft(
            title=self.title.text(),
            statement=self.statement.toPlainText(),
            owner=self.owner.text(),
            status=self.status.currentData(),
            evidence=self.evidence.text(),
            practice_areas=areas,
            adopted_on=self.adopted.value(),
            review_on=self.review.value(),
        )

    def accept(self) -> None:
        if not " ".join(self.title.text().split()):
            mark_invalid(self.title, self.tr("Give the policy a title."), self.title_problem)
            self.title.setFocus()
            return
        try:
            self.draft()
        except (ValueError, CultureScopeError) as exc:
            self.problem.setText(messages.describe(exc))
            return
        super().accept()


def _history_table(policy: Policy, instrument: Instrument, parent: QWidget) -> QTableWidget:
    titles = {a.id: a.title for a in instrument.practice_areas}
    table = QTableWidget(len(policy.history), len(HISTORY_COLUMNS), parent)
    table.setHorizontalHeaderLabels([parent.tr(c) for c in HISTORY_COLUMNS])
    table.setAccessibleName(parent.tr("Version history"))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    newest_first = sorted(policy.history, key=lambda v: v.version, reverse=True)
    for row, v in enumerate(newest_first):
        status = parent.tr("removed") if v.removed else v.status
        values = (
            str(v.version),
            v.recorded_on.isoformat(),
            status,
            v.statement,
            ", ".join(titles.get(a, a) for a in v.practice_areas),
            v.source,
        )
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if v.removed:
                item.setForeground(QBrush(_removed()))
            table.setItem(row, col, item)
    table.resizeColumnsToContents()
    table.setColumnWidth(4, min(220, table.columnWidth(4)))
    table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(170)
    table.resizeRowsToContents()
    return table


#: Widest each column but the title gets, in average characters (its tooltip has it all).
COLUMN_CAPS = {1: 12, 2: 16, 3: 11, 4: 11, 5: 18, 6: 22, 7: 8}
#: The title column never gets narrower than this many characters.
TITLE_MIN_CHARS = 28


class PoliciesPage(QWidget):
    """The policy register of the current campaign's organisation."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._writes = SerialWrites(state, self._on_selection)
        self.register: list[Policy] = []
        self.instrument: Instrument | None = None
        self._task = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.header = page_header(
            self.tr("Policies"),
            self.tr(
                "What the organisation says it does. Policies claimed implemented or audited "
                "are compared with what staff see in practice on the Signals page."
            ),
        )
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        self.add_button = tool_button(
            self.tr("&Add policy…"), "add", self.tr("Add a policy to the register"), primary=True
        )
        self.edit_button = tool_button(
            self.tr("&Edit…"), "edit", self.tr("Edit the policy and see its versions")
        )
        self.remove_button = tool_button(
            self.tr("&Remove…"), "delete", self.tr("Remove the policy (kept in its history)")
        )
        self.import_button = tool_button(
            self.tr("&Import…"), "import", self.tr("Import policies from xlsx or csv")
        )
        self.export_button = tool_button(
            self.tr("E&xport…"), "export", self.tr("Export the register with its history to xlsx")
        )
        self.show_removed = QCheckBox(self.tr("Show re&moved"))
        self.show_removed.setAccessibleName(self.tr("Show removed policies"))
        for w in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.import_button,
            self.export_button,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.show_removed)
        layout.addLayout(bar)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.show_removed.toggled.connect(lambda _on: self.refresh())

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Policy register"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemActivated.connect(lambda _item: self.edit())

        self.empty = EmptyState(
            "policies",
            self.tr("No policies yet"),
            self.tr(
                "Add the organisation's safety policies, or import them from a spreadsheet "
                "with columns Title, Statement, Owner, Adopted, Status, Evidence, Review date "
                "and Practice areas."
            ),
        )
        self.empty_add = self.empty.add_button(tool_button(self.tr("Add policy…"), "add"))
        self.empty_import = self.empty.add_button(tool_button(self.tr("Import…"), "import"))
        self.empty_add.clicked.connect(self.add)
        self.empty_import.clicked.connect(self.import_file)
        self.no_campaign = EmptyState(
            "campaigns",
            self.tr("No campaign chosen"),
            self.tr(
                "The register belongs to the organisation of a campaign: create or choose "
                "a campaign first."
            ),
        )
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        for w in (self.table, self.empty, self.no_campaign):
            self.stack.addWidget(w)
        layout.addWidget(holder, 1)
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        state.campaignChanged.connect(lambda _c: self.refresh())
        state.dataChanged.connect(self.refresh)

    # ---- view ---------------------------------------------------------------------
    def refresh(self) -> None:
        campaign = self.state.current_campaign
        has_campaign = campaign is not None
        for b in (self.add_button, self.import_button, self.export_button):
            b.setEnabled(has_campaign)
        if campaign is None:
            self.register = []
            self.stack.setCurrentWidget(self.no_campaign)
            self.summary.clear()
            self._on_selection()
            return
        self.instrument = self.state.store.instrument(campaign.instrument_key)
        everything = policies(self.state.store, campaign.organisation, include_removed=True)
        shown = (
            everything
            if self.show_removed.isChecked()
            else [p for p in everything if not p.removed]
        )
        self.register = shown
        titles = {a.id: a.title for a in self.instrument.practice_areas}
        today = dt.date.today()
        self.table.setRowCount(len(shown))
        for row, p in enumerate(shown):
            v = p.current
            values = (
                v.title,
                self.tr("removed") if p.removed else v.status,
                v.owner,
                _date(v.adopted_on),
                _date(v.review_on),
                v.evidence or "–",
                ", ".join(titles.get(a, a) for a in v.practice_areas) or "–",
                str(v.version),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                item.setToolTip(value)
                if p.removed:
                    item.setForeground(QBrush(_removed()))
                elif col == 4 and v.review_on and v.review_on < today:
                    item.setForeground(QBrush(_overdue()))
                    item.setToolTip(self.tr("Review overdue since {0}").format(_date(v.review_on)))
                elif col == 5 and not v.evidence and v.status in ("implemented", "audited"):
                    item.setForeground(QBrush(_overdue()))
                    item.setToolTip(self.tr("Claimed {0} without evidence").format(v.status))
                self.table.setItem(row, col, item)
        self._size_columns()
        current = [p for p in everything if not p.removed]
        self.stack.setCurrentWidget(self.table if shown else self.empty)
        self.summary.setText(
            self.tr(
                "{0}: {1} current {2}, {3} removed. Overdue reviews and missing "
                "evidence are shown in red."
            ).format(
                campaign.organisation,
                len(current),
                self.tr("policy") if len(current) == 1 else self.tr("policies"),
                len(everything) - len(current),
            )
        )
        self._on_selection()

    def _size_columns(self) -> None:
        """Fit the columns to their text, but cap all but the title so it stays readable."""
        table = self.table
        header = table.horizontalHeader()
        table.resizeColumnsToContents()
        char = table.fontMetrics().averageCharWidth()
        bold = QFont(header.font())
        bold.setBold(True)  # headers are bold in both themes
        heading = QFontMetrics(bold)
        for col, cap in COLUMN_CAPS.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            # Never narrower than the column's own heading ("Review date" was clipped).
            title = str(table.model().headerData(col, Qt.Orientation.Horizontal) or "")
            widest = max(cap * char + 16, heading.horizontalAdvance(title) + 24)
            table.setColumnWidth(col, min(table.columnWidth(col), widest))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(min(TITLE_MIN_CHARS * char, 60))
        self.title_min_width = TITLE_MIN_CHARS * char

    def selected(self) -> Policy | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.register[min(rows)] if rows else None

    def _on_selection(self) -> None:
        p = self.selected()
        free = self.write_task is None  # one write at a time
        self.add_button.setEnabled(free and self.state.current_campaign is not None)
        self.edit_button.setEnabled(p is not None and free)
        self.remove_button.setEnabled(p is not None and not p.removed and free)

    def select_title(self, title: str) -> None:
        for row, p in enumerate(self.register):
            if p.title == title:
                self.table.selectRow(row)
                return

    # ---- actions ------------------------------------------------------------------
    def _dialog(self, policy: Policy | None = None) -> PolicyDialog:
        assert self.instrument is not None
        return PolicyDialog(self.instrument, policy, self)

    # Writes run in a worker (AppState.run_write), one at a time: the buttons are off
    # meanwhile, and the methods return the task (None when nothing was started).
    def add(self):
        campaign = self.state.current_campaign
        if campaign is None or self.write_task is not None:
            return None
        dialog = self._dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self._save(_add, campaign.organisation, dialog)

    def edit(self):
        p = self.selected()
        if p is None or self.write_task is not None:
            return None
        dialog = self._dialog(p)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self._save(_update, p.id, dialog)

    def _save(self, fn, target, dialog: PolicyDialog):
        try:
            draft = dialog.draft()
        except (ValueError, CultureScopeError) as exc:
            self._refused(self.tr("The policy was not saved"), exc)
            return None
        return self._write(
            fn,
            target,
            draft,
            title=self.tr("Saving {0}").format(draft.title),
            refused=self.tr("The policy was not saved"),
            done=lambda saved: self.select_title(saved.title),
        )

    def remove(self):
        p = self.selected()
        if p is None or p.removed or self.write_task is not None:
            return None
        if not messages.confirm(
            self,
            self.tr("Remove policy"),
            self.tr(
                'Remove "{0}" from the register? Its history is kept, and the removal is '
                "shown as a signal so that dropped commitments stay visible."
            ).format(p.title),
            action=self.tr("Remove"),
            destructive=True,
        ):
            return None
        return self._write(
            _remove,
            p.id,
            title=self.tr("Removing {0}").format(p.title),
            refused=self.tr("The policy was not removed"),
        )

    def _write(self, fn, *args, title: str, refused: str, done=None):
        """Run the store write ``fn(store, *args)`` in a worker; a refusal is shown as
        ``refused``. Returns its task."""
        return self._writes.run(
            fn, *args, title=title, refused=lambda exc: self._refused(refused, exc), done=done
        )

    @property
    def write_task(self):
        """The add/edit/remove running in a worker, if any."""
        return self._writes.task

    def _refused(self, title: str, exc: BaseException) -> None:
        messages.error(
            self,
            title,
            messages.describe(exc),
            self.tr("Correct the policy and save it again."),
        )

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import policy register"),
            "",
            self.tr("Spreadsheets (*.xlsx *.xlsm *.ods *.csv)"),
        )
        return path

    def ask_save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export policy register"),
            "policy-register.xlsx",
            self.tr("Excel workbook (*.xlsx)"),
        )
        if path and not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        return path

    def import_file(self, path: str | None = None):
        campaign = self.state.current_campaign
        if campaign is None:
            return None
        path = path or self.ask_open_path()
        if not path:
            return None
        self.import_button.setEnabled(False)
        self._task = self.state.run_task(
            _import,
            self.state.store,
            campaign.id,
            path,
            title=self.tr("Importing {0}").format(Path(path).name),
            on_result=self._imported,
            on_error=self._import_failed,
            cancellable=False,
        )
        return self._task

    def _imported(self, changes) -> None:
        self.import_button.setEnabled(True)
        messages.info(
            self,
            self.tr("Policies imported"),
            self.tr("{0} added, {1} updated as new versions, {2} unchanged.").format(
                len(changes.added), len(changes.updated), len(changes.unchanged)
            )
            + (
                self.tr("\n\nNot read (not register fields): {0}").format(
                    ", ".join(changes.ignored_columns)
                )
                if changes.ignored_columns
                else ""
            ),
        )
        self.state.notify_data_changed()

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        detail = ""
        if isinstance(exc, PolicyImportError):
            detail = "\n".join(exc.problems[:20])
            if len(exc.problems) > 20:
                detail += "\n" + self.tr("… and {0} more").format(len(exc.problems) - 20)
        messages.error(
            self,
            self.tr("Nothing was imported"),
            detail or messages.describe(exc),
            self.tr("Correct the file and import it again; no policy was changed."),
        )

    def export_file(self, path: str | None = None):
        campaign = self.state.current_campaign
        if campaign is None:
            return None
        path = path or self.ask_save_path()
        if not path:
            return None
        self._task = self.state.run_task(
            _export,
            self.state.store,
            campaign.id,
            path,
            title=self.tr("Exporting the policy register"),
            on_result=lambda p: messages.info(
                self, self.tr("Register exported"), self.tr("Saved to {0}").format(p)
            ),
            on_error=lambda exc: messages.error(
                self, self.tr("The register was not exported"), messages.describe(exc)
            ),
            cancellable=False,
        )
        return self._task
