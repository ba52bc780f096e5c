"""The PDF's trend table for a change that has no test (found by mypy on reports/pdf.py)."""

from culturescope.reports.pdf import _Builder
from culturescope.reports.typography import styles
from culturescope.scoring.trend import DimensionTrend, TrendResult


def test_trend_row_without_a_test_shows_a_dash_for_p() -> None:
    # A behaviour dimension reported by nobody in either campaign: a difference of 0
    # points and no two-proportion test (p None). The table used to compare None < 0.001.
    row = DimensionTrend(
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
    builder = _Builder.__new__(_Builder)  # only its paragraph styles are needed here
    builder.s = styles()
    table = builder._trend_table(TrendResult("now", "before", 0.05, (row,)))
    cells = [getattr(c, "text", c) for c in table._cellvalues[1]]
    assert cells[1:5] == ["0%", "0%", "+0 pts", "–"]
    assert cells[5] == "no clear change"
