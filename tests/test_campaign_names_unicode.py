"""One name in two Unicode forms is one campaign: "Café" typed (é, NFC) and pasted from a
macOS file name (e + combining accent, NFD) (storage/campaign_names.py)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from sqlalchemy import text

from culturescope.cli import main
from culturescope.instruments import get_instrument
from culturescope.storage import StoreError
from culturescope.storage.campaign_names import campaign_name_key, matching_names
from importing_files import ms_forms_rows, write_xlsx

NFC = "Caf\u00e9 2026"
NFD = "Cafe\u0301 2026"


def test_the_two_forms_share_one_key():
    assert NFC != NFD and unicodedata.normalize("NFC", NFD) == NFC
    assert campaign_name_key(NFD) == campaign_name_key(NFC) == "caf\u00e9 2026"
    assert campaign_name_key("CAFE\u0301 2026") == campaign_name_key(NFC)
    assert matching_names(NFD, [NFC, "Other"]) == [NFC]


def test_a_name_is_stored_in_nfc_and_its_other_form_is_refused(sqlite_store, flagship):
    made = sqlite_store.create_campaign(NFD, flagship)
    assert made.name == NFC
    assert sqlite_store.campaign(NFD).id == made.id
    with pytest.raises(StoreError, match=f"a campaign named '{NFC}' already exists"):
        sqlite_store.create_campaign(NFC, flagship)
    other = sqlite_store.create_campaign("Other", flagship)
    assert sqlite_store.update_campaign(other.id, name="The\u0301").name == "Th\u00e9"


def test_a_database_holding_a_decomposed_name_still_finds_it(sqlite_store, flagship):
    """Made by an earlier version, which stored the name as pasted."""
    made = sqlite_store.create_campaign("Old", flagship)
    with sqlite_store.session() as s:
        s.execute(text("UPDATE campaigns SET name = :n WHERE id = :i"), {"n": NFD, "i": made.id})
    assert sqlite_store.campaign(NFC).id == made.id


def test_cli_takes_either_form(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "cli.db"))
    assert main(["-q", "campaign", "create", NFC, "--instrument", "ai-safety-culture"]) == 0
    assert main(["campaign", "create", NFD, "--instrument", "ai-safety-culture"]) == 1
    assert "already exists" in capsys.readouterr().err
    header, data, _ = ms_forms_rows(get_instrument("ai-safety-culture"), range(6))
    path = write_xlsx(tmp_path / "Caf\u00e9 survey.xlsx", header, data)
    assert main(["import", str(path), "--campaign", NFD]) == 0
    capsys.readouterr()
    assert main(["score", "--campaign", NFD, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["responses"] == 6
    assert main(["campaign", "list", "--json"]) == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)] == [NFC]
