"""Light and dark themes from one set of design tokens.

Every colour the app draws with is a token of :class:`Tokens`. The Qt palette
(:func:`palette`), the stylesheet (:func:`stylesheet`, generated from the template
``resources/styles/app.qss``), the icons and the charts all read the same tokens, so
the two themes cannot drift apart. :data:`CONTRAST_RULES` lists which token is drawn on
which, with the contrast it needs; the tests check every rule for both themes.

The theme follows the operating system's colour scheme (Qt 6.5+) unless the user
chose one in Settings (``Settings.theme``: ``"system"``, ``"light"`` or ``"dark"``).
Font sizes are never fixed: headings are multiples of the application font, which Qt
takes from the system, so a large-text preference enlarges the whole app.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from culturescope.paths import resources_dir

CHOICES = ("system", "light", "dark")
ICON_STROKE = "#3B4A5E"  # the stroke colour the SVG files in resources/icons are drawn with


def icons_dir() -> Path:
    """The shipped line icons (``resources/icons``)."""
    return resources_dir() / "icons"


@dataclass(frozen=True)
class Tokens:
    """The colours of one theme (``#RRGGBB``)."""

    name: str
    window: str  # page background
    surface: str  # cards, inputs, tables, dialogs
    surface_alt: str  # table headers, alternating rows, hover
    border: str  # quiet separators (decorative)
    border_strong: str  # input and button outlines: must stand out (3:1)
    text: str
    text_strong: str  # headings, values
    muted: str  # secondary text
    disabled: str  # text of disabled controls
    icon: str  # stroke of the line icons
    accent: str  # links, selected tab, sidebar selection text
    accent_soft: str  # selection background
    primary: str  # primary button background
    on_primary: str  # primary button text
    focus: str  # focus ring on ordinary controls
    focus_on_primary: str  # focus ring on the primary button
    good: str
    good_soft: str
    warn: str
    warn_soft: str
    bad: str
    bad_soft: str
    tooltip: str
    on_tooltip: str
    chart_grid: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Tokens(
    name="light",
    window="#F7F8FA",
    surface="#FFFFFF",
    surface_alt="#F2F4F7",
    border="#E4E7EC",
    border_strong="#7A8499",
    text="#1D2939",
    text_strong="#101828",
    muted="#5D6679",
    disabled="#7A8499",
    icon="#3B4A5E",
    accent="#1F5F8B",
    accent_soft="#DCE9F3",
    primary="#2B6FA3",
    on_primary="#FFFFFF",
    focus="#1F5F8B",
    focus_on_primary="#101828",
    good="#05603A",
    good_soft="#ECFDF3",
    warn="#93370D",
    warn_soft="#FFFAEB",
    bad="#912018",
    bad_soft="#FEF3F2",
    tooltip="#101828",
    on_tooltip="#FFFFFF",
    chart_grid="#DDDDDD",
)

DARK = Tokens(
    name="dark",
    window="#12161F",
    surface="#1A2030",
    surface_alt="#232A3B",
    border="#313A4F",
    border_strong="#7C879E",
    text="#E4E8EF",
    text_strong="#F5F7FA",
    muted="#A6AFBF",
    disabled="#7C879E",
    icon="#C5CCD8",
    accent="#7CB9EA",
    accent_soft="#23425F",
    primary="#1F6FB0",
    on_primary="#FFFFFF",
    focus="#8CC4F0",
    focus_on_primary="#F5F7FA",
    good="#6CE0A8",
    good_soft="#133326",
    warn="#F7B86B",
    warn_soft="#3A2A12",
    bad="#FF9C94",
    bad_soft="#3D1A1A",
    tooltip="#F5F7FA",
    on_tooltip="#101828",
    chart_grid="#3A4356",
)

THEMES = {"light": LIGHT, "dark": DARK}

#: (foreground, background, minimum contrast, what it is) for every pairing the app draws.
#: 4.5:1 for text (WCAG 1.4.3), 3:1 for focus indicators and control outlines (1.4.11).
CONTRAST_RULES: tuple[tuple[str, str, float, str], ...] = (
    ("text", "window", 4.5, "page text"),
    ("text", "surface", 4.5, "text in cards, tables, dialogs and message boxes"),
    ("text", "surface_alt", 4.5, "text on hovered and alternating rows"),
    ("text_strong", "surface", 4.5, "headings and values"),
    ("muted", "window", 4.5, "secondary text on the page"),
    ("muted", "surface", 4.5, "secondary text in cards"),
    ("muted", "surface_alt", 4.5, "table headers"),
    ("accent", "surface", 4.5, "links and selected tabs"),
    ("accent", "accent_soft", 4.5, "selected sidebar entry"),
    ("text_strong", "accent_soft", 4.5, "selected table rows"),
    ("on_primary", "primary", 4.5, "primary buttons"),
    ("good", "good_soft", 4.5, "good badges"),
    ("text", "good_soft", 4.5, "rows marked as matched"),
    ("text", "warn_soft", 4.5, "rows marked for attention"),
    ("text", "bad_soft", 4.5, "rows and boxes marked as wrong"),
    ("warn", "warn_soft", 4.5, "warning badges and messages"),
    ("bad", "bad_soft", 4.5, "problem badges"),
    ("bad", "surface", 4.5, "error text at a field"),
    ("bad", "window", 4.5, "error text on the page"),
    ("warn", "surface", 4.5, "warning text"),
    ("on_tooltip", "tooltip", 4.5, "tooltips"),
    ("focus", "surface", 3.0, "focus ring on a control"),
    ("focus", "window", 3.0, "focus ring on the page"),
    ("focus_on_primary", "primary", 3.0, "focus ring on a primary button"),
    ("focus_on_primary", "window", 3.0, "focus ring on a primary button, outside"),
    ("border_strong", "surface", 3.0, "input outlines"),
    ("icon", "surface", 3.0, "icons"),
    ("icon", "window", 3.0, "icons on the page"),
    ("disabled", "surface", 3.0, "disabled text (still legible)"),
)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def contrast_failures(tokens: Tokens) -> list[str]:
    """Every rule of :data:`CONTRAST_RULES` the theme breaks, as readable lines."""
    out = []
    for fg, bg, minimum, what in CONTRAST_RULES:
        ratio = contrast(getattr(tokens, fg), getattr(tokens, bg))
        if ratio < minimum:
            out.append(f"{tokens.name}: {what}: {fg} on {bg} is {ratio:.2f}:1 < {minimum}:1")
    return out


def readable_on(colour: str, background: str, *, minimum: float = 4.5) -> str:
    """``colour`` darkened or lightened (away from ``background``) until it is readable."""
    c = QColor(colour)
    dark_bg = luminance(background) < 0.2
    for _ in range(40):
        if contrast(c.name(), background) >= minimum:
            break
        c = c.lighter(112) if dark_bg else c.darker(112)
        if dark_bg and c.lightness() >= 250:
            return "#FFFFFF"
    return c.name()


# ---- the current theme ----------------------------------------------------------------
class _Notifier(QObject):
    changed = Signal(object)  # the new Tokens


_current: Tokens = LIGHT
_notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """Emits ``changed(tokens)`` after the theme changed (connect to re-colour)."""
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def current() -> Tokens:
    """The tokens of the theme in use."""
    return _current


def colour(name: str) -> str:
    """One token of the current theme, e.g. ``colour("muted")``."""
    return getattr(_current, name)


def system_is_dark() -> bool:
    """True when the operating system asks for a dark colour scheme (Qt 6.5+)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is None:  # Qt before 6.5: judge by the platform's window colour
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return scheme() == Qt.ColorScheme.Dark


def resolve(choice: str) -> Tokens:
    """The tokens for a Settings choice ("system", "light" or "dark")."""
    if choice in THEMES:
        return THEMES[choice]
    return DARK if system_is_dark() else LIGHT


def palette(tokens: Tokens) -> QPalette:
    """A complete Qt palette from ``tokens`` (dialogs and message boxes use it)."""
    p = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: tokens.window,
        role.WindowText: tokens.text,
        role.Base: tokens.surface,
        role.AlternateBase: tokens.surface_alt,
        role.Text: tokens.text,
        role.Button: tokens.surface,
        role.ButtonText: tokens.text,
        role.BrightText: tokens.text_strong,
        role.Highlight: tokens.accent_soft,
        role.HighlightedText: tokens.text_strong,
        role.ToolTipBase: tokens.tooltip,
        role.ToolTipText: tokens.on_tooltip,
        role.PlaceholderText: tokens.muted,
        role.Link: tokens.accent,
        role.LinkVisited: tokens.accent,
        role.Light: tokens.surface_alt,
        role.Midlight: tokens.border,
        role.Mid: tokens.border_strong,
        role.Dark: tokens.border_strong,
        role.Shadow: "#000000",
    }
    for r, value in pairs.items():
        p.setColor(r, QColor(value))
    group = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group, r, QColor(tokens.disabled))
    if hasattr(role, "Accent"):
        p.setColor(role.Accent, QColor(tokens.accent))
    return p


def _pt(base: float, factor: float) -> str:
    return f"{round(base * factor * 2) / 2:g}"


_TICK = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" '
    'fill="none" stroke="#3B4A5E" stroke-width="3" stroke-linecap="round" '
    'stroke-linejoin="round"><path d="M5 12.5l4.5 4.5 9.5-10"/></svg>'
)


def themed_svg(name: str, stroke: str) -> str:
    """Path of a copy of icon ``name`` drawn in ``stroke`` (stylesheets need files)."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    folder = Path(tempfile.gettempdir()) / f"culturescope-icons-{user}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}-{stroke.lstrip('#').lower()}.svg"
    if not target.exists():
        svg = _TICK if name == "tick" else (icons_dir() / f"{name}.svg").read_text(encoding="utf-8")
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.write_text(svg.replace(ICON_STROKE, stroke), encoding="utf-8")
        os.replace(partial, target)
    return target.as_posix()


