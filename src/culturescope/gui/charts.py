"""A Qt widget around a matplotlib Figure that draws the report's chart functions.

The chart functions are drawn for paper (dark ink on white). In the dark theme the
finished figure is re-coloured from the theme's tokens (:func:`recolour`): the neutral
inks, grids and backgrounds take the theme's colours, text on a coloured cell (or on its
own box) keeps whichever of dark or light ink reads better on it, and data colours stay as
they are — an artist tagged as data (``gid`` :data:`culturescope.reports.charts.DATA`)
and a legend's colour keys are never swapped, however pale (a heatmap's 50% cell is the
scale's near-white middle, not paper).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from culturescope.gui import theme

#: The gid the report charts give data artists (``culturescope.reports.charts.DATA``).
DATA_GID = "data"

#: Widest a chart gets, in multiples of the font's line height (wider only stretches it).
MAX_WIDTH_LINES = 62


def _chart_style():
    """The reports' matplotlib style, when the reports package is installed."""
    try:
        from culturescope.reports.charts import chart_style
    except ImportError:  # pragma: no cover - reports are part of every build
        from contextlib import nullcontext

        return nullcontext()
    return chart_style()


def font_scale() -> float:
    """How much larger than the usual 10 pt the user's font is (never below 1)."""
    app = QGuiApplication.instance()
    size = app.font().pointSizeF() if app is not None else 10.0
    return min(2.5, max(1.0, size / 10.0))


# Paper neutrals of the report charts and the dark-theme token that replaces each.
_NEUTRALS = (
    ("#FFFFFF", "surface"),
    ("#F7F7F7", "surface_alt"),
    ("#EEEEEE", "surface_alt"),
    ("#222222", "text"),
    ("#000000", "text"),
    ("#666666", "muted"),
    ("#667085", "muted"),
    ("#DDDDDD", "chart_grid"),
    ("#BBBBBB", "border_strong"),
    ("#9A9A9A", "border_strong"),
)


def _rgb(colour) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


def _hex(rgba) -> str:
    from matplotlib.colors import to_hex

    return to_hex(rgba, keep_alpha=False).upper()


def _neutral(colour) -> str | None:
    """The token replacing ``colour`` when it is one of the paper neutrals, else None."""
    if colour is None or (isinstance(colour, str) and colour.lower() == "none"):
        return None
    try:
        r, g, b, _a = _rgb(colour)
    except ValueError:
        return None
    for paper, token in _NEUTRALS:
        pr, pg, pb, _ = _rgb(paper)
        if abs(r - pr) + abs(g - pg) + abs(b - pb) < 0.04:
            return token
    return None


def _swap(colour, tokens: theme.Tokens):
    """The theme's colour for a paper neutral (same alpha); other colours unchanged."""
    token = _neutral(colour)
    if token is None:
        return colour
    tr, tg, tb, _ = _rgb(getattr(tokens, token))
    return (tr, tg, tb, _rgb(colour)[3])


def recolour(figure, tokens: theme.Tokens) -> None:
    """Re-colour a drawn paper chart for a dark theme (no-op for the light one)."""
    if not tokens.dark:
        return
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure.patch.set_facecolor(tokens.surface)
    for ax in figure.axes:
        ax.set_facecolor(_swap(ax.get_facecolor(), tokens))
        for spine in ax.spines.values():
            spine.set_edgecolor(_swap(spine.get_edgecolor(), tokens))
        ax.tick_params(colors=tokens.text, which="both")
    # A legend's keys show data colours: as drawn (its frame is paper and is swapped).
    keys = {
        id(key)
        for legend in figure.findobj(Legend)
        for key in (*legend.get_patches(), *legend.get_lines())
    }

    def data(artist) -> bool:
        return artist.get_gid() == DATA_GID or id(artist) in keys

    for patch in figure.findobj(Patch):
        if patch is figure.patch:
            continue
        if not data(patch):
            patch.set_facecolor(_swap(patch.get_facecolor(), tokens))
        # a paper-white edge between data cells is a gap: the page's colour in the theme
        patch.set_edgecolor(_swap(patch.get_edgecolor(), tokens))
    for line in figure.findobj(Line2D):
        if data(line):
            continue
        line.set_color(_swap(line.get_color(), tokens))
        line.set_markerfacecolor(_swap(line.get_markerfacecolor(), tokens))
        line.set_markeredgecolor(_swap(line.get_markeredgecolor(), tokens))
    _recolour_texts(figure, tokens)


def _recolour_texts(figure, tokens: theme.Tokens) -> None:
    """Text on a cell or on its own box: the better of dark and light ink on it; other
    text: the theme's ink for a paper neutral, a data colour made readable."""
    from matplotlib.text import Text

    cells = [
        (ax, p)
        for ax in figure.axes
        for p in ax.patches
        if p.get_fill() and p.get_facecolor()[3] * (p.get_alpha() or 1) >= 0.5
    ]
    for text in figure.findobj(Text):
        if not text.get_text():
            continue
        box = text.get_bbox_patch()  # a label's own box (a hidden row's reason): not a child
        if box is not None:
            box.set_facecolor(_swap(box.get_facecolor(), tokens))
            box.set_edgecolor(_swap(box.get_edgecolor(), tokens))
        under = box if box is not None and box.get_facecolor()[3] >= 0.5 else None
        under = under or _cell_under(text, cells)
        if under is not None:
            face = _hex(under.get_facecolor())
            ink = max(("#101828", "#FFFFFF"), key=lambda c: theme.contrast(c, face))
            text.set_color(ink)
            continue
        colour = text.get_color()
        if _neutral(colour) is not None:
            text.set_color(_swap(colour, tokens))
        else:  # a data colour used for text: lighten it until it reads on the surface
            text.set_color(theme.readable_on(_hex(colour), tokens.surface))


