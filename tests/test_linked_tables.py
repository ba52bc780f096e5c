"""Linked tables: the attacks that combined several outputs, and randomised campaigns, each
checked by an independent rank audit of everything the score results show."""

from __future__ import annotations

import numpy as np
import pytest

from culturescope.instruments import parse_instrument
from culturescope.scoring import ScoringError, score_campaign
from culturescope.scoring.confidentiality import (
    PROTECTED,
    ConfidentialityError,
    audit_linked_tables,
    breakdown_labels,
)
from linked_audit import leaks, offered_breakdowns
from test_scoring import make_data

LINKED = """
id: linked
version: "1"
title: Linked tables test instrument
description: Two dimensions, three demographics.
languages: [en]
scales:
  agree5:
    points: 5
    labels: [SD, D, N, A, SA]
    not_applicable: {code: 0, label: N/A}
dimensions:
  - {id: trust, title: Trust, pillar: true}
  - {id: reporting, title: Reporting}
items:
  - {id: T1, dimension: trust, scale: agree5, text: "One"}
  - {id: T2, dimension: trust, scale: agree5, text: "Two"}
  - {id: T3, dimension: trust, scale: agree5, text: "Three"}
  - {id: T4, dimension: trust, scale: agree5, text: "Four"}
  - {id: R1, dimension: reporting, scale: agree5, text: "Five"}
  - {id: R2, dimension: reporting, scale: agree5, text: "Six"}
demographics:
  - {id: team, label: Team}
  - id: role
    label: Role
    options:
      - {id: front_line, label: Front line}
      - {id: senior_leader, label: Senior leader}
      - {id: prefer_not_to_say, label: Prefer not to say}
  - {id: site, label: Site}
bands:
  - {id: strength, label: Strength, at_least: 75}
  - {id: moderate, label: Moderate, above: 50}
  - {id: improve, label: Improve, at_least: 0}
"""


@pytest.fixture(scope="module")
def linked():
    return parse_instrument(LINKED)


def campaign(inst, people, seed=0, answers=None):
    """``people``: list of (team, role, site); answers random unless given."""
    rng = np.random.default_rng(seed)
    rows = answers if answers is not None else rng.integers(1, 6, (len(people), 6)).tolist()
    demographics = [{"team": t, "role": r, "site": s} for t, r, s in people]
    return make_data(inst, rows, demographics)


def group(result, **by):
    return next(g for g in result.groups if g.by == by)


def test_attack_across_breakdowns_site_minus_team(linked):
    # Tiny (3) is hidden; North = Tiny + Bravo and Bravo are both shown by the old
    # one-breakdown-at-a-time rule, so North − Bravo was Tiny to the last decimal.
    people = (
        [("Tiny", "front_line", "North")] * 3
        + [("Alpha", "front_line", "South")] * 5
        + [("Bravo", "front_line", "North")] * 6
        + [("Charlie", "front_line", "South")] * 7
    )
    data = campaign(linked, people)
    by_team = score_campaign(data, by=["team"])
    by_site = score_campaign(data, by=["site"])
    tiny, bravo, north = group(by_team, team="Tiny"), group(by_team, team="Bravo"), None
    north = group(by_site, site="North")
    assert tiny.hidden
    # The subtraction needs both; at least one is now hidden, at every layer.
    for d in ("trust", "reporting"):
        n_dim = north.dimension(d) if not north.hidden else None
        b_dim = bravo.dimension(d) if not bravo.hidden else None
        assert n_dim is None or b_dim is None or n_dim.mean is None or b_dim.mean is None
    assert leaks(data) == []


def test_attack_chained_subtraction_of_one_senior_leader(linked):
    # Front-line total − Bravo×front-line − Charlie×front-line = Alpha×front-line, and
    # Alpha − Alpha×front-line = the one senior leader of Alpha.
    people = (
        [("Alpha", "senior_leader", "North")]
        + [("Alpha", "front_line", "North")] * 5
        + [("Bravo", "front_line", "South")] * 6
        + [("Charlie", "front_line", "South")] * 7
    )
    data = campaign(linked, people, seed=3)
    results = {by: score_campaign(data, by=list(by)) for by in offered_breakdowns(linked)}
    shown = {
        (tuple(g.by.items())): g.dimension("trust").mean
        for r in results.values()
        for g in r.groups
        if not g.hidden and g.dimension("trust").mean is not None
    }
    chain = [
        (("role", "front_line"),),
        (("team", "Bravo"), ("role", "front_line")),
        (("team", "Charlie"), ("role", "front_line")),
        (("team", "Alpha"),),
    ]
    assert not all(link in shown for link in chain)
    assert leaks(data) == []


