"""Kiosk mode driven as a respondent and as the lead would: keys, clicks, the passphrase."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from culturescope.gui import passphrase
from culturescope.gui.kiosk import KioskWindow
from culturescope.gui.kiosk_pages import MIN_TARGET, ChoiceBlock, CommentBlock, TextBlock
from culturescope.settings import load_settings
from culturescope.storage import StoreError

PASS = "open sesame"


@pytest.fixture
def campaign(state):
    c = state.current_campaign
    assert c is not None
    # the lead's team list: offered to respondents in the team field
    return state.store.update_campaign(
        c.id, headcounts={"team": {"Research": 20, "Platform": 12, "Policy": 8}}
    )


@pytest.fixture
def kiosks(qtbot):
    """Makes kiosk windows and unlocks whatever a test leaves open."""
    made: list[KioskWindow] = []

    def make(state, campaign, **kw) -> KioskWindow:
        k = KioskWindow(state, campaign, **kw)
        made.append(k)
        return k

    yield make
    for k in made:
        if k.locked:
            k.unlock_and_close()
        k.deleteLater()


def start(qtbot, kiosk) -> None:
    assert kiosk.start()
    qtbot.waitExposed(kiosk)
    kiosk.activateWindow()


def press(qtbot, kiosk, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the respondent's keyboard focus is."""
    qtbot.keyClick(kiosk.focusWidget() or kiosk, key, modifier)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def submit(qtbot, kiosk) -> None:
    """Press Submit and wait for the worker that stores the response to end."""
    click(qtbot, kiosk.next_button)
    qtbot.waitUntil(lambda: not kiosk.saving, timeout=30_000)


def digit(n: int):
    return getattr(Qt.Key, f"Key_{n}")


def answer_pattern(instrument):
    """What the test respondent answers: varied codes, N/A where the scale has it."""
    wanted = {}
    for n, item in enumerate(instrument.items):
        scale = instrument.scale_of(item)
        if scale.na_code is not None and n % 7 == 3:
            wanted[item.id] = scale.na_code
        else:
            wanted[item.id] = n % scale.points + 1
    return wanted


def test_full_response_is_stored(qtbot, state, campaign, kiosks):
    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=600_000, thanks_ms=200)
    start(qtbot, kiosk)
    assert kiosk.current_page() is kiosk.welcome
    assert kiosk.isFullScreen()
    click(qtbot, kiosk.start_button)

    # About you: team, role and tenure picked by their number keys, the site typed
    demographics_page = kiosk.pages[0]
    assert kiosk.current_page() is demographics_page
    team = demographics_page.blocks[0]
    assert isinstance(team, ChoiceBlock)  # the campaign's team list: pick only, no typing
    assert [c.label for c in team.choices] == ["Platform", "Policy", "Research"]
    assert [c.key for c in team.choices] == ["1", "2", "3"]
    assert kiosk.focusWidget() is team.buttons[0]
    press(qtbot, kiosk, Qt.Key.Key_3)  # team 3 = Research
    assert team.value() == "Research"
    assert demographics_page.current == 1
    press(qtbot, kiosk, Qt.Key.Key_2)  # role 2 = Manager
    site = demographics_page.blocks[2]
    assert isinstance(site, TextBlock)  # no list of sites: typed
    assert kiosk.focusWidget() is site.edit
    qtbot.keyClicks(kiosk.focusWidget(), "London")
    press(qtbot, kiosk, Qt.Key.Key_Return)
    press(qtbot, kiosk, Qt.Key.Key_3)  # tenure 3 = 3 to 10 years
    assert kiosk.focusWidget() is kiosk.next_button
    assert "Page 1 of" in kiosk.progress_text.text()
    press(qtbot, kiosk, Qt.Key.Key_Return)

    # One page per dimension: digits answer and advance, 0 = N/A, Enter = next page
    wanted = answer_pattern(kiosk.instrument)
    dimension_pages = [p for p in kiosk.pages if p.blocks and p.blocks[0].kind == "item"]
    assert len(dimension_pages) == len(kiosk.instrument.dimensions)
    for n, page in enumerate(dimension_pages, start=2):
        assert kiosk.current_page() is page
        assert f"Page {n} of {len(kiosk.pages) + 1}" == kiosk.progress_text.text()
        for block in page.blocks:
            code = wanted[block.key]
            press(qtbot, kiosk, digit(code))
        press(qtbot, kiosk, Qt.Key.Key_Return)

    # Comments: typed text; Tab leaves the field
    comments_page = kiosk.current_page()
    assert isinstance(comments_page.blocks[0], CommentBlock)
    qtbot.keyClicks(kiosk.focusWidget(), "More time for safety reviews")
    click(qtbot, kiosk.next_button)

    # Review: every answer listed; clicking one goes back to it
    assert kiosk.current_page() is kiosk.review
    review = kiosk.review
    first_item = dimension_pages[0].blocks[0]
    row = review.row_of(1, 0)
    assert row is not None
    assert first_item.display_value() in row.text()
    rect = review.list.visualItemRect(row)
    qtbot.mouseClick(review.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert kiosk.current_page() is dimension_pages[0]
    assert dimension_pages[0].current == 0
    press(qtbot, kiosk, Qt.Key.Key_5)  # changes the first answer
    wanted[first_item.key] = 5
    assert kiosk.review_button.isVisible()
    click(qtbot, kiosk.review_button)
    assert kiosk.current_page() is kiosk.review
    assert "Strongly agree" in review.row_of(1, 0).text()

    submit(qtbot, kiosk)
    assert kiosk.current_page() is kiosk.thanks
    assert kiosk.collect().answers == {}  # nothing kept in memory after the commit

    data = state.store.load_responses(campaign.id)
    assert len(data) == before + 1
    rid = data.answers.index[-1]
    assert data.meta.loc[rid, "source"] == "kiosk"
    stored = {k: int(v) for k, v in data.answers.loc[rid].items()}
    assert stored == wanted
    demographics = data.demographics.loc[rid].to_dict()
    assert demographics == {
        "team": "Research",
        "role": "manager",
        "site": "London",
        "tenure": "y3_10",
    }
    mine = data.comments[data.comments.response_id == rid]
    assert mine.set_index("prompt_id")["text"].to_dict() == {"C1": "More time for safety reviews"}

    # the thank-you page resets itself for the next person
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)


