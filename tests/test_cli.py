"""The command line: every command's happy path, JSON shapes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_db
from culturescope.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch, empty_db_file):
    # A migrated copy: making a database on first use is tested in test_cli_database_choice.
    path = Path(copy_db(empty_db_file, tmp_path / "cli.db"))
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_instruments_list_and_show_json(capsys, db):
    code, out, _ = run(capsys, "instruments", "list")
    assert code == 0
    assert "ai-safety-culture@1.0" in out
    code, out, _ = run(capsys, "instruments", "show", "ai-safety-culture", "--json")
    data = json.loads(out)
    assert {"id", "version", "title", "scale", "dimensions", "items", "demographics"} <= set(data)
    assert data["scale"]["points"] == 5 and len(data["scale"]["labels"]) == 5
    item = data["items"][0]
    assert {"id", "text", "dimension", "reverse", "practice_areas"} <= set(item)
    assert {"id", "title"} <= set(data["dimensions"][0])
    assert {"id", "label", "options"} <= set(data["demographics"][1])


def test_instruments_validate(capsys, db, tmp_path):
    from culturescope.paths import surveys_dir

    code, out, _ = run(
        capsys, "instruments", "validate", str(surveys_dir() / "ai-safety-culture-1.0.yaml")
    )
    assert code == 0 and "valid" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: X\n")
    code, _, err = run(capsys, "instruments", "validate", str(bad))
    assert code == 1
    assert "bad.yaml: scales: must define at least one scale" in err


def test_campaign_create_and_list(capsys, db):
    code, out, _ = run(
        capsys, "campaign", "create", "2026 Q4", "--instrument", "psychological-safety-pulse"
    )
    assert code == 0
    code, out, _ = run(capsys, "campaign", "list", "--json")
    rows = json.loads(out)
    assert rows[0]["name"] == "2026 Q4" and rows[0]["responses"] == 0
    code, _, err = run(
        capsys, "campaign", "create", "2026 Q4", "--instrument", "psychological-safety-pulse"
    )
    assert code == 1 and "already exists" in err
    code, _, err = run(
        capsys,
        "campaign",
        "create",
        "Tiny",
        "--instrument",
        "ai-safety-culture",
        "--min-group-size",
        "2",
    )
    assert code == 1 and "below 3" in err


def test_demo_creates_campaigns_once(capsys, db):
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "Demo 2026 Q4" in out
    code, out, _ = run(capsys, "campaign", "list", "--json")
    names = {c["name"]: c["responses"] for c in json.loads(out)}
    assert names["Demo 2026 Q4"] == 360
    assert names["Demo 2025 Q4"] > 200
    code, _, err = run(capsys, "demo")
    assert code == 1 and "already in this database" in err


def test_console_script_help_and_errors(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "culturescope.cli", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "campaign" in proc.stdout
    # First run: the user data folder's database is made and is empty.
    env = {**__import__("os").environ, "CULTURESCOPE_DATA_DIR": str(tmp_path / "first")}
    env.pop("CULTURESCOPE_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "culturescope.cli", "campaign", "list"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0 and "No campaigns yet" in proc.stdout


def test_score_says_bands_come_from_percent_positive(capsys, db):
    from culturescope.instruments import get_instrument
    from culturescope.storage import NewResponse, Store

    inst = get_instrument("ai-safety-culture")
    store = Store(str(db))
    camp = store.create_campaign("Q4", inst, min_group_size=5)
    answers = {i.id: 4 if not i.reverse else 2 for i in inst.items if i.kind != "behaviour"}
    store.add_responses(camp.id, [NewResponse(answers, {}, {}) for _ in range(6)], source="kiosk")
    store.close()
    code, out, _ = run(capsys, "score", "--campaign", "Q4")
    assert code == 0
    note = next(line for line in out.splitlines() if line.strip().startswith("band:"))
    assert "from % positive before rounding, not from the mean" in note
    assert "Strength ≥ 75%" in note and "Moderate > 50%" in note


def test_progress_in_a_log_reads_as_progress_not_as_a_result(monkeypatch, capsys):
    """Piped or logged, each step is one line worded as progress: "84.0% agreement" above
    the score table read like a result."""
    from culturescope.cli import context

    clock = iter([0.0, 1.0, 2.0, 3.0])
    monkeypatch.setattr(context.time, "monotonic", lambda: next(clock))
    ctx = context.Context()
    ctx.progress(0.0, "loading")
    ctx.progress(0.84, "agreement")
    err = capsys.readouterr().err  # captured: not a terminal
    assert "[ 84% done] agreement" in err
    assert "84.0% agreement" not in err
