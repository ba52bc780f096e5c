"""Responses page: provenance, filters (refusing small groups), comments, deletion, and
no demographic value of a hidden group anywhere in the table."""

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


# ---- confidentiality of demographics (PRODUCT.md §6) ------------------------------------

HIDDEN_WORDS = ("Data Ops", "Oslo")  # a team and a site of only 3 responses


def _add(state, n, demographics):
    """``n`` more kiosk responses with ``demographics`` (and different answers)."""
    from culturescope.storage import NewResponse

    inst = state.store.instrument(state.current_campaign.instrument_key)
    start = state.current_campaign.response_count
    responses = [
        NewResponse(
            answers={i.id: 1 + (k + j) % 3 for j, i in enumerate(inst.items)},
            demographics=dict(demographics),
            fingerprint=f"extra {start + k}",
        )
        for k in range(n)
    ]
    state.store.add_responses(state.current_campaign.id, responses, source="kiosk")
    state.reload_campaign()
    state.current_campaign = state.store.campaign(state.current_campaign.id)


def _open(qtbot, state):
    p = ResponsesPage(state)
    qtbot.addWidget(p)
    p.refresh()
    qtbot.waitUntil(lambda: p.task is None and p.view is not None, timeout=20000)
    return p


def _every_value(model):
    """Every value the model gives for any cell or header, in any role."""
    from PySide6.QtCore import Qt

    roles = [*range(0, 16), int(Qt.ItemDataRole.UserRole)]
    out = []
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            out += [model.data(index, role) for role in roles]
    for col in range(model.columnCount()):
        out += [model.headerData(col, Qt.Orientation.Horizontal, role) for role in roles]
    return [str(v) for v in out if v is not None]


def _column(model, header, role=None):
    from PySide6.QtCore import Qt

    col = model.headers.index(header)
    role = Qt.ItemDataRole.DisplayRole if role is None else role
    return [model.data(model.index(r, col), role) for r in range(model.rowCount())]


@pytest.fixture
def hidden_page(qtbot, state):
    """The 80-response campaign (5 teams of 16) plus 3 people of "Data Ops" in "Oslo"."""
    _add(state, 3, {"team": "Data Ops", "role": "manager", "site": "Oslo"})
    return _open(qtbot, state)


def test_hidden_groups_never_reach_the_model(hidden_page):
    from PySide6.QtCore import Qt

    p = hidden_page
    assert p.model.rowCount() == 83
    values = _every_value(p.model)
    for word in HIDDEN_WORDS:
        assert not any(word in v for v in values), word
        # Not even in the arrays behind the model (sorting works on them).
        assert not any(word in str(x) for column in p.model.columns for x in column)
    # Data Ops (3) is below the minimum; the smallest other team (16, ties broken by
    # name: Evaluations) is hidden too so that Data Ops cannot be worked out from it.
    assert not any("Evaluations" in v for v in values)
    teams = _column(p.model, "Team")
    assert teams.count("(not shown)") == 3 + 16
    tips = set(_column(p.model, "Team", Qt.ItemDataRole.ToolTipRole))
    why = [t for t in tips if "not shown" in t]
    # One reason for every hidden cell: the rows of the small team are not told apart.
    assert why == ["Team not shown: fewer than 5 responses, or hidden to protect a smaller group"]
    # Oslo (3) is hidden, and so is the smaller of London and Berlin (two sites only).
    sites = set(_column(p.model, "Site"))
    assert sites in ({"(not shown)", "London"}, {"(not shown)", "Berlin"})


def test_visible_groups_and_provenance_still_show(hidden_page):
    p = hidden_page
    teams = _column(p.model, "Team")
    for team in ("Research", "Platform", "Policy", "Ops"):
        assert teams.count(team) == 16
    assert set(_column(p.model, "Site")) & {"London", "Berlin"}
    assert "Manager" in _column(p.model, "Role level")  # option labels, not ids
    assert set(_column(p.model, "Source")) == {"kiosk"}


