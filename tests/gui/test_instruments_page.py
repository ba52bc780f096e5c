"""Instruments page: browse, preview, load a valid file, refuse an invalid one."""

from __future__ import annotations

from pathlib import Path

from culturescope.gui.pages.instruments_page import InstrumentsPage
from culturescope.paths import surveys_dir, user_instruments_dir


def test_lists_shipped_instruments_with_items_and_reverse_marks(qtbot, state):
    page = InstrumentsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    titles = [page.list.item(n).text() for n in range(page.list.count())]
    assert any(t.startswith("AI Safety Culture Survey") for t in titles)
    page.list.setCurrentRow(next(n for n, t in enumerate(titles) if t.startswith("AI Safety")))
    inst = page.current()
    n_items = sum(
        page.tree.topLevelItem(k).childCount() for k in range(page.tree.topLevelItemCount())
    )
    assert n_items == len(inst.items)
    reverse = {
        page.tree.topLevelItem(k).child(j).text(0)
        for k in range(page.tree.topLevelItemCount())
        for j in range(page.tree.topLevelItem(k).childCount())
        if page.tree.topLevelItem(k).child(j).text(2)
    }
    assert reverse == {i.id for i in inst.items if i.reverse}


def test_preview_shows_every_question_with_radio_buttons(qtbot, state):
    page = InstrumentsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    page.tabs.setCurrentWidget(page.preview)
    inst = page.current()
    assert len(page.preview.groups) == len(inst.items)
    first = page.preview.groups[0]
    scale = inst.scale_of(inst.items_of(inst.dimensions[0].id)[0])
    assert len(first.buttons()) == scale.points + (scale.na_code is not None)


def test_load_valid_file_installs_it(qtbot, state, tmp_path):
    source = (surveys_dir() / "psychological-safety-pulse-1.0.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "my-pulse.yaml"
    mine.write_text(
        source.replace("id: psychological-safety-pulse", "id: my-pulse", 1), encoding="utf-8"
    )
    page = InstrumentsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.load_file(str(mine))
    assert page.current().id == "my-pulse"
    assert list(Path(user_instruments_dir()).glob("my-pulse-*.yaml"))
    assert "Added" in page.notice.text()


def test_invalid_file_lists_problems_and_installs_nothing(qtbot, state, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\ntitle: Bad\nitems: 3\n", encoding="utf-8")
    page = InstrumentsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    assert not page.load_file(str(bad))
    assert page.problems.topLevelItemCount() >= 1
    rows = [
        tuple(page.problems.topLevelItem(k).text(c) for c in range(3))
        for k in range(page.problems.topLevelItemCount())
    ]
    assert all(r[0] == "bad.yaml" for r in rows)
    assert any(r[1] == "items" for r in rows)
    assert not list(Path(user_instruments_dir()).glob("bad*"))


def test_add_instrument_refuses_changed_content_of_an_installed_version(qtbot, state, tmp_path):
    source = (surveys_dir() / "psychological-safety-pulse-1.0.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "my-pulse.yaml"
    own = source.replace("id: psychological-safety-pulse", "id: my-pulse", 1)
    mine.write_text(own, encoding="utf-8")
    page = InstrumentsPage(state)
    qtbot.addWidget(page)
    page.refresh()
    assert page.load_button.text() == "&Add instrument…"
    assert page.load_file(str(mine))
    mine.write_text(own.replace("title:", "title: Changed", 1), encoding="utf-8")
    assert not page.load_file(str(mine))
    rows = [page.problems.topLevelItem(k).text(2) for k in range(page.problems.topLevelItemCount())]
    assert any("new version" in r for r in rows)