def stylesheet(tokens: Tokens, base_point_size: float) -> str:
    """The app stylesheet for ``tokens``, with sizes relative to ``base_point_size``."""
    values = dataclasses.asdict(tokens)
    base = base_point_size if base_point_size > 0 else 10.0
    for name, factor in (("small", 0.9), ("section", 1.1), ("big", 1.2), ("empty", 1.4)):
        values[f"pt_{name}"] = _pt(base, factor)
    values.update(pt_title=_pt(base, 1.6), pt_value=_pt(base, 2.2), pt_app=_pt(base, 1.3))
    values.update(pt_cell=_pt(base, 1.3), pt_total=_pt(base, 1.5))
    values["chevron"] = themed_svg("chevron-down", tokens.icon)
    values["chevron_up"] = themed_svg("chevron-up", tokens.icon)
    values["tick"] = themed_svg("tick", tokens.on_primary)
    return _filled("app.qss", values)


def _filled(name: str, values: dict) -> str:
    """A stylesheet template of ``resources/styles`` with its ``$placeholders`` filled."""
    text = (resources_dir() / "styles" / name).read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # the comments name the placeholders
    return Template(text).substitute(values)


#: Kiosk type sizes as percentages of the application font (16pt body on a 10pt desktop).
KIOSK_SIZES = (100, 120, 130, 140, 150, 160, 180, 240, 320)


