"""Policies page: add and edit through the dialog (versions kept), remove, import, export."""

from __future__ import annotations

from PySide6.QtCore import Qt

from culturescope.gui.pages.policies_page import PoliciesPage, PolicyDialog
from culturescope.policies import policies


def fill(qtbot, title, statement, status, areas, *, review=None):
    def run(dialog):
        dialog.title.clear()
        qtbot.keyClicks(dialog.title, title)
        dialog.statement.setPlainText(statement)
        dialog.status.setCurrentIndex(dialog.status.findData(status))
        dialog.review.set_value(review)
        dialog.set_areas(areas)
        dialog.accept()
        return dialog.result()

    return run


def test_add_edit_remove_keeps_history(qtbot, state, monkeypatch, dialogs, tmp_path):
    page = PoliciesPage(state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.stack.currentWidget() is page.empty
    monkeypatch.setattr(
        PolicyDialog,
        "exec",
        fill(qtbot, "Stop work", "Anyone must stop unsafe work.", "implemented", ["stop_work"]),
    )
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        task = page.add()  # stored in a worker, one write at a time
        assert not page.add_button.isEnabled()
    assert task.outcome == "finished" and page.add_button.isEnabled()
    added = page.register[0]
    assert added.version == 1 and added.current.practice_areas == ("stop_work",)
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Stop work"
    # Missing evidence for an implemented policy is marked.
    assert "without evidence" in page.table.item(0, 5).toolTip()

    page.table.selectRow(0)
    monkeypatch.setattr(
        PolicyDialog,
        "exec",
        fill(qtbot, "Stop work", "Anyone should raise concerns.", "approved", ["stop_work"]),
    )
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.edit()
    edited = page.register[0]
    assert edited.version == 2
    dialog = PolicyDialog(page.instrument, edited)
    qtbot.addWidget(dialog)
    assert dialog.history.rowCount() == 2
    assert "newest first" in dialog.history_heading.text()
    assert [dialog.history.item(r, 0).text() for r in range(2)] == ["2", "1"]
    assert dialog.history.item(1, 3).text() == "Anyone must stop unsafe work."
    dialog.grab().save(str(tmp_path / "policy-dialog.png"))

    page.table.selectRow(0)
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.remove()
    assert dialogs.confirms
    assert page.table.rowCount() == 0
    page.show_removed.setChecked(True)
    assert page.table.item(0, 1).text() == "removed"


def test_dialog_dates_are_picked_and_errors_sit_at_the_box(qtbot, flagship):
    import datetime as dt

    dialog = PolicyDialog(flagship)
    qtbot.addWidget(dialog)
    dialog.show()
    # no title: refused at the title box, marked, with the reason under it
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.title.property("invalid") is True
    assert dialog.title_problem.isVisible()
    assert "title" in dialog.title_problem.text()
    assert dialog.problem.text() == ""
    qtbot.keyClicks(dialog.title, "Stop work")
    assert dialog.title.property("invalid") is False  # typing clears the mark
    # dates come from a date picker (no free text to misread); "No date" is allowed
    assert dialog.review.value() is None
    assert dialog.review.edit.calendarPopup()
    dialog.review.set_value(dt.date(2026, 4, 3))
    assert dialog.draft().review_on == dt.date(2026, 4, 3)
    qtbot.mouseClick(dialog.review.clear_button, _left())
    assert dialog.draft().review_on is None
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_policy_dialog_and_table_fit_a_laptop_screen(qtbot, state, flagship):
    from PySide6.QtGui import QGuiApplication

    room = QGuiApplication.primaryScreen().availableGeometry()
    dialog = PolicyDialog(flagship)
    qtbot.addWidget(dialog)
    assert dialog.height() <= room.height()
    assert dialog.width() <= room.width()
    page = PoliciesPage(state)
    qtbot.addWidget(page)
    page.resize(1366 - 190, 700)  # the page's share of a 1366x768 window
    page.show()
    page.refresh()
    for title in ("A very long policy title about stopping unsafe work", "Second"):
        fill_direct(page, title)
    page.refresh()
    assert page.table.rowCount() == 2
    assert page.table.columnWidth(0) >= page.title_min_width
    # No heading is clipped by its column's cap ("Review date" read "ɛview dat").
    from PySide6.QtGui import QFont, QFontMetrics

    header = page.table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    for col in range(1, page.table.columnCount()):
        title = page.table.horizontalHeaderItem(col).text()
        assert page.table.columnWidth(col) >= QFontMetrics(bold).horizontalAdvance(title), title


def fill_direct(page, title):
    from culturescope.policies import PolicyDraft, add_policy

    add_policy(
        page.state.store,
        page.state.current_campaign.organisation,
        PolicyDraft(
            title=title,
            statement="Anyone may stop work they believe is unsafe.",
            owner="Head of Operations and Safety Engineering",
            status="implemented",
            evidence="audit report AR-2026-03 and the incident log of the safety team",
            practice_areas=tuple(a.id for a in page.instrument.practice_areas[:4]),
        ),
    )


def _left():
    return Qt.MouseButton.LeftButton


def test_import_and_export(qtbot, state, dialogs, tmp_path):
    good = tmp_path / "register.csv"
    good.write_text(
        "Title,Status,Practice areas,Review date\n"
        "Independent audit,audited,Independent audit,2027-01-01\n"
        "Incident reporting,implemented,incident_reporting,2027-01-01\n",
        encoding="utf-8",
    )
    page = PoliciesPage(state)
    qtbot.addWidget(page)
    page.refresh()
    with qtbot.waitSignal(state.dataChanged, timeout=10_000):
        page.import_file(str(good))
    assert page.table.rowCount() == 2
    assert "2 added" in dialogs.infos[-1][1]

    bad = tmp_path / "bad.csv"
    bad.write_text("Title,Practice areas\nX,teleportation\n", encoding="utf-8")
    page.import_file(str(bad))
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=10_000)
    assert "bad.csv row 2, column B" in dialogs.errors[-1][1]
    organisation = state.current_campaign.organisation
    assert len(policies(state.store, organisation)) == 2

    out = tmp_path / "out.xlsx"
    page.export_file(str(out))
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2, timeout=10_000)
    assert out.exists() and dialogs.infos[-1][0] == "Register exported"
    page.resize(1100, 500)
    page.grab().save(str(tmp_path / "policies.png"))


