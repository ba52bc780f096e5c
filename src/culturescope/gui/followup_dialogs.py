"""Following up a signal: a note on it, or an action the next survey can judge.

Both dialogs only collect values; the Signals page stores them (``culturescope.storage``)
and shows a refusal at the box it concerns.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui import theme
from culturescope.gui.widgets import DateField, field_error_label, mark_invalid
from culturescope.signals import Finding
from culturescope.signals.people import Baseline, Subject, headline
from culturescope.storage import (
    ACTION_STATUS_TITLES,
    ACTION_STATUSES,
    MAX_NOTE,
    MAX_ROLE,
    MAX_TITLE,
    Action,
    NewAction,
)


def earlier_actions_html(name: str, checks) -> str:
    """The previous campaign ``name``'s actions judged by this one's figures (rich text):
    each action's status and its figure then and now, or why there is none."""
    lines = [f"<b>Actions from {html.escape(name)}</b> (a plain difference, not a test):"]
    way = {True: "better", False: "worse", None: "no change"}
    for c in checks:
        a = c.action
        what = f"“{html.escape(a.title)}” ({ACTION_STATUS_TITLES.get(a.status, a.status)})"
        if c.now is not None and c.change is not None:
            then, now = figure(a.measure, a.baseline), figure(a.measure, c.now)
            lines.append(f"{what}: {html.escape(a.measure_label)} {then} → {now} ({way[c.better]})")
        elif c.still_flagged is False:
            lines.append(f"{what}: no longer flagged")
        else:
            lines.append(f"{what}: not measured again")
    return "<br>".join(lines)


def figure(measure: str, value: float | None) -> str:
    """A measure's figure as people read it: "17%", "31 points", "0.42", "610"."""
    if value is None:
        return "–"
    if measure == "rwg_j":
        return f"{value:.2f}"
    if measure.endswith("percent_points"):
        return f"{value:.0f} points"
    if "percent" in measure:
        return f"{value:.0f}%"
    return f"{value:.0f}"


def baseline_text(b: Baseline) -> str:
    """``"% who see the practice: 17% now"``, or what judges it when there is no figure."""
    if b.value is None:
        return b.label
    return f"{b.label}: {figure(b.measure, b.value)} now"


def _start(
    dialog: QDialog, title: str, signal: Finding | None, width: int, height: int, about_text=""
) -> QVBoxLayout:
    """Title and size a follow-up dialog; its layout opens with the signal's headline (or
    ``about_text`` when the signal no longer fires)."""
    dialog.setWindowTitle(title)
    dialog.resize(width, height)
    layout = QVBoxLayout(dialog)
    about = QLabel(headline(signal) if signal is not None else about_text)
    about.setWordWrap(True)
    about.setObjectName("muted")
    layout.addWidget(about)
    return layout


def _buttons(dialog: QDialog, layout: QVBoxLayout, save_text: str = "") -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    if save_text:
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return buttons


