"""Storage on SQLite and PostgreSQL: campaigns, responses, batches, idempotency, no identities."""

from __future__ import annotations

import numpy as np
import pytest

from culturescope import Cancelled
from culturescope.storage import NewResponse, Store, StoreError, UnknownCampaign, codes


def _responses(n, store, prefix="r"):
    return [
        NewResponse(
            answers={"LA1": (k % 5) + 1, "LA3": 0, "PS1": 4},
            demographics={"team": f"T{k % 3}", "role": "front_line"},
            comments={"C1": "More time for reviews"} if k == 0 else {},
            source_ref=f"row {k + 2}",
            fingerprint=store.fingerprint(prefix, k),
        )
        for k in range(n)
    ]


def test_campaign_lifecycle(store, flagship):
    c = store.create_campaign("2026 Q4", flagship, min_group_size=5)
    assert c.instrument_key == flagship.key == "ai-safety-culture@1.1"
    assert [x.name for x in store.campaigns()] == ["2026 Q4"]
    with pytest.raises(StoreError, match="already exists"):
        store.create_campaign("2026 Q4", flagship)
    renamed = store.update_campaign(c.id, name="Autumn 2026", status="closed")
    assert (renamed.name, renamed.status) == ("Autumn 2026", "closed")
    with pytest.raises(UnknownCampaign, match="no campaign 'x'"):
        store.campaign("x")


def test_minimum_group_size_never_below_three(store, flagship):
    with pytest.raises(StoreError, match="at least 3"):
        store.create_campaign("tiny", flagship, min_group_size=2)


