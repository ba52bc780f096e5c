"""The reports' Agg canvas draws text as one bitmap per label, and the same picture as
matplotlib's own (glyph-by-glyph since 3.11) path."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from culturescope.reports import raster
from culturescope.reports.raster import QuickCanvas

LABELS = (
    ("mean 3.21 (3.10–4.20) · AV Wa office", 0),
    ("Strongly disagree", 30),
    ("Équipe Ørsted ≥ 5 ½ Команда Δ", 90),
    ("مرحبا بالعالم", 0),  # shaped right to left, joined
    ("two\nlines", 0),
)


def _pixels(canvas_class, text: str, angle: float) -> np.ndarray:
    fig = Figure(figsize=(3, 2), dpi=120)
    fig.text(
        0.5,
        0.5,
        text,
        rotation=angle,
        ha="center",
        va="center",
        fontsize=10,
        color="#0072B2",
        alpha=0.8,
    )
    buf, (w, h) = canvas_class(fig).print_to_buffer()
    ink = 255 - np.frombuffer(buf, np.uint8).reshape(h, w, 4)[..., :3].min(axis=-1)
    return ink.astype(float)


def _bbox(ink: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(ink > 40)
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.mark.parametrize(("text", "angle"), LABELS)
def test_quick_text_draws_what_matplotlib_draws(text, angle):
    stock, quick = _pixels(FigureCanvasAgg, text, angle), _pixels(QuickCanvas, text, angle)
    # Same place (a glyph may move by a pixel: positions are rounded to whole pixels) ...
    assert np.allclose(_bbox(quick), _bbox(stock), atol=2), (_bbox(quick), _bbox(stock))
    # ... and the same amount of ink in the same colour.
    assert quick.sum() == pytest.approx(stock.sum(), rel=0.06)


def test_report_charts_never_draw_glyph_by_glyph(monkeypatch, tmp_path):
    """The PDF's charts and the exported PNGs go through the one-bitmap path (matplotlib's
    per-glyph path is what made 3.11 slow); mathtext still takes matplotlib's own."""
    from culturescope.reports import charts
    from culturescope.reports.typography import chart_image

    def per_glyph(*_args, **_kwargs):
        raise AssertionError("text drawn glyph by glyph")

    if raster.PER_GLYPH_TEXT:
        monkeypatch.setattr(RendererAgg, "_draw_text_glyphs_and_boxes", per_glyph)

    def draw(ax):
        ax.set_title("Pillar scores")
        ax.set_xticks([1, 2], ["Disagree", "Agree"])

    image = chart_image(draw, width_mm=60, height_mm=40, dpi=60)
    assert image.imageWidth > 0
    fig = charts.new_figure(3, 2)
    draw(fig.add_subplot())
    assert charts.save_figure(fig, tmp_path / "c.png").stat().st_size > 0
    if raster.PER_GLYPH_TEXT:  # the same check fails on matplotlib's own canvas
        with pytest.raises(AssertionError, match="glyph by glyph"):
            FigureCanvasAgg(fig).print_to_buffer()
    math = Figure(figsize=(2, 1))
    math.text(0.1, 0.5, r"$\alpha^2$")
    monkeypatch.undo()
    assert QuickCanvas(math).print_to_buffer()[1][0] > 0


def test_a_matplotlib_without_the_quick_path_draws_its_own_way(monkeypatch):
    """The quick path leans on matplotlib internals: where they are missing (another
    version), labels are drawn by matplotlib's own draw_text, never an error."""
    stock = _pixels(FigureCanvasAgg, "Strongly disagree", 30)

    def moved(*_args, **_kwargs):
        raise AttributeError("'FT2Font' object has no attribute 'draw_glyphs_to_bitmap'")

    monkeypatch.setattr(raster.QuickTextRenderer, "_draw_text_quickly", moved)
    fallback = _pixels(QuickCanvas, "Strongly disagree", 30)
    assert _bbox(fallback) == _bbox(stock)
    assert fallback.sum() == pytest.approx(stock.sum(), rel=1e-9)
    monkeypatch.undo()
    monkeypatch.setattr(raster, "QUICK_TEXT", False)  # found missing at import
    assert _pixels(QuickCanvas, "Strongly disagree", 30).sum() == pytest.approx(
        stock.sum(), rel=1e-9
    )


def test_labels_without_font_features_are_drawn(monkeypatch):
    """matplotlib before 3.11 has no Text.get_fontfeatures: checked, not called blindly."""
    from matplotlib.text import Text

    monkeypatch.delattr(Text, "get_fontfeatures", raising=False)
    monkeypatch.delattr(Text, "get_language", raising=False)
    quick = _pixels(QuickCanvas, "Strongly disagree", 30)
    assert quick.sum() > 0
