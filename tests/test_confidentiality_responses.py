"""What a list of single responses may show of their demographics (no Qt needed)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from culturescope.instruments import parse_instrument
from culturescope.scoring import score_campaign
from culturescope.scoring.confidentiality.responses import (
    NOT_SHOWN,
    ShownColumn,
    shown_demographics,
)
from test_linked_tables import LINKED, campaign


@pytest.fixture(scope="module")
def linked():
    return parse_instrument(LINKED)


def test_columns_are_typed_and_nested_team_first(linked):
    people = [("A", "front_line", "N")] * 6 + [("B", "front_line", "N")] * 6
    out = shown_demographics(campaign(linked, people), 5)
    assert list(out) == ["team", "role", "site"]
    team = out["team"]
    assert isinstance(team, ShownColumn) and team.label == "Team"
    assert team.visible == (("A", 6), ("B", 6))
    assert list(team.groups) == ["A"] * 6 + ["B"] * 6
    assert set(out["role"].texts) == {"Front line"}


def test_a_team_the_scores_hide_is_not_shown_in_the_list(linked):
    # North − Bravo would be Tiny: the scores hide Bravo, so the list must not label
    # Bravo's rows either (their answers would add up to Bravo's scores).
    people = (
        [("Tiny", "front_line", "North")] * 3
        + [("Alpha", "front_line", "South")] * 5
        + [("Bravo", "front_line", "North")] * 6
        + [("Charlie", "front_line", "South")] * 7
    )
    data = campaign(linked, people)
    hidden = {g.by["team"] for g in score_campaign(data, by=["team"]).hidden_groups}
    assert "Bravo" in hidden
    team = shown_demographics(data, 5)["team"]
    for value in hidden:
        assert value not in set(team.texts)
    assert "Bravo" not in dict(team.visible)
    assert team.why.startswith("Team not shown")


@pytest.mark.parametrize("seed", range(6))
def test_nothing_shown_singles_out_fewer_than_the_minimum(linked, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(25, 70))
    people = [
        (
            f"T{rng.integers(0, 4)}",
            str(rng.choice(["front_line", "senior_leader", "prefer_not_to_say"])),
            f"S{rng.integers(0, 3)}",
        )
        for _ in range(n)
    ]
    out = shown_demographics(campaign(linked, people, seed=seed), 5)
    combos = Counter(tuple(out[d].texts[i] for d in out) for i in range(n))
    for combo, count in combos.items():
        if any(v not in (NOT_SHOWN, "") for v in combo):
            assert count >= 5, combo


def test_respondent_notice_says_confidential_and_what_is_collected():
    from culturescope.scoring.confidentiality import respondent_notice

    text = respondent_notice(["Team", "Role", "Site"], 7)
    assert "confidential" in text and "anonymous" not in text
    assert "team, role and site" in text and "at least 7 people" in text
    assert "Who sees what" in text
    assert "asks nothing about who you are" in respondent_notice([], 5)