def test_a_campaign_list_is_offered_as_choices_only(qtbot, state, kiosks):
    """With the campaign's lists, team and site are picked like role, never typed."""
    teams = {f"Team {name}": 6 for name in "ABCDEFGHIJKL"}  # 12 teams: more than 9 keys
    campaign = state.store.update_campaign(
        state.current_campaign.id, headcounts={"team": teams, "site": {"London": 30, "Oslo": 9}}
    )
    state.settings.set_passphrase(PASS)
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    page = kiosk.pages[0]
    team, role, site, _tenure = page.blocks
    assert all(isinstance(b, ChoiceBlock) for b in page.blocks)
    assert page.findChildren(QLineEdit) == []  # nothing to type anything into
    assert [c.label for c in team.choices] == sorted(teams)
    assert [c.key for c in team.choices] == [str(n) for n in range(1, 10)] + ["", "", ""]
    assert [c.label for c in site.choices] == ["London", "Oslo"]
    assert role.choices[-1].value == "prefer_not_to_say"  # the instrument's own option
    for block in (team, site):
        for button, choice in zip(block.buttons, block.choices, strict=True):
            assert button.accessibleName() == choice.label
            assert button.accessibleDescription() == block.title
            assert button.height() >= MIN_TARGET
    assert "number keys pick an answer" in page.findChild(QLabel, "kioskHint").text()

    # the user test: 4 then 3 gives team 4, then role 3 (as on every choice question)
    assert kiosk.focusWidget() is team.buttons[0]
    press(qtbot, kiosk, Qt.Key.Key_4)
    press(qtbot, kiosk, Qt.Key.Key_3)
    assert (team.value(), role.value()) == ("Team D", role.choices[2].value)
    press(qtbot, kiosk, Qt.Key.Key_9)  # more digits than there are sites: nothing happens
    assert site.value() is None and page.current == 2
    press(qtbot, kiosk, Qt.Key.Key_2)
    assert site.value() == "Oslo"
    # teams past the ninth: arrow keys (or a tap) reach them
    team_k = team.buttons[10]
    page.set_current(0)
    assert kiosk.focusWidget() is team.buttons[3]  # Team D, in rows of six
    kiosk.activateWindow()  # arrow keys move between tiles in the active window only
    qtbot.waitUntil(lambda: QApplication.focusWidget() is team.buttons[3])
    press(qtbot, kiosk, Qt.Key.Key_Down)
    press(qtbot, kiosk, Qt.Key.Key_Right)
    assert kiosk.focusWidget() is team_k
    assert team.value() == "Team K"
    click(qtbot, team.buttons[11])
    assert team.value() == "Team L"
    assert kiosk.collect().demographics == {
        "team": "Team L",
        "role": role.choices[2].value,
        "site": "Oslo",
    }


