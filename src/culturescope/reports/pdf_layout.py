"""The page layout of the PDF scorecard: A4 pages with a cover band and a footer, the
house table style, and how numbers and dates are written in it (:mod:`.pdf` writes the
content).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from culturescope.reports.scorecard import Scorecard
from culturescope.reports.typography import ACCENT, FONT, FONT_BOLD, MUTED, RULE, ZEBRA

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

#: A table cell: plain text or a paragraph (any flowable).
Cell = Flowable | str
#: Table style commands, e.g. ("FONT", (0, 0), (-1, -1), FONT, 8) (reportlab's own type
#: for them is private).
Commands = list[tuple[Any, ...]]

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
CONTENT_W_MM = (PAGE_W - 2 * MARGIN) / mm


def pct(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{abs(x):.0f}%" if abs(x) < 0.5 else f"{x:.0f}%"


def num(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def date_text(d: dt.date | None) -> str:
    return d.strftime("%d %b %Y") if d else "–"


def table(
    rows: list[list[Any]], widths_mm: Sequence[float], *, header: bool = True, zebra: bool = True
) -> Table:
    t = Table(rows, colWidths=[w * mm for w in widths_mm], repeatRows=1 if header else 0)
    style: Commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#888888")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor("#333333")),
        ]
    if zebra:
        for r in range(1 if header else 0, len(rows)):
            if r % 2 == 0:
                style.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    t.setStyle(TableStyle(style))
    return t


class ScorecardDoc(BaseDocTemplate):
    def __init__(self, path: str, card: Scorecard) -> None:
        super().__init__(
            path,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"Safety culture scorecard — {card.campaign}",
            author=card.organisation,
            subject=card.instrument.title,
            creator="CultureScope",
            initialFontName=FONT,  # else every page references un-embedded Helvetica
        )
        frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, id="body")
        self.card = card
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPage=self._cover_page),
                PageTemplate("body", [frame], onPage=self._body_page),
            ]
        )

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            MARGIN,
            10 * mm,
            f"{self.card.organisation} · {self.card.campaign} · Safety culture scorecard",
        )
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, f"Confidential · page {doc.page}")
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, 13 * mm, PAGE_W - MARGIN, 13 * mm)
        canvas.restoreState()


class NextTemplate(Spacer):
    """Switch to a named page template from the next page on."""

    def __init__(self, name: str) -> None:
        super().__init__(0, 0)
        self.name = name

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # reportlab sets the canvas's document while building; its stubs do not declare it.
        self.canv._doctemplate.handle_nextPageTemplate(self.name)  # type: ignore[attr-defined]
        return 0, 0
