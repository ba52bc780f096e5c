"""culturescope.arrays.factorize numbers values exactly as pandas.factorize does, and the
columns scoring reads equal the frames they stand for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import copy_db
from culturescope.arrays import factorize
from culturescope.scoring.confidentiality import breakdown_labels
from culturescope.scoring.confidentiality.rules import label_columns
from culturescope.storage import Store

POOL = np.array(
    ["a", "b", " A", "c", None, np.nan, 1, 1.0, True, "d", pd.NA, pd.NaT, float("nan"), ""],
    dtype=object,
)


def test_factorize_matches_pandas_on_mixed_values():
    rng = np.random.default_rng(5)
    for _ in range(300):
        values = POOL[rng.integers(0, len(POOL), rng.integers(0, 40))]
        want_codes, want_uniques = pd.factorize(values, use_na_sentinel=True)
        codes, uniques = factorize(values)
        assert codes.tolist() == want_codes.tolist()
        assert [repr(u) for u in uniques] == [repr(u) for u in want_uniques]


def test_factorize_of_nothing():
    codes, uniques = factorize(np.array([], dtype=object))
    assert codes.tolist() == [] and uniques == []
    codes, uniques = factorize(np.array([None, np.nan], dtype=object))
    assert codes.tolist() == [-1, -1] and uniques == []


@pytest.fixture
def demo(tmp_path, demo_db_template):
    # 120 respondents: hidden teams, reverse-keyed items and a leadership self-assessment
    # like the 360 default, at a third of the scoring cost (24 scorings below).
    store = Store(copy_db(demo_db_template(120), tmp_path / "demo.db"))
    yield store
    store.close()


def test_columns_scoring_reads_equal_the_frames(demo):
    for name in ("Demo 2026 Q4", "Demo 2025 Q4"):
        data = demo.load_responses(name)
        assert len(data) == len(data.answers)
        items = [i.id for i in data.instrument.items]
        np.testing.assert_array_equal(data.answer_matrix(), data.answers[items].to_numpy())
        np.testing.assert_array_equal(data.response_ids(), data.answers.index.to_numpy())
        demographic_ids = [d.id for d in data.instrument.demographics]
        for column in demographic_ids:
            assert data.demographic(column).tolist() == data.demographics[column].tolist()
        assert data.demographic("no such field") is None
        labels = label_columns(data, [*demographic_ids, "no such field"])
        frame = breakdown_labels(data.demographics, [*demographic_ids, "no such field"])
        assert labels.columns == list(frame.columns) and labels.shape == frame.shape
        for column in demographic_ids:
            assert labels[column].tolist() == frame[column].tolist()
        # A field the responses lack: nobody stated it (None here, NaN in the frame).
        assert labels["no such field"].tolist() == [None] * len(data)
        assert frame["no such field"].isna().all()


def test_answer_matrix_is_a_copy(demo):
    data = demo.load_responses("Demo 2026 Q4")
    data.answer_matrix()[:] = 99.0
    assert (data.answer_matrix() != 99.0).any()
    assert (data.answers.to_numpy() != 99.0).any()


def test_scores_from_stored_codes_equal_scores_from_frames(demo):
    # The store's raw codes (small integers) and frames given by a caller take two paths
    # through scoring; every printed number must be the same bit for bit.
    import json

    from culturescope.scoring import score_campaign
    from culturescope.storage import ResponseData

    for name in ("Demo 2026 Q4", "Demo 2026 Q4 leadership self-assessment"):
        data = demo.load_responses(name)
        given = ResponseData(
            data.instrument, data.answers, data.demographics, data.meta, data.comments
        )
        assert data.answer_codes() is not None and given.answer_codes() is None
        assert any(i.reverse for i in data.instrument.items) or "leadership" in name
        for by in ((), ("team",), ("team", "role")):
            for listwise in (False, True):
                stored = score_campaign(data, by=by, rwg_listwise=listwise).to_json()
                framed = score_campaign(given, by=by, rwg_listwise=listwise).to_json()
                assert json.dumps(stored) == json.dumps(framed)


def test_spellings_merged_per_distinct_value_as_over_every_response():
    from culturescope.storage.frames import same_spelling_values

    rng = np.random.default_rng(11)
    pool = np.array(["Alpha", "alpha ", " ALPHA", "Beta", "beta", None, "Gamma"], dtype=object)
    for _ in range(200):
        # As the store numbers distinct objects: in order of first appearance, each used.
        drawn = rng.integers(0, 8, rng.integers(1, 60))
        positions, first = factorize(drawn.astype(object))
        cells = pool[rng.integers(0, len(pool), 8)][first]
        weights = np.bincount(positions, minlength=len(cells))
        per_cell = same_spelling_values(cells, weights=weights)[positions]
        assert per_cell.tolist() == same_spelling_values(cells[positions]).tolist()


def test_labels_and_person_scores_from_codes_equal_the_frame_way(demo):
    from culturescope.scoring.answers import person_scores_matrix, scored_matrix
    from culturescope.scoring.campaign import _person_scores, _value_codes
    from culturescope.scoring.figures import _Context

    for name in ("Demo 2026 Q4", "Demo 2025 Q4"):
        data = demo.load_responses(name)
        inst = data.instrument
        ids = [d.id for d in inst.demographics]
        labels, frame = label_columns(data, ids), breakdown_labels(data.demographics, ids)
        for column in ids:
            codes, uniques = labels.factorized(column)
            want_codes, want_uniques = pd.factorize(frame[column], use_na_sentinel=True)
            assert codes.tolist() == want_codes.tolist()
            assert uniques == list(want_uniques)
        ctx = _Context.of(inst, 5)
        scored, is_na = scored_matrix(inst, data)
        codes = _value_codes(inst, data.answer_codes(), scored, is_na, ctx.layout)
        answered = (codes >= 1) & (codes <= ctx.layout.points[None, :])
        ours = _person_scores(ctx, codes, answered)
        theirs = person_scores_matrix(inst, scored)
        assert ours.tobytes() == theirs.tobytes()  # bit for bit, NaN included
