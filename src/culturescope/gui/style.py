"""Icons and the stylesheet, looked up by name in the shipped ``resources/`` folder."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QImage, QPixmap

from culturescope.gui.theme import ICON_STROKE, icons_dir


class UnknownIcon(KeyError):
    pass


def icon_names() -> list[str]:
    return sorted(p.stem for p in icons_dir().glob("*.svg"))


def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` drawn in ``colour`` (default: the theme's).

    Raises ``UnknownIcon`` naming the known icons.
    """
    from culturescope.gui import theme

    return _icon(name, colour or theme.current().icon)


def set_icon(button, name: str, *, on_primary: bool = False) -> None:
    """Give ``button`` icon ``name`` in the theme's colour, and keep it so on a change."""
    from culturescope.gui import theme

    button.setProperty("iconName", name)
    button.setProperty("iconOnPrimary", on_primary)
    button.setIcon(icon(name, theme.current().on_primary if on_primary else None))


def set_picture(label, name: str, size: int) -> None:
    """Show icon ``name`` as a ``size``-pixel picture in ``label``, following the theme."""
    label.setProperty("iconName", name)
    label.setProperty("iconSize", size)
    label.setPixmap(icon(name).pixmap(size, size))


def retheme_icons(root) -> None:
    """Redraw the icons set with :func:`set_icon` / :func:`set_picture` in the current theme."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    for button in root.findChildren(QAbstractButton):
        name = button.property("iconName")
        if name:
            set_icon(button, name, on_primary=bool(button.property("iconOnPrimary")))
    for label in root.findChildren(QLabel):
        name = label.property("iconName")
        if name:
            set_picture(label, name, int(label.property("iconSize") or 48))


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise UnknownIcon(f"no icon '{name}' in {icons_dir()} (icons: {', '.join(icon_names())})")
    svg = path.read_text(encoding="utf-8").replace(ICON_STROKE, colour)
    svg = svg.replace('width="24" height="24"', 'width="48" height="48"')
    image = QImage.fromData(QByteArray(svg.encode("utf-8")), "SVG")
    return QIcon(QPixmap.fromImage(image))


def stylesheet() -> str:
    """The app's stylesheet for the current theme (see :mod:`culturescope.gui.theme`)."""
    from PySide6.QtGui import QGuiApplication

    from culturescope.gui import theme

    app = QGuiApplication.instance()
    size = app.font().pointSizeF() if app is not None else 10.0
    return theme.stylesheet(theme.current(), size)
