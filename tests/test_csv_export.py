"""CSV exports stay data: formula-looking text guarded; `policies export x.csv` writes a
real csv (read back unchanged) or refuses a suffix it cannot honour."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from culturescope.cli import main
from culturescope.csvsafe import guard, unguard, write_csv
from culturescope.policies import (
    PolicyDraft,
    add_policy,
    import_policy_file,
    policies,
    read_policy_file,
    write_policy_file,
)

ORG = "Acme"
PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_guard_prefixes_formula_starts(payload):
    assert guard(payload) == "'" + payload
    assert unguard(guard(payload)) == payload


def test_guard_leaves_plain_text_and_numbers():
    for value in ("Team A", "it's fine", "", "'quoted", 3, -2.5, None):
        assert guard(value) == value
    assert unguard("'quoted") == "'quoted"


def test_write_csv_is_guarded_and_opens_as_text(tmp_path):
    out = write_csv(tmp_path / "x.csv", ["Name", "=Header"], [[p, -1] for p in PAYLOADS])
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Name", "'=Header"]
    for row in rows[1:]:
        assert row[0].startswith("'") and row[1] == "-1"  # numbers stay numbers
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


@pytest.fixture
def register(store, flagship):
    camp = store.create_campaign("2026", flagship, organisation=ORG)
    add_policy(
        store,
        ORG,
        PolicyDraft(
            "=Formula-looking title",
            "@ launch, +review, -no shortcuts",
            owner="+Ops",
            adopted_on=dt.date(2025, 5, 1),
            status="audited",
            evidence="-AUD-7",
            review_on=dt.date(2026, 5, 1),
            practice_areas=("independent_audit", "stop_work"),
        ),
    )
    return camp


def test_policies_csv_export_is_csv_and_imports_back(store, register, flagship, tmp_path):
    out = write_policy_file(tmp_path / "reg.csv", policies(store, ORG), flagship)
    raw = out.read_bytes()
    assert not raw.startswith(b"PK")  # not an Excel file under a .csv name
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Title,Statement,Owner")
    assert "'=Formula-looking title" in text and "'+Ops" in text
    rows = read_policy_file(out, flagship)
    assert [r.draft for r in rows] == [policies(store, ORG)[0].current.draft()]
    assert import_policy_file(store, register.name, out).unchanged == ("=Formula-looking title",)


@pytest.mark.parametrize("name", ["reg.xls", "reg.ods", "reg.txt", "reg"])
def test_policies_export_refuses_other_suffixes(store, register, flagship, tmp_path, name):
    from culturescope.policies.spreadsheet import PolicyExportError

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PolicyExportError, match="written as .xlsx .* or .csv"):
        write_policy_file(out / name, policies(store, ORG), flagship)
    assert list(out.iterdir()) == []


def test_cli_policies_export_csv(store, register, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CULTURESCOPE_DB", store.url)
    assert main(["policies", "export", str(tmp_path / "o.csv"), "--campaign", "2026"]) == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8-sig").startswith("Title,")
    assert main(["policies", "export", str(tmp_path / "o.pdf"), "--campaign", "2026"]) == 1
    err = capsys.readouterr().err
    assert "o.pdf" in err and "nothing was written" in err and "Traceback" not in err
