"""The Excel scorecard for analysts (docs/design/reports.md), written with XlsxWriter.

The same tables as the PDF as formatted sheets (frozen headers, number formats,
conditional formatting, native Excel charts), a Method sheet, and — only when asked —
a de-identified response sheet.

Formula injection: every text cell goes through :func:`_put_text` (``write_string``),
and the workbook is opened with ``strings_to_formulas`` off, so a comment or policy
title such as ``=HYPERLINK(...)`` or ``@SUM(1)`` is stored as text, never as a formula.
Hidden groups get the words "Insufficient responses" and empty cells — never a number,
and never a colour from the conditional-format scales (which skip blank cells).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from culturescope import Cancelled
from culturescope.instruments import Instrument, band_digits
from culturescope.reports.scorecard import Scorecard, not_checked_text, survey_period
from culturescope.scoring.campaign import RELIABILITY_MIN_N
from culturescope.scoring.confidentiality import breakdown_labels
from culturescope.scoring.results import DimensionScore, ItemScore, ScoreResult

if TYPE_CHECKING:
    from culturescope.storage import ResponseData

Progress = Callable[[float, str], None]

HIDDEN_TEXT = "Insufficient responses"
#: The breakdown value of a response-sheet row whose group is not shown.
NOT_SHOWN = "(not shown)"
BLUE, ORANGE, GREY = "#2166AC", "#F1A340", "#F7F7F7"


class _Book:
    def __init__(self, path: Path, instrument: Instrument) -> None:
        self.instrument = instrument  # its bands decide how many decimals a percent needs
        self.wb = xlsxwriter.Workbook(
            str(path),
            {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False},
        )
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 16, "font_color": "#0072B2"})
        self.h2 = add({"bold": True, "font_size": 12})
        self.head = add(
            {"bold": True, "bg_color": "#E8EEF4", "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.label = add({"bold": True, "font_color": "#555555", "valign": "top"})
        self.int = add({"num_format": "#,##0", "valign": "top"})
        self.dec = add({"num_format": "0.00", "valign": "top"})
        self.p_value = add({"num_format": "0.000", "valign": "top"})
        self.pct = add({"num_format": '0.0"%"', "valign": "top"})
        self.pct2 = add({"num_format": '0.00"%"', "valign": "top"})
        self.date = add({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.hidden = add(
            {"italic": True, "font_color": "#666666", "bg_color": "#EEEEEE", "pattern": 1}
        )
        self.muted = add(
            {"italic": True, "font_color": "#666666", "text_wrap": True, "valign": "top"}
        )
        self.bad = add({"font_color": "#B35806", "bold": True})

    def sheet(self, name: str) -> Worksheet:
        ws = self.wb.add_worksheet(name)
        ws.hide_gridlines(2)
        return ws


#: The most characters an Excel cell holds.
EXCEL_CELL_CHARS = 32_767
CUT_NOTE = " … [cut: an Excel cell holds at most 32,767 characters]"


def _put_text(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Always a string cell: text starting with = + - @ must never become a formula.

    Text longer than a cell holds is cut with a note saying so (never silently).
    """
    value = "" if value is None else str(value)
    if len(value) > EXCEL_CELL_CHARS:
        value = value[: EXCEL_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE
    ws.write_string(row, col, value, fmt)


def _put_num(
    ws: Worksheet, row: int, col: int, value: float | None, fmt: Format | None = None
) -> None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def _header(
    book: _Book, ws: Worksheet, row: int, names: Sequence[str], widths: Sequence[float]
) -> None:
    for c, (name, width) in enumerate(zip(names, widths)):
        _put_text(ws, row, c, name, book.head)
        ws.set_column(c, c, width)
    ws.freeze_panes(row + 1, 0)


def _colour_scale(
    ws: Worksheet,
    first_row: int,
    last_row: int,
    first_col: int,
    last_col: int,
    *,
    lo: float = 0,
    mid: float = 50,
    hi: float = 100,
) -> None:
    if last_row < first_row or last_col < first_col:
        return
    ws.conditional_format(
        first_row,
        first_col,
        last_row,
        last_col,
        {
            "type": "3_color_scale",
            "min_type": "num",
            "min_value": lo,
            "min_color": ORANGE,
            "mid_type": "num",
            "mid_value": mid,
            "mid_color": GREY,
            "max_type": "num",
            "max_value": hi,
            "max_color": "#67A9CF",
        },
    )


def _dimension_row(
    book: _Book, ws: Worksheet, r: int, c: int, d: DimensionScore, band: str | None
) -> int:
    _put_num(ws, r, c, d.n, book.int)
    _put_num(ws, r, c + 1, d.mean, book.dec)
    _put_num(ws, r, c + 2, d.sd, book.dec)
    _put_num(ws, r, c + 3, d.ci95[0] if d.ci95 else None, book.dec)
    _put_num(ws, r, c + 4, d.ci95[1] if d.ci95 else None, book.dec)
    # Beside its band, one decimal (0.0"%") unless it takes two to stay in that band.
    pp = d.percent_positive
    two = (
        band is not None
        and pp is not None
        and not math.isnan(pp)
        and band_digits(book.instrument, pp, at_least=1) >= 2
    )
    _put_num(ws, r, c + 5, d.percent_positive, book.pct2 if two else book.pct)
    _put_num(ws, r, c + 6, d.percent_neutral, book.pct)
    _put_num(ws, r, c + 7, d.percent_negative, book.pct)
    _put_text(ws, r, c + 8, band or "", book.text)
    return c + 9


DIM_COLUMNS = [
    "n",
    "Mean",
    "SD",
    "95% CI low",
    "95% CI high",
    "% positive",
    "% neutral",
    "% negative",
    "Band",
]


def _summary(book: _Book, card: Scorecard) -> None:
    r = card.result
    ws = book.sheet("Summary")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 9, 12)
    _put_text(ws, 0, 0, "Safety culture scorecard", book.title)
    info = [
        ("Organisation", card.organisation),
        ("Campaign", card.campaign),
        ("Instrument", f"{r.instrument.title} (version {r.instrument.version})"),
        ("Survey period", survey_period(card.opens_on, card.closes_on, basis=card.period_basis)),
        ("Responses", r.responses),
        (
            "Minimum group size",
            f"{r.min_group_size} for scores, {card.min_comment_group_size} for comments",
        ),
        ("Report date", card.generated_on.isoformat()),
    ]
    for k, (label, value) in enumerate(info, start=2):
        _put_text(ws, k, 0, label, book.label)
        if isinstance(value, int):
            _put_num(ws, k, 1, value, book.int)
        else:
            _put_text(ws, k, 1, value, book.text)
    row = len(info) + 3
    _put_text(ws, row, 0, "Pillar scores", book.h2)
    row += 1
    for c, name in enumerate(["Pillar", *DIM_COLUMNS]):
        _put_text(ws, row, c, name, book.head)
    first = row + 1
    pillars = card.pillar_scores()
    for k, d in enumerate(pillars):
        _put_text(ws, first + k, 0, d.title, book.text)
        _dimension_row(book, ws, first + k, 1, d, d.band_label)
    last = first + len(pillars) - 1
    _colour_scale(ws, first, last, 6, 6)
    if pillars:
        chart = book.wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "% positive",
                "categories": ["Summary", first, 0, last, 0],
                "values": ["Summary", first, 6, last, 6],
                "fill": {"color": "#0072B2"},
                "data_labels": {"value": True, "num_format": '0"%"'},
            }
        )
        chart.set_title({"name": "Pillars: percent positive"})
        chart.set_x_axis(
            {
                "min": 0,
                "max": 100,
                "major_gridlines": {"visible": True, "line": {"color": "#DDDDDD"}},
            }
        )
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 620, "height": 90 + 45 * len(pillars)})
        ws.insert_chart(last + 2, 0, chart)
    row = last + 4 + max(4, len(pillars) * 2 + 3)
    _put_text(ws, row, 0, "Top strengths", book.h2)
    _put_text(ws, row, 4, "Areas for improvement", book.h2)
    for k, (a, b) in enumerate(zip(card.strengths(), card.improvements()), start=row + 1):
        _put_text(ws, k, 0, _ranked_text(a), book.text)
        _put_num(ws, k, 3, a.percent_positive, book.pct)
        _put_text(ws, k, 4, _ranked_text(b), book.text)
        _put_num(ws, k, 9, b.percent_positive, book.pct)
    row += 5
    _put_text(ws, row, 0, "Safety-washing signals", book.h2)
    if card.signals is None:
        _put_text(ws, row + 1, 0, "The signals check is not available in this version.", book.muted)
    else:
        counts = card.signal_counts()
        _put_text(ws, row + 1, 0, "Signals found", book.label)
        _put_num(ws, row + 1, 1, len(card.signals), book.int)
        for k, (sev, n) in enumerate(sorted(counts.items()), start=row + 2):
            _put_text(ws, k, 0, sev, book.text)
            _put_num(ws, k, 1, n, book.int)
    ws.activate()


