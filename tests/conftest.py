"""Shared fixtures: an isolated data folder for every test, and stores on SQLite and
(when ``CULTURESCOPE_TEST_PG_URL`` is set) PostgreSQL."""

from __future__ import annotations

import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

PG_URL = os.environ.get("CULTURESCOPE_TEST_PG_URL")


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (building the desktop bundle takes minutes)",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` are skipped unless --run-slow is given."""
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (see the README)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Never touch the user's real data or settings."""
    monkeypatch.setenv("CULTURESCOPE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CULTURESCOPE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CULTURESCOPE_DB", raising=False)


@pytest.fixture
def sqlite_store(tmp_path):
    from culturescope.storage import Store

    store = Store(str(tmp_path / "test.db"))
    yield store
    store.close()


def _pg_database():
    """A fresh database on the test server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cs_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    return admin, name, url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A store on every supported backend: SQLite always, PostgreSQL when configured."""
    from culturescope.storage import Store

    if request.param == "sqlite":
        s = Store(str(tmp_path / "test.db"))
        yield s
        s.close()
        return
    if not PG_URL:
        pytest.skip("CULTURESCOPE_TEST_PG_URL is not set")
    from sqlalchemy import text

    admin, name, url = _pg_database()
    s = Store(url)
    yield s
    s.close()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def flagship():
    from culturescope.instruments import get_instrument

    return get_instrument("ai-safety-culture")
