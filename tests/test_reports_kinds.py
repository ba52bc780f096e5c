"""Scorecards read each dimension for what it is: no strengths from awareness items, behaviour
counts without band or alpha, and no report at all for a campaign without scores."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import openpyxl
import pytest

from culturescope.cli import main
from culturescope.reports.excel import write_xlsx
from culturescope.reports.export import ReportError, TooFewResponses, export_scorecard
from culturescope.reports.pdf import write_pdf
from culturescope.reports.scorecard import Scorecard
from reports_data import make_result
from reports_fixtures import charts_not_rasterised

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils missing"
)


def _pdf_text(path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def _card(inst, result) -> Scorecard:
    return Scorecard(organisation="Northwind AI", campaign="2026 Q4", result=result)


def _with_percent(result, pp: dict[str, float]):
    items = tuple(
        dataclasses.replace(i, percent_positive=pp[i.id]) if i.id in pp else i for i in result.items
    )
    return dataclasses.replace(result, items=items)


def _skewed(flagship):
    """Awareness and behaviour items at the extremes: they must not be picked."""
    result = make_result(flagship)
    extremes = {"AW5": 99.0, "AW3": 98.0, "RB1": 100.0, "AW1": 0.5, "RB2": 0.1}
    return _with_percent(result, extremes)


def test_strengths_and_improvements_are_attitude_and_practice_items_only(flagship):
    card = _card(flagship, _skewed(flagship))
    kinds = {i.id: i.kind for i in flagship.items}
    for items in (card.strengths(), card.improvements()):
        assert len(items) == 3
        assert {kinds[i.id] for i in items} <= {"attitude", "practice"}
    ranked = [i for i in card.result.items if kinds[i.id] in ("attitude", "practice")]
    best = max(ranked, key=lambda i: i.percent_positive)
    worst = min(ranked, key=lambda i: i.percent_positive)
    assert card.strengths()[0].id == best.id and card.improvements()[0].id == worst.id


@needs_poppler
def test_pdf_and_excel_summaries_leave_out_awareness_items(flagship, tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)
    card = _card(flagship, _skewed(flagship))
    pdf = write_pdf(card, tmp_path / "s.pdf", chart_dpi=30)
    summary = _pdf_text(pdf, 2, 2)
    assert "Executive summary" in summary and "Top strengths" in summary
    assert "I know" not in summary and "how often" not in summary
    assert card.strengths()[0].text.split()[0] in summary
    xlsx = write_xlsx(card, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Summary"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Top strengths" in cells
    assert not any(c.startswith("I know") or "how often" in c for c in cells)
    for item in (card.strengths()[0], card.improvements()[0]):
        assert any(c.startswith(item.text) for c in cells)


@needs_poppler
def test_behaviour_dimension_reads_as_counts_in_pdf_and_excel(flagship, tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)
    result = make_result(flagship)
    rep = result.dimension("reporting_activity")
    assert rep.kind == "behaviour" and rep.band is None  # as the engine builds it
    card = _card(flagship, result)
    pdf = write_pdf(card, tmp_path / "s.pdf", chart_dpi=30)
    text = _pdf_text(pdf)
    section = text[text.index("Reporting activity (last 6 months) How often") :]
    section = section[: section.index("Item n Mean")]
    assert f"{rep.percent_positive:.0f}% reported at least once" in section
    assert "on 1–4 (Never … More than 5 times)" in section
    assert not re.search(r"Strength|Moderate|Area for improvement", section)
    assert "Cronbach's α 0" not in section
    assert "% at least once" in text and "% never" in text
    method = text[text.index("Method and confidentiality") :]
    assert "Behaviour items" in method and "at least once" in method
    assert "20 complete responses" in method
    ws = openpyxl.load_workbook(write_xlsx(card, tmp_path / "s.xlsx"))["Dimensions"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == rep.title)
    assert row[header.index("Band")] in (None, "")
    assert row[header.index("Cronbach's alpha")] is None
    assert "behaviour counts" in row[header.index("Note")]
    assert "reported at least once" in row[header.index("Note")]
    trust = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "yes")
    assert trust[header.index("Band")]  # pillars keep their band


@pytest.fixture
def stores(tmp_path, flagship):
    from culturescope.storage import NewResponse, Store

    path = tmp_path / "r.db"
    store = Store(str(path))
    store.create_campaign("Empty", flagship)
    tiny = store.create_campaign("Tiny", flagship, min_group_size=5)
    answers = {i.id: 2 for i in flagship.items}
    rows = [NewResponse(dict(answers), {"team": "A"}) for _ in range(3)]
    store.add_responses(tiny.id, rows, source="test")
    yield store, str(path)
    store.close()


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "png"])
def test_report_refuses_a_campaign_without_responses(stores, tmp_path, fmt):
    store, _ = stores
    target = tmp_path / ("charts" if fmt == "png" else f"s.{fmt}")
    with pytest.raises(TooFewResponses, match="campaign 'Empty' has no responses yet"):
        export_scorecard(store, "Empty", fmt, target)
    assert not target.exists()
    with pytest.raises(ReportError, match=r"only 3 responses: scores are shown from 5"):
        export_scorecard(store, "Tiny", fmt, target)
    assert not target.exists()


def test_cli_report_of_an_empty_campaign_is_one_line_and_exit_1(stores, tmp_path, capsys):
    _, db = stores
    out = tmp_path / "s.pdf"
    code = main(
        ["--db", db, "-q", "report", "--campaign", "Empty", "--format", "pdf", "-o", str(out)]
    )
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("culturescope: error: campaign 'Empty' has no responses yet")


@needs_poppler
def test_a_percent_on_a_band_limit_reads_in_its_own_band_in_pdf_chart_and_excel(
    flagship, tmp_path, monkeypatch
):
    """50.04% (Moderate) and 49.96% (Area for improvement): never "50%" or "50.0%" beside
    both bands — the dimension lines and the Excel cells keep the decimals that tell them
    apart."""
    from openpyxl import load_workbook

    from culturescope.reports.excel import write_xlsx
    from culturescope.reports.pdf import write_pdf

    result = make_result(flagship)
    pillars = [d for d in result.dimensions if d.pillar][:2]
    edge = {pillars[0].id: 50.04, pillars[1].id: 49.96}
    dims = tuple(
        dataclasses.replace(
            d,
            percent_positive=edge[d.id],
            band=flagship.band_for(edge[d.id]).id,
            band_label=flagship.band_for(edge[d.id]).label,
        )
        if d.id in edge
        else d
        for d in result.dimensions
    )
    card = _card(flagship, dataclasses.replace(result, dimensions=dims))
    drawn = charts_not_rasterised(monkeypatch)
    text = _pdf_text(write_pdf(card, tmp_path / "edge.pdf", chart_dpi=40))
    assert "50.04%" in text and "50%" in text.replace("50.04%", "")
    # The pillar chart's label beside the band is as precise as the dimension line.
    pillar_chart = next(ax for name, ax in drawn if name == "pillar_scores")
    labels = " ".join(t.get_text() for t in pillar_chart.texts)
    assert "50.04% positive · Moderate" in labels, labels
    book = load_workbook(write_xlsx(card, tmp_path / "edge.xlsx"))
    sheet = book["Dimensions"]
    formats = {
        row[0].value: row[7].number_format for row in sheet.iter_rows(min_row=2) if row[0].value
    }
    assert formats[pillars[0].title] == '0.00"%"'  # 50.04: "50.0%" would read Area for improvement
    assert formats[pillars[1].title] == '0.0"%"'  # 49.96 as "50.0%" is in its own band