def test_a_typed_team_is_never_only_a_number(qtbot, state, kiosks):
    """Without a team list the team is typed, but digits alone are refused on screen."""
    campaign = state.current_campaign
    assert not campaign.headcounts.get("team")
    state.settings.set_passphrase(PASS)
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    page = kiosk.pages[0]
    team = page.blocks[0]
    assert isinstance(team, TextBlock)
    assert kiosk.focusWidget() is team.edit
    assert team.edit.accessibleName() == team.title
    assert team.edit.height() >= MIN_TARGET
    hint = page.findChild(QLabel, "kioskHint").text()
    assert "number keys pick the numbered answers" in hint
    assert "type the others in words" in hint

    press(qtbot, kiosk, Qt.Key.Key_4)  # as if answering a numbered question
    press(qtbot, kiosk, Qt.Key.Key_3)
    assert team.edit.text() == "43"
    assert team.error.isVisible()
    assert "“43” is not taken as an answer" in team.error.text()
    assert team.edit.accessibleDescription() == team.error.text()
    assert team.value() is None
    press(qtbot, kiosk, Qt.Key.Key_Return)  # Enter does not move on
    assert page.current == 0 and kiosk.focusWidget() is team.edit
    role = page.blocks[1]
    click(qtbot, role.buttons[0])
    click(qtbot, kiosk.next_button)  # nor does Next: back to the team box, message shown
    assert kiosk.current_page() is page
    assert page.current == 0 and kiosk.focusWidget() is team.edit
    assert team.error.isVisible()
    assert "team" not in kiosk.collect().demographics

    team.edit.selectAll()
    qtbot.keyClicks(team.edit, "Unit 4")  # a name with a number in it is fine
    assert not team.error.isVisible()
    assert team.value() == "Unit 4"
    press(qtbot, kiosk, Qt.Key.Key_Return)
    assert page.current == 1
    team.edit.clear()  # left empty: skipped, no message
    assert not team.error.isVisible() and team.value() is None
    click(qtbot, kiosk.next_button)
    assert kiosk.current_page() is kiosk.pages[1]


def test_idle_response_is_discarded(qtbot, state, campaign, kiosks):
    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=150)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    click(qtbot, kiosk.next_button)  # skip the demographics
    page = kiosk.current_page()
    press(qtbot, kiosk, Qt.Key.Key_4)
    press(qtbot, kiosk, Qt.Key.Key_2)
    assert page.blocks[0].value() == 4
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=5000)
    assert state.store.campaign(campaign.id).response_count == before
    assert kiosk.pages == []  # the answers went with their pages
    # the next person starts from empty pages
    click(qtbot, kiosk.start_button)
    click(qtbot, kiosk.next_button)
    assert kiosk.current_page().blocks[0].value() is None


def test_activity_keeps_the_response(qtbot, state, campaign, kiosks):
    state.settings.set_passphrase(PASS)
    kiosk = kiosks(state, campaign, idle_ms=1000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    click(qtbot, kiosk.next_button)
    page = kiosk.current_page()
    for _ in range(4):  # 1.4 s in all, but never 1 s without a key press
        qtbot.wait(350)
        press(qtbot, kiosk, Qt.Key.Key_4)
    assert kiosk.current_page() is page
    assert page.blocks[0].value() == 4
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=5000)


