"""Campaign home: the checklist from setting up to the scorecard, with the next action."""

from __future__ import annotations

from culturescope.gui.pages.home_page import HomePage


def _page(qtbot, state):
    page = HomePage(state)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def test_new_campaign_points_to_collecting(qtbot, empty_state, flagship):
    empty_state.store.create_campaign("Q4", flagship, min_group_size=5)
    empty_state.reload_campaign()
    page = _page(qtbot, empty_state)
    assert [s.key for s in page.steps] == ["setup", "collect", "results", "export"]
    setup, collect = page.steps[:2]
    assert setup.done and not collect.done
    assert "No responses yet" in collect.detail and "at least 5" in collect.detail
    primary = page.buttons["import"]
    assert primary.objectName() == "primary"
    assert page.buttons["dashboard"].objectName() != "primary"
    with qtbot.waitSignal(page.navigate) as blocker:
        primary.click()
    assert blocker.args == ["import"]


def test_collected_campaign_points_to_the_results(qtbot, state):
    page = _page(qtbot, state)
    collect = page.steps[1]
    assert collect.done
    assert "80 responses" in collect.detail and "kiosk" in collect.detail
    assert page.buttons["dashboard"].objectName() == "primary"
    assert page.heading.text() == "Campaign home — 2026 Q4"


def test_no_campaign_offers_to_create_one(qtbot, empty_state):
    page = _page(qtbot, empty_state)
    assert page.empty.isVisible() and not page.scroll.isVisible()
    with qtbot.waitSignal(page.navigate) as blocker:
        page.empty.primary.click()
    assert blocker.args == ["new-campaign"]
