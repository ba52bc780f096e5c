"""Team comments in the scorecard (docs/design/confidentiality.md): the comment minimum
with differencing
protection, so that the overall comments minus the shown teams' comments never leave the
comments of fewer than the minimum; reverse-keyed items read as "% who disagree" wherever
items are ranked; counts in words with the right number."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from collections import Counter
from types import SimpleNamespace

import openpyxl
import pytest

from conftest import copy_db
from culturescope.reports.excel import write_xlsx
from culturescope.reports.export import export_scorecard
from culturescope.reports.pdf import write_pdf
from culturescope.reports.scorecard import (
    build_scorecard,
    plural,
    severity_word,
    survey_period,
)
from culturescope.scoring.confidentiality import PROTECTED, too_small
from reports_fixtures import charts_not_rasterised
from test_reports_pdf import make_card

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils missing"
)

#: The user test: 33 responses, Alpha 12, Beta 14 and three hidden teams of 1, 3 and 3.
SUBTRACTION = {"Alpha": 12, "Beta": 14, "Gamma": 1, "Delta": 3, "Epsilon": 3}


def _make_store(path, teams: dict[str | None, int], *, seed: int = 1):
    """A campaign whose every respondent comments once, naming their team in the text
    (so a leak is visible). Reverse-keyed items are answered favourably (disagree) and
    the others neutrally, so that reverse-keyed items top every team's ranking."""
    from culturescope.instruments import get_instrument
    from culturescope.storage import NewResponse, Store

    inst = get_instrument("ai-safety-culture")
    store = Store(str(path))
    camp = store.create_campaign("Q4", inst, min_group_size=5, min_comment_group_size=10)
    rng = random.Random(seed)
    responses = []
    for team, n in teams.items():
        for k in range(n):
            answers = {}
            for i in inst.items:
                scale = inst.scale_of(i)
                if i.reverse:
                    answers[i.id] = 1
                elif i.kind == "behaviour":
                    answers[i.id] = rng.randint(1, scale.points)
                else:
                    answers[i.id] = rng.choice((2, 3, 3, 4))
            demographics = {"team": team} if team else {}
            comments = {"C1": f"comment of {team or 'nobody'} number {k}"}
            responses.append(NewResponse(answers, demographics, comments))
    store.add_responses(camp.id, responses, source="kiosk")
    return store


@pytest.fixture(scope="module")
def subtraction_db(tmp_path_factory, empty_db_file):
    """The database of the :data:`SUBTRACTION` campaign, built once for this module; tests
    open a copy (:func:`subtraction_store`) or only read what is rendered from it."""
    path = tmp_path_factory.mktemp("subtraction") / "s.db"
    _make_store(copy_db(empty_db_file, path), SUBTRACTION).close()
    return path


@pytest.fixture
def subtraction_store(subtraction_db, tmp_path):
    from culturescope.storage import Store

    store = Store(copy_db(subtraction_db, tmp_path / "s.db"))
    yield store
    store.close()


def _assert_no_subtraction(card, sizes: dict[str | None, int], minimum: int) -> None:
    """Overall comments minus every shown team's comments: nobody's, or at least the
    minimum's (counted in responses and in comment texts)."""
    if not card.comments:  # fewer than the minimum in all: no comments anywhere
        assert not card.team_comments
        return
    total = sum(sizes.values())
    shown = sum(sizes[label] for label in card.team_comments)
    assert total - shown == 0 or total - shown >= minimum, (card.team_comments.keys(), sizes)
    left = Counter(t for cs in card.comments for t in cs.texts)
    for sets in card.team_comments.values():
        left -= Counter(t for cs in sets for t in cs.texts)
    assert sum(left.values()) == 0 or sum(left.values()) >= minimum