def test_exit_needs_the_right_passphrase(qtbot, state, campaign, kiosks, monkeypatch):
    state.settings.set_passphrase(PASS)
    main = QWidget()
    qtbot.addWidget(main)
    main.show()
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    assert not main.isVisible()  # respondents cannot reach the app behind the kiosk

    typed = []
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda *_a, **_k: typed.pop(0))
    typed.append("guess")
    press(
        qtbot,
        kiosk,
        Qt.Key.Key_Q,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(kiosk.banner.isVisible)
    assert "Wrong passphrase" in kiosk.banner.text()
    assert kiosk.isVisible() and kiosk.locked and not main.isVisible()

    typed.append(None)  # the admin button, then Cancel
    click(qtbot, kiosk.admin_button)
    assert kiosk.isVisible() and kiosk.locked

    typed.append(PASS)
    with qtbot.waitSignal(kiosk.kioskClosed, timeout=3000):
        click(qtbot, kiosk.admin_button)
    assert not kiosk.isVisible()
    assert main.isVisible()


def test_shown_directly_it_still_hides_the_app(qtbot, state, campaign, kiosks, monkeypatch):
    """A caller may show the kiosk itself (``showFullScreen()``) instead of ``start()``."""
    state.settings.set_passphrase(PASS)
    main = QWidget()
    qtbot.addWidget(main)
    main.show()
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    kiosk.showFullScreen()
    qtbot.waitUntil(lambda: not main.isVisible())
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda *_a, **_k: PASS)
    with qtbot.waitSignal(kiosk.kioskClosed, timeout=3000):
        press(
            qtbot,
            kiosk,
            Qt.Key.Key_Q,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert main.isVisible()


def test_close_and_escape_are_ignored_while_locked(qtbot, state, campaign, kiosks):
    state.settings.set_passphrase(PASS)
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    page = kiosk.current_page()
    assert not kiosk.close()
    assert kiosk.isVisible()
    press(qtbot, kiosk, Qt.Key.Key_Escape)
    press(qtbot, kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert kiosk.isVisible() and kiosk.current_page() is page
    kiosk.unlock_and_close()
    assert not kiosk.isVisible()


def test_the_kiosk_watches_the_app_only_while_it_is_locked_on_screen(qtbot, state, campaign):
    """Its app-wide event filter (idle activity, Escape refused) is on from show to unlock:
    a kiosk made but never shown, or left, must not see every event of the app."""
    from PySide6.QtCore import QEvent

    class Watching(KioskWindow):
        seen = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.User:
                self.seen += 1
            return super().eventFilter(watched, event)

    state.settings.set_passphrase(PASS)
    other = QWidget()
    qtbot.addWidget(other)
    kiosk = Watching(state, campaign, idle_ms=600_000)
    try:
        QApplication.sendEvent(other, QEvent(QEvent.Type.User))
        assert kiosk.seen == 0  # made, not shown
        start(qtbot, kiosk)
        QApplication.sendEvent(other, QEvent(QEvent.Type.User))
        assert kiosk.seen == 1
    finally:
        kiosk.unlock_and_close()
    QApplication.sendEvent(other, QEvent(QEvent.Type.User))
    assert kiosk.seen == 1  # left: no longer watching
    kiosk.show()  # shown again after unlocking (nothing does, but it must not lock again)
    QApplication.sendEvent(other, QEvent(QEvent.Type.User))
    assert kiosk.seen == 1
    kiosk.close()
    kiosk.deleteLater()


def test_start_asks_the_lead_to_set_a_passphrase(qtbot, state, campaign, kiosks, monkeypatch):
    assert not state.settings.has_passphrase
    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: None)
    refused = kiosks(state, campaign)
    assert not refused.start()  # the lead cancelled: no kiosk without a way out
    assert not refused.isVisible()

    monkeypatch.setattr(passphrase, "ask_new_passphrase", lambda _parent: "chosen words")
    kiosk = kiosks(state, campaign)
    start(qtbot, kiosk)
    assert state.settings.check_passphrase("chosen words")
    assert load_settings().check_passphrase("chosen words")  # saved, as a salted hash
    assert "chosen words" not in load_settings().admin_passphrase_hash


def test_failed_submit_keeps_the_answers(qtbot, state, campaign, kiosks, monkeypatch):
    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    role = kiosk.pages[0].blocks[1]
    assert isinstance(role, ChoiceBlock)
    click(qtbot, role.buttons[0])  # Front-line staff, by mouse
    click(qtbot, kiosk.next_button)
    press(qtbot, kiosk, Qt.Key.Key_0)  # N/A
    for _ in kiosk.pages[2:]:
        click(qtbot, kiosk.next_button)
    click(qtbot, kiosk.next_button)
    assert kiosk.current_page() is kiosk.review

    real = state.store.add_responses

    def broken(*_a, **_k):
        raise StoreError("the database is locked")

    monkeypatch.setattr(state.store, "add_responses", broken)
    submit(qtbot, kiosk)
    assert kiosk.current_page() is kiosk.review
    assert kiosk.review.error.isVisible()
    assert "could not be saved" in kiosk.review.error.text()
    assert "the database is locked" in kiosk.review.error.text()

    monkeypatch.setattr(state.store, "add_responses", real)
    submit(qtbot, kiosk)
    assert kiosk.current_page() is kiosk.thanks
    data = state.store.load_responses(campaign.id)
    assert len(data) == before + 1
    rid = data.answers.index[-1]
    assert data.demographics.loc[rid, "role"] == "front_line"
    first = kiosk.instrument.items[0].id
    assert data.answers.loc[rid, first] == kiosk.instrument.scale_of(first).na_code


def test_empty_response_is_not_submitted(qtbot, state, campaign, kiosks):
    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    while kiosk.current_page() is not kiosk.review:
        click(qtbot, kiosk.next_button)
    click(qtbot, kiosk.next_button)
    assert kiosk.current_page() is kiosk.review
    assert "not answered any question" in kiosk.review.error.text()
    assert state.store.campaign(campaign.id).response_count == before


@pytest.mark.parametrize(
    "instrument_id", ["psychological-safety-pulse", "leadership-self-assessment"]
)
def test_every_shipped_instrument_runs_in_the_kiosk(qtbot, empty_state, kiosks, instrument_id):
    from culturescope.instruments import get_instrument

    inst = get_instrument(instrument_id)
    store = empty_state.store
    campaign = store.create_campaign("Pulse", inst)
    empty_state.settings.set_passphrase(PASS)
    kiosk = kiosks(empty_state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    click(qtbot, kiosk.start_button)
    with_items = [d for d in inst.dimensions if inst.items_of(d.id)]
    assert len(kiosk.pages) == bool(inst.demographics) + len(with_items) + bool(inst.comments)
    answered = {}
    while kiosk.current_page() is not kiosk.review:
        page = kiosk.current_page()
        for block in page.blocks:
            if block.kind == "item":
                press(qtbot, kiosk, Qt.Key.Key_1)
                answered[block.key] = 1
        click(qtbot, kiosk.next_button)
    submit(qtbot, kiosk)
    assert kiosk.current_page() is kiosk.thanks
    data = store.load_responses(campaign.id)
    assert len(data) == 1
    assert {k: int(v) for k, v in data.answers.iloc[0].items()} == answered
    assert list(data.meta["source"]) == ["kiosk"]


def test_every_question_kind_answers_for_itself():
    """Each kind of question overrides the base block's unanswered defaults."""
    from culturescope.gui.kiosk_pages import ChoiceBlock, CommentBlock, QuestionBlock, TextBlock

    for cls in (ChoiceBlock, TextBlock, CommentBlock):
        for name in ("value", "display_value", "focus_answer"):
            assert getattr(cls, name) is not getattr(QuestionBlock, name), (cls, name)


def test_wrong_passphrases_back_off(qtbot, state, campaign, kiosks, monkeypatch):
    from culturescope.settings import Backoff

    state.settings.set_passphrase(PASS)
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    now = [0.0]
    kiosk.backoff = Backoff(free=2, first=5, clock=lambda: now[0])
    start(qtbot, kiosk)
    asked = []

    def ask(*_a, **_k):
        asked.append(1)
        return "guess" if len(asked) <= 3 else PASS

    monkeypatch.setattr(passphrase, "ask_passphrase", ask)
    for _ in range(3):
        click(qtbot, kiosk.admin_button)
    assert "try again in 5 s" in kiosk.banner.text()
    click(qtbot, kiosk.admin_button)  # too soon: not even asked
    assert len(asked) == 3 and "Too many wrong passphrases" in kiosk.banner.text()
    now[0] += 5
    with qtbot.waitSignal(kiosk.kioskClosed, timeout=3000):
        click(qtbot, kiosk.admin_button)
    assert len(asked) == 4 and not kiosk.locked


def test_new_passphrase_dialog_needs_eight_characters_and_hints(qtbot):
    from culturescope.gui.passphrase import NewPassphraseDialog

    dialog = NewPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.first.setText("abcd")
    dialog.second.setText("abcd")
    assert "8 characters" in dialog.check()
    assert "Too weak" in dialog.strength.text()
    dialog.first.setText("purple kettle under Oslo rain")
    dialog.second.setText("purple kettle under Oslo rain")
    assert dialog.check() == "" and dialog.strength.text() == "Strong."


def test_kiosk_stylesheet_comes_from_the_theme_tokens_and_the_app_font():
    import re

    from culturescope.gui import theme
    from culturescope.paths import resources_dir

    template = (resources_dir() / "styles" / "kiosk.qss").read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", template, flags=re.S)
    assert not re.findall(r"#[0-9A-Fa-f]{3,6}\b", body), "a colour outside the tokens"
    assert not re.findall(r"\d+(\.\d+)?pt", body), "a fixed point size"
    for tokens in (theme.LIGHT, theme.DARK):
        sheet = theme.kiosk_stylesheet(tokens, 10.0)
        assert "$" not in sheet
        assert f"QWidget#kiosk {{ background: {tokens.surface}; }}" in sheet
        body_size = re.compile(r"QWidget \{ font-size: ([\d.]+)pt")
        assert float(body_size.search(sheet).group(1)) == 16.0  # as large as before
        larger = theme.kiosk_stylesheet(tokens, 14.0)
        assert float(body_size.search(larger).group(1)) > 16.0  # grows with the system font


def test_kiosk_follows_the_dark_theme(qtbot, qapp, state, campaign, kiosks, tmp_path):
    """The kiosk, its answer tiles and its review list are drawn in the app's dark theme,
    readable (the tile colours are the theme's checked pairings) and back to light after."""
    from culturescope.gui import theme
    from culturescope.gui.kiosk_pages import tile_colours

    try:
        theme.apply("dark", qapp)
        state.settings.set_passphrase(PASS)
        kiosk = kiosks(state, campaign, idle_ms=600_000)
        start(qtbot, kiosk)
        click(qtbot, kiosk.start_button)  # the first questions, with their answer tiles
        qapp.processEvents()
        picture = kiosk.grab().toImage()
        corner = picture.pixelColor(5, picture.height() // 2).name().upper()
        assert corner == theme.DARK.surface.upper()
        tiles = tile_colours()
        assert theme.contrast(tiles["text"], tiles["surface"]) >= 4.5
        assert theme.contrast(tiles["on_accent"], tiles["accent"]) >= 4.5
        assert theme.contrast(tiles["focus"], tiles["surface"]) >= 3.0
        kiosk.grab().save(str(tmp_path / "kiosk-dark.png"))
        theme.apply("light", qapp)  # a change while it is open is followed
        qapp.processEvents()
        picture = kiosk.grab().toImage()
        assert picture.pixelColor(5, picture.height() // 2).name().upper() == "#FFFFFF"
    finally:
        theme.apply("light", qapp)


def _lock(path):
    """Another program holding the database's write lock (a raw sqlite3 connection)."""
    import sqlite3

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def _to_review(qtbot, kiosk) -> None:
    click(qtbot, kiosk.start_button)
    press(qtbot, kiosk, Qt.Key.Key_1)  # first "about you" answer
    while kiosk.current_page() is not kiosk.review:
        click(qtbot, kiosk.next_button)


def test_submit_waits_for_a_busy_database_without_blocking(qtbot, state, campaign, kiosks):
    """Another CultureScope writing: the kiosk says so, can stop waiting, keeps the answers."""
    from culturescope.storage import sqlite_path

    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=600_000, thanks_ms=600_000)
    start(qtbot, kiosk)
    _to_review(qtbot, kiosk)
    wanted = kiosk.collect()
    other = _lock(sqlite_path(state.store.url))
    try:
        click(qtbot, kiosk.next_button)  # Submit: the GUI thread returns at once
        assert kiosk.saving and not kiosk.next_button.isEnabled()
        assert not kiosk.review.list.isEnabled()  # answers locked while being stored
        # No way back to the questions while they are stored: not by the button, not by
        # any other route to back().
        assert not kiosk.back_button.isEnabled()
        kiosk.back()
        assert kiosk.current_page() is kiosk.review
        qtbot.waitUntil(kiosk.stop_button.isVisible, timeout=30_000)
        assert "the database is busy" in kiosk.progress_text.text()
        assert "waiting for another CultureScope" in kiosk.progress_text.text()
        kiosk.request_exit()  # the organiser cannot leave half-way through a save
        assert "being saved" in kiosk.banner.text() and kiosk.locked
        click(qtbot, kiosk.stop_button)
        qtbot.waitUntil(lambda: not kiosk.saving, timeout=30_000)
    finally:
        other.rollback()
        other.close()
    assert kiosk.current_page() is kiosk.review
    assert "you stopped waiting" in kiosk.review.error.text()
    assert kiosk.review.error.isVisible() and kiosk.next_button.isEnabled()
    assert kiosk.collect() == wanted  # every answer still there
    assert state.store.campaign(campaign.id).response_count == before
    submit(qtbot, kiosk)  # the other program has finished: stored now
    assert kiosk.current_page() is kiosk.thanks
    assert state.store.campaign(campaign.id).response_count == before + 1


def test_submit_gives_up_on_a_database_held_too_long(qtbot, state, campaign, kiosks, monkeypatch):
    from culturescope.storage import sqlite_path

    monkeypatch.setenv("CULTURESCOPE_BUSY_WAIT", "0.3")
    state.settings.set_passphrase(PASS)
    before = state.store.campaign(campaign.id).response_count
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    _to_review(qtbot, kiosk)
    wanted = kiosk.collect()
    other = _lock(sqlite_path(state.store.url))
    try:
        submit(qtbot, kiosk)
    finally:
        other.rollback()
        other.close()
    text = kiosk.review.error.text()
    assert "could not be saved" in text and "another CultureScope is writing" in text
    assert "press Submit to try again" in text
    assert kiosk.collect() == wanted
    assert state.store.campaign(campaign.id).response_count == before


def test_backoff_survives_restarting_the_kiosk(qtbot, state, campaign, kiosks, monkeypatch):
    """Restarting the app is no way around the wait after wrong passphrases."""
    from culturescope.settings import Backoff, backoff_path

    state.settings.set_passphrase(PASS)
    now = [1_000_000.0]
    asked = []

    def ask(*_a, **_k):
        asked.append(1)
        return "guess"

    monkeypatch.setattr(passphrase, "ask_passphrase", ask)
    first = kiosks(state, campaign, idle_ms=600_000)
    first.backoff = Backoff(path=backoff_path(), clock=lambda: now[0])
    start(qtbot, first)
    for _ in range(4):  # three free attempts, then a wait
        click(qtbot, first.admin_button)
    assert "try again in 5 s" in first.banner.text()
    first.unlock_and_close()  # e.g. the laptop was switched off and on again

    second = kiosks(state, campaign, idle_ms=600_000)
    assert second.backoff.failures == 4
    second.backoff.clock = lambda: now[0]
    start(qtbot, second)
    click(qtbot, second.admin_button)
    assert len(asked) == 4 and "Too many wrong passphrases" in second.banner.text()
    now[0] += 5
    click(qtbot, second.admin_button)
    assert len(asked) == 5 and "try again in 10 s" in second.banner.text()


@pytest.mark.parametrize("lock", [True, False])
def test_admin_unlock_offers_to_seal_a_plain_key(
    qtbot, state, campaign, kiosks, monkeypatch, dialogs, lock
):
    """A laptop set up by an earlier version keeps the bundle key in its database: the
    organiser's next unlock offers to seal it under the passphrase just given."""
    from culturescope import bundles

    state.settings.set_passphrase(PASS)
    key = state.store.campaign(campaign.id).bundle_key
    assert key and bundles.plain_key_to_seal(state.store, campaign)
    monkeypatch.setattr(passphrase, "ask_passphrase", lambda *_a, **_k: PASS)
    dialogs.answer = lock
    kiosk = kiosks(state, campaign, idle_ms=600_000)
    start(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.kioskClosed, timeout=3000):
        click(qtbot, kiosk.admin_button)
    assert len(dialogs.confirms) == 1 and "Lock the bundle key" in dialogs.confirms[0][0]
    now = state.store.campaign(campaign.id)
    if lock:
        assert now.bundle_key == "" and bundles.key_is_sealed(state.store, now)
        assert state.current_campaign.bundle_key == ""  # the app's pages see it sealed
        assert bundles.campaign_key(state.store, now, PASS) == key
    else:
        assert now.bundle_key == key  # the machine where the campaign was created
    assert not bundles.plain_key_to_seal(state.store, now)
    again = kiosks(state, now, idle_ms=600_000)  # the next unlock asks nothing
    start(qtbot, again)
    with qtbot.waitSignal(again.kioskClosed, timeout=3000):
        click(qtbot, again.admin_button)
    assert len(dialogs.confirms) == 1 and not dialogs.errors
