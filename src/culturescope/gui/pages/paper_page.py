"""Paper entry: type in paper forms fast, keyboard only.

The grid follows the printed form (demographics, then the items in instrument order, then
the comments). A digit fills the current box and moves on; 0 is N/A, Space or "." leaves
the item blank, Backspace goes back and clears. The form total (sum of the digits typed)
is shown live so the typist can compare it with a total written on the paper. Each form
is saved in its own transaction; "Undo last form" removes it again and puts its answers
back on screen for correcting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from culturescope import Cancelled
from culturescope.gui import messages
from culturescope.gui.response_saver import ResponseSaver
from culturescope.gui.style import set_icon
from culturescope.gui.widgets import field_error_label, mark_invalid
from culturescope.importing.identity import form_number_key
from culturescope.instruments import Instrument
from culturescope.storage import Batch, Campaign, NewResponse, Store

#: A space that never breaks a line: a digit and its meaning stay on one line.
NBSP = "\u00a0"


def option_legend(choices: list[tuple[str, str]]) -> str:
    """``"1 = Front-line staff · 2 = Manager · …"`` for a field's digits: a line may break
    only between two options (after the dot), never between a digit and its meaning, so
    the typist never reads "3 / 3 to 10 years" across two lines."""
    return (NBSP + "· ").join(
        f"{digit}{NBSP}={NBSP}{label.replace(' ', NBSP)}" for digit, label in choices
    )


@dataclass
class EntryField:
    """One box of the form: what it answers and which keys it accepts.

    ``kind`` is "form", "demographic", "item" or "comment". ``digits`` maps a typed
    digit to the value stored (items: raw code; demographics: option id); fields without
    ``digits`` take typed text.
    """

    kind: str
    key: str
    title: str
    number: str = ""
    digits: dict[str, object] = field(default_factory=dict)
    labels: dict[object, str] = field(default_factory=dict)
    legend: str = ""

    @property
    def typed(self) -> bool:
        return not self.digits


@dataclass
class SavedForm:
    batch_id: int
    form_number: str
    values: dict[str, str]  # field key -> text typed in its box


class CellRefused(ValueError):
    """A value on the form that cannot be stored; ``key`` names its box."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


