"""Kiosk mode: a full-screen window in which one respondent after another takes the survey.

Flow: welcome and consent → demographics → one page per dimension → comments → review →
submit → thank-you → back to the welcome page for the next person. The response is stored
in one transaction at Submit, in a worker thread (the window stays responsive and says so
while another CultureScope holds the database), and only then is the thank-you page shown;
if it cannot be stored the answers stay on screen with what to do. An unfinished response
is discarded after the idle time. Leaving kiosk mode needs the admin passphrase
(Ctrl+Shift+Q or the small "Admin" button); Escape, Alt+F4 and close requests are ignored.

Launch it with :meth:`KioskWindow.start`, which asks the lead to set a passphrase first if
there is none, hides the app's other windows and shows the kiosk full screen::

    kiosk = KioskWindow(state, campaign)
    kiosk.kioskClosed.connect(...)
    kiosk.start()
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages, passphrase, theme
from culturescope.gui.kiosk_pages import (
    Choice,
    ChoiceBlock,
    CommentBlock,
    MessagePage,
    QuestionBlock,
    QuestionPage,
    ReviewPage,
    TextBlock,
)
from culturescope.gui.response_saver import ResponseSaver
from culturescope.instruments import Instrument, respondent_thanks, respondent_welcome
from culturescope.settings import Backoff, SettingsError, backoff_path, save_settings
from culturescope.storage import Campaign, NewResponse

log = logging.getLogger(__name__)

#: Events that count as someone using the kiosk (they restart the idle timer).
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): str(n) for n in range(10)}


def kiosk_stylesheet() -> str:
    """The kiosk's stylesheet in the current light or dark theme, sized from the app font."""
    app = QApplication.instance()
    base = app.font().pointSizeF() if app is not None else 10.0
    return theme.kiosk_stylesheet(theme.current(), base)


