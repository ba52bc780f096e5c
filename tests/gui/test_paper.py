"""Paper entry driven by the keyboard, as a typist with a pile of forms would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from culturescope.gui.pages.paper_page import PaperPage, _next_number


def _shown_page(qtbot, state) -> PaperPage:
    p = PaperPage(state)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitExposed(p)
    p.activateWindow()
    p.form_number.setFocus()
    return p


@pytest.fixture
def page(qtbot, state):
    return _shown_page(qtbot, state)


def keys(qtbot, page, text: str) -> None:
    """Type ``text`` one key at a time wherever the focus is."""
    for ch in text:
        qtbot.keyClicks(page.focusWidget(), ch)


def key(qtbot, page, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press; when it saved the form (Ctrl+S, Enter on the last box), wait for the
    worker that stores it."""
    qtbot.keyClick(page.focusWidget(), k, modifier)
    qtbot.waitUntil(lambda: not page.saving, timeout=30_000)


def undo(qtbot, page) -> None:
    """Click Undo last form and wait for the worker that removes it."""
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.saving, timeout=30_000)


def digits_for(instrument, seed: int) -> str:
    """One digit per item as written on a paper form (N/A = 0 where the scale allows it)."""
    out = []
    for n, item in enumerate(instrument.items):
        scale = instrument.scale_of(item)
        if scale.na_code is not None and (n + seed) % 11 == 0:
            out.append("0")
        else:
            out.append(str((n * 3 + seed) % scale.points + 1))
    return "".join(out)


def test_two_forms_by_digits_only_and_undo(qtbot, state, page, dialogs):
    inst = page.instrument
    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    items = [i.id for i in inst.items]

    # form 1: number, team typed, role/tenure by option number, every item a digit
    keys(qtbot, page, "0041")
    key(qtbot, page, Qt.Key.Key_Return)
    assert page.focusWidget() is page.cells[0]
    keys(qtbot, page, "Research")
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "2")  # role 2 = Manager, moves on by itself
    keys(qtbot, page, "London")
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "3")  # tenure 3 = 3 to 10 years
    first = digits_for(inst, 1)
    keys(qtbot, page, first)
    assert page.total_value.text() == str(sum(int(d) for d in first))
    assert f"{len(items)} of {len(items)} items answered" in page.total_text.text()
    assert f"{first.count('0')} of them N/A" in page.total_text.text()
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.forms_this_session == 1
    assert "Form 0041 saved" in page.status.text()
    assert page.form_number.text() == "0042"  # the next number, ready to accept or overwrite
    assert page.focusWidget() is page.form_number
    assert page.total_value.text() == "0"

    # form 2: accept the number, skip team and site, blank tenure, a refused digit, a
    # skipped item, a correction with Backspace, comments, Enter on the last box saves
    key(qtbot, page, Qt.Key.Key_Return)
    key(qtbot, page, Qt.Key.Key_Return)  # team left empty
    keys(qtbot, page, "1")  # role: front-line staff
    key(qtbot, page, Qt.Key.Key_Return)  # site left empty
    keys(qtbot, page, " ")  # tenure left blank
    second = list(digits_for(inst, 4))
    keys(qtbot, page, second[0])
    keys(qtbot, page, "7")  # not on a 5-point scale: refused at the box, nothing moves
    refused = page.cells[5]
    assert page.focusWidget() is refused
    assert refused.property("invalid") and "not an answer" in refused.accessibleDescription()
    assert "not an answer" in page.meanings[5].text()  # said in the box's own row
    assert page.meanings[5].objectName() == "error"
    assert "not an answer" not in page.status.text()
    keys(qtbot, page, ".")  # item 2 left blank
    second[1] = ""
    assert not refused.property("invalid")  # the box changed: the refusal is gone
    assert page.meanings[5].objectName() != "error"
    keys(qtbot, page, "9")  # refused too
    keys(qtbot, page, "1")  # item 3 typed as 1 by mistake...
    key(qtbot, page, Qt.Key.Key_Backspace)  # ...back to it, cleared
    keys(qtbot, page, second[2])
    keys(qtbot, page, "".join(second[3:]))
    typed = [d for d in second if d]
    assert page.total_value.text() == str(sum(int(d) for d in typed))
    keys(qtbot, page, "Deadlines win")
    key(qtbot, page, Qt.Key.Key_Return)  # to the second comment box
    key(qtbot, page, Qt.Key.Key_Return)  # the last box: saves
    assert page.forms_this_session == 2
    assert page.form_number.text() == "0043"

    data = state.store.load_responses(campaign.id)
    assert len(data) == before + 2
    new = data.answers.index[-2:]
    meta = data.meta.loc[new]
    assert list(meta["source"]) == ["paper", "paper"]
    assert list(meta["source_ref"]) == ["form 0041", "form 0042"]
    one, two = new
    assert [int(v) for v in data.answers.loc[one, items]] == [int(d) for d in first]
    stored_two = data.answers.loc[two, items]
    assert stored_two.isna().sum() == 1 and stored_two.isna().iloc[1]
    assert [int(v) for v in stored_two.dropna()] == [int(d) for d in typed]
    assert data.demographics.loc[one].to_dict() == {
        "team": "Research",
        "role": "manager",
        "site": "London",
        "tenure": "y3_10",
    }
    assert data.demographics.loc[two].to_dict() == {
        "team": None,
        "role": "front_line",
        "site": None,
        "tenure": None,
    }
    comments = data.comments[data.comments.response_id == two]
    assert comments.set_index("prompt_id")["text"].to_dict() == {"C1": "Deadlines win"}

    # undo the last form: gone from the campaign, back on screen for correcting
    undo(qtbot, page)
    assert dialogs.confirms == []  # nothing on screen was at risk, so no question
    assert state.store.campaign(campaign.id).response_count == before + 1
    assert two not in state.store.load_responses(campaign.id).answers.index
    assert page.forms_this_session == 1
    assert page.form_number.text() == "0042"
    assert page.total_value.text() == str(sum(int(d) for d in typed))
    assert page.cells[-2].text() == "Deadlines win"
    # saved again after a correction of item 1
    page.focus_cell(4)
    keys(qtbot, page, "5")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    data = state.store.load_responses(campaign.id)
    assert len(data) == before + 2
    assert int(data.answers.iloc[-1][items[0]]) == 5
    assert data.meta.iloc[-1]["source_ref"] == "form 0042"


