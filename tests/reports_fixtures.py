"""Helpers for report tests that read a PDF's text.

A chart in the PDF is a picture: pdftotext never sees it, and rasterising it is nearly all
of a PDF's cost (about 2.5 s of CPU for a scorecard with team pages; 0.15 s for the rest).
A test that reads only the text can have each chart drawn (its code still runs on an Axes,
so a chart that raises still fails the test) and put on the page as a blank picture of the
same size (so the pages break where they would). The pictures themselves are tested where
they are looked at: test_reports_pdf's ``full_pdf``, test_reports_charts,
test_reports_raster, test_robust_reports (hostile names) and test_reports_export's
end-to-end PDF of the demo.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Image

_BLANK = io.BytesIO()
PILImage.new("RGB", (1, 1), "white").save(_BLANK, "PPM")


def charts_not_rasterised(monkeypatch) -> list[tuple[str, Any]]:
    """Draw the PDF's charts on an Axes without rasterising them (see the module text).

    Returns ``(chart function name, Axes)`` of each chart drawn, in order, as the PDF is
    written.
    """
    from culturescope.reports import pdf
    from culturescope.reports.charts import chart_style, new_figure

    drawn: list[tuple[str, Any]] = []

    def chart_image(draw, *args: Any, width_mm: float, height_mm: float, dpi: int = 170, **kw):
        with chart_style():
            fig = new_figure(width_mm / 25.4, height_mm / 25.4)
            ax = fig.add_subplot()
            draw(ax, *args, **kw)
        drawn.append((draw.__name__, ax))
        return Image(io.BytesIO(_BLANK.getvalue()), width=width_mm * mm, height=height_mm * mm)

    monkeypatch.setattr(pdf, "chart_image", chart_image)
    return drawn
