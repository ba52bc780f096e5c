"""Reports under hostile text: names from respondents never break a chart, a failed
export leaves nothing behind, a huge comment keeps the PDF proportionate."""

from __future__ import annotations

import random
import re

import openpyxl
import pytest

from culturescope.reports import charts
from culturescope.reports.export import export_scorecard
from culturescope.reports.typography import CONTINUED, PDF_COMMENT_CHARS, comment_markup
from reports_fixtures import charts_not_rasterised

HOSTILE_TEAMS = ["$\\foo{$", "<b>bold</b> & co", "tab\tand\x0bvt\x01ctl", "]]>\"'", "x^2_$y$"]


def _store(path, *, teams, comment=lambda team, k: f"remark {k}"):
    from culturescope.instruments import get_instrument
    from culturescope.storage import NewResponse, Store

    inst = get_instrument("psychological-safety-pulse")
    store = Store(str(path))
    camp = store.create_campaign("Q4 $\\alpha$", inst, min_group_size=3, min_comment_group_size=3)
    rng = random.Random(3)
    rows = []
    for team in teams:
        for k in range(4):
            answers = {i.id: rng.randint(1, inst.scale_of(i).points) for i in inst.items}
            comments = {p.id: comment(team, k) for p in inst.comments[:1]}
            rows.append(NewResponse(answers, {"team": team}, comments))
    store.add_responses(camp.id, rows, source="kiosk")
    return store, camp


def _pages(path) -> int:
    return len(re.findall(rb"/Type /Page[^s]", path.read_bytes()))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    store, camp = _store(
        tmp_path_factory.mktemp("hostile") / "h.db",
        teams=HOSTILE_TEAMS,
        comment=lambda team, k: f"$x^2$ <i>{team}</i> \\frac{{1}}{{0}} {k}",
    )
    yield store, camp
    store.close()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "xlsx"])
def test_names_from_data_never_break_a_report(hostile, tmp_path, fmt):
    store, camp = hostile
    target = tmp_path / ("charts" if fmt in ("png", "svg") else f"r.{fmt}")
    export_scorecard(store, camp.id, fmt, target, by_team=True)
    assert target.exists()
    if fmt == "svg":
        svg = "".join(p.read_text(encoding="utf-8") for p in target.iterdir())
        assert "foo" in svg or "$" in svg  # drawn as text, not parsed as mathtext
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(target)
        values = {c.value for ws in wb for row in ws.iter_rows() for c in row}
        assert any(isinstance(v, str) and "$\\foo{$" in v for v in values)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_mathtext_is_off_for_data_text():
    with charts.chart_style():
        fig = charts.new_figure(4, 2)
        ax = fig.add_subplot()
        label = ax.text(0.5, 0.5, "$\\foo{$")
        assert label.get_parse_math() is False


def test_failed_chart_export_leaves_no_folder(hostile, tmp_path, monkeypatch):
    store, camp = hostile
    calls = {"n": 0}
    real = charts.save_figure

    def flaky(fig, path, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(fig, path, **kw)

    monkeypatch.setattr(charts, "save_figure", flaky)
    with pytest.raises(OSError):
        export_scorecard(store, camp.id, "png", tmp_path / "charts")
    assert list(tmp_path.iterdir()) == []  # no partial folder, no temporary folder


def test_failed_pdf_keeps_the_previous_file(hostile, tmp_path, monkeypatch):
    from culturescope.reports import pdf

    store, camp = hostile
    charts_not_rasterised(monkeypatch)  # the charts are drawn before the layout fails
    target = tmp_path / "board.pdf"
    target.write_bytes(b"the previous scorecard")

    def broken(*_a, **_k):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf._Doc, "build", broken)
    with pytest.raises(RuntimeError):
        export_scorecard(store, camp.id, "pdf", target)
    assert target.read_bytes() == b"the previous scorecard"
    assert [p.name for p in tmp_path.iterdir()] == ["board.pdf"]


def test_comment_markup_caps_and_escapes():
    long = ("word " * 100_000).strip()
    markup = comment_markup(long, 2)
    assert len(markup) < PDF_COMMENT_CHARS + 200
    assert CONTINUED in markup and "(2×)" in markup
    assert comment_markup("<b>&") == "“&lt;b&gt;&amp;”"
    assert comment_markup("z" * 5000).count("z") <= PDF_COMMENT_CHARS  # no spaces at all


def test_one_huge_comment_keeps_the_pdf_proportionate(tmp_path, monkeypatch):
    charts_not_rasterised(monkeypatch)  # page counts: the charts keep their size, blank
    huge = "a long complaint " * 60_000  # about 1 MB
    plain_store, plain = _store(tmp_path / "p.db", teams=["Red", "Blue"])
    big_store, big = _store(
        tmp_path / "b.db",
        teams=["Red", "Blue"],
        comment=lambda team, k: huge if (team, k) == ("Red", 0) else f"remark {k}",
    )
    export_scorecard(plain_store, plain.id, "pdf", tmp_path / "plain.pdf")
    export_scorecard(big_store, big.id, "pdf", tmp_path / "big.pdf")
    assert _pages(tmp_path / "big.pdf") <= _pages(tmp_path / "plain.pdf") + 1
    export_scorecard(big_store, big.id, "xlsx", tmp_path / "big.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "big.xlsx")
    cells = [c.value for row in wb["Comments"].iter_rows() for c in row if c.value]
    cut = [v for v in cells if len(v) > 30_000]
    assert cut and all(v.endswith("32,767 characters]") and len(v) <= 32_767 for v in cut)
    plain_store.close()
    big_store.close()
