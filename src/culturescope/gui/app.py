"""Start the desktop app (or render a screenshot of it offscreen)."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

SCREENSHOT_SIZE = (1366, 768)  # the most common laptop screen


def parse_size(text: str) -> tuple[int, int]:
    """``"1366x768"`` → ``(1366, 768)``; ValueError with a readable message otherwise."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"--size '{text}' is not WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise ValueError(f"--size '{text}' is outside 320x240 to 8000x8000")
    return width, height


def _application(theme_choice: str = "system"):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("CultureScope")
    app.setOrganizationName("CultureScope")
    app.setApplicationDisplayName("CultureScope")
    app.setStyle("Fusion")  # the same look on every platform; the stylesheet refines it
    from culturescope.gui import theme
    from culturescope.gui.style import icon

    theme.apply(theme_choice, app)
    app.setWindowIcon(icon("app"))
    return app


def wait_for_tasks(state, timeout: float = 120.0) -> bool:
    """Process events until no task of ``state`` runs; False on timeout."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while state.tasks:
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        for task in list(state.tasks):
            task.wait(20)
    QApplication.processEvents()
    return True


def render_screenshot(window, path: str, size: tuple[int, int] = SCREENSHOT_SIZE) -> None:
    """Show ``window`` at ``size``, let its pages finish their work, save a PNG."""
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    QApplication.processEvents()
    wait_for_tasks(window.state)
    QApplication.processEvents()
    if not window.grab().save(path, "PNG"):
        raise OSError(f"could not write the screenshot to {path}")


def open_document(window, path: str):
    """Install a kiosk setup file or merge a response bundle from the Campaigns page."""
    page = window.show_page("campaigns")
    if path.lower().endswith(".cskiosk"):
        return page.install_kiosk_setup(path)
    return page.merge_bundle(path)


_CHECK_PATH = (
    "Check the path in --db or CULTURESCOPE_DB, or choose another data location in Settings."
)


class _Quit(Exception):
    """The user chose to quit rather than start a database."""


def chosen_database(db: str | None, settings_database: str) -> tuple[str, str]:
    """The database named by the user and where: ``--db``, then ``CULTURESCOPE_DB``, then
    the data location in Settings; ``("", "")`` for the user data folder's database."""
    if db:
        return db, "--db"
    if os.environ.get("CULTURESCOPE_DB"):
        return os.environ["CULTURESCOPE_DB"], "CULTURESCOPE_DB"
    if settings_database:
        return settings_database, "the data location in Settings"
    return "", ""


def database_to_start(chosen: str, source: str, *, ask=None) -> Path | None:
    """The file a new database will be started in (None: it exists, or is no file).

    A named file whose folder does not exist (a network drive not connected today, a
    mistyped path) is not made quietly: ``ask(problem)`` — the dialog of
    :func:`ask_missing_folder` — says "retry", "create" (make the folder) or anything
    else (quit: :class:`_Quit`); without ``ask`` (a screenshot) the problem is raised.
    Raises CultureScopeError for a path that cannot be a database file (a folder).
    """
    if not chosen:
        return None
    from culturescope import CultureScopeError
    from culturescope.database_choice import MissingFolder, check_chosen_file

    while True:
        try:
            return check_chosen_file(chosen, source=source, may_create=True)
        except MissingFolder as problem:
            if ask is None:
                raise
            answer = ask(problem)
            if answer == "create":
                try:
                    problem.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise CultureScopeError(
                        f"the folder {problem.path.parent} cannot be made ({exc.strerror})"
                    ) from None
            elif answer != "retry":
                raise _Quit from None