class KioskWindow(QWidget):
    """Full-screen respondent mode for one campaign.

    Parameters
    ----------
    state : AppState
        Gives ``store`` and ``settings`` (idle minutes, admin passphrase).
    campaign : Campaign
        The campaign whose instrument is asked and to which responses are added.
    idle_ms : int, optional
        Idle time after which an unfinished response is discarded; defaults to
        ``state.settings.kiosk_idle_minutes``.
    thanks_ms : int
        How long the thank-you page stays before the kiosk resets for the next person.
    """

    kioskClosed = Signal()

    def __init__(
        self,
        state,
        campaign: Campaign,
        parent: QWidget | None = None,
        *,
        idle_ms: int | None = None,
        thanks_ms: int = 10_000,
    ):
        super().__init__(parent)
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("CultureScope survey"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setStyleSheet(kiosk_stylesheet())
        # Light or dark like the rest of the app; follows a change while it is open.
        theme.notifier().changed.connect(self._retheme)
        self.state = state
        self.campaign = campaign
        self.instrument: Instrument = state.store.campaign_instrument(campaign.id)
        language = getattr(state.settings, "language", "")
        self.language = (
            language if language in self.instrument.languages else self.instrument.default_language
        )
        self.responses_stored = 0
        self.pages: list[QuestionPage] = []
        self._unlocked = False
        # Waits after repeated wrong passphrases, kept across restarts of the app.
        self.backoff = Backoff(path=backoff_path())
        self._started = False
        self._closed_emitted = False
        self._reviewed = False
        self._hidden_windows: list[QWidget] = []
        self._key_sealed = False
        self.saver = ResponseSaver(state, source="kiosk", parent=self)
        self.saver.waiting.connect(self._on_save_waiting)

        self._build()
        minutes = float(state.settings.kiosk_idle_minutes)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms if idle_ms is not None else int(minutes * 60_000))
        self.idle_timer.timeout.connect(self._on_idle)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(thanks_ms)
        self.thanks_timer.timeout.connect(self.reset)
        self.banner_timer = QTimer(self)
        self.banner_timer.setSingleShot(True)
        self.banner_timer.setInterval(6000)
        self.banner_timer.timeout.connect(self.banner.hide)
        self._watching_app = False  # see _watch_app
        self._show(self.welcome)

    # ---- layout -----------------------------------------------------------------------
    def _retheme(self, _tokens) -> None:
        self.setStyleSheet(kiosk_stylesheet())
        self.update()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(56, 20, 56, 28)
        outer.setSpacing(12)

        top = QHBoxLayout()
        self.survey_label = survey = QLabel(self.instrument.title)
        survey.setObjectName("kioskSurveyTitle")
        self.admin_button = QToolButton()
        self.admin_button.setObjectName("kioskAdmin")
        self.admin_button.setText(self.tr("Admin"))
        self.admin_button.setAccessibleName(self.tr("Administrator: leave kiosk mode"))
        self.admin_button.setToolTip(self.tr("For the survey organiser (Ctrl+Shift+Q)"))
        self.admin_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.admin_button.clicked.connect(self.request_exit)
        top.addWidget(survey)
        top.addStretch(1)
        top.addWidget(self.admin_button)
        outer.addLayout(top)

        self.banner = QLabel()
        self.banner.setObjectName("kioskBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)

        self.stack = QStackedWidget()
        self.stack.setObjectName("kioskStack")
        outer.addWidget(self.stack, 1)
        # One notice: the instrument's consent and what is collected / who sees what.
        welcome = respondent_welcome(
            self.instrument, self.campaign.min_group_size, language=self.language
        )
        self.welcome = MessagePage(
            self.instrument.title,
            "\n\n".join(welcome),
            note=self.tr(
                "Use the screen, or the keyboard: number keys pick the numbered answers, "
                "Enter goes on."
            ),
        )
        self.start_button = self.welcome.add_button(
            self._button(self.tr("I agree, start"), "kioskPrimary", self.begin)
        )
        self.start_button.setAccessibleName(self.tr("I agree, start the survey"))
        self.review = ReviewPage()
        self.review.rowChosen.connect(self._review_row_chosen)
        self.thanks = MessagePage(
            self.tr("All done"),
            respondent_thanks(self.instrument, self.language),
            note=self.tr("This screen will reset for the next person in a few seconds."),
        )
        self.finish_button = self.thanks.add_button(
            self._button(self.tr("Finish"), "kioskSecondary", self.reset)
        )
        self.finish_button.setAccessibleName(self.tr("Finish and reset for the next person"))
        for page in (self.welcome, self.review, self.thanks):
            self.stack.addWidget(page)

        self.footer = QWidget()
        foot = QHBoxLayout(self.footer)
        foot.setContentsMargins(0, 8, 0, 0)
        foot.setSpacing(24)
        self.back_button = self._button(self.tr("Back"), "kioskSecondary", self.back)
        self.back_button.setAccessibleName(self.tr("Back to the previous page"))
        self.review_button = self._button(
            self.tr("Back to review"), "kioskSecondary", self.go_review
        )
        self.next_button = self._button(self.tr("Next"), "kioskPrimary", self.next)
        self.next_button.setAccessibleName(self.tr("Next page"))
        # Shown only while a submit waits for the database: gives up without saving.
        self.stop_button = self._button(self.tr("Stop waiting"), "kioskSecondary", self.saver.stop)
        self.stop_button.setAccessibleName(self.tr("Stop waiting; your answers stay here"))
        self.stop_button.hide()
        progress = QVBoxLayout()
        progress.setSpacing(6)
        self.progress_text = QLabel()
        self.progress_text.setObjectName("kioskProgressText")
        self.progress_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("kioskProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName(self.tr("Progress through the survey"))
        progress.addWidget(self.progress_text)
        progress.addWidget(self.progress_bar)
        foot.addWidget(self.back_button)
        foot.addStretch(1)
        foot.addLayout(progress, 2)
        foot.addStretch(1)
        foot.addWidget(self.review_button)
        foot.addWidget(self.stop_button)
        foot.addWidget(self.next_button)
        outer.addWidget(self.footer)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(True)  # Enter on a focused button presses it
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(slot)
        return button

    # ---- one respondent's pages -------------------------------------------------------
    def _new_session(self) -> None:
        """Throw away the current answers and build empty question pages."""
        self._discard_answers()
        self.pages = self._question_pages()
        for n, page in enumerate(self.pages):
            self.stack.insertWidget(1 + n, page)
            page.completed.connect(self.next_button.setFocus)

    def _discard_answers(self) -> None:
        """Delete the question pages and with them every answer given on them."""
        for page in self.pages:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = []
        self.review.list.clear()
        self._reviewed = False

    def _question_pages(self) -> list[QuestionPage]:
        inst = self.instrument
        pages: list[QuestionPage] = []
        if inst.demographics:
            blocks: list[QuestionBlock] = []
            for demographic in inst.demographics:
                options = self._demographic_options(demographic)
                if options:
                    choices = [
                        Choice(value, label, str(n + 1) if n < 9 else "")
                        for n, (value, label) in enumerate(options)
                    ]
                    blocks.append(
                        ChoiceBlock("demographic", demographic.id, demographic.label, choices)
                    )
                else:
                    blocks.append(TextBlock(demographic.id, demographic.label))
            hint = self.tr(
                "Used only to compare groups of at least {0} people; you can skip any of these."
            ).format(self.campaign.min_group_size)
            typed = any(isinstance(b, TextBlock) for b in blocks)
            if typed and len(blocks) > 1:
                hint += " " + self.tr(
                    "Keyboard: number keys pick the numbered answers; type the others in "
                    "words. Enter goes on."
                )
            elif typed:
                hint += " " + self.tr("Type your answers in words. Enter goes on.")
            else:
                hint += " " + self.tr("Keyboard: number keys pick an answer, Enter = next page.")
            pages.append(QuestionPage(self.tr("About you"), hint, blocks))
        number = 0
        for dim in inst.dimensions:
            items = inst.items_of(dim.id)
            if not items:
                continue
            blocks = []
            points, has_na = 0, False
            for item in items:
                number += 1
                scale = inst.scale_of(item)
                points = max(points, scale.points)
                choices = [
                    Choice(v, scale.labels[v - 1], str(v) if v <= 9 else "")
                    for v in range(1, scale.points + 1)
                ]
                if scale.na_code is not None:
                    has_na = True
                    choices.append(
                        Choice(
                            scale.na_code,
                            scale.na_label or self.tr("Not applicable"),
                            "0",
                            aside=True,
                        )
                    )
                title = f"{number}. {item.text_for(self.language)}"
                blocks.append(ChoiceBlock("item", item.id, title, choices))
            hint = self.tr("Choose one answer for each statement. Keyboard: 1–{0}").format(
                min(points, 9)
            )
            if has_na:
                hint += self.tr(", 0 = not applicable")
            hint += self.tr(", Enter = next page.")
            pages.append(QuestionPage(dim.title, hint, blocks))
        if inst.comments:
            blocks = [CommentBlock(c.id, c.text_for(self.language)) for c in inst.comments]
            hint = self.tr(
                "Optional. Please do not write names or anything else that could identify "
                "you or someone else."
            )
            pages.append(QuestionPage(self.tr("Your comments"), hint, blocks))
        return pages

    def _demographic_options(self, demographic) -> list[tuple[str, str]]:
        """(stored value, label) of each answer a respondent may pick; [] for free text.

        The instrument's options (with its "Prefer not to say"), else the campaign's own
        list for this question (e.g. its team names from the headcounts): respondents only
        pick, so no typos, names or numbers become groups of their own.
        """
        if demographic.options:
            return [(o.id, o.label) for o in demographic.options]
        known = self.campaign.headcounts.get(demographic.id) or {}
        return [(str(name), str(name)) for name in sorted(known, key=lambda n: str(n).casefold())]

    # ---- navigation -------------------------------------------------------------------
    def _show(self, widget: QWidget) -> None:
        self.stack.setCurrentWidget(widget)
        in_survey = widget in self.pages or widget is self.review
        self.footer.setVisible(in_survey)
        self.survey_label.setVisible(in_survey)  # the welcome page has it as its title
        if in_survey:
            numbered = [*self.pages, self.review]
            n = numbered.index(widget) + 1
            self.progress_text.setText(self.tr("Page {0} of {1}").format(n, len(numbered)))
            self.progress_bar.setRange(0, len(numbered))
            self.progress_bar.setValue(n)
            on_review = widget is self.review
            self.next_button.setText(self.tr("Submit") if on_review else self.tr("Next"))
            self.next_button.setAccessibleName(
                self.tr("Submit your answers") if on_review else self.tr("Next page")
            )
            self.review_button.setVisible(self._reviewed and not on_review)
        if widget in self.pages:
            widget.enter()
        elif widget is self.review:
            self.review.fill(self.pages)
            self.next_button.setFocus()
        elif widget is self.welcome:
            self.start_button.setFocus()
        elif widget is self.thanks:
            self.finish_button.setFocus()

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def begin(self) -> None:
        """The respondent agreed to the consent text: first question page."""
        if not self.pages:
            self._new_session()
        self.idle_timer.start()
        self._show(self.pages[0] if self.pages else self.review)

    def next(self) -> None:
        current = self.current_page()
        if current is self.review:
            self.submit()
        elif current in self.pages:
            if current.refuse_leaving():  # a typed answer that is not taken: say so first
                return
            n = self.pages.index(current)
            self._show(self.pages[n + 1] if n + 1 < len(self.pages) else self.review)

    def back(self) -> None:
        if self.saver.busy:  # the answers being stored stay where they are (review)
            return
        current = self.current_page()
        if current is self.review:
            self._show(self.pages[-1] if self.pages else self.welcome)
        elif current in self.pages:
            n = self.pages.index(current)
            self._show(self.pages[n - 1] if n > 0 else self.welcome)

    def go_review(self) -> None:
        if self.saver.busy:
            return
        current = self.current_page()
        if current in self.pages and current.refuse_leaving():
            return
        self._show(self.review)

    def _review_row_chosen(self, page: int, block: int) -> None:
        self._reviewed = True
        self._show(self.pages[page])
        self.pages[page].set_current(block)

    def reset(self) -> None:
        """Back to the welcome page with no answers kept."""
        self.thanks_timer.stop()
        self._discard_answers()
        self._show(self.welcome)

    # ---- submitting -------------------------------------------------------------------
    def collect(self) -> NewResponse:
        """The respondent's answers as a response to store."""
        response = NewResponse(answers={})
        for page in self.pages:
            for block in page.blocks:
                value = block.value()
                if value is None:
                    continue
                if block.kind == "item":
                    response.answers[block.key] = int(value)
                elif block.kind == "demographic":
                    response.demographics[block.key] = str(value)
                else:
                    response.comments[block.key] = str(value)
        return response

    def submit(self) -> None:
        """Store the response in a worker; the thank-you page follows once it is stored."""
        if self.saver.busy:
            return
        response = self.collect()
        if not (response.answers or response.demographics or response.comments):
            self.review.show_error(
                self.tr("You have not answered any question yet. Tap a question to answer it.")
            )
            return
        self.review.error.hide()
        self._set_saving(True)
        self.saver.save(
            self.campaign.id,
            [response],
            title=self.tr("Saving a kiosk response"),
            on_result=self._on_saved,
            on_error=self._on_save_failed,
        )

    @property
    def saving(self) -> bool:
        """True while a response is being stored (Submit pressed, not yet stored)."""
        return self.saver.busy

    def _set_saving(self, saving: bool) -> None:
        """Lock the answers while they are stored; unlock them afterwards."""
        for widget in (self.next_button, self.back_button, self.review_button, self.review.list):
            widget.setEnabled(not saving)
        self.stop_button.hide()
        if saving:
            self.idle_timer.stop()  # never discard answers that are being stored
            self.next_button.setText(self.tr("Saving…"))
            self.progress_text.setText(self.tr("Saving your answers…"))
            self.progress_bar.setRange(0, 0)  # busy
        else:
            self.idle_timer.start()
            self._show(self.current_page())

    def _on_save_waiting(self, message: str) -> None:
        if not self.saver.busy:
            return
        self.progress_text.setText(
            self.tr("Saving your answers… the database is busy: {0}").format(message)
        )
        self.stop_button.show()

    def _on_saved(self, _batch) -> None:
        self._set_saving(False)
        self.responses_stored += 1
        self._discard_answers()  # the answers are stored: keep nothing in memory
        self._show(self.thanks)
        self.thanks_timer.start()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)  # back on the review page, every answer still there
        if isinstance(exc, Cancelled):
            text = self.tr(
                "Your answers were not saved yet: you stopped waiting for the database. They "
                "are still here: press Submit to try again, or ask the survey organiser for "
                "help."
            )
        else:
            text = self.tr(
                "Your answers could not be saved ({0}). They are still here: press Submit "
                "to try again, or ask the survey organiser for help."
            ).format(messages.describe(exc))
        self.review.show_error(text)

    # ---- idle timeout -----------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and self.idle_timer.isActive():
            self.idle_timer.start()
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not self._unlocked
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            key = event.key()
            mods = event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.ShiftModifier
                | Qt.KeyboardModifier.AltModifier
            )
            if key == Qt.Key.Key_Q and mods == (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            ):
                QTimer.singleShot(0, self.request_exit)
                return True
            if key == Qt.Key.Key_Escape or (
                key == Qt.Key.Key_F4 and mods == Qt.KeyboardModifier.AltModifier
            ):
                return True
        return False

    def _on_idle(self) -> None:
        """Nobody touched the kiosk for the idle time: discard the unfinished response."""
        if (self.current_page() is self.welcome and not self.pages) or self.saver.busy:
            return
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self and self.isAncestorOf(modal):
            modal.close()
        self.reset()

    # ---- keys -------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.current_page()
        key = event.key()
        if (
            key in _DIGITS
            and current in self.pages
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            page: QuestionPage = current
            page.pick_key(_DIGITS[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if current is self.welcome:
                self.begin()
                return
            if current in self.pages:
                self.next()
                return
        super().keyPressEvent(event)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        current = self.current_page()
        if current in self.pages and new is not None:
            current.follow_focus(new)

    # ---- lock -------------------------------------------------------------------------
    def start(self) -> bool:
        """Enter kiosk mode: make sure a passphrase exists, hide the app, go full screen.

        Returns False (and shows nothing) when the lead declines to set a passphrase.
        """
        if not self.ensure_passphrase():
            return False
        self._started = True
        self._hide_other_windows()
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self._show(self.welcome)
        return True

    def ensure_passphrase(self) -> bool:
        """True when an admin passphrase is set, asking the lead to set one if needed."""
        settings = self.state.settings
        if settings.has_passphrase:
            return True
        parent = self.parentWidget() or QApplication.activeWindow()
        chosen = passphrase.ask_new_passphrase(parent)
        if chosen is None:
            return False
        try:
            settings.set_passphrase(chosen)
            save_settings(settings)
        except (SettingsError, OSError) as exc:
            messages.error(
                parent,
                self.tr("Kiosk mode"),
                self.tr("The passphrase could not be saved: {0}").format(messages.describe(exc)),
                self.tr("Check that the settings folder can be written, then try again."),
            )
            return False
        return True

    def _watch_app(self, on: bool) -> None:
        """Watch every event of the app (activity keeps the idle timer going; Escape and
        Alt+F4 are refused) and follow the focus, only while the kiosk is on screen and
        locked: a kiosk that was made but never shown, or that was left, must not see (or
        slow down) the rest of the app."""
        if on == self._watching_app:
            return
        self._watching_app = on
        app = QApplication.instance()
        if on:
            app.installEventFilter(self)
            app.focusChanged.connect(self._on_focus_changed)
            return
        app.removeEventFilter(self)
        try:
            app.focusChanged.disconnect(self._on_focus_changed)
        except (RuntimeError, TypeError):
            pass

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._unlocked:
            self._watch_app(True)
        if not self._started:  # shown without start(): apply the same rules
            self._started = True
            QTimer.singleShot(0, self._late_start)

    def _late_start(self) -> None:
        if not self.state.settings.has_passphrase and not self.ensure_passphrase():
            self.unlock_and_close()
            return
        self._hide_other_windows()

    def _hide_other_windows(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and widget.isWindow():
                if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                    continue
                self._hidden_windows.append(widget)
                widget.hide()

    def request_exit(self) -> None:
        """Ask for the admin passphrase; leave kiosk mode only if it is right."""
        if self._unlocked:
            return
        if self.saver.busy:
            self.show_banner(self.tr("A response is being saved; try again in a moment."))
            return
        if not self.state.settings.has_passphrase:
            if self.ensure_passphrase():
                self.show_banner(self.tr("A passphrase is now set; use it to leave kiosk mode."))
            return
        wait = self.backoff.remaining()
        if wait > 0:
            self.show_banner(
                self.tr("Too many wrong passphrases. Try again in {0} s.").format(
                    max(1, round(wait))
                )
            )
            return
        typed = passphrase.ask_passphrase(self)
        if typed is None:
            return
        if not self.state.settings.check_passphrase(typed):
            wait = self.backoff.failed()
            log.warning("wrong admin passphrase at the kiosk (%d in a row)", self.backoff.failures)
            if wait > 0:
                self.show_banner(
                    self.tr("Wrong passphrase. Kiosk mode stays on; try again in {0} s.").format(
                        round(wait)
                    )
                )
            else:
                self.show_banner(self.tr("Wrong passphrase. Kiosk mode stays on."))
            return
        self.backoff.succeeded()
        self._offer_to_seal_key(typed)
        self.unlock_and_close()

    def _offer_to_seal_key(self, typed: str) -> None:
        """A laptop set up by an earlier version keeps the campaign's bundle key in plain
        text: now that the organiser has given the passphrase, offer to seal it."""
        from culturescope import bundles

        store = self.state.store
        try:
            campaign = store.campaign(self.campaign.id)
            if not bundles.plain_key_to_seal(store, campaign):
                return
        except Exception:  # never keep the organiser in kiosk mode over this
            log.exception("could not check whether the bundle key is sealed")
            return
        lock = messages.confirm(
            self,
            self.tr("Lock the bundle key on this laptop?"),
            self.tr(
                "This computer keeps the key that signs the response bundles of “{0}” "
                "unprotected in its database (kiosk laptops set up with an earlier version "
                "do). On a kiosk laptop, lock it with the admin passphrase: then nobody who "
                "gets past kiosk mode can make bundles the lead's machine accepts.\n\n"
                "Choose Cancel on the computer where the campaign was created: it needs the "
                "key to write setup files and merge bundles. You will not be asked again."
            ).format(campaign.name),
            action=self.tr("Lock the key"),
        )
        try:
            if lock:
                bundles.seal_plain_key(store, campaign, typed)
                self._key_sealed = True  # the app's pages hold the campaign: refresh them
                log.info("sealed the plain bundle key of a campaign set up earlier")
            else:
                bundles.keep_plain_key(store, campaign)
        except Exception as exc:
            messages.error(
                self,
                self.tr("The bundle key was not locked"),
                messages.describe(exc),
                self.tr("Nothing was changed; you will be asked again when you leave kiosk mode."),
            )

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.banner_timer.start()

    def unlock_and_close(self) -> None:
        """Leave kiosk mode: discard unfinished answers, show the app again, close."""
        self._unlocked = True
        for timer in (self.idle_timer, self.thanks_timer, self.banner_timer):
            timer.stop()
        self._watch_app(False)
        self._discard_answers()
        for widget in self._hidden_windows:
            widget.show()
        self._hidden_windows.clear()
        self.close()
        if self.responses_stored or self._key_sealed:
            self.state.notify_data_changed()

    @property
    def locked(self) -> bool:
        return not self._unlocked

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._unlocked:
            event.ignore()
            return
        event.accept()
        if not self._closed_emitted:
            self._closed_emitted = True
            self.kioskClosed.emit()
