"""The kiosk's welcome and thank-you pages say one consistent thing: confidential."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from culturescope.gui.kiosk import KioskWindow
from culturescope.instruments import get_instrument, promises_anonymity


def _texts(page) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel))


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_welcome_and_thanks_never_say_anonymous(qtbot, state, version):
    inst = get_instrument(f"ai-safety-culture@{version}")
    campaign = state.store.create_campaign(f"kiosk {version}", inst, min_group_size=6)
    kiosk = KioskWindow(state, campaign, idle_ms=600_000)
    qtbot.addWidget(kiosk)
    welcome, thanks = _texts(kiosk.welcome), _texts(kiosk.thanks)
    assert not promises_anonymity(welcome + thanks)
    assert welcome.count("Your answers are confidential.") == 1
    assert "groups of at least 6 people" in welcome
    assert ("about ten minutes" in welcome) == (version == "1.1")
    assert "Thank you. Your answers have been saved." in thanks
