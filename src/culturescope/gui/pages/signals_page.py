"""Signals: where the stated safety culture and the measured one part ways (docs/signals.md).

Detection runs in a worker (:func:`culturescope.signals.analyse`). Signals are grouped by
subject (a practice area, a team, leaders vs staff, ...), the subjects to start with
first; each signal is a card with a plain headline that can be acknowledged, given a
note or turned into an action, and that opens to its evidence (:mod:`..signal_card`).
What was acknowledged, noted or planned is stored per campaign.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled, CultureScopeError
from culturescope.gui import messages
from culturescope.gui.signal_card import SignalCard, SubjectHeading
from culturescope.gui.state import AppState, FollowsStore, enough_data
from culturescope.gui.widgets import EmptyState, clear_layout, page_header, tool_button
from culturescope.signal_setup import NO_HEADCOUNTS, NO_REGISTER
from culturescope.signals import Finding, SignalAnalysis, analyse, not_checked_sentence
from culturescope.signals.people import (
    attention,
    baseline,
    check_actions,
    group_analysis,
    subject_context,
    subject_of,
)
from culturescope.storage import (
    Action,
    SignalReview,
    actions,
    add_action,
    delete_action,
    review_signal,
    signal_reviews,
    update_action,
)

#: What the list shows: signals that need a look (not acknowledged, not only for
#: information), every signal, or the acknowledged ones.
FILTERS = (
    ("Needs a look", "open"),
    ("All signals", "all"),
    ("Acknowledged", "acknowledged"),
)


def _analyse(store, campaign_id: int, settings=None, *, progress, is_cancelled):
    """The detection run and what the lead did about it (reviews, actions)."""
    analysis = analyse(
        store, campaign_id, settings=settings, progress=progress, is_cancelled=is_cancelled
    )
    earlier = None
    previous = analysis.campaign.previous_campaign_id
    if previous is not None:  # the previous campaign's actions, judged by this one
        planned = actions(store, previous)
        if planned:
            earlier = (store.campaign(previous).name, check_actions(planned, analysis))
    return analysis, signal_reviews(store, campaign_id), actions(store, campaign_id), earlier


class SignalsPage(FollowsStore, QWidget):
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.analysis: SignalAnalysis | None = None
        self.cards: list[SignalCard] = []
        self.headings: list[SubjectHeading] = []
        self.reviews: dict[str, SignalReview] = {}
        self.actions: list[Action] = []
        self.task = None
        self._key: tuple | None = None  # the shared result shown (or being computed)
        self._earlier = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            page_header(
                self.tr("Signals"),
                self.tr(
                    "Where what the organisation says and what its people experience part "
                    "ways, grouped by subject, the ones to start with first. Each is a "
                    "question to ask, with the evidence behind it; groups below the minimum "
                    "size are never examined."
                ),
            )
        )
        bar = QHBoxLayout()
        self.refresh_button = tool_button(
            self.tr("&Detect again"), "refresh", self.tr("Run the signal detection again")
        )
        self.refresh_button.clicked.connect(self.detect)
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show signals"))
        for label, which in FILTERS:
            self.filter.addItem(self.tr(label), which)
        self.filter.currentIndexChanged.connect(lambda _i: self._show())
        self.summary = QLabel()
        self.summary.setObjectName("cardTitle")
        self.summary.setWordWrap(True)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.filter)
        bar.addWidget(self.summary, 1)
        self.export_button = tool_button(
            self.tr("E&xport…"),
            "export",
            self.tr("The scorecard with these signals, for the board"),
        )
        self.export_button.clicked.connect(lambda: self.navigate.emit("export"))
        self.actions_button = QPushButton(self.tr("&Actions…"))
        self.actions_button.setToolTip(
            self.tr("Every action of this campaign: owner, due date, status (change it there)")
        )
        self.actions_button.clicked.connect(self.show_actions)
        self.actions_button.setEnabled(False)
        bar.addWidget(self.actions_button)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        # The previous campaign's actions next to this campaign's figures.
        self.earlier = QLabel()
        self.earlier.setObjectName("muted")
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.RichText)
        self.earlier.setVisible(False)
        layout.addWidget(self.earlier)
        # Checks that could not run (no register, no headcounts): beside the signals that
        # were found, so the list is never read as everything there is.
        self.unchecked = QLabel()
        self.unchecked.setObjectName("muted")
        self.unchecked.setWordWrap(True)
        self.unchecked.setVisible(False)
        layout.addWidget(self.unchecked)

        self.list_holder = QWidget()
        self.list_layout = QVBoxLayout(self.list_holder)
        self.list_layout.setContentsMargins(0, 0, 6, 0)
        self.list_layout.setSpacing(8)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.list_holder)
        self.no_campaign = EmptyState(
            "signals",
            self.tr("No campaign chosen"),
            self.tr("Choose a campaign with responses to look for safety-washing signals."),
        )
        self.busy = EmptyState("signals", self.tr("Looking for signals…"), "")
        self.none = EmptyState(
            "check",
            self.tr("No signals"),
            self.tr("Nothing in this campaign suggests that safety culture exists on paper only."),
        )
        # No signal while some checks could not run is not an all-clear either: it says
        # which checks did not run and how to make them possible.
        self.partial = EmptyState("info", self.tr("No signals in the checks that could run"), "")
        self.add_policies = self.partial.add_button(
            tool_button(self.tr("Add policies…"), "policies")
        )
        self.add_policies.clicked.connect(lambda: self.navigate.emit("policies"))
        self.add_headcounts = self.partial.add_button(
            tool_button(self.tr("Add headcounts…"), "campaigns")
        )
        self.add_headcounts.setToolTip(
            self.tr("Campaign settings: load the headcount sheet (people per team, role, site)")
        )
        self.add_headcounts.clicked.connect(lambda: self.navigate.emit("edit-campaign"))
        # Too few responses is not an all-clear: a neutral state that says what is missing.
        self.not_enough = EmptyState("info", self.tr("Not enough responses yet"), "")
        collect = self.not_enough.add_button(tool_button(self.tr("Import responses…"), "import"))
        collect.clicked.connect(lambda: self.navigate.emit("import"))
        self.stack = QStackedLayout()
        holder = QWidget()
        holder.setLayout(self.stack)
        for w in (
            self.scroll,
            self.no_campaign,
            self.busy,
            self.none,
            self.partial,
            self.not_enough,
        ):
            self.stack.addWidget(w)
        layout.addWidget(holder, 1)
        # How the run was made (tests, false discovery rate): there for those who ask.
        method_row = QHBoxLayout()
        self.method_button = QPushButton(self.tr("About this detection run"))
        self.method_button.setCheckable(True)
        self.method_button.setVisible(False)
        method_row.addWidget(self.method_button)
        method_row.addStretch(1)
        layout.addLayout(method_row)
        self.notes = QLabel()
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.notes.setVisible(False)
        self.method_button.toggled.connect(self.notes.setVisible)
        layout.addWidget(self.notes)
        state.campaignChanged.connect(lambda _c: self.refresh())
        self.follow_store()

    # ---- detection ----------------------------------------------------------------
    def _result_key(self, campaign) -> tuple:
        """The run's key in the app's shared results: the campaign's data and thresholds."""
        return self.state.result_key("signals", campaign, self.state.settings.signal_settings())

    def refresh(self) -> None:
        """Show the current campaign's run: the one kept for its data and thresholds, or a
        new run when there is none (a write elsewhere changes nothing here)."""
        campaign = self.state.current_campaign
        if campaign is None:
            self.detect()
            return
        key = self._result_key(campaign)
        if key == self._key and (self.analysis is not None or self.task is not None):
            return
        kept = self.state.result(key)
        if kept is None:
            self.detect()
            return
        self._cancel()
        self._key = key
        self._apply(kept)

    def detect(self):
        """Run the detection now ("Detect again"); returns its task (None: no campaign)."""
        self._cancel()
        campaign = self.state.current_campaign
        if campaign is None:
            self.analysis = None
            self._key = None
            self._clear()
            self.stack.setCurrentWidget(self.no_campaign)
            self.unchecked.setVisible(False)
            self.notes.clear()
            self.method_button.setVisible(False)
            return None
        key = self._key = self._result_key(campaign)
        self.stack.setCurrentWidget(self.busy)
        self.unchecked.setVisible(False)
        self.refresh_button.setEnabled(False)
        task = self.state.run_task(
            _analyse,
            self.state.store,
            campaign.id,
            self.state.settings.signal_settings(),
            title=self.tr("Detecting signals in {0}").format(campaign.name),
            on_result=lambda result: self._done(task, key, result),
            on_error=lambda exc: self._failed(task, exc),
        )
        self.task = task
        return task

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self.refresh_button.setEnabled(True)

    def _done(self, task, key: tuple, result) -> None:
        self.state.keep_result(key, result)
        if task is not self.task:
            return  # an older run finished after a newer one started
        self.task = None
        self.refresh_button.setEnabled(True)
        self._apply(result)

    def _apply(self, result) -> None:
        analysis, reviews, actions, earlier = result
        # Copies: the follow-ups change the page's lists, never the kept result.
        self.analysis, self.reviews, self.actions = analysis, dict(reviews), list(actions)
        self._earlier = earlier
        self._show_earlier(earlier)
        self._show()

    def _failed(self, task, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.task = None
        self._key = None
        self.refresh_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            return
        self.unchecked.setVisible(False)
        self.stack.setCurrentWidget(self.none)
        self.none.set_icon("info")  # a failure is no all-clear
        self.none.set_text(self.tr("Signals could not be computed"), messages.describe(exc))

    def _follow_up(self, write):
        """Store a follow-up (review, action): it changes neither the detection nor any
        score, so the shared scorecards and this run stay valid under the campaign's new
        data version (:meth:`AppState.write_keeping`); the run is kept with the page's
        follow-ups once they are updated (:meth:`_keep_follow_ups`)."""
        return self.state.write_keeping(self.analysis.campaign, ("scorecard", "signals"), write)

    def _keep_follow_ups(self) -> None:
        campaign = self.state.current_campaign
        if self.analysis is None or campaign is None or campaign.id != self.analysis.campaign.id:
            return
        key = self._result_key(campaign)
        if self.state.result(key) is None:
            return  # another write came in between: the next refresh detects again
        self._key = key
        result = (self.analysis, dict(self.reviews), list(self.actions), self._earlier)
        self.state.keep_result(key, result)

    # ---- follow-up (the cards call these) ----------------------------------------------
    def acknowledged(self) -> set[str]:
        return {k for k, r in self.reviews.items() if r.acknowledged}

    def _store_review(self, card: SignalCard, **change) -> bool:
        campaign = self.analysis.campaign if self.analysis is not None else None
        if campaign is None:
            return False
        try:
            review = self._follow_up(
                lambda: review_signal(self.state.store, campaign.id, card.signal.id, **change)
            )
        except CultureScopeError as exc:
            messages.error(self, self.tr("Not saved"), messages.describe(exc))
            card.show_followup(card.review, card.actions)
            return False
        self.reviews[card.signal.id] = review
        self._keep_follow_ups()
        card.show_followup(review, card.actions)
        self._show_summary()
        return True

    def acknowledge(self, card: SignalCard, on: bool) -> None:
        """Store that a signal was seen and is in hand (or take that back)."""
        self._store_review(card, acknowledged=on)

    def edit_note(self, card: SignalCard) -> None:
        from culturescope.gui.followup_dialogs import NoteDialog

        old = card.review.note if card.review else ""
        dialog = NoteDialog(card.signal, old, self)
        if self.exec_dialog(dialog) and dialog.text() != old:
            self._store_review(card, note=dialog.text())

    def create_action(self, card: SignalCard) -> None:
        from culturescope.gui.followup_dialogs import ActionDialog

        if self.analysis is None:
            return
        subject = self._subject(card.signal)
        dialog = ActionDialog(card.signal, subject, baseline(card.signal), self)
        if not self.exec_dialog(dialog):
            return
        new = dialog.new_action()
        try:
            action = self._follow_up(
                lambda: add_action(self.state.store, self.analysis.campaign.id, new)
            )
        except CultureScopeError as exc:
            messages.error(self, self.tr("Action not saved"), messages.describe(exc))
            return
        self.actions.append(action)
        self._keep_follow_ups()
        card.show_followup(card.review, self._actions_of(card.signal))
        self._show_actions_count()

    def show_actions(self) -> None:
        """The campaign's actions in one table, their statuses changed there."""
        from culturescope.gui.followup_dialogs import ActionsDialog

        dialog = ActionsDialog(
            self.actions,
            self._set_status,
            self,
            edit=lambda action: self.edit_action(action, dialog),
            delete=lambda action: self.delete_action(action, dialog),
        )
        self.exec_dialog(dialog)
        for card in self.cards:
            card.show_followup(card.review, self._actions_of(card.signal))
        self._show_actions_count()

    def _set_status(self, action: Action, status: str) -> Action | None:
        return self._change_action(action, self.tr("Status not saved"), status=status)

    def edit_action(self, action: Action, parent: QWidget | None = None) -> Action | None:
        """Change an action's title, owner, due date or status in the action dialog;
        returns it as stored (None: nothing changed)."""
        from culturescope.gui.followup_dialogs import ActionDialog
        from culturescope.signals.people import Baseline, Subject

        signals = self.analysis.signals if self.analysis is not None else []
        signal = next((s for s in signals if s.id == action.signal_id), None)
        dialog = ActionDialog(
            signal,
            Subject(action.subject_kind, action.subject),
            Baseline(action.measure, action.measure_label, action.baseline),
            parent or self,
            action=action,
        )
        if not self.exec_dialog(dialog):
            return None
        changes = dialog.changes()
        if not changes:
            return None
        return self._change_action(action, self.tr("Action not saved"), **changes)

    def delete_action(self, action: Action, parent: QWidget | None = None) -> bool:
        """Delete an action once the lead confirms; True when it is gone."""
        if not messages.confirm(
            parent or self,
            self.tr("Delete the action"),
            self.tr(
                "Delete the action “{0}”? The next campaign will no longer judge it. This "
                "cannot be undone."
            ).format(action.title),
            action=self.tr("Delete"),
            destructive=True,
        ):
            return False
        try:
            self._follow_up(lambda: delete_action(self.state.store, action.id))
        except CultureScopeError as exc:
            messages.error(parent or self, self.tr("Action not deleted"), messages.describe(exc))
            return False
        self.actions = [a for a in self.actions if a.id != action.id]
        self._keep_follow_ups()
        return True

    def _change_action(self, action: Action, refused: str, **changes) -> Action | None:
        try:
            stored = self._follow_up(lambda: update_action(self.state.store, action.id, **changes))
        except CultureScopeError as exc:
            messages.error(self, refused, messages.describe(exc))
            return None
        self.actions = [stored if a.id == stored.id else a for a in self.actions]
        self._keep_follow_ups()
        return stored

    def _show_earlier(self, earlier) -> None:
        from culturescope.gui.followup_dialogs import earlier_actions_html

        self.earlier.setText(earlier_actions_html(*earlier) if earlier else "")
        self.earlier.setVisible(bool(earlier))

    def _show_actions_count(self) -> None:
        n = len(self.actions)
        overdue = sum(a.is_overdue() for a in self.actions)
        text = self.tr("&Actions ({0})…").format(n) if n else self.tr("&Actions…")
        if overdue:
            text = self.tr("&Actions ({0}, {1} overdue)…").format(n, overdue)
        self.actions_button.setText(text)
        self.actions_button.setEnabled(bool(n))
        self.actions_button.setAccessibleName(text.replace("&", "").rstrip("…"))

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Run a follow-up dialog (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _actions_of(self, signal: Finding) -> list[Action]:
        return [a for a in self.actions if a.signal_id == signal.id]

    def _subject(self, signal: Finding):
        return subject_of(signal, **subject_context(self.analysis))

    # ---- view ---------------------------------------------------------------------
    def _clear(self) -> None:
        self.cards = []
        self.headings = []
        clear_layout(self.list_layout)

    def visible_signals(self) -> list[Finding]:
        """The signals the current filter shows, in the order of the list."""
        return [s for _g, signals in self._visible_groups() for s in signals]

    def _visible_groups(self):
        if self.analysis is None:
            return []
        done = self.acknowledged()
        which = self.filter.currentData()
        out = []
        for g in group_analysis(self.analysis, done):
            if which == "open":
                shown = [s for s in g.signals if s.id not in done and s.severity != "info"]
            elif which == "acknowledged":
                shown = [s for s in g.signals if s.id in done]
            else:
                shown = list(g.signals)
            if shown:
                out.append((g, shown))
        return out

    def _show_summary(self) -> None:
        if self.analysis is None:
            self.summary.clear()
            return
        done = self.acknowledged()
        summary = attention(group_analysis(self.analysis, done), done)
        if not self.analysis.signals and not enough_data(self.analysis.campaign):
            self.summary.clear()  # the page says "not enough responses yet", nothing else
            return
        text = summary.text().removeprefix("Signals: ")
        text = text[:1].upper() + text[1:]
        if summary.acknowledged:
            text += self.tr(" · {0} acknowledged").format(summary.acknowledged)
        if self.analysis.not_checked:
            n = len(self.analysis.not_checked)
            text += (
                self.tr(" · 1 check could not run")
                if n == 1
                else self.tr(" · {0} checks could not run").format(n)
            )
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _show(self) -> None:
        self._clear()
        analysis = self.analysis
        if analysis is None:
            self.summary.clear()
            return
        self._show_summary()
        self._show_actions_count()
        done = self.acknowledged()
        groups = self._visible_groups()
        for group, signals in groups:
            heading = SubjectHeading(group, group.severity(done), self.list_holder)
            self.headings.append(heading)
            self.list_layout.addWidget(heading)
            for s in signals:
                card = SignalCard(
                    s,
                    analysis,
                    self,
                    review=self.reviews.get(s.id),
                    actions=self._actions_of(s),
                    group_severity=group.severity(done),
                    parent=self.list_holder,
                )
                self.cards.append(card)
                self.list_layout.addWidget(card)
        self.list_layout.addStretch(1)
        campaign = analysis.campaign
        if not analysis.signals and not enough_data(campaign):
            self.not_enough.set_text(
                self.tr("Not enough responses yet"),
                self.tr(
                    "{0} has {1} responses; the signals need at least {2} (the minimum "
                    "group size) before they can say anything — in either direction."
                ).format(campaign.name, campaign.response_count, campaign.min_group_size),
            )
            self.stack.setCurrentWidget(self.not_enough)
        elif groups:
            self.stack.setCurrentWidget(self.scroll)
        elif analysis.not_checked and self.filter.currentData() != "acknowledged":
            title = (
                self.tr("Nothing needs a look in the checks that could run")
                if analysis.signals
                else self.tr("No signals in the checks that could run")
            )
            self.partial.set_text(
                title,
                not_checked_sentence(analysis.not_checked)
                + ("" if not analysis.signals else " " + self._none_text()[1]),
            )
            self.add_policies.setVisible(NO_REGISTER in analysis.not_checked)
            self.add_headcounts.setVisible(NO_HEADCOUNTS in analysis.not_checked)
            self.stack.setCurrentWidget(self.partial)
        else:
            self.none.set_icon(
                "check" if not (analysis.signals or analysis.not_checked) else "info"
            )
            self.none.set_text(*self._none_text())
            self.stack.setCurrentWidget(self.none)
        shown = self.stack.currentWidget()
        self.unchecked.setText(not_checked_sentence(analysis.not_checked))
        self.unchecked.setVisible(
            bool(analysis.not_checked) and shown not in (self.partial, self.not_enough)
        )
        notes = list(analysis.notes)
        if analysis.leadership_campaign:
            notes.append(
                self.tr("Leaders' self-assessment compared: {0}.").format(
                    analysis.leadership_campaign
                )
            )
        self.notes.setText(" ".join(notes))
        self.method_button.setVisible(bool(notes))

    def _none_text(self) -> tuple[str, str]:
        analysis = self.analysis
        if not analysis.signals:
            return self.tr("No signals"), self.tr(
                "Nothing in this campaign suggests that safety culture exists on paper only."
            )
        if self.filter.currentData() == "acknowledged":
            return self.tr("Nothing acknowledged yet"), self.tr(
                "Acknowledge a signal once it is seen and in hand; it stays acknowledged "
                "for this campaign."
            )
        return self.tr("Nothing needs a look now"), self.tr(
            "Every signal is acknowledged or only for information; choose 'All signals' "
            "to see them."
        )
