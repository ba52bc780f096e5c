"""The shell: workers, run_task, the main window, the start screen and the gui command."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from culturescope import Cancelled


def _count(n, *, progress, is_cancelled):
    for k in range(n):
        progress(k / n, f"step {k}")
    return n * 2


def _boom(*, progress, is_cancelled):
    raise ValueError("bad input in row 3")


def _until_cancelled(started: threading.Event, *, progress, is_cancelled):
    started.set()
    while not is_cancelled():
        started.wait(0.005)
    raise Cancelled("cancelled")


def test_run_task_delivers_result_on_gui_thread(qtbot, empty_state):
    seen = {}

    def on_result(value):
        seen["value"] = value
        seen["thread"] = threading.current_thread() is threading.main_thread()

    task = empty_state.run_task(_count, 5, title="Counting", on_result=on_result)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert seen == {"value": 10, "thread": True}
    assert task.outcome == "finished"


def test_run_task_error_goes_to_on_error_or_main_window(qtbot, empty_state):
    errors = []
    task = empty_state.run_task(_boom, title="Boom", on_result=print, on_error=errors.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert isinstance(errors[0], ValueError)
    with qtbot.waitSignal(empty_state.taskError, timeout=5000) as blocker:
        empty_state.run_task(_boom, title="Boom", on_result=print)
    assert blocker.args[0] == "Boom"


def test_cancel_reaches_the_function(qtbot, empty_state):
    started = threading.Event()
    errors = []
    task = empty_state.run_task(
        _until_cancelled, started, title="Waiting", on_result=print, on_error=errors.append
    )
    assert started.wait(5)
    with qtbot.waitSignal(task.done, timeout=5000):
        task.cancel()
    assert task.outcome == "cancelled"
    assert isinstance(errors[0], Cancelled)


def test_start_screen_on_empty_database(qtbot, empty_state):
    from culturescope.gui.main_window import START_PAGE, MainWindow

    w = MainWindow(empty_state, remember_geometry=False)
    qtbot.addWidget(w)
    assert w.current_key == START_PAGE
    page = w.pages[START_PAGE]
    assert page.campaign_button.isEnabled()


def test_window_navigates_pages_and_status_shows_tasks(qtbot, window, state):
    assert window.current_key == "home"
    for spec in window.specs:
        window.sidebar.setCurrentRow(window.sidebar_row(spec.key))
        assert window.current_key == spec.key
        assert window.stack.currentWidget() is window.pages[spec.key]
    # the pages' own work (scoring, counting signals) ends first
    qtbot.waitUntil(lambda: not state.tasks, timeout=30000)
    assert not window.task_status.isVisible()
    started = threading.Event()
    task = state.run_task(_until_cancelled, started, title="Long job", on_result=print)
    assert window.task_status.isVisible()
    assert "Long job" in window.task_status.label.text()
    with qtbot.waitSignal(task.done, timeout=5000):
        qtbot.mouseClick(window.task_status.cancel_button, _left())
    assert not window.task_status.isVisible()


def test_closing_cancels_and_waits_for_tasks(qtbot, window, state, dialogs):
    started = threading.Event()
    task = state.run_task(_until_cancelled, started, title="Long job", on_result=print)
    assert started.wait(5)
    dialogs.answer = False
    window.close()
    assert window.isVisible()  # the user chose to keep working
    dialogs.answer = True
    window.close()
    assert not window.isVisible()
    assert task.cancel_requested
    assert not task._thread.isRunning()
    qtbot.waitUntil(lambda: not state.tasks, timeout=5000)


def test_icons_are_looked_up_by_name():
    from culturescope.gui.pages import PAGES
    from culturescope.gui.style import UnknownIcon, icon

    for spec in PAGES:
        assert not icon(spec.icon).isNull()
    with pytest.raises(UnknownIcon, match="no icon 'nope'"):
        icon("nope")


def test_screenshot_command_writes_png(tmp_path):
    out = tmp_path / "shot.png"
    db = tmp_path / "shot.db"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "culturescope.cli",
            "--db",
            str(db),
            "gui",
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_refuses_unknown_page(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "culturescope.cli",
            "--db",
            str(tmp_path / "x.db"),
            "gui",
            "--screenshot",
            str(tmp_path / "x.png"),
            "--page",
            "nope",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "no page 'nope'" in proc.stderr


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_sidebar_is_grouped_and_headings_cannot_be_selected(qtbot, window):
    from PySide6.QtCore import Qt

    texts = [window.sidebar.item(r).text() for r in range(window.sidebar.count())]
    for heading in ("Set up", "Collect", "Results"):
        assert heading in texts
    assert texts.index("Set up") < texts.index("Campaigns") < texts.index("Collect")
    assert texts.index("Collect") < texts.index("Import") < texts.index("Results")
    assert texts.index("Results") < texts.index("Dashboard")
    heading = window.sidebar.item(texts.index("Collect"))
    assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    window.sidebar.setCurrentRow(texts.index("Collect"))
    assert window.current_key == "home"  # a heading is not a page


def _gui(*args, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "culturescope.cli", "--db", str(tmp_path / "g.db"), "gui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_list_pages_prints_one_name_per_line(tmp_path):
    from culturescope.gui.pages import PAGES

    proc = _gui("--list-pages", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:-1] == ["start", *(s.key for s in PAGES)]


def test_screenshot_with_size_and_dark_theme(tmp_path):
    from PySide6.QtGui import QImage

    from culturescope.gui.theme import DARK, contrast

    out = tmp_path / "dark.png"
    proc = _gui(
        "--screenshot",
        str(out),
        "--page",
        "settings",
        "--size",
        "1024x700",
        "--theme",
        "dark",
        tmp_path=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
    corner = image.pixelColor(image.width() - 40, image.height() // 2).name()
    assert contrast(corner, DARK.window) < 1.3  # the page background is the dark one
    bad = _gui("--screenshot", str(out), "--size", "big", tmp_path=tmp_path)
    assert bad.returncode == 2
    assert "WIDTHxHEIGHT" in bad.stderr


def test_campaign_settings_open_from_anywhere(qtbot, window, state, monkeypatch):
    from culturescope.gui.campaign_dialog import CampaignDialog

    opened = []
    monkeypatch.setattr(CampaignDialog, "exec", lambda d: opened.append(d.campaign) or 0)
    window.navigate("edit-campaign")
    assert window.current_key == "campaigns"
    assert opened and opened[0].id == state.current_campaign.id