def test_undo_asks_before_replacing_typed_boxes(qtbot, state, page, dialogs):
    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    key(qtbot, page, Qt.Key.Key_Return)
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "1")
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "2" + "4444")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert state.store.campaign(campaign.id).response_count == before + 1
    page.focus_cell(4)
    keys(qtbot, page, "33")  # the next form, half typed
    dialogs.answer = False
    undo(qtbot, page)
    assert len(dialogs.confirms) == 1
    assert state.store.campaign(campaign.id).response_count == before + 1  # kept
    assert page.cells[4].text() == "3"
    dialogs.answer = True
    undo(qtbot, page)
    assert state.store.campaign(campaign.id).response_count == before
    assert [c.text() for c in page.cells[4:8]] == ["4", "4", "4", "4"]
    assert not page.undo_button.isEnabled()


def test_empty_form_and_repeated_number_are_refused(qtbot, state, page):
    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Nothing is typed" in page.status.text()
    page.form_number.setFocus()
    keys(qtbot, page, "7")
    key(qtbot, page, Qt.Key.Key_Return)
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "1")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.form_number.text() == "8"
    page.form_number.setText("7")
    page.focus_cell(1)
    keys(qtbot, page, "2")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # refused at the number's box, which keeps the focus
    assert page.form_number.property("invalid")
    assert "already saved" in page.number_error.text() and page.number_error.isVisibleTo(page)
    assert page.focusWidget() is page.form_number
    assert state.store.campaign(campaign.id).response_count == before + 1
    keys(qtbot, page, "9")  # a new number clears the mark
    assert not page.form_number.property("invalid") and not page.number_error.isVisibleTo(page)


def test_no_campaign_shows_a_hint(qtbot, empty_state):
    p = PaperPage(empty_state)
    qtbot.addWidget(p)
    p.show()
    assert p.views.currentWidget() is p.empty
    assert "campaign" in p.empty.text()


def test_next_form_number():
    assert _next_number("0041") == "0042"
    assert _next_number("99") == "100"
    assert _next_number("A-12") == ""
    assert _next_number("") == ""


