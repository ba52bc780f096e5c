"""Charts of a scoring result, drawn on a matplotlib ``Axes`` the caller owns.

Every function takes an ``Axes`` (plus data) and returns it; none uses pyplot's global
state, so the GUI draws them on its Qt canvas and the reports render them off-screen
(:func:`new_figure`, :func:`save_figure`). Colours are colour-blind safe (Okabe–Ito and a
blue–orange diverging scale). Confidentiality (docs/design/confidentiality.md): a hidden
group is drawn as a hatched grey cell or a text "Insufficient responses" — never as a
number, a bar, zero or a colour of the scale.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from culturescope.instruments import Band, Instrument, Scale, band_percent
from culturescope.numbers import signed
from culturescope.scoring.results import DimensionScore, GroupResult, ItemScore, ScoreResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Okabe–Ito, the standard colour-blind-safe qualitative palette.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#222222"
MUTED = "#666666"
GRID = "#DDDDDD"
HIDDEN_FACE = "#EEEEEE"
HIDDEN_EDGE = "#9A9A9A"
#: The ``gid`` of an artist whose colour carries data (a heatmap cell, a bar): a theme's
#: re-colouring (the app's dark theme) must leave it as drawn, however pale it is.
DATA = "data"

#: Blue–orange diverging scale: unfavourable (orange) ... neutral (grey) ... favourable (blue).
UNFAVOURABLE = ("#B35806", "#F1A340", "#FDD0A2")
NEUTRAL = "#D9D9D9"
FAVOURABLE = ("#2166AC", "#67A9CF", "#C6DBEF")
HEATMAP_CMAP = LinearSegmentedColormap.from_list(
    "culturescope_diverging", ["#B35806", "#F1A340", "#F7F7F7", "#67A9CF", "#2166AC"]
)

#: Matplotlib settings for every rendered chart: TrueType fonts embedded in PDFs, readable sizes.
STYLE = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": "#BBBBBB",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "hatch.color": HIDDEN_EDGE,
    "hatch.linewidth": 0.8,
    # Team, site and campaign names come from respondents and users: "$" must stay a
    # dollar sign, never start mathtext (a name like "$\foo{$" would stop the report).
    "text.parse_math": False,
}

STATUS_ORDER = ("none", "drafted", "approved", "implemented", "audited")
STATUS_COLOURS = {
    "none": "#BBBBBB",
    "drafted": "#D9D9D9",
    "approved": SKY,
    "implemented": BLUE,
    "audited": "#004C7A",
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply :data:`STYLE` for the duration of a drawing or saving (restored afterwards)."""
    # matplotlib's stubs take only the rc names they list as literals, not a dict of them.
    with mpl.rc_context(STYLE), warnings.catch_warnings():  # type: ignore[arg-type]
        # A name typed with an emoji or a control character draws as an empty box;
        # that is no reason to stop (or, under -W error, fail) a report.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def new_figure(width: float = 10.0, height: float = 5.6, *, dpi: int = 100) -> Figure:
    """A pyplot-free Figure (no global figure manager), for off-screen rendering."""
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 200) -> Path:
    """Save ``fig`` as PNG, SVG or PDF (by suffix) with embedded TrueType fonts."""
    from culturescope.reports.raster import QuickCanvas

    path = Path(path)
    QuickCanvas(fig)  # a PNG is drawn by it; SVG and PDF by matplotlib's vector canvases
    with chart_style():
        fig.savefig(path, dpi=dpi, facecolor="white")
    return path


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_on_hyphens=False)) or text


def _hidden_text(group: GroupResult, min_group_size: int) -> str:
    reason = (group.reason or "").lower()
    if "protect" in reason:
        return "hidden (protects a smaller group)"
    return f"hidden (n<{min_group_size})"


def _empty(ax: Axes, message: str) -> Axes:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, transform=ax.transAxes)
    return ax


def _clean(ax: Axes, *, left: bool = False) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_visible(left)
    ax.tick_params(axis="y", length=0)


