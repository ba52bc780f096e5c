"""Small building blocks the pages share: page header, empty state, card, badge."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from culturescope.gui.style import set_icon, set_picture


def page_header(title: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 4)
    layout.setSpacing(2)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    heading.setAccessibleName(title)
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return box


def tool_button(
    text: str, icon_name: str, tip: str = "", *, name: str = "", primary: bool = False
) -> QPushButton:
    """A page action button with icon, tooltip and accessible name."""
    button = QPushButton(text)
    set_icon(button, icon_name, on_primary=primary)
    if primary:
        button.setObjectName("primary")
    button.setAccessibleName(name or text.replace("&", "").rstrip("…"))
    if tip:
        button.setToolTip(tip)
    return button


class EmptyState(QWidget):
    """What a page shows when there is nothing to show yet, and what to do about it.

    One pattern everywhere: an icon, a title, the reason, and one primary action (the
    first button added; further buttons are secondary).
    """

    def __init__(self, icon_name: str, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        picture = QLabel()
        set_picture(picture, icon_name, 48)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture = picture
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.primary: QPushButton | None = None
        self.text = QLabel(text)
        self.text.setObjectName("muted")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addStretch(1)
        for w in (picture, self.title, self.text):
            layout.addWidget(w)
        layout.addLayout(self.buttons)
        layout.addStretch(2)

    def add_button(self, button: QPushButton) -> QPushButton:
        """Add an action; the first one is the primary action."""
        if self.buttons.count() == 2:  # only the two stretches: this is the first
            button.setObjectName("primary")
            name = button.property("iconName")
            if name:
                set_icon(button, name, on_primary=True)
            self.primary = button
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def set_text(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)

    def set_icon(self, icon_name: str) -> None:
        set_picture(self.picture, icon_name, 48)


class Card(QFrame):
    """A white rounded panel with a title."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(14, 12, 14, 12)
        self.layout_.setSpacing(6)
        if title:
            heading = QLabel(title)
            heading.setObjectName("cardTitle")
            heading.setWordWrap(True)
            self.layout_.addWidget(heading)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def add(self, widget: QWidget) -> QWidget:
        self.layout_.addWidget(widget)
        return widget


def badge(text: str, kind: str = "", tip: str = "") -> QLabel:
    """A rounded label; ``kind`` is "", "good", "warn" or "bad"."""
    label = QLabel(text)
    label.setObjectName(
        {"good": "badgeGood", "warn": "badgeWarn", "bad": "badgeBad"}.get(kind, "badge")
    )
    if tip:
        label.setToolTip(tip)
    label.setAccessibleName(f"{text}. {tip}" if tip else text)
    return label


def clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()  # deleted later: never painted again in the meantime
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


# ---- errors at the field ------------------------------------------------------------
def mark_invalid(widget: QWidget, problem: str = "", label: QLabel | None = None) -> None:
    """Mark ``widget`` as the box that is wrong (red outline) and say why in ``label``.

    An empty ``problem`` clears the mark. The accessible description carries the
    problem, so a screen reader reads it with the box.
    """
    widget.setProperty("invalid", bool(problem))
    widget.setAccessibleDescription(problem)
    widget.setToolTip(problem)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    if label is not None:
        label.setText(problem)
        label.setVisible(bool(problem))


def field_error_label() -> QLabel:
    """The one-line message shown right under a box that was refused."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class DateField(QWidget):
    """A date picked from a calendar (or typed as YYYY-MM-DD), or no date at all."""

    NONE = QDate(1900, 1, 1)  # shown as "No date"

    def __init__(self, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(self.NONE)
        self.edit.setSpecialValueText(self.tr("No date"))
        self.edit.setAccessibleName(accessible_name)
        self.edit.setDate(self.NONE)
        self._show_this_month()
        self.clear_button = QPushButton(self.tr("No date"))
        self.clear_button.setAccessibleName(self.tr("Clear {0}").format(accessible_name))
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        row.addWidget(self.edit)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        self.setFocusProxy(self.edit)

    def _show_this_month(self) -> None:
        """Open the calendar on today's month, not on the "no date" placeholder's."""
        today = QDate.currentDate()
        self.edit.calendarWidget().setCurrentPage(today.year(), today.month())

    def value(self) -> dt.date | None:
        d = self.edit.date()
        if d == self.NONE:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        if value is None:
            self.edit.setDate(self.NONE)
            self._show_this_month()
        else:
            self.edit.setDate(QDate(value.year, value.month, value.day))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` × ``height``, or less when the screen is smaller."""
    screen = window.screen() if window.screen() is not None else None
    if screen is None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * 0.95))
        height = min(height, int(room.height() * 0.9))
    window.resize(width, height)


def scrolling_dialog(dialog: QWidget, width: int, height: int) -> tuple[QVBoxLayout, QVBoxLayout]:
    """Size ``dialog`` to fit the screen and give it a scrolling body.

    Returns ``(outer, body)``: put the fields in ``body`` (it scrolls when the screen is
    short, e.g. 1366x768) and the dialog's buttons in ``outer`` (always in view).
    """
    from PySide6.QtWidgets import QScrollArea

    fit_to_screen(dialog, width, height)
    outer = QVBoxLayout(dialog)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    inner = QWidget()
    body = QVBoxLayout(inner)
    body.setContentsMargins(0, 0, 8, 0)
    scroll.setWidget(inner)
    outer.addWidget(scroll, 1)
    return outer, body