def test_team_names_complete_from_the_campaign_list(qtbot, state, page):
    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    assert page.cells[0].completer() is None  # no team list yet: any name, no warning
    page.focus_cell(0)
    keys(qtbot, page, "Anything")
    assert page.meanings[0].text() == ""
    page.cells[0].clear()

    # the lead adds the team list on the Campaigns page: the open paper page follows
    campaign = state.store.update_campaign(
        campaign.id, headcounts={"team": {"Research": 20, "Platform": 12}}
    )
    state.set_campaign(campaign)
    page.refresh()
    page.focus_cell(0)
    completer = page.cells[0].completer()
    completer.setCompletionPrefix("res")
    assert completer.currentCompletion() == "Research"  # suggested from the lead's list
    keys(qtbot, page, "research")
    assert page.meanings[0].text() == ""  # in the list (whatever the case)
    key(qtbot, page, Qt.Key.Key_Return)
    assert page.focusWidget() is page.cells[1]
    assert page.response().demographics == {"team": "Research"}  # the list's spelling

    # a name not in the list: warned of as typed and before saving, not refused
    page.cells[0].setText("Reserch")
    assert "Not in the campaign's list" in page.meanings[0].text()
    assert page.meanings[0].objectName() == "warning"
    page.focus_cell(4)
    keys(qtbot, page, "3")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert state.store.campaign(campaign.id).response_count == before  # not yet
    assert "Team “Reserch”" in page.status.text()
    assert "Ctrl+S again" in page.status.text()
    assert page.focusWidget() is page.cells[0]
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # saved as typed
    assert state.store.campaign(campaign.id).response_count == before + 1
    data = state.store.load_responses(campaign.id)
    assert data.demographics.iloc[-1]["team"] == "Reserch"
    assert page.cells[0].text() == "" and page.meanings[0].text() == ""

    # the next form warns again for its own unlisted name
    page.focus_cell(0)
    keys(qtbot, page, "Reserch")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert state.store.campaign(campaign.id).response_count == before + 1
    assert "Not in the campaign's list" in page.status.text()


@pytest.mark.parametrize(
    "instrument_id", ["psychological-safety-pulse", "leadership-self-assessment"]
)
def test_every_shipped_instrument_can_be_typed_in(qtbot, empty_state, instrument_id):
    from culturescope.instruments import get_instrument

    inst = get_instrument(instrument_id)
    campaign = empty_state.store.create_campaign("Pulse", inst)
    empty_state.set_campaign(campaign)
    p = PaperPage(empty_state)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    p.activateWindow()
    assert len(p.cells) == len(inst.demographics) + len(inst.items) + len(inst.comments)
    first_item = len(inst.demographics)
    p.focus_cell(first_item)
    keys(qtbot, p, "3" * len(inst.items))
    assert p.total_value.text() == str(3 * len(inst.items))
    key(qtbot, p, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    data = empty_state.store.load_responses(campaign.id)
    assert len(data) == 1
    assert (data.answers.iloc[0] == 3).all()


def test_a_wrong_option_number_is_refused_at_its_box(qtbot, state, page):
    """A long option list is typed as option numbers: a number out of range is refused at
    that box when saving, with the reason in its row, and nothing is stored."""
    import dataclasses

    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    cell = next(c for c in page.cells if c.entry.kind == "demographic")
    options = {f"o{n}": f"Option {n}" for n in range(1, 13)}
    cell.entry = dataclasses.replace(cell.entry, digits={}, labels=options)
    index = page.cells.index(cell)
    page.focus_cell(index)
    keys(qtbot, page, "15")
    page.focus_cell(index + 3)
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert state.store.campaign(campaign.id).response_count == before
    assert page.focusWidget() is cell and cell.property("invalid")
    assert "not an option number" in page.meanings[index].text()
    keys(qtbot, page, "2")  # corrected: the mark goes
    assert not cell.property("invalid")


def test_a_form_number_stored_before_is_refused(qtbot, state, page, tmp_path):
    """The form number is the form's identity in the campaign: a form typed again in a
    later session, or already imported from a template, is not stored twice."""
    import openpyxl

    from culturescope.importing import import_file
    from culturescope.reports.template import write_template

    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    keys(qtbot, page, "0731")
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "Research")
    key(qtbot, page, Qt.Key.Key_Return)
    first_item = next(n for n, c in enumerate(page.cells) if c.entry.kind == "item")
    page.focus_cell(first_item)
    keys(qtbot, page, "4")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Form 0731 saved" in page.status.text()

    # a clerk types the same paper form into the template (Excel drops the zero)
    path = write_template(state.store, campaign.id, tmp_path / "clerk.xlsx", rows=3)
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("Form number") + 1, value=731)
    ws.cell(row=2, column=headers.index("Team") + 1, value="Research")
    item = page.instrument.items[0].text_for("en")
    ws.cell(row=2, column=headers.index(item) + 1, value=4)
    wb.save(path)
    report = import_file(state.store, campaign.id, path)
    assert (report.rows_added, report.already_stored) == (0, 1)

    # the next day, someone types form 731 again on a fresh page
    other = _shown_page(qtbot, state)
    other.form_number.setText("731")
    other.focus_cell(first_item)
    keys(qtbot, other, "4")
    other.save_form()  # (Ctrl+S: the first page, still open, owns the shortcut here)
    qtbot.waitUntil(lambda: not other.saving, timeout=30_000)
    assert "Form 731 is already stored in this campaign" in other.number_error.text()
    assert other.form_number.property("invalid") is True
    other.resize(1366, 768)
    other.grab().save(str(tmp_path / "paper-form-already-stored.png"))
    assert other.forms_this_session == 0 and not other.undo_button.isEnabled()
    assert state.store.campaign(campaign.id).response_count == before + 1