def _fmt_pct(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{abs(x):.0f}%" if abs(x) < 0.5 else f"{x:.0f}%"


# --------------------------------------------------------------------------------------
# Pillar scores


def pillar_scores(ax: Axes, result: ScoreResult) -> Axes:
    """Pillar means with their 95% confidence intervals, each row shaded by its band.

    The x axis is the scale (1 .. points); the label on the right gives the mean, the
    interval, percent positive and the interpretation band (bands apply to percent
    positive, so they are shown with the score, never instead of it).
    """
    dims = [d for d in result.dimensions if d.pillar] or list(result.dimensions)
    # Behaviour counts have their own (frequency) scale: not on this agreement axis.
    dims = [d for d in dims if d.mean is not None and not d.counts_behaviour]
    if not dims:
        return _empty(ax, "No pillar scores yet")
    points = _points_for(result)
    inst = result.instrument
    ys = np.arange(len(dims))[::-1]
    for y, d in zip(ys, dims):
        assert d.mean is not None  # dimensions without a mean are left out above
        band = next((b for b in inst.bands if b.id == d.band), None)
        colour = band.colour if band else MUTED
        ax.axhspan(y - 0.42, y + 0.42, color=colour, alpha=0.10, lw=0)
        if d.ci95:
            ax.plot(d.ci95, [y, y], color=INK, lw=2.2, solid_capstyle="butt", zorder=2)
            for end in d.ci95:
                ax.plot([end, end], [y - 0.12, y + 0.12], color=INK, lw=1.4, zorder=2)
        ax.plot([d.mean], [y], "o", ms=11, color=colour, mec="white", mew=1.5, zorder=3)
        ci = f"  ({d.ci95[0]:.2f}–{d.ci95[1]:.2f})" if d.ci95 else ""
        # Beside its band, the percent keeps the decimals that keep it in that band.
        pct = band_percent(inst, d.percent_positive) if band else _fmt_pct(d.percent_positive)
        label = f"mean {d.mean:.2f}{ci}\n{pct} {d.positive_label}"
        if band:
            label += f" · {band.label}"
        ax.text(points + 0.12, y, label, va="center", ha="left", fontsize=9, color=INK)
    ax.set_yticks(ys, [_wrap(d.title, 22) for d in dims], fontsize=10.5)
    ax.set_ylim(-0.6, len(dims) - 0.4)
    ax.set_xticks(range(1, points + 1))
    scale = _main_scale(inst)
    if scale is not None and len(scale.labels) == points:
        ax.set_xticklabels(_scale_tick_labels(scale), fontsize=8.5)
    ax.grid(axis="x", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    _clean(ax)
    ax.set_title("Pillar scores")
    ax.set_xlabel(
        "Dot: mean score · line: 95% confidence interval · row colour: band (from % positive)",
        fontsize=8,
        color=MUTED,
    )
    handles = [Patch(color=b.colour, alpha=0.35, label=b.label) for b in _bands_desc(inst)]
    if handles:
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(handles),
            frameon=False,
            fontsize=8.5,
            handlelength=1.2,
            columnspacing=1.0,
        )
    # Room for the value labels on the right.
    ax.set_xlim(1, points + (points - 1) * 0.8)
    ax.spines["bottom"].set_bounds(1, points)
    return ax


#: The longest scale whose every point is named under the pillar chart: the words of a
#: 7-point agree scale would overlap at the PDF's width.
WORDED_SCALE_POINTS = 5
#: The longest scale whose every point is numbered: beyond it a number would touch the
#: words under its neighbour.
NUMBERED_SCALE_POINTS = 7


def _scale_tick_labels(scale: Scale) -> list[str]:
    """The pillar chart's scale axis: every label of a scale of up to five points. A longer
    scale has the words under its two ends and its middle, each with its value, and the
    values alone on the points between (up to seven points; beyond, those stay unlabelled)."""
    if scale.points <= WORDED_SCALE_POINTS:
        return [_wrap(label, 12) for label in scale.labels]
    worded = {1, scale.points}
    if scale.points % 2:
        worded.add((scale.points + 1) // 2)
    numbered = scale.points <= NUMBERED_SCALE_POINTS
    return [
        f"{value}\n{_wrap(label, 12)}" if value in worded else (str(value) if numbered else "")
        for value, label in enumerate(scale.labels, start=1)
    ]


def _bands_desc(inst: Instrument) -> list[Band]:
    return sorted(inst.bands, key=lambda b: b.threshold, reverse=True)


def _main_scale(inst: Instrument) -> Scale | None:
    pillar_ids = {d.id for d in inst.pillars} or {d.id for d in inst.dimensions}
    for item in inst.items:
        if item.dimension in pillar_ids:
            return inst.scale_of(item)
    return next(iter(inst.scales.values()), None)


def _points_for(result: ScoreResult) -> int:
    scale = _main_scale(result.instrument)
    return scale.points if scale else 5


# --------------------------------------------------------------------------------------
# Likert bars


def _scale_colours(scale: Scale) -> list[str]:
    """One colour per scored value 1..points: unfavourable oranges, grey, favourable blues
    (darkest farthest from neutral)."""
    neg, _neu, pos = _split(scale)
    colours = [NEUTRAL] * scale.points
    for i, v in enumerate(sorted(neg)):
        colours[v - 1] = UNFAVOURABLE[i if len(neg) > 1 else 1]
    for i, v in enumerate(sorted(pos, reverse=True)):
        colours[v - 1] = FAVOURABLE[i if len(pos) > 1 else 1]
    return colours


def _split(scale: Scale) -> tuple[list[int], list[int], list[int]]:
    neutral = list(scale.neutral)
    pos = list(scale.positive) or [v for v in range(1, scale.points + 1) if v > max(neutral or [0])]
    neg = list(scale.negative) or [
        v for v in range(1, scale.points + 1) if v < min(neutral or [99])
    ]
    if not scale.positive and not scale.negative:
        mid = (scale.points + 1) / 2
        neg = [v for v in range(1, scale.points + 1) if v < mid - 0.6]
        pos = [v for v in range(1, scale.points + 1) if v > mid + 0.6]
        neutral = [v for v in range(1, scale.points + 1) if v not in neg and v not in pos]
    return neg, neutral, pos


def likert_bars(
    ax: Axes,
    items: Sequence[ItemScore],
    *,
    instrument: Instrument,
    title: str | None = None,
    wrap: int = 48,
) -> Axes:
    """Diverging stacked bars centred on neutral, sorted by net agreement (top = best).

    Each bar shows the scored distribution (reverse-keyed items are flipped so that the
    right-hand side is always the favourable answer; they are marked "†"). Neutral answers
    straddle the centre line. N/A answers are excluded from the percentages.
    """
    rows = [i for i in items if i.distribution and sum(i.distribution.values()) > 0]
    if not rows:
        return _empty(ax, "No answers to show")
    scale = _likert_scale(rows, instrument)
    points = scale.points
    neg, neu, _pos = _split(scale)
    colours = _scale_colours(scale)

    def shares(item: ItemScore) -> np.ndarray:
        total = sum(item.distribution.get(v, 0) for v in range(1, points + 1))
        return np.array([item.distribution.get(v, 0) / total * 100 for v in range(1, points + 1)])

    def net(item: ItemScore) -> float:
        s = shares(item)
        return float(
            sum(s[v - 1] for v in range(1, points + 1) if v not in neg and v not in neu)
        ) - float(sum(s[v - 1] for v in neg))

    rows.sort(key=net)  # lowest first = bottom of the chart
    for y, item in enumerate(rows):
        s = shares(item)
        left = -sum(s[v - 1] for v in neg) - sum(s[v - 1] for v in neu) / 2
        _likert_bar(ax, y, s, left=left, colours=colours)
    # cast: matplotlib types ax.figure as maybe a SubFigure; these axes are a Figure's.
    narrow = cast(Figure, ax.figure).get_figwidth() < 8
    labels = [_wrap(f"{i.text}{' †' if i.reverse else ''}", wrap) for i in rows]
    ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axvline(0, color=INK, lw=0.9)
    ax.set_xlim(-100, 100)
    ticks = [-100, -50, 0, 50, 100] if narrow else [-100, -75, -50, -25, 0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [f"{abs(t)}%" for t in ticks], fontsize=8.5)
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.set_axisbelow(True)
    _clean(ax)
    if title:
        ax.set_title(title, pad=26)
    _likert_key(ax, scale, colours, instrument, narrow=narrow, reverse=any(i.reverse for i in rows))
    return ax


def _likert_scale(rows: Sequence[ItemScore], instrument: Instrument) -> Scale:
    """The one scale of ``rows`` (an unnamed 1..n scale for items the instrument lacks)."""
    scales = {instrument.scale_of(i.id).id for i in rows if i.id in instrument.item_by_id}
    if len(scales) > 1:
        raise ValueError(f"likert_bars needs items on one scale; got scales {sorted(scales)}")
    if rows[0].id in instrument.item_by_id:
        return instrument.scale_of(rows[0].id)
    points = max(max(i.distribution) for i in rows)
    return Scale(id="?", points=points, labels=tuple(str(v) for v in range(1, points + 1)))


def _likert_bar(
    ax: Axes, y: int, shares: np.ndarray, *, left: float, colours: Sequence[str]
) -> None:
    """One item's stacked bar from ``left``, each share labelled when wide enough."""
    for v, width in enumerate(shares, start=1):
        if width <= 0:
            continue
        ax.barh(
            y,
            width,
            left=left,
            height=0.68,
            color=colours[v - 1],
            edgecolor="white",
            lw=0.6,
            gid=DATA,
        )
        if width >= 7:
            rgb = to_rgb(colours[v - 1])
            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.5
            ax.text(
                left + width / 2,
                y,
                f"{width:.0f}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else INK,
            )
        left += width


def _likert_key(
    ax: Axes,
    scale: Scale,
    colours: Sequence[str],
    instrument: Instrument,
    *,
    narrow: bool,
    reverse: bool,
) -> None:
    """The answer colours above the chart and the note under it."""
    points = scale.points
    handles = [
        Patch(
            color=colours[v - 1],
            label=_wrap(scale.labels[v - 1], 14) if narrow else scale.labels[v - 1],
        )
        for v in range(1, points + 1)
    ]
    main = instrument.main_scale
    net_of = "agreement" if main is None or main.id == scale.id else "positive answers"
    note = f"Percent of answers (N/A excluded); sorted by net {net_of}"
    if reverse:
        note += ";\n"  # its own line: centred under the bars, one line overran the canvas
        note += "† reverse-keyed, shown so that right = favourable"
    ax.set_xlabel(note, fontsize=8, color=MUTED)
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=min(points, 6),
        frameon=False,
        fontsize=7.5 if narrow else 8,
        handlelength=1.0 if narrow else 1.2,
        columnspacing=0.6 if narrow else 1.0,
    )


# --------------------------------------------------------------------------------------
# Team heatmap


def team_heatmap(
    ax: Axes,
    result: ScoreResult,
    *,
    metric: str = "percent_positive",
    dimensions: Sequence[str] | None = None,
) -> Axes:
    """Groups × dimensions. Hidden groups are hatched grey rows labelled "hidden (…)".

    ``metric`` is ``"percent_positive"`` (0–100, centred on 50) or ``"mean"`` (scale,
    centred on its midpoint). A visible group with no score for a dimension shows "–".
    """
    if metric not in ("percent_positive", "mean"):
        raise ValueError(f"metric must be 'percent_positive' or 'mean', not {metric!r}")
    if not result.groups:
        return _empty(ax, "No breakdown: score the campaign by team to see this chart")
    dims = _heatmap_dimensions(result, dimensions)
    groups = list(result.groups)
    points = _points_for(result)
    vmin, vmax = (0.0, 100.0) if metric == "percent_positive" else (1.0, float(points))
    norm = mpl.colors.Normalize(vmin=vmin, vmax=vmax)
    n_rows, n_cols = len(groups), len(dims)
    font = 9 if n_rows <= 20 else 7.5 if n_rows <= 40 else 6.5
    for r, group in enumerate(groups):
        y = r
        if group.hidden:
            ax.add_patch(
                Rectangle(
                    (-0.5, y - 0.5),
                    n_cols,
                    1,
                    facecolor=HIDDEN_FACE,
                    edgecolor=HIDDEN_EDGE,
                    hatch="///",
                    lw=0.0,
                )
            )
            ax.text(
                (n_cols - 1) / 2,
                y,
                _hidden_text(group, result.min_group_size),
                ha="center",
                va="center",
                fontsize=font,
                color=INK,
                style="italic",
                bbox={"facecolor": HIDDEN_FACE, "edgecolor": "none", "pad": 1.0},
            )
            continue
        for c, dim_id in enumerate(dims):
            d = group.dimension(dim_id)
            value = getattr(d, metric) if d is not None else None
            if value is None or (isinstance(value, float) and math.isnan(value)):
                ax.add_patch(Rectangle((c - 0.5, y - 0.5), 1, 1, facecolor="white", edgecolor=GRID))
                ax.text(c, y, "–", ha="center", va="center", fontsize=font, color=MUTED)
                continue
            colour = HEATMAP_CMAP(norm(value))
            ax.add_patch(
                Rectangle(
                    (c - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white", lw=1, gid=DATA
                )
            )
            lum = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
            text = f"{value:.0f}%" if metric == "percent_positive" else f"{value:.2f}"
            ax.text(
                c,
                y,
                text,
                ha="center",
                va="center",
                fontsize=font,
                color="white" if lum < 0.5 else INK,
            )
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    titles = [
        result.instrument.dimension_by_id[d].title if d in result.instrument.dimension_by_id else d
        for d in dims
    ]
    ax.set_xticks(range(n_cols), [_wrap(t, 14) for t in titles], fontsize=8.5)
    ax.xaxis.tick_top()
    ylabels = [f"{g.label}  (n={g.n})" if not g.hidden else g.label for g in groups]
    ax.set_yticks(range(n_rows), ylabels, fontsize=font + 0.5)
    for tick, g in zip(ax.get_yticklabels(), groups):
        if g.hidden:
            tick.set_color(MUTED)
            tick.set_fontstyle("italic")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=HEATMAP_CMAP)
    cbar = ax.figure.colorbar(
        sm, ax=ax, shrink=min(1.0, 6 / max(n_rows, 1) + 0.3), pad=0.02, aspect=25
    )
    cbar.set_label("% positive" if metric == "percent_positive" else "mean score", fontsize=9)
    cbar.ax.tick_params(labelsize=8)
    cbar.outline.set_visible(False)
    by = " × ".join(result.by) or "group"
    what = "percent positive" if metric == "percent_positive" else "mean score"
    ax.set_title(f"By {by}: {what}", pad=8)
    return ax


def _heatmap_dimensions(result: ScoreResult, dimensions: Sequence[str] | None) -> list[str]:
    if dimensions is not None:
        return list(dimensions)
    pillars = [d.id for d in result.dimensions if d.pillar]
    rest = [
        d.id
        for d in result.dimensions
        if not d.pillar and not d.counts_behaviour and d.id != "reporting_activity"
    ]
    return pillars + rest


def heatmap_height(result: ScoreResult, *, per_row: float = 0.32, base: float = 1.6) -> float:
    """A figure height (inches) that keeps heatmap rows readable."""
    return base + per_row * max(len(result.groups), 1)


# --------------------------------------------------------------------------------------
# Trend


def trend(
    ax: Axes,
    current: ScoreResult,
    previous: ScoreResult,
    *,
    dimensions: Sequence[str] | None = None,
    tested: Any = None,
) -> Axes:
    """Percent positive per dimension now vs the previous campaign (dumbbell chart).

    With ``tested`` (a :class:`culturescope.scoring.TrendResult`) the percentages are on
    the items asked the same way in both campaigns, a change that is not significant is
    drawn grey and labelled "n.s.", and each label also gives the change in mean score —
    the figure that was tested and that the scorecard's trend table lists — so the chart
    and the table speak of one change in the same words; without it, the dimensions' own
    percent positive.
    """
    prev = {d.id: d for d in previous.dimensions}
    ids = list(dimensions) if dimensions is not None else [d.id for d in current.dimensions]
    # title, before, now, significant, the tested change (None: not tested)
    pairs: list[tuple[str, float, float, bool | None, Any]] = []
    for dim_id in ids:
        cur = current.dimension(dim_id)
        t = tested.dimension(dim_id) if tested is not None else None
        if t is not None:
            a, b = t.previous_percent_positive, t.current_percent_positive
            if t.measure == "share":  # behaviour: the share who reported, as tested
                a, b = t.previous, t.current
            if t.difference is not None and a is not None and b is not None and cur is not None:
                pairs.append((cur.title, a, b, bool(t.significant), t))
            continue
        old = prev.get(dim_id)
        if cur and old and cur.percent_positive is not None and old.percent_positive is not None:
            pairs.append((cur.title, old.percent_positive, cur.percent_positive, None, None))
    if not pairs:
        return _empty(ax, "No comparable dimensions in the previous campaign")
    ys = np.arange(len(pairs))[::-1]
    for y, (_title, a, b, significant, t) in zip(ys, pairs, strict=True):
        colour = (BLUE if b >= a else VERMILLION) if significant is not False else "#8C8C8C"
        ax.annotate(
            "",
            xy=(b, y),
            xytext=(a, y),
            arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2, "shrinkA": 5, "shrinkB": 7},
        )
        ax.plot([a], [y], "o", ms=9, color="#AAAAAA", zorder=3)
        ax.plot([b], [y], "o", ms=10, color=colour, zorder=4)
        ax.text(
            max(a, b) + 3,
            y,
            _trend_label(b - a, t),
            va="center",
            fontsize=9.5,
            color=colour,
            fontweight="bold",
        )
    ax.set_yticks(ys, [_wrap(title, 24) for title, *_ in pairs], fontsize=10)
    # Room on the right for the labels ("+1 pts · mean +0.04 (n.s.)" beside 95%).
    ax.set_xlim(0, 128 if tested is not None else 108)
    ax.set_ylim(-0.6, len(pairs) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel(
        "% positive (behaviour: % who reported at least once)"
        if tested is not None
        else "% positive",
        fontsize=9,
    )
    ax.grid(axis="x", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    _clean(ax)
    ax.spines["bottom"].set_bounds(0, 100)
    ax.set_title(f"Change since {previous.campaign}")
    ax.legend(
        handles=[
            mpl.lines.Line2D([], [], marker="o", ls="", color="#AAAAAA", label=previous.campaign),
            mpl.lines.Line2D(
                [], [], marker="o", ls="", color=BLUE, label=f"{current.campaign} (up)"
            ),
            mpl.lines.Line2D(
                [], [], marker="o", ls="", color=VERMILLION, label=f"{current.campaign} (down)"
            ),
            *(
                [
                    mpl.lines.Line2D(
                        [], [], marker="o", ls="", color="#8C8C8C", label="no clear change"
                    )
                ]
                if tested is not None
                else []
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=2 if tested is not None else 3,
        frameon=False,
        fontsize=9,
    )
    return ax


def _trend_label(points: float, tested: Any) -> str:
    """ "+4 pts" (untested), "+4 pts · mean +0.12", "0 pts · mean -0.05 (n.s.)": the
    percent-positive change drawn, then the tested change in mean score where the test was
    on means (a behaviour share is tested in points itself)."""
    label = f"{signed(points)} pts"
    if tested is None:
        return label
    if tested.measure != "share":
        label += f" · mean {signed(tested.difference, 2)}"
    return label + ("" if tested.significant else " (n.s.)")


# --------------------------------------------------------------------------------------
# Policy vs practice


@dataclass(frozen=True)
class PolicyPracticeRow:
    """One practice area: what the policy register claims and what staff report.

    ``claimed_status`` is the strongest status of the policies covering the area (drafted /
    approved / implemented / audited) or None when no policy covers it;
    ``percent_positive`` the practice items' percent positive (None if not measured).
    """

    area: str
    title: str
    claimed_status: str | None
    percent_positive: float | None
    policies: int = 0


def policy_vs_practice(
    ax: Axes, rows: Sequence[PolicyPracticeRow], *, gap_below: float = 50.0
) -> Axes:
    """Per practice area, the claimed policy status next to the practice percent positive.

    A bar is highlighted (vermillion, "on paper only?") when the area is claimed
    implemented or audited but its practice items score below ``gap_below`` percent positive;
    a key under the chart says what each bar colour means.
    """
    if not rows:
        return _empty(ax, "No practice areas to compare")
    ys = np.arange(len(rows))[::-1]
    for y, row in zip(ys, rows):
        status = (row.claimed_status or "none").lower()
        ax.add_patch(
            Rectangle(
                (-38, y - 0.32),
                34,
                0.64,
                facecolor=STATUS_COLOURS.get(status, "#BBBBBB"),
                edgecolor="none",
                clip_on=False,
                gid=DATA,
            )
        )
        strong = status in ("implemented", "audited")
        ax.text(
            -21,
            y,
            "no policy" if status == "none" else status,
            ha="center",
            va="center",
            fontsize=8.5,
            color="white" if strong or status == "approved" else INK,
            clip_on=False,
        )
        pp = row.percent_positive
        if pp is None:
            ax.text(1, y, "not measured", va="center", fontsize=8.5, color=MUTED, style="italic")
            continue
        gap = strong and pp < gap_below
        colour = VERMILLION if gap else (BLUE if pp >= gap_below else ORANGE)
        ax.barh(y, pp, height=0.64, color=colour, gid=DATA)
        label = f"{pp:.0f}%" + ("  on paper only?" if gap else "")
        ax.text(pp + 1.2, y, label, va="center", fontsize=8.5, color=VERMILLION if gap else INK)
    ax.axvline(gap_below, color=MUTED, lw=0.9, ls="--")
    ax.set_xlim(-40, 118)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_yticks(ys, [_wrap(r.title, 26) for r in rows], fontsize=9.5)
    ax.spines["bottom"].set_bounds(0, 100)
    ax.text(
        -21, len(rows) - 0.35, "Claimed", ha="center", va="bottom", fontsize=9, fontweight="bold"
    )
    ax.text(
        50,
        len(rows) - 0.35,
        "Practice seen in use (% positive)",
        ha="center",
        va="bottom",
        fontsize=9,
        fontweight="bold",
    )
    _clean(ax)
    ax.set_title("Policy vs practice", pad=24)
    limit = f"{gap_below:g}%"
    # A key to the bar colours, under the chart (outside the axes: the constrained layout
    # makes room for it, so it never sits on the tick labels).
    cast(Figure, ax.figure).legend(
        handles=[
            Patch(color=BLUE, label=f"{limit} positive or more"),
            Patch(color=ORANGE, label=f"below {limit}"),
            Patch(color=VERMILLION, label=f"below {limit}, claimed implemented or audited"),
        ],
        loc="outside lower center",
        ncol=3,
        frameon=False,
        fontsize=8,
        handlelength=1.0,
        columnspacing=1.0,
    )
    return ax


def claims_anything(rows: Sequence[PolicyPracticeRow]) -> bool:
    """Whether any practice area is covered by a policy: without one (no register) the
    policy-vs-practice chart would compare practice with nothing, so it is left out."""
    return any(r.claimed_status for r in rows)


# --------------------------------------------------------------------------------------
# Leaders vs front-line


@dataclass(frozen=True)
class GroupComparisonRow:
    """One dimension compared between two groups (e.g. senior leaders vs front-line).

    Each side is the group's :class:`DimensionScore`, or None when the group is hidden or
    has no score (drawn as "Insufficient responses").
    """

    dimension: str
    title: str
    first: DimensionScore | None
    second: DimensionScore | None


def leaders_vs_frontline(
    ax: Axes,
    rows: Sequence[GroupComparisonRow],
    *,
    labels: tuple[str, str] = ("Senior leaders", "Front-line"),
    points: int = 5,
) -> Axes:
    """Per pillar, the two groups' means with 95% confidence intervals."""
    if not rows:
        return _empty(ax, "No groups to compare")
    colours = (ORANGE, BLUE)
    markers = ("D", "o")
    ys = np.arange(len(rows))[::-1]
    for y, row in zip(ys, rows):
        for k, (score, offset) in enumerate(((row.first, 0.16), (row.second, -0.16))):
            yy = y + offset
            if score is None or score.mean is None:
                ax.text(
                    1.05,
                    yy,
                    f"{labels[k]}: Insufficient responses",
                    va="center",
                    fontsize=8.5,
                    color=MUTED,
                    style="italic",
                )
                continue
            if score.ci95:
                ax.plot(score.ci95, [yy, yy], color=colours[k], lw=2.2, solid_capstyle="butt")
            ax.plot(
                [score.mean],
                [yy],
                markers[k],
                ms=9,
                color=colours[k],
                mec="white",
                mew=1.2,
                zorder=3,
            )
            ax.text(
                (score.ci95[1] if score.ci95 else score.mean) + 0.06,
                yy,
                f"{score.mean:.2f}",
                va="center",
                fontsize=8.5,
                color=INK,
            )
        if row.first and row.second and row.first.mean is not None and row.second.mean is not None:
            diff = row.first.mean - row.second.mean
            ax.text(
                points + 0.1,
                y,
                f"gap {diff:+.2f}",
                va="center",
                fontsize=9,
                fontweight="bold",
                color=VERMILLION if abs(diff) >= 0.5 else INK,
            )
    ax.set_yticks(ys, [_wrap(r.title, 22) for r in rows], fontsize=10)
    ax.set_xlim(1, points + 0.75)
    ax.spines["bottom"].set_bounds(1, points)
    ax.set_xticks(range(1, points + 1))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="x", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    _clean(ax)
    ax.set_xlabel("mean score with 95% confidence interval", fontsize=9)
    ax.set_title(f"{labels[0]} vs {labels[1]}")
    ax.legend(
        handles=[
            mpl.lines.Line2D([], [], marker=markers[k], ls="-", color=colours[k], label=labels[k])
            for k in range(2)
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=2,
        frameon=False,
        fontsize=9,
    )
    return ax
