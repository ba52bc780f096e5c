"""``culturescope score`` prints its saved output only while the data it came from is
unchanged, whichever process wrote since (culturescope.result_cache)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_db
from culturescope import result_cache
from culturescope.cli import main
from culturescope.storage import NewResponse, Store

NOW, BEFORE = "Demo 2026 Q4", "Demo 2025 Q4"


@pytest.fixture
def demo_db(tmp_path, demo_db_template):
    """A private copy of the 120-respondent demo (built once per worker, not per test)."""
    return Path(copy_db(demo_db_template(120), tmp_path / "demo.db"))


def score(capsys, db, *args: str, campaign: str = NOW) -> str:
    assert main(["--db", str(db), "-q", "score", "--campaign", campaign, *args]) == 0
    return capsys.readouterr().out


def saved_files(tmp_path) -> list:
    return sorted((tmp_path / "data" / "cache" / "results").glob("*/*.out"))


def refuse_to_compute(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("computed although a saved output is current")

    monkeypatch.setattr("culturescope.cli.score_command._compute", fail)


@pytest.mark.parametrize("args", [("--by", "team", "--json"), ("--by", "team"), ()])
def test_cached_output_is_the_cold_output_byte_for_byte(capsys, demo_db, monkeypatch, args):
    cold = score(capsys, demo_db, *args, "--no-cache")
    assert score(capsys, demo_db, *args) == cold  # computed, then saved
    refuse_to_compute(monkeypatch)
    assert score(capsys, demo_db, *args) == cold  # printed from the saved output
    # The trend reads the previous campaign: it is part of the saved output too.
    assert "Since Demo 2025 Q4" in cold or json.loads(cold)["trend"] is not None


def test_no_cache_neither_reads_nor_saves(capsys, demo_db, tmp_path):
    score(capsys, demo_db, "--json", "--no-cache")
    assert saved_files(tmp_path) == []


def test_saved_file_holds_exactly_what_was_printed_and_is_private(capsys, demo_db, tmp_path):
    out = score(capsys, demo_db, "--by", "team", "--json")
    (saved,) = saved_files(tmp_path)
    assert saved.read_text(encoding="utf-8") == out
    assert saved.stat().st_mode & 0o777 == 0o600
    assert saved.parent.stat().st_mode & 0o777 == 0o700


def test_each_option_has_its_own_saved_output(capsys, demo_db, tmp_path, monkeypatch):
    by_team = score(capsys, demo_db, "--by", "team", "--json")
    overall = score(capsys, demo_db, "--json")
    listwise = score(capsys, demo_db, "--by", "team", "--json", "--rwg-listwise")
    assert len({by_team, overall}) == 2 and len(saved_files(tmp_path)) == 3
    refuse_to_compute(monkeypatch)
    assert score(capsys, demo_db, "--json") == overall
    assert score(capsys, demo_db, "--by", "team", "--json") == by_team
    assert score(capsys, demo_db, "--by", "team", "--json", "--rwg-listwise") == listwise


def another_process(db, code: str) -> None:
    """Run ``code`` with ``store`` open on ``db`` in a separate Python process."""
    script = f"from culturescope.storage import Store\nstore = Store({str(db)!r})\n{code}\n"
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_a_write_in_another_process_is_never_answered_from_the_saved_output(
    capsys, demo_db, tmp_path
):
    first = score(capsys, demo_db, "--by", "team", "--json")
    # Another program raises the minimum group size: groups get hidden.
    another_process(
        demo_db, f"store.update_campaign({NOW!r}, min_group_size=25, min_comment_group_size=25)"
    )
    second = score(capsys, demo_db, "--by", "team", "--json")
    assert second != first
    assert second == score(capsys, demo_db, "--by", "team", "--json", "--no-cache")
    assert json.loads(second)["min_group_size"] == 25
    # Outputs for the earlier data are gone; one file per option set remains.
    assert len(saved_files(tmp_path)) == 1


def test_new_responses_and_the_previous_campaign_change_the_answer(capsys, demo_db):
    first = score(capsys, demo_db, "--json")
    store = Store(str(demo_db))
    try:
        camp = store.campaign(NOW)
        store.add_responses(
            camp.id,
            [
                NewResponse(answers={"LA1": 5}, fingerprint=store.fingerprint("new", k))
                for k in range(3)
            ],
            source="file",
        )
    finally:
        store.close()
    second = score(capsys, demo_db, "--json")
    assert json.loads(second)["responses"] == json.loads(first)["responses"] + 3
    # A change to the previous campaign only (the trend reads it).
    store = Store(str(demo_db))
    try:
        store.delete_responses(list(store.load_responses(BEFORE).answers.index[:40]))
    finally:
        store.close()
    third = score(capsys, demo_db, "--json")
    assert json.loads(third)["trend"] != json.loads(second)["trend"]
    assert third == score(capsys, demo_db, "--json", "--no-cache")


def test_a_write_while_computing_is_not_saved(demo_db, tmp_path):
    command = ["score", "", "False", "True"]
    before = result_cache.saved_output(str(demo_db), NOW, command)
    assert before is not None
    store = Store(str(demo_db))
    try:
        store.update_campaign(NOW, min_group_size=6)
    finally:
        store.close()
    after = result_cache.saved_output(str(demo_db), NOW, command)
    assert not before.save("computed from data read in between", after)
    assert saved_files(tmp_path) == []
    assert after is not None and after.save("current", after) and after.read() == "current"


def test_tokens_change_with_committed_writes_only(demo_db):
    def tokens() -> dict:
        with sqlite3.connect(demo_db) as con:
            return dict(con.execute("SELECT scope, token FROM data_versions"))

    store = Store(str(demo_db))
    try:
        now, before = store.campaign(NOW), store.campaign(BEFORE)
        start = tokens()
        store.campaigns()
        store.load_responses(NOW)
        assert tokens() == start  # reads write nothing

        def change_then_fail() -> None:
            with store.transaction():
                store.update_campaign(NOW, min_group_size=9)
                raise RuntimeError("rolled back")

        with pytest.raises(RuntimeError):
            change_then_fail()
        assert tokens() == start
        store.update_campaign(NOW, min_group_size=9)
        changed = tokens()
        assert changed[f"campaign:{now.id}"] != start.get(f"campaign:{now.id}")
        assert changed.get(f"campaign:{before.id}") == start.get(f"campaign:{before.id}")
        assert changed["all"] == start["all"]
    finally:
        store.close()


def test_deleted_campaigns_lose_their_saved_output(capsys, demo_db, tmp_path):
    score(capsys, demo_db, "--json", campaign=BEFORE)
    assert len(saved_files(tmp_path)) == 1
    store = Store(str(demo_db))
    try:
        store.delete_campaign(BEFORE)
    finally:
        store.close()
    score(capsys, demo_db, "--json")
    (left,) = saved_files(tmp_path)
    assert json.loads(left.read_text(encoding="utf-8"))["campaign"] == NOW


def test_only_existing_sqlite_files_are_cached(tmp_path):
    assert result_cache.sqlite_file("postgresql://u:p@host/db") is None
    assert result_cache.sqlite_file(str(tmp_path / "not-made-yet.db")) is None
    assert result_cache.sqlite_file("sqlite:///:memory:") is None
    made = tmp_path / "x.db"
    made.write_bytes(b"")
    assert result_cache.sqlite_file(f"sqlite:///{made}") == made.resolve()
    # An empty or foreign file has no data versions: nothing is saved, nothing read.
    assert result_cache.saved_output(str(made), NOW, ["score"]) is None


def test_a_saved_answer_imports_none_of_the_scoring_libraries(capsys, demo_db):
    score(capsys, demo_db, "--by", "team", "--json")
    code = (
        "import sys, json\n"
        "from culturescope.cli import main\n"
        f"main(['--db', {str(demo_db)!r}, '-q', 'score', '--campaign', {NOW!r}, "
        "'--by', 'team', '--json'])\n"
        "heavy = [m for m in ('numpy', 'pandas', 'sqlalchemy', 'scipy') if m in sys.modules]\n"
        "print(json.dumps(heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert json.loads(proc.stdout.splitlines()[-1]) == []
