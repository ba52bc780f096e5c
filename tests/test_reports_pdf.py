"""PDF scorecard: sections present, fonts embedded, hidden groups never with numbers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from culturescope.reports.pdf import write_pdf
from culturescope.reports.scorecard import CommentSet, PolicySummary, Scorecard, practice_rows
from reports_data import HIDDEN_TEAM, make_result
from reports_fixtures import charts_not_rasterised

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils missing"
)


def make_card(inst, *, signals=(), policies=True, comments=True, previous=True) -> Scorecard:
    result = make_result(inst, shift=0.6)
    pols = (
        (
            PolicySummary(
                "Incident reporting policy",
                "implemented",
                "COO",
                ("incident_reporting",),
                "",
                dt.date(2020, 1, 1),
                dt.date(2019, 1, 1),
            ),
            PolicySummary(
                '=HYPERLINK("http://x")',
                "audited",
                "-owner",
                ("independent_audit",),
                "+1",
                None,
                None,
            ),
        )
        if policies
        else None
    )
    return Scorecard(
        organisation="Northwind AI",
        campaign="2026 Q4",
        result=result,
        opens_on=dt.date(2026, 10, 1),
        closes_on=dt.date(2026, 10, 31),
        previous=make_result(inst, campaign="2026 Q2", seed=9) if previous else None,
        signals=signals,
        policies=pols,
        practice=practice_rows(inst, result, pols),
        comments=(
            (CommentSet("C1", "What would improve safety?", ("@SUM(1)", "More review time")),)
            if comments
            else ()
        ),
        team_comments={
            "Operations": (CommentSet("C1", "What would improve safety?", ("ops text",)),)
        },
    )


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory):
    """A scorecard with every section, its PDF with team pages (rendered once for the tests
    that read it) and the progress fractions reported while writing it."""
    from culturescope.instruments import get_instrument

    sig = SimpleNamespace(
        id="s1",
        kind="policy_practice_gap",
        severity="critical",
        title="Independent audit: claimed audited, 31% see it in use",
        scope=("independent_audit",),
        evidence={"percent_positive": 31.2, "n": 120.0},
        explanation="The register says audits happen; staff do not see them.",
        question="Who saw the last audit's findings?",
    )
    card = make_card(get_instrument("ai-safety-culture"), signals=(sig,))
    seen: list[float] = []
    path = write_pdf(
        card,
        tmp_path_factory.mktemp("full-pdf") / "s.pdf",
        by_team=True,
        progress=lambda f, m: seen.append(f),
        chart_dpi=40,
    )
    return SimpleNamespace(card=card, path=path, progress=seen)


@needs_poppler
def test_pdf_has_every_section_and_no_hidden_numbers(full_pdf):
    card, path = full_pdf.card, full_pdf.path
    text = pdf_text(path)
    for heading in (
        "Safety culture scorecard",
        "Executive summary",
        "Pillar: Leadership accountability",
        "Results by team",
        "Trend since 2026 Q2",
        "Safety-washing signals",
        "Independent audit: claimed audited",
        "Policy register vs practice",
        "What people said",
        "Method and confidentiality",
        "What was hidden and why",
    ):
        assert heading in text, heading
    # One page per visible team, none for the hidden one.
    for g in card.result.visible_groups:
        assert f"{g.n} responses · compared with" in text
    lines = [ln for ln in text.splitlines() if HIDDEN_TEAM in ln]
    assert lines, "the hidden team is listed on the method page"
    for ln in lines:
        assert "hidden" in ln.lower() or "Insufficient responses" in ln
        assert not re.search(r"\d+(\.\d+)?%|n\s*=\s*\d", ln), ln
    # Fonts are embedded TrueType (no Type 3, no un-embedded base-14 fonts).
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(" yes " in r and "TrueType" in r for r in rows), fonts


@needs_poppler
def test_pdf_absent_modules_and_withheld_comments(flagship, tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)
    card = make_card(flagship, signals=None, policies=False, comments=False, previous=False)
    card = Scorecard(
        **{**card.__dict__, "comments_withheld": "Comments are not shown: fewer than 10 responses."}
    )
    text = pdf_text(write_pdf(card, tmp_path / "s.pdf", chart_dpi=40))
    assert "signals check is not available" in text
    assert "policy register is not available" in text
    assert "Comments are not shown" in text
    assert "Trend since" not in text
    assert "ops text" not in text  # team pages only with by_team


def test_pdf_progress_and_cancel(full_pdf, flagship, tmp_path):
    from culturescope import Cancelled

    seen = full_pdf.progress
    assert full_pdf.path.read_bytes().startswith(b"%PDF")
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    with pytest.raises(Cancelled):
        write_pdf(make_card(flagship), tmp_path / "b.pdf", is_cancelled=lambda: True)
    assert not (tmp_path / "b.pdf").exists()


def _signals_page_text(text: str) -> str:
    start = text.index("Safety-washing signals", text.index("Executive summary") + 1)
    return text[start : text.index("Policy register vs practice", start)]


@needs_poppler
def test_pdf_signal_evidence_in_words_after_the_explanation(flagship, tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)
    gap = SimpleNamespace(
        id="policy_practice_gap:a:b",
        kind="policy_practice_gap",
        severity="critical",
        title="Independent safety audit: claimed audited, 16% see independent audit in use",
        scope=("Independent safety audit", "Independent audit"),
        evidence={
            "claimed_status_level": 3,
            "percent_positive": 15.5,
            "n": 1341,
            "gap_points": 34.5,
        },
        explanation="The register says audits happen; staff do not see them.",
        question="Who saw the last audit's findings?",
    )
    ev = {"leaders_n": 44, "frontline_n": 237, "measures_compared": 3, "measures_with_gap": 1}
    ev |= {
        "leadership_accountability.leaders_mean": 4.32,
        "leadership_accountability.frontline_mean": 3.58,
        "leadership_accountability.difference": 0.733,
        "leadership_accountability.hedges_g": 1.18,
        "leadership_accountability.percent_points": 31.1,
        "leadership_accountability.p_adjusted": 3.1e-06,
        "psychological_safety.leaders_mean": 4.42,
    }
    perception = SimpleNamespace(
        id="perception_gap:roles:pillars",
        kind="perception_gap",
        severity="warning",
        title="Senior leaders rate pillars higher than front-line staff",
        scope=("Senior leaders", "front-line staff", "Leadership accountability"),
        evidence=ev,
        explanation="Leaders see a better culture than front-line staff.",
        question="What do front-line staff experience that leaders do not see?",
    )
    card = make_card(flagship, signals=(gap, perception))
    page = _signals_page_text(pdf_text(write_pdf(card, tmp_path / "s.pdf", chart_dpi=40)))
    flat = " ".join(page.split())
    for words in (
        "Claimed status audited",
        "Percent positive 16%",
        "Answers (n) 1,341",
        "Below the threshold by 34 points",
        "Leaders (n) 44",
        "Leaders' mean 4.32",
        "Hedges' g (effect size) 1.18",
        "Adjusted p-value < 0.001",
        "Difference in percent positive 31 points",
        "… 1 more figure in the Excel scorecard",
    ):
        assert words in flat, words
    # The figures of a pillar under its title, taken from the instrument.
    assert "Leadership accountability Leaders' mean" in flat
    for raw in ("claimed_status_level", "claimed status level", "hedges g", "p adjusted", "0.00 "):
        assert raw not in flat, raw
    # The plain explanation and the question come before the figures.
    for explanation, question, figure in (
        ("audits happen", "last audit's findings", "Claimed status"),
        ("better culture than", "leaders do not see?", "Leaders (n)"),
    ):
        assert flat.index(explanation) < flat.index(question) < flat.index(figure)
