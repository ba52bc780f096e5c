"""Excel scorecard: formatted sheets, text never a formula, hidden groups without numbers."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from culturescope.reports.excel import HIDDEN_TEXT, write_xlsx
from culturescope.storage.repository import ResponseData
from reports_data import HIDDEN_TEAM
from test_reports_pdf import make_card

INJECTIONS = ("=", "+", "-", "@")


@pytest.fixture
def card(flagship):
    return make_card(flagship)


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def test_sheets_and_formats(card, tmp_path):
    path = write_xlsx(card, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Dimensions",
        "Items",
        "Groups % positive",
        "Groups mean",
        "Agreement",
        "Trend",
        "Signals",
        "Policy vs practice",
        "Policies",
        "Comments",
        "Method",
    ]
    items = wb["Items"]
    assert items.freeze_panes == "A2"
    assert items["A1"].value == "Item" and items["A2"].value == card.result.items[0].id
    assert items["I2"].number_format == '0.0"%"'
    assert items.conditional_formatting
    assert wb["Groups % positive"].conditional_formatting
    assert wb["Summary"]._charts and wb["Groups % positive"]._charts


def test_formula_like_text_is_written_as_text(card, tmp_path):
    path = write_xlsx(card, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    risky = [
        (t, c) for t, c in _cells(wb) if isinstance(c.value, str) and c.value.startswith(INJECTIONS)
    ]
    values = {c.value for _, c in risky}
    assert '=HYPERLINK("http://x")' in values  # policy title
    assert "@SUM(1)" in values  # comment
    assert "-owner" in values and "+1" in values
    for _, c in risky:
        assert c.data_type == "s", (c.coordinate, c.value)
    assert not any(c.data_type == "f" for _, c in _cells(wb))


def test_hidden_group_has_no_numbers(card, tmp_path):
    path = write_xlsx(card, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            texts = [c.value for c in row if isinstance(c.value, str)]
            if not any(HIDDEN_TEAM in t for t in texts):
                continue
            found += 1
            assert any(HIDDEN_TEXT in t for t in texts), (ws.title, texts)
            assert not any(isinstance(c.value, (int, float)) for c in row), (
                ws.title,
                [c.value for c in row],
            )
    assert found >= 3  # both group sheets and the method sheet


def test_responses_sheet_only_when_asked_and_anonymised(card, flagship, tmp_path):
    path = write_xlsx(card, tmp_path / "a.xlsx")
    assert "Responses" not in openpyxl.load_workbook(path).sheetnames
    items = [i.id for i in flagship.items]
    n = 12
    rng = np.random.default_rng(0)
    answers = pd.DataFrame(rng.integers(1, 5, size=(n, len(items))).astype(float), columns=items)
    answers.iloc[0, 0] = np.nan
    answers.iloc[1:4, 1] = 0.0  # N/A code of LA2's scale
    teams = ["Research"] * 6 + [HIDDEN_TEAM] * 2 + ["Nowhere"] * 4
    demographics = pd.DataFrame(
        {"team": teams, "role": ["manager"] * n, "site": ["Zurich"] * n, "tenure": ["lt1"] * n}
    )
    data = ResponseData(
        flagship,
        answers,
        demographics,
        pd.DataFrame(index=answers.index),
        pd.DataFrame(columns=["response_id", "prompt_id", "text"]),
    )
    path = write_xlsx(card, tmp_path / "b.xlsx", responses=data)
    ws = openpyxl.load_workbook(path)["Responses"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Team" and header[1:] == items  # no role/site/tenure, no dates, no ids
    col = [ws.cell(row=r, column=1).value for r in range(2, n + 2)]
    assert sorted(col) == sorted(["Research"] * 6 + ["(not shown)"] * 6)
    values = {
        ws.cell(row=r, column=c).value for r in range(2, n + 2) for c in range(2, len(items) + 2)
    }
    assert "N/A" in values and 0 not in values


def test_signal_evidence_in_words(flagship, tmp_path):
    from types import SimpleNamespace

    sig = SimpleNamespace(
        id="awareness_gap:independent-audit",
        kind="awareness_gap",
        severity="critical",
        title="Independent audit: 85% know the procedure, 16% see it used",
        scope=("Independent audit",),
        evidence={"n": 333, "aware_percent": 85.2, "gap_points": 69.1, "p_adjusted": 2e-09},
        explanation="People know the audit exists but do not see it.",
        question="When was the last audit?",
    )
    path = write_xlsx(make_card(flagship, signals=(sig,)), tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(path)["Signals"]
    assert ws["E1"].value == "Evidence"
    assert ws["E2"].value.splitlines() == [
        "Respondents (n): 333",
        "Know the procedure: 85%",
        "Gap (know it minus see it used): 69 points",
        "Adjusted p-value: < 0.001",
    ]
    assert ws["F2"].value == sig.explanation and ws["G2"].value == sig.question
