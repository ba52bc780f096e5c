"""Export page: format choice, export in a worker with progress, open/show at the end."""

from __future__ import annotations

import openpyxl
import pytest

from culturescope.gui.pages.export_page import ExportPage


@pytest.fixture
def page(qtbot, state, monkeypatch):
    p = ExportPage(state)
    qtbot.addWidget(p)
    p.resize(900, 650)
    p.show()
    return p


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: page.task is None, timeout=120_000)


def test_export_xlsx_then_open_and_show(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    target = tmp_path / "scorecard"  # no suffix: the page adds .xlsx
    monkeypatch.setattr(page, "choose_path", lambda kind, suggested: str(target))
    assert not page.open_button.isVisible()
    xlsx = page.format_buttons["xlsx"]
    qtbot.mouseClick(xlsx, Qt.MouseButton.LeftButton, pos=QPoint(8, xlsx.height() // 2))
    assert page.responses.isEnabled() and not page.by_team.isEnabled()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert not page.export_button.isEnabled()  # busy while the worker runs
    _wait(qtbot, page)
    out = tmp_path / "scorecard.xlsx"
    assert out.exists()
    assert "Summary" in openpyxl.load_workbook(out).sheetnames
    assert page.open_button.isVisible() and page.folder_button.isVisible()
    assert str(out) in page.status.text()
    page.grab().save(str(tmp_path / "export-page.png"))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(out), str(tmp_path)]
    assert page.export_button.isEnabled()


def test_template_and_form(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    monkeypatch.setattr(page, "choose_path", lambda kind, suggested: str(tmp_path / f"out.{kind}"))
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert (tmp_path / "out.xlsx").exists()
    page.paper.setCurrentIndex(1)
    qtbot.mouseClick(page.form_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_cancelled_dialog_does_nothing(qtbot, page, monkeypatch):
    monkeypatch.setattr(page, "choose_path", lambda kind, suggested: "")
    page.export_scorecard()
    assert page.task is None and not page.open_button.isVisible()


def test_failure_is_reported(qtbot, page, tmp_path, monkeypatch, dialogs):
    monkeypatch.setattr(
        page, "choose_path", lambda kind, suggested: str(tmp_path / "missing" / "x.pdf")
    )
    page.export_scorecard()
    _wait(qtbot, page)
    assert dialogs.errors and "does not exist" in dialogs.errors[0][1]
    assert not page.open_button.isVisible()


def test_campaign_without_responses_is_refused_with_its_reason(
    qtbot, sqlite_store, flagship, tmp_path, monkeypatch, dialogs
):
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    sqlite_store.create_campaign("Empty", flagship)
    s = AppState(sqlite_store, Settings())
    s.reload_campaign()
    p = ExportPage(s)
    qtbot.addWidget(p)
    target = tmp_path / "empty.pdf"
    monkeypatch.setattr(p, "choose_path", lambda kind, suggested: str(target))
    p.export_scorecard()
    _wait(qtbot, p)
    assert dialogs.errors and "has no responses yet" in dialogs.errors[0][1]
    assert "has no responses yet" in p.status.text()
    assert not target.exists() and not p.open_button.isVisible()
    s.cancel_all(wait=True)


def test_empty_state(qtbot, empty_state):
    p = ExportPage(empty_state)
    qtbot.addWidget(p)
    assert p.stack.currentIndex() == 0


def test_disabled_export_says_why_and_empty_state_has_an_action(qtbot, empty_state, flagship):
    page = ExportPage(empty_state)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.primary is not None
    with qtbot.waitSignal(page.navigate) as blocker:
        page.empty.primary.click()
    assert blocker.args == ["new-campaign"]
    empty_state.store.create_campaign("Empty", flagship)
    empty_state.reload_campaign()
    page.refresh()
    assert not page.export_button.isEnabled()
    assert page.export_reason.isVisible()
    assert "no responses" in page.export_reason.text()
    assert "PDF only" in page.by_team.text() and "Excel only" in page.responses.text()
