"""Scoring a campaign: data preparation, the ScoreResult, agreement and confidentiality."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from culturescope.instruments import parse_instrument
from culturescope.scoring import person_scores, scored_answers
from culturescope.storage import ResponseData

SMALL = """
id: small
version: "1"
title: Small test instrument
description: Two dimensions on two scales.
languages: [en]
scales:
  agree5:
    points: 5
    labels: [SD, D, N, A, SA]
    not_applicable: {code: 0, label: N/A}
  freq4:
    points: 4
    labels: [Never, Once, Few, Many]
    positive: [3, 4]
    negative: [1]
dimensions:
  - {id: trust, title: Trust, pillar: true}
  - {id: reporting, title: Reporting}
items:
  - {id: T1, dimension: trust, scale: agree5, text: "One"}
  - {id: T2, dimension: trust, scale: agree5, reverse: true, text: "Two"}
  - {id: T3, dimension: trust, scale: agree5, text: "Three"}
  - {id: T4, dimension: trust, scale: agree5, text: "Four"}
  - {id: R1, dimension: reporting, scale: freq4, text: "Five"}
  - {id: R2, dimension: reporting, scale: freq4, text: "Six"}
demographics:
  - {id: team, label: Team}
  - id: role
    label: Role
    options:
      - {id: front_line, label: Front line}
      - {id: manager, label: Manager}
      - {id: prefer_not_to_say, label: Prefer not to say}
bands:
  - {id: strength, label: Strength, at_least: 75}
  - {id: moderate, label: Moderate, above: 50}
  - {id: improve, label: Improve, at_least: 0}
"""


@pytest.fixture(scope="module")
def small():
    return parse_instrument(SMALL, source="small.yaml")


def make_data(instrument, answers, demographics=None) -> ResponseData:
    """ResponseData as Store.load_responses returns it, from rows of raw codes."""
    item_ids = [i.id for i in instrument.items]
    index = pd.Index(range(1, len(answers) + 1), name="response_id")
    frame = pd.DataFrame(answers, columns=item_ids, index=index, dtype=float)
    demo_ids = [d.id for d in instrument.demographics]
    demo = pd.DataFrame(demographics or [{}] * len(answers), index=index).reindex(columns=demo_ids)
    demo = demo.astype(object).where(demo.notna(), None)
    meta = pd.DataFrame(
        {"source": "test", "source_ref": None, "submitted_on": None, "batch_id": 1}, index=index
    )
    comments = pd.DataFrame(columns=["response_id", "prompt_id", "text"])
    return ResponseData(instrument, frame, demo, meta, comments)


nan = float("nan")


# --- data preparation -------------------------------------------------------------------


def test_scored_answers_reverse_keys_and_na(small):
    data = make_data(small, [[5, 5, 0, nan, 1, 4], [1, 1, 3, 2, 2, nan]])
    scored = scored_answers(data)
    assert list(scored.columns) == ["T1", "T2", "T3", "T4", "R1", "R2"]
    assert scored.loc[1, "T1"] == 5
    assert scored.loc[1, "T2"] == 1  # (1 + 5) - 5
    assert scored.loc[2, "T2"] == 5
    assert math.isnan(scored.loc[1, "T3"])  # N/A is missing, never a number
    assert math.isnan(scored.loc[1, "T4"])
    assert scored.loc[1, "R2"] == 4  # frequency scale has no N/A; 4 is an answer


def test_scored_answers_refuses_codes_outside_the_scale(small):
    data = make_data(small, [[5, 5, 5, 5, 5, 5]])
    with pytest.raises(ValueError, match=r"response 1, item R1: 5 is not an answer"):
        scored_answers(data)


def test_person_scores_need_half_of_the_items(small):
    data = make_data(
        small,
        [
            [4, 2, 0, 0, 1, 2],  # trust: 2 of 4 answered (N/A twice) → mean(4, 4) = 4
            [4, 0, 0, 0, 3, nan],  # trust: 1 of 4 → NaN; reporting 1 of 2 → 3
            [nan] * 6,
        ],
    )
    scores = person_scores(data)
    assert list(scores.columns) == ["trust", "reporting"]
    assert scores.loc[1, "trust"] == 4.0
    assert scores.loc[1, "reporting"] == 1.5
    assert math.isnan(scores.loc[2, "trust"])
    assert scores.loc[2, "reporting"] == 3.0
    assert scores.loc[3].isna().all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=4, max_size=4), min_size=1, max_size=20))
def test_reverse_keying_is_an_involution(rows):
    small_inst = parse_instrument(SMALL, source="small.yaml")
    answers = [[*r, 1, 1] for r in rows]
    data = make_data(small_inst, answers)
    once = scored_answers(data)
    # Scoring the scored values again (with N/A already missing) turns reverse items back.
    twice = scored_answers(make_data(small_inst, once.to_numpy()))
    raw = data.answers.where(data.answers != 0)
    pd.testing.assert_frame_equal(twice, raw, check_names=False)
    assert np.all(np.isnan(once.to_numpy()) == (data.answers.to_numpy() == 0))
