"""Shared fixtures: an isolated data folder for every test, and stores on SQLite and
(when ``CULTURESCOPE_TEST_PG_URL`` is set) PostgreSQL.

Everything here is safe under pytest-xdist (``scripts/test.sh`` runs the suite on every
CPU): each worker has its own temporary folders, PostgreSQL databases get unique names,
and Hypothesis runs derandomized without an example database, so every run and every
worker tries the same examples.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import settings as hypothesis_settings

PG_URL = os.environ.get("CULTURESCOPE_TEST_PG_URL")

# Deterministic property tests: the same examples on every run and every xdist worker, and
# no .hypothesis/ folder that parallel workers would write at the same time. No deadline:
# a per-example time limit is a timing assert, which fails on a busy machine.
hypothesis_settings.register_profile("culturescope", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("culturescope")


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        help="also run the tests marked slow (building the desktop bundle takes minutes)",
    )


#: The test files that take longest (CPU seconds on a 2-core machine, December 2026), run
#: first. ``scripts/test.sh`` hands whole files to the xdist workers in collection order
#: (``--dist loadfile --no-loadscope-reorder``); a long file that starts last leaves the
#: other worker idle at the end. Only the order changes, never what runs. Files not listed
#: follow in their usual order. Re-measure with ``--durations`` when the suite changes.
LONGEST_FIRST = (
    "tests/gui/test_dashboard_page.py",
    "tests/test_reports_export.py",
    "tests/test_reports_comments.py",
    "tests/gui/test_signals_page.py",
    "tests/gui/test_responses_page.py",
    "tests/test_signals_detect.py",
    "tests/gui/test_keyboard_walk.py",
    "tests/test_reports_pdf.py",
    "tests/test_robust_reports.py",
    "tests/gui/test_shell.py",
    "tests/test_reports_kinds.py",
    "tests/gui/test_shared_results.py",
    "tests/test_result_cache.py",
    "tests/test_startup.py",
    "tests/gui/test_kiosk.py",
    "tests/test_import_identity.py",
    "tests/test_packaging.py",
    "tests/test_reports_charts.py",
)


def _longest_first(items) -> None:
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    last = len(rank)
    # sort() is stable: tests keep their order inside a file, other files theirs.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], last))


def pytest_collection_modifyitems(config, items):
    """The longest files first (see ``LONGEST_FIRST``); tests marked ``slow`` are skipped
    unless --run-slow is given."""
    _longest_first(items)
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (see the README)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    """Each xdist worker imports the top-level test modules starting at its own place in
    the list, then collects as usual.

    Every worker imports every test module, and on a clean checkout (CI) each import
    rewrites the module's asserts and compiles it: about 6 CPU seconds per worker. The
    result is cached in ``__pycache__`` (``scripts/test.sh`` allows writing it), so when
    worker k of n starts k/n of the way down the list, each module is rewritten by about
    one worker and read from the cache by the others. Collection order does not change.
    """
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    if count > 1 and worker.isdigit() and int(worker) > 0 and not sys.dont_write_bytecode:
        names = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py"))
        start = len(names) * int(worker) // count
        for name in names[start:] + names[:start]:
            try:
                importlib.import_module(name)
            except Exception:  # collection reports it, as usual
                pass
    return (yield)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Never touch the user's real data or settings."""
    monkeypatch.setenv("CULTURESCOPE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CULTURESCOPE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("CULTURESCOPE_DB", raising=False)


#: PBKDF2 rounds for passphrases in tests (the lowest that unsealing accepts). Stored hashes
#: and sealed keys carry their round count, so every check still runs the real code path.
TEST_KEY_ROUNDS = 1_000


@pytest.fixture(autouse=True)
def _fast_key_stretching(request, monkeypatch):
    """Passphrase hashing and key sealing with 1,000 PBKDF2 rounds instead of 200,000.

    About a hundred tests set or check a passphrase; at 0.1 s of CPU per derivation that
    was a twentieth of the suite. Tests marked ``real_key_stretching`` keep the shipped
    round count (test_secrets.py checks that it is what the app stores).
    """
    if request.node.get_closest_marker("real_key_stretching"):
        return
    from culturescope import sealing, settings

    monkeypatch.setattr(sealing, "ITERATIONS", TEST_KEY_ROUNDS)
    monkeypatch.setattr(settings, "_ITERATIONS", TEST_KEY_ROUNDS)


@pytest.fixture(scope="session")
def empty_db_file(tmp_path_factory):
    """An empty, fully migrated SQLite database, made once per test session (per worker).

    Creating a database runs every migration (about 0.2 s); copying this file and opening
    it takes a tenth of that, and hundreds of tests need an empty store.
    """
    from culturescope.storage import Store

    path = tmp_path_factory.mktemp("template") / "empty.db"
    Store(str(path)).close()
    return path


def copy_db(template, target):
    """A private copy of a template database file for one test; returns its path."""
    shutil.copyfile(template, target)
    return str(target)


@pytest.fixture
def new_db(tmp_path, empty_db_file):
    """``new_db("laptop.db")``: the path (a string) of a new, empty, migrated database in
    this test's folder, copied from ``empty_db_file``.

    For tests that need several databases (a lead's and a laptop's) and do not test how a
    database is created: migrating one costs ten times as much as copying it. Tests of
    creation, migration or first use make theirs with ``Store(path)`` on a new path.
    """
    return lambda name: copy_db(empty_db_file, tmp_path / name)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory, empty_db_file):
    """``demo_db_template(respondents)``: the path of a database holding the demo campaigns
    (:func:`culturescope.demo.create_demo`, deterministic), made once per size and session.

    Read-only: a test that writes to the demo data works on ``copy_db(path, tmp_path / ...)``.
    Building the demo (scored answers for hundreds of respondents, three campaigns) takes
    about a second; several test modules read the same one.
    """
    made: dict[int, object] = {}

    def template(respondents: int = 360):
        if respondents not in made:
            from culturescope.demo import create_demo
            from culturescope.storage import Store

            path = tmp_path_factory.mktemp("demo") / f"demo-{respondents}.db"
            store = Store(copy_db(empty_db_file, path))
            try:
                create_demo(store, respondents=respondents)
            finally:
                store.close()
            made[respondents] = path
        return made[respondents]

    return template


@pytest.fixture
def sqlite_store(tmp_path, empty_db_file):
    from culturescope.storage import Store

    store = Store(copy_db(empty_db_file, tmp_path / "test.db"))
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
def store(request, tmp_path, empty_db_file):
    """A store on every supported backend: SQLite always, PostgreSQL when configured."""
    from culturescope.storage import Store

    if request.param == "sqlite":
        s = Store(copy_db(empty_db_file, tmp_path / "test.db"))
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
