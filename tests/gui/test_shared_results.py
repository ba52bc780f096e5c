"""Pages on the app's shared results (docs/design/storage.md "Writes say what changed"): a
write to another campaign recomputes nothing on this campaign's pages, a write to this
campaign does — announced by the store, without a page or the main window being told."""

from __future__ import annotations

import pytest

from culturescope.storage import NewResponse


def _add(store, campaign_id, n=3):
    store.add_responses(
        campaign_id, [NewResponse(answers={"LA1": 4}) for _ in range(n)], source="paper"
    )


def _counted(monkeypatch, module, name) -> list:
    """Wrap ``module.name`` (a worker function) to count its runs."""
    calls: list = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args[1])  # the campaign id
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _open(qtbot, page, ready, timeout=60_000):
    """Show ``page`` as the main window would and wait until ``ready()``."""
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(ready, timeout=timeout)
    return page


def _another_campaigns_write(qapp, state, flagship):
    other = state.store.create_campaign("Other", flagship)
    _add(state.store, other.id)
    state.notify_data_changed()  # what a page that writes does
    qapp.processEvents()  # the store's announcements (queued) arrive


@pytest.fixture
def signals(qtbot, state, monkeypatch):
    from culturescope.gui.pages import signals_page

    calls = _counted(monkeypatch, signals_page, "_analyse")
    page = signals_page.SignalsPage(state)
    _open(qtbot, page, lambda: page.analysis is not None and page.task is None)
    return page, calls


def test_signals_page_detects_again_only_for_its_own_campaign(
    qtbot, qapp, state, flagship, signals
):
    page, calls = signals
    assert calls == [state.current_campaign.id]

    _another_campaigns_write(qapp, state, flagship)
    page.refresh()  # what the main window does when the page is shown again
    assert page.task is None and len(calls) == 1, "nothing of this campaign changed"

    _add(state.store, state.current_campaign.id)  # only the store says so
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    page.refresh()
    assert len(calls) == 2


def test_a_second_signals_page_reuses_the_run(qtbot, state, signals):
    from culturescope.gui.pages.signals_page import SignalsPage

    page, calls = signals
    second = SignalsPage(state)
    qtbot.addWidget(second)
    second.refresh()
    assert second.task is None and len(calls) == 1
    assert [s.id for s in second.visible_signals()] == [s.id for s in page.visible_signals()]


def test_dashboard_counts_signals_again_only_for_its_own_campaign(
    qtbot, qapp, state, flagship, monkeypatch
):
    from culturescope.gui.pages import dashboard_page

    scored = _counted(monkeypatch, dashboard_page, "_score")
    counted = _counted(monkeypatch, dashboard_page, "_signals")
    page = dashboard_page.DashboardPage(state)

    def idle():
        return page.task is None and page.signals_task is None

    _open(qtbot, page, idle)
    assert (len(scored), len(counted)) == (1, 1)

    _another_campaigns_write(qapp, state, flagship)
    page.refresh()
    assert idle() and (len(scored), len(counted)) == (1, 1)

    _add(state.store, state.current_campaign.id)
    qtbot.waitUntil(lambda: len(scored) == 2 and len(counted) == 2, timeout=10_000)
    qtbot.waitUntil(idle, timeout=60_000)


def test_responses_page_loads_again_only_for_its_own_campaign(
    qtbot, qapp, state, flagship, monkeypatch
):
    from culturescope.gui.pages import responses_page

    loads = _counted(monkeypatch, responses_page, "load_view")
    page = responses_page.ResponsesPage(state)
    _open(qtbot, page, lambda: page.view is not None and page.task is None)
    count = page.view.response_count

    _another_campaigns_write(qapp, state, flagship)
    page.refresh()
    assert page.task is None and len(loads) == 1

    _add(state.store, state.current_campaign.id, n=2)
    qtbot.waitUntil(lambda: len(loads) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert page.view.response_count == count + 2


def test_a_hidden_page_waits_until_it_is_shown(qtbot, qapp, state, signals):
    page, calls = signals
    page.hide()
    _add(state.store, state.current_campaign.id)
    qapp.processEvents()
    assert len(calls) == 1, "nothing runs for a page nobody looks at"
    page.show()
    page.refresh()  # the main window refreshes the page it shows
    qtbot.waitUntil(lambda: len(calls) == 2 and page.task is None, timeout=60_000)
