"""Responses page: provenance, filters (refusing small groups), comments, deletion; one
demographic column at a time, and nothing that any views of the page shown together would
single out (a group below the minimum, directly or by differencing)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import pytest

from culturescope.gui.pages.responses_page import ResponsesPage
from culturescope.gui.response_view import provenance


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
    assert headers[:4] == ["Response", "Date", "Source", "Team"]  # "Show: Team" by default
    assert page.column_box.currentText() == "Team"
    source_col = headers.index("Source")
    assert page.model.data(page.model.index(0, source_col)) == "kiosk"
    assert "80 of 80" in page.status.text()


def test_columns_are_as_wide_as_their_widest_cell(page):
    """Sized from the rows with the longest texts: the widths resizeColumnToContents gives
    when it measures every row."""
    from PySide6.QtCore import Qt

    table = page.table
    table.horizontalHeader().setResizeContentsPrecision(-1)  # every row
    for descending in (False, True):
        if descending:  # another row order: the same widths
            page.model.sort(0, Qt.SortOrder.DescendingOrder)
        for col in range(page.model.columnCount()):
            width = page._content_width(col)
            table.resizeColumnToContents(col)
            assert width == table.columnWidth(col), page.model.headers[col]
    assert len({table.columnWidth(c) for c in range(page.model.columnCount())}) > 3


def test_comments_are_listed_without_demographics(page):
    texts = [page.comments.item(n).text() for n in range(page.comments.count())]
    assert texts
    assert all("Comment number" in t for t in texts[1:])  # under their question
    for team in ("Research", "Platform", "Policy"):
        assert all(team not in t for t in texts)


def test_identical_comments_are_listed_once_with_their_count(qtbot, state):
    """Not a wall of repeats: the question once as a heading, "Better tooling  (6×)"
    once (as the scorecard lists them), and the line under the tab speaks of comments."""
    from PySide6.QtCore import Qt

    from culturescope.storage import NewResponse

    c = state.current_campaign
    inst = state.store.instrument(c.instrument_key)
    prompt = inst.comments[0]
    answers = {i.id: 4 for i in inst.items}
    state.store.add_responses(
        c.id,
        [NewResponse(answers=answers, comments={prompt.id: "Better  tooling"}) for _ in range(6)],
        source="kiosk",
    )
    state.reload_campaign()
    page = ResponsesPage(state)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.task is None and page.view is not None, timeout=20000)
    items = [page.comments.item(n) for n in range(page.comments.count())]
    texts = [i.text() for i in items]
    heading = prompt.text_for(inst.default_language)
    assert texts.count(heading) == 1 and texts[0] == heading
    assert not items[0].flags() & Qt.ItemFlag.ItemIsSelectable
    assert texts[1] == "Better tooling  (6×)"  # most frequent first, spaces tidied
    assert sum("Better tooling" in t for t in texts) == 1
    assert all("—" not in t for t in texts)  # the question is not repeated per comment
    singles = [i for i in items[2:] if i.data(Qt.ItemDataRole.UserRole) == 1]
    assert singles and all("×" not in i.text() for i in singles)
    page.show()
    page.tabs.setCurrentWidget(page.comments)
    assert not page.team_box.isVisible()  # the filters act on the answers only
    status = page.status.text()
    assert "Hover a column header" not in status
    assert status.startswith(f"{len(singles) + 6} comments ({len(singles) + 1} different)")
    page.tabs.setCurrentWidget(page.table)
    assert "Hover a column header" in page.status.text() and page.team_box.isVisible()


def test_delete_hint_is_never_cut_off_at_1366x768(qtbot, window):
    """The reason beside the disabled delete buttons reads in full on a laptop screen."""
    from culturescope.gui.app import wait_for_tasks

    window.resize(1366, 768)
    page = window.show_page("responses")
    qtbot.waitUntil(lambda: page.task is None and page.view is not None, timeout=20000)
    wait_for_tasks(window.state)
    label = page.delete_reason
    assert label.text() == "To delete: choose an import under Source or select rows."
    assert label.isVisible()
    assert label.width() >= label.minimumSizeHint().width()
    assert label.height() >= label.heightForWidth(label.width())


def test_an_empty_campaign_shows_no_blank_filters(qtbot, empty_state, flagship):
    empty_state.store.create_campaign("Empty", flagship)
    empty_state.reload_campaign()
    page = ResponsesPage(empty_state)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.task is None and page.view is not None, timeout=20000)
    assert page.stack.currentWidget() is page.empty
    assert not page.team_box.isVisible() and not page.source_box.isVisible()
    assert not page.delete_reason.isVisible() and page.status.text() == ""


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
    # The import's neutral label, never the file's own name (which may name a person).
    assert p.model.data(p.model.index(0, source_col)).startswith("import 2, 12 rows, csv, row ")
    assert p.delete_batch_button.isEnabled()
    with qtbot.waitSignal(state.dataChanged, timeout=10000):
        p.delete_batch()
    assert state.store.campaign("2026 Q4").response_count == 80
    qtbot.waitUntil(lambda: p.task is None, timeout=20000)


# ---- confidentiality of demographics (docs/design/confidentiality.md) -------------------

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


def _show(page, did):
    """Choose the demographic column ``did`` ("__none__": none) under "Show:"."""
    index = page.column_box.findData(did)
    assert index >= 0, did
    page.column_box.setCurrentIndex(index)


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
    _show(p, "site")
    sites = _column(p.model, "Site")
    assert "Oslo" not in sites and set(sites) <= {"(not shown)", "London", "Berlin"}
    assert not any(w in v for v in _every_value(p.model) for w in HIDDEN_WORDS)


def test_visible_groups_and_provenance_still_show(hidden_page):
    p = hidden_page
    teams = _column(p.model, "Team")
    for team in ("Research", "Platform", "Policy", "Ops"):
        assert teams.count(team) == 16
    assert set(_column(p.model, "Source")) == {"kiosk"}
    _show(p, "role")  # by team and role: cells of 1 to 9, option labels not ids
    roles = Counter(_column(p.model, "Role level"))
    assert roles == {"Front-line staff": 9 + 8, "Manager": 8, "Senior leader": 8, "(not shown)": 50}
    _show(p, "site")  # by team, role and site: no cell of 5 with a shown sibling
    assert set(_column(p.model, "Site")) == {"(not shown)"}


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
    from culturescope.gui.response_view import load_view

    camp = create_demo(sqlite_store, respondents=60)
    view = load_view(sqlite_store, camp.id, progress=lambda *_: None, is_cancelled=lambda: False)
    sources = view.frame["Source"].tolist()
    assert sources[:2] == ["demo data, row 1", "demo data, row 2"]
    assert not any("respondent" in s for s in sources)
    assert "Data Ops" not in set(view.shown["team"])
    # Stored shuffled: the small hidden team is not rows 1-3 (which gave it away).
    data = sqlite_store.load_responses(camp.id)
    teams = data.demographics.reindex(data.answers.index)["team"].tolist()
    rows = [n + 1 for n, t in enumerate(teams) if t == "Data Ops"]
    assert len(rows) == 3 and rows != [1, 2, 3]
    # Databases made by older versions still read the same.
    assert provenance("demo", "demo respondent 7", "demo data") == "demo data, row 7"


# ---- one demographic column at a time, and no combination of views singles anyone out -----

DEMOGRAPHICS = {
    "team": "Team",
    "role": "Role level",
    "site": "Site",
    "tenure": "Time in the organisation",
}


def _true(state):
    """Every response's stated demographics (None where not stated), by response id."""
    from culturescope.scoring.confidentiality import breakdown_labels

    data = state.store.load_responses(state.current_campaign.id)
    return breakdown_labels(data.demographics.reindex(data.answers.index), list(DEMOGRAPHICS))


