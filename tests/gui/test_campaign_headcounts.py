"""Expected headcounts loaded from a sheet in the campaign dialog (Campaigns -> Edit...)."""

from __future__ import annotations

import openpyxl

from culturescope.gui.pages.campaigns_page import CampaignDialog, CampaignsPage


def _headcount_book(path):
    """A workbook as an HR assistant keeps one: a sheet per demographic, made in Excel
    (openpyxl here, not CultureScope's writer), with a total row left at the bottom."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Teams"
    ws.append(["Team", "Headcount"])
    for team, n in (("Research", 42), ("Operations", 17), ("Policy", 9)):
        ws.append([team, n])
    roles = wb.create_sheet("Roles")
    roles.append(["Role level", "People"])
    roles.append(["Front-line staff", 50])
    roles.append(["Manager", 14])
    roles.append(["Senior leader", 4])
    wb.save(path)
    return path


def test_headcounts_load_from_a_sheet_and_are_saved(qtbot, state, tmp_path, monkeypatch):
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    row = next(r for r, c in enumerate(page.campaigns) if c.name == "2026 Q4")
    page.table.selectRow(row)
    bad = tmp_path / "wrong.csv"
    bad.write_text("Budget code?,n\nResearch,4\n", encoding="utf-8")
    good = _headcount_book(tmp_path / "headcounts.xlsx")
    seen = {}

    def fill(dialog):
        assert dialog.headcounts_button.isEnabled()
        assert not dialog.load_headcounts(str(bad))  # refused at the button, one line
        problem = dialog.headcounts_problem.text()
        assert "wrong.csv, row 1, column A" in problem and "Budget code?" in problem
        assert dialog.headcounts_button.property("invalid") is True
        assert dialog.load_headcounts(str(good))
        assert dialog.headcounts_button.property("invalid") is False
        seen["shown"] = dialog.headcounts_label.text()
        dialog.resize(1366, 768)
        dialog.grab().save(str(tmp_path / "campaign-headcounts.png"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill)
    with qtbot.waitSignal(state.dataChanged):
        page.rename_button.click()
    stored = state.store.campaign("2026 Q4")
    assert stored.headcounts["team"] == {"Research": 42, "Operations": 17, "Policy": 9}
    assert stored.headcounts["role"] == {"front_line": 50, "manager": 14, "senior_leader": 4}
    assert seen["shown"] == "Team: 3 groups, 68 people · Role level: 3 groups, 68 people"


def test_clearing_headcounts(qtbot, state, tmp_path, monkeypatch):
    campaign = state.store.campaign("2026 Q4")
    state.store.update_campaign(campaign.id, headcounts={"team": {"Research": 42}})
    state.reload_campaign()
    page = CampaignsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    row = next(r for r, c in enumerate(page.campaigns) if c.name == "2026 Q4")
    page.table.selectRow(row)

    def fill(dialog):
        assert dialog.headcounts == {"team": {"Research": 42}}
        dialog.headcounts_clear.click()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CampaignDialog, "exec", fill)
    with qtbot.waitSignal(state.dataChanged):
        page.rename_button.click()
    assert not state.store.campaign("2026 Q4").headcounts
