"""Opening a kiosk setup file or response bundle with the app (a double-click in the
file manager runs ``culturescope FILE``): the app installs or merges it."""

from __future__ import annotations

import pytest

from culturescope import bundles
from culturescope.storage import Store


@pytest.fixture
def laptop_window(qtbot, tmp_path):
    """The main window on an empty database: a kiosk laptop before its setup file."""
    from culturescope.gui.main_window import MainWindow
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    window = MainWindow(
        AppState(Store(str(tmp_path / "laptop.db")), Settings()), remember_geometry=False
    )
    qtbot.addWidget(window)
    yield window
    window.state.cancel_all(wait=True)
    window.state.store.close()


def open_and_wait(qtbot, window, path) -> None:
    from culturescope.gui.app import open_document

    task = open_document(window, str(path))
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=15000):
        pass


def test_setup_file_and_bundle_opened_with_the_app(
    qtbot, state, laptop_window, dialogs, tmp_path, monkeypatch
):
    from culturescope.gui import passphrase
    from culturescope.gui.main_window import MainWindow
    from culturescope.storage import NewResponse

    # Installing asks for the admin passphrase that seals the bundle key on the laptop.
    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "laptop passphrase")
    campaign = state.store.campaign("2026 Q4")
    setup = bundles.write_setup(state.store, campaign.id, tmp_path / "q4.cskiosk")

    open_and_wait(qtbot, laptop_window, setup)
    laptop = laptop_window.state.store
    installed = laptop.campaign("2026 Q4")
    assert installed.uid == campaign.uid
    assert laptop_window.current_key == "campaigns"
    assert dialogs.infos[-1][0] == "Campaign installed"

    laptop.add_responses(
        installed.id,
        [NewResponse(answers={"LA1": 4}, demographics={"team": "Ops"}) for _ in range(3)],
        source="kiosk",
    )
    bundle, n = bundles.export_bundle(
        laptop, installed.id, tmp_path / "site.csbundle", passphrase="laptop passphrase"
    )
    # The bundle is merged on the lead's machine (a laptop does not merge).
    lead_window = MainWindow(state, remember_geometry=False)
    qtbot.addWidget(lead_window)
    before = state.store.campaign("2026 Q4").response_count
    open_and_wait(qtbot, lead_window, bundle)
    assert state.store.campaign("2026 Q4").response_count == before + n == before + 3
    assert dialogs.infos[-1][1] == f'{n} responses added to "2026 Q4", 0 already stored.'
    assert dialogs.errors == []


def test_a_document_alone_on_the_command_line_opens_the_app_with_it(tmp_path, monkeypatch):
    import culturescope.gui.app as gui_app
    from culturescope.cli import main

    calls = []
    monkeypatch.setattr(gui_app, "run_app", lambda **kw: calls.append(kw) or 0)
    setup = tmp_path / "Site A.CSKIOSK"
    setup.write_text("{}", encoding="utf-8")
    assert main([str(setup)]) == 0
    assert calls[-1]["open_file"] == str(setup)
    assert main(["gui"]) == 0
    assert calls[-1]["open_file"] is None
