"""Exports of other survey tools import with no mapping, with the same scores and groups
as CultureScope's own layout; demographic questions are recognised from their wording."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from culturescope.importing import import_file, plan_import, read_table
from culturescope.instruments import get_instrument
from importing_files import (
    ms_forms_worded_rows,
    native_rows,
    write_xlsx,
)


def _same_responses(store, a: str, b: str) -> None:
    """Campaigns ``a`` and ``b`` hold the same answers and demographics, row for row."""
    x, y = store.load_responses(a), store.load_responses(b)
    np.testing.assert_array_equal(x.answers.to_numpy(), y.answers.to_numpy())
    cols = sorted(y.demographics.columns)
    pd.testing.assert_frame_equal(
        x.demographics[cols].reset_index(drop=True), y.demographics[cols].reset_index(drop=True)
    )


def test_ms_forms_question_worded_demographics_need_no_mapping(store, flagship, tmp_path):
    header, data = ms_forms_worded_rows(flagship, range(20))
    forms = write_xlsx(tmp_path / "Safety culture survey(1-20).xlsx", header, data)
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(20)))
    store.create_campaign("Forms", flagship)
    store.create_campaign("Native", flagship)

    report = import_file(store, "Forms", forms)
    import_file(store, "Native", native)

    kinds = {c.header: (c.kind, c.target, c.how) for c in report.plan.columns}
    assert kinds["Which team do you work in?"] == ("demographic", "team", "question wording")
    assert kinds["What is your role level?"][:2] == ("demographic", "role")
    assert kinds["Where is your office location?"][:2] == ("demographic", "site")
    assert kinds["How long have you worked here?"][:2] == ("demographic", "tenure")
    assert kinds["Email"][0] == kinds["Name"][0] == "identifying"
    summary = next(n for n in report.plan.notices if n.startswith("demographics:"))
    assert "Which team do you work in? (" in summary and "-> Team" in summary
    assert "What is your role level? (" in summary and "-> Role level" in summary
    assert report.rows_added == 20
    _same_responses(store, "Forms", "Native")
    groups = store.load_responses("Forms").demographics
    assert sorted(groups["team"].unique()) == ["Blue", "Green", "Red"]
    assert set(groups["role"]) == {"front_line", "manager", "senior_leader", "prefer_not_to_say"}


@pytest.mark.parametrize(
    ("question", "demographic"),
    [
        ("Department", "team"),
        ("Which business unit are you part of?", "team"),
        ("What group or function do you belong to?", "team"),
        ("Job level", "role"),
        ("What is your position?", "role"),
        ("Seniority", "role"),
        ("Are you a manager?", "role"),
        ("What is your role in the team?", "role"),
        ("Location", "site"),
        ("Which country are you based in?", "site"),
        ("Office", "site"),
        ("Tenure", "tenure"),
        ("How long have you worked in this team?", "tenure"),
        ("Length of service", "tenure"),
    ],
)
def test_demographic_synonyms(flagship, tmp_path, question, demographic):
    items = [it.id for it in flagship.items]
    path = write_xlsx(tmp_path / "s.xlsx", [*items, question], [[1] * len(items) + [None]])
    plan = plan_import(read_table(path), flagship)
    match = plan.columns[-1]
    assert (match.kind, match.target) == ("demographic", demographic)


def test_exact_demographic_column_wins_over_a_worded_one(flagship, tmp_path):
    items = [it.id for it in flagship.items]
    header = [*items, "Team", "Which department are you in?"]
    path = write_xlsx(tmp_path / "s.xlsx", header, [[1] * len(items) + ["Red", "Ops"]])
    plan = plan_import(read_table(path), flagship)
    assert (plan.columns[-2].kind, plan.columns[-2].target) == ("demographic", "team")
    assert plan.columns[-1].kind == "unmatched"
    assert any("already is" in p.message for p in plan.warnings)
    assert plan.ok


def test_statements_mentioning_a_team_stay_items(flagship, tmp_path):
    pulse = get_instrument("psychological-safety-pulse")
    header = [it.text_for("en") for it in pulse.items]
    path = write_xlsx(tmp_path / "p.xlsx", header, [[3] * len(header)])
    plan = plan_import(read_table(path), pulse)
    assert all(c.kind == "item" for c in plan.columns)
