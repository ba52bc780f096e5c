"""Fonts, paragraph styles and chart images shared by the PDF scorecard and the paper form.

DejaVu Sans (bundled with matplotlib, so always present) is registered with reportlab as
TrueType, so every PDF embeds its fonts and renders the same on any printer.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image

from culturescope.reports.charts import chart_style, new_figure

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
ACCENT = colors.HexColor("#0072B2")
RULE = colors.HexColor("#CCCCCC")
ZEBRA = colors.HexColor("#F4F6F8")
HIDDEN = colors.HexColor("#EEEEEE")

_registered = False

# Binary PDF streams. ASCII85 (reportlab's default) makes the file a quarter bigger and,
# without reportlab's optional C accelerator, encoding the images took seconds.
rl_config.useA85 = 0


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, italic) from matplotlib's font folder."""
    global _registered
    if _registered:
        return
    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (FONT_BOLD, "DejaVuSans-Bold.ttf"),
        (FONT_ITALIC, "DejaVuSans-Oblique.ttf"),
        ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="DejaVuSans-BoldOblique"
    )
    _registered = True


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10
        ),
        "cell_muted": ParagraphStyle(
            "cell_muted", parent=base, fontName=FONT_ITALIC, fontSize=8, leading=10, textColor=MUTED
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=17,
            leading=21,
            spaceAfter=6,
            textColor=INK,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=28, leading=34, textColor=INK
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=14, leading=19, textColor=MUTED
        ),
        "big_number": ParagraphStyle(
            "big_number",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=20,
            leading=24,
            alignment=TA_CENTER,
            textColor=ACCENT,
        ),
        "center_small": ParagraphStyle(
            "center_small",
            parent=base,
            fontSize=8,
            leading=10,
            alignment=TA_CENTER,
            textColor=MUTED,
        ),
    }


def text(value: Any) -> str:
    """Escape user text (titles, comments) for reportlab's mini-markup."""
    return escape(str(value))


def chart_image(
    draw: Callable[..., Any],
    *args: Any,
    width_mm: float,
    height_mm: float,
    dpi: int = 170,
    **kwargs: Any,
) -> Image:
    """Render ``draw(ax, *args, **kwargs)`` off-screen and wrap it as a reportlab Image.

    The figure is sized in millimetres so text keeps its point size on the page. The
    pixels go to reportlab as uncompressed RGB (a PPM in memory), which it compresses once:
    a PNG was compressed by matplotlib, decoded by reportlab, compressed again, and its
    alpha channel (opaque) embedded as a second image.
    """
    from PIL import Image as PILImage

    from culturescope.reports.raster import QuickCanvas

    with chart_style():
        fig = new_figure(width_mm / 25.4, height_mm / 25.4)
        draw(fig.add_subplot(), *args, **kwargs)
        fig.set_facecolor("white")
        fig.dpi = dpi  # as savefig(dpi=...) does
        rgba, size = QuickCanvas(fig).print_to_buffer()
    buf = io.BytesIO()
    PILImage.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB").save(buf, "PPM")
    buf.seek(0)
    return Image(buf, width=width_mm * mm, height=height_mm * mm)


#: A comment longer than this many characters is cut in the PDF (at a word boundary) and
#: ends with :data:`CONTINUED`; the Excel workbook has it whole. One 1 MB comment would
#: otherwise add a hundred pages and minutes of layout.
PDF_COMMENT_CHARS = 1200
CONTINUED = "… continued in the Excel workbook"


def comment_markup(comment: str, count: int = 1) -> str:
    """A comment as PDF paragraph markup: escaped, capped, with its count if repeated."""
    if len(comment) > PDF_COMMENT_CHARS:
        cut = comment[:PDF_COMMENT_CHARS]
        space = cut.rfind(" ")
        if space > PDF_COMMENT_CHARS * 0.8:
            cut = cut[:space]
        body = f"“{text(cut.rstrip())}” <i>{CONTINUED}</i>"
    else:
        body = f"“{text(comment)}”"
    times = f" <font color='#666666'>({count}×)</font>" if count > 1 else ""
    return body + times