def _ranked_text(item: ItemScore) -> str:
    """A strength / area for improvement; reverse-keyed items read as % who disagree."""
    return item.text + (" (reverse-keyed: % who disagree)" if item.reverse else "")


def _dimensions(book: _Book, card: Scorecard) -> None:
    r = card.result
    ws = book.sheet("Dimensions")
    cols = ["Dimension", "Pillar", *DIM_COLUMNS, "Cronbach's alpha", "McDonald's omega", "Note"]
    _header(book, ws, 0, cols, [34, 8, 8, 8, 8, 11, 11, 11, 11, 11, 20, 12, 12, 70])
    for k, d in enumerate(r.dimensions, start=1):
        _put_text(ws, k, 0, d.title, book.text)
        _put_text(ws, k, 1, "yes" if d.pillar else "", book.text)
        c = _dimension_row(book, ws, k, 2, d, d.band_label)
        _put_num(ws, k, c, d.alpha, book.dec)
        _put_num(ws, k, c + 1, d.omega, book.dec)
        _put_text(ws, k, c + 2, _dimension_note(r, d), book.text)
    _colour_scale(ws, 1, len(r.dimensions), 7, 7)
    ws.autofilter(0, 0, len(r.dimensions), len(cols) - 1)


def _dimension_note(r: ScoreResult, d: DimensionScore) -> str:
    """How to read a dimension's row when it is not an agreement scale, and why alpha is
    missing."""
    parts = []
    if d.counts_behaviour:
        parts.append(
            f"behaviour counts: mean on {r.scale_text(d)}; % positive = {d.positive_label}; no band"
        )
    elif d.scale is not None and d.scale != getattr(r.instrument.main_scale, "id", d.scale):
        parts.append(f"mean on {r.scale_text(d)}; no band (not the agreement scale)")
    if d.reliability_note and d.mean is not None:
        parts.append(f"reliability: {d.reliability_note}")
    return "; ".join(parts)


