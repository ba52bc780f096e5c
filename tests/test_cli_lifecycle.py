"""Undo and tidy from the command line: imports list/delete, campaign set/delete,
headcount sheets, survey period, own instruments."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_db
from culturescope.cli import main
from culturescope.importing.headcounts import HeadcountError, read_headcounts
from culturescope.instruments import get_instrument
from culturescope.paths import surveys_dir, user_instruments_dir
from importing_files import ms_forms_rows, write_xlsx


@pytest.fixture
def db(tmp_path, monkeypatch, empty_db_file):
    """A database file named in CULTURESCOPE_DB, as a user's shell would (a copy of the
    migrated empty database: making one on first use is tested in test_cli_database_choice)."""
    monkeypatch.setenv("CULTURESCOPE_DB", copy_db(empty_db_file, tmp_path / "cli.db"))
    return tmp_path / "cli.db"


def run(capsys, *argv):
    """Exit code, stdout and stderr of one command (paths given as Path objects too)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _campaign_with_import(capsys, tmp_path, rows=range(6)):
    flagship = get_instrument("ai-safety-culture")
    assert run(capsys, "campaign", "create", "C", "--instrument", "ai-safety-culture")[0] == 0
    header, data, _ = ms_forms_rows(flagship, rows)
    path = write_xlsx(tmp_path / "jane.doe@corp.example export.xlsx", header, data)
    code, _out, err = run(capsys, "import", path, "--campaign", "C")
    assert code == 0, err
    return path


def test_imports_list_and_delete_undo_an_import(capsys, db, tmp_path):
    path = _campaign_with_import(capsys, tmp_path)
    code, out, _ = run(capsys, "imports", "list", "--campaign", "C", "--json")
    (batch,) = json.loads(out)
    assert batch == {
        "id": 1,
        "label": "import 1, 6 rows, xlsx",
        "source": "file",
        "rows": 6,
        "rows_read": 6,
        "rows_skipped": 0,
        "imported_on": dt.date.today().isoformat(),
        "sheet": batch["sheet"],
        "notices": batch["notices"],
    }
    code, out, _ = run(capsys, "imports", "list", "--campaign", "C")
    assert "import 1, 6 rows, xlsx" in out and "jane" not in out

    # The same file again: nothing added, no import recorded.
    code, out, err = run(capsys, "import", path, "--campaign", "C")
    assert code == 0 and "Imported 0 responses" in out and "imported already (import 1)" in err
    assert len(json.loads(run(capsys, "imports", "list", "--campaign", "C", "--json")[1])) == 1

    # Without a terminal and without --yes nothing is deleted.
    code, _, err = run(capsys, "imports", "delete", "1")
    assert code == 1 and "add --yes" in err
    code, out, err = run(capsys, "imports", "delete", "1", "--yes")
    assert code == 0 and "6 responses removed" in out and "backup kept at" in err
    assert list(db.parent.glob("cli.before-delete-*.db"))
    code, out, _ = run(capsys, "campaign", "list", "--json")
    assert json.loads(out)[0]["responses"] == 0
    code, _, err = run(capsys, "imports", "delete", "1", "--yes")
    assert code == 1 and "no import 1" in err


