"""End to end through the store: report/template/form commands, and confidentiality of
every output for a campaign with a hidden team."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import openpyxl
import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.reports.export import ReportError, export_scorecard
from culturescope.reports.scorecard import build_scorecard
from reports_fixtures import charts_not_rasterised

TEAMS = {"Red": 14, "Blue": 8, "Green": 7, "Tiny Secret Team": 3}
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils missing"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from culturescope.instruments import get_instrument
    from culturescope.storage import NewResponse, Store

    inst = get_instrument("ai-safety-culture")
    path = tmp_path_factory.mktemp("reports") / "r.db"
    store = Store(str(path))
    camp = store.create_campaign("2026 Q4", inst, min_group_size=5, min_comment_group_size=10)
    rng = random.Random(5)
    responses = []
    for team, n in TEAMS.items():
        for k in range(n):
            answers = {i.id: rng.randint(1, inst.scale_of(i).points) for i in inst.items}
            role = ["front_line", "senior_leader", "manager"][k % 3]
            comments = {"C1": f"remark {team[:2].lower()}{k} about review time"}
            responses.append(NewResponse(answers, {"team": team, "role": role}, comments))
    store.add_responses(camp.id, responses, source="kiosk")
    store.close()
    return str(path)


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_poppler
def test_hidden_team_never_with_numbers_in_pdf_or_excel(db, tmp_path, monkeypatch):
    """The PDF's text and the workbook (the charts' pictures: test_reports_charts and the
    end-to-end PDF of test_trend_is_tested_in_pdf_and_excel)."""
    from culturescope.storage import Store

    charts_not_rasterised(monkeypatch)

    store = Store(db)
    card = build_scorecard(store, "2026 Q4")
    hidden = {g.label for g in card.result.hidden_groups}
    assert "Tiny Secret Team" in hidden
    # Comments: overall (32 responses >= 10) yes; per team only Red (14 >= 10).
    assert card.comments
    assert set(card.team_comments) == {"Red"}
    pdf = export_scorecard(store, "2026 Q4", "pdf", tmp_path / "s.pdf", by_team=True)
    text = _pdf_text(pdf)
    for name in hidden:
        lines = [ln for ln in text.splitlines() if name in ln]
        assert lines
        for ln in lines:
            assert "hidden" in ln.lower() or "Insufficient responses" in ln, ln
            assert not re.search(r"\d+%|\d\.\d\d|n\s*=", ln), ln
        assert f"{name}\n" not in text.replace(" ", "")  # no team page title for it
    xlsx = export_scorecard(store, "2026 Q4", "xlsx", tmp_path / "s.xlsx", include_responses=True)
    wb = openpyxl.load_workbook(xlsx)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if not any(isinstance(v, str) and any(n in v for n in hidden) for v in values):
                continue
            assert ws.title != "Responses", "hidden teams are not named in the response sheet"
            assert any(isinstance(v, str) and "Insufficient responses" in v for v in values), (
                ws.title,
                values,
            )
            assert not any(isinstance(v, (int, float)) for v in values), (ws.title, values)
    responses = wb["Responses"]
    teams = {responses.cell(row=r, column=1).value for r in range(2, responses.max_row + 1)}
    assert teams == {"Red", "Blue", "(not shown)"}
    comments = wb["Comments"]
    assert [c.value for c in comments[1]] == ["Prompt", "Comment"]  # no demographic columns
    store.close()


@pytest.fixture(scope="module")
def chart_files(db, tmp_path_factory) -> list[str]:
    """``report --format png`` of the campaign (no policy register), run once for the tests
    that read which files it wrote."""
    folder = tmp_path_factory.mktemp("charts") / "charts"
    argv = ["--db", db, "-q", "report", "--campaign", "2026 Q4", "--format", "png"]
    assert main([*argv, "-o", str(folder)]) == 0
    return sorted(p.name for p in folder.iterdir())


def test_cli_report_template_form(db, chart_files, tmp_path, capsys):
    assert chart_files[0] == "01-pillar-scores.png" and "08-by-team.png" in chart_files
    assert (
        main(
            [
                "--db",
                db,
                "report",
                "--campaign",
                "2026 Q4",
                "--format",
                "xlsx",
                "-o",
                str(tmp_path / "s.xlsx"),
                "--by",
                "team",
            ]
        )
        == 1
    )
    assert "--by team" in capsys.readouterr().err
    assert (
        main(["--db", db, "template", "--campaign", "2026 Q4", "-o", str(tmp_path / "t.xlsx")]) == 0
    )
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "Responses"
    assert (
        main(
            [
                "form",
                "--instrument",
                "psychological-safety-pulse",
                "-o",
                str(tmp_path / "f.pdf"),
                "--paper",
                "letter",
            ]
        )
        == 0
    )
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")
    assert (
        main(
            [
                "--db",
                db,
                "report",
                "--campaign",
                "nope",
                "--format",
                "pdf",
                "-o",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 1
    )
    assert "nope" in capsys.readouterr().err


def test_export_refuses_bad_targets(db, tmp_path):
    from culturescope.storage import Store

    store = Store(db)
    with pytest.raises(ReportError, match="unknown report format"):
        export_scorecard(store, "2026 Q4", "docx", tmp_path / "x.docx")
    with pytest.raises(ReportError, match="does not exist"):
        export_scorecard(store, "2026 Q4", "pdf", tmp_path / "no" / "x.pdf")
    with pytest.raises(ReportError, match="is a folder"):
        export_scorecard(store, "2026 Q4", "xlsx", tmp_path)
    store.close()


@needs_poppler
def test_trend_is_tested_in_pdf_and_excel(tmp_path, demo_db_template):
    from culturescope.storage import Store

    store = Store(copy_db(demo_db_template(200), tmp_path / "demo.db"))
    card = build_scorecard(store, "Demo 2026 Q4")
    assert card.trend is not None and card.trend.previous == "Demo 2025 Q4"
    psych = card.trend.dimension("psychological_safety")
    assert psych.significant and psych.difference > 0
    pdf = export_scorecard(store, "Demo 2026 Q4", "pdf", tmp_path / "s.pdf")
    text = _pdf_text(pdf)
    assert "Trend since Demo 2025 Q4" in text
    assert "no clear change" in text and "p (adj.)" in text
    xlsx = export_scorecard(store, "Demo 2026 Q4", "xlsx", tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Trend"]
    head = [c.value for c in ws[1]]
    assert head[-3:] == ["Tested change (matching items)", "p (Holm-adjusted)", "Verdict"]
    verdicts = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=9).value
        for r in range(2, ws.max_row + 1)
    }
    assert verdicts["Psychological safety"] == "up"
    # The chart speaks of the tested change in the table's unit (mean score) too.
    from culturescope.reports import charts
    from culturescope.reports.export import chart_specs

    spec = next(s for s in chart_specs(card) if s.name == "trend")
    fig = charts.new_figure(*spec.size)
    ax = spec.draw(fig.add_subplot(), *spec.args, **spec.kwargs)
    labels = [t.get_text() for t in ax.texts if " pts" in t.get_text()]
    assert f"mean {psych.difference:+.2f}" in " ".join(labels)
    store.close()


def test_charts_without_a_register_leave_out_policy_vs_practice(db, chart_files, tmp_path):
    """No policy register: no slide of grey "no policy" boxes; with one, the chart (with
    its colour key) is there."""
    from culturescope.policies import PolicyDraft, add_policy
    from culturescope.reports.export import chart_specs
    from culturescope.storage import Store

    store = Store(copy_db(db, tmp_path / "r.db"))
    names = [s.name for s in chart_specs(build_scorecard(store, "2026 Q4"))]
    assert "policy-vs-practice" not in names
    assert chart_files and not any("policy" in name for name in chart_files)
    org = store.campaign("2026 Q4").organisation
    add_policy(
        store,
        org,
        PolicyDraft("Reporting", status="audited", practice_areas=("incident_reporting",)),
    )
    names = [s.name for s in chart_specs(build_scorecard(store, "2026 Q4"))]
    assert "policy-vs-practice" in names
    store.close()
