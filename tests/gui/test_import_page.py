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
    assert "30 responses will be added (30 rows read; none skipped)" in page.preview_summary.text()
    assert state.store.campaign("2026 Q4").response_count == before  # nothing stored yet
    with qtbot.waitSignal(state.dataChanged, timeout=20000):
        qtbot.mouseClick(page.import_button, _left())
    assert page.stack.currentWidget() is page.step_summary
    assert "30 responses imported" in page.summary.text()
    batch = state.store.batches("2026 Q4")[-1]
    assert f"as import {batch.id}." in page.summary.text()
    assert "30 rows read; none skipped." in page.summary.text()
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
    text = page.file_problem.text()
    # The file named once, in one sentence (review F10b: "notes.xlsx cannot be read:
    # notes.xlsx: is not…").
    assert text.startswith("notes.xlsx is not a real xlsx workbook: it contains plain text.")
    assert text.count("notes.xlsx") == 1
    assert text.endswith("Choose an xlsx, ods or csv file.")


def test_a_file_of_unknown_columns_says_what_to_do_in_the_wizard(qtbot, page, tmp_path):
    """A csv whose columns match nothing: no "empty row", no mapping file to give."""
    path = tmp_path / "tiny.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    summary = page.preview_summary.text()
    assert "1 data row read." in summary
    assert "empty row" not in summary
    assert "This wizard does not take a mapping file" in summary


def test_page_without_campaign_says_what_to_do(qtbot, empty_state):
    p = ImportPage(empty_state)
    qtbot.addWidget(p)
    p.refresh()
    assert p.stack.currentWidget() is p.no_campaign


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _role_file(path, instrument, roles):
    import csv

    ids = [i.id for i in instrument.items]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["What is your role level?", *ids])
        for k, role in enumerate(roles):
            w.writerow([role, *[(k + j) % 4 + 1 for j in range(len(ids))]])
    return path


def test_unknown_values_are_mapped_with_drop_downs_and_remembered(
    qtbot, page, state, flagship, tmp_path
):
    roles = ["Director", "Manager", "Director", "Team member", "Senior leader", "Manager"]
    path = _role_file(tmp_path / "roles.csv", flagship, roles)
    before = state.store.campaign("2026 Q4").response_count
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    panel = page.values_panel
    assert panel.isVisibleTo(page) and not page.import_button.isEnabled()
    listed = {
        (panel.table.item(r, 1).text(), panel.table.item(r, 2).text())
        for r in range(panel.table.rowCount())
    }
    assert listed == {("Director", "2"), ("Team member", "1")}  # each value once, counted
    # the table says what to do here; the command line's advice is not repeated above it
    assert "--write-mapping" not in page.preview_summary.text()
    page.resize(1366, 768)
    page.grab().save(str(tmp_path / "import-values.png"))
    panel.choose("Director", "senior_leader")
    panel.choose("Team member", "front_line")
    qtbot.mouseClick(panel.apply_button, _left())
    _wait_idle(qtbot, page)
    assert page.import_button.isEnabled(), page.preview_summary.text()
    with qtbot.waitSignal(state.dataChanged, timeout=20000):
        qtbot.mouseClick(page.import_button, _left())
    assert state.store.campaign("2026 Q4").response_count == before + 6
    org = state.current_campaign.organisation
    assert state.settings.value_mapping(org, flagship.id) == {
        "role": {"Director": "senior_leader", "Team member": "front_line"}
    }

    # next time: the saved mapping is offered (pre-selected) and applied
    page.reset()
    other = _role_file(tmp_path / "more.csv", flagship, ["Director", "Team member", "Manager"])
    page.choose_file(str(other))
    _wait_idle(qtbot, page)
    assert page.import_button.isEnabled()
    assert panel.isVisibleTo(page) and panel.mapping() == {
        "role": {"Director": "senior_leader", "Team member": "front_line"}
    }


def test_skip_rows_with_unusable_answers(qtbot, page, state, flagship, tmp_path, csv_file):
    # '<' and '&' in a file name are shown as typed, never read as markup
    path = csv_file(tmp_path / "bad <b>&.csv", flagship, bad_row=4)
    before = state.store.campaign("2026 Q4").response_count
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    assert not page.import_button.isEnabled()
    page.skip_box.setChecked(True)
    _wait_idle(qtbot, page)
    assert page.import_button.isEnabled()
    preview = page.preview_summary.text()
    assert "bad &lt;b&gt;&amp;.rejected.xlsx" in preview
    assert "1 row with unusable answers will be left out" in preview
    assert "No problems found" not in preview  # one row is being left out (review F10)
    assert not (tmp_path / "bad <b>&.rejected.xlsx").exists()  # the preview writes nothing
    with qtbot.waitSignal(state.dataChanged, timeout=20000):
        qtbot.mouseClick(page.import_button, _left())
    assert state.store.campaign("2026 Q4").response_count == before + 29
    assert (tmp_path / "bad <b>&.rejected.xlsx").exists()
    summary = page.summary.text()
    assert "1 row was not imported</b>: it is saved" in summary
    assert summary.count("rejected.xlsx") == 1  # said once, not again as a bullet
    batch = state.store.batches("2026 Q4")[-1].id

    # The same file again: the preview says it was imported already.
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    preview = page.preview_summary.text()
    assert f"This file was imported already</b> (import {batch}): nothing will be added" in preview
    assert "No problems found" not in preview
    assert not page.import_button.isEnabled()


def test_date_order_can_be_chosen(qtbot, page, flagship, tmp_path):
    import csv
    import datetime as dt

    ids = [i.id for i in flagship.items]
    path = tmp_path / "dates.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Timestamp", *ids])
        w.writerow(["03/02/2026 10:00", *[2] * len(ids)])
        w.writerow(["04/02/2026 10:00", *[3] * len(ids)])
    page.choose_file(str(path))
    _wait_idle(qtbot, page)
    assert page.report.plan.submitted_on[0] == dt.date(2026, 2, 3)
    assert "could be day-first or month-first" in page.preview_summary.text()
    page.dates_box.setCurrentIndex(page.dates_box.findData("month-first"))
    _wait_idle(qtbot, page)
    assert page.report.plan.submitted_on == [dt.date(2026, 3, 2), dt.date(2026, 4, 2)]