def test_hidden_teams_are_not_offered_or_allowed_as_a_filter(hidden_page):
    p = hidden_page
    offered = [p.team_box.itemData(n) for n in range(p.team_box.count())]
    assert offered == ["__all__", "Ops", "Platform", "Policy", "Research"]
    labels = [p.team_box.itemText(n) for n in range(p.team_box.count())]
    assert not any(w in t for t in labels for w in (*HIDDEN_WORDS, "Evaluations"))
    p.team_box.setCurrentIndex(offered.index("Policy"))
    assert set(_column(p.model, "Team")) == {"Policy"}
    # Even if a hidden team got into the box, filtering to it is refused.
    for team in ("Data Ops", "Evaluations"):
        p.team_box.addItem(team, team)
        p.team_box.setCurrentIndex(p.team_box.count() - 1)
        assert p.model.rowCount() == 0
        assert "refused" in p.status.text()
        assert team not in p.status.text()


def test_not_stated_answers_hide_with_a_small_group(qtbot, state):
    # 3 in Data Ops and 2 without a team: together 5, so no other team has to be hidden,
    # and the 2 must not be told apart from the 3 (both "(not shown)", one tooltip).
    _add(state, 3, {"team": "Data Ops"})
    _add(state, 2, {"team": "prefer_not_to_say"})
    p = _open(qtbot, state)
    teams = _column(p.model, "Team")
    assert teams.count("(not shown)") == 5
    assert all(teams.count(t) == 16 for t in ("Research", "Evaluations", "Ops"))
    from PySide6.QtCore import Qt

    tips = {t for t in _column(p.model, "Team", Qt.ItemDataRole.ToolTipRole) if "shown" in t}
    assert tips == {"Team not shown: fewer than 5 responses, or not stated"}
    assert not any("Data Ops" in v for v in _every_value(p.model))


def test_a_larger_minimum_hides_more_after_reload(qtbot, hidden_page, state):
    p = hidden_page
    state.store.update_campaign(
        state.current_campaign.id, min_group_size=20, min_comment_group_size=20
    )
    state.reload_campaign()
    state.current_campaign = state.store.campaign(state.current_campaign.id)
    p.refresh()  # the minimum is part of what was loaded: loads again
    qtbot.waitUntil(lambda: p.task is None and p.view.min_group_size == 20, timeout=20000)
    assert set(_column(p.model, "Team")) == {"(not shown)"}
    assert p.team_box.count() == 1  # "All teams" only


def test_deleting_a_response_of_a_hidden_team(qtbot, hidden_page, state, dialogs):
    p = hidden_page
    row = _column(p.model, "Team").index("(not shown)")
    p.table.selectRow(row)
    victim = p.selected_ids()[0]
    assert p.delete_button.isEnabled()
    with qtbot.waitSignal(state.dataChanged, timeout=10000):
        p.delete_selected()
    qtbot.waitUntil(lambda: p.task is None and p.model.rowCount() == 82, timeout=20000)
    assert state.store.campaign("2026 Q4").response_count == 82
    assert victim not in set(p.model.ids.tolist())
    assert not any(w in v for v in _every_value(p.model) for w in HIDDEN_WORDS)


def test_demo_source_reads_like_a_file_row(qtbot, sqlite_store):
    from culturescope.demo import create_demo
    from culturescope.gui.pages.responses_page import load_view

    camp = create_demo(sqlite_store, respondents=60)
    view = load_view(sqlite_store, camp.id, progress=lambda *_: None, is_cancelled=lambda: False)
    sources = view.frame["Source"].tolist()
    assert sources[:2] == ["demo data, row 1", "demo data, row 2"]
    assert not any("respondent" in s for s in sources)
    assert "Data Ops" not in set(view.frame["Team"])
    # Databases made by older versions still read the same.
    assert provenance("demo", "demo respondent 7", "demo data") == "demo data, row 7"
