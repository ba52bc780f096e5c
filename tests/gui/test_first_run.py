"""The first run, driven the way a user does it: start screen → Start a campaign → Create.

Hiding the focused button used to move focus to the sidebar, which selected Dashboard in
the middle of the switch to Campaigns: both pages stayed painted and the Campaigns table
still said "No campaign yet" after the campaign was created.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog


def _fill_and_create(name: str, seen: list) -> None:
    from culturescope.gui.pages.campaigns_page import CampaignDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, CampaignDialog):  # not up yet: look again shortly
        QTimer.singleShot(20, lambda: _fill_and_create(name, seen))
        return
    seen.append(dialog)
    dialog.name.setText(name)
    dialog.name.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter presses Create


def _visible_pages(window):
    return [key for key, w in window.pages.items() if w.isVisible()]


def _first_run(qtbot, empty_state, *, by_keyboard: bool):
    from culturescope.gui.main_window import START_PAGE, MainWindow

    w = MainWindow(empty_state, remember_geometry=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    start = w.pages[START_PAGE]
    assert w.current_key == START_PAGE
    seen: list = []
    QTimer.singleShot(0, lambda: _fill_and_create("2026 Q4", seen))
    if by_keyboard:
        start.campaign_button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(start.campaign_button, Qt.Key.Key_Space)
    else:
        qtbot.mouseClick(start.campaign_button, Qt.MouseButton.LeftButton)
    assert seen, "the campaign dialog did not open"
    assert seen[0].result() == QDialog.DialogCode.Accepted
    # Stored in a worker: the window shows it once the write has committed.
    qtbot.waitUntil(lambda: empty_state.current_campaign is not None, timeout=30_000)
    return w


def _check_campaigns_shown(w, state) -> None:
    assert [c.name for c in state.store.campaigns()] == ["2026 Q4"]
    assert w.current_key == "campaigns"
    page = w.pages["campaigns"]
    assert w.stack.currentWidget() is page
    # one page on screen, the sidebar agrees, and the table shows the new campaign
    assert _visible_pages(w) == ["campaigns"]
    assert w.sidebar.currentItem().data(Qt.ItemDataRole.UserRole) == "campaigns"
    assert page.stack.currentWidget() is page.table
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text().startswith("2026 Q4")
    assert state.current_campaign is not None and state.current_campaign.name == "2026 Q4"


def test_first_run_by_mouse_shows_the_new_campaign(qtbot, empty_state):
    w = _first_run(qtbot, empty_state, by_keyboard=False)
    _check_campaigns_shown(w, empty_state)


def test_first_run_by_keyboard_shows_the_new_campaign(qtbot, empty_state):
    w = _first_run(qtbot, empty_state, by_keyboard=True)
    _check_campaigns_shown(w, empty_state)
    # the keyboard user lands on the page, not on the sidebar
    assert w.pages["campaigns"].isAncestorOf(w.focusWidget())


def test_focus_reaching_the_sidebar_never_switches_pages(qtbot, empty_state):
    """Moving focus into the sidebar (Tab, or a hidden widget handing it on) keeps the page."""
    from culturescope.gui.main_window import MainWindow

    w = MainWindow(empty_state, remember_geometry=False)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    w.show_page("campaigns")
    w.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    assert w.current_key == "campaigns"
    assert _visible_pages(w) == ["campaigns"]
