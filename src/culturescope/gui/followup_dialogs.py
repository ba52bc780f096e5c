"""Following up a signal: a note on it, or an action the next survey can judge.

Both dialogs only collect values; the Signals page stores them (``culturescope.storage``)
and shows a refusal at the box it concerns.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui.widgets import DateField, field_error_label, mark_invalid
from culturescope.signals import Signal
from culturescope.signals.people import Baseline, Subject, headline
from culturescope.storage import (
    ACTION_STATUS_TITLES,
    ACTION_STATUSES,
    MAX_NOTE,
    MAX_ROLE,
    MAX_TITLE,
    NewAction,
)


def baseline_text(b: Baseline) -> str:
    """``"% who see the practice: 17% now"``, or what judges it when there is no figure."""
    if b.value is None:
        return b.label
    if b.measure == "rwg_j":
        value = f"{b.value:.2f}"
    elif b.measure.endswith("percent_points"):
        value = f"{b.value:.0f} points"
    elif "percent" in b.measure or b.label.startswith("%") or b.label.endswith("(%)"):
        value = f"{b.value:.0f}%"
    else:
        value = f"{b.value:.0f}"
    return f"{b.label}: {value} now"


def _start(dialog: QDialog, title: str, signal: Signal, width: int, height: int) -> QVBoxLayout:
    """Title and size a follow-up dialog; its layout opens with the signal's headline."""
    dialog.setWindowTitle(title)
    dialog.resize(width, height)
    layout = QVBoxLayout(dialog)
    about = QLabel(headline(signal))
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

    def __init__(self, signal: Signal, note: str = "", parent: QWidget | None = None):
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
    """Create an action on a signal: what will be done, by which role, by when."""

    def __init__(
        self,
        signal: Signal,
        subject: Subject,
        baseline: Baseline,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.signal, self.subject, self.baseline = signal, subject, baseline
        layout = _start(self, self.tr("Create an action"), signal, 620, 460)
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
        _buttons(self, layout, self.tr("Create action"))
        self.title.setFocus()

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
