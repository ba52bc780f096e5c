"""Start the desktop app (or render a screenshot of it offscreen)."""

from __future__ import annotations

import gc
import os
import sys
import time

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
    try:
        store = Store(db or os.environ.get("CULTURESCOPE_DB") or settings.database or None)
    except Exception as exc:
        return fail(
            "The database cannot be opened",
            exc,
            "Check the path in --db or CULTURESCOPE_DB, or choose another data location in "
            "Settings.",
        )
    try:
        state = AppState(store, settings)
        window = MainWindow(state, remember_geometry=not screenshot)
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
