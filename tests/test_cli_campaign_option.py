"""Every command's --campaign takes the name as listed or the campaign's id, with one help
text (cli/campaign_option.py)."""

from __future__ import annotations

import json

import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.cli.campaign_option import CAMPAIGN_HELP

#: (command words) of every command with --campaign.
COMMANDS = [
    ("score",),
    ("signals",),
    ("report",),
    ("report", "template"),
    ("import",),
    ("imports", "list"),
    ("bundle", "setup"),
    ("bundle", "export"),
    ("policies", "import"),
    ("policies", "export"),
    ("policies", "list"),
]


@pytest.fixture
def demo(tmp_path, monkeypatch, demo_db_template):
    path = copy_db(demo_db_template(60), tmp_path / "demo.db")
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))
    return path


def _help(capsys, words):
    with pytest.raises(SystemExit):
        main([*words, "--help"])
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_campaign_option_has_the_same_help(capsys, words):
    assert " ".join(CAMPAIGN_HELP.split()) in _help(capsys, words)


def test_campaign_set_and_delete_name_argument_has_the_same_help(capsys):
    for words in (("campaign", "set"), ("campaign", "delete")):
        assert " ".join(CAMPAIGN_HELP.split()) in _help(capsys, words)


def test_score_signals_report_take_the_id(capsys, demo, tmp_path):
    ids = {c["name"]: c["id"] for c in json.loads(_run(capsys, "campaign", "list", "--json"))}
    current = str(ids["Demo 2026 Q4"])
    by_name = _run(capsys, "score", "--campaign", "Demo 2026 Q4", "--json", "--no-cache")
    assert _run(capsys, "score", "--campaign", current, "--json") == by_name
    signals = json.loads(_run(capsys, "signals", "--campaign", current, "--json"))
    assert signals == json.loads(_run(capsys, "signals", "--campaign", "demo 2026 q4", "--json"))
    assert (
        main(["report", "--campaign", current, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
        == 0
    )
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    assert json.loads(_run(capsys, "policies", "list", "--campaign", current, "--json"))
    code = main(["score", "--campaign", "99"])
    assert code == 1 and "no campaign '99' (campaigns: Demo 2025 Q4" in capsys.readouterr().err


def test_a_name_made_of_digits_is_a_name_first(capsys, demo):
    # The demo's campaigns are 1..3; "1" names a fourth campaign.
    assert main(["-q", "campaign", "create", "1", "--instrument", "ai-safety-culture"]) == 0
    capsys.readouterr()
    assert main(["campaign", "set", "1", "--status", "closed"]) == 0
    assert "Updated campaign '1'" in capsys.readouterr().out
    listed = {
        c["name"]: c["status"] for c in json.loads(_run(capsys, "campaign", "list", "--json"))
    }
    assert listed["1"] == "closed"
    assert listed["Demo 2026 Q4"] == "open"
    # "2" is no name: campaign 2.
    assert main(["campaign", "set", "2", "--status", "closed"]) == 0
    assert "Updated campaign 'Demo 2026 Q4'" in capsys.readouterr().out


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out