def kiosk_stylesheet(tokens: Tokens, base_point_size: float) -> str:
    """The kiosk's stylesheet (large type and targets) in the colours of ``tokens``."""
    values = dataclasses.asdict(tokens)
    base = base_point_size if base_point_size > 0 else 10.0
    for percent in KIOSK_SIZES:
        values[f"k{percent}"] = _pt(base, percent / 100)
    return _filled("kiosk.qss", values)


def apply(choice: str = "system", app: QGuiApplication | None = None) -> Tokens:
    """Make the theme for ``choice`` current: palette, stylesheet, and a notice to listeners."""
    global _current
    app = app or QGuiApplication.instance()
    tokens = resolve(choice)
    _current = tokens
    if app is not None:
        app.setPalette(palette(tokens))
        set_sheet = getattr(app, "setStyleSheet", None)
        if set_sheet is not None:
            set_sheet(stylesheet(tokens, app.font().pointSizeF()))
    notifier().changed.emit(tokens)
    return tokens


def follow_system(get_choice) -> None:
    """Re-apply the theme when the system scheme changes and ``get_choice()`` is "system"."""
    hints = QGuiApplication.styleHints()
    signal = getattr(hints, "colorSchemeChanged", None)
    if signal is None:
        return

    def changed(_scheme) -> None:
        if get_choice() == "system":
            apply("system")

    signal.connect(changed)
