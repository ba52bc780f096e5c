"""The import wizard: a good file is previewed and imported; a bad one is refused."""

from __future__ import annotations

import pytest

from culturescope.gui.pages.import_page import ImportPage


@pytest.fixture
def page(qtbot, state):
    p = ImportPage(state)
    qtbot.addWidget(p)
    p.refresh()
    return p


def _wait_idle(qtbot, page):
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)


def test_import_a_good_file(qtbot, page, state, flagship, tmp_path, csv_file):
    path = csv_file(tmp_path / "answers.csv", flagship)
    before = state.store.campaign("2026 Q4").response_count
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    assert page.stack.currentWidget() is page.step_preview
    kinds = {
        page.columns_table.item(r, 1).text(): page.columns_table.item(r, 2).text()
        for r in range(page.columns_table.rowCount())
    }
    assert kinds["Email"].startswith("dropped")
    assert "dropped" in page.preview_summary.text()
    assert page.import_button.isEnabled()
    # a clean file: no empty problems table, the summary says so
    assert page.problems_table.rowCount() == 0 and not page.problems_box.isVisibleTo(page)
    assert "No problems found" in page.preview_summary.text()
    assert state.store.campaign("2026 Q4").response_count == before  # nothing stored yet
    with qtbot.waitSignal(state.dataChanged, timeout=20000):
        qtbot.mouseClick(page.import_button, _left())
    assert page.stack.currentWidget() is page.step_summary
    assert "30 responses imported" in page.summary.text()
    assert state.store.campaign("2026 Q4").response_count == before + 30
    # the final step leads to the results, and the import just made can be undone there
    with qtbot.waitSignal(page.navigate) as blocker:
        qtbot.mouseClick(page.results_button, _left())
    assert blocker.args == ["dashboard"]
    assert page.undo_button.isVisibleTo(page) and page.undo_button.isEnabled()
    with qtbot.waitSignal(state.dataChanged, timeout=20000):
        qtbot.mouseClick(page.undo_button, _left())
    assert state.store.campaign("2026 Q4").response_count == before
    assert "undone" in page.summary.text()
    assert not page.undo_button.isVisibleTo(page)


def test_a_bad_file_is_refused_with_row_and_column(
    qtbot, page, state, flagship, tmp_path, csv_file
):
    path = csv_file(tmp_path / "bad.csv", flagship, bad_row=4)
    before = state.store.campaign("2026 Q4").response_count
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    assert page.stack.currentWidget() is page.step_preview
    assert not page.import_button.isEnabled()
    assert page.problems_box.isVisibleTo(page)
    rows = [
        tuple(page.problems_table.item(r, c).text() for c in range(4))
        for r in range(page.problems_table.rowCount())
    ]
    errors = [r for r in rows if r[0] == "Error"]
    first_item = flagship.items[0].id
    assert errors == [("Error", "6", f"C ({first_item})", errors[0][3])]
    assert "9" in errors[0][3]
    page.start_import()  # refused: the button is disabled and the plan has errors
    assert page.task is None
    assert state.store.campaign("2026 Q4").response_count == before


def test_cancelling_the_import_stores_nothing(
    qtbot, page, state, flagship, tmp_path, monkeypatch, csv_file
):
    import culturescope.gui.pages.import_page as module

    path = csv_file(tmp_path / "answers.csv", flagship)
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    real = module._import

    def cancel_first(*args, is_cancelled, **kwargs):
        # as if the user pressed Cancel while it runs
        return real(*args, is_cancelled=lambda: True, **kwargs)

    monkeypatch.setattr(module, "_import", cancel_first)
    before = state.store.campaign("2026 Q4").response_count
    page.start_import()
    _wait_idle(qtbot, page)
    assert "cancelled" in page.preview_summary.text()
    assert state.store.campaign("2026 Q4").response_count == before


def test_unreadable_file_is_explained(qtbot, page, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"this is not a workbook")
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    assert page.stack.currentWidget() is page.step_file
    assert "notes.xlsx" in page.file_problem.text()


def test_page_without_campaign_says_what_to_do(qtbot, empty_state):
    p = ImportPage(empty_state)
    qtbot.addWidget(p)
    p.refresh()
    assert p.stack.currentWidget() is p.no_campaign


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