def _cell_under(text, cells):
    """The opaque patch (e.g. a heatmap cell) a data label sits on, if any."""
    axes = text.axes
    if axes is None or not cells:
        return None
    try:
        point = text.get_transform().transform(text.get_position())
    except (ValueError, TypeError):
        return None
    for ax, patch in reversed(cells):  # the topmost patch wins
        if ax is axes and patch.contains_point(point):
            return patch
    return None


@cache
def _lazy_canvas_class():
    """``FigureCanvasQTAgg`` that renders only when Qt paints it.

    matplotlib renders a figure in ``draw()`` and again on every resize. A page that drew
    its charts and was then laid out paid for each picture twice, and for charts nobody
    looked at: on another page, in a closed evidence panel, or further down a scrolled
    page. Here a render request only marks the picture out of date and asks Qt for a
    paint; Qt paints what is on screen (and what ``grab()`` asks for), and the picture is
    rendered then, once, at its final size. A chart below the fold renders when it is
    scrolled into view. Text is drawn as the reports draw it, one bitmap per label
    (culturescope.reports.raster; matplotlib 3.11's glyph-by-glyph text is about five times
    slower).
    """
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from culturescope.reports.raster import QuickTextCanvasMixin

    class LazyCanvas(QuickTextCanvasMixin, FigureCanvasQTAgg):
        _stale_picture = False

        def draw(self):
            with _chart_style():  # resize redraws too: the style's rc and warning filters
                super().draw()

        def draw_idle(self):
            self._stale_picture = True
            self.update()

        def paintEvent(self, event):
            if self._stale_picture:
                self._stale_picture = False
                # matplotlib's paintEvent renders a queued draw before it copies the picture
                super().draw_idle()
            super().paintEvent(event)

    return LazyCanvas


class ChartCanvas(QWidget):
    """Owns a Figure on a ``FigureCanvasQTAgg``; ``draw_with(fn, *args)`` draws a chart.

    The chart functions (``culturescope.reports.charts``) take an Axes and never touch
    pyplot, so the GUI and the reports draw exactly the same picture. matplotlib is
    imported on first construction, not when the app starts. The chart follows the
    theme (redrawn when it changes), grows its text with the user's font size and is
    never wider than :data:`MAX_WIDTH_LINES` lines of text.
    """

    def __init__(self, parent: QWidget | None = None, *, width: float = 6, height: float = 3.5):
        super().__init__(parent)
        from matplotlib.figure import Figure

        self.scale = font_scale()
        self.figure = Figure(figsize=(width, height), dpi=100 * self.scale, layout="constrained")
        self.canvas = _lazy_canvas_class()(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(int(height * 60 * self.scale))
        self.setMaximumWidth(self.fontMetrics().height() * MAX_WIDTH_LINES)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.axes = None
        #: False where the card around the chart already names it: one title level.
        self.keep_title = True
        self._last: tuple | None = None
        theme.notifier().changed.connect(self._on_theme)

    def draw_with(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        """Clear the figure, make one Axes, call ``fn(ax, *args, **kwargs)`` and redraw.

        Drawn in the reports' chart style, so the app and the PDF look the same, then
        re-coloured for the theme. The picture is rendered when Qt paints the chart on
        screen (see :func:`_lazy_canvas_class`), not here.
        """
        self._last = ("draw", fn, args, kwargs)
        with _chart_style():
            self.figure.clear()
            self.axes = self.figure.add_subplot(111)
            result = fn(self.axes, *args, **kwargs)
            if not self.keep_title:
                for loc in ("left", "center", "right"):
                    self.axes.set_title("", loc=loc)
            self.figure.patch.set_facecolor(theme.current().surface)
            recolour(self.figure, theme.current())
        self.canvas.draw_idle()
        return result

    def set_height(self, inches: float) -> None:
        """Resize the figure to ``inches`` tall (the width follows the widget)."""
        self.figure.set_figheight(inches)
        self.canvas.setMinimumHeight(int(inches * self.figure.dpi))

    def clear(self, message: str = "") -> None:
        """An empty chart, optionally with a centred message."""
        self._last = ("clear", message)
        self.figure.clear()
        self.figure.patch.set_facecolor(theme.current().surface)
        self.axes = None
        if message:
            self.figure.text(
                0.5, 0.5, message, ha="center", va="center", color=theme.current().muted
            )
        self.canvas.draw_idle()

    def _on_theme(self, _tokens) -> None:
        last = self._last
        if last is None:
            return
        try:
            if last[0] == "draw":
                self.draw_with(last[1], *last[2], **last[3])
            else:
                self.clear(last[1])
        except RuntimeError:  # the widget is already deleted on the C++ side
            pass
