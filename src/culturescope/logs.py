"""The log file: where unexpected errors and database problems leave a trace for support.

Every module logs through its own logger (``logging.getLogger(__name__)``); the app and the
command line call :func:`setup_logging` once, which sends the ``culturescope`` loggers to a
rotating file in the user's data folder (``logs/culturescope.log``, five files of 1 MB at
most, readable by the user only). :func:`install_excepthook` routes exceptions that nobody
caught — in the main thread and in worker threads — to the same file.

Nothing secret is written: the store hides SQL parameters, and a filter masks long
hexadecimal runs (keys, fingerprints) and passphrase-like fields in every line.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "culturescope.log"
MAX_BYTES = 1_000_000
BACKUPS = 4
_ROOT = "culturescope"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)
# Without a log file (a library user, or a folder that cannot be written) nothing is
# printed: Python's last-resort handler would show tracebacks to the user.
logging.getLogger(_ROOT).addHandler(logging.NullHandler())

# 32+ hex digits in a row: a key, a fingerprint or a digest — never useful to support.
_HEX = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
# "passphrase=...", "key: ..." and the like in free text.
_SECRET_FIELD = re.compile(
    r"(?i)\b(passphrase|password|secret|bundle_key|fingerprint_key|salt|hash)(\W{1,3})(\S+)"
)


def redact(text: str) -> str:
    """``text`` with keys, digests and ``passphrase=...``-style values masked."""
    text = _HEX.sub("[hidden]", text)
    return _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}[hidden]", text)


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files only their owner can read (0600)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.chmod(self.baseFilename, 0o600)
        except OSError:  # pragma: no cover - e.g. a file system without modes
            pass
        return os.fdopen(fd, "a", encoding=self.encoding)


_handler: logging.Handler | None = None
_lock = threading.Lock()


def log_dir() -> Path:
    """The folder holding the log files (inside the user's data folder)."""
    from culturescope.paths import data_dir

    return data_dir() / "logs"


def log_path() -> Path:
    """The current log file."""
    return log_dir() / LOG_FILE_NAME


def setup_logging(*, level: int = logging.INFO) -> Path | None:
    """Send CultureScope's loggers to the rotating log file; returns its path.

    Safe to call more than once (the file changes when the data folder does, e.g. in
    tests). When the folder cannot be written the app runs on without a log (None).
    """
    global _handler
    with _lock:
        try:
            path = log_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(path.parent, 0o700)
        except OSError:
            return None
        root = logging.getLogger(_ROOT)
        if _handler is not None:
            if getattr(_handler, "baseFilename", None) == str(path):
                return path
            root.removeHandler(_handler)
            _handler.close()
            _handler = None
        try:
            handler = _PrivateRotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        except OSError:
            return None
        handler.setFormatter(_RedactingFormatter(_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
        _handler = handler
        return path


def shutdown_logging() -> None:
    """Close the log file (tests; the interpreter does it at exit otherwise)."""
    global _handler
    with _lock:
        if _handler is not None:
            logging.getLogger(_ROOT).removeHandler(_handler)
            _handler.close()
            _handler = None


def format_details(exc: BaseException) -> str:
    """The traceback of ``exc`` as support needs it (secrets masked)."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return redact(text)


def log_unexpected(exc: BaseException, *, where: str = "") -> None:
    """Write an exception nobody expected, with its traceback, to the log."""
    logging.getLogger(_ROOT).error(
        "unexpected error%s",
        f" in {where}" if where else "",
        exc_info=(type(exc), exc, exc.__traceback__),
    )


Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook(show: Callable[[BaseException], None] | None = None) -> None:
    """Route uncaught exceptions (main and worker threads) to the log.

    ``show`` is called afterwards with the exception (the GUI shows its error dialog);
    without it a one-line note goes to stderr. KeyboardInterrupt keeps Python's default.
    """

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc.__traceback__ = tb
        log_unexpected(exc)
        if show is not None:
            try:
                show(exc)
                return
            except Exception:  # the dialog itself failed: fall back to stderr
                log.exception("the error dialog could not be shown")
        print(f"culturescope: unexpected error; the details are in {log_path()}", file=sys.stderr)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
