"""Raster (Agg) canvases that draw a text label as one bitmap, as matplotlib did before 3.11.

matplotlib 3.11 draws Agg text one glyph at a time: for every glyph of every label it
resets the font size (re-running the font's hinting program), renders that glyph and pastes
it. A 36-character label costs about 4.6 ms of CPU there, against 0.9 ms in 3.10, and the
charts of a PDF scorecard are mostly labels: a scorecard with team pages took 4.3 s instead
of 3.2 s (docs/design/testing.md has the measurements; matplotlib's own fix, its pull
request 32120 "Text rendering speedups", is not in a release yet).

:class:`QuickTextRenderer` lays a label out exactly as matplotlib measures it
(``FT2Font.set_text``: the same shaping, kerning and fallback fonts), renders all of its
glyphs into one bitmap in C++ (``draw_glyphs_to_bitmap``) and pastes that once. Mathtext,
and a label with its own font features or language, still go through matplotlib's own
path. The charts look the same (a glyph may sit a fraction of a pixel elsewhere; rotated
text is rotated as an image, as in 3.10); ``tests/test_reports_raster.py`` compares the two.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure

#: True where matplotlib's Agg renderer draws text glyph by glyph (3.11 and later); on
#: older versions its own ``draw_text`` already is the one-bitmap path below.
PER_GLYPH_TEXT = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")

#: The quick path uses parts of matplotlib that are not its public API (the renderer's
#: font cache and its C++ image paste). Checked once here, and again by the fallback in
#: ``draw_text``: a matplotlib that moved them draws its own (slower) way, never fails.
QUICK_TEXT = PER_GLYPH_TEXT and all(
    hasattr(RendererAgg, name) for name in ("_prepare_font", "draw_text")
)


class QuickTextRenderer(RendererAgg):
    """matplotlib's Agg renderer, drawing each line of text as one bitmap."""

    def draw_text(  # the signature of RendererAgg.draw_text
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        if ismath or not QUICK_TEXT or _own_shaping(mtext):
            RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        try:
            self._draw_text_quickly(gc, x, y, s, prop, angle)
        except (AttributeError, TypeError):  # a matplotlib whose internals moved
            RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    def _draw_text_quickly(
        self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float
    ) -> None:
        font = self._prepare_font(prop)
        # Laid out unrotated; draw_text_image rotates the finished bitmap.
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
        descent = font.get_descent() / 64.0
        xo, yo = font.get_bitmap_offset()
        x = round(x + xo / 64.0 + descent * math.sin(math.radians(angle)))
        y = round(y + yo / 64.0 + descent * math.cos(math.radians(angle)))
        # y is the bitmap's bottom row, in pixels from the top of the canvas.
        self._renderer.draw_text_image(font.get_image(), x, y + 1, angle, gc)


def _own_shaping(mtext: Any) -> bool:
    """Whether a label asks for its own font features or language (matplotlib 3.11+)."""
    if mtext is None:
        return False
    features = getattr(mtext, "get_fontfeatures", None)
    language = getattr(mtext, "get_language", None)
    return (features is not None and features() is not None) or (
        language is not None and language() is not None
    )


class QuickTextCanvasMixin:
    """Mix into an Agg canvas class (Agg itself, Qt's) so it draws with
    :class:`QuickTextRenderer`. Put it before the canvas class in the bases."""

    figure: Figure
    renderer: RendererAgg
    _lastKey: Any  # noqa: N815  (matplotlib's attribute name)

    def get_renderer(self) -> RendererAgg:
        # As FigureCanvasAgg.get_renderer: one renderer per size and resolution.
        width, height = self.get_width_height(physical=True)  # type: ignore[attr-defined]
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = QuickTextRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class QuickCanvas(QuickTextCanvasMixin, FigureCanvasAgg):
    """An off-screen Agg canvas drawing with :class:`QuickTextRenderer`.

    ``QuickCanvas(fig)`` attaches itself to ``fig``; ``fig.savefig("x.png")`` then uses it
    (vector formats still go to matplotlib's SVG and PDF canvases).
    """