def test_campaign_set_period_previous_headcounts_and_delete(capsys, db, tmp_path):
    _campaign_with_import(capsys, tmp_path)
    # Not set: the survey period comes from the responses' dates.
    code, out, _ = run(capsys, "campaign", "list", "--json")
    period = json.loads(out)[0]["survey_period"]
    assert period == {"from": "2026-03-01", "to": "2026-03-01", "basis": "responses"}

    run(capsys, "campaign", "create", "Before", "--instrument", "ai-safety-culture")
    sheet = tmp_path / "heads.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Teams"
    for row in [("Team", "Headcount"), ("Red", 40), ("Blue", 12.0), (None, None)]:
        ws.append(row)
    roles = wb.create_sheet("Roles")
    for row in [("Role level", "People"), ("Front-line staff", 45), ("manager", 7)]:
        roles.append(row)
    wb.save(sheet)
    code, out, err = run(
        capsys,
        "campaign", "set", "C",
        "--opens", "2026-02-20", "--closes", "2026-03-10",
        "--previous", "Before",
        "--headcounts", sheet,
        "--private-name", "Jane Doe",
    )  # fmt: skip
    assert code == 0, err
    assert "2026-02-20 to 2026-03-10 (set on the campaign)" in out
    c = json.loads(run(capsys, "campaign", "list", "--json")[1])
    c = next(x for x in c if x["name"] == "C")
    assert c["survey_period"] == {"from": "2026-02-20", "to": "2026-03-10", "basis": "campaign"}
    assert c["previous"] == "Before"
    assert c["headcounts"] == {
        "team": {"Red": 40, "Blue": 12},
        "role": {"front_line": 45, "manager": 7},
    }

    code, _, err = run(capsys, "campaign", "set", "C", "--opens", "2026-04-01")
    assert code == 1 and "cannot close (2026-03-10) before it opens (2026-04-01)" in err
    with pytest.raises(SystemExit) as bad:
        run(capsys, "campaign", "set", "C", "--opens", "1 March")
    assert bad.value.code == 2 and "is not a date" in capsys.readouterr().err

    code, out, err = run(capsys, "campaign", "delete", "C", "--yes")
    assert code == 0 and "Deleted campaign 'C' (6 responses)" in out
    names = [x["name"] for x in json.loads(run(capsys, "campaign", "list", "--json")[1])]
    assert names == ["Before"]


def test_headcount_sheet_errors_name_file_row_and_column(tmp_path):
    flagship = get_instrument("ai-safety-culture")
    path = tmp_path / "heads.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(
            [["Role level", "People"], ["Director", "3"], ["Manager", "forty"], ["Manager", "4"]]
        )
    with pytest.raises(HeadcountError) as err:
        read_headcounts(path, flagship)
    assert err.value.problems == [
        "heads.csv, row 2, column A: 'Director' is not a Role level answer (allowed: "
        "Front-line staff, Manager, Senior leader, Prefer not to say)",
        "heads.csv, row 3, column B: 'forty' is not a whole number of people (0 or more)",
    ]
    path.write_text("Budget code,People\nRed,4\n")
    with pytest.raises(HeadcountError, match=r"heads.csv, row 1, column A: 'Budget code' is not"):
        read_headcounts(path, flagship)
    path.write_text("Site;People\nNorth;1 200\n")
    assert read_headcounts(path, flagship) == {"site": {"North": 1200}}


