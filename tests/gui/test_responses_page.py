"""Responses page: provenance, filters (refusing small groups), comments, deletion."""

from __future__ import annotations

import pytest

from culturescope.gui.pages.responses_page import ResponsesPage, provenance


@pytest.fixture
def page(qtbot, state):
    p = ResponsesPage(state)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: p.task is None and p.view is not None, timeout=20000)
    return p


def test_provenance_words():
    assert provenance("kiosk", None, None) == "kiosk"
    assert provenance("paper", "form 12", None) == "paper form 12"
    assert provenance("file", "row 7", "answers.xlsx") == "answers.xlsx, row 7"


def test_table_shows_every_response_with_source(page):
    assert page.model.rowCount() == 80
    headers = page.model.headers
    assert headers[:3] == ["Response", "Date", "Source"]
    assert "Team" in headers
    source_col = headers.index("Source")
    assert page.model.data(page.model.index(0, source_col)) == "kiosk"
    assert "80 of 80" in page.status.text()


def test_comments_are_listed_without_demographics(page):
    texts = [page.comments.item(n).text() for n in range(page.comments.count())]
    assert texts
    assert all("Comment number" in t for t in texts)
    for team in ("Research", "Platform", "Policy"):
        assert all(team not in t for t in texts)


def test_team_filter_and_refusal_of_small_groups(page, state):
    teams = [page.team_box.itemData(n) for n in range(page.team_box.count())]
    assert "Research" in teams
    page.team_box.setCurrentIndex(teams.index("Research"))
    assert page.model.rowCount() == 16
    state.store.update_campaign(
        state.current_campaign.id, min_group_size=20, min_comment_group_size=20
    )
    state.reload_campaign()
    state.current_campaign = state.store.campaign(state.current_campaign.id)
    page.apply_filter()
    assert page.model.rowCount() == 0
    assert "refused" in page.status.text()


def test_sorting_uses_the_model(page):
    col = page.model.headers.index("Response")
    from PySide6.QtCore import Qt

    page.model.sort(col, Qt.SortOrder.DescendingOrder)
    first = int(page.model.data(page.model.index(0, col)))
    last = int(page.model.data(page.model.index(page.model.rowCount() - 1, col)))
    assert first > last


def test_delete_selected_response(qtbot, page, state, dialogs):
    page.table.selectRow(0)
    victim = page.selected_ids()[0]
    dialogs.answer = False
    page.delete_selected()
    assert state.store.campaign("2026 Q4").response_count == 80
    dialogs.answer = True
    with qtbot.waitSignal(state.dataChanged, timeout=10000):
        page.delete_selected()
    qtbot.waitUntil(lambda: page.task is None and page.model.rowCount() == 79, timeout=20000)
    assert state.store.campaign("2026 Q4").response_count == 79
    assert victim not in set(page.model.ids.tolist())


def test_delete_an_import_batch(qtbot, state, flagship, tmp_path, dialogs, csv_file):
    from culturescope.importing import import_file

    path = csv_file(tmp_path / "extra.csv", flagship, n=12)
    import_file(state.store, "2026 Q4", path)
    state.reload_campaign()
    state.current_campaign = state.store.campaign("2026 Q4")
    p = ResponsesPage(state)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: p.task is None and p.view is not None, timeout=20000)
    assert p.model.rowCount() == 92
    batch = next(
        n for n in range(p.source_box.count()) if str(p.source_box.itemData(n)).startswith("batch:")
    )
    p.source_box.setCurrentIndex(batch)
    assert p.model.rowCount() == 12
    source_col = p.model.headers.index("Source")
    assert p.model.data(p.model.index(0, source_col)).startswith("extra.csv, row ")
    assert p.delete_batch_button.isEnabled()
    with qtbot.waitSignal(state.dataChanged, timeout=10000):
        p.delete_batch()
    assert state.store.campaign("2026 Q4").response_count == 80
    qtbot.waitUntil(lambda: p.task is None, timeout=20000)