def test_raw_answers_and_provenance_round_trip(store, flagship):
    c = store.create_campaign("Q", flagship)
    batch = store.add_responses(c.id, _responses(4, store), source="file", file_name="x.xlsx")
    assert (batch.rows_added, batch.rows_skipped) == (4, 0)
    data = store.load_responses("Q")
    assert list(data.answers.columns) == [i.id for i in flagship.items]
    assert data.answers["LA1"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert data.answers["LA3"].tolist() == [0.0] * 4  # N/A kept as its code, un-reversed
    assert np.isnan(data.answers["LA2"]).all()  # blank
    assert data.demographics["team"].tolist() == ["T0", "T1", "T2", "T0"]
    assert data.demographics["site"].isna().all()
    assert data.meta["source_ref"].tolist() == ["row 2", "row 3", "row 4", "row 5"]
    assert data.meta["submitted_on"].iloc[0] is None  # unknown stays unknown, not the import date
    assert data.comments["text"].tolist() == ["More time for reviews"]


def test_same_rows_twice_add_nothing(store, flagship):
    c = store.create_campaign("Q", flagship)
    store.add_responses(c.id, _responses(5, store), source="file")
    again = store.add_responses(c.id, _responses(7, store), source="file")
    assert (again.rows_added, again.rows_skipped) == (2, 5)
    assert store.campaign("Q").response_count == 7


def test_one_response_checked_against_a_big_campaign(store, flagship):
    """A single kiosk/paper response is checked by index, a big import against all rows:
    both skip what is stored already."""
    c = store.create_campaign("Q", flagship)
    store.add_responses(c.id, _responses(600, store), source="file")
    small = store.add_responses(
        c.id, _responses(600, store)[-3:] + _responses(2, store, "new"), source="paper"
    )
    assert (small.rows_added, small.rows_skipped) == (2, 3)
    big = store.add_responses(c.id, _responses(601, store), source="file")
    assert (big.rows_added, big.rows_skipped) == (1, 600)
    assert store.instrument(c.instrument_key) is store.instrument(c.instrument_key)


def test_cancel_stores_nothing(store, flagship):
    c = store.create_campaign("Q", flagship)
    with pytest.raises(Cancelled):
        store.add_responses(c.id, _responses(5, store), source="file", is_cancelled=lambda: True)
    assert store.campaign("Q").response_count == 0
    assert store.batches("Q") == []


def test_unknown_item_refused_and_nothing_stored(store, flagship):
    c = store.create_campaign("Q", flagship)
    bad = _responses(2, store) + [NewResponse(answers={"ZZ9": 1})]
    with pytest.raises(StoreError, match="unknown items: ZZ9"):
        store.add_responses(c.id, bad, source="file")
    assert store.campaign("Q").response_count == 0


def test_delete_batch_and_response(store, flagship):
    c = store.create_campaign("Q", flagship)
    b1 = store.add_responses(c.id, _responses(3, store, "a"), source="file")
    store.add_responses(c.id, _responses(2, store, "b"), source="paper")
    assert store.delete_batch(b1.id) == 3
    data = store.load_responses(c.id)
    assert len(data) == 2 and len(data.comments) == 1  # batch a's comment went with it
    assert store.delete_responses([int(data.answers.index[0])]) == 1
    assert store.campaign(c.id).response_count == 1


def test_no_identity_columns_exist(store):
    from sqlalchemy import inspect

    names = {
        col["name"].lower()
        for table in inspect(store.engine).get_table_names()
        for col in inspect(store.engine).get_columns(table)
    }
    forbidden = {"email", "e_mail", "respondent_id", "user_id", "ip_address", "device_id"}
    assert not names & forbidden


def test_answers_long_view(store, flagship):
    from sqlalchemy import text

    c = store.create_campaign("Q", flagship)
    store.add_responses(c.id, _responses(1, store), source="file")
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT item_id, raw FROM answers_long ORDER BY item_id")).all()
    assert [(r[0], int(r[1])) for r in rows] == [("LA1", 1), ("LA3", 0), ("PS1", 4)]


def test_instrument_versions_are_immutable(store, flagship):
    from dataclasses import replace

    store.save_instrument(flagship)
    changed = replace(flagship, source_text=flagship.source_text + "\n# edited\n")
    with pytest.raises(StoreError, match="immutable"):
        store.save_instrument(changed)


def test_migration_backs_up_an_existing_file(tmp_path):
    from sqlalchemy import text

    path = tmp_path / "old.db"
    Store(str(path)).close()
    # Pretend the file was made by an older CultureScope: forget the schema revision.
    s = Store(str(path))
    with s.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ancient'"))
    s.close()
    with pytest.raises(Exception, match="ancient"):
        Store(str(path))
    backups = list(tmp_path.glob("old.before-migration-*.db"))
    assert backups, "a backup is made before any migration"


def test_real_upgrade_from_the_first_schema_keeps_data_and_backs_up(tmp_path, flagship):
    """A database made at revision 0001 (before the policy register) is upgraded to the
    newest schema on open: a backup of the old file first, every response kept."""
    import sqlite3

    from alembic import command
    from sqlalchemy import inspect, text

    from culturescope.storage import database

    path = tmp_path / "v1.db"
    engine = database.create_db_engine(database.to_url(str(path)))
    cfg = database._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert "policies" not in inspect(engine).get_table_names()
    engine.dispose()
    # Data as an older CultureScope left it: written at head, then the schema taken back
    # to 0001 with the real downgrade (responses and campaigns are 0001 tables).
    store = Store(str(path))
    c = store.create_campaign("Old", flagship)
    store.add_responses(c.id, _responses(12, store), source="file")
    store.close()
    engine = database.create_db_engine(database.to_url(str(path)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()

    store = Store(str(path))
    assert store.last_backup is not None and store.last_backup.exists()
    assert store.last_backup.name.startswith("v1.before-migration-")
    assert database.current_revision(store.engine) == database.head_revision()
    assert "policies" in inspect(store.engine).get_table_names()
    assert store.campaign("Old").response_count == 12
    with sqlite3.connect(store.last_backup) as old:  # the backup is the 0001 file
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT count(*) FROM responses").fetchone() == (12,)
    store.close()


def test_codes_round_trip():
    m = np.array([[1, 5, np.nan, 0], [np.nan, np.nan, 3, 11]])
    strings = codes.encode_matrix(m)
    assert strings == ["15.0", "..3b"]
    np.testing.assert_array_equal(codes.decode(strings, 4), m)
    assert codes.encode([1, None, 0]) == "1.0"
    with pytest.raises(ValueError, match="0 to 35"):
        codes.encode_matrix(np.array([[40.0]]))


def test_typed_names_differing_only_in_case_are_one_group(store, flagship):
    """Kiosk and paper teams are typed: "alpha" and " Alpha" are the team most people
    called "Alpha", not a separate one-person team."""
    from culturescope.storage import NewResponse

    c = store.create_campaign("Q", flagship)
    answers = {i.id: 3 for i in flagship.items}
    typed = ["Alpha", "Alpha", "alpha", " Alpha ", "ALPHA", "Beta", None]
    store.add_responses(
        c.id,
        [
            NewResponse({**answers, flagship.items[0].id: n % 5 + 1}, {"team": t} if t else {}, {})
            for n, t in enumerate(typed)
        ],
        source="kiosk",
    )
    teams = store.load_responses(c.id).demographics["team"].tolist()
    assert teams == ["Alpha", "Alpha", "Alpha", "Alpha", "Alpha", "Beta", None]


def test_responses_load_in_id_order_whatever_their_batches(store, flagship):
    """Rows moved to a later batch (e.g. by an older version's merge) still load in the
    order they were stored: id order, not the batch index's order."""
    from sqlalchemy import text

    c = store.create_campaign("Q", flagship)
    a = store.add_responses(c.id, _responses(3, store, "a"), source="file")
    b = store.add_responses(c.id, _responses(3, store, "b"), source="file")
    last = store.add_responses(c.id, _responses(3, store, "c"), source="file")
    with store.session() as s:
        s.execute(
            text("UPDATE responses SET batch_id = :c WHERE batch_id = :a"),
            {"a": a.id, "c": last.id},
        )
    data = store.load_responses("Q")
    assert list(data.answers.index) == sorted(data.answers.index)
    assert data.meta["batch_id"].tolist() == [last.id] * 3 + [b.id] * 3 + [last.id] * 3
    assert data.answers["LA1"].tolist() == [1.0, 2.0, 3.0] * 3
