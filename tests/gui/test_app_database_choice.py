"""The app and a database named by the user that is not there yet (review R8).

A new database in an existing folder is started and named in the window's status bar; a
folder that does not exist is asked about (tests/test_cli_database_choice.py checks the
choices) or, for a screenshot, refused with nothing made.
"""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QLabel


def run_screenshot(monkeypatch, tmp_path, db):
    import culturescope.gui.app as app

    seen: dict[str, str | None] = {}

    windows = []

    def capture(window, path, size):
        windows.append(window)
        label = window.statusBar().findChild(QLabel, "new_database")
        seen["label"] = label.text() if label is not None else None
        app_render(window, path, size)

    app_render = app.render_screenshot
    monkeypatch.setattr(app, "render_screenshot", capture)
    code = app.run_app(db=str(db), screenshot=str(tmp_path / "shot.png"), page="start")
    for window in windows:  # closed by run_app; deleted after the test (tests/gui/conftest.py)
        window.deleteLater()
    return code, seen


def test_a_new_database_is_named_in_the_window(qapp, monkeypatch, tmp_path):
    new = tmp_path / "site" / "new.db"
    new.parent.mkdir()
    code, seen = run_screenshot(monkeypatch, tmp_path, new)
    assert code == 0
    assert seen["label"] == f"New database: {new}"
    assert new.is_file()
    assert (tmp_path / "shot.png").is_file()


def test_an_existing_database_is_not_called_new(qapp, monkeypatch, tmp_path, demo_db_file):
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, db)
    code, seen = run_screenshot(monkeypatch, tmp_path, db)
    assert code == 0
    assert seen["label"] is None


def test_a_screenshot_refuses_a_database_whose_folder_is_missing(
    qapp, monkeypatch, tmp_path, capsys
):
    missing = tmp_path / "share" / "culture.db"
    code, seen = run_screenshot(monkeypatch, tmp_path, missing)
    assert code == 1
    assert seen == {}
    assert f"no folder {missing.parent} for the database culture.db" in capsys.readouterr().err
    assert not missing.parent.exists()