def _every_view(page):
    """Each (team filter, column) view: (team, demographic id, model) in turn."""
    for t in range(page.team_box.count()):
        page.team_box.setCurrentIndex(t)
        for c in range(page.column_box.count()):
            page.column_box.setCurrentIndex(c)
            yield page.team_box.currentData(), page.column_box.currentData(), page.model


def _joined(page):
    """What someone putting every view together knows: response id -> {id: value}."""
    seen = defaultdict(lambda: defaultdict(set))
    for _team, did, model in _every_view(page):
        if did in DEMOGRAPHICS:
            col = model.headers.index(DEMOGRAPHICS[did])
            for row in range(model.rowCount()):
                seen[model.response_id(row)][did].add(model.data(model.index(row, col)))
    joined = {}
    for rid, values in seen.items():
        assert all(len(v) == 1 for v in values.values()), (rid, values)  # one fixed value
        joined[rid] = {did: v.pop() for did, v in values.items()}
    return joined


def assert_nothing_singled_out(shown, true, minimum):
    """``shown``: response id -> {demographic: text}; ``true``: the stated values.

    Every combination of shown values is shared by at least ``minimum`` responses, and no
    group of any combination of demographics has some responses shown as in it and fewer
    than ``minimum`` (but some) not — the few a score breakdown minus the page would give.
    """
    ids = list(DEMOGRAPHICS)
    tuples = Counter(tuple(shown[r].get(d) for d in ids) for r in shown)
    assert min(tuples.values()) >= minimum, tuples
    labels = {"front_line": "Front-line staff", "manager": "Manager"}
    labels |= {"senior_leader": "Senior leader", "gt10": "More than 10 years"}
    for size in range(1, len(ids) + 1):
        for subset in itertools.combinations(ids, size):
            groups = defaultdict(lambda: [0, 0])  # cell -> [responses, shown as in it]
            for rid in shown:
                cell = tuple(true.at[rid, d] for d in subset)
                if None in cell:
                    continue
                groups[cell][0] += 1
                groups[cell][1] += all(
                    shown[rid].get(d) == labels.get(v, v) for d, v in zip(subset, cell)
                )
            for cell, (n, in_view) in groups.items():
                left_out = n - in_view
                assert in_view == 0 or left_out == 0 or left_out >= minimum, (cell, n, in_view)


