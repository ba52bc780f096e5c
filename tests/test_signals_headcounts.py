"""More responses than people: a group over its headcount is reported (with its counts only
when its results are shown) and left out of "everyone else" in the response-rate
comparison; hidden groups are never part of "everyone else" (docs/signals.md)."""

from __future__ import annotations

import csv
import json
import re

from culturescope.cli import main
from culturescope.instruments import get_instrument
from culturescope.signals import SignalSettings, participation_bias
from culturescope.signals.people import baseline, headline, subject_of
from culturescope.signals.wording import evidence_lines
from importing_files import ms_forms_rows, write_xlsx
from signal_factory import organisation
from test_signals import _breakdown

S = SignalSettings()


def _run(frame, **hidden):
    fields = frame.campaign.headcounts
    return {
        s.id: s
        for s in participation_bias(
            frame,
            settings=S,
            breakdowns={f: _breakdown(frame, f, hidden.get(f, ())) for f in fields},
        )
    }


def test_group_over_its_headcount_is_reported_and_left_out_of_everyone_else():
    # The review's case: Operations 24 responses for 20 people made "everyone else" 92%.
    frame = organisation(
        teams=(("Operations", 24), ("Engineering", 24), ("Support", 16), ("Legal", 6)),
        headcounts={"team": {"Operations": 20, "Engineering": 60, "Support": 20, "Legal": 10}},
        seed=3,
    )
    out = _run(frame)
    over = out["participation_bias:team-operations:over-headcount"]
    assert over.severity == "info"
    assert over.evidence == {"responses": 24, "headcount": 20, "extra_responses": 4}
    assert over.title == "team: Operations — 24 responses for 20 people"
    assert headline(over) == (
        "Team Operations: 24 responses for 20 people — check the headcount sheet or "
        "repeated submissions"
    )
    assert subject_of(over).title == "Operations"
    assert baseline(over).value == 4

    low = out["participation_bias:team-engineering"]
    e = low.evidence
    # Everyone else = Support and Legal (22 of 30), not Operations at 120% (46 of 50).
    assert (e["rest_responses"], e["rest_headcount"]) == (22, 30)
    assert round(e["rest_response_rate_percent"]) == 73
    assert e["groups_left_out"] == 1
    assert "leaving out 'Operations', which has more responses than people" in low.explanation
    lines = dict(evidence_lines(low))
    assert lines["Headcount of everyone else"] == "30"
    assert lines["Groups left out of everyone else (hidden, or more responses than people)"] == "1"
    # Operations gets no rate of its own.
    assert "participation_bias:team-operations" not in out


def test_hidden_group_over_its_headcount_reveals_no_count():
    # Blue: 4 responses (below the minimum of 5) for a headcount of 3.
    frame = organisation(
        teams=(("Red", 30), ("Blue", 4), ("Green", 12)),
        headcounts={"team": {"Red": 40, "Blue": 3, "Green": 60}},
        seed=5,
    )
    out = _run(frame)
    assert not [k for k in out if "blue" in k]
    green = out["participation_bias:team-green"]
    # Everyone else is Red alone: Blue's 4 responses are never added into a rate.
    assert (green.evidence["rest_responses"], green.evidence["rest_headcount"]) == (30, 40)
    assert "1 group whose results are hidden" in green.explanation
    text = json.dumps([s.to_json() for s in out.values()])
    assert '"responses": 4' not in text and "Blue" not in text


def test_group_hidden_to_protect_another_is_not_checked_nor_counted():
    frame = organisation(
        teams=(("Red", 30), ("Blue", 9), ("Green", 12)),
        headcounts={"team": {"Red": 40, "Blue": 6, "Green": 60}},
        seed=5,
    )
    out = _run(frame, team=("Blue",))
    assert not [k for k in out if "blue" in k]
    green = out["participation_bias:team-green"]
    assert green.evidence["rest_responses"] == 30
    assert not re.search(r"\b9 responses\b", json.dumps([s.to_json() for s in out.values()]))