def test_a_busy_database_does_not_block_and_loses_nothing(qtbot, state, page):
    """Another CultureScope holds the write lock: the page says so, Esc stops waiting,
    the boxes keep what was typed; saving again once it is free stores the form."""
    import sqlite3

    from culturescope.storage import sqlite_path

    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    keys(qtbot, page, "0007")
    key(qtbot, page, Qt.Key.Key_Return)
    keys(qtbot, page, "Research")
    key(qtbot, page, Qt.Key.Key_Return)
    page.focus_cell(4)
    keys(qtbot, page, "4321")
    typed = [c.text() for c in page.cells]
    other = sqlite3.connect(sqlite_path(state.store.url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert page.saving and not page.save_button.isEnabled()
        assert not page.scroll.isEnabled()  # no box takes keys while the form is stored
        qtbot.waitUntil(page.stop_button.isVisible, timeout=30_000)
        assert "the database is busy" in page.status.text()
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # ignored
        qtbot.keyClick(page, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not page.saving, timeout=30_000)
    finally:
        other.rollback()
        other.close()
    assert "you stopped waiting" in page.status.text()
    assert [c.text() for c in page.cells] == typed
    assert page.form_number.text() == "0007"
    assert state.store.campaign(campaign.id).response_count == before
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Form 0007 saved" in page.status.text()
    assert state.store.campaign(campaign.id).response_count == before + 1


def test_a_failed_save_keeps_the_form(qtbot, state, page, dialogs, monkeypatch):
    from culturescope.storage import DatabaseFailure

    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    page.focus_cell(4)
    keys(qtbot, page, "55")
    typed = [c.text() for c in page.cells]

    def broken(*_a, **_k):
        raise DatabaseFailure("the disk holding the database is full")

    monkeypatch.setattr(state.store, "add_responses", broken)
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.errors and "disk holding the database is full" in dialogs.errors[-1][1]
    assert "still hold what you typed" in dialogs.errors[-1][2]
    assert [c.text() for c in page.cells] == typed and page.scroll.isEnabled()
    assert state.store.campaign(campaign.id).response_count == before


def test_undo_waits_for_a_busy_database_too(qtbot, state, page):
    import sqlite3

    from culturescope.storage import sqlite_path

    campaign = state.current_campaign
    before = state.store.campaign(campaign.id).response_count
    page.focus_cell(4)
    keys(qtbot, page, "23")
    key(qtbot, page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert state.store.campaign(campaign.id).response_count == before + 1
    other = sqlite3.connect(sqlite_path(state.store.url), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
        assert page.saving and not page.undo_button.isEnabled()
        qtbot.waitUntil(page.stop_button.isVisible, timeout=30_000)
        assert "Removing the last form… the database is busy" in page.status.text()
        qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not page.saving, timeout=30_000)
    finally:
        other.rollback()
        other.close()
    assert "Nothing was removed" in page.status.text()
    assert state.store.campaign(campaign.id).response_count == before + 1
    assert page.undo_button.isEnabled()
    undo(qtbot, page)
    assert state.store.campaign(campaign.id).response_count == before
    assert page.cells[4].text() == "2"


def test_option_hints_never_split_a_digit_from_its_meaning(page):
    """ "3 = 3 to 10 years" stays on one line: a line may break only after an option's
    dot, so the typist never reads "3" at a line's end and "3 to 10 years" below it."""
    from culturescope.gui.pages.paper_page import NBSP, option_legend

    legend = option_legend([("1", "Under 1 year"), ("3", "3 to 10 years")])
    under, middle = (
        f"1{NBSP}={NBSP}Under{NBSP}1{NBSP}year",
        f"3{NBSP}={NBSP}3{NBSP}to{NBSP}10{NBSP}years",
    )
    assert legend == f"{under}{NBSP}· {middle}"
    fields = [cell.entry for cell in page.cells]
    demographics = [f for f in fields if f.kind == "demographic" and f.digits]
    assert demographics
    for entry in demographics:
        options = entry.legend.split(NBSP + "· ")
        assert len(options) == len(entry.digits) + 1  # the choices, then 0 = not answered
        assert all(" " not in option for option in options), options
        assert options[-1] == f"0{NBSP}={NBSP}not{NBSP}answered"
