"""Dashboard: scores in a worker, pillar cards, charts, hidden groups with reasons."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTextBrowser

from culturescope.gui.pages.dashboard_page import DashboardPage, heatmap_tooltip


def _scored(qtbot, state):
    p = DashboardPage(state)
    qtbot.addWidget(p)
    p.resize(1100, 800)
    p.show()
    p.refresh()
    # The signal count runs beside the scoring: wait for both, or a test that ends first
    # leaves it running (a race that shows only on a loaded machine).
    qtbot.waitUntil(
        lambda: p.task is None and p.signals_task is None and p.result is not None,
        timeout=30000,
    )
    return p


@pytest.fixture
def page(qtbot, state):
    return _scored(qtbot, state)


def test_pillar_cards_and_charts(page, flagship):
    result = page.result
    assert result.by == ("team",)
    pillars = [d for d in flagship.dimensions if d.pillar]
    assert page.cards.count() == len(pillars)
    titles = [page.cards.itemAt(n).widget().accessibleName() for n in range(page.cards.count())]
    assert titles == [d.title for d in pillars]
    assert page.stack.currentWidget() is page.content
    assert page.pillar_chart.axes.get_title(loc="left") == ""  # the card title says it
    assert page.heat_card.isVisibleTo(page)
    assert len(page.heat_chart.axes.get_yticklabels()) == len(result.groups)


def test_breakdown_selector_rescoring(qtbot, page):
    index = page.by_box.findData("role")
    page.by_box.setCurrentIndex(index)
    page.by_box.activated.emit(index)
    qtbot.waitUntil(lambda: page.task is None and page.result.by == ("role",), timeout=30000)
    labels = {g.label for g in page.result.groups}
    assert labels <= {
        "manager",
        "front_line",
        "senior_leader",
        "prefer_not_to_say",
        "Manager",
        "Front-line staff",
        "Senior leader",
        "Prefer not to say",
    }
    page.by_box.setCurrentIndex(page.by_box.findData(""))
    page.by_box.activated.emit(page.by_box.currentIndex())
    qtbot.waitUntil(lambda: page.task is None and page.result.by == (), timeout=30000)
    assert not page.heat_card.isVisibleTo(page)


def test_hidden_groups_are_drawn_hidden_with_their_reason(qtbot, state):
    state.store.update_campaign("2026 Q4", min_group_size=17, min_comment_group_size=17)
    state.current_campaign = state.store.campaign("2026 Q4")
    p = DashboardPage(state)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(
        lambda: p.task is None and p.signals_task is None and p.result is not None,
        timeout=30000,
    )
    hidden = [n for n, g in enumerate(p.result.groups) if g.hidden]
    assert hidden, "teams of 16 must be hidden under a minimum of 17"
    tip = heatmap_tooltip(p.result, p._heat_dims, hidden[0], 0)
    assert tip.startswith(p.result.groups[hidden[0]].label)
    assert "Insufficient responses" in tip
    assert "%" not in tip
    texts = [t.get_text() for t in p.heat_chart.axes.texts]
    assert any("hidden" in t for t in texts)


def test_empty_campaign_says_what_to_do(qtbot, sqlite_store, flagship):
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    sqlite_store.create_campaign("Empty", flagship)
    s = AppState(sqlite_store, Settings())
    s.reload_campaign()
    p = DashboardPage(s)
    qtbot.addWidget(p)
    p.refresh()
    assert p.stack.currentWidget() is p.empty
    assert "No responses" in p.empty.title.text()
    assert p.task is None


def test_signal_badge_opens_the_signals_page(qtbot, page):
    qtbot.waitUntil(
        lambda: page.signals_task is None and page.signal_attention is not None, timeout=30000
    )
    assert page.signals_button.isVisibleTo(page)
    summary = page.signal_attention
    text = page.signals_button.text()
    assert text.startswith("Signals:") or text.startswith("No safety-washing")
    assert "critical" not in text
    assert page.signals_button.objectName() != "signalsBad"
    # a tick for an all-clear, the warning triangle only when there is a place to start
    expected_icon = {"signalsNone": "check", "signalsNeutral": "info", "signalsWarn": "signals"}
    assert (
        page.signals_button.property("iconName") == expected_icon[page.signals_button.objectName()]
    )
    if summary.first is not None:
        assert summary.first in text
    # The conftest campaign has no register and no headcounts: never the all-clear tick.
    assert page.not_checked and page.signals_button.objectName() != "signalsNone"
    assert "Not checked: policy–practice gaps" in page.signals_button.toolTip()
    page.signals_task = task = object()
    page._show_signals(task, None)  # nothing found and every check ran: an all-clear
    assert page.signals_button.property("iconName") == "check"
    page.signals_task = task = object()
    page._show_signals(task, None, None, ("response rates per team, role or site (no headcounts)",))
    assert page.signals_button.property("iconName") == "info"
    assert page.signals_button.text() == (
        "No safety-washing signals in the checks that could run · 1 check could not run"
    )
    with qtbot.waitSignal(page.navigate) as blocker:
        page.signals_button.click()
    assert blocker.args == ["signals"]


def test_signals_badge_text_is_calm_and_says_where_to_start():
    from culturescope.gui.pages.dashboard_page import signals_badge_text
    from culturescope.signals.people import Attention

    text, style = signals_badge_text(Attention(3, 4, 1, 0, "Independent audit"))
    assert text == "Signals: start with “Independent audit” · 6 more subjects to look into"
    assert style == "signalsWarn"  # amber at most, never red
    text, style = signals_badge_text(Attention(0, 2, 0, 1, "Infrastructure"))
    assert text.endswith("1 more subject to look into · 1 acknowledged")
    assert style == "signalsNeutral"
    assert signals_badge_text(Attention(0, 0, 2, 0, None)) == (
        "Signals: nothing needs a look now (2 for information)",
        "signalsNone",
    )
    assert signals_badge_text(Attention(0, 0, 0, 5, None))[0] == "Signals: all 5 acknowledged"


def test_signals_badge_is_no_all_clear_when_checks_could_not_run():
    """No policy register, no headcounts: the badge says what the scorecard says."""
    from culturescope.gui.pages.dashboard_page import signals_badge_text
    from culturescope.signals.people import Attention

    gaps = ("policy–practice gaps (no register)", "response rates (no headcounts)")
    assert signals_badge_text(Attention(0, 0, 0, 0, None), not_checked=gaps) == (
        "No safety-washing signals in the checks that could run · 2 checks could not run",
        "signalsNeutral",
    )
    text, style = signals_badge_text(Attention(0, 0, 0, 3, None), not_checked=gaps[:1])
    assert (text, style) == (
        "Signals: all 3 acknowledged · 1 check could not run",
        "signalsNeutral",
    )
    text, style = signals_badge_text(Attention(2, 0, 0, 0, "Ops"), not_checked=gaps)
    assert style == "signalsWarn" and "could not run" not in text
    assert signals_badge_text(None, enough=False, not_checked=gaps)[1] == "signalsNeutral"


def test_trend_since_the_previous_campaign_on_the_cards():
    from culturescope.gui.pages.dashboard_page import trend_text
    from culturescope.scoring.trend import DimensionTrend

    base = {
        "id": "d",
        "title": "D",
        "items": ("A",),
        "left_out": (),
        "current_n": 50,
        "previous_n": 40,
    }
    up = DimensionTrend(**base, measure="mean", difference=0.4, p_adjusted=0.0004, significant=True)
    assert trend_text(up) == ("▲ +0.40 since {previous} (p < 0.001)", "good")
    flat = DimensionTrend(
        **base, measure="mean", difference=-0.05, p_adjusted=0.8, significant=False
    )
    assert trend_text(flat) == ("≈ -0.05 since {previous}: no clear change", "")
    down = DimensionTrend(
        **base, measure="share", difference=-12.0, p_adjusted=0.01, significant=True
    )
    assert trend_text(down) == ("▼ -12 points since {previous} (p = 0.01)", "bad")
    none = DimensionTrend(**base, measure="mean", note="fewer than 5 scored responses")
    assert trend_text(none)[0].startswith("Not compared")


def test_cards_show_the_trend_when_there_is_a_previous_campaign(qtbot, state, flagship):
    from PySide6.QtWidgets import QLabel

    from culturescope.storage import NewResponse

    earlier = state.store.create_campaign("2025 Q4", flagship)
    rows = state.store.load_responses("2026 Q4")

    answers = [
        NewResponse({k: int(v) for k, v in r.items() if v == v}, {}, {})
        for r in rows.answers.head(40).to_dict("records")
    ]
    state.store.add_responses(earlier.id, answers, source="file")
    state.store.update_campaign("2026 Q4", previous_campaign_id=earlier.id)
    state.current_campaign = state.store.campaign("2026 Q4")
    p = DashboardPage(state)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(
        lambda: p.task is None and p.signals_task is None and p.trend is not None, timeout=30000
    )
    texts = [w.text() for w in p.findChildren(QLabel)]
    assert any("since 2025 Q4" in t for t in texts)


def test_the_scoring_method_is_in_the_app(qtbot, page):
    html = page.method_html()
    for heading in ("Scores", "Percent positive", "Reliability", "Agreement", "Trend"):
        assert f"<h3>{heading}</h3>" in html
    assert "at least 5 responses" in html  # the campaign's own minimum
    page.show_method()
    dialog = page._method_dialog
    assert dialog.isVisible() and "Welch" in dialog.findChild(QTextBrowser).toPlainText()
    dialog.reject()


def test_delete_then_add_with_the_same_count_rescores(qtbot, page, state, flagship):
    """Deleting responses and adding as many others keeps the count: the scores must change."""
    from culturescope.storage import NewResponse

    c = state.current_campaign
    before = {d.id: d.mean for d in page.result.dimensions}
    ids = list(state.store.load_responses(c.id).answers.index)
    state.store.delete_responses(ids[:40])
    lowest = {
        item.id: (flagship.scale_of(item).points if item.reverse else 1) for item in flagship.items
    }
    state.store.add_responses(
        c.id,
        [NewResponse(answers=lowest, demographics={"team": "t"}) for _ in range(40)],
        source="paper",
    )
    assert state.store.campaign(c.id).response_count == c.response_count  # same count
    state.notify_data_changed()  # what every page does after a write
    page.refresh()
    qtbot.waitUntil(lambda: page.task is None and page.signals_task is None, timeout=30000)
    after = {d.id: d.mean for d in page.result.dimensions}
    assert after != before
    assert all(after[k] < before[k] for k in before if before[k] is not None and after[k])


def test_no_campaign_dashboard_offers_to_create_one(qtbot, empty_state):
    p = DashboardPage(empty_state)
    qtbot.addWidget(p)
    p.show()
    p.refresh()
    assert p.stack.currentWidget() is p.empty
    assert p.empty_button.isVisible() and p.empty_button is p.empty.primary
    with qtbot.waitSignal(p.navigate) as blocker:
        p.empty_button.click()
    assert blocker.args == ["new-campaign"]


def test_export_is_reachable_from_dashboard_and_signals(qtbot, state):
    from culturescope.gui.pages.signals_page import SignalsPage

    dash = DashboardPage(state)
    signals = SignalsPage(state)
    for p in (dash, signals):
        qtbot.addWidget(p)
        with qtbot.waitSignal(p.navigate) as blocker:
            p.export_button.click()
        assert blocker.args == ["export"]
    qtbot.waitUntil(lambda: signals.task is None, timeout=60000)


def test_every_chart_has_a_keyboard_table(qtbot, state):
    """Show as table: reached by Tab, toggled by Space; heatmap cells say n, mean, rwg(j)."""
    from PySide6.QtCore import Qt

    state.store.update_campaign("2026 Q4", min_group_size=17, min_comment_group_size=17)
    state.current_campaign = state.store.campaign("2026 Q4")
    p = _scored(qtbot, state)
    for panel in (p.pillar_panel, p.likert_panel, p.heat_panel):
        assert panel.toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert panel.table.rowCount() > 0
    panel = p.heat_panel
    panel.toggle.setFocus()
    qtbot.keyClick(panel.toggle, Qt.Key.Key_Space)
    assert panel.stack.currentWidget() is panel.table
    table = panel.table
    assert table.focusPolicy() & Qt.FocusPolicy.TabFocus
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    cell = table.currentItem()
    said = cell.data(Qt.ItemDataRole.AccessibleTextRole)
    group = p.result.groups[table.currentRow()]
    if group.hidden:
        assert "Insufficient responses" in said and cell.text() == "hidden"
    else:
        assert "n=" in said and "mean" in said and "rwg(j)" in said
    hidden = [r for r, g in enumerate(p.result.groups) if g.hidden]
    assert hidden
    for c in range(1, table.columnCount()):
        text = table.item(hidden[0], c).text()
        assert text == "hidden"  # never a number for a hidden group
        assert "Insufficient responses" in table.item(hidden[0], c).toolTip()
    pillars = p.pillar_panel.table
    assert pillars.horizontalHeaderItem(1).text() == "Mean"
    first = p.result.dimensions[0]
    assert first.mean is not None  # a high minimum never hides the overall figures here
    assert pillars.item(0, 1).text() == f"{first.mean:.2f}"
    qtbot.keyClick(panel.toggle, Qt.Key.Key_Space)
    assert panel.stack.currentWidget() is panel.chart
