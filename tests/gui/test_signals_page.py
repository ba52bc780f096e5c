"""Signals page: detection in a worker, cards sorted by severity, expandable evidence with
a chart; empty states."""

from __future__ import annotations

import pytest

from culturescope.gui.pages.signals_page import SignalsPage

SEVERITY_ORDER = ("info", "warning", "critical")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from culturescope.demo import create_demo
    from culturescope.storage import Store

    path = tmp_path_factory.mktemp("signals-gui") / "demo.db"
    store = Store(str(path))
    create_demo(store, respondents=200)
    store.close()
    return path


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


def test_signals_sorted_by_severity_and_expandable(qtbot, qapp, demo_state, tmp_path):
    from culturescope.gui.style import stylesheet

    qapp.setStyleSheet(stylesheet())
    page = SignalsPage(demo_state)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    shown(qtbot, page)
    kinds = {c.signal.kind for c in page.cards}
    assert {"policy_practice_gap", "perception_gap", "stale_commitment"} <= kinds
    ranks = [SEVERITY_ORDER.index(c.signal.severity) for c in page.cards]
    assert ranks == sorted(ranks, reverse=True)
    assert page.stack.currentWidget() is page.scroll

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
    page.scroll.ensureWidgetVisible(perception, 0, 0)
    qapp.processEvents()
    page.grab().save(str(tmp_path / "signals-perception.png"))

    # Filtering to critical only hides the rest.
    page.filter.setCurrentIndex(2)
    assert {c.signal.severity for c in page.cards} == {"critical"}


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_signals_page_empty_states(qtbot, empty_state):
    page = SignalsPage(empty_state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.stack.currentWidget() is page.no_campaign


def test_signals_page_genuine_campaign_has_no_warnings(qtbot, state):
    page = SignalsPage(state)
    qtbot.addWidget(page)
    shown(qtbot, page)
    page.filter.setCurrentIndex(1)  # warnings and critical
    # The conftest campaign is random noise without a register: nothing to warn about.
    assert [c.signal.id for c in page.cards] == []
    assert page.stack.currentWidget() is page.none


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
    text, style = signals_badge_text({"critical": 0, "warning": 0, "info": 0}, enough=False)
    assert style == "signalsNeutral" and "not enough" in text
    state.cancel_all(wait=True)