def _items(book: _Book, card: Scorecard) -> None:
    r = card.result
    ws = book.sheet("Items")
    points = max((max(i.distribution) for i in r.items if i.distribution), default=5)
    cols = [
        "Item",
        "Dimension",
        "Text",
        "Reverse-keyed",
        "n",
        "N/A",
        "Mean",
        "SD",
        "% positive",
        "% neutral",
        "% negative",
        *[f"Scored {v}" for v in range(1, points + 1)],
        "Item–total r",
        "Alpha if deleted",
    ]
    _header(book, ws, 0, cols, [7, 22, 60, 8, 7, 6, 7, 7, 10, 10, 10, *[8] * points, 10, 10])
    dims = r.instrument.dimension_by_id
    for k, i in enumerate(r.items, start=1):
        _put_text(ws, k, 0, i.id)
        _put_text(ws, k, 1, dims[i.dimension].title if i.dimension in dims else i.dimension)
        _put_text(ws, k, 2, i.text)
        _put_text(ws, k, 3, "yes" if i.reverse else "")
        _put_num(ws, k, 4, i.n, book.int)
        _put_num(ws, k, 5, i.n_na, book.int)
        _put_num(ws, k, 6, i.mean, book.dec)
        _put_num(ws, k, 7, i.sd, book.dec)
        _put_num(ws, k, 8, i.percent_positive, book.pct)
        _put_num(ws, k, 9, i.percent_neutral, book.pct)
        _put_num(ws, k, 10, i.percent_negative, book.pct)
        for v in range(1, points + 1):
            if v in i.distribution:
                _put_num(ws, k, 10 + v, i.distribution[v], book.int)
        _put_num(ws, k, 11 + points, i.item_total_r, book.dec)
        _put_num(ws, k, 12 + points, i.alpha_if_deleted, book.dec)
    n = len(r.items)
    ws.conditional_format(
        1,
        8,
        n,
        8,
        {
            "type": "data_bar",
            "bar_color": "#67A9CF",
            "min_type": "num",
            "min_value": 0,
            "max_type": "num",
            "max_value": 100,
        },
    )
    ws.conditional_format(
        1,
        10,
        n,
        10,
        {
            "type": "data_bar",
            "bar_color": ORANGE,
            "min_type": "num",
            "min_value": 0,
            "max_type": "num",
            "max_value": 100,
        },
    )
    ws.autofilter(0, 0, n, len(cols) - 1)


def _groups(book: _Book, card: Scorecard, metric: str, name: str) -> None:
    r = card.result
    if not r.groups:
        return
    ws = book.sheet(name)
    dims = list(r.dimensions)
    by = list(r.by)
    cols = [*[f.capitalize() for f in by], "n", "Status", *[d.title for d in dims]]
    _header(book, ws, 0, cols, [*[18] * len(by), 7, 30, *[14] * len(dims)])
    ws.set_row(0, 45)
    ws.freeze_panes(1, len(by))
    fmt = book.pct if metric == "percent_positive" else book.dec
    for k, g in enumerate(r.groups, start=1):
        for c, f in enumerate(by):
            _put_text(ws, k, c, g.by.get(f, ""), book.text)
        c0 = len(by)
        if g.hidden:
            ws.write_blank(k, c0, None, book.hidden)
            _put_text(
                ws,
                k,
                c0 + 1,
                f"{HIDDEN_TEXT} ({g.reason or 'below the minimum group size'})",
                book.hidden,
            )
            for c in range(len(dims)):
                ws.write_blank(k, c0 + 2 + c, None, book.hidden)
            continue
        _put_num(ws, k, c0, g.n, book.int)
        _put_text(ws, k, c0 + 1, "shown", book.text)
        for c, d in enumerate(dims):
            gd = g.dimension(d.id)
            _put_num(ws, k, c0 + 2 + c, getattr(gd, metric) if gd else None, fmt)
    last = len(r.groups)
    c0 = len(by) + 2
    if metric == "percent_positive":
        _colour_scale(ws, 1, last, c0, c0 + len(dims) - 1)
    else:
        points = max((s.points for s in r.instrument.scales.values()), default=5)
        _colour_scale(ws, 1, last, c0, c0 + len(dims) - 1, lo=1, mid=(1 + points) / 2, hi=points)
    ws.autofilter(0, 0, last, len(cols) - 1)
    if metric == "percent_positive":
        pillars = [k for k, d in enumerate(dims) if d.pillar]
        visible_rows = [k for k, g in enumerate(r.groups, start=1) if not g.hidden]
        if pillars and visible_rows and len(visible_rows) <= 60:
            chart = book.wb.add_chart({"type": "bar"})
            palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"]
            for j, k in enumerate(pillars):
                chart.add_series(
                    {
                        "name": [name, 0, c0 + k],
                        "categories": [name, 1, 0, last, 0],
                        "values": [name, 1, c0 + k, last, c0 + k],
                        "fill": {"color": palette[j % len(palette)]},
                    }
                )
            chart.set_title(
                {"name": "Pillars by group: percent positive (hidden groups have no bar)"}
            )
            chart.set_x_axis({"min": 0, "max": 100})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 760, "height": min(1400, 160 + 28 * last)})
            ws.insert_chart(1, c0 + len(dims) + 1, chart)


def _agreement(book: _Book, card: Scorecard) -> None:
    r = card.result
    if not r.agreement:
        return
    from culturescope.scoring.agreement import icc2_text

    ws = book.sheet("Agreement")
    _header(
        book,
        ws,
        0,
        ["Dimension", "ICC(1)", "ICC(2)", "Mean rwg(j)", "Aggregation justified", "Reason"],
        [34, 9, 9, 11, 12, 60],
    )
    dims = r.instrument.dimension_by_id
    for k, a in enumerate(r.agreement, start=1):
        _put_text(ws, k, 0, dims[a.dimension].title if a.dimension in dims else a.dimension)
        _put_num(ws, k, 1, a.icc1, book.dec)
        if a.icc2 is not None and a.icc2 < 0:  # groups differ less than chance
            _put_text(ws, k, 2, icc2_text(a.icc2), book.wrap)
        else:
            _put_num(ws, k, 2, a.icc2, book.dec)
        _put_num(ws, k, 3, a.mean_rwg_j, book.dec)
        _put_text(
            ws, k, 4, {True: "yes", False: "no", None: "cannot judge"}[a.aggregation_justified]
        )
        _put_text(ws, k, 5, a.reason, book.wrap)


