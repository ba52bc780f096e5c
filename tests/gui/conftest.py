"""Fixtures for the pytest-qt tests: a small realistic campaign, the app state, patched
modal dialogs, and a check that no test leaves a worker thread running."""

from __future__ import annotations

import csv
import random
import shutil

import pytest

pytest.importorskip("PySide6")


class Dialogs:
    """Records what the app would have shown in modal message boxes."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, str]] = []
        self.answer = True  # what confirm() returns

    def error(self, _parent, title, text, next_step=""):
        self.errors.append((title, text, next_step))

    def info(self, _parent, title, text, detail=""):
        self.infos.append((title, text))

    def confirm(self, _parent, title, text, **_kw):
        self.confirms.append((title, text))
        return self.answer


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    from culturescope.gui import messages

    d = Dialogs()
    monkeypatch.setattr(messages, "error", d.error)
    monkeypatch.setattr(messages, "info", d.info)
    monkeypatch.setattr(messages, "confirm", d.confirm)
    return d


@pytest.fixture(autouse=True)
def no_leftover_threads(qapp):
    """Fail any test that leaves a worker running (and stop it so others are not hit)."""
    yield
    from culturescope.gui.workers import running_tasks

    left = running_tasks()
    if left:
        for task in left:
            task.cancel()
        for task in left:
            task.wait()
        qapp.processEvents()
        pytest.fail(f"test left tasks running: {', '.join(t.title for t in left)}")


TEAMS = ["Research", "Platform", "Policy", "Evaluations", "Ops"]
ROLES = ["engineer", "manager", "director"]
SITES = ["London", "Berlin"]


def fill_campaign(store, instrument, name="2026 Q4", n=80, seed=7):
    """A campaign with ``n`` plausible responses: teams, roles, sites and a few comments."""
    from culturescope.storage import NewResponse

    rng = random.Random(seed)
    campaign = store.create_campaign(name, instrument, min_group_size=5)
    by_id = instrument.demographic_by_id
    responses = []
    for k in range(n):
        answers = {}
        trait = rng.gauss(0, 1)  # one climate factor, so reliability models fit quickly
        for item in instrument.items:
            scale = instrument.scale_of(item)
            if rng.random() < 0.05 and scale.na_code is not None:
                answers[item.id] = scale.na_code
                continue
            centre = (scale.points + 1) / 2 + 0.4
            value = centre + (-0.8 if item.reverse else 0.8) * trait + rng.gauss(0, 0.6)
            answers[item.id] = min(scale.points, max(1, round(value)))
        demographics = {}
        for did, values in (("team", TEAMS), ("role", ROLES), ("site", SITES)):
            d = by_id.get(did)
            if d is None:
                continue
            options = [o.id for o in d.options] or values
            pool = [o for o in options if o != "prefer_not_to_say"] or options
            demographics[did] = pool[k % len(pool)] if did == "team" else rng.choice(pool)
        comments = {}
        if instrument.comments and k % 9 == 0:
            comments[instrument.comments[0].id] = f"Comment number {k} about deadlines."
        responses.append(NewResponse(answers=answers, demographics=demographics, comments=comments))
    store.add_responses(campaign.id, responses, source="kiosk")
    return store.campaign(campaign.id)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory, empty_db_file):
    """The database of :func:`fill_campaign` (deterministic: a fixed seed), made once per
    session; every test that changes it gets its own copy (``demo_store``)."""
    from culturescope.instruments import get_instrument
    from culturescope.storage import Store

    path = tmp_path_factory.mktemp("template") / "demo.db"
    shutil.copyfile(empty_db_file, path)
    store = Store(str(path))
    try:
        fill_campaign(store, get_instrument("ai-safety-culture"))
    finally:
        store.close()
    return path


@pytest.fixture
def demo_store(tmp_path, demo_db_file):
    from culturescope.storage import Store

    shutil.copyfile(demo_db_file, tmp_path / "test.db")
    store = Store(str(tmp_path / "test.db"))
    yield store
    store.close()


@pytest.fixture
def state(qtbot, demo_store):
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    s = AppState(demo_store, Settings())
    s.reload_campaign()
    yield s
    s.cancel_all(wait=True)


@pytest.fixture
def empty_state(qtbot, sqlite_store):
    from culturescope.gui.state import AppState
    from culturescope.settings import Settings

    s = AppState(sqlite_store, Settings())
    yield s
    s.cancel_all(wait=True)


@pytest.fixture
def window(qtbot, state):
    from culturescope.gui.main_window import MainWindow

    w = MainWindow(state, remember_geometry=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def write_csv(path, instrument, n=30, *, bad_row=None, seed=3):
    """A csv with an identifying column, demographics and every item (by id)."""
    rng = random.Random(seed)
    ids = [i.id for i in instrument.items]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Email", "team", *ids])
        for k in range(n):
            row = [f"person{k}@example.org", rng.choice(["Red", "Blue"])]
            for j, item in enumerate(instrument.items):
                points = instrument.scale_of(item).points
                value = rng.randint(1, points)
                if bad_row is not None and k == bad_row and j == 0:
                    value = 9
                row.append(value)
            w.writerow(row)
    return path


@pytest.fixture
def csv_file():
    return write_csv


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """Delete the widgets a test leaves (pytest-qt only asks for it with deleteLater())."""
    result = yield
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result