def test_no_campaign(qtbot, empty_state):
    page = PoliciesPage(empty_state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.stack.currentWidget() is page.no_campaign
    assert not page.add_button.isEnabled()
    assert Qt  # the page stays usable without a campaign


def test_register_writes_run_in_a_worker_and_a_refusal_is_shown(qtbot, state, monkeypatch, dialogs):
    import threading

    from culturescope.gui.pages import policies_page
    from culturescope.storage import StoreError

    threads = []
    real_add = policies_page._add

    def add(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_add(*args, **kwargs)

    def refuse(*_args, **_kwargs):
        raise StoreError("the database is busy: another program is writing")

    monkeypatch.setattr(policies_page, "_add", add)
    monkeypatch.setattr(policies_page, "_remove", refuse)
    monkeypatch.setattr(
        PolicyDialog, "exec", fill(qtbot, "Audit", "Audits are independent.", "approved", [])
    )
    page = PoliciesPage(state)
    qtbot.addWidget(page)
    page.refresh()
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.add()
    assert threads and threads[0] != threading.get_ident()
    page.table.selectRow(0)
    task = page.remove()
    assert not page.remove_button.isEnabled() and not page.edit_button.isEnabled()
    with qtbot.waitSignal(task.done, timeout=30_000):
        pass
    assert dialogs.errors[-1][0] == "The policy was not removed"
    assert "busy" in dialogs.errors[-1][1]
    assert page.remove_button.isEnabled() and not page.register[0].removed
