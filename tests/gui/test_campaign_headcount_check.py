"""The campaign dialog compares a loaded headcount sheet with the responses: a group with
more responses than people is listed under the sheet (counts only for shown groups)."""

from __future__ import annotations

import csv
import os

from culturescope.gui.pages.campaigns_page import CampaignDialog, CampaignsPage


def _sheet(path, rows):
    """A csv as Excel saves "CSV UTF-8": a byte-order mark and CRLF line ends."""
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh, dialect="excel").writerows(rows)
    return path


def test_dialog_lists_groups_with_more_responses_than_people(qtbot, state, tmp_path, monkeypatch):
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    row = next(r for r, c in enumerate(page.campaigns) if c.name == "2026 Q4")
    page.table.selectRow(row)
    # 80 responses, 16 per team: Research's sheet says 12 people.
    heads = [["Team", "People"], ["Research", 12], ["Platform", 40], ["Policy", 20]]
    heads += [["Evaluations", 20], ["Ops", 20]]
    over = _sheet(tmp_path / "headcount.csv", heads)
    fine = _sheet(tmp_path / "headcount-fixed.csv", [heads[0], ["Research", 20], *heads[2:]])
    seen = {}

    def fill(dialog):
        assert dialog.load_headcounts(str(over))
        qtbot.waitUntil(lambda: "Research" in dialog.headcounts_check.text(), timeout=60_000)
        seen["over"] = dialog.headcounts_check.text()
        assert dialog.headcounts_check.isVisibleTo(dialog)
        dialog.resize(1366, 768)
        shots = os.environ.get("CULTURESCOPE_SHOTS")
        if shots:
            dialog.grab().save(os.path.join(shots, "campaign-headcount-check.png"))
        assert dialog.load_headcounts(str(fine))
        qtbot.waitUntil(lambda: not dialog.headcounts_check.isVisibleTo(dialog), timeout=60_000)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill)
    with qtbot.waitSignal(state.dataChanged, timeout=60_000):
        page.rename_button.click()
    assert seen["over"] == (
        "Research: 16 responses for 12 people — check the headcount sheet or repeated "
        "submissions"
    )
    assert state.store.campaign("2026 Q4").headcounts["team"]["Research"] == 20


def test_a_team_sheet_keeps_the_role_headcounts(qtbot, state, flagship, tmp_path):
    """As `campaign set --headcounts`: only the demographics the sheet lists are replaced."""
    from culturescope.settings import Settings

    current = state.store.update_campaign(
        "2026 Q4", headcounts={"team": {"Research": 99}, "role": {"manager": 14}}
    )
    dialog = CampaignDialog(
        [flagship], Settings(), campaign=current, others=[current], instrument=flagship
    )
    qtbot.addWidget(dialog)
    sheet = _sheet(tmp_path / "teams.csv", [["Team", "People"], ["Research", 20], ["Ops", 30]])
    assert dialog.load_headcounts(str(sheet))
    assert dialog.changes()["headcounts"] == {
        "team": {"Research": 20, "Ops": 30},
        "role": {"manager": 14},
    }
    dialog.headcounts_clear.click()
    assert dialog.changes()["headcounts"] == {}
