"""Charts: drawn on a caller's Axes, colour-blind palette, hidden groups never as data."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from culturescope.reports import charts as C
from reports_data import HIDDEN_TEAM, make_result


@pytest.fixture
def result(flagship):
    return make_result(flagship)


def _ax():
    return C.new_figure().add_subplot()


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_every_chart_returns_its_axes(result, flagship, tmp_path):
    previous = make_result(flagship, campaign="2026 Q2", seed=4, shift=-0.4)
    rows = [
        C.PolicyPracticeRow(a.id, a.title, "implemented", 40.0) for a in flagship.practice_areas
    ]
    g = result.visible_groups
    cmp_rows = [
        C.GroupComparisonRow(d.id, d.title, g[0].dimension(d.id), g[1].dimension(d.id))
        for d in flagship.pillars
    ]
    calls = [
        (C.pillar_scores, (result,), {}),
        (C.likert_bars, (result.items[:8],), {"instrument": flagship}),
        (C.team_heatmap, (result,), {}),
        (C.team_heatmap, (result,), {"metric": "mean"}),
        (C.trend, (result, previous), {}),
        (C.policy_vs_practice, (rows,), {}),
        (C.leaders_vs_frontline, (cmp_rows,), {}),
    ]
    for fn, args, kwargs in calls:
        fig = C.new_figure()
        ax = fig.add_subplot()
        assert fn(ax, *args, **kwargs) is ax
        C.save_figure(fig, tmp_path / f"{fn.__name__}.png", dpi=40)
        assert (tmp_path / f"{fn.__name__}.png").stat().st_size > 1000


def test_heatmap_draws_hidden_group_as_hatched_grey_without_scale_colour(result):
    ax = C.team_heatmap(_ax(), result)
    hidden_row = [g.label for g in result.groups].index(HIDDEN_TEAM)
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    in_row = [p for p in cells if abs(p.get_y() + 0.5 - hidden_row) < 1e-9]
    assert len(in_row) == 1
    assert in_row[0].get_hatch() == "///"
    assert to_hex(in_row[0].get_facecolor()) == C.HIDDEN_FACE.lower()
    assert "hidden (n<5)" in _texts(ax)
    # Exactly one number per visible cell, none for the hidden row.
    n_dims = len(C._heatmap_dimensions(result, None))
    numbers = [t for t in _texts(ax) if t.endswith("%")]
    assert len(numbers) == n_dims * len(result.visible_groups)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert HIDDEN_TEAM in labels
    assert not any("n=" in lbl for lbl in labels if HIDDEN_TEAM in lbl)


def test_likert_bars_sorted_by_net_agreement_and_centred_on_neutral(result, flagship):
    items = [i for i in result.items if i.dimension == "leadership_accountability"]
    ax = C.likert_bars(_ax(), items, instrument=flagship)
    net = {i.text: i.percent_positive - i.percent_negative for i in items}
    order = [t.get_text().replace("\n", " ").removesuffix(" †") for t in ax.get_yticklabels()]
    values = [net[t] for t in order]
    assert values == sorted(values)  # bottom (y=0) lowest, top highest
    # Neutral bars straddle zero.
    neutral = [p for p in ax.patches if to_hex(p.get_facecolor()) == C.NEUTRAL.lower()]
    assert neutral
    for p in neutral:
        assert p.get_x() < 0 < p.get_x() + p.get_width()


def test_likert_bars_refuses_mixed_scales(result, flagship):
    mixed = [result.item("LA1"), result.item("RB1") or result.items[-1]]
    if flagship.scale_of(mixed[0].id) == flagship.scale_of(mixed[1].id):
        pytest.skip("flagship has one scale")
    with pytest.raises(ValueError, match="one scale"):
        C.likert_bars(_ax(), mixed, instrument=flagship)


def test_leaders_vs_frontline_hidden_side_is_text_only(result, flagship):
    d = result.dimensions[0]
    rows = [C.GroupComparisonRow(d.id, d.title, d, None)]
    ax = C.leaders_vs_frontline(_ax(), rows)
    assert "Front-line: Insufficient responses" in _texts(ax)
    assert not any(t.startswith("gap") for t in _texts(ax))


def test_policy_gap_is_flagged(flagship):
    rows = [
        C.PolicyPracticeRow("a", "Incident reporting", "audited", 30.0),
        C.PolicyPracticeRow("b", "Audit", "drafted", 30.0),
    ]
    ax = C.policy_vs_practice(_ax(), rows)
    flagged = [t for t in _texts(ax) if "on paper only" in t]
    assert flagged == ["30%  on paper only?"]


def test_policy_chart_has_a_key_to_its_bar_colours(flagship):
    rows = [
        C.PolicyPracticeRow("a", "Incident reporting", "audited", 30.0),
        C.PolicyPracticeRow("b", "Audit", None, 70.0),
    ]
    ax = C.policy_vs_practice(_ax(), rows, gap_below=50)
    key = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert key == [
        "50% positive or more",
        "below 50%",
        "below 50%, claimed implemented or audited",
    ]
    assert C.claims_anything(rows)
    assert not C.claims_anything([C.PolicyPracticeRow("b", "Audit", None, 70.0)])


def test_trend_labels_give_the_tested_change_in_the_tables_unit():
    """The chart draws % positive; where the test was on mean scores (the unit of the
    scorecard's trend table) the label says that change too, so "0 pts" never stands
    alone beside a table reading -0.05."""
    from types import SimpleNamespace

    mean = SimpleNamespace(measure="mean", difference=-0.0512, significant=False)
    assert C._trend_label(0.3, mean) == "0 pts · mean -0.05 (n.s.)"
    up = SimpleNamespace(measure="mean", difference=0.214, significant=True)
    assert C._trend_label(6.2, up) == "+6 pts · mean +0.21"
    share = SimpleNamespace(measure="share", difference=-4.0, significant=False)
    assert C._trend_label(-4.0, share) == "-4 pts (n.s.)"
    assert C._trend_label(2.0, None) == "+2 pts"


def test_empty_inputs_show_a_message(flagship):
    ax = C.policy_vs_practice(_ax(), [])
    assert _texts(ax) == ["No practice areas to compare"]


def test_pdf_fonts_are_truetype(result, tmp_path):
    fig = C.new_figure()
    C.pillar_scores(fig.add_subplot(), result)
    path = C.save_figure(fig, tmp_path / "p.pdf")
    data = path.read_bytes()
    assert b"/Type3" not in data
    assert b"/TrueType" in data or b"/CIDFontType2" in data


def test_charts_import_without_qt_or_pyplot():
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import culturescope.reports.charts\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


AGREE_7 = [
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
]
AGREE_11 = [
    "Strongly disagree",
    "Disagree",
    "Mostly disagree",
    "Somewhat disagree",
    "Slightly disagree",
    "Neither agree nor disagree",
    "Slightly agree",
    "Somewhat agree",
    "Mostly agree",
    "Agree",
    "Strongly agree",
]


def _pulse_on(labels: list[str] | None):
    """The shipped pulse survey, or an own copy of it on another agree scale."""
    from pathlib import Path

    from culturescope.instruments import get_instrument
    from culturescope.instruments.loader import parse_instrument

    pulse = get_instrument("psychological-safety-pulse")
    if labels is None:
        return pulse
    text = (
        Path(__file__).parents[1] / "surveys" / "psychological-safety-pulse-1.1.yaml"
    ).read_text()
    start, end = text.index("scales:"), text.index("practice_areas:")
    scale = (
        f"scales:\n  agree:\n    points: {len(labels)}\n    labels: [{', '.join(labels)}]\n"
        "    not_applicable: {code: 0, label: Not applicable}\n"
    )
    own = parse_instrument(text[:start] + scale + text[end:])
    assert own.scale_of(own.items[0]).points == len(labels)
    return own


@pytest.mark.parametrize("labels", [None, AGREE_7, AGREE_11], ids=["5", "7", "11"])
@pytest.mark.parametrize(
    ("width_mm", "height_mm"),
    [(None, 70), (229, 76)],  # a PDF team page; the dashboard's 9 × 3 inch canvas
    ids=["pdf", "dashboard"],
)
def test_pillar_chart_scale_labels_never_overlap(labels, width_mm, height_mm):
    """An own instrument on a 7- or 11-point scale: the words under the pillar chart stay
    apart (every point numbered, words at the ends and the middle)."""
    from culturescope.reports.pdf_layout import CONTENT_W_MM
    from culturescope.reports.raster import QuickCanvas

    inst = _pulse_on(labels)
    width_mm = width_mm or CONTENT_W_MM
    with C.chart_style():
        fig = C.new_figure(width_mm / 25.4, height_mm / 25.4)
        ax = C.pillar_scores(fig.add_subplot(), make_result(inst))
        canvas = QuickCanvas(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ticks = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in ticks]
    points = inst.scale_of(inst.items[0]).points
    assert len(ticks) == (points if points <= 7 else 3)
    words = " ".join(t.get_text().replace("\n", " ") for t in ticks)
    scale_labels = labels or ["Strongly disagree", "Strongly agree"]
    assert scale_labels[0] in words and scale_labels[-1] in words
    for a, b in itertools.pairwise(boxes):
        assert a.x1 < b.x0, (words, a, b)