def test_leaders_over_their_headcount_are_left_out_of_the_leader_comparison():
    # 65 front-line, 7 managers, 8 senior leaders answered.
    frame = organisation(
        teams=(("Red", 40), ("Blue", 40)),
        headcounts={"role": {"front_line": 400, "manager": 5, "senior_leader": 10}},
        seed=8,
    )
    out = _run(frame)
    assert out["participation_bias:role-manager:over-headcount"].evidence["responses"] == 7
    leaders = out["participation_bias:leaders-vs-staff"].evidence
    # Managers (7 for 5 people) are not among the leaders: senior leaders 8 of 10 only.
    assert (leaders["leader_responses"], leaders["leader_headcount"]) == (8, 10)
    # ... and the finding says so: it names the level it compared and the one left out.
    finding = out["participation_bias:leaders-vs-staff"]
    assert finding.title.startswith("Senior leaders responded 80%, front-line staff ")
    assert "managers" not in finding.title.lower()
    assert "Managers are left out of this comparison: more responses than people" in (
        finding.explanation
    )


def test_leader_comparison_names_both_levels_when_none_is_left_out():
    frame = organisation(
        teams=(("Red", 40), ("Blue", 40)),
        headcounts={"role": {"front_line": 400, "manager": 10, "senior_leader": 10}},
        seed=8,
    )
    finding = _run(frame)["participation_bias:leaders-vs-staff"]
    assert finding.title.startswith("Senior leaders and managers responded ")
    assert "left out" not in finding.explanation


# ---- campaign set --headcounts --------------------------------------------------------
def _import_thirty(capsys, tmp_path, *, min_group_size=5):
    flagship = get_instrument("ai-safety-culture")
    create = ["campaign", "create", "C", "--instrument", "ai-safety-culture"]
    size = str(min_group_size)
    assert main([*create, "--min-group-size", size, "--min-comment-group-size", "20"]) == 0
    header, data, _ = ms_forms_rows(flagship, range(30))  # Red, Blue, Green: 10 each
    path = write_xlsx(tmp_path / "Safety culture(1-30).xlsx", header, data)
    assert main(["import", str(path), "--campaign", "C"]) == 0
    capsys.readouterr()


def test_campaign_set_headcounts_names_groups_with_more_responses_than_people(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "cli.db"))
    _import_thirty(capsys, tmp_path)
    sheet = tmp_path / "Headcount by team.csv"
    with sheet.open("w", newline="", encoding="utf-8-sig") as fh:  # Excel's "CSV UTF-8"
        csv.writer(fh, dialect="excel").writerows(
            [["Department", "Headcount"], ["Red", "8"], ["Blue", "40"], ["Green", "12"]]
        )
    code = main(["campaign", "set", "C", "--headcounts", str(sheet)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "headcounts by team: 3 groups, 60 people" in out
    assert "Red: 10 responses for 8 people — check the headcount sheet or repeated submissions" in (
        out
    )
    assert "Blue:" not in out and "Green:" not in out

    assert main(["signals", "--campaign", "C", "--json"]) == 0
    signals = {s["id"]: s for s in json.loads(capsys.readouterr().out)}
    assert signals["participation_bias:team-red:over-headcount"]["evidence"]["responses"] == 10
    blue = signals["participation_bias:team-blue"]["evidence"]
    assert (blue["rest_responses"], blue["rest_headcount"]) == (10, 12)  # Green only


def test_campaign_set_headcounts_keeps_a_hidden_group_count_to_itself(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "cli.db"))
    _import_thirty(capsys, tmp_path, min_group_size=11)  # every team (10) is hidden
    sheet = tmp_path / "heads.csv"
    sheet.write_text("Team,People\r\nRed,8\r\nBlue,40\r\nGreen,12\r\n", encoding="utf-8")
    code = main(["campaign", "set", "C", "--headcounts", str(sheet)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "headcounts by team: 3 groups, 60 people" in out
    assert "Red" not in out and "10" not in out
