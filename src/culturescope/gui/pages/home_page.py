"""Campaign home: the path from setting up to the scorecard, with counts and the next step.

Four steps — set up, collect, results, export — each with what is done so far and the
actions that move it on. The first step not yet done carries the one primary action, so
a new user always sees what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from culturescope.gui.state import AppState, FollowsStore, enough_data
from culturescope.gui.style import set_picture
from culturescope.gui.widgets import Card, EmptyState, clear_layout, page_header, tool_button

# How each way of collecting reads after a count ("40 from files", not "40 file").
_SOURCE_WORDS = {
    "file": "from files",
    "kiosk": "at the kiosk",
    "paper": "typed from paper forms",
    "bundle": "from kiosk laptops",
    "demo": "demo",
}


@dataclass(frozen=True)
class Step:
    """One step of the path: its state and the actions (label, icon, navigation target)."""

    key: str
    title: str
    done: bool
    detail: str
    actions: tuple[tuple[str, str, str], ...]
    #: Signal checks this step leaves impossible (no policy register, no headcounts):
    #: the step is done, but wears no tick — the signals are not all checked.
    unchecked: tuple[str, ...] = ()


def campaign_steps(store, campaign) -> list[Step]:
    """The four steps for ``campaign``, from what the database holds (no Qt)."""
    from culturescope.policies import policies

    # Not culturescope.signals: that would load SciPy before the first screen shows.
    from culturescope.signal_setup import not_checked_sentence, setup_not_checked

    inst = store.instrument(campaign.instrument_key)
    period = (
        f"{campaign.opens_on.isoformat()} to {campaign.closes_on.isoformat()}"
        if campaign.opens_on and campaign.closes_on
        else "no survey period set"
    )
    register = policies(store, campaign.organisation)
    n_policies = len(register)
    # The same words as the Signals page and the scorecard's "Not checked: …".
    unchecked = tuple(setup_not_checked(campaign, register))
    detail = (
        f"{inst.title} · groups under {campaign.min_group_size} responses hidden · {period} · "
        f"{n_policies} {'policy' if n_policies == 1 else 'policies'} in the register"
        f"{'' if campaign.headcounts else ' · no headcounts'}"
    )
    if unchecked:
        how = {
            (True, True): "add policies and load headcounts (campaign settings) to run them",
            (True, False): "add policies to run this check",
            (False, True): "load headcounts (campaign settings) to run this check",
        }[(not register, not campaign.headcounts)]
        detail += f"\n{not_checked_sentence(unchecked)[:-1]} — {how}."
    setup = Step(
        "setup",
        "Set up",
        True,
        detail,
        (
            ("Campaign settings…", "campaigns", "edit-campaign"),
            ("Policies", "policies", "policies"),
        ),
        unchecked,
    )
    batches = store.batches(campaign.id)
    by_source: dict[str, int] = {}
    for b in batches:
        by_source[b.source] = by_source.get(b.source, 0) + b.rows_added
    n = campaign.response_count
    parts = [
        f"{count:,} {_SOURCE_WORDS.get(source, source)}"
        for source, count in sorted(by_source.items())
        if count
    ]
    enough = enough_data(campaign)
    collect = Step(
        "collect",
        "Collect responses",
        enough,
        (
            f"{n:,} responses" + (f" ({', '.join(parts)})" if parts else "")
            if n
            else "No responses yet"
        )
        + ("" if enough else f" · scores need at least {campaign.min_group_size}"),
        (
            ("Import a file…", "import", "import"),
            ("Type in paper forms", "paper", "paper"),
            ("Check the responses", "responses", "responses"),
        ),
    )
    results = Step(
        "results",
        "Read the results",
        False,
        "Scores per pillar and group, and the safety-washing signals"
        if enough
        else "Waiting for enough responses",
        (("Dashboard", "dashboard", "dashboard"), ("Signals", "signals", "signals")),
    )
    export = Step(
        "export",
        "Share the scorecard",
        False,
        "PDF for the board, Excel for analysts, charts for slides",
        (("Export…", "export", "export"),),
    )
    return [setup, collect, results, export]


def next_step(steps: list[Step]) -> Step:
    """The first step not done (results, once responses are in)."""
    return next((s for s in steps if not s.done), steps[-1])


class HomePage(FollowsStore, QWidget):
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.steps: list[Step] = []
        self.buttons: dict[str, object] = {}
        self.marks: dict[str, QLabel] = {}  # step key → its done / to-do mark
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.header = page_header(
            self.tr("Campaign home"),
            self.tr("From setting up to the scorecard: what is done, and what to do next."),
        )
        self.heading = self.header.findChild(QLabel, "pageTitle")
        outer.addWidget(self.header)
        self.empty = EmptyState(
            "campaigns",
            self.tr("No campaign yet"),
            self.tr("A campaign is one survey round. Create one to start."),
        )
        new = self.empty.add_button(tool_button(self.tr("New campaign…"), "add"))
        new.clicked.connect(lambda: self.navigate.emit("new-campaign"))
        outer.addWidget(self.empty, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        body = QWidget()
        self.list = QVBoxLayout(body)
        self.list.setContentsMargins(0, 0, 8, 0)
        self.list.setSpacing(10)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)
        self.follow_store()

    def refresh(self) -> None:
        c = self.state.current_campaign
        self.empty.setVisible(c is None)
        self.scroll.setVisible(c is not None)
        clear_layout(self.list)
        self.buttons = {}
        self.marks = {}
        if c is None:
            self.heading.setText(self.tr("Campaign home"))
            return
        self.heading.setText(self.tr("Campaign home — {0}").format(c.name))
        self.steps = campaign_steps(self.state.store, c)
        upcoming = next_step(self.steps)
        for number, step in enumerate(self.steps, start=1):
            self.list.addWidget(self._card(number, step, step is upcoming))
        self.list.addStretch(1)
        first = self.buttons.get(upcoming.actions[0][2])
        if first is not None:
            first.setDefault(True)

    def _card(self, number: int, step: Step, is_next: bool) -> QWidget:
        card = Card()
        card.setAccessibleName(self.tr(step.title))
        row = QHBoxLayout()
        mark = QLabel()
        ticked = step.done and not step.unchecked
        set_picture(mark, "check" if ticked else "info", 28)
        if ticked:
            mark.setAccessibleName(self.tr("done"))
        elif step.done:
            mark.setAccessibleName(self.tr("done, but some signal checks cannot run"))
        else:
            mark.setAccessibleName(self.tr("to do"))
        self.marks[step.key] = mark
        row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        title = QLabel(
            self.tr("{0}. {1}").format(number, self.tr(step.title))
            + (self.tr("  — next") if is_next else "")
        )
        title.setObjectName("cardTitle")
        detail = QLabel(step.detail)
        detail.setObjectName("muted")
        detail.setWordWrap(True)
        text.addWidget(title)
        text.addWidget(detail)
        row.addLayout(text, 1)
        for n, (label, icon_name, target) in enumerate(step.actions):
            button = tool_button(self.tr(label), icon_name, primary=is_next and n == 0)
            button.clicked.connect(lambda _c=False, t=target: self.navigate.emit(t))
            self.buttons[target] = button
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        card.layout_.addLayout(row)
        return card