@pytest.fixture
def crowded_page(qtbot, state):
    """The 80 responses (Policy has one senior leader, at Berlin), 3 of "Data Ops" in
    "Oslo", and one more senior leader of Research, also in Oslo, the only one with a
    time in the organisation."""
    _add(state, 3, {"team": "Data Ops", "role": "manager", "site": "Oslo"})
    _add(state, 1, {"team": "Research", "role": "senior_leader", "site": "Oslo", "tenure": "gt10"})
    return _open(qtbot, state)


def test_only_one_demographic_column_is_ever_in_the_model(crowded_page):
    p = crowded_page
    choices = [p.column_box.itemText(n) for n in range(p.column_box.count())]
    assert choices == [*DEMOGRAPHICS.values(), "No demographics"]
    assert p.column_box.currentData() == "team"
    for _team, did, model in _every_view(p):
        present = [h for h in model.headers if h in DEMOGRAPHICS.values()]
        assert present == ([DEMOGRAPHICS[did]] if did in DEMOGRAPHICS else [])
        assert len(model.columns) == len(model.headers) == model.columnCount()
        # Not a hidden column: the other demographics' values are nowhere in the model.
        others = {"Oslo", "London", "Berlin", "Manager", "Senior leader", "Front-line staff"}
        others |= {"Research", "Platform", "Policy", "More than 10 years"}
        if did in DEMOGRAPHICS:
            others -= set(_column(model, DEMOGRAPHICS[did]))
        assert not others & {str(x) for column in model.columns for x in column}


def test_switching_the_column(qtbot, crowded_page):
    from PySide6.QtCore import Qt

    p = crowded_page
    before = p.model.headers
    _show(p, "role")
    assert p.model.headers == [*before[:3], "Role level", *before[4:]]
    roles = _column(p.model, "Role level")
    assert set(roles) == {"Front-line staff", "Manager", "Senior leader", "(not shown)"}
    tips = {t for t in _column(p.model, "Role level", Qt.ItemDataRole.ToolTipRole) if "not" in t}
    assert tips == {
        "Role level not shown: fewer than 5 responses, or hidden to protect a smaller group "
        "(counted by team and role level)"
    }
    header_tip = p.model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "share its team and role level" in header_tip
    assert "(not shown)" in p.status.text()  # "Hover “(not shown)” for why..."
    _show(p, "__none__")
    assert p.model.headers == [*before[:3], *before[4:]]
    assert "(not shown)" not in p.status.text()
    _show(p, "team")
    assert p.model.headers == before
    # The choice stays when the page loads again.
    _show(p, "site")
    p._loaded_for = None
    p.refresh()
    qtbot.waitUntil(lambda: p.task is None, timeout=20000)
    assert p.column_box.currentData() == "site" and "Site" in p.model.headers