def _trend(book: _Book, card: Scorecard) -> None:
    if card.previous is None:
        return
    ws = book.sheet("Trend")
    prev = card.previous
    _header(
        book,
        ws,
        0,
        [
            "Dimension",
            f"% positive {prev.campaign}",
            f"% positive {card.campaign}",
            "Change (points)",
            f"Mean {prev.campaign}",
            f"Mean {card.campaign}",
            "Tested change (matching items)",
            "p (Holm-adjusted)",
            "Verdict",
        ],
        [34, 16, 16, 12, 14, 14, 16, 14, 18],
    )
    ws.set_row(0, 32)
    k = 0
    for d in card.result.dimensions:
        old = prev.dimension(d.id)
        if old is None:
            continue
        k += 1
        _put_text(ws, k, 0, d.title)
        _put_num(ws, k, 1, old.percent_positive, book.pct)
        _put_num(ws, k, 2, d.percent_positive, book.pct)
        change = None
        if old.percent_positive is not None and d.percent_positive is not None:
            change = d.percent_positive - old.percent_positive
        _put_num(ws, k, 3, change, book.dec)
        _put_num(ws, k, 4, old.mean, book.dec)
        _put_num(ws, k, 5, d.mean, book.dec)
        t = card.trend.dimension(d.id) if card.trend is not None else None
        if t is not None and t.difference is not None:
            _put_num(ws, k, 6, t.difference, book.dec)
            _put_num(ws, k, 7, t.p_adjusted, book.p_value)
            verdict = ("up" if t.difference > 0 else "down") if t.significant else "no clear change"
            _put_text(ws, k, 8, verdict)
        elif t is not None:
            _put_text(ws, k, 8, f"not compared: {t.note}", book.wrap)
    if k:
        _colour_scale(ws, 1, k, 3, 3, lo=-15, mid=0, hi=15)
        chart = book.wb.add_chart({"type": "bar"})
        for col, colour in ((1, "#AAAAAA"), (2, "#0072B2")):
            chart.add_series(
                {
                    "name": ["Trend", 0, col],
                    "categories": ["Trend", 1, 0, k, 0],
                    "values": ["Trend", 1, col, k, col],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": "Percent positive: previous vs current"})
        chart.set_x_axis({"min": 0, "max": 100})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        ws.insert_chart(k + 2, 0, chart)


def _leaders(book: _Book, card: Scorecard) -> None:
    if not card.leaders_vs_frontline:
        return
    ws = book.sheet("Leaders vs front-line")
    _header(
        book,
        ws,
        0,
        [
            "Pillar",
            "Senior leaders mean",
            "CI low",
            "CI high",
            "Front-line mean",
            "CI low",
            "CI high",
            "Gap (leaders − front-line)",
        ],
        [34, 12, 9, 9, 12, 9, 9, 14],
    )
    ws.set_row(0, 32)
    for k, row in enumerate(card.leaders_vs_frontline, start=1):
        _put_text(ws, k, 0, row.title)
        for c, score in ((1, row.first), (4, row.second)):
            if score is None or score.mean is None:
                _put_text(ws, k, c, HIDDEN_TEXT, book.hidden)
                continue
            _put_num(ws, k, c, score.mean, book.dec)
            _put_num(ws, k, c + 1, score.ci95[0] if score.ci95 else None, book.dec)
            _put_num(ws, k, c + 2, score.ci95[1] if score.ci95 else None, book.dec)
        if row.first and row.second and row.first.mean is not None and row.second.mean is not None:
            _put_num(ws, k, 7, row.first.mean - row.second.mean, book.dec)


def _signals(book: _Book, card: Scorecard) -> None:
    ws = book.sheet("Signals")
    if card.signals is None:
        _put_text(
            ws,
            0,
            0,
            "The signals check is not available in this version of CultureScope.",
            book.muted,
        )
        ws.set_column(0, 0, 80)
        return
    _header(
        book,
        ws,
        0,
        ["Severity", "Signal", "Kind", "Concerns", "Evidence", "Explanation", "Question to ask"],
        [10, 40, 20, 28, 48, 60, 50],
    )
    from culturescope.signals import KIND_TITLES
    from culturescope.signals.wording import evidence_lines, measure_titles

    titles = measure_titles(card.instrument)
    order = {"critical": 0, "warning": 1, "info": 2}
    sigs = sorted(card.signals, key=lambda s: order.get(str(getattr(s, "severity", "")), 3))
    for k, s in enumerate(sigs, start=1):
        scope = getattr(s, "scope", ())
        _put_text(
            ws,
            k,
            0,
            getattr(s, "severity", ""),
            book.bad if getattr(s, "severity", "") == "critical" else book.text,
        )
        _put_text(ws, k, 1, getattr(s, "title", "") or getattr(s, "kind", ""), book.wrap)
        kind = getattr(s, "kind", "")
        _put_text(ws, k, 2, KIND_TITLES.get(kind, kind))
        _put_text(
            ws,
            k,
            3,
            ", ".join(map(str, scope)) if isinstance(scope, (list, tuple)) else scope,
            book.wrap,
        )
        lines = evidence_lines(s, titles)
        _put_text(ws, k, 4, "\n".join(f"{label}: {value}" for label, value in lines), book.wrap)
        _put_text(ws, k, 5, getattr(s, "explanation", ""), book.wrap)
        _put_text(ws, k, 6, getattr(s, "question", ""), book.wrap)
    if not sigs:
        found = "No signals were found" + (
            " in the checks that could run." if card.signals_not_checked else "."
        )
        _put_text(ws, 1, 0, found, book.muted)
    if card.signals_not_checked:
        _put_text(ws, max(len(sigs), 1) + 2, 0, not_checked_text(card), book.muted)


def _policies(book: _Book, card: Scorecard) -> None:
    ws = book.sheet("Policy vs practice")
    areas = card.instrument.practice_area_by_id
    _header(
        book,
        ws,
        0,
        ["Practice area", "Claimed status", "Policies", "Practice % positive"],
        [36, 16, 10, 14],
    )
    for k, row in enumerate(card.practice, start=1):
        _put_text(ws, k, 0, row.title)
        _put_text(ws, k, 1, row.claimed_status or "no policy")
        _put_num(ws, k, 2, row.policies, book.int)
        _put_num(ws, k, 3, row.percent_positive, book.pct)
    n = len(card.practice)
    if n:
        ws.conditional_format(
            1, 3, n, 3, {"type": "cell", "criteria": "<", "value": 50, "format": book.bad}
        )
        chart = book.wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Practice seen in use (% positive)",
                "categories": ["Policy vs practice", 1, 0, n, 0],
                "values": ["Policy vs practice", 1, 3, n, 3],
                "fill": {"color": "#0072B2"},
            }
        )
        chart.set_title({"name": "Practice seen in use (% positive)"})
        chart.set_x_axis({"min": 0, "max": 100})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        ws.insert_chart(1, 5, chart)
    ws = book.sheet("Policies")
    if card.policies is None:
        _put_text(ws, 0, 0, "The policy register is not available in this version.", book.muted)
        return
    _header(
        book,
        ws,
        0,
        [
            "Policy",
            "Status",
            "Owner",
            "Practice areas",
            "Evidence",
            "Adopted",
            "Review",
            "Overdue",
            "Version",
        ],
        [40, 12, 18, 40, 30, 11, 11, 9, 8],
    )
    for k, p in enumerate(card.policies, start=1):
        _put_text(ws, k, 0, p.title, book.wrap)
        _put_text(ws, k, 1, p.status)
        _put_text(ws, k, 2, p.owner)
        _put_text(
            ws,
            k,
            3,
            ", ".join(areas[a].title if a in areas else a for a in p.practice_areas),
            book.wrap,
        )
        _put_text(ws, k, 4, p.evidence or "", book.wrap)
        for c, d in ((5, p.adopted_on), (6, p.review_on)):
            if d is None:
                ws.write_blank(k, c, None)
            else:
                ws.write_datetime(k, c, d, book.date)
        _put_text(ws, k, 7, "yes" if p.overdue(card.generated_on) else "", book.bad)
        _put_num(ws, k, 8, p.version, book.int)


def _comments(book: _Book, card: Scorecard) -> None:
    if not card.comments and not card.comments_withheld:
        return
    ws = book.sheet("Comments")
    if card.comments_withheld:
        _put_text(ws, 0, 0, card.comments_withheld, book.muted)
        ws.set_column(0, 0, 80)
        return
    # No demographic columns, and alphabetical order: nothing links a comment to a person.
    _header(book, ws, 0, ["Prompt", "Comment"], [50, 100])
    k = 1
    for cs in card.comments:
        for t in cs.texts:
            _put_text(ws, k, 0, cs.prompt, book.wrap)
            _put_text(ws, k, 1, t, book.wrap)
            k += 1


def method_lines(card: Scorecard) -> list[tuple[str, str]]:
    r = card.result
    inst = r.instrument
    bands = "; ".join(
        f"{b.label}: {'≥' if b.inclusive else '>'} {b.threshold:g}% positive"
        for b in sorted(inst.bands, key=lambda b: -b.threshold)
    )
    out = [
        (
            "Scores",
            "Reverse-keyed items are flipped (scored = min + max − answer). “Not applicable / don't know” is missing, never a number. A person's dimension score is the mean of their answered items if they answered at least half of them; a group's score is the mean of person scores with SD and a 95% confidence interval that stays inside the scale (t interval on the logit of the mean's position on the scale, mapped back).",
        ),
        (
            "Percent positive",
            "Share of answers in the top two points of a 5-point scale (neutral: middle point; negative: bottom two), per item; a dimension's percent positive is the mean of its items' percent positive.",
        ),
        (
            "Behaviour items",
            "Items asking how often people did something (e.g. raised a safety concern: Never / Once / 2 to 5 times / More than 5 times) count behaviour, not an attitude. Their '% positive' is the share of people who reported at least once on any of the items (as the signals count it); the mean is on the frequency scale (1 = Never); no band and no reliability (different behaviours are not one attitude measured several times).",
        ),
        ("Bands", (bands or "none defined") + "; only for dimensions on the agreement scale."),
        (
            "Reliability",
            f"Cronbach's alpha (listwise); McDonald's omega where computable; corrected item–total correlations; alpha if item deleted. Only from {RELIABILITY_MIN_N} complete responses per dimension on: with fewer, chance alone moves alpha too much (even below zero).",
        ),
        (
            "Agreement",
            "rwg(j) with a uniform null distribution, each item's variance over the answers it has in the group (pairwise, as R multilevel 2.8), with the number of people behind it; ICC(1) and ICC(2) from a one-way ANOVA across the visible groups. Aggregation to groups is justified when members agree (mean rwg(j) at least .70) and groups differ (the F test of ICC(1) significant at .05), following Bliese (2000) and LeBreton & Senter (2008); group means are reliable when ICC(2) is at least .70. A negative ICC(2) is shown as 'no difference between groups'.",
        ),
        (
            "Trend",
            "Change since the previous campaign, on the items asked the same way in both (same id, wording, scale and keying); person scores are recomputed on those items. Means are compared with Welch's t-test, the share who reported (behaviour) with a two-proportion z-test; p-values are Holm-corrected across dimensions and a change is called clear when the adjusted p is below 0.05. Nothing is compared when either campaign has fewer scored people than the minimum group size.",
        ),
        (
            "Confidentiality",
            f"Scores only for groups of at least {r.min_group_size} responses; comments only for groups of at least {card.min_comment_group_size}. Groups that could be worked out by subtraction are hidden too. Hidden groups show '{HIDDEN_TEXT}' and no number. Comments carry no demographics.",
        ),
        (
            "Responses sheet",
            "Only present when requested. Rows are shuffled; no dates, sources or ids. Only the breakdown field is kept, and only for groups shown in this scorecard; other demographics and comments are left out. N/A answers are shown as 'N/A'; answers are the raw codes as given (not reversed).",
        ),
    ]
    for g in r.hidden_groups:
        out.append(
            (
                "Hidden group",
                f"{g.label}: {HIDDEN_TEXT} ({g.reason or 'below the minimum group size'})",
            )
        )
    for note in r.notes:
        out.append(("Note", note))
    return out


def _method(book: _Book, card: Scorecard) -> None:
    ws = book.sheet("Method")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 110)
    _put_text(ws, 0, 0, "Method and confidentiality", book.title)
    for k, (head, body) in enumerate(method_lines(card), start=2):
        _put_text(ws, k, 0, head, book.label)
        _put_text(ws, k, 1, body, book.wrap)


def _responses(
    book: _Book,
    card: Scorecard,
    data: ResponseData,
    is_cancelled: Callable[[], bool] | None,
) -> None:
    """De-identified responses: shuffled rows of raw codes, no ids, no dates, no comments.

    A row carries the report's breakdown values (one demographic, or the pair of a
    cross-tab) only when that group is shown in the report — so a label always stands for
    at least the minimum number of people and no finer combination of demographics ever
    appears; every other row reads "(not shown)". Those rows together are the hidden
    remainder, which the linked-table audit keeps at zero or at least the minimum (checked
    again here: if it were smaller, no row would be labelled). What the sheet cannot
    protect is written in docs/confidentiality.md: each row is one person's answers.
    """
    r = card.result
    ws = book.sheet("Responses")
    inst = r.instrument
    fields = list(r.by) if len(r.by) <= 2 else []
    shown = {tuple(g.by[f] for f in fields) for g in r.visible_groups} if fields else set()
    item_ids = [i.id for i in inst.items if i.id in data.answers.columns]
    cols = [inst.demographic_by_id[f].label for f in fields] + item_ids
    _header(book, ws, 0, cols, [18] * len(fields) + [6] * len(item_ids))
    answers = data.answers[item_ids].to_numpy(dtype=float)
    na_codes = np.array(
        [
            inst.scale_of(i).na_code if inst.scale_of(i).na_code is not None else -999
            for i in item_ids
        ],
        dtype=float,
    )
    labels = breakdown_labels(data.demographics.reindex(data.answers.index), fields)
    cells = [tuple(row) for row in labels.itertuples(index=False)] if fields else []
    labelled = np.array([cell in shown for cell in cells], dtype=bool)
    rest = int((~labelled).sum())
    if 0 < rest < r.min_group_size:
        labelled[:] = False  # the unlabelled rows would be a small set of their own
    order = np.random.default_rng().permutation(len(answers))
    c0 = len(fields)
    for out_row, src in enumerate(order, start=1):
        if out_row % 2000 == 0 and is_cancelled is not None and is_cancelled():
            raise Cancelled("report cancelled")
        for c in range(len(fields)):
            _put_text(ws, out_row, c, cells[src][c] if labelled[src] else NOT_SHOWN)
        row = answers[src]
        for c, v in enumerate(row):
            if math.isnan(v):
                continue
            if v == na_codes[c]:
                ws.write_string(out_row, c0 + c, "N/A")
            else:
                ws.write_number(out_row, c0 + c, v)


def write_xlsx(
    card: Scorecard,
    path: str | Path,
    *,
    responses: ResponseData | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write the Excel scorecard. ``responses`` (a :class:`ResponseData`) adds the
    de-identified response sheet; leave it None unless the user asked for it."""
    path = Path(path)
    book = _Book(path, card.instrument)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Summary", lambda: _summary(book, card)),
        ("Dimensions", lambda: _dimensions(book, card)),
        ("Items", lambda: _items(book, card)),
        ("Groups", lambda: _groups(book, card, "percent_positive", "Groups % positive")),
        ("Group means", lambda: _groups(book, card, "mean", "Groups mean")),
        ("Agreement", lambda: _agreement(book, card)),
        ("Trend", lambda: _trend(book, card)),
        ("Leaders", lambda: _leaders(book, card)),
        ("Signals", lambda: _signals(book, card)),
        ("Policies", lambda: _policies(book, card)),
        ("Comments", lambda: _comments(book, card)),
        ("Method", lambda: _method(book, card)),
    ]
    if responses is not None:
        steps.append(("Responses", lambda: _responses(book, card, responses, is_cancelled)))
    try:
        for k, (name, fn) in enumerate(steps):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("report cancelled")
            if progress is not None:
                progress(k / (len(steps) + 1), f"Sheet: {name}")
            fn()
        if progress is not None:
            progress(len(steps) / (len(steps) + 1), "Writing the workbook")
        book.wb.close()
    except BaseException:
        try:
            book.wb.close()
        finally:
            path.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0, "Workbook written")
    return path


__all__ = ["HIDDEN_TEXT", "method_lines", "write_xlsx"]
