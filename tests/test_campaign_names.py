"""A campaign name as a person types it: "q3 Survey" finds "Q3 survey"; never a guess."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from culturescope.cli import main
from culturescope.instruments import get_instrument
from culturescope.storage import Store, StoreError, UnknownCampaign
from culturescope.storage.campaign_names import campaign_name_key, matching_names
from importing_files import ms_forms_rows, write_xlsx


def test_name_key_and_matching():
    assert campaign_name_key("  Q3   Survey ") == "q3 survey"
    assert matching_names("q3 Survey", ["Q3 survey", "Q4"]) == ["Q3 survey"]
    assert matching_names("Q3 survey", ["Q3 survey", "q3 survey"]) == ["Q3 survey"]  # exact
    assert matching_names("Q3 SURVEY", ["Q3 survey", "q3 survey"]) == ["Q3 survey", "q3 survey"]
    assert matching_names("Q3", ["Q3 survey"]) == []


def test_typed_name_finds_the_campaign_ignoring_case_and_spaces(sqlite_store, flagship):
    made = sqlite_store.create_campaign("Q3 survey", flagship)
    assert sqlite_store.campaign("q3  SURVEY ").id == made.id
    with pytest.raises(UnknownCampaign, match=r"no campaign 'Q3' \(campaigns: Q3 survey\)"):
        sqlite_store.campaign("Q3")


def test_a_case_variant_of_a_name_cannot_be_made(sqlite_store, flagship):
    sqlite_store.create_campaign("Q3 survey", flagship)
    other = sqlite_store.create_campaign("Q4 survey", flagship)
    with pytest.raises(StoreError, match="a campaign named 'Q3 survey' already exists .names"):
        sqlite_store.create_campaign("q3 Survey", flagship)
    with pytest.raises(StoreError, match="a campaign named 'Q3 survey' already exists$"):
        sqlite_store.create_campaign("Q3 survey", flagship)
    with pytest.raises(StoreError, match="'Q3 survey' already exists"):
        sqlite_store.update_campaign(other.id, name="Q3  SURVEY")
    # A campaign may change the case of its own name.
    assert sqlite_store.update_campaign("q3 survey", name="Q3 Survey").name == "Q3 Survey"
    assert [c.name for c in sqlite_store.campaigns()] == ["Q3 Survey", "Q4 survey"]


def test_two_stored_case_variants_ask_for_the_exact_name(sqlite_store, flagship):
    """A database made before the rule may hold both; a typed name never picks one."""
    sqlite_store.create_campaign("Q3 survey", flagship)
    second = sqlite_store.create_campaign("Q3 2nd", flagship)
    with sqlite_store.session() as s:
        s.execute(text("UPDATE campaigns SET name = 'q3 Survey' WHERE id = :i"), {"i": second.id})
    with pytest.raises(UnknownCampaign, match="'Q3 SURVEY' could be any of 'Q3 survey', 'q3 Su"):
        sqlite_store.campaign("Q3 SURVEY")
    assert sqlite_store.campaign("q3 Survey").id == second.id  # the exact name


def test_cli_import_and_score_take_the_name_in_any_case(tmp_path, monkeypatch, capsys, new_db):
    monkeypatch.setenv("CULTURESCOPE_DB", new_db("cli.db"))  # migrated copy
    assert main(["-q", "campaign", "create", "Q3 survey", "--instrument", "ai-safety-culture"]) == 0
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(6))
    path = write_xlsx(tmp_path / "forms.xlsx", header, data)
    capsys.readouterr()

    assert main(["-q", "import", str(path), "--campaign", "q3 Survey"]) == 0
    out, _ = capsys.readouterr()
    assert "into 'Q3 survey' as import 1" in out  # the stored name, as listed

    # score reads SQLite without the full store: the same rule there.
    assert main(["-q", "score", "--campaign", "Q3  SURVEY", "--no-cache"]) == 0
    out, _ = capsys.readouterr()
    assert "Q3 survey" in out

    code = main(["-q", "campaign", "create", "q3 Survey", "--instrument", "ai-safety-culture"])
    _, err = capsys.readouterr()
    assert code != 0
    assert "a campaign named 'Q3 survey' already exists" in err
    assert len(err.strip().splitlines()) == 1
    store = Store(str(tmp_path / "cli.db"))
    try:
        assert [(c.name, c.response_count) for c in store.campaigns()] == [("Q3 survey", 6)]
    finally:
        store.close()
