"""detect_signals over stored campaigns: the genuine culture, the demo, the CLI, and
confidentiality end to end."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.policies import PolicyDraft, add_policy
from culturescope.signals import KINDS, analyse, detect_signals
from culturescope.storage import ResponseTable
from culturescope.storage.codes import encode_matrix
from signal_factory import get_instrument, leaders_frame, organisation


def store_frame(store, frame, name, **kwargs):
    camp = store.create_campaign(
        name, get_instrument(frame.instrument.id), organisation="Genuine Co", **kwargs
    )
    n = len(frame)
    store.add_response_table(
        camp.id,
        ResponseTable(
            answers=encode_matrix(frame.raw.to_numpy(dtype=float)),
            demographics=frame.demographics.astype(str).to_dict("records"),
            fingerprints=[store.fingerprint(name, r) for r in range(n)],
            source_refs=[None] * n,
            submitted_on=[None] * n,
        ),
        source="file",
    )
    return camp


@pytest.fixture
def genuine_store(sqlite_store):
    """Practice matches policy, leaders agree with staff, everyone takes part."""
    store = sqlite_store
    before = organisation(teams=(("Red", 25), ("Blue", 25), ("Green", 6)), seed=21)
    now = organisation(teams=(("Red", 25), ("Blue", 25), ("Green", 6)), seed=22)
    prev = store_frame(store, before, "2025")
    heads = {"team": {"Red": 30, "Blue": 29, "Green": 7}}
    store_frame(store, now, "2026", previous=prev.id, headcounts=heads)
    store_frame(store, leaders_frame(n=10, level=0.9), "2026 leaders")
    for area, status in (("incident_reporting", "implemented"), ("independent_audit", "audited")):
        add_policy(
            store,
            "Genuine Co",
            PolicyDraft(
                f"Policy on {area}",
                "Everyone must follow it.",
                status=status,
                evidence="Records",
                review_on=dt.date(2099, 1, 1),
                practice_areas=(area,),
            ),
        )
    return store


def test_genuine_culture_has_no_warnings(genuine_store):
    signals = detect_signals(genuine_store, "2026")
    assert [s.id for s in signals if s.severity != "info"] == []
    analysis = analyse(genuine_store, "2026")
    assert analysis.leadership_campaign == "2026 leaders"
    claimed = {a.area: a for a in analysis.areas}
    assert claimed["independent_audit"].claimed_status == "audited"
    assert claimed["independent_audit"].percent_positive > 50


def test_an_empty_list_says_which_checks_could_not_run(sqlite_store, tmp_path, monkeypatch):
    """No register and no headcounts: no signal is an all-clear only for what ran, and the
    scorecard says what was not checked instead of "No safety-washing signals were found."."""
    from openpyxl import load_workbook

    from culturescope.reports.excel import write_xlsx
    from culturescope.reports.pdf import write_pdf
    from culturescope.reports.scorecard import build_scorecard
    from reports_fixtures import charts_not_rasterised
    from test_reports_pdf import pdf_text

    genuine = organisation(teams=(("Red", 25), ("Blue", 25)), seed=22)
    store_frame(sqlite_store, genuine, "Bare")
    analysis = analyse(sqlite_store, "Bare")
    assert [s for s in analysis.signals if s.severity != "info"] == []
    assert analysis.not_checked == [
        "policy–practice gaps (no policy register to compare what is said with practice)",
        "response rates per team, role or site (no headcounts)",
    ]
    card = build_scorecard(sqlite_store, "Bare")
    assert card.signals_not_checked == tuple(analysis.not_checked)
    charts_not_rasterised(monkeypatch)  # the PDF's text is read
    text = " ".join(pdf_text(write_pdf(card, tmp_path / "bare.pdf", chart_dpi=40)).split())
    assert "Not checked: policy–practice gaps" in text
    assert "No safety-washing signals were found." not in text
    sheet = load_workbook(write_xlsx(card, tmp_path / "bare.xlsx"))["Signals"]
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Not checked: policy–practice gaps" in cells
    # With a register and headcounts every check runs: nothing is listed as not checked.
    heads = {"team": {"Red": 30, "Blue": 29}}
    sqlite_store.update_campaign("Bare", headcounts=heads)
    add_policy(sqlite_store, "Genuine Co", PolicyDraft("Reporting", status="implemented"))
    assert analyse(sqlite_store, "Bare").not_checked == []


def test_cancel_and_progress(genuine_store):
    from culturescope import Cancelled

    seen = []
    detect_signals(genuine_store, "2026", progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        detect_signals(genuine_store, "2026", is_cancelled=lambda: True)


@pytest.fixture
def demo_db(tmp_path, demo_db_template):
    from culturescope.demo import CURRENT

    return Path(copy_db(demo_db_template(360), tmp_path / "demo.db")), CURRENT


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory, demo_db_template):
    """What ``culturescope signals --campaign <demo> --json`` prints, run once for the tests
    of this file that only read it (each run analyses the 360-respondent demo)."""
    from culturescope.demo import CURRENT

    folder = tmp_path_factory.mktemp("signals-json")
    path = copy_db(demo_db_template(360), folder / "demo.db")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        # as _isolated_dirs does for each test: never the user's own folders
        mp.setenv("CULTURESCOPE_DATA_DIR", str(folder / "data"))
        mp.setenv("CULTURESCOPE_CONFIG_DIR", str(folder / "config"))
        mp.delenv("CULTURESCOPE_DB", raising=False)
        assert main(["--db", path, "-q", "signals", "--campaign", CURRENT, "--json"]) == 0
    return json.loads(out.getvalue())


def test_demo_shows_each_supported_kind(demo_json):
    data = demo_json
    for s in data:
        assert {"id", "kind", "severity", "scope", "evidence", "explanation", "question"} <= set(s)
        assert all(isinstance(v, (int, float)) for v in s["evidence"].values())
    fired = {s["kind"] for s in data}
    expected = {
        "policy_practice_gap",
        "perception_gap",
        "awareness_gap",
        "split_culture",
        "speak_up_paradox",
        "stale_commitment",
        "participation_bias",
        "response_integrity",
    }
    assert expected <= fired <= set(KINDS)
    stale = {s["id"].rsplit(":", 1)[1] for s in data if s["kind"] == "stale_commitment"}
    assert {"overdue", "no-evidence", "softened", "removed"} <= stale
    # Sorted by severity, most severe first.
    ranks = [("info", "warning", "critical").index(s["severity"]) for s in data]
    assert ranks == sorted(ranks, reverse=True)


def test_thresholds_from_the_command_line(demo_db, demo_json, monkeypatch, capsys):
    path, name = demo_db
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))

    def count(data) -> int:
        return sum(s["kind"] == "policy_practice_gap" for s in data)

    def gaps(*extra: str) -> int:
        assert main(["-q", "signals", "--campaign", name, "--json", *extra]) == 0
        return count(json.loads(capsys.readouterr().out))

    default = count(demo_json)  # the same command without --set
    assert default > 0
    assert gaps("--set", "practice_low_percent=5") == 0  # nothing is that low
    assert gaps("--set", "practice_low_percent=95") >= default
    assert main(["signals", "--campaign", name, "--set", "practice_low=5"]) == 1
    assert "unknown signal threshold 'practice_low'" in capsys.readouterr().err
    assert main(["signals", "--campaign", name, "--set", "alpha"]) == 1
    assert "NAME=VALUE" in capsys.readouterr().err


def test_demo_signals_never_show_hidden_groups(demo_db):
    from culturescope.scoring import score
    from culturescope.storage import Store

    path, name = demo_db
    store = Store(str(path))
    try:
        hidden = {
            g.label for f in ("team", "role") for g in score(store, name, by=(f,)).hidden_groups
        }
        assert hidden  # the demo has hidden teams (Data Ops, and one to protect it)
        for s in detect_signals(store, name):
            text = " ".join((s.title, s.explanation, *s.scope))
            for label in hidden:
                if label not in text:
                    continue
                # Only a participation notice may name a hidden group, and without counts.
                assert s.kind == "participation_bias", s.id
                assert set(s.evidence) == {"headcount", "min_group_size"}
    finally:
        store.close()


def test_cli_human_output_and_unknown_campaign(genuine_store, monkeypatch, capsys):
    monkeypatch.setenv("CULTURESCOPE_DB", genuine_store.url)
    assert main(["-q", "signals", "--campaign", "2026"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026: 0 critical, 0 warning")
    assert main(["-q", "signals", "--campaign", "nope"]) == 1
    assert "no campaign 'nope'" in capsys.readouterr().err


def test_cli_text_evidence_in_words_after_the_question(demo_db, demo_json, monkeypatch, capsys):
    path, name = demo_db
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))
    assert main(["-q", "signals", "--campaign", name]) == 0
    out = capsys.readouterr().out
    blocks = out.split("\n\n")[1:]
    assert blocks
    for block in blocks:
        lines = block.splitlines()
        ask = next(n for n, ln in enumerate(lines) if ln.startswith("  Ask: "))
        evidence = lines.index("  Evidence:")
        assert 1 < ask < evidence  # title, explanation, question, then the figures
        figures = [ln for ln in lines[evidence + 1 :] if ln.startswith("    ")]
        assert figures
        # Labels in words, values formatted: no raw keys, no p-value rounded to zero.
        assert not any("_" in ln.split(":", 1)[0] for ln in figures), block
        assert not re.search(r"p-value: +0\.0*$", block, re.M)
    gap = next(b for b in blocks if "claimed audited" in b.splitlines()[0])
    assert re.search(r"^    Claimed status: +audited$", gap, re.M)
    assert re.search(r"^    Percent positive: +\d+%$", gap, re.M)
    perception = next(b for b in blocks if "rate" in b.splitlines()[0] and "higher than" in b)
    assert re.search(r"^      Hedges' g \(effect size\): +\d\.\d\d$", perception, re.M)
    assert re.search(r"^      Adjusted p-value: +(< 0\.001|0\.\d{3,4})$", perception, re.M)
    assert "Independent audit:" in perception  # a practice area's figures under its title

    # --json keeps the documented raw keys and numbers.
    gap_json = next(s for s in demo_json if s["kind"] == "policy_practice_gap")
    assert set(gap_json["evidence"]) == {
        "claimed_status_level",
        "percent_positive",
        "n",
        "threshold_percent",
        "gap_points",
        "lower_95_percent",
        "upper_95_percent",
        "p_value",
        "p_adjusted",
        "policy_version",
    }
    assert gap_json["evidence"]["claimed_status_level"] == 3
