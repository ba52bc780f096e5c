"""The app's modal messages, in one place so they read alike (and tests can patch them).

Every error says what happened and what to do next.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from culturescope import CultureScopeError


def describe(exc: BaseException) -> str:
    """A user-facing sentence for an exception: our own errors carry one already."""
    if isinstance(exc, CultureScopeError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc)
    return f"{type(exc).__name__}: {exc}"


def error(parent: QWidget | None, title: str, text: str, next_step: str = "") -> None:
    """A warning box: ``text`` says what went wrong, ``next_step`` what to do about it."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if next_step:
        box.setInformativeText(next_step)
    box.exec()


def info(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    if detail:
        box.setInformativeText(detail)
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, *, action: str = "OK", destructive=False
) -> bool:
    """Ask before doing something; True when the user accepts. Cancel is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(
        action,
        QMessageBox.ButtonRole.DestructiveRole
        if destructive
        else QMessageBox.ButtonRole.AcceptRole,
    )
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes
