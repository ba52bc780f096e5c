"""The PDF scorecard for the board (docs/design/reports.md): A4 portrait, fonts embedded.

Built with reportlab's platypus: text and tables flow across pages with real
(selectable, searchable) text, and the charts from :mod:`culturescope.reports.charts`
are embedded as 170-dpi images. Matplotlib-only pages were the alternative, but they
would need hand-placed tables and give Type 3 fonts by default; Qt's QPdfWriter is off
limits in the Qt-free core.

Confidentiality: hidden groups appear only by name with "Insufficient responses" (or
the reason they were hidden) — never with a number, a bar or a colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from culturescope import Cancelled
from culturescope.instruments import band_percent
from culturescope.numbers import signed
from culturescope.reports import charts
from culturescope.reports.method import method_sections
from culturescope.reports.pdf_layout import CONTENT_W_MM, Cell, Commands
from culturescope.reports.pdf_layout import NextTemplate as _NextTemplate
from culturescope.reports.pdf_layout import ScorecardDoc as _Doc
from culturescope.reports.pdf_layout import date_text as _date
from culturescope.reports.pdf_layout import num as _num
from culturescope.reports.pdf_layout import pct as _pct
from culturescope.reports.pdf_layout import table as _table
from culturescope.reports.scorecard import (
    Scorecard,
    comments_withheld_text,
    dimension_band,
    group_as_result,
    item_band,
    not_checked_text,
    plural,
    severity_word,
    survey_period,
)
from culturescope.reports.scorecard import counted as _counted
from culturescope.reports.typography import (
    FONT,
    FONT_BOLD,
    HIDDEN,
    MUTED,
    RULE,
    chart_image,
    comment_markup,
    register_fonts,
    styles,
    text,
)
from culturescope.scoring.results import DimensionScore, ItemScore, ScoreResult

if TYPE_CHECKING:
    from culturescope.scoring.trend import TrendResult

Progress = Callable[[float, str], None]

HEATMAP_ROWS_PER_PAGE = 30
EVIDENCE_SHOWN = 10  # a perception gap: its totals and the largest gap's six figures
SEVERITY_COLOURS = {"critical": "#D55E00", "warning": "#E69F00", "info": "#56B4E9"}
#: After a reverse-keyed item wherever items are ranked or shown by % positive.
REVERSE_NOTE = " <font color='#666666'>(reverse-keyed: % who disagree)</font>"
#: The same next to % positive, neutral and negative columns.
REVERSE_NOTE_TABLE = " <font color='#666666'>(reverse-keyed: % pos. = % who disagree)</font>"


def _no_signals_text(card: Scorecard) -> str:
    """No signal found: an all-clear only for the checks that could run."""
    if not card.signals_not_checked:
        return "No safety-washing signals were found."
    return (
        "No safety-washing signals were found in the checks that could run. "
        + text(not_checked_text(card))
        + " So this is not an all-clear for those."
    )


def _breakdown_name(r: ScoreResult) -> str:
    """The breakdown in words, e.g. "team" or "team/role" (the demographics' labels)."""
    demographics = r.instrument.demographic_by_id
    return "/".join(demographics[b].label.lower() if b in demographics else b for b in r.by)


class _Builder:
    def __init__(
        self,
        card: Scorecard,
        progress: Progress | None,
        is_cancelled: Callable[[], bool] | None,
        dpi: int,
    ) -> None:
        self.card = card
        self.dpi = dpi
        self.r = card.result
        self.s = styles()
        self.story: list[Any] = []
        self.progress = progress
        self.is_cancelled = is_cancelled

    def step(self, fraction: float, message: str) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("report cancelled")
        if self.progress is not None:
            self.progress(fraction, message)

    def chart(self, draw: Callable[..., Any], *args: Any, **kwargs: Any) -> Image:
        return chart_image(draw, *args, dpi=self.dpi, **kwargs)

    def ranked_item(self, i: ItemScore, note: str = REVERSE_NOTE) -> Paragraph:
        """An item in a list ranked by % positive. "It is difficult to ask for help" as a
        strength needs its reading: its % positive is the share who disagree."""
        return self.p(text(i.text) + (note if i.reverse else ""), "cell")

    def p(self, content: str, style: str = "body") -> Paragraph:
        return Paragraph(content, self.s[style])

    # ---- pages --------------------------------------------------------------------
    def cover(self) -> None:
        c, r = self.card, self.r
        inst = c.instrument
        self.story += [
            Spacer(1, 40 * mm),
            self.p(text(c.organisation), "subtitle"),
            Spacer(1, 4 * mm),
            self.p("Safety culture scorecard", "title"),
            Spacer(1, 3 * mm),
            self.p(text(c.campaign), "subtitle"),
            Spacer(1, 18 * mm),
        ]
        period = survey_period(c.opens_on, c.closes_on, _date, c.period_basis)
        rows: list[list[Cell]] = [
            ["Instrument", self.p(f"{text(inst.title)} (version {text(inst.version)})", "cell")],
            ["Survey period", period],
            ["Responses", f"{r.responses:,}"],
            [
                "Groups shown",
                f"{len(r.visible_groups)} of {len(r.groups)} {text(_breakdown_name(r))} "
                f"{plural(len(r.groups), 'group')}"
                if r.by
                else "overall only",
            ],
            [
                "Minimum group size",
                f"{r.min_group_size} responses for scores, {c.min_comment_group_size} for comments",
            ],
            ["Report date", _date(c.generated_on)],
        ]
        t = Table(rows, colWidths=[45 * mm, 110 * mm])
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (0, -1), FONT_BOLD, 9.5),
                    ("FONT", (1, 0), (1, -1), FONT, 9.5),
                    ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        self.story += [
            t,
            Spacer(1, 30 * mm),
            self.p(
                "Results are confidential: no names are collected, and groups with fewer "
                "people than the minimum are shown as “Insufficient responses”, never as a "
                "number, bar or colour, in every output together. "
                "See the method and confidentiality page at the end.",
                "small",
            ),
            _NextTemplate("body"),
            PageBreak(),
        ]

    def summary(self) -> None:
        c, r = self.card, self.r
        self.story.append(self.p("Executive summary", "h1"))
        pillars = c.pillar_scores()
        # One tile per pillar: big percent positive, band, mean.
        tiles, labels = [], []
        for d in pillars:
            band = dimension_band(c.instrument, d)
            shown = band_percent(c.instrument, d.percent_positive) if band else None
            tiles.append(self.p(shown or _pct(d.percent_positive), "big_number"))
            labels.append(
                self.p(
                    f"<b>{text(d.title)}</b><br/>{text(d.positive_label)} · "
                    f"{text(band.label) if band else ''}<br/>"
                    f"mean {_num(d.mean)} of {self._points()}",
                    "center_small",
                )
            )
        if tiles:
            w = CONTENT_W_MM / len(tiles)
            t = Table([tiles, labels], colWidths=[w * mm] * len(tiles))
            style: Commands = [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.4, RULE),
            ]
            for k, d in enumerate(pillars):
                band = dimension_band(c.instrument, d)
                colour = colors.HexColor(band.colour) if band else RULE
                style.append(("LINEABOVE", (k, 0), (k, 0), 4, colour))
                style.append(("LINEAFTER", (k, 0), (k, -1), 0.4, RULE))
            t.setStyle(TableStyle(style))
            self.story += [t, Spacer(1, 4 * mm)]
        self.story.append(
            self.chart(
                charts.pillar_scores, r, width_mm=CONTENT_W_MM, height_mm=62 + 8 * len(pillars)
            )
        )
        strengths = c.strengths()
        improve = c.improvements()
        rows: list[list[Cell]] = [["Top strengths", "% pos.", "Areas for improvement", "% pos."]]

        for k in range(max(len(strengths), len(improve))):
            a = strengths[k] if k < len(strengths) else None
            b = improve[k] if k < len(improve) else None
            rows.append(
                [
                    self.ranked_item(a) if a else "",
                    _pct(a.percent_positive) if a else "",
                    self.ranked_item(b) if b else "",
                    _pct(b.percent_positive) if b else "",
                ]
            )
        self.story += [
            self.p("Strengths and areas for improvement", "h2"),
            _table(rows, [72, 13, 72, 13]),
            self.p(
                "Chosen from attitude and practice items; awareness items (knowing that a "
                "procedure exists) and reporting counts are not ranked.",
                "small",
            ),
            self.p("Safety-washing signals", "h2"),
        ]
        if c.signals is None:
            self.story.append(
                self.p(
                    "The signals check is not available in this version of CultureScope.", "body"
                )
            )
        else:
            counts = c.signal_counts()
            if not c.signals:
                self.story.append(self.p(_no_signals_text(c), "body"))
            else:
                order = ("critical", "warning", "info")
                severities = [s for s in order if s in counts]
                severities += [s for s in counts if s not in order]
                parts = [
                    f"<b>{counts[s]}</b> {text(severity_word(s, counts[s]))}" for s in severities
                ]
                self.story.append(
                    self.p(
                        f"{len(c.signals)} signal{'' if len(c.signals) == 1 else 's'}: "
                        + ", ".join(parts)
                        + ". Details in the signals section."
                    )
                )
                if c.signals_not_checked:
                    self.story.append(self.p(text(not_checked_text(c)), "small"))
        for note in r.notes:
            self.story.append(self.p(text(note), "small"))
        self.story.append(PageBreak())

    def _points(self) -> int:
        return charts._points_for(self.r)

    def dimension_sections(self) -> None:
        r = self.r
        inst = self.card.instrument
        dims = sorted(r.dimensions, key=lambda d: not d.pillar)
        for k, d in enumerate(dims):
            self.step(0.15 + 0.35 * k / max(len(dims), 1), f"Section: {d.title}")
            items = [i for i in r.items if i.dimension == d.id]
            if not items:
                continue
            dim = inst.dimension_by_id.get(d.id)
            head = [self.p(("Pillar: " if d.pillar else "") + text(d.title), "h1")]
            if dim is not None and dim.description:
                head.append(self.p(text(dim.description), "body"))
            head.append(self.p(self._dimension_line(d), "body"))
            if d.counts_behaviour:
                head.append(
                    self.p(
                        "These items ask how often people did something, not what they think: "
                        f"the percentage is the share who {text(d.positive_label)} "
                        "(on any of the items). There is no band and no Cronbach's α — the "
                        "items count different behaviours, they are not one attitude "
                        "measured several times.",
                        "small",
                    )
                )
            self.story += [*head, Spacer(1, 2 * mm)]
            height = 28 + 13 * len(items)
            self.story.append(
                self.chart(
                    charts.likert_bars,
                    items,
                    instrument=inst,
                    wrap=40,
                    width_mm=CONTENT_W_MM,
                    height_mm=height,
                )
            )
            self.story.append(self._item_table(items, d))
            # Pillars start a page each; the shorter dimensions share pages.
            self.story.append(PageBreak() if d.pillar else Spacer(1, 8 * mm))
            if not d.pillar:
                self.story.append(CondPageBreak(120 * mm))
        if self.story and not isinstance(self.story[-1], PageBreak):
            self.story.append(PageBreak())

    def _dimension_line(self, d: DimensionScore) -> str:
        """Percent positive (or reported at least once), band, mean on its scale, n, α."""
        band = dimension_band(self.card.instrument, d)
        shown = (
            band_percent(self.card.instrument, d.percent_positive)
            if band
            else _pct(d.percent_positive)
        )
        ci = f" (95% CI {_num(d.ci95[0])}–{_num(d.ci95[1])})" if d.ci95 else ""
        main = self.card.instrument.main_scale
        scale = ""
        if d.scale is not None and (d.counts_behaviour or main is None or d.scale != main.id):
            scale = f" on {text(self.r.scale_text(d))}"
        alpha = ""
        if d.alpha is not None:
            alpha = f" · Cronbach's α {_num(d.alpha)}"
            if d.reliability_note:
                alpha += f" ({text(d.reliability_note)})"
        elif d.reliability_note and not d.counts_behaviour and d.mean is not None:
            alpha = f" · Cronbach's α {text(d.reliability_note)}"
        return (
            f"<b>{shown}</b> {text(d.positive_label)}"
            + (f" · <b>{text(band.label)}</b>" if band else "")
            + f" · mean {_num(d.mean)}{scale}{ci} · n = {d.n:,}"
            + alpha
        )

    def _item_table(self, items: Sequence[ItemScore], d: DimensionScore | None = None) -> Table:
        counts = d is not None and d.counts_behaviour
        if counts:  # how often people did something: no neutral answers, no band
            rows: list[list[Cell]] = [["Item", "n", "Mean", "% at least once", "% never"]]
            for i in sorted(items, key=lambda i: -(i.percent_positive or 0)):
                rows.append(
                    [
                        self.p(text(i.text), "cell"),
                        f"{i.n:,}",
                        _num(i.mean),
                        _pct(i.percent_positive),
                        _pct(i.percent_negative),
                    ]
                )
            t = _table(rows, [104, 12, 12, 26, 20])
            t.setStyle(TableStyle([("ALIGN", (1, 0), (4, -1), "RIGHT")]))
            return t
        rows = [["Item", "n", "Mean", "% pos.", "% neu.", "% neg.", "Band"]]
        for i in sorted(items, key=lambda i: -(i.percent_positive or 0)):
            band = item_band(self.card.instrument, i)
            rows.append(
                [
                    self.ranked_item(i, REVERSE_NOTE_TABLE),
                    f"{i.n:,}",
                    _num(i.mean),
                    band_percent(self.card.instrument, i.percent_positive)
                    if band
                    else _pct(i.percent_positive),
                    _pct(i.percent_neutral),
                    _pct(i.percent_negative),
                    self.p(text(band.label), "cell") if band else "",
                ]
            )
        t = _table(rows, [86, 12, 12, 13, 13, 13, 25])
        t.setStyle(TableStyle([("ALIGN", (1, 0), (5, -1), "RIGHT")]))
        return t

    def heatmap(self) -> None:
        r = self.r
        if not r.groups:
            return
        chunks = [
            r.groups[i : i + HEATMAP_ROWS_PER_PAGE]
            for i in range(0, len(r.groups), HEATMAP_ROWS_PER_PAGE)
        ]
        for k, chunk in enumerate(chunks):
            part = f" (part {k + 1} of {len(chunks)})" if len(chunks) > 1 else ""
            self.story.append(self.p(f"Results by {text(' × '.join(r.by))}{part}", "h1"))
            if k == 0:
                self.story.append(
                    self.p(
                        "Percent positive per dimension. Hatched grey rows are groups below the minimum "
                        f"group size ({r.min_group_size}) or hidden to protect a smaller group: they have "
                        "no score.",
                        "body",
                    )
                )
            sub = replace(r, groups=tuple(chunk))
            height = min(235.0, 25 + 7.2 * len(chunk))
            self.story.append(
                self.chart(charts.team_heatmap, sub, width_mm=CONTENT_W_MM, height_mm=height)
            )
            if k < len(chunks) - 1:
                self.story.append(PageBreak())
        if r.agreement:
            from culturescope.scoring.agreement import icc2_text

            rows: list[list[Cell]] = [
                ["Dimension", "ICC(1)", "ICC(2)", "mean rwg(j)", "Aggregation"]
            ]
            for a in r.agreement:
                title = (
                    r.instrument.dimension_by_id[a.dimension].title
                    if a.dimension in r.instrument.dimension_by_id
                    else a.dimension
                )
                verdict = {True: "justified", False: "not justified", None: "cannot judge"}[
                    a.aggregation_justified
                ]
                rows.append(
                    [
                        self.p(text(title), "cell"),
                        _num(a.icc1),
                        self.p(text(icc2_text(a.icc2)), "cell")
                        if a.icc2 is not None and a.icc2 < 0
                        else _num(a.icc2),
                        _num(a.mean_rwg_j),
                        self.p(f"<b>{verdict}</b> — {text(a.reason)}", "cell"),
                    ]
                )
            self.story.append(
                KeepTogether(
                    [
                        self.p("Do group scores describe a shared climate?", "h2"),
                        self.p(
                            "Aggregating to groups is justified when people within a group agree "
                            "(rwg(j) ≥ .70) and groups differ (ICC(1) clearly above zero).",
                            "small",
                        ),
                        # ICC(2) wide enough for "no difference between groups" to wrap
                        # between words, not inside them.
                        _table(rows, [38, 13, 27, 22, 74]),
                    ]
                )
            )
        self.story.append(PageBreak())

    def _trend_table(self, t: TrendResult) -> Table:
        rows: list[list[Cell]] = [["Dimension", "Before", "Now", "Change", "p (adj.)", ""]]
        for d in t.dimensions:
            if d.difference is None:
                rows.append(
                    [
                        self.p(text(d.title), "cell"),
                        self.p(f"not compared: {text(d.note or '')}", "cell"),
                        "",
                        "",
                        "",
                        "",
                    ]
                )
                continue
            if d.measure == "share":
                before, now, change = (
                    f"{d.previous:.0f}%",
                    f"{d.current:.0f}%",
                    f"{signed(d.difference)} pts",
                )
            else:
                before, now, change = (
                    f"{d.previous:.2f}",
                    f"{d.current:.2f}",
                    f"{d.difference:+.2f}",
                )
            if d.p_adjusted is None:  # no test: a share of 0% or 100% in both campaigns
                p = "–"
            else:
                p = "< 0.001" if d.p_adjusted < 0.001 else f"{d.p_adjusted:.3f}"
            verdict = ("up" if d.difference > 0 else "down") if d.significant else "no clear change"
            rows.append(
                [
                    self.p(text(d.title), "cell"),
                    *[self.p(v, "cell") for v in (before, now, change, p, verdict)],
                ]
            )
        return _table(rows, [56, 20, 20, 22, 20, 36])

    def comparisons(self) -> None:
        c = self.card
        parts = []
        if c.previous is not None:
            parts += [
                self.p(f"Trend since {text(c.previous.campaign)}", "h1"),
                self.p(
                    "Percent positive per dimension, now and in the previous campaign, on the items "
                    "asked the same way in both. A change is called clear only when the test on the "
                    "mean scores says so (Welch's t-test, Holm-corrected across dimensions); grey "
                    "arrows are changes that could be chance.",
                    "body",
                ),
                self.chart(
                    charts.trend,
                    c.result,
                    c.previous,
                    tested=c.trend,
                    width_mm=CONTENT_W_MM,
                    height_mm=95,
                ),
            ]
            if c.trend is not None:
                parts.append(self._trend_table(c.trend))
        if c.leaders_vs_frontline:
            leaders = [
                self.p("Senior leaders vs front-line staff", "h1" if not parts else "h2"),
                self.p(
                    "Large gaps mean leaders see a different culture from the one staff experience.",
                    "body",
                ),
                self.chart(
                    charts.leaders_vs_frontline,
                    list(c.leaders_vs_frontline),
                    width_mm=CONTENT_W_MM,
                    height_mm=80,
                ),
            ]
            parts.append(KeepTogether(leaders))  # never a heading alone at a page's foot
        if parts:
            self.story += [*parts, PageBreak()]

    def signals(self) -> None:
        c = self.card
        self.story.append(self.p("Safety-washing signals", "h1"))
        if c.signals is None:
            self.story += [
                self.p(
                    "The signals check is not available in this version of CultureScope, so this "
                    "scorecard does not say whether stated and measured safety culture differ.",
                    "body",
                ),
                PageBreak(),
            ]
            return
        if not c.signals:
            self.story += [self.p(_no_signals_text(c), "body"), PageBreak()]
            return
        self.story.append(
            self.p(
                "Each signal is a reason to ask a question, not a verdict. Groups below the minimum "
                "size are never used as evidence.",
                "body",
            )
        )
        if c.signals_not_checked:
            self.story.append(self.p(text(not_checked_text(c)), "body"))
        from culturescope.signals.wording import evidence_sections, measure_titles

        titles = measure_titles(c.instrument)
        order = {"critical": 0, "warning": 1, "info": 2}
        for sig in sorted(c.signals, key=lambda s: order.get(str(getattr(s, "severity", "")), 3)):
            sev = str(getattr(sig, "severity", ""))
            colour = SEVERITY_COLOURS.get(sev, "#888888")
            title = getattr(sig, "title", None) or str(getattr(sig, "kind", "signal"))
            scope = getattr(sig, "scope", ())
            scope_text = (
                ", ".join(str(x) for x in scope) if isinstance(scope, (tuple, list)) else str(scope)
            )
            block: list[Flowable] = [
                self.p(
                    f"<font color='{colour}'>■</font> <b>{text(title)}</b> "
                    f"<font color='{colour}'>[{text(sev)}]</font>",
                    "h3",
                ),
            ]
            if scope_text:
                block.append(self.p(f"<b>Concerns:</b> {text(scope_text)}", "cell"))
            # The plain explanation and the question first; the figures behind them after.
            block.append(self.p(text(getattr(sig, "explanation", "")), "cell"))
            question = getattr(sig, "question", "")
            if question:
                block.append(self.p(f"<b>Ask:</b> <i>{text(question)}</i>", "cell"))
            sections = evidence_sections(sig, titles)
            total = sum(len(lines) for _h, lines in sections)
            if sections:
                block += [Spacer(1, 1 * mm), self.evidence_table(sections, EVIDENCE_SHOWN)]
            if total > EVIDENCE_SHOWN:
                more = total - EVIDENCE_SHOWN
                block.append(
                    self.p(
                        f"… {more} more figure{'' if more == 1 else 's'} in the Excel scorecard",
                        "small",
                    )
                )
            block.append(Spacer(1, 2 * mm))
            self.story.append(KeepTogether(block))
        self.story.append(PageBreak())

    def evidence_table(
        self, sections: Sequence[tuple[str, Sequence[tuple[str, str]]]], limit: int
    ) -> Table:
        """A signal's first ``limit`` figures, two (label, value) pairs to a row; the
        figures of one measure (a perception gap's pillar or area) under its title."""
        rows: list[list[Any]] = []
        spans: list[int] = []
        left = limit
        for heading, lines in sections:
            if left <= 0:
                break
            if heading:
                spans.append(len(rows))
                rows.append([self.p(text(heading), "cell_bold"), "", "", ""])
            cells = [
                [self.p(text(label), "small"), self.p(text(value), "cell_bold")]
                for label, value in lines[:left]
            ]
            left -= len(cells)
            rows += [
                cells[k] + (cells[k + 1] if k + 1 < len(cells) else ["", ""])
                for k in range(0, len(cells), 2)
            ]
        half = CONTENT_W_MM / 2
        t = Table(rows, colWidths=[(half - 27) * mm, 25 * mm, (half - 27) * mm, 25 * mm])
        style: Commands = [
            ("FONT", (0, 0), (-1, -1), FONT, 8),  # also for the empty cells: no Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ]
        for r in spans:
            style += [("SPAN", (0, r), (-1, r)), ("TOPPADDING", (0, r), (-1, r), 3)]
        t.setStyle(TableStyle(style))
        t.hAlign = "LEFT"
        return t

    def policies(self) -> None:
        c = self.card
        self.story.append(self.p("Policy register vs practice", "h1"))
        if c.policies is None:
            self.story += [
                self.p("The policy register is not available in this version.", "body"),
                PageBreak(),
            ]
            return
        self.story.append(
            self.p(
                "What the organisation says it does (the strongest claimed status of the policies "
                "covering each practice area) next to what staff see in use.",
                "body",
            )
        )
        if charts.claims_anything(c.practice):  # no register: "No policies …" says it
            self.story.append(
                self.chart(
                    charts.policy_vs_practice,
                    list(c.practice),
                    width_mm=CONTENT_W_MM,
                    height_mm=22 + 11 * len(c.practice),
                )
            )
        if not c.policies:
            self.story.append(self.p("No policies have been entered in the register.", "body"))
        else:
            areas = c.instrument.practice_area_by_id
            rows: list[list[Cell]] = [["Policy", "Status", "Practice areas", "Evidence", "Review"]]
            for pol in c.policies:
                review = _date(pol.review_on)
                if pol.overdue(c.generated_on):
                    review = f"<font color='#D55E00'><b>{review} (overdue)</b></font>"
                rows.append(
                    [
                        self.p(text(pol.title), "cell"),
                        pol.status,
                        self.p(
                            text(
                                ", ".join(
                                    areas[a].title if a in areas else a for a in pol.practice_areas
                                )
                            ),
                            "cell",
                        ),
                        self.p(
                            text(pol.evidence)
                            if pol.evidence
                            else "<font color='#D55E00'>none</font>",
                            "cell",
                        ),
                        self.p(review, "cell"),
                    ]
                )
            self.story += [self.p("Policies", "h2"), _table(rows, [52, 20, 50, 28, 24])]
        self.story.append(PageBreak())

    def comments(self, *, by_team: bool = False) -> None:
        c = self.card
        if not c.comments and not c.comments_withheld:
            return
        self.story.append(self.p("What people said", "h1"))
        if c.comments_withheld:
            self.story.append(self.p(text(c.comments_withheld), "body"))
        else:
            # Say where comments do carry a team, so the reader is not told "no demographic
            # details" here and then finds comments on the team pages.
            where = (
                " The team pages list a team's comments only where the team is large enough."
                if by_team
                else ""
            )
            self.story.append(
                self.p(
                    "Comments are shown as written, identical ones once with their count, "
                    "without any demographic details; e-mail addresses, phone numbers and "
                    f"web addresses are replaced by [removed].{where} A name typed into a "
                    "comment cannot always be recognised: read the comments before you share "
                    "this report.",
                    "small",
                )
            )
        for cs in c.comments:
            self.story.append(self.p(text(cs.prompt), "h2"))
            counted = _counted(cs.texts)
            for t, n in counted[:60]:
                self.story.append(self.p(comment_markup(t, n), "cell"))
                self.story.append(Spacer(1, 1.2 * mm))
            if len(counted) > 60:
                self.story.append(
                    self.p(f"… and {len(counted) - 60} more (see the Excel scorecard).", "small")
                )
        self.story.append(PageBreak())

    def team_pages(self) -> None:
        r = self.r
        visible = r.visible_groups
        for k, g in enumerate(visible):
            self.step(0.55 + 0.3 * k / max(len(visible), 1), f"Page for {g.label}")
            sub = group_as_result(r, g)
            self.story += [
                self.p(f"{text(g.label)}", "h1"),
                self.p(
                    f"{g.n:,} responses · compared with the whole organisation ({r.responses:,})",
                    "body",
                ),
                self.chart(charts.pillar_scores, sub, width_mm=CONTENT_W_MM, height_mm=70),
            ]
            rows: list[list[Cell]] = [
                ["Dimension", "n", "Mean", "% pos.", "Org. % pos.", "Difference", "rwg(j)"]
            ]
            for d in g.dimensions:
                org = r.dimension(d.id)
                diff = (
                    f"{signed(d.percent_positive - org.percent_positive)} pts"
                    if org and d.percent_positive is not None and org.percent_positive is not None
                    else "–"
                )
                rows.append(
                    [
                        self.p(text(d.title), "cell"),
                        f"{d.n:,}",
                        _num(d.mean),
                        _pct(d.percent_positive),
                        _pct(org.percent_positive if org else None),
                        diff,
                        _num(d.rwg_j),
                    ]
                )
            self.story.append(_table(rows, [58, 14, 16, 18, 28, 22, 18]))
            rankable = {i.id for i in self.card._ranked_items()}
            best = sorted(
                (i for i in g.items if i.percent_positive is not None and i.id in rankable),
                key=lambda i: -(i.percent_positive or 0),
            )
            if best:
                rows = [["Highest % positive", "", "Lowest % positive", ""]]
                for a, b in zip(best[:3], list(reversed(best))[:3]):
                    rows.append(
                        [
                            self.ranked_item(a),
                            _pct(a.percent_positive),
                            self.ranked_item(b),
                            _pct(b.percent_positive),
                        ]
                    )
                self.story += [Spacer(1, 3 * mm), _table(rows, [72, 13, 72, 13])]
            # Only the teams build_scorecard chose (comment minimum and differencing).
            for cs in self.card.team_comments.get(g.label, ()):
                self.story.append(self.p(text(cs.prompt), "h3"))
                for t, n in _counted(cs.texts)[:12]:
                    self.story.append(self.p(comment_markup(t, n), "cell"))
            reason = self.card.team_comments_withheld.get(g.label)
            if reason and self.card.comments:
                self.story += [
                    Spacer(1, 3 * mm),
                    self.p(text(comments_withheld_text(reason)), "small"),
                ]
            self.story.append(PageBreak())

    def method(self) -> None:
        c, r = self.card, self.r
        inst = c.instrument
        items = method_sections(r, min_comment_group_size=c.min_comment_group_size, escape=text)
        self.story.append(self.p("Method and confidentiality", "h1"))
        # The colophon goes first: placed last it spilled onto a page of its own when the
        # list of hidden groups filled this page.
        self.story.append(
            self.p(
                f"Produced by CultureScope on {_date(c.generated_on)} from {r.responses:,} responses to "
                f"{text(inst.title)} {text(inst.version)}.",
                "small",
            )
        )
        for head, body in items:
            self.story += [self.p(head, "h3"), self.p(body, "body")]
        # Heading, table and notes kept on one page: split, a lone table row ended up on a
        # page of its own.
        start = len(self.story)
        self.story.append(self.p("What was hidden and why", "h2"))
        hidden = r.hidden_groups
        # Shown teams whose comments are withheld (only when there are comments at all).
        quiet = c.team_comments_withheld if c.comments else {}
        if not hidden and not quiet:
            self.story.append(self.p("No group was hidden.", "body"))
        else:
            rows: list[list[Cell]] = [["Group", "Shown as"]]
            for g in hidden:
                rows.append(
                    [
                        self.p(text(g.label), "cell"),
                        self.p(
                            f"Insufficient responses — {text(g.reason or 'below the minimum group size')}",
                            "cell",
                        ),
                    ]
                )
            for label, reason in quiet.items():
                rows.append(
                    [
                        self.p(f"{text(label)} (comments)", "cell"),
                        self.p(text(comments_withheld_text(reason)), "cell"),
                    ]
                )
            t = _table(rows, [60, CONTENT_W_MM - 60], zebra=False)
            t.setStyle(TableStyle([("BACKGROUND", (0, 1), (-1, -1), HIDDEN)]))
            self.story.append(t)
        for note in r.notes:
            self.story.append(self.p(text(note), "small"))
        self.story[start:] = [KeepTogether(self.story[start:])]


def write_pdf(
    card: Scorecard,
    path: str | Path,
    *,
    by_team: bool = False,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    chart_dpi: int = 170,
) -> Path:
    """Write the PDF scorecard; ``by_team`` adds one page per visible group.

    ``chart_dpi`` is the resolution of the embedded charts (170 prints sharply on A4).
    """
    register_fonts()
    path = Path(path)
    b = _Builder(card, progress, is_cancelled, chart_dpi)
    b.step(0.02, "Cover and summary")
    b.cover()
    b.summary()
    b.dimension_sections()
    b.step(0.5, "Heatmap")
    b.heatmap()
    b.comparisons()
    b.signals()
    b.policies()
    b.comments(by_team=by_team)
    if by_team:
        b.team_pages()
    b.method()
    b.step(0.9, "Writing the PDF")
    doc = _Doc(str(path), card)
    doc.build(b.story)
    b.step(1.0, "PDF written")
    return path


__all__ = ["write_pdf"]
