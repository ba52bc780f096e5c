"""A trend row without a test (a share of 0% in both campaigns) in the PDF and the score
command: both compared its missing p-value with a number (found by mypy)."""

from culturescope.cli.score_command import render_trend
from culturescope.reports.pdf import _Builder
from culturescope.reports.typography import styles
from culturescope.scoring.trend import DimensionTrend, TrendResult


def _untested() -> DimensionTrend:
    # A behaviour dimension reported by nobody in either campaign: a difference of 0
    # points and no two-proportion test (p None).
    return DimensionTrend(
        "speak_up",
        "Speaking up",
        ("q1",),
        (),
        "share",
        20,
        20,
        current=0.0,
        previous=0.0,
        difference=0.0,
        ci95=(0.0, 0.0),
        effect_size=0.0,
        p_value=None,
        note="no test: the share was 0% in both campaigns",
    )


def test_pdf_trend_row_without_a_test_shows_a_dash_for_p() -> None:
    row = _untested()
    builder = _Builder.__new__(_Builder)  # only its paragraph styles are needed here
    builder.s = styles()
    table = builder._trend_table(TrendResult("now", "before", 0.05, (row,)))
    cells = [getattr(c, "text", c) for c in table._cellvalues[1]]
    assert cells[1:5] == ["0%", "0%", "0 pts", "–"]
    assert cells[5] == "no clear change"


def test_score_command_trend_line_without_a_test_says_so() -> None:
    text = render_trend(TrendResult("now", "before", 0.05, (_untested(),)))
    assert "Speaking up" in text
    assert "(0 points, no test: no clear change)" in text
