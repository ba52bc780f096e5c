"""Value mapping: answers worded differently are mapped by the user, never guessed."""

from __future__ import annotations

import numpy as np
import pytest

from culturescope.importing import (
    ImportFailed,
    import_file,
    load_value_mapping,
    plan_import,
    read_table,
    write_mapping,
)
from culturescope.instruments import get_instrument
from importing_files import write_csv, write_xlsx


@pytest.fixture
def pulse():
    return get_instrument("psychological-safety-pulse")


def _file(tmp_path, flagship, answers, roles, name="f.xlsx"):
    items = [it.id for it in flagship.items]
    agree = [it.id for it in flagship.items if flagship.scale_of(it).id == "agree5"]
    rows = []
    for a, role in zip(answers, roles):
        rows.append([a if i in agree else 2 for i in items] + [role])
    return write_xlsx(tmp_path / name, [*items, "What is your job level?"], rows)


def test_unknown_values_refuse_the_import_and_are_listed_once(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    path = _file(
        tmp_path,
        flagship,
        ["Agree strongly", "Tend to agree", "Agree strongly", "Agree"],
        ["Director", "Director", "Manager", "Team member"],
    )
    with pytest.raises(ImportFailed) as info:
        import_file(sqlite_store, "C", path)
    plan = info.value.plan
    unknown = {(u.key, u.value): u.count for u in plan.unknown_values}
    n_agree = sum(flagship.scale_of(it).id == "agree5" for it in flagship.items)
    assert unknown == {
        ("agree5", "Agree strongly"): 2 * n_agree,
        ("agree5", "Tend to agree"): n_agree,
        ("role", "Director"): 2,
        ("role", "Team member"): 1,
    }
    role = next(u for u in plan.unknown_values if u.key == "role")
    assert [c.value for c in role.choices] == [
        o.id for o in flagship.demographic_by_id["role"].options
    ]
    assert any("Map them under 'values:'" in n for n in plan.notices)
    assert sqlite_store.campaign("C").response_count == 0


def test_mapping_file_maps_values(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    path = _file(
        tmp_path,
        flagship,
        ["Agree strongly", "Tend to agree", "Totally agree", "Agree"],
        ["Director", "Director", "Manager", "Team member"],
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "values:\n"
        "  role:\n"
        "    Director: Senior leader\n"
        "    Team member: front_line\n"
        "  answers:\n"
        "    Agree strongly: Agree\n"
        "    Tend to agree: 4\n"
        "    Totally agree: Strongly agree\n",
        encoding="utf-8",
    )
    report = import_file(sqlite_store, "C", path, mapping=mapping)
    assert report.rows_added == 4
    got = sqlite_store.load_responses("C")
    assert got.demographics["role"].tolist() == [
        "senior_leader",
        "senior_leader",
        "manager",
        "front_line",
    ]
    agree = next(it.id for it in flagship.items if flagship.scale_of(it).id == "agree5")
    assert got.answers[agree].tolist() == [4, 4, 5, 4]


def test_numbers_are_recoded_only_when_the_mapping_says_so(sqlite_store, pulse, tmp_path):
    sqlite_store.create_campaign("C", pulse)
    header = [i.id for i in pulse.items]
    path = write_csv(tmp_path / "seven.csv", header, [[7] * 7, [1] * 7, [6] * 7])
    with pytest.raises(ImportFailed, match="out of range"):
        import_file(sqlite_store, "C", path)
    seven = {str(k): str(v) for k, v in zip(range(1, 8), [1, 1, 2, 3, 4, 5, 5])}
    report = import_file(sqlite_store, "C", path, values={"answers": seven})
    assert report.rows_added == 3
    got = sqlite_store.load_responses("C").answers.to_numpy()
    np.testing.assert_array_equal(got[:, 0], [5, 1, 5])


def test_mapping_to_a_target_that_does_not_exist_is_an_error(flagship, tmp_path):
    path = _file(tmp_path, flagship, ["Agree"], ["Director"])
    plan = plan_import(
        read_table(path),
        flagship,
        values={"role": {"Director": "Boss"}, "answers": {"Meh": "9"}, "colour": {"x": "y"}},
    )
    messages = [p.message for p in plan.errors]
    assert any("'Boss' is not an option of Role level" in m for m in messages)
    assert any("'9' is not an answer of any scale" in m for m in messages)
    assert any("'colour' is not 'answers'" in m for m in messages)


def test_write_mapping_lists_unknown_values_to_fill_in(flagship, tmp_path):
    path = _file(tmp_path, flagship, ["Agree strongly"], ["Director"])
    plan = plan_import(read_table(path), flagship, values={"role": {"Boss": "manager"}})
    out = write_mapping(plan, tmp_path / "m.yaml")
    text = out.read_text(encoding="utf-8")
    assert '"Director": ""' in text and '"Boss": "manager"' in text
    assert load_value_mapping(out) == {"role": {"Boss": "manager"}}  # blanks not mapped
    filled = text.replace('"Director": ""', '"Director": "senior_leader"').replace(
        '"Agree strongly": ""', '"Agree strongly": "Agree"'
    )
    out.write_text(filled, encoding="utf-8")
    assert plan_import(read_table(path), flagship, mapping=out).ok


def test_free_text_demographic_values_can_be_merged(flagship, tmp_path):
    items = [it.id for it in flagship.items]
    path = write_xlsx(
        tmp_path / "t.xlsx",
        [*items, "team"],
        [[2] * len(items) + [t] for t in ("Ops", "Operations")],
    )
    plan = plan_import(read_table(path), flagship, values={"team": {"Ops": "Operations"}})
    assert [d["team"] for d in plan.demographics] == ["Operations", "Operations"]
