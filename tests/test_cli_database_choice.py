"""A database file named with --db or $CULTURESCOPE_DB that does not exist.

Commands that read or change stored data refuse it (and an empty file, and a folder) in
one line naming the path, and leave nothing behind (a mistyped path of the shared
database must not read as "no campaigns yet"); commands that start data from nothing make
it and say so, but never its folder, and remove it again when they fail. The user data
folder's database is made by any command, as on the first run.
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
    (tmp_path / "team").mkdir()
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


CREATE = ["campaign", "create", "Site 2026", "--instrument", "psychological-safety-pulse"]


@pytest.mark.parametrize(
    "argv", [["campaign", "list"], CREATE, ["demo", "--respondents", "60"], ["gui"]]
)
def test_a_folder_given_as_the_database_is_named_as_a_folder(capsys, tmp_path, argv):
    folder = tmp_path / "shared"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(folder), *argv)
    assert code == 1
    assert err == f"culturescope: error: {folder} is a folder, not a database file (check --db)\n"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("argv", [["campaign", "list"], ["score", "--campaign", "X"]])
def test_an_empty_file_is_refused_by_reading_commands_and_stays_empty(capsys, tmp_path, argv):
    empty = tmp_path / "empty.db"
    empty.touch()
    code, out, err = run(capsys, "--db", str(empty), *argv)
    assert code == 1
    assert out == ""
    assert err == (
        f"culturescope: error: {empty} is an empty file, not a CultureScope database (check "
        "--db; 'demo', 'campaign create' and 'bundle install' start a new one)\n"
    )
    assert empty.stat().st_size == 0


def test_an_empty_file_becomes_the_database_a_command_starts(capsys, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = run(capsys, "--db", str(empty), *CREATE)
    assert code == 0
    assert f"new database at {empty}" in err
    code, out, _ = run(capsys, "--db", str(empty), "campaign", "list")
    assert code == 0 and "Site 2026" in out


@pytest.mark.parametrize("argv", [CREATE, ["demo", "--respondents", "60"]])
def test_no_command_makes_the_folder_of_a_named_database(capsys, tmp_path, monkeypatch, argv):
    # An unmounted share or a mistyped folder: say so instead of starting data there.
    monkeypatch.setenv("CULTURESCOPE_DB", str(tmp_path / "share" / "culture.db"))
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err == (
        f"culturescope: error: no folder {tmp_path / 'share'} for the database culture.db "
        "(check CULTURESCOPE_DB: a network drive or disk not connected? To start a new "
        "database there, make the folder first)\n"
    )
    assert not (tmp_path / "share").exists()


def test_a_demo_too_small_is_refused_before_a_database_is_made(capsys, tmp_path):
    (tmp_path / "work").mkdir()
    new = tmp_path / "work" / "x.db"
    code, _, err = run(capsys, "--db", str(new), "demo", "--respondents", "10")
    assert code == 1
    assert err == "culturescope: error: the demo needs at least 50 respondents\n"
    assert list(new.parent.iterdir()) == []


def test_bundle_install_without_a_passphrase_makes_no_database(capsys, tmp_path, monkeypatch):
    import io

    from culturescope import bundles
    from culturescope.instruments import get_instrument
    from culturescope.storage import Store

    source = Store(str(tmp_path / "lead.db"))
    pulse = get_instrument("psychological-safety-pulse")
    campaign = source.create_campaign("Site 2026", pulse)
    setup = bundles.write_setup(source, campaign.id, tmp_path / "site.cskiosk")
    source.close()
    (tmp_path / "kiosk").mkdir()
    new = tmp_path / "kiosk" / "k.db"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a script with nothing on stdin
    code, _, err = run(capsys, "--db", str(new), "bundle", "install", str(setup))
    assert code == 1
    assert "the admin passphrase is needed" in err
    assert list((tmp_path / "kiosk").iterdir()) == []


@pytest.mark.parametrize("was_empty", [False, True])
def test_a_command_that_fails_removes_the_database_it_started(
    capsys, tmp_path, monkeypatch, was_empty
):
    import culturescope.demo
    from culturescope import CultureScopeError
    from culturescope.instruments import get_instrument

    def fail_after_writing(store, **_):
        store.create_campaign("Half made", get_instrument("psychological-safety-pulse"))
        raise CultureScopeError("the disk is full (a failure after the file was made)")

    monkeypatch.setattr(culturescope.demo, "create_demo", fail_after_writing)
    (tmp_path / "work").mkdir()
    new = tmp_path / "work" / "demo.db"
    if was_empty:
        new.touch()
    code, _, err = run(capsys, "--db", str(new), "demo")
    assert code == 1
    assert "the disk is full" in err
    assert f"the new database at {new} was removed again (the command failed)" in err
    if was_empty:  # the user's empty file is left as it was
        assert [p.name for p in new.parent.iterdir()] == ["demo.db"]
        assert new.stat().st_size == 0
    else:
        assert list(new.parent.iterdir()) == []
    # The next command finds no database, instead of "No campaigns yet".
    code, _, err = run(capsys, "--db", str(new), "campaign", "list")
    assert code == 1


def test_a_database_that_existed_is_kept_when_a_command_fails(capsys, tmp_path):
    db = tmp_path / "kept.db"
    assert run(capsys, "--db", str(db), *CREATE)[0] == 0
    code, _, err = run(capsys, "--db", str(db), *CREATE)  # the same name again: refused
    assert code == 1
    assert "removed" not in err
    code, out, _ = run(capsys, "--db", str(db), "campaign", "list")
    assert code == 0 and "Site 2026" in out


def test_the_app_asks_about_a_missing_folder_instead_of_the_command_line(
    capsys, tmp_path, monkeypatch
):
    import culturescope.gui.app as app

    opened = []
    monkeypatch.setattr(app, "run_app", lambda db, **_: opened.append(db) or 0)
    missing = tmp_path / "share" / "culture.db"
    code, _, err = run(capsys, "--db", str(missing), "gui")
    assert code == 0
    assert opened == [str(missing)]
    assert err == ""  # run_app's dialog (or, for a screenshot, its refusal) says it


def test_the_apps_choices_for_a_missing_folder(tmp_path):
    from culturescope import CultureScopeError
    from culturescope.database_choice import MissingFolder
    from culturescope.gui.app import _Quit, database_to_start

    share = tmp_path / "share"
    chosen = str(share / "culture.db")
    asked = []

    def reply(answer):
        def ask(problem):
            asked.append(problem)
            return answer

        return ask

    with pytest.raises(_Quit):
        database_to_start(chosen, "--db", ask=reply("quit"))
    assert not share.exists()
    assert isinstance(asked[0], MissingFolder) and asked[0].path == share / "culture.db"
    with pytest.raises(MissingFolder):  # a screenshot cannot ask: it refuses
        database_to_start(chosen, "--db", ask=None)

    def connect_then_retry(problem):  # "Try again" once the drive is connected
        asked.append(problem)
        share.mkdir()
        return "retry"

    asked.clear()
    assert database_to_start(chosen, "--db", ask=connect_then_retry) == share / "culture.db"
    assert len(asked) == 1
    share.rmdir()
    assert database_to_start(chosen, "--db", ask=reply("create")) == share / "culture.db"
    assert share.is_dir() and not (share / "culture.db").exists()
    # Nothing named: the user data folder's database. A folder is refused outright.
    assert database_to_start("", "", ask=None) is None
    with pytest.raises(CultureScopeError, match="is a folder, not a database file"):
        database_to_start(str(tmp_path), "the data location in Settings", ask=reply("create"))


def test_the_apps_database_comes_from_db_then_the_environment_then_settings(monkeypatch):
    from culturescope.gui.app import chosen_database

    monkeypatch.delenv("CULTURESCOPE_DB", raising=False)
    assert chosen_database(None, "") == ("", "")
    assert chosen_database(None, "/s/c.db") == ("/s/c.db", "the data location in Settings")
    monkeypatch.setenv("CULTURESCOPE_DB", "/e/c.db")
    assert chosen_database(None, "/s/c.db") == ("/e/c.db", "CULTURESCOPE_DB")
    assert chosen_database("/d/c.db", "/s/c.db") == ("/d/c.db", "--db")