class NoteDialog(QDialog):
    """A note on one signal (what was decided, who was asked); empty removes the note."""

    def __init__(self, signal: Finding, note: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        layout = _start(self, self.tr("Note on this signal"), signal, 560, 320)
        self.edit = QPlainTextEdit(note)
        self.edit.setAccessibleName(self.tr("Note"))
        self.edit.setPlaceholderText(
            self.tr("What you found out, what was decided. No names of respondents.")
        )
        self.edit.setTabChangesFocus(True)
        layout.addWidget(self.edit, 1)
        self.error = field_error_label()
        layout.addWidget(self.error)
        _buttons(self, layout)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def accept(self) -> None:
        if len(self.text()) > MAX_NOTE:
            mark_invalid(
                self.edit,
                self.tr("The note is {0} characters long; at most {1}.").format(
                    len(self.text()), MAX_NOTE
                ),
                self.error,
            )
            self.edit.setFocus()
            return
        super().accept()


class ActionDialog(QDialog):
    """Create an action on a signal: what will be done, by which role, by when — or, with
    ``action``, change one (its subject and the figure that judges it stay)."""

    def __init__(
        self,
        signal: Finding | None,
        subject: Subject,
        baseline: Baseline,
        parent: QWidget | None = None,
        *,
        action: Action | None = None,
    ):
        super().__init__(parent)
        self.signal, self.subject, self.baseline = signal, subject, baseline
        self.action = action
        title = self.tr("Edit the action") if action else self.tr("Create an action")
        about = self.tr("An action on {0}").format(subject.title)
        layout = _start(self, title, signal, 620, 460, about)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setMaxLength(MAX_TITLE)
        self.title.setAccessibleName(self.tr("What will be done"))
        self.title.setPlaceholderText(self.tr("e.g. Ask front-line teams how audits reach them"))
        self.title_error = field_error_label()
        self.owner = QLineEdit()
        self.owner.setMaxLength(MAX_ROLE)
        self.owner.setAccessibleName(self.tr("Owner (a role)"))
        self.owner.setPlaceholderText(self.tr("a role, e.g. Head of safety"))
        self.due = DateField(self.tr("Due date"))
        self.due.set_value(dt.date.today() + dt.timedelta(days=90))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        for s in ACTION_STATUSES:
            self.status.addItem(self.tr(ACTION_STATUS_TITLES[s]), s)
        subject_label = QLabel(f"{subject.title} ({self.tr(subject.kind_title).lower()})")
        subject_label.setWordWrap(True)
        measure = QLabel(baseline_text(baseline))
        measure.setWordWrap(True)
        measure.setToolTip(
            self.tr("The next campaign compares this figure with the one it measures.")
        )
        form.addRow(self.tr("&What will be done"), self.title)
        form.addRow("", self.title_error)
        form.addRow(self.tr("&Owner (a role)"), self.owner)
        form.addRow(self.tr("&Due date"), self.due)
        form.addRow(self.tr("&Status"), self.status)
        form.addRow(self.tr("Subject"), subject_label)
        form.addRow(self.tr("Judged by"), measure)
        why = QLabel(
            self.tr(
                "The next campaign measures this figure again, so you can see whether the "
                "action worked. Owners are roles, not people's names."
            )
        )
        why.setObjectName("muted")
        why.setWordWrap(True)
        form.addRow("", why)
        layout.addLayout(form)
        layout.addStretch(1)
        _buttons(self, layout, self.tr("Save changes") if action else self.tr("Create action"))
        if action is not None:
            self.title.setText(action.title)
            self.owner.setText(action.owner_role)
            self.due.set_value(action.due_on)
            self.status.setCurrentIndex(ACTION_STATUSES.index(action.status))
        self.title.setFocus()

    def changes(self) -> dict:
        """What the lead changed in the action being edited (field name -> new value)."""
        assert self.action is not None
        now = {
            "title": self.title.text().strip(),
            "owner_role": self.owner.text().strip(),
            "due_on": self.due.value(),
            "status": self.status.currentData(),
        }
        return {k: v for k, v in now.items() if getattr(self.action, k) != v}

    def new_action(self) -> NewAction:
        return NewAction(
            title=self.title.text().strip(),
            subject_kind=self.subject.kind,
            subject=self.subject.title,
            measure=self.baseline.measure,
            measure_label=self.baseline.label,
            baseline=self.baseline.value,
            owner_role=self.owner.text().strip(),
            due_on=self.due.value(),
            status=self.status.currentData(),
            signal_id=self.signal.id,
        )

    def accept(self) -> None:
        if not self.title.text().strip():
            mark_invalid(self.title, self.tr("Say what will be done."), self.title_error)
            self.title.setFocus()
            return
        mark_invalid(self.title, "", self.title_error)
        super().accept()


class ActionsDialog(QDialog):
    """The campaign's actions in one table; a status changed here is stored at once, and
    the selected action can be edited or deleted.

    ``set_status(action, status)`` stores the change and returns the action as stored (or
    None when it was refused and the page said why); ``edit(action)`` lets the lead change
    it and returns it as stored (None: nothing changed); ``delete(action)`` asks, deletes
    and returns True when it is gone.
    """

    COLUMNS = ("Action", "Subject", "Owner", "Due", "Status", "Judged by")

    def __init__(
        self,
        actions: list[Action],
        set_status,
        parent: QWidget | None = None,
        *,
        edit=None,
        delete=None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Actions of this campaign"))
        self.resize(980, 420)
        self.set_status, self.edit, self.delete = set_status, edit, delete
        self.actions = list(actions)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Overdue actions are marked. Change a status here, or choose an action to "
                "edit or delete it; the next campaign compares each action's figure with "
                "what it measures."
            )
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setAccessibleName(self.tr("Actions"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.status_boxes: list[QComboBox] = []
        self._fill_all()
        header = self.table.horizontalHeader()
        for c in range(len(self.COLUMNS)):
            wide = c in (0, 5)  # the action and its figure share what is left, wrapped
            header.setSectionResizeMode(
                c,
                QHeaderView.ResizeMode.Stretch if wide else QHeaderView.ResizeMode.ResizeToContents,
            )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.edit_button = buttons.addButton(self.tr("&Edit…"), role)
        self.delete_button = buttons.addButton(self.tr("&Delete…"), role)
        self.delete_button.setObjectName("danger")  # styled as the other deletes
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.edit_button.setVisible(edit is not None)
        self.delete_button.setVisible(delete is not None)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._on_selection()

    def _fill_all(self) -> None:
        self.table.setRowCount(len(self.actions))
        self.status_boxes = []
        for row, action in enumerate(self.actions):
            self._fill(row, action)
        self.table.resizeRowsToContents()

    def selected_row(self) -> int | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return min(rows) if rows else None

    def _on_selection(self) -> None:
        chosen = self.selected_row() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None or self.edit is None:
            return
        stored = self.edit(self.actions[row])
        if stored is not None:
            self.actions[row] = stored
            self._fill(row, stored)
            self.table.resizeRowsToContents()

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None or self.delete is None or not self.delete(self.actions[row]):
            return
        del self.actions[row]
        self._fill_all()
        self._on_selection()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # now that the columns have their real widths

    def _fill(self, row: int, action: Action) -> None:
        overdue = action.is_overdue()
        due = action.due_on.isoformat() if action.due_on else self.tr("no date")
        if overdue:
            due = self.tr("{0} — overdue").format(due)
        judged = baseline_text(Baseline(action.measure, action.measure_label, action.baseline))
        cells = (action.title, action.subject, action.owner_role or "–", due, "", judged)
        for col, text in enumerate(cells):
            if col == 4:
                continue
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if overdue and col == 3:
                item.setForeground(QColor(theme.colour("bad")))
            self.table.setItem(row, col, item)
        box = QComboBox()
        box.setAccessibleName(self.tr("Status of: {0}").format(action.title))
        for s in ACTION_STATUSES:
            box.addItem(self.tr(ACTION_STATUS_TITLES[s]), s)
        box.setCurrentIndex(ACTION_STATUSES.index(action.status))
        box.currentIndexChanged.connect(lambda _i, r=row, b=box: self._changed(r, b))
        if row < len(self.status_boxes):
            self.status_boxes[row] = box
        else:
            self.status_boxes.append(box)
        self.table.setCellWidget(row, 4, box)

    def _changed(self, row: int, box: QComboBox) -> None:
        stored = self.set_status(self.actions[row], box.currentData())
        if stored is None:  # refused: show what is stored
            box.blockSignals(True)
            box.setCurrentIndex(ACTION_STATUSES.index(self.actions[row].status))
            box.blockSignals(False)
            return
        self.actions[row] = stored
        self._fill(row, stored)
