"""AppState: store changes reach the GUI thread; results are shared, keyed on data versions."""

from __future__ import annotations

import threading

from culturescope.storage import NewResponse


def _add(store, campaign_id, n=3):
    store.add_responses(
        campaign_id, [NewResponse(answers={"LA1": 4}) for _ in range(n)], source="paper"
    )


def test_a_write_on_a_worker_thread_is_announced_on_the_gui_thread(qtbot, state):
    c = state.current_campaign
    seen = []
    state.storeChanged.connect(lambda change: seen.append((change, threading.get_ident())))
    with qtbot.waitSignal(state.taskStarted) as started:
        state.run_task(
            lambda store, cid, **_: _add(store, cid),
            state.store,
            c.id,
            title="adding",
            on_result=lambda _r: None,
        )
    with qtbot.waitSignal(started.args[0].done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: bool(seen), timeout=30000)
    change, thread = seen[0]
    assert change.affects(c.id)
    assert thread == threading.get_ident(), "delivered on the GUI thread"


def test_result_keys_follow_the_campaigns_own_data(state, flagship):
    c = state.current_campaign
    other = state.store.create_campaign("Other", flagship)
    key = state.result_key("scorecard", c, ("team",))
    state.keep_result(key, "scores")
    assert state.result(state.result_key("scorecard", c, ("team",))) == "scores"
    assert state.result(state.result_key("scorecard", c, ())) is None  # other arguments

    _add(state.store, other.id)  # another campaign's write: still valid
    assert state.result_key("scorecard", c, ("team",)) == key
    _add(state.store, c.id)  # its own write: a new key, the old result is never shown
    assert state.result_key("scorecard", c, ("team",)) != key
    assert state.result(state.result_key("scorecard", c, ("team",))) is None


def test_a_trend_result_follows_the_previous_campaign_too(state, flagship):
    c = state.current_campaign
    later = state.store.create_campaign("Later", flagship, previous=c.id)
    key = state.result_key("trend", later)
    _add(state.store, c.id)
    assert state.result_key("trend", later) != key


def test_kept_results_are_bounded_and_can_be_forgotten(state):
    from culturescope.gui.state import RESULTS_KEPT

    c = state.current_campaign
    keys = [state.result_key("scorecard", c, n) for n in range(RESULTS_KEPT + 5)]
    for n, key in enumerate(keys):
        state.keep_result(key, n)
    assert state.result(keys[0]) is None  # the oldest made way
    assert state.result(keys[-1]) == RESULTS_KEPT + 4
    state.forget_results()
    assert state.result(keys[-1]) is None
