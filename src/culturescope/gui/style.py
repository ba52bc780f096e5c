"""Icons and the stylesheet, looked up by name in the shipped ``resources/`` folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QImage, QPixmap

from culturescope.paths import resources_dir

#: Colours the pages use where a stylesheet cannot reach (charts, badges, cards).
COLOURS = {
    "accent": "#1F5F8B",
    "text": "#1D2939",
    "muted": "#667085",
    "border": "#D0D5DD",
    "good": "#2E7D5B",
    "warn": "#B54708",
    "bad": "#B42318",
    "hidden": "#98A2B3",
}


class UnknownIcon(KeyError):
    pass


def icons_dir() -> Path:
    return resources_dir() / "icons"


def icon_names() -> list[str]:
    return sorted(p.stem for p in icons_dir().glob("*.svg"))


ICON_STROKE = "#3B4A5E"  # the stroke colour the SVG files are drawn with


@cache
def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, optionally drawn in ``colour``.

    Raises ``UnknownIcon`` naming the known icons.
    """
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise UnknownIcon(f"no icon '{name}' in {icons_dir()} (icons: {', '.join(icon_names())})")
    if colour is None:
        return QIcon(str(path))
    svg = path.read_text(encoding="utf-8").replace(ICON_STROKE, colour)
    svg = svg.replace('width="24" height="24"', 'width="48" height="48"')
    image = QImage.fromData(QByteArray(svg.encode("utf-8")), "SVG")
    return QIcon(QPixmap.fromImage(image))


def stylesheet() -> str:
    """The app's stylesheet (``resources/styles/app.qss``)."""
    text = (resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    # Image URLs in the file are written as url(@icons/name.svg).
    return text.replace("@icons/", icons_dir().as_posix() + "/")
