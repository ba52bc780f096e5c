"""The printable questionnaire of an instrument (docs/design/collection.md, paper).

Same order as the paper data-entry screen: demographics first, then the items in
instrument order (numbered, so typing forms in is quick), then the comment prompts.
Every page carries a "Form no." box so a typed-in form can be traced to its sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from culturescope import CultureScopeError
from culturescope.instruments import (
    Demographic,
    Instrument,
    Item,
    get_instrument,
    respondent_welcome,
)
from culturescope.reports.typography import (
    FONT,
    FONT_BOLD,
    MUTED,
    RULE,
    ZEBRA,
    register_fonts,
    styles,
    text,
)

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 15 * mm
BOX = 3.6 * mm


class FormError(CultureScopeError):
    pass


class TickBox(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float = BOX) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor("#333333"))
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class WriteBox(Flowable):
    """A framed area to write a comment in (with faint lines)."""

    def __init__(self, width: float, height: float, *, lines: bool = True) -> None:
        super().__init__()
        self.width, self.height, self.lines = width, height, lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.width, availWidth)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.HexColor("#888888"))
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.height)
        c.setStrokeColor(colors.HexColor("#DDDDDD"))
        c.setLineWidth(0.4)
        y = 8 * mm
        while self.lines and y < self.height - 2 * mm:
            c.line(3 * mm, y, self.width - 3 * mm, y)
            y += 8 * mm


def _form_doc(path: str, inst: Instrument, pagesize: tuple[float, float]) -> BaseDocTemplate:
    width, height = pagesize

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawString(MARGIN, height - 10 * mm, inst.title)
        canvas.setFont(FONT, 8)
        box_w, box_h = 34 * mm, 8 * mm
        x = width - MARGIN - box_w
        y = height - 12.5 * mm
        canvas.drawRightString(x - 2 * mm, y + 2.6 * mm, "Form no.")
        canvas.setStrokeColor(colors.HexColor("#333333"))
        canvas.rect(x, y, box_w, box_h)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            MARGIN, 8 * mm, f"{inst.id} {inst.version} · confidential: do not write your name"
        )
        canvas.drawRightString(width - MARGIN, 8 * mm, f"page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        path,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN,
        title=f"{inst.title} — questionnaire",
        creator="CultureScope",
        initialFontName=FONT,
    )
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - 6 * mm, id="body")
    doc.addPageTemplates([PageTemplate("form", [frame], onPage=on_page)])
    return doc


def build_form_story(
    inst: Instrument, content_width: float, *, language: str | None = None
) -> list[Flowable]:
    s = styles()
    s["scale_head"] = ParagraphStyle(
        "scale_head",
        parent=s["center_small"],
        fontSize=7,
        leading=8.4,
        textColor=colors.HexColor("#333333"),
    )
    lang = language or inst.default_language
    story: list[Flowable] = [
        Paragraph(text(inst.title), s["h1"]),
    ]
    story += [
        Paragraph(text(paragraph), s["body"])
        for paragraph in respondent_welcome(inst, language=lang)
    ]
    story += [
        Spacer(1, 2 * mm),
        Paragraph(
            "<b>How to answer:</b> put a cross (✕) in one box per question. If you make a mistake, "
            "fill the wrong box in completely and cross the right one. Skip any question you prefer "
            "not to answer.",
            s["body"],
        ),
        Spacer(1, 2 * mm),
    ]
    if inst.demographics:
        story.append(Paragraph("About you", s["h2"]))
        story += [_demographic_row(d, s, content_width) for d in inst.demographics]
    runs = _item_runs(inst)
    number = 0
    for k, (scale_id, items) in enumerate(runs, start=1):
        table = _item_table(
            inst,
            scale_id,
            items,
            s,
            content_width,
            lang=lang,
            part=f"Part {k} of {len(runs)}",
            first=number,
        )
        story += [Spacer(1, 4 * mm), table]
        number += len(items)
    story += [_comment_box(prompt.text_for(lang), s, content_width) for prompt in inst.comments]
    story += [
        Spacer(1, 5 * mm),
        Paragraph(
            "Thank you. Please fold this form and hand it back as you were asked to.", s["body"]
        ),
    ]
    return story


def _demographic_row(d: Demographic, s: dict[str, ParagraphStyle], content_width: float) -> Table:
    """Options as tick boxes in a row; free text as a line to write on."""
    label = Paragraph(f"<b>{text(d.label)}</b>", s["cell"])
    if d.free_text:
        t = Table(
            [[label, WriteBox(90 * mm, 8 * mm, lines=False)]],
            colWidths=[45 * mm, content_width - 45 * mm],
        )
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (1, 0), (1, 0), 0),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ]
            )
        )
        return t
    cells: list[Flowable] = [label]
    widths = [45 * mm]
    per = (content_width - 45 * mm) / max(len(d.options), 1)
    for o in d.options:
        cells.append(
            Table(
                [[TickBox(), Paragraph(text(o.label), s["cell"])]],
                colWidths=[BOX + 2 * mm, per - BOX - 3 * mm],
                style=[
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ],
            )
        )
        widths.append(per)
    t = Table([cells], colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
    )
    return t


def _item_runs(inst: Instrument) -> list[tuple[str, list[Item]]]:
    """The items in instrument order, one run per stretch of the same dimension and scale
    (one table each): (scale id, items)."""
    runs: list[tuple[str, str, list[Item]]] = []
    for item in inst.items:
        if runs and (runs[-1][0], runs[-1][1]) == (item.dimension, item.scale):
            runs[-1][2].append(item)
        else:
            runs.append((item.dimension, item.scale, [item]))
    return [(scale_id, items) for _dim, scale_id, items in runs]


def _item_table(
    inst: Instrument,
    scale_id: str,
    items: list[Item],
    s: dict[str, ParagraphStyle],
    content_width: float,
    *,
    lang: str,
    part: str,
    first: int,
) -> Table:
    """One run of items with a tick box per answer; numbered on from ``first``."""
    scale = inst.scales[scale_id]
    labels = list(scale.labels) + ([scale.na_label or "N/A"] if scale.na_code is not None else [])
    codes = list(range(1, scale.points + 1)) + (
        [scale.na_code] if scale.na_code is not None else []
    )
    box_col = 17 * mm
    text_w = content_width - 8 * mm - box_col * len(labels)
    head: list[Flowable | str] = [
        Paragraph(f"<b>{part}</b>", s["cell"]),
        "",
        *[
            Paragraph(f"{text(lbl)}<br/><font color='#666666'>({c})</font>", s["scale_head"])
            for lbl, c in zip(labels, codes)
        ],
    ]
    rows: list[list[Flowable | str]] = [head]
    for number, item in enumerate(items, start=first + 1):
        rows.append(
            [
                f"{number}.",
                Paragraph(text(item.text_for(lang)), s["cell"]),
                *[TickBox() for _ in labels],
            ]
        )
    t = Table(rows, colWidths=[8 * mm, text_w] + [box_col] * len(labels), repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (1, 0)),
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (2, 1), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#888888")),
        ("TOPPADDING", (0, 1), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(rows), 2)]
    if scale.na_code is not None:
        style.append(("LINEBEFORE", (-1, 0), (-1, -1), 0.5, RULE))
    t.setStyle(TableStyle(style))
    return t


def _comment_box(prompt: str, s: dict[str, ParagraphStyle], content_width: float) -> Flowable:
    return KeepTogether(
        [
            Spacer(1, 4 * mm),
            Paragraph(f"<b>{text(prompt)}</b>", s["body"]),
            Paragraph(
                "Please do not write names or anything that identifies a person.", s["small"]
            ),
            Spacer(1, 1.5 * mm),
            WriteBox(content_width, 36 * mm),
        ]
    )


def write_form(instrument: Instrument | str, path: str | Path, *, paper: str = "a4") -> Path:
    """Write the printable questionnaire of ``instrument`` (an id or an Instrument)."""
    if paper.lower() not in PAPERS:
        raise FormError(f"unknown paper size '{paper}' (use a4 or letter)")
    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    register_fonts()
    pagesize = PAPERS[paper.lower()]
    path = Path(path)
    doc = _form_doc(str(path), inst, pagesize)
    doc.build(build_form_story(inst, pagesize[0] - 2 * MARGIN))
    return path
