"""Campaigns page: kiosk setup file, install, export and merge of bundles, in workers."""

from __future__ import annotations

import pytest

from culturescope.gui.pages.campaigns_page import CampaignsPage
from culturescope.storage import NewResponse, Store


def _run(qtbot, task):
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=15000):
        pass


@pytest.fixture
def laptop(qtbot, tmp_path):
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    store = Store(str(tmp_path / "laptop.db"))
    s = AppState(store, Settings())
    yield s
    s.cancel_all(wait=True)
    store.close()


def _page(qtbot, state):
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_setup_install_export_and_merge_from_the_campaigns_page(
    qtbot, state, laptop, dialogs, tmp_path, monkeypatch
):
    lead_page = _page(qtbot, state)
    lead_page.table.selectRow(0)
    assert lead_page.setup_action.isEnabled() and lead_page.export_action.isEnabled()
    setup = tmp_path / "q4.cskiosk"
    _run(qtbot, lead_page.write_kiosk_setup(str(setup)))
    assert setup.exists()
    assert dialogs.infos[-1][0] == "Kiosk setup file written"

    from culturescope.gui import passphrase

    laptop_page = _page(qtbot, laptop)
    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "laptop passphrase")
    _run(qtbot, laptop_page.install_kiosk_setup(str(setup)))
    assert laptop.settings.check_passphrase("laptop passphrase")
    installed = laptop.store.campaign("2026 Q4")
    assert installed.uid == state.store.campaign("2026 Q4").uid
    assert laptop.current_campaign.id == installed.id
    assert dialogs.infos[-1][0] == "Campaign installed"

    responses = [
        NewResponse(answers={"LA1": 4, "PS1": 5}, demographics={"team": "Ops"}) for _ in range(6)
    ]
    laptop.store.add_responses(installed.id, responses, source="kiosk")
    laptop.notify_data_changed()
    laptop_page.refresh()
    laptop_page.table.selectRow(0)
    bundle = tmp_path / "site-a.csbundle"
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda *_a, **_k: "laptop passphrase")
    _run(qtbot, laptop_page.export_bundle(str(bundle)))
    assert bundle.exists()
    assert "6 responses" in dialogs.infos[-1][1]

    with qtbot.waitSignal(state.dataChanged, timeout=15000):
        _run(qtbot, lead_page.merge_bundle(str(bundle)))
    assert state.store.campaign("2026 Q4").response_count == 86
    assert dialogs.infos[-1][1] == '6 responses added to "2026 Q4", 0 already stored.'
    _run(qtbot, lead_page.merge_bundle(str(bundle)))
    assert state.store.campaign("2026 Q4").response_count == 86
    assert dialogs.infos[-1][1] == '0 responses added to "2026 Q4", 6 already stored.'
    assert dialogs.errors == []


def test_bad_bundle_shows_a_clear_error(qtbot, state, dialogs, tmp_path):
    page = _page(qtbot, state)
    junk = tmp_path / "holiday.csbundle"
    junk.write_text("not a bundle")
    _run(qtbot, page.merge_bundle(str(junk)))
    title, text, next_step = dialogs.errors[-1]
    assert title == "The bundle was not merged"
    assert text == "holiday.csbundle is not a CultureScope response bundle (not a zip file)"
    assert next_step.startswith("Nothing was stored")
    assert state.store.campaign("2026 Q4").response_count == 80
