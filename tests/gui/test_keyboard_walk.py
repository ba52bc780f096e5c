"""One walk through the app with the keyboard alone, as a lead without a mouse does it:
start screen → new campaign → import a file → dashboard → signals → export.

Every step is reached with Tab (and the page shortcuts Ctrl+1…) and pressed with Space or
Enter. Only the operating system's file dialogs are answered by the test: they are the
platform's own, outside the app.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

MAX_TABS = 120


def tab_to(qtbot, window, target: QWidget) -> int:
    """Press Tab until ``target`` has the focus; returns how many presses it took."""
    for n in range(MAX_TABS):
        if window.focusWidget() is target:
            return n
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target!r}")


def press(qtbot, widget: QWidget) -> None:
    assert widget.hasFocus(), f"{widget.accessibleName()} does not have the focus"
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def _fill_campaign_dialog(name: str, seen: list) -> None:
    from culturescope.gui.campaign_dialog import CampaignDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, CampaignDialog):  # not up yet: look again shortly
        QTimer.singleShot(20, lambda: _fill_campaign_dialog(name, seen))
        return
    seen.append(dialog)
    from PySide6.QtTest import QTest

    QTest.keyClicks(dialog.name, name)  # the name box has the focus when it opens
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter presses Create


def test_start_to_export_with_the_keyboard_alone(
    qtbot, empty_state, flagship, csv_file, tmp_path, monkeypatch
):
    from culturescope.gui.main_window import START_PAGE, MainWindow
    from culturescope.gui.pages import import_page

    state = empty_state
    data = csv_file(tmp_path / "answers.csv", flagship, n=40)
    w = MainWindow(state, remember_geometry=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    assert w.current_key == START_PAGE

    # 1. Start a campaign: Tab to the button, Space, type the name, Enter.
    start = w.pages[START_PAGE]
    seen: list = []
    QTimer.singleShot(0, lambda: _fill_campaign_dialog("Walk 2026", seen))
    tab_to(qtbot, w, start.campaign_button)
    press(qtbot, start.campaign_button)
    assert seen, "the campaign dialog did not open"
    qtbot.waitUntil(lambda: state.current_campaign is not None, timeout=30_000)  # a worker
    assert state.current_campaign.name == "Walk 2026"
    assert w.pages[w.current_key].isAncestorOf(w.focusWidget())  # focus on the page

    # 2. Import: the page's shortcut, Tab to "Choose a file", Space; the file dialog is the
    #    system's (answered here); then Tab to Import and Space.
    shortcut = 1 + [s.key for s in w.specs].index("import")
    # The offscreen platform does not give the window back its activation when a dialog
    # closes (a window manager does); shortcuts need an active window.
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(
        w.focusWidget(),
        getattr(Qt.Key, f"Key_{shortcut % 10}"),
        Qt.KeyboardModifier.ControlModifier,
    )
    assert w.current_key == "import"
    page = w.pages["import"]
    monkeypatch.setattr(import_page.QFileDialog, "getOpenFileName", lambda *a, **k: (str(data), ""))
    tab_to(qtbot, w, page.drop.button)
    press(qtbot, page.drop.button)
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert page.stack.currentWidget() is page.step_preview
    tab_to(qtbot, w, page.import_button)
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        press(qtbot, page.import_button)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.step_summary, timeout=30_000)
    assert state.store.campaign("Walk 2026").response_count == 40

    # 3. See the results: the dashboard, scored.
    tab_to(qtbot, w, page.results_button)
    press(qtbot, page.results_button)
    assert w.current_key == "dashboard"
    dash = w.pages["dashboard"]
    qtbot.waitUntil(
        lambda: dash.task is None and dash.signals_task is None and dash.result is not None,
        timeout=60_000,
    )
    assert dash.stack.currentWidget() is not dash.empty
    pillar_table = dash.pillar_panel
    tab_to(qtbot, w, pillar_table.toggle)  # every chart opens as a table by keyboard
    press(qtbot, pillar_table.toggle)
    assert pillar_table.stack.currentWidget() is pillar_table.table

    # 4. Signals, from the dashboard's signal button.
    assert dash.signals_button.isVisible()
    tab_to(qtbot, w, dash.signals_button)
    press(qtbot, dash.signals_button)
    assert w.current_key == "signals"
    signals = w.pages["signals"]
    qtbot.waitUntil(lambda: signals.task is None and signals.analysis is not None, timeout=60_000)
    tab_to(qtbot, w, signals.filter)
    qtbot.keyClick(signals.filter, Qt.Key.Key_Down)  # "All signals"
    assert signals.filter.currentData() == "all"
    if signals.cards:  # a signal can be acknowledged by keyboard too
        card = signals.cards[0]
        tab_to(qtbot, w, card.ack)
        press(qtbot, card.ack)
        assert card.signal.id in signals.acknowledged()

    # 5. Export the scorecard: the page's button, then Export; the save dialog is the
    #    system's (answered here).
    target = tmp_path / "Walk scorecard.pdf"
    tab_to(qtbot, w, signals.export_button)
    press(qtbot, signals.export_button)
    assert w.current_key == "export"
    export = w.pages["export"]
    monkeypatch.setattr(export, "choose_path", lambda kind, suggested: str(target))
    tab_to(qtbot, w, export.export_button)
    press(qtbot, export.export_button)
    qtbot.waitUntil(lambda: export.task is None, timeout=120_000)
    assert target.is_file() and target.stat().st_size > 1000
    assert str(target) in export.status.text()
