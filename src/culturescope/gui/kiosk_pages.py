"""The question pages of the kiosk: blocks of large answer buttons, one page per dimension.

A page holds :class:`QuestionBlock` widgets. Exactly one block of a page is *current*
(outlined); digit keys answer the current block and move on to the next one. The window
around them (navigation, idle timeout, lock) is :mod:`culturescope.gui.kiosk`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui import theme

#: Smallest height or width of anything a respondent taps, in pixels.
MIN_TARGET = 48
_COMMENT_MAX = 2000


def tile_colours() -> dict[str, str]:
    """Colours of the answer tiles in the current theme (the same tokens as the app:
    text on the surface, the primary colour with its own text when chosen)."""
    t = theme.current()
    return {
        "accent": t.primary,
        "on_accent": t.on_primary,
        "dark": t.focus_on_primary,  # outline of a chosen tile
        "focus": t.focus,
        "hover": t.accent_soft,
        "surface": t.surface,
        "text": t.text_strong,
        "muted": t.muted,
        "border": t.border_strong,
        "aside": t.surface_alt,
        "heading": t.accent,
    }


@dataclass(frozen=True)
class Choice:
    """One answer button: the stored ``value``, its label and the key that picks it."""

    value: object
    label: str
    key: str = ""
    aside: bool = False  # set apart from the scale (e.g. "not applicable")


class QuestionBlock(QFrame):
    """One question of the kiosk. ``kind`` is "demographic", "item" or "comment"."""

    activated = Signal(object)  # self: the respondent clicked or focused into this block

    def __init__(self, kind: str, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.key = key
        self.title = title
        self.setObjectName("questionBlock")
        self.setProperty("current", False)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 14, 20, 16)
        self.layout_.setSpacing(10)
        self.heading = QLabel(title)
        self.heading.setObjectName("questionText")
        self.heading.setWordWrap(True)
        self.layout_.addWidget(self.heading)

    # The kinds of question (ChoiceBlock, TextBlock, CommentBlock) override these three;
    # the defaults describe a question with nothing to answer yet.
    def value(self) -> object | None:
        """The answer as stored (None when unanswered)."""
        return None

    def display_value(self) -> str:
        """The answer as the respondent saw it ("" when unanswered)."""
        return ""

    def focus_answer(self) -> None:
        """Put the keyboard focus where the respondent answers."""
        self.setFocus()

    def pick_key(self, key: str) -> bool:
        """Answer with keyboard key ``key`` ("1", "0", ...); False if it means nothing here."""
        return False

    def set_current(self, current: bool) -> None:
        if self.property("current") != current:
            self.setProperty("current", current)
            self.style().unpolish(self)
            self.style().polish(self)


class ChoiceTile(QAbstractButton):
    """A large answer button: the label word-wrapped in a rounded tile, its key in a corner.

    Checkable and exclusive within its block's button group, so it behaves like a radio
    button (arrow keys move, Space picks) but, unlike ``QRadioButton``, wraps long labels.
    """

    _PAD = 12
    _KEY_LINE = 22

    def __init__(self, key: str, label: str, parent: QWidget | None = None, *, aside: bool = False):
        super().__init__(parent)
        self.key_text = key
        self.aside = aside
        self.setText(label)
        self.setObjectName("choice")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(label)

    def _text_rect(self, width: int, height: int = 10_000) -> QRect:
        top = self._KEY_LINE if self.key_text else self._PAD
        return QRect(self._PAD, top, max(10, width - 2 * self._PAD), height - top - self._PAD)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        bounds = self.fontMetrics().boundingRect(
            self._text_rect(width), Qt.TextFlag.TextWordWrap, self.text()
        )
        top = self._KEY_LINE if self.key_text else self._PAD
        return max(MIN_TARGET + 16, bounds.height() + top + self._PAD)

    def sizeHint(self) -> QSize:
        return QSize(160, self.heightForWidth(160))

    def minimumSizeHint(self) -> QSize:
        return QSize(96, MIN_TARGET + 16)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        checked = self.isChecked()
        focus = self.hasFocus()
        tile = tile_colours()
        if checked:
            fill, text = QColor(tile["accent"]), QColor(tile["on_accent"])
            border = QColor(tile["dark"])
        else:
            hover = self.underMouse()
            fill = QColor(
                tile["hover"] if hover else tile["aside"] if self.aside else tile["surface"]
            )
            text, border = QColor(tile["text"]), QColor(tile["focus" if focus else "border"])
        width = 4 if focus else 2
        pen = QPen(border, width)
        if self.aside and not (checked or focus):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 10, 10)
        if self.key_text:
            small = QFont(self.font())
            small.setPointSizeF(max(8.0, self.font().pointSizeF() * 0.72))
            small.setBold(True)
            painter.setFont(small)
            painter.setPen(QColor(tile["on_accent"] if checked else tile["muted"]))
            painter.drawText(
                QRect(self._PAD, 4, 40, self._KEY_LINE),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self.key_text,
            )
            painter.setFont(self.font())
        painter.setPen(text)
        if checked:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
        painter.drawText(
            self._text_rect(self.width(), self.height()),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
            self.text(),
        )
        painter.end()


class ChoiceBlock(QuestionBlock):
    """A question answered by one of a few large answer tiles."""

    def __init__(
        self,
        kind: str,
        key: str,
        title: str,
        choices: list[Choice],
        parent: QWidget | None = None,
    ):
        super().__init__(kind, key, title, parent)
        self.choices = choices
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[ChoiceTile] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        # one row for a scale; two rows for a few more; long lists (e.g. a campaign's
        # teams) in rows of six so that the tiles stay wide enough to read
        per_row = len(choices) if len(choices) <= 6 else min((len(choices) + 1) // 2, 6)
        column = 0
        for n, choice in enumerate(choices):
            button = ChoiceTile(choice.key, choice.label, aside=choice.aside)
            button.setAccessibleDescription(title)
            button.clicked.connect(lambda _checked=False: self.activated.emit(self))
            self.group.addButton(button, n)
            self.buttons.append(button)
            row, column = divmod(n, per_row)
            if choice.aside and len(choices) <= 6:
                grid.setColumnMinimumWidth(column, 8)  # a gap sets it apart from the scale
                column += 1
            grid.addWidget(button, row, column)
            grid.setColumnStretch(column, 1)
        self.layout_.addLayout(grid)

    def value(self) -> object | None:
        n = self.group.checkedId()
        return None if n < 0 else self.choices[n].value

    def display_value(self) -> str:
        n = self.group.checkedId()
        return "" if n < 0 else self.choices[n].label

    def set_value(self, value: object | None) -> None:
        for n, choice in enumerate(self.choices):
            if choice.value == value:
                self.buttons[n].setChecked(True)
                return
        checked = self.group.checkedButton()
        if checked is not None:  # an exclusive group cannot be emptied directly
            self.group.setExclusive(False)
            checked.setChecked(False)
            self.group.setExclusive(True)

    def pick_key(self, key: str) -> bool:
        for n, choice in enumerate(self.choices):
            if choice.key == key:
                self.buttons[n].setChecked(True)
                return True
        return False

    def focus_answer(self) -> None:
        button = self.group.checkedButton() or self.buttons[0]
        button.setFocus(Qt.FocusReason.OtherFocusReason)

    def owns(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self or self.isAncestorOf(widget))


class TextBlock(QuestionBlock):
    """A free-text demographic (e.g. team, when the campaign has no list of them).

    Only asked as free text when there is no list to choose from. A number alone is not
    taken as an answer (someone pressing number keys here, as on the other questions,
    would otherwise become team "43"): it is refused with a message under the box, and
    :meth:`value` stays empty until the text has a letter in it.
    """

    submitted = Signal(object)  # self: Enter pressed in the field with an acceptable answer

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__("demographic", key, title, parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(80)
        self.edit.setMinimumHeight(56)
        self.edit.setAccessibleName(title)
        self._help = self.tr("Type your answer in words, or leave it empty")
        self.edit.setAccessibleDescription(self._help)
        self.edit.setPlaceholderText(self._help)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._check)
        self.error = QLabel()
        self.error.setObjectName("kioskError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.layout_.addWidget(self.edit)
        self.layout_.addWidget(self.error)

    def _text(self) -> str:
        return " ".join(self.edit.text().split())

    def problem(self) -> str:
        """Why the typed text is not taken as an answer ("" when it is, or is empty)."""
        text = self._text()
        if text and not any(ch.isalpha() for ch in text):
            return self.tr(
                "“{0}” is not taken as an answer: please type the name in words, not a "
                "number, or leave this box empty."
            ).format(text)
        return ""

    def _check(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.edit.setAccessibleDescription(problem or self._help)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter moves on to the next question; consumed here so that it does not also
        # reach the window (where Enter means "next page").
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            if not self.problem():
                self.submitted.emit(self)
            return True
        return False

    def value(self) -> str | None:
        if self.problem():
            return None
        return self._text() or None

    def display_value(self) -> str:
        return self.value() or ""

    def set_value(self, value: str | None) -> None:
        self.edit.setText(value or "")

    def focus_answer(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class CommentBlock(QuestionBlock):
    """An open question answered in a few lines of text."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__("comment", key, title, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(140)
        self.edit.setAccessibleName(title)
        self.edit.setPlaceholderText(self.tr("Optional"))
        self.edit.textChanged.connect(self._limit)
        self.layout_.addWidget(self.edit)

    def _limit(self) -> None:
        text = self.edit.toPlainText()
        if len(text) > _COMMENT_MAX:
            self.edit.setPlainText(text[:_COMMENT_MAX])
            self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def value(self) -> str | None:
        text = self.edit.toPlainText().strip()
        return text or None

    def display_value(self) -> str:
        text = " ".join((self.value() or "").split())
        return text if len(text) <= 80 else text[:77] + "…"

    def set_value(self, value: str | None) -> None:
        self.edit.setPlainText(value or "")

    def focus_answer(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class QuestionPage(QWidget):
    """A page of questions in a scroll area, with one current block."""

    completed = Signal()  # the last block was answered (time to go to the next page)

    def __init__(
        self, title: str, hint: str, blocks: list[QuestionBlock], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.title = title
        self.blocks = blocks
        self.current = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title)
        heading.setObjectName("kioskPageTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if hint:
            sub = QLabel(hint)
            sub.setObjectName("kioskHint")
            sub.setWordWrap(True)
            layout.addWidget(sub)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("kioskBody")
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 4, 12, 4)
        inner.setSpacing(16)
        for block in blocks:
            inner.addWidget(block)
            block.activated.connect(self._on_activated)
            if isinstance(block, TextBlock):
                block.submitted.connect(self.advance_from)
        inner.addStretch(1)
        self.scroll.setWidget(body)
        layout.addWidget(self.scroll, 1)
        if blocks:
            blocks[0].set_current(True)

    def index_of(self, widget: QWidget | None) -> int:
        """Index of the block holding ``widget`` (-1 if none)."""
        for n, block in enumerate(self.blocks):
            if widget is not None and (widget is block or block.isAncestorOf(widget)):
                return n
        return -1

    def set_current(self, index: int, *, focus: bool = True) -> None:
        if not self.blocks:
            return
        index = max(0, min(index, len(self.blocks) - 1))
        for n, block in enumerate(self.blocks):
            block.set_current(n == index)
        self.current = index
        block = self.blocks[index]
        self.scroll.ensureWidgetVisible(block, 0, 24)
        if focus:
            block.focus_answer()

    def enter(self) -> None:
        """Called when the page is shown: the first unanswered block becomes current."""
        unanswered = [n for n, b in enumerate(self.blocks) if b.value() is None]
        self.set_current(unanswered[0] if unanswered else 0)

    def _on_activated(self, block: QuestionBlock) -> None:
        n = self.blocks.index(block)
        if n != self.current:
            self.set_current(n, focus=False)

    def pick_key(self, key: str) -> bool:
        """Answer the current block with digit ``key`` and move on; False if not applicable."""
        if not self.blocks or not self.blocks[self.current].pick_key(key):
            return False
        self.advance_from(self.blocks[self.current])
        return True

    def advance_from(self, block: QuestionBlock) -> bool:
        """Make the block after ``block`` current; False when ``block`` is the last one."""
        n = self.blocks.index(block)
        if n + 1 < len(self.blocks):
            self.set_current(n + 1)
            return True
        self.set_current(n, focus=False)
        self.completed.emit()
        return False

    def refuse_leaving(self) -> bool:
        """Before the respondent moves on: make the first block whose typed answer is
        refused current (its message is on screen) and return True; False when none is."""
        for n, block in enumerate(self.blocks):
            if isinstance(block, TextBlock) and block.problem():
                self.set_current(n)
                return True
        return False

    def follow_focus(self, widget: QWidget | None) -> None:
        n = self.index_of(widget)
        if n >= 0 and n != self.current:
            self.set_current(n, focus=False)


class MessagePage(QWidget):
    """A title, a paragraph and a button, centred: the welcome and thank-you pages."""

    def __init__(self, title: str, text: str, *, note: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(28)
        layout.addStretch(2)
        heading = QLabel(title)
        heading.setObjectName("kioskTitle")
        heading.setWordWrap(True)
        body = QLabel(text)
        body.setObjectName("kioskText")
        body.setWordWrap(True)
        body.setMaximumWidth(1000)
        layout.addWidget(heading)
        layout.addWidget(body)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        if note:
            hint = QLabel(note)
            hint.setObjectName("kioskHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addStretch(3)

    def add_button(self, button: QPushButton) -> QPushButton:
        self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        return button


class ReviewPage(QWidget):
    """Every answer in order; activating a row goes back to that question."""

    rowChosen = Signal(int, int)  # page index (among question pages), block index

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Check your answers"))
        heading.setObjectName("kioskPageTitle")
        self.hint = QLabel()
        self.hint.setObjectName("kioskHint")
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        self.list.setAccessibleName(self.tr("Your answers"))
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        self.error = QLabel()
        self.error.setObjectName("kioskError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)

    def fill(self, pages: list[QuestionPage]) -> int:
        """Show the answers of ``pages``; returns how many questions are answered."""
        self.list.clear()
        answered = total = 0
        for p, page in enumerate(pages):
            header = QListWidgetItem(page.title)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            header.setForeground(QColor(tile_colours()["heading"]))
            header.setBackground(QColor(tile_colours()["aside"]))
            self.list.addItem(header)
            for b, block in enumerate(page.blocks):
                shown = block.display_value()
                total += 1
                answered += bool(shown)
                answer = shown or self.tr("not answered (tap to answer)")
                row = QListWidgetItem(f"{block.title}\n      → {answer}")
                row.setData(Qt.ItemDataRole.UserRole, [p, b])
                row.setToolTip(self.tr("Change this answer"))
                if not shown:
                    font = row.font()
                    font.setItalic(True)
                    row.setFont(font)
                    row.setForeground(QColor(tile_colours()["muted"]))
                self.list.addItem(row)
        skipped = total - answered
        if skipped:
            self.hint.setText(
                self.tr(
                    "You left {0} of {1} questions unanswered. That is fine; tap any answer to "
                    "change it, then press Submit."
                ).format(skipped, total)
            )
        else:
            self.hint.setText(self.tr("Tap any answer to change it, then press Submit."))
        self.error.hide()
        return answered

    def row_of(self, page: int, block: int) -> QListWidgetItem | None:
        for n in range(self.list.count()):
            row = self.list.item(n)
            where = row.data(Qt.ItemDataRole.UserRole)
            if where is not None and tuple(where) == (page, block):
                return row
        return None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _chosen(self, row: QListWidgetItem) -> None:
        where = row.data(Qt.ItemDataRole.UserRole)
        if where is not None:  # section headers carry no answer
            self.rowChosen.emit(int(where[0]), int(where[1]))
