"""Dialogs for the admin passphrase that guards kiosk mode.

The passphrase itself is never kept: :class:`culturescope.settings.Settings` stores only a
salted hash. ``ask_passphrase`` and ``ask_new_passphrase`` are module functions so that
tests can replace them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from culturescope.settings import PASSPHRASE_MIN_LENGTH as MIN_LENGTH
from culturescope.settings import passphrase_problem, passphrase_strength


class PassphraseDialog(QDialog):
    """Asks for the admin passphrase once (to leave kiosk mode)."""

    def __init__(self, parent: QWidget | None = None, prompt: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Administrator passphrase"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        label = QLabel(prompt or self.tr("Enter the administrator passphrase to leave kiosk mode."))
        label.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("Administrator passphrase"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def passphrase(self) -> str:
        return self.edit.text()


class NewPassphraseDialog(QDialog):
    """Asks the lead to choose the admin passphrase (typed twice)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set the administrator passphrase"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Kiosk mode locks this computer to the survey. Choose a passphrase that "
                "only you know: it is needed to leave kiosk mode (Ctrl+Shift+Q or the small "
                "button in the top-right corner). It is stored only as a salted hash."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        for edit, name in (
            (self.first, self.tr("New passphrase")),
            (self.second, self.tr("Repeat the passphrase")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            form.addRow(name + ":", edit)
        self.strength = QLabel()
        self.strength.setObjectName("muted")
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName(self.tr("Passphrase strength"))
        form.addRow("", self.strength)
        self.first.textChanged.connect(self._show_strength)
        self._show_strength("")
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.first.setFocus()

    def accept(self) -> None:
        problem = self.check()
        if problem:
            self.problem.setText(problem)
            return
        super().accept()

    def _show_strength(self, text: str) -> None:
        if not text:
            self.strength.setText(
                self.tr("At least {0} characters; a few unrelated words are best.").format(
                    MIN_LENGTH
                )
            )
            return
        _level, hint = passphrase_strength(text)
        self.strength.setText(self.tr(hint))

    def check(self) -> str:
        """What is wrong with the typed passphrases ("" when they can be used)."""
        if len(self.first.text()) < MIN_LENGTH:
            return self.tr("The passphrase needs at least {0} characters.").format(MIN_LENGTH)
        problem = passphrase_problem(self.first.text())
        if problem:
            return problem[0].upper() + problem[1:] + "."
        if self.first.text() != self.second.text():
            return self.tr("The two passphrases differ. Type the same passphrase twice.")
        return ""

    def passphrase(self) -> str:
        return self.first.text()


def ask_passphrase(parent: QWidget | None, prompt: str = "") -> str | None:
    """The passphrase the user typed, or None if they cancelled."""
    dialog = PassphraseDialog(parent, prompt)
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_new_passphrase(parent: QWidget | None) -> str | None:
    """A new passphrase (typed twice, long enough), or None if the user cancelled."""
    dialog = NewPassphraseDialog(parent)
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