def test_subtraction_example_withholds_alpha_too(subtraction_store):
    card = build_scorecard(subtraction_store, "Q4")
    assert {g.label for g in card.result.visible_groups} == {"Alpha", "Beta"}
    assert card.comments  # 33 >= 10: the overall comments are shown
    # 7 in hidden teams < 10, so Alpha (the smaller shown team) is withheld too: 19 >= 10.
    assert set(card.team_comments) == {"Beta"}
    assert card.team_comments_withheld == {"Alpha": PROTECTED}
    texts = {t for cs in card.team_comments["Beta"] for t in cs.texts}
    assert len(texts) == 14 and all("Beta" in t for t in texts)
    _assert_no_subtraction(card, SUBTRACTION, 10)


def test_respondents_without_a_team_count_as_withheld(tmp_path, empty_db_file):
    # Alpha 12 + Beta 14 shown would expose the 6 without a team (enough for the scores,
    # 6 >= 5, not for the comments).
    sizes = {"Alpha": 12, "Beta": 14, None: 6}
    store = _make_store(copy_db(empty_db_file, tmp_path / "s.db"), sizes)
    card = build_scorecard(store, "Q4")
    assert {g.label for g in card.result.visible_groups} == {"Alpha", "Beta"}
    assert set(card.team_comments) == {"Beta"}
    assert card.team_comments_withheld == {"Alpha": PROTECTED}
    _assert_no_subtraction(card, sizes, 10)


def test_enough_withheld_keeps_every_large_team(tmp_path, empty_db_file):
    # Epsilon (3) is hidden, and Delta (5) to protect it; with Gamma (8: shown in the
    # scores, below the comment minimum) 16 >= 10 are withheld, so Alpha and Beta keep
    # their comments.
    sizes = {"Alpha": 12, "Beta": 14, "Gamma": 8, "Delta": 5, "Epsilon": 3}
    store = _make_store(copy_db(empty_db_file, tmp_path / "s.db"), sizes)
    card = build_scorecard(store, "Q4")
    assert set(card.team_comments) == {"Alpha", "Beta"}
    assert card.team_comments_withheld == {"Gamma": too_small(10)}
    _assert_no_subtraction(card, sizes, 10)


@pytest.mark.parametrize("seed", range(6))
def test_shown_team_comments_never_leave_fewer_than_the_minimum(tmp_path, empty_db_file, seed):
    rng = random.Random(seed)
    sizes: dict[str | None, int] = {
        f"T{k}": rng.choice((1, 2, 3, 4, 6, 9, 10, 11, 12, 15, 20))
        for k in range(rng.randint(2, 5))
    }
    if rng.random() < 0.5:
        sizes[None] = rng.randint(1, 6)
    store = _make_store(copy_db(empty_db_file, tmp_path / "s.db"), sizes, seed=seed)
    card = build_scorecard(store, "Q4")
    if sum(sizes.values()) >= 10:
        assert card.comments
    _assert_no_subtraction(card, sizes, 10)


