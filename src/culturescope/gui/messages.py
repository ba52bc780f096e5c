"""The app's modal messages, in one place so they read alike (and tests can patch them).

Every error says what happened and what to do next. An error nobody expected (a bug)
never shows its raw exception text as the message: the user reads a plain sentence, and
the traceback is behind a "Details" disclosure with a "Copy details" button — the same
text that goes to the log file (see :mod:`culturescope.logs`).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from culturescope import CultureScopeError
from culturescope.logs import format_details, install_excepthook, log_path, log_unexpected

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong. Your data is safe: CultureScope saves each change "
    "completely or not at all."
)


class Unexpected(str):
    """The plain sentence shown for an unexpected exception, carrying its details."""

    details: str = ""


def describe(exc: BaseException) -> str:
    """A user-facing sentence for an exception: our own errors carry one already.

    An unexpected exception is written to the log with its traceback; the sentence
    returned is plain (an :class:`Unexpected` whose ``details`` :func:`error` shows on
    request), never the exception's own text.
    """
    if isinstance(exc, CultureScopeError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "There is not enough memory for this. Close other programs or use a smaller file."
    from culturescope.storage import is_database_exception, translate

    if is_database_exception(exc):
        return str(translate(exc))
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc)
    if not getattr(exc, "_culturescope_logged", False):
        log_unexpected(exc)
        try:
            exc._culturescope_logged = True  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - exceptions without a __dict__
            pass
    text = Unexpected(f"{UNEXPECTED} The details are in the log file {log_path()}.")
    text.details = format_details(exc)
    return text


class ErrorDialog(QDialog):
    """A warning: the message, what to do next and, for a bug, Details / Copy details."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        next_step: str = "",
        details: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("errorDialog")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        words = QVBoxLayout()
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(self.message)
        self.next_step = QLabel(next_step)
        self.next_step.setWordWrap(True)
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step.setVisible(bool(next_step))
        words.addWidget(self.next_step)
        top.addLayout(words, 1)
        layout.addLayout(top)
        self.details_text = QPlainTextEdit(details)
        self.details_text.setReadOnly(True)
        self.details_text.setMinimumHeight(160)
        self.details_text.setVisible(False)
        layout.addWidget(self.details_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        for b in (self.details_button, self.copy_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
            b.setAutoDefault(False)
            b.setVisible(bool(details))  # after addButton, which shows it
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _toggle_details(self, shown: bool) -> None:
        self.details_text.setVisible(shown)
        self.details_button.setText(self.tr("Hide details") if shown else self.tr("Details"))
        self.adjustSize()

    def copy_details(self) -> None:
        """Put the message and the details on the clipboard (for a support e-mail)."""
        QGuiApplication.clipboard().setText(
            f"{self.message.text()}\n\n{self.details_text.toPlainText()}"
        )
        self.copy_button.setText(self.tr("Copied"))


def error(parent: QWidget | None, title: str, text: str, next_step: str = "") -> None:
    """A warning box: ``text`` says what went wrong, ``next_step`` what to do about it.

    When ``text`` comes from :func:`describe` of an unexpected exception, the box offers
    its details.
    """
    details = text.details if isinstance(text, Unexpected) else ""
    ErrorDialog(parent, title, str(text), next_step, details).exec()


def unexpected(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user about an exception nobody caught (already logged)."""
    exc._culturescope_logged = True  # type: ignore[attr-defined]
    error(
        parent,
        "Something went wrong",
        describe(exc),
        "If it happens again, send the details to your support contact.",
    )


class _Relay(QObject):
    """Carries an uncaught exception from any thread to the GUI thread's dialog."""

    raised = Signal(object)


_relay: _Relay | None = None
_showing = threading.Lock()

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    logging.getLogger("culturescope.qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_error_handling():
    """Route uncaught exceptions and Qt's own messages to the log; show the dialog.

    Call once the QApplication exists. Returns Qt's previous message handler.
    """
    global _relay
    _relay = _Relay()

    def show_now(exc: BaseException) -> None:
        if not _showing.acquire(blocking=False):
            return  # one dialog at a time; the rest are in the log
        try:
            from PySide6.QtWidgets import QApplication

            unexpected(QApplication.activeWindow(), exc)
        finally:
            _showing.release()

    _relay.raised.connect(show_now, Qt.ConnectionType.QueuedConnection)

    def show(exc: BaseException) -> None:
        if _relay is not None:
            _relay.raised.emit(exc)

    install_excepthook(show)
    return qInstallMessageHandler(_qt_message)


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
