"""Instrument files: the shipped ones are complete; bad files name file, key and problem."""

from __future__ import annotations

import textwrap

import pytest

from culturescope.instruments import (
    InstrumentError,
    UnknownInstrument,
    available_instruments,
    get_instrument,
    load_instrument,
    parse_instrument,
)

PILLARS = {"leadership_accountability", "safety_integration", "psychological_safety"}
AREAS = {
    "incident_reporting",
    "predeployment_review",
    "risk_indicators",
    "stop_work",
    "speaking_up",
    "safety_resourcing",
    "learning_from_incidents",
    "independent_audit",
}


def test_three_instruments_ship():
    ids = {i.id for i in available_instruments()}
    assert ids == {"ai-safety-culture", "psychological-safety-pulse", "leadership-self-assessment"}


def test_flagship_has_the_three_pillars_with_a_third_reverse_keyed(flagship):
    assert {d.id for d in flagship.pillars} == PILLARS
    for pillar in PILLARS:
        items = flagship.items_of(pillar)
        assert 6 <= len(items) <= 10
        share = sum(i.reverse for i in items) / len(items)
        assert 0.25 <= share <= 0.45, pillar
    scale = flagship.scales["agree5"]
    assert scale.points == 5 and scale.na_code == 0
    assert scale.positive == (4, 5) and scale.negative == (1, 2) and scale.neutral == (3,)


def test_flagship_tags_practice_items_with_every_area(flagship):
    assert {a.id for a in flagship.practice_areas} == AREAS
    practice = [i for i in flagship.items if i.kind == "practice"]
    assert {a for i in practice for a in i.practice_areas} == AREAS
    assert {d.id for d in flagship.demographics} == {"team", "role", "site", "tenure"}
    assert len(flagship.comments) == 2
    role = flagship.role_demographic()
    assert role is not None and set(role.role_levels.values()) == {
        "front_line",
        "manager",
        "senior_leader",
    }


def test_pulse_and_self_assessment():
    pulse = get_instrument("psychological-safety-pulse")
    assert len(pulse.items) == 7
    leaders = get_instrument("leadership-self-assessment")
    assert leaders.respondent_kind == "leaders"
    flagship_areas = {a.id for a in get_instrument("ai-safety-culture").practice_areas}
    assert {a for i in leaders.items for a in i.practice_areas} == flagship_areas


def test_bands_are_applied_highest_first(flagship):
    assert flagship.band_for(80).id == "strength"
    assert flagship.band_for(75).id == "strength"
    assert flagship.band_for(60).id == "moderate"
    assert flagship.band_for(50).id == "improve"
    assert flagship.band_for(None) is None


def test_get_by_version_and_unknown():
    assert get_instrument("ai-safety-culture@1.0").version == "1.0"
    with pytest.raises(UnknownInstrument, match="no instrument 'nope'"):
        get_instrument("nope")


MINIMAL = """
id: tiny
version: 1
title: Tiny
scales:
  s: {points: 5, labels: [a, b, c, d, e]}
dimensions: [{id: d1, title: D1}]
items:
  - {id: Q1, text: One, dimension: d1}
"""


def test_minimal_instrument_loads():
    inst = parse_instrument(MINIMAL)
    assert inst.key == "tiny@1"
    assert inst.items[0].scale == "s"


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (("dimension: d1}", "dimension: nope}"), "items.Q1.dimension", "'nope' is not a dimension"),
        (("labels: [a, b, c, d, e]", "labels: [a, b]"), "scales.s.labels", "has 2 labels"),
        (("title: Tiny\n", ""), "title", "is required"),
        (("id: Q1,", "id: 1Q,"), "items[0].id", "not a valid id"),
        (("points: 5", "points: five"), "scales.s.points", "must be a whole number"),
    ],
)
def test_errors_name_file_key_and_problem(tmp_path, change, key, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace(*change), encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    message = str(info.value)
    assert str(path) in message
    assert key in message
    assert problem in message


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nitems: [\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"broken.yaml: line \d+: is not valid YAML"):
        load_instrument(path)


def test_a_text_is_parsed_once_and_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    first = load_instrument(path)
    assert load_instrument(path) is first is parse_instrument(MINIMAL)  # parsed once
    path.write_text(MINIMAL.replace("title: Tiny", "title: Tiny, edited"), encoding="utf-8")
    assert load_instrument(path).title == "Tiny, edited"
    assert first.title == "Tiny"  # the object already handed out is unchanged
    # An invalid text is never kept: each source is named in its own error.
    bad = MINIMAL.replace("points: 5", "points: five")
    for source in ("a.yaml", "b.yaml"):
        with pytest.raises(InstrumentError, match=f"^{source}: scales.s.points"):
            parse_instrument(bad, source=source)


def test_duplicate_item_ids_are_refused():
    text = MINIMAL + "  - {id: Q1, text: Again, dimension: d1}\n"
    with pytest.raises(InstrumentError, match="id 'Q1' is used twice"):
        parse_instrument(text)


def test_demographic_options_need_prefer_not_to_say():
    text = MINIMAL + textwrap.dedent("""
        demographics:
          - {id: role, label: Role, options: [Staff, Manager]}
        """)
    with pytest.raises(InstrumentError, match="Prefer not to say"):
        parse_instrument(text)


def test_shipped_files_are_found_through_the_package():
    from culturescope.paths import resources_dir, surveys_dir

    assert (surveys_dir() / "ai-safety-culture-1.0.yaml").is_file()
    assert resources_dir().is_dir()


def test_dimension_kinds_scales_and_the_main_scale(flagship):
    assert flagship.main_scale.id == "agree5"  # the pillars' agreement scale
    assert flagship.dimension_kind("leadership_accountability") == "attitude"
    assert flagship.dimension_kind("safety_practice") == "practice"
    assert flagship.dimension_kind("procedure_awareness") == "awareness"
    assert flagship.dimension_kind("reporting_activity") == "behaviour"
    assert flagship.dimension_scale("reporting_activity").id == "frequency4"
    assert flagship.dimension_scale("psychological_safety").id == "agree5"