def _page_texts(path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")


@pytest.fixture(scope="module")
def subtraction_pdf_pages(subtraction_db, tmp_path_factory) -> list[str]:
    """The text of each page of the SUBTRACTION campaign's PDF with team pages, rendered
    once for the tests that only read it."""
    from culturescope.storage import Store

    folder = tmp_path_factory.mktemp("subtraction-pdf")
    store = Store(copy_db(subtraction_db, folder / "s.db"))
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            charts_not_rasterised(monkeypatch)
            pdf = export_scorecard(store, "Q4", "pdf", folder / "s.pdf", by_team=True)
    finally:
        store.close()
    return _page_texts(pdf)


@needs_poppler
def test_pdf_team_pages_withhold_and_say_so(subtraction_pdf_pages):
    pages = subtraction_pdf_pages
    alpha = next(p for p in pages if p.lstrip().startswith("Alpha"))
    beta = next(p for p in pages if p.lstrip().startswith("Beta"))
    flat_alpha = " ".join(alpha.split())
    assert "comment of Alpha" not in alpha
    assert "Comments withheld to protect smaller groups" in flat_alpha
    assert "comment of Beta" in beta
    for name in ("Gamma", "Delta", "Epsilon"):  # never on a team page
        assert all(f"comment of {name}" not in p for p in (alpha, beta))
    rest = " ".join(" ".join(pages).split())
    hidden_part = rest[rest.index("What was hidden and why") :]
    assert "Alpha (comments)" in hidden_part
    assert "Comments withheld to protect smaller groups" in hidden_part
    assert "Beta (comments)" not in hidden_part
    # 2. Reverse-keyed items top each team's ranking and are read as % who disagree.
    ranking = " ".join(beta[beta.index("Highest % positive") :].split())
    assert "(reverse-keyed: % who disagree)" in ranking


@needs_poppler
def test_pdf_comments_page_and_hidden_list_read_whole(
    subtraction_pdf_pages, subtraction_store, tmp_path, monkeypatch
):
    """The comments page says where comments do carry a team; the list of hidden groups
    stays on one page and no page holds the colophon alone."""
    charts_not_rasterised(monkeypatch)
    pages = [" ".join(p.split()) for p in subtraction_pdf_pages]
    said = next(p for p in pages if p.startswith("What people said"))
    assert "The team pages list a team's comments only where the team is large enough" in said
    assert "replaced by [removed]" in said
    hidden = [p for p in pages if "What was hidden and why" in p]
    assert len(hidden) == 1
    for name in ("Gamma", "Delta", "Epsilon"):
        assert f"{name} Insufficient responses" in hidden[0]
    assert all(not p.startswith("Produced by CultureScope") for p in pages)
    plain = export_scorecard(subtraction_store, "Q4", "pdf", tmp_path / "p.pdf")
    said = next(p for p in _page_texts(plain) if p.lstrip().startswith("What people said"))
    assert "team pages" not in said


@needs_poppler
def test_pdf_summary_counts_in_words(flagship, tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)

    def signal(severity):
        return SimpleNamespace(
            id=f"x:{severity}",
            kind="x",
            severity=severity,
            title="A signal",
            scope=(),
            evidence={},
            explanation="Something to ask about.",
            question="",
        )

    card = make_card(flagship, signals=(signal("critical"), *[signal("warning")] * 3))
    card = type(card)(**{**card.__dict__, "opens_on": None, "closes_on": None})
    pages = _page_texts(write_pdf(card, tmp_path / "s.pdf", chart_dpi=40))
    summary = " ".join(next(p for p in pages if "Executive summary" in p).split())
    assert "4 signals: 1 critical, 3 warnings." in summary
    cover = " ".join(pages[0].split())
    assert "Survey period not recorded" in cover
    card = make_card(flagship, signals=(signal("warning"),))
    pages = _page_texts(write_pdf(card, tmp_path / "t.pdf", chart_dpi=40))
    summary = " ".join(next(p for p in pages if "Executive summary" in p).split())
    assert "1 signal: 1 warning." in summary
    assert "groups" in " ".join(pages[0].split())  # "… of 4 team groups", not "of 4 team"


def test_words_for_counts_and_periods():
    assert plural(1, "policy", "policies") == "policy"
    assert plural(3, "policy", "policies") == "policies"
    assert plural(0, "warning") == "warnings"
    assert [severity_word(s, n) for s, n in (("warning", 1), ("warning", 3))] == [
        "warning",
        "warnings",
    ]
    assert severity_word("critical", 2) == "critical"
    assert survey_period(None, None) == "not recorded"
    assert survey_period(dt.date(2026, 1, 5), None) == "2026-01-05 – end not recorded"
    assert survey_period(dt.date(2026, 1, 5), dt.date(2026, 2, 1)) == "2026-01-05 – 2026-02-01"


def test_excel_survey_period_not_recorded(flagship, tmp_path):
    card = make_card(flagship)
    card = type(card)(**{**card.__dict__, "opens_on": None, "closes_on": None})
    wb = openpyxl.load_workbook(write_xlsx(card, tmp_path / "s.xlsx"))
    ws = wb["Summary"]
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=1, max_row=12, max_col=2, values_only=True)}
    assert rows["Survey period"] == "not recorded"
    # Strengths and areas for improvement: reverse-keyed items read as % who disagree.
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    reverse = [i.text for i in card.strengths() + card.improvements() if i.reverse]
    for t in reverse:
        assert f"{t} (reverse-keyed: % who disagree)" in texts