def ask_missing_folder(problem) -> str:
    """Ask what to do about a database whose folder does not exist: "retry", "create"
    or "quit"."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Database folder not found",
        f"CultureScope is set to use the database\n{problem.path}\n(from {problem.source}), "
        "but its folder does not exist.",
        QMessageBox.StandardButton.NoButton,
    )
    box.setInformativeText(
        "If the folder is on a network drive or a removable disk, connect it and choose "
        f"Try again. Create folder makes {problem.path.parent} and starts a new, empty "
        "database there."
    )
    retry = box.addButton("&Try again", QMessageBox.ButtonRole.AcceptRole)
    create = box.addButton("&Create folder", QMessageBox.ButtonRole.ActionRole)
    quit_ = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.setEscapeButton(quit_)
    box.exec()
    clicked = box.clickedButton()
    return "retry" if clicked is retry else "create" if clicked is create else "quit"


def show_new_database(window, path: Path) -> None:
    """Name a database started in this session in the window's status bar, for as long as
    the window is open: an empty app must say where it is looking."""
    from PySide6.QtWidgets import QLabel

    label = QLabel(window.tr("New database: {0}").format(path))
    label.setObjectName("new_database")
    label.setToolTip(
        window.tr("This database was started now, empty. Its location: {0}").format(path)
    )
    window.statusBar().addPermanentWidget(label)


def run_app(
    db: str | None = None,
    screenshot: str | None = None,
    page: str | None = None,
    *,
    open_file: str | None = None,
    size: tuple[int, int] = SCREENSHOT_SIZE,
    theme_choice: str | None = None,
) -> int:
    """Open the main window on database ``db`` (default location when None).

    ``open_file`` is a kiosk setup file or response bundle the user opened with the app
    (a double-click in the file manager): once the window shows, it is installed or
    merged as with the Campaigns page's buttons, which report the outcome.

    With ``screenshot``, render the window (on ``page`` if given) offscreen at ``size``,
    save it as PNG and return instead of running the event loop. ``theme_choice``
    ("light", "dark" or "system") overrides the theme of the settings for this run.
    """
    from culturescope.gui.pages import PAGES

    known = ["start", *(spec.key for spec in PAGES)]
    if page and page not in known:
        print(f"culturescope: error: no page '{page}' (pages: {', '.join(known)})", file=sys.stderr)
        return 2
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from culturescope.logs import setup_logging

    setup_logging()
    from culturescope import CultureScopeError
    from culturescope.settings import load_settings

    try:
        settings = load_settings()
    except CultureScopeError as exc:
        settings, settings_problem = None, exc
    else:
        settings_problem = None
    choice = theme_choice or (settings.theme if settings is not None else "system")
    app = _application(choice)
    if not screenshot:
        from culturescope.gui.messages import install_error_handling

        install_error_handling()

    from culturescope.gui import messages
    from culturescope.gui.main_window import MainWindow
    from culturescope.gui.state import AppState
    from culturescope.storage import Store

    def fail(title: str, exc: BaseException, hint: str) -> int:
        if screenshot:
            print(f"culturescope: error: {messages.describe(exc)}", file=sys.stderr)
        else:
            messages.error(None, title, messages.describe(exc), hint)
        return 1

    if settings_problem is not None:
        return fail(
            "Settings cannot be read", settings_problem, "Delete the settings file to start afresh."
        )
    if theme_choice is None:
        from culturescope.gui import theme

        theme.follow_system(lambda: settings.theme)
    chosen, source = chosen_database(db, settings.database)
    try:
        new_file = database_to_start(chosen, source, ask=None if screenshot else ask_missing_folder)
    except _Quit:
        return 1
    except CultureScopeError as exc:
        return fail("The database cannot be opened", exc, _CHECK_PATH)
    try:
        store = Store(chosen or None)
    except Exception as exc:
        return fail("The database cannot be opened", exc, _CHECK_PATH)
    try:
        state = AppState(store, settings)
        window = MainWindow(state, remember_geometry=not screenshot)
        if new_file is not None:
            show_new_database(window, new_file)
        if page:
            try:
                window.show_page(page)
            except KeyError as exc:
                print(f"culturescope: error: {exc.args[0]}", file=sys.stderr)
                return 2
        if screenshot:
            render_screenshot(window, screenshot, size)
            window.close()
            return 0
        # What exists now (modules, classes, widgets) lives as long as the app: keep it out
        # of the garbage collector's full collections. Walking those ~150,000 objects takes
        # 50-150 ms on a modest machine, and a collection holds the GIL in whichever thread
        # set it off, so a worker (an import of 100,000 rows) froze the window that long.
        gc.freeze()
        window.show()
        if open_file:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: open_document(window, open_file))
        return int(app.exec())
    finally:
        store.close()
