"""A database file named with --db or $CULTURESCOPE_DB that does not exist.

Commands that read or change stored data refuse it in one line naming the path, and leave
nothing behind (a mistyped path of the shared database must not read as "no campaigns
yet"); commands that start data from nothing make it and say so. The user data folder's
database is made by any command, as on the first run.
"""

from __future__ import annotations

import pytest

from culturescope.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


READING_OR_CHANGING = [
    ["campaign", "list"],
    ["campaign", "list", "--json"],
    ["campaign", "set", "Site 2026", "--status", "closed"],
    ["campaign", "delete", "Site 2026", "--yes"],
    ["score", "--campaign", "Site 2026", "--json"],
    ["signals", "--campaign", "Site 2026"],
    ["report", "--campaign", "Site 2026", "--format", "pdf", "-o", "card.pdf"],
    ["imports", "list", "--campaign", "Site 2026"],
    ["policies", "list", "--campaign", "Site 2026"],
    ["bundle", "export", "--campaign", "Site 2026", "-o", "site.csbundle"],
]


@pytest.mark.parametrize("argv", READING_OR_CHANGING, ids=lambda a: " ".join(a[:2]))
def test_a_missing_database_file_is_refused_and_not_made(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere" / "shared.db"
    code, out, err = run(capsys, "--db", str(missing), *argv)
    assert code == 1
    assert out == ""
    assert (
        err == f"culturescope: error: no database at {missing} (check --db; 'demo', "
        "'campaign create' and 'bundle install' start a new one)\n"
    )
    assert not missing.parent.exists()  # neither the file nor its folder was made


def test_import_into_a_missing_database_is_refused_before_reading_the_file(capsys, tmp_path):
    # Import needs a campaign, so it can never succeed on a new database.
    sheet = tmp_path / "answers.csv"
    sheet.write_text("q1\n3\n", encoding="utf-8")
    missing = tmp_path / "shraed.db"
    code, _, err = run(capsys, "--db", str(missing), "import", str(sheet), "--campaign", "X")
    assert code == 1
    assert f"no database at {missing}" in err
    assert not missing.exists()


def test_the_environment_variable_is_checked_like_db(capsys, tmp_path, monkeypatch):
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("CULTURESCOPE_DB", str(missing))
    code, _, err = run(capsys, "campaign", "list")
    assert code == 1
    assert f"no database at {missing} (check CULTURESCOPE_DB;" in err
    assert not missing.exists()


def test_commands_that_start_data_make_the_file_and_say_so(capsys, tmp_path):
    new = tmp_path / "team" / "new.db"
    code, _, err = run(
        capsys,
        "--db",
        str(new),
        "campaign",
        "create",
        "Site 2026",
        "--instrument",
        "psychological-safety-pulse",
    )
    assert code == 0
    assert f"new database at {new}" in err
    assert new.is_file()
    # Now it exists: read commands use it, and nobody is told of a new database again.
    code, out, err = run(capsys, "--db", str(new), "campaign", "list")
    assert code == 0 and "Site 2026" in out
    assert "new database" not in err


def test_demo_makes_a_named_database(capsys, tmp_path):
    new = tmp_path / "demo.db"
    code, _, err = run(capsys, "--db", str(new), "demo", "--respondents", "60")
    assert code == 0
    assert f"new database at {new}" in err
    code, out, _ = run(capsys, "--db", str(new), "campaign", "list")
    assert code == 0 and "Demo" in out


def test_the_app_starts_a_new_named_database_and_says_so(capsys, tmp_path, monkeypatch):
    import culturescope.gui.app as app

    opened = []
    monkeypatch.setattr(app, "run_app", lambda db, **_: opened.append(db) or 0)
    new = tmp_path / "fresh.db"
    code, _, err = run(capsys, "--db", str(new), "gui")
    assert code == 0
    assert opened == [str(new)]
    assert f"new database at {new}" in err


def test_the_user_data_folder_database_is_made_on_first_use(capsys, tmp_path):
    # conftest points CULTURESCOPE_DATA_DIR at a new folder and unsets CULTURESCOPE_DB.
    code, out, err = run(capsys, "campaign", "list")
    assert code == 0
    assert "No campaigns yet" in out
    assert err == ""
    assert (tmp_path / "data" / "culturescope.db").is_file()


def test_a_server_database_url_is_not_checked_as_a_file(capsys):
    # No file to look for: the driver's own error (here: not installed or not reachable)
    # is what the user sees, never "no database at".
    code, _, err = run(capsys, "--db", "postgresql://nobody@127.0.0.1:9/none", "campaign", "list")
    assert code != 0
    assert "no database at" not in err


def test_quiet_leaves_out_the_new_database_notice(capsys, tmp_path):
    new = tmp_path / "quiet.db"
    code, _, err = run(
        capsys,
        "--db",
        str(new),
        "-q",
        "campaign",
        "create",
        "Q",
        "--instrument",
        "psychological-safety-pulse",
    )
    assert code == 0 and new.is_file()
    assert err == ""