def test_attack_not_applicable_defeats_the_remainder_rule(linked):
    # Tiny (3) is hidden, and Xray (5) is hidden to protect it: 8 hidden responses. But
    # Xray all answered N/A on reporting, so on that dimension the hidden remainder holds
    # Tiny alone: total − the shown teams was Tiny's reporting mean.
    people = (
        [("Tiny", "front_line", "North")] * 3
        + [("Xray", "front_line", "North")] * 5
        + [("Bravo", "front_line", "North")] * 6
        + [("Charlie", "front_line", "North")] * 7
        + [("Delta", "front_line", "North")] * 8
    )
    rng = np.random.default_rng(5)
    rows = rng.integers(1, 6, (len(people), 6)).astype(float)
    rows[3:8, 4:6] = 0  # Xray: N/A on both reporting items
    rows[0:3, 4:6] = 1  # Tiny: all "strongly disagree" on reporting
    data = campaign(linked, people, answers=rows.tolist())
    by_team = score_campaign(data, by=["team"])
    overall = by_team.dimension("reporting")
    shown = [
        g for g in by_team.groups if not g.hidden and g.dimension("reporting").mean is not None
    ]
    if overall.mean is not None:
        scored_hidden = overall.n - sum(g.dimension("reporting").n for g in shown)
        assert scored_hidden == 0 or scored_hidden >= 5
    assert leaks(data) == []


def test_hidden_item_cannot_be_subtracted_from_its_dimension(linked):
    # One person answers T4 (everyone else N/A): T4 is hidden, and the dimension's percent
    # positive must not include it — 4 × dimension − the three shown items would be it.
    rng = np.random.default_rng(11)
    rows = rng.integers(1, 6, (12, 6)).astype(float)
    rows[:, 3] = 0
    rows[0, 3] = 5
    people = [("Alpha", "front_line", "North")] * 12
    result = score_campaign(campaign(linked, people, answers=rows.tolist()))
    items = {i.id: i for i in result.items if i.dimension == "trust"}
    assert items["T4"].percent_positive is None and items["T4"].hidden_reason
    shown = [items[k].percent_positive for k in ("T1", "T2", "T3")]
    dim = result.dimension("trust").percent_positive
    assert dim == pytest.approx(sum(shown) / 3)
    recovered = 4 * dim - sum(shown)
    assert recovered != pytest.approx(100.0)


def test_breakdowns_outside_the_family_are_refused(linked):
    data = campaign(linked, [("A", "front_line", "N")] * 12)
    with pytest.raises(ScoringError, match="not offered"):
        score_campaign(data, by=["team", "role", "site"])


def test_audit_is_cached_and_deterministic(linked):
    people = [("A", "front_line", "N")] * 7 + [("B", "front_line", "S")] * 3
    data = campaign(linked, people)
    labels = breakdown_labels(data.demographics, ["team", "role", "site"])
    first = audit_linked_tables(labels, min_group_size=5)
    assert audit_linked_tables(labels, min_group_size=5) is first
    assert first.visibility((("team", "B"),)).hidden
    with pytest.raises(ConfidentialityError):
        first.check_breakdown(["team", "role", "site"])


def test_secondary_suppression_prefers_the_smallest_figure():
    import pandas as pd

    teams = ["Tiny"] * 3 + ["Alpha"] * 5 + ["Bravo"] * 6 + ["Charlie"] * 7
    sites = ["North"] * 3 + ["South"] * 5 + ["North"] * 6 + ["South"] * 7
    audit = audit_linked_tables(pd.DataFrame({"team": teams, "site": sites}), min_group_size=5)
    hidden = {key for (layer, key) in audit.hidden if layer == "responses"}
    # Bravo (6) is the smallest figure that closes North − Bravo; Alpha (5) stays shown.
    assert (("team", "Bravo"),) in hidden
    assert (("team", "Alpha"),) not in hidden
    assert audit.hidden[("responses", (("team", "Bravo"),))] == PROTECTED


