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
    # No register, no headcounts: set up, but no tick — the signals say "not checked".
    assert setup.unchecked == (
        "policy–practice gaps (no policy register to compare what is said with practice)",
        "response rates per team, role or site (no headcounts)",
    )
    assert "Not checked: policy–practice gaps" in setup.detail
    assert "add policies and load headcounts" in setup.detail
    assert page.marks["setup"].accessibleName() == "done, but some signal checks cannot run"
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


def test_set_up_is_ticked_once_every_signal_check_can_run(qtbot, empty_state, flagship):
    from culturescope.policies import PolicyDraft, add_policy

    c = empty_state.store.create_campaign("Q4", flagship, min_group_size=5)
    empty_state.store.update_campaign("Q4", headcounts={"team": {"Red": 30}})
    empty_state.reload_campaign()
    page = _page(qtbot, empty_state)
    assert page.steps[0].unchecked == (
        "policy–practice gaps (no policy register to compare what is said with practice)",
    )
    assert "add policies to run this check" in page.steps[0].detail
    add_policy(empty_state.store, c.organisation, PolicyDraft("Reporting", status="implemented"))
    page.refresh()
    assert page.steps[0].unchecked == () and "Not checked" not in page.steps[0].detail
    assert page.marks["setup"].accessibleName() == "done"


def test_the_first_screen_says_what_is_not_checked_without_loading_the_statistics(tmp_path):
    """Campaign home is the first screen: its "Not checked: …" comes from
    culturescope.signal_setup, not the signals package (numpy, pandas, SciPy: about a
    second before the window shows)."""
    import subprocess
    import sys

    from culturescope.instruments import get_instrument
    from culturescope.storage import Store

    path = tmp_path / "home.db"
    store = Store(str(path))
    store.create_campaign("Q", get_instrument("ai-safety-culture"))
    store.close()
    code = (
        "import sys\n"
        "from culturescope.storage import Store\n"
        "from culturescope.gui.pages.home_page import campaign_steps\n"
        "store = Store(sys.argv[1])\n"
        "steps = campaign_steps(store, store.campaign('Q'))\n"
        "assert len(steps[0].unchecked) == 2, steps[0].unchecked\n"
        "print(sorted(m for m in ('culturescope.signals', 'scipy', 'pandas') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
