"""The policy register: versions, import edge cases, export round trip, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from culturescope.cli import main
from culturescope.policies import (
    PolicyDraft,
    PolicyError,
    PolicyImportError,
    add_policy,
    apply_register,
    import_policy_file,
    policies,
    read_policy_file,
    remove_policy,
    update_policy,
    write_policy_file,
)
from culturescope.policies.spreadsheet import parse_date

ORG = "Acme"
HEADER = "Title,Statement,Owner,Adopted,Status,Evidence,Review date,Practice areas\n"


@pytest.fixture
def campaign(store, flagship):
    return store.create_campaign("2026", flagship, organisation=ORG)


def write_csv(tmp_path, body, name="register.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_versions_keep_softened_and_removed_commitments(store):
    p = add_policy(
        store,
        ORG,
        PolicyDraft("Stop work", "Anyone must stop unsafe work.", status="implemented"),
    )
    assert p.version == 1
    same = update_policy(
        store, p.id, PolicyDraft("Stop work", "Anyone must stop unsafe work.", status="implemented")
    )
    assert same.version == 1  # unchanged content adds no version
    soft = update_policy(
        store, p.id, PolicyDraft("Stop work", "Anyone should raise concerns.", status="approved")
    )
    assert soft.version == 2 and soft.status == "approved"
    gone = remove_policy(store, p.id)
    assert gone.removed and gone.version == 3
    assert [v.statement for v in gone.history][:2] == [
        "Anyone must stop unsafe work.",
        "Anyone should raise concerns.",
    ]
    assert policies(store, ORG) == []
    assert [x.title for x in policies(store, ORG, include_removed=True)] == ["Stop work"]
    with pytest.raises(PolicyError, match="unknown status"):
        PolicyDraft("X", status="enforced")


def test_duplicate_title_refused(store):
    add_policy(store, ORG, PolicyDraft("Audit"))
    with pytest.raises(PolicyError, match="already has a policy titled 'audit'"):
        add_policy(store, ORG, PolicyDraft("audit"))
    with pytest.raises(PolicyError, match="appears twice"):
        apply_register(store, ORG, [PolicyDraft("A"), PolicyDraft("a")])


def test_import_then_reimport_versions_only_changed(store, campaign, tmp_path):
    path = write_csv(
        tmp_path,
        "Incident reporting,All incidents must be reported.,COO,2025-01-10,implemented,"
        "INC-1,2027-01-01,incident_reporting\n"
        "Independent audit,An external auditor reviews us yearly.,CEO,10.02.2025,audited,,"
        '2027-02-01,"Independent audit; learning_from_incidents"\n',
    )
    changes = import_policy_file(store, campaign.name, path)
    assert changes.added == ("Incident reporting", "Independent audit")
    register = policies(store, ORG)
    audit = next(p for p in register if p.title == "Independent audit")
    assert audit.current.practice_areas == ("independent_audit", "learning_from_incidents")
    assert audit.current.adopted_on == dt.date(2025, 2, 10)
    assert audit.current.source == "register.csv row 3"

    path = write_csv(
        tmp_path,
        "Incident reporting,All incidents must be reported.,COO,2025-01-10,implemented,"
        "INC-1,2027-01-01,incident_reporting\n"
        "Independent audit,An external auditor may review us.,CEO,10.02.2025,approved,,"
        '2027-02-01,"Independent audit; learning_from_incidents"\n',
    )
    changes = import_policy_file(store, campaign.name, path)
    assert changes.unchanged == ("Incident reporting",)
    assert changes.updated == ("Independent audit",)
    audit = next(p for p in policies(store, ORG) if p.title == "Independent audit")
    assert audit.version == 2 and audit.history[0].status == "audited"


def test_import_collects_every_problem_and_stores_nothing(store, campaign, tmp_path):
    path = write_csv(
        tmp_path,
        "A,,,2025-01-10,implemented,,,teleportation\n"
        "B,,,03/04/2025,approved,,,\n"
        "C,,,2025-13-45,approved,,,\n"
        "D,,,,enforced,,,\n"
        "a,,,,approved,,,\n",
    )
    with pytest.raises(PolicyImportError) as err:
        import_policy_file(store, campaign.name, path)
    problems = err.value.problems
    assert any(
        "register.csv row 2, column H (Practice areas): unknown practice area 'teleportation'" in p
        for p in problems
    )
    assert any("row 3, column D (Adopted): ambiguous date '03/04/2025'" in p for p in problems)
    assert any("row 4, column D (Adopted): '2025-13-45' is not a date" in p for p in problems)
    assert any("row 5, column E (Status): unknown status 'enforced'" in p for p in problems)
    assert any(
        "row 6, column A (Title): duplicate policy 'a' (also on row 2)" in p for p in problems
    )
    assert policies(store, ORG, include_removed=True) == []


def test_missing_title_column(tmp_path, flagship):
    path = tmp_path / "x.csv"
    path.write_text("Name of thing;Status\nfoo;approved\n", encoding="utf-8")
    with pytest.raises(PolicyImportError, match="no 'Title' column"):
        read_policy_file(path, flagship)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-04", dt.date(2026, 3, 4)),
        ("25/12/2026", dt.date(2026, 12, 25)),
        ("12/25/2026", dt.date(2026, 12, 25)),
        ("4 March 2026", dt.date(2026, 3, 4)),
        ("", None),
        (dt.datetime(2026, 1, 2, 0, 0), dt.date(2026, 1, 2)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_refuses_numbers_and_ambiguity():
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date("01/02/2026")
    with pytest.raises(ValueError, match="number"):
        parse_date(45000)


def test_xlsx_export_imports_back_unchanged(store, campaign, tmp_path, flagship):
    add_policy(
        store,
        ORG,
        PolicyDraft(
            "=Formula-looking title",
            "Reviews @ launch",
            owner="+Ops",
            adopted_on=dt.date(2025, 5, 1),
            status="audited",
            evidence="AUD-7",
            review_on=dt.date(2026, 5, 1),
            practice_areas=("independent_audit", "stop_work"),
        ),
    )
    p = add_policy(store, ORG, PolicyDraft("Gone"))
    remove_policy(store, p.id)
    out = write_policy_file(
        tmp_path / "reg.xlsx", policies(store, ORG, include_removed=True), flagship
    )
    rows = read_policy_file(out, flagship)
    assert [r.draft for r in rows] == [policies(store, ORG)[0].current.draft()]
    changes = import_policy_file(store, campaign.name, out)
    assert changes.unchanged == ("=Formula-looking title",)
    from python_calamine import CalamineWorkbook

    hist = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Version history").to_python()
    assert len(hist) == 1 + 1 + 2  # header, the audit policy, "Gone" and its removal


def test_cli_import_list_export(store, campaign, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CULTURESCOPE_DB", store.url)
    path = write_csv(tmp_path, "Stop work,Anyone may stop work.,COO,,implemented,,,stop_work\n")
    assert main(["policies", "import", str(path), "--campaign", "2026"]) == 0
    assert "1 added" in capsys.readouterr().err
    assert main(["policies", "list", "--campaign", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["title"] == "Stop work" and data[0]["practice_areas"] == ["stop_work"]
    assert data[0]["history"][0]["version"] == 1
    assert main(["policies", "export", str(tmp_path / "o.xlsx"), "--campaign", "2026"]) == 0
    assert (tmp_path / "o.xlsx").exists()
    bad = write_csv(tmp_path, "X,,,,implemented,,,nowhere\n", name="bad.csv")
    assert main(["policies", "import", str(bad), "--campaign", "2026"]) == 1
    assert "bad.csv row 2, column H" in capsys.readouterr().err


def test_migration_runs_down_and_up(sqlite_store):
    from alembic import command

    from culturescope.storage.database import _alembic_config

    cfg = _alembic_config()
    with sqlite_store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with sqlite_store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    add_policy(sqlite_store, ORG, PolicyDraft("After migration"))


def test_register_rows_stop_at_a_bad_title_or_status_and_report_everything_else(flagship):
    from culturescope.policies.spreadsheet import PolicyImportError, parse_policy_rows

    header = ["Title", "Status", "Adopted", "Practice areas"]
    rows = [
        [],  # blank rows before the header are skipped
        header,
        ["", "approved", "not a date", "nowhere"],  # no title: only that is reported
        ["Speak up", "enforced", "not a date", "nowhere"],  # bad status: only that
        ["Audit", "", "31/31/2025", "nowhere"],  # blank status is fine; both others reported
        [None, None, None, None],
    ]
    with pytest.raises(PolicyImportError) as err:
        parse_policy_rows(rows, flagship, file_name="r.xlsx")
    assert [p.split(":")[0] for p in err.value.problems] == [
        "r.xlsx row 3, column A (Title)",
        "r.xlsx row 4, column B (Status)",
        "r.xlsx row 5, column C (Adopted)",
        "r.xlsx row 5, column D (Practice areas)",
    ]
    good = parse_policy_rows([header, ["Audit", "", "", ""]], flagship, file_name="r.xlsx")
    assert good[0].draft.status == "drafted" and good[0].source == "r.xlsx row 2"
    for bad, message in [
        ([[], [None]], "r.xlsx: the file is empty"),
        ([["Owner", "Status"]], "no 'Title' column (columns found: Owner, Status)"),
        ([header, ["", "", "", ""]], "r.xlsx: no policies below the header row"),
    ]:
        with pytest.raises(
            PolicyImportError, match=message.replace("(", r"\(").replace(")", r"\)")
        ):
            parse_policy_rows(bad, flagship, file_name="r.xlsx")


def test_a_register_as_a_lead_writes_it_imports(
    sqlite_store, flagship, tmp_path, capsys, monkeypatch
):
    """A UK register: "Policy name", dates day-first with one ambiguous-looking date in the
    same column, and a "Last reviewed" column the register does not keep (said, not lost
    silently)."""
    sqlite_store.create_campaign("2026", flagship, organisation=ORG)
    monkeypatch.setenv("CULTURESCOPE_DB", sqlite_store.url)
    path = tmp_path / "policies_hr.csv"
    path.write_text(
        "Policy name,Owner,Status,Effective date,Next review date,Last reviewed\n"
        "Stop work,COO,implemented,15/01/2025,01/03/2026,01/02/2025\n"
        "Incident reporting,Head of safety,audited,01/03/2026,20/12/2026,\n",
        encoding="utf-8",
    )
    assert main(["policies", "import", str(path), "--campaign", "2026"]) == 0
    err = capsys.readouterr().err
    assert "2 added" in err
    assert "not read (not register fields): Last reviewed" in err
    by_title = {p.title: p for p in policies(sqlite_store, ORG)}
    assert by_title["Stop work"].current.adopted_on == dt.date(2025, 1, 15)
    assert by_title["Stop work"].current.review_on == dt.date(2026, 3, 1)  # day-first column
    assert by_title["Incident reporting"].current.adopted_on == dt.date(2026, 3, 1)
    # Both orders in one column cannot be read safely: refused, naming the column.
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Title,Adopted\nA,15/01/2025\nB,01/15/2025\n", encoding="utf-8")
    assert main(["policies", "import", str(mixed), "--campaign", "2026"]) == 1
    assert "both day-first and month-first" in capsys.readouterr().err