def random_campaign(inst, seed):
    """A random campaign (teams, roles, sites, unstated values, N/A, blanks) and its
    minimum; also measured by benchmarks/bench_audit.py."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 60))
    teams = [f"T{i}" for i in range(int(rng.integers(2, 6)))]
    sites = [f"S{i}" for i in range(int(rng.integers(1, 4)))]
    roles = ["front_line", "senior_leader", "prefer_not_to_say"]
    people = [
        (
            str(rng.choice(teams + [None], p=None)),
            str(rng.choice(roles, p=[0.7, 0.2, 0.1])),
            str(rng.choice(sites)),
        )
        for _ in range(n)
    ]
    people = [(None if t == "None" else t, r, s) for t, r, s in people]
    answers = rng.integers(1, 6, (n, 6)).astype(float)
    answers[rng.random((n, 6)) < rng.uniform(0, 0.4)] = 0  # random N/A
    answers[rng.random((n, 6)) < 0.05] = np.nan
    minimum = int(rng.choice([3, 5]))
    return campaign(inst, people, answers=answers.tolist()), minimum


@pytest.mark.parametrize("seed", range(12))
def test_random_campaigns_leak_nothing(linked, seed):
    data, minimum = random_campaign(linked, seed)
    assert leaks(data, minimum) == []


def test_trend_leaves_out_an_item_hidden_in_either_campaign(linked):
    from culturescope.scoring import trend

    rng = np.random.default_rng(2)
    people = [("Alpha", "front_line", "North")] * 12
    now = rng.integers(1, 6, (12, 6)).astype(float)
    now[:, 3] = 0
    now[0, 3] = 5  # T4: one answer, hidden
    before = rng.integers(1, 6, (12, 6)).astype(float)
    result = trend(
        campaign(linked, people, answers=now.tolist()),
        campaign(linked, people, answers=before.tolist()),
        min_group_size=5,
    )
    row = result.dimension("trust")
    assert row.items == ("T1", "T2", "T3") and "T4" in row.left_out
    assert any("fewer than 5 people answered" in n for n in result.notes)


def _sheet_labels(result, data, tmp_path):
    from types import SimpleNamespace

    import openpyxl

    from culturescope.reports.excel import _Book, _responses

    path = tmp_path / "sheet.xlsx"
    book = _Book(path, result.instrument)
    _responses(book, SimpleNamespace(result=result), data, None)
    book.wb.close()
    ws = openpyxl.load_workbook(path)["Responses"]
    width = len(result.by)
    return [tuple(c.value for c in row[:width]) for row in ws.iter_rows(min_row=2)]


def test_anonymised_sheet_labels_only_shown_groups(linked, tmp_path):
    # The senior leader of Alpha: never a row labelled Alpha × senior leader, and the
    # unlabelled rows are never fewer than the minimum.
    people = (
        [("Alpha", "senior_leader", "North")]
        + [("Alpha", "front_line", "North")] * 5
        + [("Bravo", "front_line", "South")] * 6
        + [("Charlie", "front_line", "South")] * 7
    )
    data = campaign(linked, people, seed=3)
    for by in offered_breakdowns(linked)[1:]:
        result = score_campaign(data, by=list(by))
        rows = _sheet_labels(result, data, tmp_path)
        shown = {tuple(g.by.values()) for g in result.visible_groups}
        labelled = [r for r in rows if "(not shown)" not in r]
        assert all(r in shown for r in labelled)
        assert ("Alpha", "senior_leader") not in labelled
        rest = len(rows) - len(labelled)
        assert rest == 0 or rest >= 5
        assert all(sum(1 for x in rows if x == r) >= 5 for r in labelled)


def test_a_large_minimum_does_not_hide_the_whole_campaign(linked):
    # 80 people in many small cells with a minimum of 17: too many halves for the
    # meet-in-the-middle search, so the exact search over the basis decides — and the
    # whole campaign's figure (80 people) is not a leak.
    rng = np.random.default_rng(4)
    people = [
        (
            f"T{rng.integers(0, 6)}",
            str(rng.choice(["front_line", "senior_leader"])),
            f"S{rng.integers(0, 4)}",
        )
        for _ in range(80)
    ]
    result = score_campaign(campaign(linked, people, seed=4), min_group_size=17)
    assert result.dimension("trust").mean is not None


def test_groups_are_hidden_rather_than_the_whole_campaign(linked):
    # Tiny's three people did not state their role or site, so the whole campaign is the
    # only shown figure that holds them: campaign − Bravo − Charlie = Tiny. Bravo and
    # Charlie can each be rebuilt from their role cells, so the whole campaign was the one
    # figure every derivation needs — and it used to be hidden. Hiding groups instead
    # keeps the headline figures.
    people = (
        [("Tiny", "prefer_not_to_say", None)] * 3
        + [("Bravo", "front_line", None)] * 5
        + [("Bravo", "senior_leader", None)] * 5
        + [("Charlie", "front_line", None)] * 5
        + [("Charlie", "senior_leader", None)] * 5
    )
    data = campaign(linked, people, seed=8)
    result = score_campaign(data, min_group_size=5)
    assert all(d.mean is not None for d in result.dimensions)
    audit = audit_linked_tables(
        breakdown_labels(data.demographics, ["team", "role", "site"]), min_group_size=5
    )
    assert not any(key == () for (_, key) in audit.hidden)
    assert audit.hidden[("responses", (("team", "Bravo"),))] == PROTECTED
    assert leaks(data, 5) == []
