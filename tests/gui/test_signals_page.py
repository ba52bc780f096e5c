"""Signals page: detection in a worker, cards sorted by severity, expandable evidence with
a chart; empty states."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel

from culturescope.gui.pages.signals_page import SignalsPage

SEVERITY_ORDER = ("info", "warning", "critical")


@pytest.fixture
def demo_path(demo_db_template):
    return demo_db_template(200)


@pytest.fixture
def demo_state(qtbot, demo_path, tmp_path):
    import shutil

    from culturescope.demo import CURRENT
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings
    from culturescope.storage import Store

    copy = tmp_path / "demo.db"
    shutil.copy(demo_path, copy)
    store = Store(str(copy))
    state = AppState(store, Settings())
    state.set_campaign(store.campaign(CURRENT))
    yield state
    state.cancel_all(wait=True)
    store.close()


def shown(qtbot, page):
    task = page.detect()
    qtbot.waitUntil(lambda: page.analysis is not None and page.task is None, timeout=90_000)
    return task


def test_signals_grouped_by_subject_plain_and_expandable(qtbot, qapp, demo_state, tmp_path):
    from culturescope.gui.style import stylesheet

    qapp.setStyleSheet(stylesheet())
    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    shown(qtbot, page)
    assert page.filter.currentData() == "open"  # what needs a look, by default
    kinds = {c.signal.kind for c in page.cards}
    assert {"policy_practice_gap", "perception_gap", "stale_commitment"} <= kinds
    assert all(c.signal.severity != "info" for c in page.cards)
    # Headlines in plain words: no statistics, no raw ids.
    for c in page.cards:
        assert not re.search(r"g = |p = |n = |rwg|Hedges|critical", c.title.text()), c.title.text()
    # Grouped: one heading per subject, the subjects to start with first, and one
    # subject's signals together (policy gap and awareness gap of the same area).
    titles = [h.title.text() for h in page.headings]
    assert len(titles) == len(set(titles))
    priorities = [h.priority.text() for h in page.headings]
    order = ["Start here", "Worth a look", "For information"]
    assert [order.index(p) for p in priorities] == sorted(order.index(p) for p in priorities)
    area_of = {}
    for c in page.cards:
        area_of.setdefault(page._subject(c.signal).title, set()).add(c.signal.kind)
    assert any({"policy_practice_gap", "awareness_gap"} <= k for k in area_of.values())
    # Calm: the summary says where to start, never "critical" or a red badge.
    assert page.summary.text().startswith("Start with “")
    assert "critical" not in page.summary.text().lower()
    assert not page.findChildren(QLabel, "badgeBad")
    # The method of the run is behind a button, not in view.
    assert not page.notes.isVisible() and page.method_button.isVisible()

    gap = next(c for c in page.cards if c.signal.kind == "policy_practice_gap")
    qtbot.mouseClick(gap.toggle, qtbot_button())
    assert gap.details.isVisible()
    assert gap.evidence.rowCount() == len(gap.signal.evidence)
    # Evidence in words (the shared formatter), not raw keys and numbers.
    table = {
        gap.evidence.item(r, 0).text(): gap.evidence.item(r, 1).text()
        for r in range(gap.evidence.rowCount())
    }
    assert table["Claimed status"] in ("implemented", "audited")
    assert table["Percent positive"].endswith("%")
    assert table["Below the threshold by"].endswith(" points")
    assert not any("_" in label for label in table)
    assert gap.chart is not None and gap.chart.axes is not None
    assert "Policy vs practice" in gap.chart.axes.get_title(loc="left")
    perception = next(c for c in page.cards if c.signal.kind == "perception_gap")
    perception.set_expanded(True)
    assert perception.chart is not None
    # The figures of each pillar or area under its title, p-values never "0.00".
    ev = perception.evidence
    rows = [(ev.item(r, 0).text().strip(), ev.item(r, 1)) for r in range(ev.rowCount())]
    headings = [label for label, value in rows if value is None]
    assert headings and set(headings) <= set(perception.signal.scope[2:])
    assert ev.columnSpan(5, 0) == 2  # the first heading, after the 5 totals
    values = {label: value.text() for label, value in rows if value is not None}
    assert values["Leaders (n)"].isdigit()
    assert "Hedges' g (effect size)" in values and "Adjusted p-value" in values
    assert all(v.text() != "0.00" for label, v in rows if v is not None)
    qapp.processEvents()
    assert gap.height() >= gap.chart.minimumHeight()  # the expanded card really grows
    page.scroll.verticalScrollBar().setValue(0)
    page.grab().save(str(tmp_path / "signals.png"))

    # All signals shows the ones for information too.
    page.filter.setCurrentIndex(1)
    assert any(c.signal.severity == "info" for c in page.cards)


def test_acknowledge_note_and_action_are_kept_per_campaign(qtbot, demo_state, monkeypatch):
    from culturescope.gui.followup_dialogs import ActionDialog, NoteDialog
    from culturescope.storage import Store, actions, signal_reviews

    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    before = page.summary.text()
    first = page.cards[0]
    sid = first.signal.id
    qtbot.mouseClick(first.ack, qtbot_button())
    assert sid not in {c.signal.id for c in page.cards} or first.ack.isChecked()
    assert page.summary.text() != before and "1 acknowledged" in page.summary.text()

    def fill(dialog):
        if isinstance(dialog, NoteDialog):
            dialog.edit.setPlainText("Raised with the head of safety on 3 December")
        else:
            assert isinstance(dialog, ActionDialog)
            dialog.accept()  # an empty title is refused at its box
            assert dialog.title.property("invalid") and dialog.title_error.isVisibleTo(dialog)
            dialog.title.setText("Ask front-line teams how audits reach them")
            dialog.owner.setText("Head of safety")
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(page, "exec_dialog", fill)
    card = next(c for c in page.cards if c.signal.kind == "policy_practice_gap")
    card.note_button.click()
    card.action_button.click()
    text = card.followup_text.text()
    assert "Raised with the head of safety" in text and "Ask front-line teams" in text
    assert "Head of safety" in text and card.note_button.text() == "Edit note…"
    assert page.actions_button.isEnabled() and "(1)" in page.actions_button.text()

    # The campaign's actions in one table; a status changed there is stored at once.
    def mark_done(dialog):
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 0).text() == "Ask front-line teams how audits reach them"
        assert dialog.table.item(0, 5).text().endswith("% now")  # the figure that judges it
        dialog.status_boxes[0].setCurrentIndex(ACTION_STATUSES.index("done"))
        return False

    from culturescope.storage import ACTION_STATUSES

    monkeypatch.setattr(page, "exec_dialog", mark_done)
    page.actions_button.click()
    assert "(Done" in card.followup_text.text()

    # Another process (the next start of the app) sees the same.
    campaign = demo_state.current_campaign
    other = Store(demo_state.store.url)
    try:
        reviews = signal_reviews(other, campaign.id)
        assert reviews[sid].acknowledged
        assert reviews[card.signal.id].note.startswith("Raised with")
        [action] = actions(other, campaign.id)
        assert action.signal_id == card.signal.id and action.owner_role == "Head of safety"
        assert action.status == "done"
        assert action.measure == "percent_positive" and action.baseline is not None
        assert action.subject == page._subject(card.signal).title
    finally:
        other.close()
    again = SignalsPage(demo_state)
    qtbot.addWidget(again)
    shown(qtbot, again)
    assert sid not in [c.signal.id for c in again.cards]  # acknowledged: no longer to look at
    again.filter.setCurrentIndex(2)  # acknowledged
    assert [c.signal.id for c in again.cards] == [sid]
    assert again.cards[0].ack.isChecked() and again.cards[0].severity.text() == "Acknowledged"
    # Taking it back brings it back to the list of what needs a look.
    again.cards[0].ack.click()
    again.filter.setCurrentIndex(0)
    assert sid in [c.signal.id for c in again.cards]


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_signals_page_empty_states(qtbot, empty_state):
    page = SignalsPage(empty_state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.stack.currentWidget() is page.no_campaign


def test_no_signal_while_checks_could_not_run_is_no_all_clear(qtbot, state):
    """No register and no headcounts: the page says which checks did not run (the
    scorecard's words) and how to make them possible, never the all-clear tick."""
    page = SignalsPage(state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    assert page.filter.currentData() == "open"  # what needs a look
    # The conftest campaign is random noise without a register: nothing to warn about ...
    assert [c.signal.id for c in page.cards] == []
    # ... but the policy and participation checks could not run.
    assert page.stack.currentWidget() is page.partial
    assert page.stack.currentWidget() is not page.none
    assert page.partial.title.text() in (
        "No signals in the checks that could run",
        "Nothing needs a look in the checks that could run",  # information only
    )
    text = page.partial.text.text()
    assert text.startswith("Not checked: policy–practice gaps (no policy register")
    assert "response rates per team, role or site (no headcounts)" in text
    assert not page.add_policies.isHidden() and not page.add_headcounts.isHidden()
    assert "2 checks could not run" in page.summary.text()
    with qtbot.waitSignal(page.navigate) as blocker:
        page.add_policies.click()
    assert blocker.args == ["policies"]
    with qtbot.waitSignal(page.navigate) as blocker:
        page.add_headcounts.click()
    assert blocker.args == ["edit-campaign"]
    # Headcounts loaded: only the register is missing, and only its button is offered.
    state.store.update_campaign("2026 Q4", headcounts={"team": {"Research": 20, "Ops": 20}})
    state.current_campaign = state.store.campaign("2026 Q4")
    shown(qtbot, page)
    assert page.analysis.not_checked == [
        "policy–practice gaps (no policy register to compare what is said with practice)"
    ]
    if page.stack.currentWidget() is page.partial:
        assert page.add_headcounts.isHidden() and not page.add_policies.isHidden()
        assert "1 check could not run" in page.summary.text()
    else:  # a participation signal found: listed, with the unchecked line above it
        assert not page.unchecked.isHidden()
        assert page.unchecked.text().startswith("Not checked: policy–practice gaps")


def test_all_clear_only_when_every_check_ran(qtbot, state):
    """With nothing missing and nothing found the page may show the tick."""
    from culturescope.signals import SignalAnalysis

    page = SignalsPage(state)
    qtbot.addWidget(page)
    campaign = state.current_campaign
    settings = state.settings.signal_settings()
    page._apply((SignalAnalysis(campaign, [], settings), {}, [], None))
    assert page.stack.currentWidget() is page.none
    assert page.none.title.text() == "No signals"
    assert page.unchecked.isHidden()
    gaps = ["response rates per team, role or site (no headcounts)"]
    page._apply((SignalAnalysis(campaign, [], settings, not_checked=gaps), {}, [], None))
    assert page.stack.currentWidget() is page.partial
    assert page.add_policies.isHidden() and not page.add_headcounts.isHidden()


def test_new_detection_replaces_running_one(qtbot, demo_state):
    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    first = page.detect()
    second = page.detect()
    assert first is not second
    qtbot.waitUntil(lambda: page.task is None, timeout=90_000)
    assert page.analysis is not None


def test_too_few_responses_is_neutral_never_an_all_clear(qtbot, sqlite_store, flagship):
    """0 responses (or fewer than the minimum group) is "not enough data", not a green check."""
    from culturescope.gui.pages.dashboard_page import signals_badge_text
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    sqlite_store.create_campaign("Empty", flagship, min_group_size=5)
    state = AppState(sqlite_store, Settings())
    state.reload_campaign()
    page = SignalsPage(state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    assert page.analysis.signals == []
    assert page.stack.currentWidget() is page.not_enough
    assert page.stack.currentWidget() is not page.none
    assert "not enough" in page.not_enough.title.text().lower()
    assert "0 responses" in page.not_enough.text.text()
    assert page.not_enough.primary is not None  # one thing to do about it
    assert page.summary.text() == ""  # not "Nothing needs a look now" beside it
    text, style = signals_badge_text(None, enough=False)
    assert style == "signalsNeutral" and "not enough" in text
    state.cancel_all(wait=True)


def test_signal_charts_have_keyboard_tables(qtbot, demo_state):
    """Every chart on the Signals page also opens as a table, by keyboard."""
    from PySide6.QtCore import Qt

    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    shown(qtbot, page)
    page.filter.setCurrentIndex(1)  # all signals
    charted = []
    for card in page.cards:
        card.set_expanded(True)
        if card.chart is not None:
            charted.append(card)
    assert {"policy_practice_gap", "perception_gap"} <= {c.signal.kind for c in charted}
    for card in charted:
        panel = card.chart_panel
        assert panel is not None and panel.chart is card.chart
        assert panel.toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
        page.scroll.ensureWidgetVisible(panel.toggle)
        panel.toggle.setFocus()
        qtbot.keyClick(panel.toggle, Qt.Key.Key_Space)
        assert panel.stack.currentWidget() is panel.table
        assert panel.toggle.text() == "Show as chart"
        assert panel.table.rowCount() >= 1
    gap = next(c for c in charted if c.signal.kind == "policy_practice_gap")
    t = gap.chart_panel.table
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    area = gap.signal.scope[1]
    [row] = [r for r in rows if r[0] == area]
    assert row[1] in ("implemented", "audited") and row[2].endswith("%")
    assert row[3] == "on paper only?"
    perception = next(c for c in charted if c.signal.kind == "perception_gap")
    t = perception.chart_panel.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert headers[1] == perception.signal.scope[0] and headers[-1] == "Difference"
    said = t.item(0, 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "mean" in said and perception.signal.scope[0] in said
    # The arrow keys move through the cells.
    t.setFocus()
    t.setCurrentCell(0, 1)
    qtbot.keyClick(t, Qt.Key.Key_Right)
    assert t.currentColumn() == 2


def test_previous_campaigns_actions_are_shown_with_this_campaigns_figures(qtbot, demo_state):
    from culturescope.storage import NewAction, add_action

    campaign = demo_state.current_campaign
    assert campaign.previous_campaign_id is not None
    first = SignalsPage(demo_state)
    qtbot.addWidget(first)
    shown(qtbot, first)
    assert not first.earlier.isVisibleTo(first)  # no actions last time: nothing to judge
    gap = next(s for s in first.analysis.signals if s.kind == "policy_practice_gap")
    before = demo_state.store.campaign(campaign.previous_campaign_id)
    add_action(
        demo_state.store,
        before.id,
        NewAction(
            title="Fund the audit",
            subject_kind="area",
            subject=gap.scope[1],
            measure="percent_positive",
            measure_label="% who see the practice",
            baseline=5.0,
            signal_id=gap.id,
            status="done",
        ),
    )
    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    text = page.earlier.text()
    assert page.earlier.isVisibleTo(page)
    assert f"Actions from {before.name}" in text and "“Fund the audit” (Done)" in text
    assert "% who see the practice 5% →" in text and "(better)" in text


def test_a_follow_up_keeps_the_run_and_the_scores(qtbot, qapp, demo_state, monkeypatch):
    """An acknowledgement is a write to the campaign, but it changes neither the detection
    nor a score: the shared results stay (docs/design/storage.md), only the counts of
    signals needing a look are computed again."""
    from culturescope.gui.pages import signals_page

    runs = []
    real = signals_page._analyse
    monkeypatch.setattr(signals_page, "_analyse", lambda *a, **k: runs.append(1) or real(*a, **k))
    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    page.show()
    shown(qtbot, page)
    state, c = demo_state, demo_state.current_campaign
    state.keep_result(state.result_key("scorecard", c, ("team",)), "scores")
    state.keep_result(state.result_key("signal counts", c, "thresholds"), "counts")

    card = page.cards[0]
    page.acknowledge(card, True)
    qapp.processEvents()  # the store's announcement of the write (queued)
    page.refresh()
    assert page.task is None and len(runs) == 1, "an acknowledgement changes no detection"
    assert state.result(state.result_key("scorecard", c, ("team",))) == "scores"
    assert state.result(state.result_key("signal counts", c, "thresholds")) is None
    second = SignalsPage(state)  # e.g. after the page was rebuilt: the kept run, acknowledged
    qtbot.addWidget(second)
    second.refresh()
    assert len(runs) == 1 and card.signal.id in second.acknowledged()


def test_actions_can_be_edited_and_deleted(qtbot, demo_state, monkeypatch, dialogs):
    """An action made from a signal is changed or deleted in the Actions… table; a delete
    is confirmed first, and both are stored (a second store sees them)."""
    from culturescope.gui.followup_dialogs import ActionDialog, ActionsDialog
    from culturescope.storage import Store, actions

    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    card = page.cards[0]

    def create(dialog):
        dialog.title.setText("Ask teams how audits reach them")
        dialog.owner.setText("Head of safety")
        dialog.accept()
        return True

    monkeypatch.setattr(page, "exec_dialog", create)
    card.action_button.click()
    campaign = demo_state.current_campaign

    def edit(dialog):
        assert isinstance(dialog, ActionDialog) and dialog.windowTitle() == "Edit the action"
        assert dialog.title.text() == "Ask teams how audits reach them"  # filled in
        dialog.title.clear()
        dialog.accept()  # an empty title is refused at its box, as when creating
        assert dialog.result() != dialog.DialogCode.Accepted
        dialog.title.setText("Ask every team how audits reach them")
        dialog.owner.setText("Safety lead")
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    def in_table(dialog):
        assert isinstance(dialog, ActionsDialog)
        assert not dialog.edit_button.isEnabled()  # nothing chosen yet
        dialog.table.selectRow(0)
        monkeypatch.setattr(page, "exec_dialog", edit)
        dialog.edit_button.click()
        assert dialog.table.item(0, 0).text() == "Ask every team how audits reach them"
        assert dialog.table.item(0, 2).text() == "Safety lead"
        dialogs.answer = False  # "Delete the action?" — No
        dialog.delete_button.click()
        assert dialog.table.rowCount() == 1
        dialogs.answer = True
        dialog.delete_button.click()
        assert dialog.table.rowCount() == 0 and not dialog.delete_button.isEnabled()
        return False

    monkeypatch.setattr(page, "exec_dialog", in_table)
    page.actions_button.click()
    assert [t for t, _text in dialogs.confirms] == ["Delete the action", "Delete the action"]
    assert page.actions == [] and not page.actions_button.isEnabled()
    assert "Ask every team" not in card.followup_text.text()
    other = Store(demo_state.store.url)
    try:
        assert actions(other, campaign.id) == []
    finally:
        other.close()


def test_an_edited_action_is_stored(qtbot, demo_state, monkeypatch):
    from culturescope.storage import Store, actions

    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    shown(qtbot, page)

    def create(dialog):
        dialog.title.setText("Fund the independent audit")
        dialog.accept()
        return True

    monkeypatch.setattr(page, "exec_dialog", create)
    page.cards[0].action_button.click()

    def edit(dialog):
        dialog.status.setCurrentIndex(dialog.status.findData("in_progress"))
        dialog.due.set_value(None)
        dialog.accept()
        return True

    monkeypatch.setattr(page, "exec_dialog", edit)
    stored = page.edit_action(page.actions[0])
    assert (stored.status, stored.due_on, stored.title) == (
        "in_progress",
        None,
        "Fund the independent audit",
    )
    other = Store(demo_state.store.url)
    try:
        assert actions(other, demo_state.current_campaign.id) == [stored]
    finally:
        other.close()
    assert page.edit_action(page.actions[0]) is None  # nothing changed: nothing stored