def test_headcount_sheet_as_hr_makes_it(tmp_path):
    """ "Department | Headcount" with a Total line at the bottom, made in Excel (openpyxl):
    the department is the team, and the total is not a team."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [("Department", "Headcount"), ("Red", 40), ("Blue", 30), ("Green", 12)]:
        ws.append(row)
    ws.append(("Total", "=SUM(B2:B4)"))
    ws["B5"].value = 82  # the value Excel saves for the formula
    path = tmp_path / "hr_headcount.xlsx"
    wb.save(path)
    counts = read_headcounts(path, get_instrument("ai-safety-culture"))
    assert counts == {"team": {"Red": 40, "Blue": 30, "Green": 12}}


def test_instruments_add_installs_and_warns_what_reports_will_miss(capsys, db, tmp_path):
    source = (surveys_dir() / "psychological-safety-pulse-1.0.yaml").read_text(encoding="utf-8")
    own = source.replace("id: psychological-safety-pulse", "id: my-pulse", 1)
    path = tmp_path / "my-pulse.yaml"
    path.write_text(own, encoding="utf-8")
    code, out, _ = run(capsys, "instruments", "validate", path)
    assert code == 0 and "valid" in out
    code, out, err = run(capsys, "instruments", "add", path)
    assert code == 0, err
    installed = Path(user_instruments_dir()) / "my-pulse-1.0.yaml"
    assert installed.read_text(encoding="utf-8") == own and str(installed) in out
    code, _, _ = run(capsys, "campaign", "create", "Mine", "--instrument", "my-pulse")
    assert code == 0
    # A file path works too, without installing.
    code, _, err = run(capsys, "campaign", "create", "Direct", "--instrument", path)
    assert code == 0, err
    # A shipped id, or changed content under an installed version, is refused.
    code, _, err = run(
        capsys, "instruments", "add", surveys_dir() / "psychological-safety-pulse-1.0.yaml"
    )
    assert code == 1 and "shipped instrument" in err
    path.write_text(own.replace("title:", "title: Changed", 1), encoding="utf-8")
    code, _, err = run(capsys, "instruments", "add", path)
    assert code == 1 and "new version" in err


def test_validate_warns_about_missing_bands_pillars_and_comments(capsys, db, tmp_path):
    source = (surveys_dir() / "psychological-safety-pulse-1.0.yaml").read_text(encoding="utf-8")
    bare = source[: source.index("\ncomments:")].replace("pillar: true", "pillar: false") + "\n"
    path = tmp_path / "bare.yaml"
    path.write_text(bare.replace("id: psychological-safety-pulse", "id: bare", 1), "utf-8")
    code, out, err = run(capsys, "instruments", "validate", path)
    assert code == 0, err
    assert "valid" in out
    assert "warning: no bands" in out
    assert "warning: no pillar dimensions" in out
    assert "warning: no comment prompts" in out
    code, out, _ = run(
        capsys, "instruments", "validate", surveys_dir() / "ai-safety-culture-1.1.yaml"
    )
    assert "warning" not in out
    # Version 1.0 still validates (campaigns use it) but its consent promised anonymity.
    code, out, _ = run(
        capsys, "instruments", "validate", surveys_dir() / "ai-safety-culture-1.0.yaml"
    )
    assert code == 0 and "valid" in out
    assert "warning: consent (en) says 'anonymous'" in out
    assert "warning: thank_you (en) says 'anonymous'" in out


def test_scorecard_shows_the_period_of_the_responses_when_the_campaign_has_none(tmp_path, new_db):
    from culturescope.reports.scorecard import build_scorecard, survey_period
    from culturescope.storage import Store

    flagship = get_instrument("ai-safety-culture")
    store = Store(new_db("s.db"))
    store.create_campaign("C", flagship)
    header, data, _ = ms_forms_rows(flagship, range(6))
    data[5][1] = dt.datetime(2026, 3, 4, 10, 0)  # the last one started three days later
    data[5][2] = dt.datetime(2026, 3, 4, 10, 9)
    from culturescope.importing import import_file

    import_file(store, "C", write_xlsx(tmp_path / "a.xlsx", header, data))
    card = build_scorecard(store, "C", by=())
    assert (card.opens_on, card.closes_on, card.period_basis) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 4),
        "responses",
    )
    text = survey_period(card.opens_on, card.closes_on, basis=card.period_basis)
    assert text == "2026-03-01 – 2026-03-04 (first and last response)"
    store.update_campaign("C", opens_on=dt.date(2026, 2, 28))
    assert store.survey_period("C") == (dt.date(2026, 2, 28), dt.date(2026, 3, 4), "campaign")
    store.close()


def test_campaign_set_refusals_change_nothing(capsys, db, tmp_path):
    run(capsys, "campaign", "create", "C", "--instrument", "ai-safety-culture")
    run(capsys, "campaign", "create", "Before", "--instrument", "ai-safety-culture")
    code, _, err = run(capsys, "campaign", "set", "C")
    assert code == 1 and "nothing to change" in err
    code, _, err = run(capsys, "campaign", "set", "C", "--previous", "C")
    assert code == 1 and "cannot be its own previous campaign" in err
    bad = tmp_path / "heads.csv"
    bad.write_text("Team,Headcount\nRed,lots\n", encoding="utf-8")
    code, _, err = run(capsys, "campaign", "set", "C", "--headcounts", bad, "--rename", "D")
    assert code == 1 and "nothing was changed" in err
    code, out, err = run(capsys, "campaign", "set", "C", "--previous", "Before")
    assert code == 0 and "previous campaign: Before" in out
    code, out, err = run(capsys, "campaign", "set", "C", "--previous", "none")
    assert code == 0 and "previous campaign: none" in out
    names = [x["name"] for x in json.loads(run(capsys, "campaign", "list", "--json")[1])]
    assert sorted(names) == ["Before", "C"]  # the refused rename did not happen