def test_a_team_filter_with_any_column_shows_no_group_below_the_minimum(crowded_page, state):
    p = crowded_page
    true = _true(state)
    lone = true.index[(true["team"] == "Policy") & (true["role"] == "senior_leader")]
    assert len(lone) == 1  # the only senior leader of Policy
    views = 0
    for team, did, model in _every_view(p):
        if did not in DEMOGRAPHICS or model.rowCount() == 0:
            continue
        views += 1
        counts = Counter(_column(model, DEMOGRAPHICS[did]))
        # Every value shown, "(not shown)" included, is held by at least the minimum.
        assert min(counts.values()) >= 5, (team, did, counts)
        if team == "Policy" and did == "role":
            # Role within Policy is a cross-tab cell: one senior leader is not shown, nor
            # the next smallest role, so that subtraction cannot give them away.
            assert counts == {"Front-line staff": 9, "(not shown)": 7}
    assert views == 5 * 4  # all teams and each of the 4 shown, by each demographic


def test_hidden_values_never_appear_in_any_view_or_role(crowded_page, state):
    p = crowded_page
    true = _true(state)
    policy_leader = int(
        true.index[(true["team"] == "Policy") & (true["role"] == "senior_leader")][0]
    )
    for _team, _did, model in _every_view(p):
        values = _every_value(model)
        for word in (*HIDDEN_WORDS, "More than 10 years", "Evaluations"):
            assert not any(word in v for v in values), word
            assert not any(word in str(x) for column in model.columns for x in column)
        ids = model.ids[model.order].tolist()
        if policy_leader in ids:
            row = ids.index(policy_leader)
            cells = [
                model.data(model.index(row, c), role)
                for c in range(model.columnCount())
                for role in range(16)
            ]
            assert "Senior leader" not in {str(v) for v in cells}


def test_all_views_together_never_single_out_a_small_group(crowded_page, state):
    shown = _joined(crowded_page)
    assert len(shown) == 84
    assert_nothing_singled_out(shown, _true(state), 5)
    # The only senior leader of Research at Oslo shares what is shown of them with others.
    leader = next(r for r, t in _true(state).iterrows() if t["tenure"] == "gt10")
    same = [r for r in shown if shown[r] == shown[leader]]
    assert len(same) >= 5


def test_the_page_closes_gaps_a_weaker_breakdown_rule_would_leave(crowded_page, state, monkeypatch):
    # Belt and braces: even with a rule that only hides cells below the minimum (no
    # differencing protection at all), what the page shows singles no one out.
    import numpy as np

    from culturescope.scoring import confidentiality as conf
    from culturescope.scoring.confidentiality import responses
    from culturescope.scoring.confidentiality.responses import shown_demographics

    def weak(labels, *, min_group_size=5):
        cells, codes = conf.cell_codes(labels)
        sizes = np.bincount(codes[codes >= 0], minlength=len(cells))
        small = conf.Visibility(True, conf.too_small(min_group_size))
        return {c: small if n < min_group_size else conf.VISIBLE for c, n in zip(cells, sizes)}

    monkeypatch.setattr(responses, "protect_breakdown", weak)
    data = state.store.load_responses(state.current_campaign.id)
    out = shown_demographics(data, 5)
    ids = data.answers.index.tolist()
    shown = {rid: {d: out[d].texts[n] for d in DEMOGRAPHICS} for n, rid in enumerate(ids)}
    assert_nothing_singled_out(shown, _true(state), 5)
    # ... and it does so by hiding little: Data Ops (3) and the smallest team only.
    assert Counter(out["team"].texts)["(not shown)"] == 3 + 16


def test_disabled_delete_buttons_say_why(page):
    assert not page.delete_batch_button.isEnabled() and not page.delete_button.isEnabled()
    assert "choose an import under Source" in page.delete_reason.text()
    assert "select rows" in page.delete_reason.text()
    page.table.selectRow(0)
    assert page.delete_button.isEnabled()
    assert "select rows" not in page.delete_reason.text()
