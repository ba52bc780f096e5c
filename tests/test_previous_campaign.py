"""Which campaign may be another's previous campaign (the trend's baseline): never itself,
one that follows it, a later one, or one whose instrument shares no item; another
instrument with shared items or another organisation is allowed with a warning
(storage/previous.py, README "Undo and tidy")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.instruments import get_instrument
from culturescope.storage import StoreError


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, monkeypatch, demo_db_template):
    """The demo (2025 Q4, 2026 Q4 whose previous is 2025 Q4, the 2026 leaders' campaign)."""
    path = copy_db(demo_db_template(60), tmp_path / "demo.db")
    monkeypatch.setenv("CULTURESCOPE_DB", str(path))
    return path


def _previous(capsys, name):
    listed = json.loads(run(capsys, "campaign", "list", "--json")[1])
    return next(c["previous"] for c in listed if c["name"] == name)


def test_a_later_campaign_that_follows_is_refused_as_previous(capsys, demo):
    code, _, err = run(capsys, "campaign", "set", "Demo 2025 Q4", "--previous", "Demo 2026 Q4")
    assert code == 1
    assert err.strip().endswith(
        "'Demo 2026 Q4' cannot be the previous campaign of 'Demo 2025 Q4': 'Demo 2026 Q4' "
        "already follows 'Demo 2025 Q4', so each trend would run backwards; nothing was changed"
    )
    assert _previous(capsys, "Demo 2025 Q4") is None
    # By id too (the demo's 2026 Q4 is campaign 2).
    code, _, err = run(capsys, "campaign", "set", "Demo 2025 Q4", "--previous", "2")
    assert code == 1 and "already follows" in err


def test_a_cycle_through_another_campaign_is_refused(capsys, demo):
    run(capsys, "campaign", "create", "2027 Q4", "--instrument", "ai-safety-culture",
        "--organisation", "Northwind AI (demo)", "--previous", "Demo 2026 Q4")  # fmt: skip
    code, _, err = run(capsys, "campaign", "set", "Demo 2025 Q4", "--previous", "2027 Q4")
    assert code == 1
    assert "'2027 Q4' already follows 'Demo 2025 Q4' (through 'Demo 2026 Q4')" in err


def test_a_campaign_that_started_later_is_refused(capsys, demo):
    code, _, err = run(
        capsys, "campaign", "create", "2024 Q4", "--instrument", "ai-safety-culture",
        "--organisation", "Northwind AI (demo)", "--opens", "2024-10-01",
        "--previous", "demo 2025 q4",
    )  # fmt: skip
    assert code == 1
    assert err.strip().endswith(
        "'Demo 2025 Q4' is later than '2024 Q4' (it started 2025-10-06, '2024 Q4' "
        "2024-10-01): the previous campaign must be an earlier one; nothing was created"
    )
    names = [c["name"] for c in json.loads(run(capsys, "campaign", "list", "--json")[1])]
    assert "2024 Q4" not in names


def test_another_instrument_without_shared_items_is_refused(capsys, demo):
    code, _, err = run(
        capsys, "campaign", "set", "Demo 2026 Q4",
        "--previous", "Demo 2026 Q4 leadership self-assessment",
    )  # fmt: skip
    assert code == 1
    assert (
        "'Demo 2026 Q4 leadership self-assessment' uses another instrument "
        "(leadership-self-assessment@1.1, 'Demo 2026 Q4' uses ai-safety-culture@1.1): no "
        "items to compare; nothing was changed"
    ) in err
    assert _previous(capsys, "Demo 2026 Q4") == "Demo 2025 Q4"


def test_another_organisation_is_allowed_with_a_warning(capsys, demo):
    code, _, err = run(
        capsys, "campaign", "create", "Acme 2026", "--instrument", "ai-safety-culture",
        "--organisation", "Acme", "--opens", "2026-11-02", "--previous", "Demo 2025 Q4",
    )  # fmt: skip
    assert code == 0, err
    assert (
        "warning: 'Demo 2025 Q4' belongs to another organisation (Northwind AI (demo); "
        "'Acme 2026': Acme): the trend compares two organisations"
    ) in err
    assert _previous(capsys, "Acme 2026") == "Demo 2025 Q4"


def test_store_refuses_what_the_rule_refuses(sqlite_store):
    flagship = get_instrument("ai-safety-culture")
    pulse = get_instrument("psychological-safety-pulse")
    a = sqlite_store.create_campaign("A", flagship, opens_on=dt.date(2025, 3, 1))
    b = sqlite_store.create_campaign("B", flagship, opens_on=dt.date(2026, 3, 1), previous=a.id)
    with pytest.raises(StoreError, match="cannot be its own previous campaign"):
        sqlite_store.update_campaign(a.id, previous_campaign_id=a.id)
    with pytest.raises(StoreError, match="'B' already follows 'A'"):
        sqlite_store.update_campaign(a.id, previous_campaign_id=b.id)
    with pytest.raises(StoreError, match="no items to compare"):
        sqlite_store.create_campaign("P", pulse, previous=a.id)
    # Unknown dates on one side: only the other rules apply.
    c = sqlite_store.create_campaign("C", flagship)
    assert sqlite_store.previous_check(c.id, campaign=b.id).allowed
    # A change of the opening date not saved yet is judged as given.
    check = sqlite_store.previous_check(b.id, campaign=c.id, opens_on=dt.date(2026, 1, 1))
    assert "is later than 'C'" in (check.refusal or "")
    # Another version of the same instrument: no warning (the trend notes differing items).
    assert sqlite_store.previous_check(a.id, campaign=c.id).warnings == ()


def test_another_instrument_sharing_items_is_allowed_with_a_warning():
    import dataclasses

    from culturescope.storage.previous import Side, check_previous

    flagship = get_instrument("ai-safety-culture")
    own = dataclasses.replace(flagship, id="our-survey", version="2.0")
    n = len(flagship.items)
    now = Side(2, "2026", "Org", flagship, dt.date(2026, 10, 1))
    before = Side(1, "2025 own", "Org", own, dt.date(2025, 10, 1))
    check = check_previous(now, before, previous_of={1: None, 2: None}, names={})
    assert check.allowed
    assert check.warnings == (
        f"'2025 own' uses another instrument (our-survey@2.0): only the {n} of {n} items "
        "both ask in the same way are compared",
    )