class EntryCell(QLineEdit):
    """An answer box; its keys are interpreted by the page."""

    def __init__(self, page: PaperPage, entry: EntryField, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.entry = entry
        self.value: object | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.page.cell_key(self, event):
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.page.cell_focused(self)


class PaperPage(QWidget):
    """Keyboard-only data entry of paper forms for the current campaign."""

    def __init__(self, state, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("page")
        self.campaign: Campaign | None = None
        self.instrument: Instrument | None = None
        self.cells: list[EntryCell] = []
        self.row_labels: dict[int, QLabel] = {}
        self.meanings: dict[int, QLabel] = {}
        self.saved: list[SavedForm] = []
        self.forms_this_session = 0
        self._saved_numbers: set[str] = set()
        #: The campaign's own list per typed demographic (e.g. team names from headcounts).
        self.lists: dict[str, list[str]] = {}
        self._warned: tuple[tuple[str, str], ...] | None = None  # unlisted values warned of
        self._built_for: tuple[int, str] | None = None
        # Forms are stored in a worker: a database busy with another writer (an import,
        # a merge) never freezes the window, and the wait can be stopped.
        self.saver = ResponseSaver(state, source="paper", parent=self)
        self.saver.waiting.connect(self._on_save_waiting)
        self._pending: tuple[str, dict[str, str], int, int] | None = None
        self._busy_text = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        self.title = QLabel(self.tr("Paper forms"))
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        self.views = QStackedWidget()
        layout.addWidget(self.views, 1)
        self.empty = QLabel(
            self.tr(
                "Choose a campaign in the header (or create one on the Campaigns page) to type "
                "in its paper forms."
            )
        )
        self.empty.setObjectName("emptyTitle")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.views.addWidget(self.empty)
        self.form_view = QWidget()
        self.views.addWidget(self.form_view)
        self._build_form_view()

        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save_form)
        self.refresh()

    # ---- layout -----------------------------------------------------------------------
    def _build_form_view(self) -> None:
        layout = QVBoxLayout(self.form_view)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(8)
        help_text = QLabel(
            self.tr(
                "A digit fills the box and moves on · 0 = N/A · Space or . = left blank · "
                "Backspace = back and clear · Ctrl+S (or Enter on the last box) = save the form"
            )
        )
        help_text.setObjectName("muted")
        help_text.setWordWrap(True)
        layout.addWidget(help_text)

        bar = QHBoxLayout()
        number_label = QLabel(self.tr("&Form number:"))
        self.form_number = QLineEdit()
        self.form_number.setObjectName("formNumber")
        self.form_number.setMaximumWidth(140)
        self.form_number.setMaxLength(20)
        self.form_number.setPlaceholderText(self.tr("optional"))
        self.form_number.setAccessibleName(self.tr("Form number (for your own tracking)"))
        self._number_tip = self.tr(
            "Your own number for this paper form; stored as 'form NNNN' with the response"
        )
        self.form_number.setToolTip(self._number_tip)
        self.form_number.installEventFilter(self)
        number_label.setBuddy(self.form_number)
        # A refused number is said right beside its box (and cleared when it changes).
        self.number_error = field_error_label()
        self.form_number.textChanged.connect(self._number_changed)
        self.counter = QLabel()
        self.counter.setAccessibleName(self.tr("Forms entered this session"))
        self.undo_button = QPushButton(self.tr("&Undo last form"))
        set_icon(self.undo_button, "restore")
        self.undo_button.setAccessibleName(self.tr("Undo the last saved form"))
        self.undo_button.clicked.connect(self.undo_last_form)
        self.clear_button = QPushButton(self.tr("C&lear"))
        set_icon(self.clear_button, "cancel")
        self.clear_button.setAccessibleName(self.tr("Clear the boxes of this form"))
        self.clear_button.clicked.connect(self.clear_form)
        self.save_button = QPushButton(self.tr("&Save form (Ctrl+S)"))
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName(self.tr("Save this form"))
        self.save_button.clicked.connect(self.save_form)
        self.stop_button = QPushButton(self.tr("S&top waiting"))
        self.stop_button.setAccessibleName(self.tr("Stop waiting for the database"))
        self.stop_button.clicked.connect(self.stop_waiting)
        self.stop_button.hide()
        for w in (number_label, self.form_number, self.number_error):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.counter)
        bar.addStretch(1)
        for w in (self.undo_button, self.clear_button, self.stop_button, self.save_button):
            bar.addWidget(w)
        layout.addLayout(bar)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.scroll, 1)

        totals = QFrame()
        totals.setObjectName("totals")
        row = QHBoxLayout(totals)
        row.setContentsMargins(14, 8, 14, 8)
        self.total_value = QLabel("0")
        self.total_value.setObjectName("totalValue")
        self.total_value.setAccessibleName(self.tr("Form total"))
        self.total_text = QLabel()
        self.total_text.setObjectName("totalText")
        caption = QLabel(self.tr("Form total (sum of the item digits):"))
        caption.setObjectName("totalText")
        row.addWidget(caption)
        row.addWidget(self.total_value)
        row.addSpacing(24)
        row.addWidget(self.total_text, 1)
        layout.addWidget(totals)

        self.status = QLabel()
        self.status.setObjectName("paperStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status)

    def _number_changed(self, _text: str) -> None:
        if self.form_number.property("invalid"):
            mark_invalid(self.form_number, "", self.number_error)
            self.form_number.setToolTip(self._number_tip)

    def _fields(self, inst: Instrument) -> list[EntryField]:
        language = getattr(self.state.settings, "language", "")
        if language not in inst.languages:
            language = inst.default_language
        fields: list[EntryField] = []
        for demographic in inst.demographics:
            choices = [(str(n + 1), o.label) for n, o in enumerate(demographic.options)]
            if demographic.free_text or len(demographic.options) > 9:
                legend = option_legend(choices)
                digits: dict[str, object] = {}
            else:
                digits = {str(n + 1): o.id for n, o in enumerate(demographic.options)}
                legend = option_legend([*choices, ("0", self.tr("not answered"))])
            labels = {o.id: o.label for o in demographic.options}
            fields.append(
                EntryField(
                    "demographic", demographic.id, demographic.label, "", digits, labels, legend
                )
            )
        for n, item in enumerate(inst.items, start=1):
            scale = inst.scale_of(item)
            digits = {str(v): v for v in range(1, min(scale.points, 9) + 1)}
            labels = {v: scale.label_of(v) for v in range(1, scale.points + 1)}
            legend = f"1–{scale.points}"
            if scale.na_code is not None:
                digits["0"] = scale.na_code
                labels[scale.na_code] = self.tr("N/A")
                legend += self.tr(", 0{0}={0}N/A").format(NBSP)
            fields.append(
                EntryField(
                    "item", item.id, item.text_for(language), f"{n}.", digits, labels, legend
                )
            )
        for c in inst.comments:
            fields.append(EntryField("comment", c.id, c.text_for(language)))
        return fields

    def _build_grid(self, inst: Instrument, campaign: Campaign) -> None:
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 0, 12, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(4, 220)
        self.cells, self.row_labels, self.meanings = [], {}, {}
        row = 0
        section = ""
        names = {
            "demographic": self.tr("About the respondent"),
            "item": self.tr("Questions"),
            "comment": self.tr("Comments (type them as written, optional)"),
        }
        for n, entry in enumerate(self._fields(inst)):
            if entry.kind != section:
                section = entry.kind
                heading = QLabel(names[section])
                heading.setObjectName("gridSection")
                grid.addWidget(heading, row, 0, 1, 5)
                row += 1
            number = QLabel(entry.number)
            number.setObjectName("muted")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            ident = QLabel(entry.key if entry.kind == "item" else "")
            ident.setObjectName("muted")
            text = QLabel(entry.title)
            text.setObjectName("rowText")
            text.setWordWrap(True)
            cell = EntryCell(self, entry)
            cell.setAccessibleName(
                f"{entry.number} {entry.title}".strip()
                if entry.kind != "demographic"
                else entry.title
            )
            meaning = QLabel()
            meaning.setObjectName("muted")
            meaning.setWordWrap(True)
            if entry.typed:
                cell.setObjectName("textCell")
                cell.setMaxLength(2000 if entry.kind == "comment" else 80)
                if entry.kind == "demographic":
                    cell.textChanged.connect(lambda _text, n=n: self._show_meaning(n))
            else:
                cell.setObjectName("answerCell")
                cell.setFixedWidth(44)
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setMaxLength(1)
            cell.setToolTip(entry.legend)
            grid.addWidget(number, row, 0)
            grid.addWidget(ident, row, 1)
            grid.addWidget(text, row, 2)
            if cell.objectName() == "textCell" and entry.kind == "comment":
                grid.addWidget(cell, row, 3, 1, 2)
            else:
                grid.addWidget(cell, row, 3)
                grid.addWidget(meaning, row, 4)
            self.cells.append(cell)
            self.row_labels[n] = text
            self.meanings[n] = meaning
            row += 1
        grid.setRowStretch(row, 1)
        self.scroll.setWidget(body)
        self.lists = {}
        self._apply_lists(campaign)
        previous: QWidget = self.form_number
        for cell in self.cells:  # Tab follows the printed form
            QWidget.setTabOrder(previous, cell)
            previous = cell
        for n in range(len(self.cells)):
            self._show_meaning(n)
        self._update_totals()

    def _apply_lists(self, campaign: Campaign) -> None:
        """Typed demographics complete from the campaign's list for them (e.g. its teams)."""
        lists = {
            cell.entry.key: sorted(map(str, campaign.headcounts.get(cell.entry.key) or {}))
            for cell in self.cells
            if cell.entry.typed and cell.entry.kind == "demographic" and not cell.entry.labels
        }
        if lists == self.lists:
            return
        self.lists = lists
        for n, cell in enumerate(self.cells):
            if cell.entry.key not in lists:
                continue
            known = lists[cell.entry.key]
            completer = None
            if known:
                completer = QCompleter(known, cell)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            cell.setCompleter(completer)
            self._show_meaning(n)

    def _listed(self, entry: EntryField, text: str) -> str | None:
        """``text`` as spelled in the campaign's list (ignoring case); None if not in it."""
        folded = text.casefold()
        return next((k for k in self.lists.get(entry.key, ()) if k.casefold() == folded), None)

    def _unlisted(self) -> list[tuple[EntryCell, str]]:
        """Typed demographics whose text is not in the campaign's (non-empty) list."""
        out = []
        for cell in self.cells:
            text = " ".join(cell.text().split())
            if text and self.lists.get(cell.entry.key) and self._listed(cell.entry, text) is None:
                out.append((cell, text))
        return out

    # ---- page contract ----------------------------------------------------------------
    def refresh(self) -> None:
        """Follow the current campaign; typed boxes survive refreshes for the same one."""
        campaign = self.state.current_campaign
        if campaign is None:
            self.campaign = self.instrument = None
            self._built_for = None
            self.subtitle.setText("")
            self.views.setCurrentWidget(self.empty)
            return
        if self._built_for != (campaign.id, campaign.instrument_key):
            self.instrument = self.state.store.instrument(campaign.instrument_key)
            self._built_for = (campaign.id, campaign.instrument_key)
            self.saved.clear()
            self._saved_numbers.clear()
            self.form_number.clear()
            self._build_grid(self.instrument, campaign)
            self.status.clear()
        else:
            self._apply_lists(campaign)  # the lead may have changed the team list meanwhile
        self.campaign = campaign
        closed = campaign.status != "open"
        self.subtitle.setText(
            self.tr("{0} · {1} · {2} responses so far").format(
                campaign.name, self.instrument.title, campaign.response_count
            )
            + (self.tr(" · closed: reopen it on the Campaigns page to add forms") if closed else "")
        )
        self.save_button.setEnabled(not closed)
        self._update_counter()
        self.views.setCurrentWidget(self.form_view)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.cells and not self.isAncestorOf(QApplication.focusWidget()):
            self.form_number.setFocus()

    # ---- keys -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.form_number
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.focus_cell(0)
            return True
        return False

    def cell_key(self, cell: EntryCell, event: QKeyEvent) -> bool:
        """Handle a key typed in ``cell``; False lets the box handle it (text fields)."""
        key = event.key()
        mods = event.modifiers()
        index = self.cells.index(cell)
        if mods & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_S:
            self.save_form()
            return True
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if index == len(self.cells) - 1:
                self.save_form()
            else:
                self.focus_cell(index + 1)
            return True
        if key == Qt.Key.Key_Down:
            self.focus_cell(index + 1)
            return True
        if key == Qt.Key.Key_Up:
            self.focus_cell(index - 1)
            return True
        if key == Qt.Key.Key_Backspace and (cell.entry.digits or not cell.text()):
            if cell.entry.digits and cell.text():
                self.set_cell(index, None)
            elif index > 0:
                self.focus_cell(index - 1)
                self.set_cell(index - 1, None)
            return True
        if cell.entry.typed:
            return False
        text = event.text()
        if text in (" ", ".") or (text == "0" and entry_is_demographic(cell.entry)):
            self.set_cell(index, None)
            self.focus_cell(index + 1)
            return True
        if key == Qt.Key.Key_Delete:
            self.set_cell(index, None)
            return True
        if text and text.isprintable():
            if text in cell.entry.digits:
                self.set_cell(index, cell.entry.digits[text], text)
                self.focus_cell(index + 1)
            else:
                self._refuse(cell, text)
            return True
        return False

    def _refuse(self, cell: EntryCell, text: str) -> None:
        entry = cell.entry
        where = self.tr("question {0}").format(entry.number) if entry.number else entry.title
        self.refuse_at(
            cell,
            self.tr("“{0}” is not an answer to {1} — use {2}, Space for blank.").format(
                text, where, entry.legend if entry.kind == "item" else self._choices(entry)
            ),
        )

    def refuse_at(self, cell: EntryCell, problem: str) -> None:
        """Say why ``cell``'s value is refused at the box itself (outline, the reason in its
        row, the accessible description) and keep the focus there; the next change of the
        box clears it."""
        QApplication.beep()
        index = self.cells.index(cell)
        mark_invalid(cell, problem)
        meaning = self.meanings[index]
        meaning.setText(problem)
        meaning.setObjectName("error")
        meaning.style().unpolish(meaning)
        meaning.style().polish(meaning)
        if not meaning.parent():  # a comment box has no meaning column: use the status
            self.show_status(problem, error=True)
        else:
            self.status.clear()
        self.focus_cell(index)

    def _choices(self, entry: EntryField) -> str:
        return self.tr("1–{0}").format(len(entry.digits))

    def focus_cell(self, index: int) -> None:
        if not self.cells:
            return
        index = max(0, min(index, len(self.cells) - 1))
        cell = self.cells[index]
        cell.setFocus(Qt.FocusReason.OtherFocusReason)
        cell.selectAll()

    def cell_focused(self, cell: EntryCell) -> None:
        index = self.cells.index(cell)
        for n, label in self.row_labels.items():
            current = n == index
            if label.property("current") != current:
                label.setProperty("current", current)
                label.style().unpolish(label)
                label.style().polish(label)
        self.scroll.ensureWidgetVisible(cell, 40, 60)

    def set_cell(self, index: int, value: object | None, text: str = "") -> None:
        cell = self.cells[index]
        cell.value = value
        cell.setText(text if value is not None else "")
        self._show_meaning(index)
        self._update_totals()

    def _show_meaning(self, index: int) -> None:
        cell = self.cells[index]
        entry = cell.entry
        meaning = self.meanings[index]
        if cell.property("invalid"):
            mark_invalid(cell, "")  # the box changed: the refusal no longer applies
            cell.setToolTip(entry.legend)
        if entry.typed:
            text = " ".join(cell.text().split())
            listed = self._listed(entry, text) if text and self.lists.get(entry.key) else ""
            unlisted = listed is None
            meaning.setText(
                self.tr("Not in the campaign's list: check the spelling")
                if unlisted
                else entry.legend
            )
            meaning.setObjectName("warning" if unlisted else "muted")
            meaning.style().unpolish(meaning)
            meaning.style().polish(meaning)
            return
        if cell.value is None:
            meaning.setText(entry.legend)
            meaning.setObjectName("muted")
        else:
            meaning.setText(entry.labels.get(cell.value, ""))
            meaning.setObjectName("")
        meaning.style().unpolish(meaning)
        meaning.style().polish(meaning)

    # ---- totals -----------------------------------------------------------------------
    def totals(self) -> tuple[int, int, int, int]:
        """(sum of the item digits typed, items answered incl. N/A, N/A count, item count)."""
        total = answered = na = count = 0
        for cell in self.cells:
            if cell.entry.kind != "item":
                continue
            count += 1
            if cell.value is None:
                continue
            answered += 1
            digit = int(cell.text() or 0)
            total += digit
            na += digit == 0
        return total, answered, na, count

    def _update_totals(self) -> None:
        total, answered, na, count = self.totals()
        self.total_value.setText(str(total))
        self.total_text.setText(
            self.tr("{0} of {1} items answered, {2} of them N/A").format(answered, count, na)
        )

    def _update_counter(self) -> None:
        self.counter.setText(
            self.tr("Forms entered this session: {0}").format(self.forms_this_session)
        )
        self.undo_button.setEnabled(bool(self.saved))

    # ---- forms ------------------------------------------------------------------------
    def response(self, *, fingerprint: bool = True) -> NewResponse:
        """The form on screen as a response to store.

        Without ``fingerprint`` the form number's keyed fingerprint is left for the worker
        that stores it (:func:`_store_form`): making it may write the database's key check
        on first use, and no write waits on the GUI thread.
        """
        response = NewResponse(answers={})
        for cell in self.cells:
            entry = cell.entry
            if entry.typed:
                text = " ".join(cell.text().split())
                if not text:
                    continue
                if entry.kind == "comment":
                    response.comments[entry.key] = text
                else:
                    listed = self._listed(entry, text)  # "research" -> "Research"
                    response.demographics[entry.key] = listed or self._typed_demographic(
                        entry, text
                    )
            elif cell.value is not None:
                if entry.kind == "item":
                    response.answers[entry.key] = int(cell.value)
                else:
                    response.demographics[entry.key] = str(cell.value)
        number = self.form_number.text().strip()
        response.source_ref = self.tr("form {0}").format(number) if number else None
        key = form_number_key(number)
        if fingerprint and key is not None and self.campaign is not None:
            # the same identity as the template's Form number column: a form typed
            # twice (here, or here and in a template) is stored once
            response.fingerprint = self.state.store.fingerprint(self.campaign.id, key)
        return response

    def _typed_demographic(self, entry: EntryField, text: str) -> str:
        """Free text as typed; for long option lists the option number typed."""
        if not entry.labels:
            return text
        options = list(entry.labels)
        if text.isdigit() and 1 <= int(text) <= len(options):
            return str(options[int(text) - 1])
        raise CellRefused(
            self.tr("“{0}” is not an option number for {1} (1–{2}).").format(
                text, entry.title, len(options)
            ),
            entry.key,
        )

    def is_empty(self) -> bool:
        return all(not c.text().strip() for c in self.cells)

    def save_form(self) -> None:
        """Store the form on screen in one transaction, then clear for the next one.

        The write runs in a worker; the boxes are locked until it has ended, and keep what
        was typed if it fails.
        """
        if self.campaign is None or not self.cells or self.saver.busy:
            return
        if self.campaign.status != "open":
            self.show_status(
                self.tr("This campaign is closed. Reopen it on the Campaigns page to add forms."),
                error=True,
            )
            return
        try:
            response = self.response(fingerprint=False)
        except CellRefused as exc:
            self.refuse_at(next(c for c in self.cells if c.entry.key == exc.key), str(exc))
            return
        if not (response.answers or response.demographics or response.comments):
            self.show_status(self.tr("Nothing is typed on this form yet."), error=True)
            self.focus_cell(0)
            return
        number = self.form_number.text().strip()
        if number and number in self._saved_numbers:
            self._refuse_number(
                self.tr(
                    "Form {0} was already saved in this session: check the number on the paper."
                ).format(number)
            )
            return
        unlisted = self._unlisted()
        warned = tuple((cell.entry.key, text) for cell, text in unlisted)
        if unlisted and warned != self._warned:  # warn once; the same again saves as typed
            self._warned = warned
            QApplication.beep()
            self.show_status(
                self.tr(
                    "Not in the campaign's list: {0}. Correct it, or press Ctrl+S again to "
                    "save it as typed."
                ).format(", ".join(f"{cell.entry.title} “{text}”" for cell, text in unlisted)),
                error=True,
            )
            self.focus_cell(self.cells.index(unlisted[0][0]))
            return
        self._warned = None
        values = {c.entry.key: c.text() for c in self.cells}
        total, answered, _na, _count = self.totals()
        self._pending = (number, values, answered, total)
        self._set_saving(True)
        self.saver.write(
            _store_form,
            self.state.store,
            self.campaign.id,
            response,
            form_number_key(number),
            title=self.tr("Saving a paper form"),
            on_result=self._on_saved,
            on_error=self._on_save_failed,
        )

    @property
    def saving(self) -> bool:
        """True while a form is being stored."""
        return self.saver.busy

    def stop_waiting(self) -> None:
        """Give up waiting for a busy database; the form stays on screen, unsaved."""
        self.saver.stop()

    def _set_saving(self, saving: bool, message: str = "") -> None:
        for widget in (self.scroll, self.form_number, self.clear_button, self.save_button):
            widget.setEnabled(not saving)
        self.undo_button.setEnabled(not saving and bool(self.saved))
        self.stop_button.hide()
        if saving:
            self.setFocus()  # keys typed meanwhile reach no box (Esc stops a long wait)
            self._busy_text = message or self.tr("Saving the form…")
            self.show_status(self._busy_text)

    def _on_save_waiting(self, message: str) -> None:
        if self.saver.busy:
            self.show_status(
                self.tr("{0} the database is busy: {1}. Esc stops waiting.").format(
                    self._busy_text, message
                )
            )
            self.stop_button.show()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        self._pending = None
        self.focus_cell(0)
        if isinstance(exc, Cancelled):
            self.show_status(
                self.tr(
                    "Not saved: you stopped waiting for the database. The boxes still hold "
                    "what you typed; save again when the other program has finished."
                ),
                error=True,
            )
            return
        self.show_status(self.tr("The form was not saved."), error=True)
        messages.error(
            self,
            self.tr("The form was not saved"),
            messages.describe(exc),
            self.tr("The boxes still hold what you typed. Fix the problem and save again."),
        )

    def _on_saved(self, batch) -> None:
        self._set_saving(False)
        number, values, answered, total = self._pending or ("", {}, 0, 0)
        self._pending = None
        if batch.rows_added == 0:  # this form number is stored already: nothing was added
            self._refuse_number(
                self.tr(
                    "Form {0} is already stored in this campaign: check the number on the paper."
                ).format(number)
            )
            return
        self.saved.append(SavedForm(batch.id, number, values))
        if number:
            self._saved_numbers.add(number)
        self.forms_this_session += 1
        self._clear_cells()
        self.form_number.setText(_next_number(number))
        self._update_counter()
        label = self.tr("Form {0}").format(number) if number else self.tr("The form")
        self.show_status(
            self.tr("{0} saved: {1} items answered, total {2}.").format(label, answered, total)
        )
        self.form_number.setFocus()
        self.form_number.selectAll()
        self.state.notify_data_changed()

    def _refuse_number(self, reason: str) -> None:
        """Say at the form-number box why the form was not saved; the boxes keep it."""
        QApplication.beep()
        mark_invalid(self.form_number, reason, self.number_error)
        self.status.clear()
        self.form_number.setFocus()
        self.form_number.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.saver.busy and event.key() == Qt.Key.Key_Escape:
            self.stop_waiting()
            return
        super().keyPressEvent(event)

    def undo_last_form(self) -> None:
        """Delete the last saved form from the campaign and put it back on screen.

        The delete runs in a worker like a save (the window stays responsive while another
        program holds the database; Esc stops waiting, with nothing removed).
        """
        if not self.saved or self.saver.busy:
            return
        last = self.saved[-1]
        if not self.is_empty() and not messages.confirm(
            self,
            self.tr("Undo last form"),
            self.tr(
                "The boxes on screen will be replaced by the last saved form, which is removed "
                "from the campaign so you can correct it and save it again."
            ),
            action=self.tr("Undo last form"),
            destructive=True,
        ):
            return
        self._set_saving(True, self.tr("Removing the last form…"))
        self.saver.write(
            self.state.store.delete_batch,
            last.batch_id,
            title=self.tr("Removing the last paper form"),
            on_result=lambda _n: self._on_undone(last),
            on_error=self._on_undo_failed,
        )

    def _on_undo_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        self.focus_cell(0)
        if isinstance(exc, Cancelled):
            self.show_status(
                self.tr("Not undone: you stopped waiting for the database. Nothing was removed."),
                error=True,
            )
            return
        self.show_status(self.tr("The form was not removed."), error=True)
        messages.error(
            self,
            self.tr("The form could not be removed"),
            messages.describe(exc),
            self.tr("Check the Responses page; the form may already have been deleted."),
        )

    def _on_undone(self, last: SavedForm) -> None:
        self._set_saving(False)
        self.saved.pop()
        self._saved_numbers.discard(last.form_number)
        self.forms_this_session -= 1
        self._clear_cells()
        for n, cell in enumerate(self.cells):
            text = last.values.get(cell.entry.key, "")
            if cell.entry.typed:
                cell.setText(text)
            elif text:
                self.set_cell(n, cell.entry.digits[text], text)
        self.form_number.setText(last.form_number)
        self._update_counter()
        label = (
            self.tr("Form {0}").format(last.form_number)
            if last.form_number
            else self.tr("The form")
        )
        self.show_status(
            self.tr(
                "{0} was removed from the campaign. Its answers are back on screen: correct "
                "them and save again."
            ).format(label)
        )
        self.focus_cell(0)
        self.state.notify_data_changed()

    def clear_form(self) -> None:
        self._clear_cells()
        self.status.clear()
        self.focus_cell(0)

    def _clear_cells(self) -> None:
        self._warned = None
        for n, cell in enumerate(self.cells):
            cell.value = None
            cell.clear()
            self._show_meaning(n)
        self._update_totals()
        if self.cells:
            self.scroll.verticalScrollBar().setValue(0)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("error" if error else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)


def _store_form(store: Store, campaign_id: int, response: NewResponse, key: str | None) -> Batch:
    """Worker: the form's fingerprint (from its form number) and the form, in one go."""
    if key is not None:
        # the same identity as the template's Form number column: a form typed twice
        # (here, or here and in a template) is stored once
        response.fingerprint = store.fingerprint(campaign_id, key)
    return store.add_responses(campaign_id, [response], source="paper")


def entry_is_demographic(entry: EntryField) -> bool:
    return entry.kind == "demographic"


def _next_number(number: str) -> str:
    """The number after ``number`` keeping its zero padding ("0041" -> "0042")."""
    if not number.isdigit():
        return ""
    return str(int(number) + 1).zfill(len(number))
