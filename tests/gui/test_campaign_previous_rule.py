"""The campaign dialog shows the core's rule for the previous campaign: a refused choice is
marked at its box and blocks saving; a warning is shown under it."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtWidgets import QDialog

from culturescope.gui.campaign_dialog import CampaignDialog
from culturescope.settings import Settings


def _dialog(qtbot, store, current, flagship) -> CampaignDialog:
    """The campaign's settings dialog as the Campaigns page opens it, checking the
    previous campaign with the store's rule."""
    dialog = CampaignDialog(
        [flagship],
        Settings(),
        campaign=current,
        others=store.campaigns(),
        instrument=flagship,
        check_previous=lambda previous, _instrument, opens_on: store.previous_check(
            previous, campaign=current.id, opens_on=opens_on
        ),
    )
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_refuses_a_previous_campaign_that_follows(qtbot, state, flagship):
    store = state.store
    current = store.campaign("2026 Q4")
    later = store.create_campaign(
        "2027 Q1", flagship, opens_on=dt.date(2027, 1, 10), previous=current.id
    )
    other = store.create_campaign("Acme 2025", flagship, organisation="Acme")
    dialog = _dialog(qtbot, store, current, flagship)
    dialog.previous.setCurrentIndex(dialog.previous.findData(later.id))
    assert dialog.previous_problem.text() == (
        "'2027 Q1' cannot be the previous campaign of '2026 Q4': '2027 Q1' already follows "
        "'2026 Q4', so each trend would run backwards"
    )
    assert dialog.previous.property("invalid") is True
    dialog.resize(1366, 768)
    shots = os.environ.get("CULTURESCOPE_SHOTS")
    if shots:
        dialog.grab().save(os.path.join(shots, "campaign-previous-refused.png"))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted

    dialog.previous.setCurrentIndex(dialog.previous.findData(other.id))
    assert dialog.previous_problem.text() == ""
    assert dialog.previous_warning.isVisibleTo(dialog)
    assert "belongs to another organisation (Acme" in dialog.previous_warning.text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.changes()["previous_campaign_id"] == other.id


def test_dialog_shows_the_rule_for_the_stored_choice_when_it_opens(qtbot, state, flagship):
    store = state.store
    other = store.create_campaign("Acme 2025", flagship, organisation="Acme")
    current = store.update_campaign("2026 Q4", previous_campaign_id=other.id)
    dialog = _dialog(qtbot, store, current, flagship)
    assert dialog.previous.currentData() == other.id
    assert "belongs to another organisation" in dialog.previous_warning.text()
