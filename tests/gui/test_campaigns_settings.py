"""Campaigns page (create, rename, close, delete) and Settings page (thresholds, backups)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from culturescope.gui.pages.campaigns_page import CampaignDialog, CampaignsPage
from culturescope.gui.pages.settings_page import SettingsPage


def _select(page, name):
    for row, c in enumerate(page.campaigns):
        if c.name == name:
            page.table.selectRow(row)
            return c
    raise AssertionError(name)


def test_campaigns_table_lists_campaigns(qtbot, state):
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text().startswith("2026 Q4")
    assert page.table.item(0, 4).text() == "80"


def test_create_campaign_through_dialog(qtbot, state, monkeypatch):
    def fill(dialog):
        qtbot.keyClicks(dialog.name, "2027 Q1")
        dialog.instrument.setCurrentIndex(
            dialog.instrument.findData("psychological-safety-pulse@1.1")
        )
        # A superseded version is kept for old campaigns, not offered for new ones.
        assert dialog.instrument.findData("psychological-safety-pulse@1.0") == -1
        dialog.min_group.setValue(7)
        dialog.min_comments.setValue(12)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill)
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        task = page.create_campaign()
        assert not page.new_button.isEnabled(), "one write at a time"
    assert task.outcome == "finished" and page.new_button.isEnabled()
    stored = state.store.campaign("2027 Q1")
    assert (stored.min_group_size, stored.min_comment_group_size) == (7, 12)
    assert stored.instrument_key.startswith("psychological-safety-pulse")
    assert state.current_campaign.id == stored.id


def test_campaign_dialog_refuses_bad_input(qtbot, flagship):
    from culturescope.settings import Settings

    dialog = CampaignDialog([flagship], Settings())
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "name" in dialog.name_problem.text()
    assert dialog.name.property("invalid") is True
    qtbot.keyClicks(dialog.name, "X")
    dialog.min_group.setValue(8)
    dialog.min_comments.setValue(5)
    dialog.accept()
    assert "comments" in dialog.comments_problem.text()
    assert dialog.min_group.minimum() == 3


def test_rename_close_and_delete(qtbot, state, dialogs):
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    _select(page, "2026 Q4")
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.rename_campaign("Autumn 2026")
    assert state.store.campaign("Autumn 2026").response_count == 80
    page.refresh()
    _select(page, "Autumn 2026")
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.toggle_closed()
    assert state.store.campaign("Autumn 2026").status == "closed"
    _select(page, "Autumn 2026")
    dialogs.answer = False
    page.delete_campaign()
    assert len(state.store.campaigns()) == 1
    dialogs.answer = True
    with qtbot.waitSignal(state.dataChanged, timeout=10000):
        page.delete_campaign()
    assert state.store.campaigns() == []
    page.refresh()  # the main window does this on dataChanged
    assert page.stack.currentWidget() is page.empty


def test_kiosk_asks_for_a_passphrase_the_first_time(qtbot, state, dialogs, monkeypatch):
    from culturescope.gui import passphrase
    from culturescope.settings import load_settings

    asked = []

    def ask(_parent, answer=None):
        asked.append(True)
        return answer

    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    _select(page, "2026 Q4")
    assert not state.settings.has_passphrase
    monkeypatch.setattr(passphrase, "ask_new_passphrase", ask)
    page.start_kiosk()  # the lead cancels: no kiosk without a way out
    assert asked and not dialogs.errors
    assert page._kiosk is None
    assert not state.settings.has_passphrase

    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda p: ask(p, "chosen words"))
    page.start_kiosk()
    kiosk = page._kiosk
    try:
        assert len(asked) == 2 and not dialogs.errors
        assert kiosk is not None and kiosk.isVisible() and kiosk.locked
        assert state.settings.check_passphrase("chosen words")
        assert load_settings().check_passphrase("chosen words")
    finally:
        if kiosk is not None:
            kiosk.unlock_and_close()
            kiosk.deleteLater()
    page.start_kiosk()  # a passphrase is set now: not asked again
    assert len(asked) == 2
    page._kiosk.unlock_and_close()
    page._kiosk.deleteLater()


def test_settings_save_defaults_and_refuse_bad_ones(qtbot, state):
    from culturescope.settings import load_settings

    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    # the campaign's own thresholds are not here: a pointer to its settings instead
    assert not hasattr(page, "campaign_min_group")
    assert "2026 Q4" in page.campaign_note.text()
    with qtbot.waitSignal(page.navigate) as blocker:
        page.campaign_button.click()
    assert blocker.args == ["edit-campaign"]
    # nothing changed: no unsaved-changes cue, Save and Revert idle
    assert not page.unsaved.isVisible() and not page.save_button.isEnabled()
    page.min_group.setValue(6)
    page.min_comments.setValue(11)
    page.idle.setValue(5)
    assert page.unsaved.isVisible() and page.save_button.isEnabled()
    assert page.save_bar.isVisible()  # the bar stays in view, outside the scroll area
    assert not page.scroll.widget().isAncestorOf(page.save_bar)
    assert page.save()
    assert not page.unsaved.isVisible()
    saved = load_settings()
    assert (saved.min_group_size, saved.min_comment_group_size, saved.kiosk_idle_minutes) == (
        6,
        11,
        5,
    )
    page.min_comments.setValue(4)
    assert not page.save()
    assert "comments" in page.problem.text()
    assert page.problem.text()[0].isupper()
    assert load_settings().min_comment_group_size == 11
    page.revert()
    assert page.min_comments.value() == 11 and not page.unsaved.isVisible()


def test_refused_settings_save_writes_nothing(qtbot, state, monkeypatch):
    from culturescope.settings import load_settings

    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    row = [page.threshold_name(r) for r in range(page.thresholds.rowCount())].index(
        "practice_low_percent"
    )
    page.thresholds.item(row, 1).setText("60")
    import culturescope.gui.state as state_module

    def broken(_settings):
        raise OSError(28, "No space left on device", "settings.json")

    version = state.data_version
    with monkeypatch.context() as m:
        m.setattr(state_module, "save_settings", broken)
        assert not page.save()
    assert "space" in page.problem.text()
    assert load_settings().signal_thresholds == {}
    assert state.settings.signal_thresholds == {}  # nor kept in memory
    assert state.data_version == version
    assert page.unsaved.isVisibleTo(page)  # still unsaved
    assert page.save()
    assert load_settings().signal_thresholds == {"practice_low_percent": "60"}


def test_campaign_settings_dialog_edits_period_previous_and_thresholds(
    qtbot, state, flagship, monkeypatch
):
    import datetime as dt

    other = state.store.create_campaign("2025 Q4", flagship)
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    _select(page, "2026 Q4")
    seen = {}

    def fill(dialog):
        seen["dialog"] = dialog
        assert not dialog.instrument.isEnabled()  # fixed once responses answer it
        dialog.min_group.setValue(8)
        dialog.min_comments.setValue(5)  # below scores: refused at the box
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.min_comments.property("invalid") is True
        assert "comments" in dialog.comments_problem.text()
        dialog.min_comments.setValue(12)
        assert dialog.min_comments.property("invalid") is False
        dialog.opens.set_value(dt.date(2026, 10, 5))
        dialog.closes.set_value(dt.date(2026, 10, 1))  # before it opens: refused
        dialog.accept()
        assert dialog.closes.edit.property("invalid") is True
        dialog.closes.set_value(dt.date(2026, 10, 30))
        dialog.previous.setCurrentIndex(dialog.previous.findData(other.id))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill)
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        page.rename_button.click()
    stored = state.store.campaign("2026 Q4")
    assert (stored.min_group_size, stored.min_comment_group_size) == (8, 12)
    assert (stored.opens_on, stored.closes_on) == (dt.date(2026, 10, 5), dt.date(2026, 10, 30))
    assert stored.previous_campaign_id == other.id
    assert "2026 Q4" in seen["dialog"].windowTitle()


def test_settings_signal_thresholds(qtbot, state):
    from culturescope.settings import load_settings

    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    names = [page.threshold_name(r) for r in range(page.thresholds.rowCount())]
    row = names.index("practice_low_percent")
    # A readable setting name; the raw one (docs, --set) in the tooltip.
    assert page.thresholds.item(row, 0).text() == "Practice low (% positive)"
    assert "practice_low_percent" in page.thresholds.item(row, 0).toolTip()
    levels = names.index("leader_levels")
    assert "senior leaders" in page.thresholds.item(levels, 3).text()
    assert "senior leaders" in page.thresholds.item(levels, 1).toolTip()
    # role levels by their names, never their internal ids
    assert "senior_leader" not in page.thresholds.item(levels, 1).text()
    assert "senior leaders" in page.thresholds.item(levels, 1).text()
    assert page.thresholds.item(row, 1).text() == "50.0"
    assert "on paper only" in page.thresholds.item(row, 3).text()
    version = state.data_version
    page.thresholds.item(row, 1).setText("60")
    assert page.save()
    assert load_settings().signal_thresholds == {"practice_low_percent": "60"}
    assert state.settings.signal_settings().practice_low_percent == 60.0
    assert state.data_version > version  # pages count the signals again
    page.refresh()
    assert page.thresholds.item(row, 1).font().bold()
    page.thresholds.item(row, 1).setText("lots")
    assert not page.save()
    assert "practice_low_percent" in page.problem.text()
    assert load_settings().signal_thresholds == {"practice_low_percent": "60"}
    page.reset_thresholds()
    assert page.save()
    assert load_settings().signal_thresholds == {}


def test_set_passphrase(qtbot, state, monkeypatch):
    from culturescope.gui import passphrase

    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "open sesame")
    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    page.change_passphrase()
    assert state.settings.check_passphrase("open sesame")
    assert "open sesame" not in state.settings.admin_passphrase_hash
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda _parent, _prompt="": "wrong")
    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "another one")
    page.change_passphrase()
    assert state.settings.check_passphrase("open sesame")  # unchanged: wrong current one


def test_backup_and_restore(qtbot, state, dialogs, tmp_path):
    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    with qtbot.waitSignal(state.taskStarted) as started:
        page.backup_now()
    with qtbot.waitSignal(started.args[0].done, timeout=10000):
        pass
    backups = sorted(tmp_path.glob("test.backup-*.db"))
    assert len(backups) == 1
    state.store.delete_campaign("2026 Q4")
    assert state.store.campaigns() == []
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("hello")
    assert not page.restore(str(not_a_db))
    assert "not a SQLite" in dialogs.errors[-1][1]
    with qtbot.waitSignal(state.dataChanged, timeout=30_000):
        task = page.restore(str(backups[0]))
        assert not page.restore_button.isEnabled()  # restored in a worker
    assert task.outcome == "finished" and page.restore_button.isEnabled()
    assert [c.name for c in state.store.campaigns()] == ["2026 Q4"]
    assert state.current_campaign.name == "2026 Q4"
    assert list(tmp_path.glob("test.before-restore-*.db"))
    state.store.close()


def test_campaign_writes_run_in_a_worker_and_a_refusal_is_shown(qtbot, state, dialogs, flagship):
    """A write waits for the database in a worker, not on the window's thread; what the
    store refuses comes back as a message, with nothing changed."""
    import threading

    from culturescope.gui.pages import campaigns_page

    threads = []
    real = campaigns_page._update_campaign

    def update(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    other = state.store.create_campaign("Spring 2026", flagship)
    campaigns_page._update_campaign = update
    try:
        page = CampaignsPage(state)
        qtbot.addWidget(page)
        page.refresh()
        _select(page, "2026 Q4")
        task = page.rename_campaign(other.name)  # taken: the store refuses
        assert not page.rename_button.isEnabled() and not page.delete_button.isEnabled()
        with qtbot.waitSignal(task.done, timeout=30_000):
            pass
    finally:
        campaigns_page._update_campaign = real
    assert threads and threads[0] != threading.get_ident()
    assert dialogs.errors[-1][0] == "The campaign was not renamed"
    assert "Spring 2026" in dialogs.errors[-1][1]
    assert {c.name for c in state.store.campaigns()} == {"2026 Q4", "Spring 2026"}
    assert page.rename_button.isEnabled()


def test_changing_the_passphrase_reseals_in_a_worker(qtbot, state, dialogs, monkeypatch):
    from culturescope.gui import passphrase
    from culturescope.gui.pages import settings_page

    state.settings.set_passphrase("open sesame")
    resealed = []

    def reseal(store, old, new, *, progress, is_cancelled):
        resealed.append((old, new))
        if new == "refused by the keys":
            raise settings_page.CultureScopeError("the kiosk keys could not be sealed")
        return 0

    monkeypatch.setattr(settings_page, "_reseal", reseal)
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda _parent, _prompt="": "open sesame")
    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "refused by the keys")
    page = SettingsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    with qtbot.waitSignal(state.taskStarted) as started:
        page.change_passphrase()
    assert not page.passphrase_button.isEnabled()
    with qtbot.waitSignal(started.args[0].done, timeout=30_000):
        pass
    assert dialogs.errors[-1][0] == "Passphrase not saved"
    assert state.settings.check_passphrase("open sesame"), "unchanged when the keys fail"

    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "another one")
    with qtbot.waitSignal(state.taskStarted) as started:
        page.change_passphrase()
    with qtbot.waitSignal(started.args[0].done, timeout=30_000):
        pass
    assert resealed[-1] == ("open sesame", "another one")
    assert state.settings.check_passphrase("another one") and page.passphrase_button.isEnabled()
