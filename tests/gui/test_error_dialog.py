"""The one handler for unexpected errors: a plain message, Details, Copy details, a log."""

from __future__ import annotations

import logging
import sys

from culturescope.logs import log_path, setup_logging, shutdown_logging


def test_unexpected_exception_reads_plain_with_details(qapp):
    from culturescope.gui import messages

    try:
        {}["secret_internal_key"]
    except KeyError as exc:
        text = messages.describe(exc)
    assert isinstance(text, messages.Unexpected)
    assert "KeyError" not in text and "secret_internal_key" not in text
    assert "Something unexpected went wrong" in text
    assert "KeyError" in text.details and "Traceback" in text.details


def test_error_dialog_details_and_copy(qtbot):
    from PySide6.QtGui import QGuiApplication

    from culturescope.gui.messages import ErrorDialog

    dialog = ErrorDialog(None, "Export failed", "Plain words.", "Try again.", "Traceback: x")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.details_button.isVisible() and not dialog.details_text.isVisible()
    dialog.details_button.click()
    assert dialog.details_text.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Plain words.\n\nTraceback: x"
    plain = ErrorDialog(None, "Refused", "The file is not a bundle.")
    qtbot.addWidget(plain)
    plain.show()
    assert not plain.details_button.isVisible() and not plain.copy_button.isVisible()


def test_excepthook_and_qt_messages_go_to_the_log_and_the_dialog(qtbot, dialogs):
    import threading

    from PySide6.QtCore import qWarning

    from culturescope.gui import messages

    saved, saved_thread = sys.excepthook, threading.excepthook
    setup_logging()
    previous = None
    try:
        previous = messages.install_error_handling()
        try:
            raise ValueError("bug in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: bool(dialogs.errors))
        title, text, _next = dialogs.errors[0]
        assert title == "Something went wrong" and "bug in a slot" not in text
        qWarning("a Qt warning for the log")
        for h in logging.getLogger("culturescope").handlers:
            h.flush()
        log = log_path().read_text(encoding="utf-8")
        assert "bug in a slot" in log and "Traceback" in log
        assert "a Qt warning for the log" in log
    finally:
        sys.excepthook, threading.excepthook = saved, saved_thread
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(previous)
        shutdown_logging()
