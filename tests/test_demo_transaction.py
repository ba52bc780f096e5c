"""`demo` is one transaction: killed (kill -9), cancelled or failing half-way it leaves
nothing, and it can be run again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from culturescope import Cancelled
from culturescope.cli import main
from culturescope.demo import CURRENT, create_demo
from culturescope.storage import Store

CHILD = textwrap.dedent(
    """
    import sys
    from culturescope.demo import create_demo
    from culturescope.storage import Store

    store = Store(sys.argv[1])

    def progress(fraction, message):
        if message.startswith("creating the current campaign"):
            print("HALF-WAY", flush=True)  # the previous campaign is written by now
            sys.stdin.readline()  # wait here until the parent kills us

    create_demo(store, respondents=60, progress=progress)
    print("FINISHED", flush=True)
    """
)


def _tables(path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if r[0] in ("campaigns", "responses", "import_batches", "comments")
        ]
        return {n: con.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}
    finally:
        con.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no kill -9 here")
def test_demo_killed_half_way_leaves_nothing_and_runs_again(new_db):
    db = new_db("demo.db")  # migrated, empty
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CULTURESCOPE_BUSY_WAIT": "5"},
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "HALF-WAY", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert set(_tables(db).values()) == {0}  # not half an organisation
    store = Store(str(db))
    camp = create_demo(store, respondents=60)  # and it runs again
    assert camp.name == CURRENT and camp.response_count == 60
    assert len(store.campaigns()) == 3
    store.close()


def test_cancelled_demo_stores_nothing(sqlite_store):
    calls = {"n": 0}

    def cancel_late() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(Cancelled):
        create_demo(sqlite_store, respondents=60, is_cancelled=cancel_late)
    assert sqlite_store.campaigns() == []
    assert create_demo(sqlite_store, respondents=60).response_count == 60


def test_demo_failing_half_way_stores_nothing(sqlite_store, monkeypatch):
    import culturescope.demo as demo

    def broken(*_a, **_k):
        raise OSError("disk trouble")

    monkeypatch.setattr(demo, "_fill_leaders", broken)
    with pytest.raises(OSError):
        create_demo(sqlite_store, respondents=60)
    assert sqlite_store.campaigns() == []
    monkeypatch.undo()
    assert create_demo(sqlite_store, respondents=60).response_count == 60


def test_cli_demo_twice_says_already_there(new_db, capsys):
    db = new_db("d.db")
    assert main(["-q", "--db", db, "demo", "--respondents", "60"]) == 0
    assert main(["-q", "--db", db, "demo", "--respondents", "60"]) == 1
    err = capsys.readouterr().err
    assert "already in this database" in err and "Traceback" not in err
