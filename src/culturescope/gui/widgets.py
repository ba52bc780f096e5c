"""Small building blocks the pages share: page header, empty state, card, badge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
    """What a page shows when there is nothing to show yet, and what to do about it."""

    def __init__(self, icon_name: str, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        picture = QLabel()
        set_picture(picture, icon_name, 48)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def set_text(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)


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
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())
