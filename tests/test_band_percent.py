"""A percent positive shown beside its band never reads as belonging to another band."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culturescope.instruments import band_percent, get_instrument


@pytest.fixture(scope="module")
def inst():
    return get_instrument("ai-safety-culture")


@pytest.mark.parametrize(
    ("percent", "shown"),
    [
        (50.19, "50.2%"),  # Moderate (> 50): "50%" would read as Area for improvement
        (49.6, "50%"),  # Area for improvement, as 50% itself is
        (50.0, "50%"),
        (74.6, "74.6%"),  # Moderate: "75%" would read as Strength (>= 75)
        (75.0, "75%"),
        (70.4, "70%"),
        (0.2, "0%"),
        (None, "–"),
        (float("nan"), "–"),
    ],
)
def test_decimals_only_where_a_whole_number_would_change_the_band(inst, percent, shown):
    assert band_percent(inst, percent) == shown


# No deadline: the first example loads the instrument, slow on a busy machine.
@settings(deadline=None)
@given(st.floats(min_value=0, max_value=100))
def test_the_shown_number_falls_in_the_value_s_band(percent):
    inst = get_instrument("ai-safety-culture")  # cached after the first example
    shown = band_percent(inst, percent)
    digits = len(shown.removesuffix("%").partition(".")[2])
    if digits < 2:  # two decimals is the most shown (50.004 stays "50.00%")
        assert inst.band_for(float(shown.removesuffix("%"))) == inst.band_for(percent)



@pytest.mark.parametrize(
    ("change", "shown"),
    [(3.4, "+3"), (-2.6, "-3"), (-0.3, "0"), (0.4, "0"), (0.0, "0"), (-0.04, "0")],
)
def test_a_change_that_rounds_to_zero_reads_0_never_minus_0(change, shown):
    from culturescope.numbers import signed

    assert signed(change) == shown
    assert signed(-0.04, 1) == "0.0"
