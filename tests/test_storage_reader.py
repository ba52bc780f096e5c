"""The fast read path (culturescope.storage.reader): the same campaign and frames as the
full store, without SQLAlchemy, and the full store whenever the fast path does not apply."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from conftest import copy_db
from culturescope.storage import Reader, Store, StoreError, UnknownCampaign, open_reader
from test_startup import run_cli

DEMO = ("Demo 2026 Q4", "Demo 2025 Q4", "Demo 2026 Q4 leadership self-assessment")


@pytest.fixture
def demo_db(tmp_path, demo_db_template):
    return copy_db(demo_db_template(), tmp_path / "demo.db")


def test_reader_returns_what_the_store_returns(demo_db):
    store, reader = Store(demo_db), open_reader(demo_db)
    assert isinstance(reader, Reader)
    try:
        for name in DEMO:
            camp = store.campaign(name)
            assert reader.campaign(name) == camp
            assert reader.campaign(camp.id) == camp
            # Fields compare=False hides from ==: the signing key too.
            assert reader.campaign(name).bundle_key == camp.bundle_key
            assert reader.instrument(camp.instrument_key) == store.instrument(camp.instrument_key)
            fast, full = reader.load_responses(name), store.load_responses(name)
            assert fast.instrument == full.instrument
            for part in ("answers", "demographics", "meta", "comments"):
                pd.testing.assert_frame_equal(getattr(fast, part), getattr(full, part))
            assert len(fast.comments) or name != "Demo 2026 Q4"  # comments are read too
    finally:
        store.close()
        reader.close()


def test_unknown_campaign_is_refused_as_by_the_store(demo_db):
    store, reader = Store(demo_db), open_reader(demo_db)
    assert reader is not None
    try:
        with pytest.raises(UnknownCampaign) as full:
            store.campaign("nope")
        with pytest.raises(UnknownCampaign) as fast:
            reader.load_responses("nope")
        assert str(fast.value) == str(full.value)
    finally:
        store.close()
        reader.close()


def test_no_fast_path_where_the_full_store_has_work_to_do(tmp_path, demo_db):
    missing = tmp_path / "missing.db"
    assert open_reader(str(missing)) is None
    assert not missing.exists()  # never created by a reader
    assert open_reader("postgresql://user:pw@localhost/culturescope") is None
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert open_reader(str(other)) is None  # not a CultureScope database (yet)
    con = sqlite3.connect(demo_db)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.close()
    assert open_reader(demo_db) is None  # needs migrating: the full store does that


def test_sqlite_url_is_read_like_a_path(demo_db):
    reader = open_reader(f"sqlite:///{demo_db}")
    assert reader is not None
    try:
        assert reader.campaign("Demo 2026 Q4").response_count == 360
    finally:
        reader.close()


def test_cold_score_imports_no_sqlalchemy_nor_pandas_and_prints_what_the_store_gives(
    tmp_path, demo_db_template
):
    # The 120-respondent demo takes the same paths as the 360 one (hidden teams, a trend)
    # at half the cost of each cold interpreter's scoring.
    demo_db = copy_db(demo_db_template(120), tmp_path / "demo.db")
    args = ["--db", demo_db, "score", "--campaign", "Demo 2026 Q4", "--by", "team", "--json"]
    fast = run_cli(*args, "--no-cache")
    assert fast["code"] == 0
    assert [m for m in ("sqlalchemy", "alembic", "pandas") if m in fast["loaded"]] == []
    # The same question through the full store (an SQLite URL with a query string is not
    # read by the fast path) prints the same bytes.
    full = run_cli(*args[:1], f"sqlite:///{demo_db}?timeout=30", *args[2:], "--no-cache")
    assert full["code"] == 0
    assert "sqlalchemy" in full["loaded"]
    assert full["out"] == fast["out"]


def _same_as_store(demo_db, name):
    store, reader = Store(demo_db), open_reader(demo_db)
    assert reader is not None
    try:
        fast, full = reader.load_responses(name), store.load_responses(name)
        for part in ("answers", "demographics", "meta", "comments"):
            pd.testing.assert_frame_equal(getattr(fast, part), getattr(full, part))
        np.testing.assert_array_equal(fast.answer_codes(), full.answer_codes())
        return fast
    finally:
        store.close()
        reader.close()


def test_batches_stored_out_of_turn_come_back_in_id_order(demo_db):
    con = sqlite3.connect(demo_db)
    with con:  # the first responses now sit in a later batch: the index yields them last
        (cid,) = con.execute("SELECT id FROM campaigns WHERE name = 'Demo 2026 Q4'").fetchone()
        (batch,) = con.execute("SELECT max(id) FROM import_batches").fetchone()
        con.execute(
            "UPDATE responses SET batch_id = ? WHERE id IN "
            "(SELECT id FROM responses WHERE campaign_id = ? ORDER BY id LIMIT 25)",
            (batch + 1, cid),
        )
    con.close()
    fast = _same_as_store(demo_db, "Demo 2026 Q4")
    ids = fast.response_ids()
    assert (ids[1:] > ids[:-1]).all()


def test_answer_strings_of_another_length_are_read_row_by_row(demo_db):
    con = sqlite3.connect(demo_db)
    with con:  # as stored before the instrument gained or lost an item
        con.execute(
            "UPDATE responses SET answers = substr(answers, 2) WHERE id IN "
            "(SELECT id FROM responses ORDER BY id LIMIT 3)"
        )
        con.execute(
            "UPDATE responses SET answers = answers || '5' WHERE id IN "
            "(SELECT id FROM responses ORDER BY id DESC LIMIT 3)"
        )
    con.close()
    for name in DEMO:
        _same_as_store(demo_db, name)


def test_sources_and_comments_are_read_when_asked_for(demo_db):
    reader = open_reader(demo_db)
    assert reader is not None
    data = reader.load_responses("Demo 2026 Q4")
    store = Store(demo_db)
    try:
        full = store.load_responses("Demo 2026 Q4")
        pd.testing.assert_frame_equal(data.meta, full.meta)  # read now, reader open
        later = reader.load_responses("Demo 2026 Q4")
    finally:
        store.close()
        reader.close()
    with pytest.raises(StoreError, match="closed"):
        _ = later.comments  # read on demand: the reader is closed by now
    pd.testing.assert_frame_equal(data.meta, full.meta)  # kept once read


def test_a_campaign_without_responses(tmp_path, empty_db_file):
    path = copy_db(empty_db_file, tmp_path / "empty.db")
    store = Store(path)
    try:
        from culturescope.instruments import get_instrument

        store.create_campaign("Nobody yet", get_instrument("ai-safety-culture"))
    finally:
        store.close()
    reader = open_reader(path)
    assert reader is not None
    try:
        data = reader.load_responses("Nobody yet")
        assert len(data) == 0 and data.answers.empty and data.meta.empty
        assert data.answer_matrix().shape == (0, len(data.instrument.items))
    finally:
        reader.close()
