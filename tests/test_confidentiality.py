"""Minimum group size, differencing protection and filters (docs/design/confidentiality.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culturescope import CultureScopeError
from culturescope.instruments import parse_instrument
from culturescope.scoring import (
    ConfidentialityError,
    check_filter,
    protect_breakdown,
    protect_groups,
    score_campaign,
)
from culturescope.scoring.confidentiality import PROTECTED, breakdown_labels
from test_scoring import SMALL as SMALL_YAML
from test_scoring import make_data

SMALL = "fewer than 5 responses"


def hidden(result):
    return {k: v.reason for k, v in result.items() if v.hidden}


def test_small_group_and_next_smallest_sibling():
    out = protect_groups({"A": 3, "B": 10, "C": 12}, parent_total=25)
    assert hidden(out) == {"A": SMALL, "B": PROTECTED}
    assert not out["C"].hidden and out["C"].reason is None


def test_two_small_groups_protect_each_other():
    assert hidden(protect_groups({"A": 3, "B": 3, "C": 10, "D": 12})) == {"A": SMALL, "B": SMALL}


def test_small_groups_below_minimum_together_hide_more():
    out = protect_groups({"A": 2, "B": 2, "C": 10, "D": 12})
    assert hidden(out) == {"A": SMALL, "B": SMALL, "C": PROTECTED}


def test_unstated_remainder_is_a_hidden_pseudo_group():
    # 2 people did not state a team: total minus the teams would show their answers.
    assert hidden(protect_groups({"A": 10, "B": 12}, parent_total=24)) == {"A": PROTECTED}
    assert hidden(protect_groups({"A": 10, "B": 12}, parent_total=29)) == {}
    assert hidden(protect_groups({"A": 10, "B": 12}, parent_total=22)) == {}


def test_ties_break_by_name_and_minimum_is_configurable():
    out = protect_groups({"B": 6, "A": 6, "C": 2}, min_group_size=3)
    assert hidden(out) == {"C": "fewer than 3 responses", "A": PROTECTED}
    with pytest.raises(ConfidentialityError, match="at least 3"):
        protect_groups({"A": 5}, min_group_size=2)
    with pytest.raises(ValueError, match="parent holds 5"):
        protect_groups({"A": 4, "B": 4}, parent_total=5)


def test_everything_hidden_when_nothing_can_protect():
    assert hidden(protect_groups({"A": 2, "B": 1})) == {"A": SMALL, "B": SMALL}


def test_breakdown_labels_treat_undisclosed_as_not_stated():
    demographics = pd.DataFrame({"team": ["Red", " Red ", None, "prefer_not_to_say", "", np.nan]})
    labels = breakdown_labels(demographics, ["team"])
    assert labels["team"].tolist() == ["Red", "Red", None, None, None, None]


def test_cross_tab_rules_per_parent():
    rows = (
        [("Red", "front_line")] * 20
        + [("Red", "manager")] * 3
        + [("Blue", "front_line")] * 12
        + [("Blue", "manager")] * 9
        + [("Green", "front_line")] * 4
        + [("Amber", "front_line")] * 6
    )
    labels = pd.DataFrame(rows, columns=["team", "role"])
    out = protect_breakdown(labels)
    assert out[("Red", "manager")].reason == SMALL
    # Red's front-line cell would give Red's managers by subtraction from the Red total,
    # and Blue's managers would give them from the managers' total.
    assert out[("Red", "front_line")].reason == PROTECTED
    assert out[("Blue", "manager")].reason == PROTECTED
    assert not out[("Blue", "front_line")].hidden
    # Green (4) is hidden in the one-way team breakdown and Amber protects it there, so
    # all their cells are hidden too, even though Amber × front line holds 6.
    assert out[("Green", "front_line")].hidden
    assert out[("Amber", "front_line")].reason == PROTECTED


def test_check_filter():
    check_filter(10, 30)
    check_filter(30, 30)
    check_filter(0, 30)
    with pytest.raises(
        ConfidentialityError, match="keeps only 3 responses; results are shown for at least 5"
    ):
        check_filter(3, 30, description="site = Lyon")
    with pytest.raises(ConfidentialityError, match="site = Lyon would leave out only 2 responses"):
        check_filter(28, 30, description="site = Lyon")
    with pytest.raises(ValueError, match="between 0 and total"):
        check_filter(31, 30)
    assert issubclass(ConfidentialityError, CultureScopeError)


# --- leak tests ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 30), min_size=1, max_size=12),
    st.integers(0, 8),
    st.integers(3, 10),
)
def test_no_hidden_group_can_be_recovered_by_subtraction(sizes, unstated, minimum):
    groups = {f"g{n}": s for n, s in enumerate(sizes)}
    total = sum(sizes) + unstated
    out = protect_groups(groups, parent_total=total, min_group_size=minimum)
    visible = sum(groups[k] for k, v in out.items() if not v.hidden)
    hidden_mass = total - visible  # all that subtraction can reveal
    components = [k for k, v in out.items() if v.hidden] + (["unstated"] if unstated else [])
    assert all(out[k].hidden for k, s in groups.items() if s < minimum)
    if hidden_mass and visible:
        # The revealed remainder is a pooled set of at least the minimum (when nothing is
        # visible, nothing is revealed beyond the parent, which has its own rule)...
        assert hidden_mass >= minimum
        # ...and never one single hidden group on its own.
        assert len(components) >= 2 or (components == ["unstated"] and unstated >= minimum)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=2, max_size=6),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_cross_tab_no_row_or_column_leaks(matrix, team_unstated, role_unstated):
    n_roles = min(len(r) for r in matrix)
    rows = []
    for t, counts in enumerate(matrix):
        for r in range(n_roles):
            rows += [(f"t{t}", f"r{r}")] * counts[r]
        rows += [(f"t{t}", None)] * (role_unstated if t == 0 else 0)
    rows += [(None, "r0")] * team_unstated
    labels = pd.DataFrame(rows, columns=["team", "role"])
    out = protect_breakdown(labels)
    one_way = {axis: protect_breakdown(labels[[axis]]) for axis in ("team", "role")}
    cells = {c: int(((labels.team == c[0]) & (labels.role == c[1])).sum()) for c in out}
    for (team, role), vis in out.items():
        if cells[(team, role)] < 5:
            assert vis.hidden
        if one_way["team"][(team,)].hidden or one_way["role"][(role,)].hidden:
            assert vis.hidden
    for axis, other in ((0, "role"), (1, "team")):
        for parent in {c[1 - axis] for c in out}:
            parent_total = int((labels[other] == parent).sum())
            visible = sum(
                cells[c] for c, v in out.items() if c[1 - axis] == parent and not v.hidden
            )
            mass = parent_total - visible
            assert mass == 0 or mass >= 5 or visible == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=2, max_size=8), st.integers(0, 4), st.integers(0, 99))
def test_score_result_never_reveals_a_hidden_group(sizes, unstated, seed):
    inst = parse_instrument(SMALL_YAML)
    rng = np.random.default_rng(seed)
    demographics = [{"team": f"T{n}"} for n, s in enumerate(sizes) for _ in range(s)]
    demographics += [{"team": "prefer_not_to_say"}] * unstated
    answers = rng.integers(1, 5, (len(demographics), 6)).astype(float)
    data = make_data(inst, answers.tolist(), demographics)
    result = score_campaign(data, by=["team"])
    for g in result.groups:
        if g.hidden:
            assert g.n is None and g.dimensions == () and g.items == ()
    visible = [g for g in result.groups if not g.hidden]
    mass = result.responses - sum(g.n for g in visible)
    if result.responses >= 5 and visible:
        assert mass == 0 or mass >= 5
    if result.responses < 5:
        assert all(d.mean is None for d in result.dimensions)
