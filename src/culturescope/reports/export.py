"""One entry point for every scorecard format, shared by the CLI and the app.

:func:`export_scorecard` scores a campaign and writes a PDF, an Excel workbook, or a
folder of PNG/SVG charts; :func:`write_charts` renders every chart of a
:class:`Scorecard` to files (for slides).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from culturescope import Cancelled, CultureScopeError
from culturescope.atomic import atomic_file, atomic_folder
from culturescope.reports import charts
from culturescope.reports.scorecard import Scorecard, build_scorecard

if TYPE_CHECKING:
    from culturescope.signals import SignalSettings
    from culturescope.storage import Store

Progress = Callable[[float, str], None]
FORMATS = ("pdf", "xlsx", "png", "svg")


class ReportError(CultureScopeError):
    """A report that cannot be written (unknown format, unwritable path, ...)."""


class TooFewResponses(ReportError):
    """A campaign without enough responses for any score to be shown."""


def check_reportable(store: Store, campaign_ref: str | int) -> None:
    """Refuse a scorecard that could show no score at all.

    With no responses, or fewer than the campaign's minimum group size, every number is
    hidden (docs/design/confidentiality.md): the report would be pages of dashes.
    """
    camp = store.campaign(campaign_ref)
    n = camp.response_count
    if n == 0:
        raise TooFewResponses(
            f"campaign '{camp.name}' has no responses yet: nothing to report "
            "(import or enter responses first)"
        )
    if n < camp.min_group_size:
        raise TooFewResponses(
            f"campaign '{camp.name}' has only {n} response{'s' * (n != 1)}: scores are shown "
            f"from {camp.min_group_size} responses on (its minimum group size), so a "
            "scorecard would have no numbers"
        )


@dataclass(frozen=True)
class ChartSpec:
    """One chart of a scorecard: file stem, drawing function, its arguments, size in inches."""

    name: str
    draw: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    size: tuple[float, float]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def chart_specs(card: Scorecard) -> list[ChartSpec]:
    """Every chart the scorecard has data for, in reading order."""
    r = card.result
    specs = [
        ChartSpec(
            "pillar-scores",
            charts.pillar_scores,
            (r,),
            {},
            (10, 1.8 + 1.0 * len(card.pillar_scores())),
        )
    ]
    for d in sorted(r.dimensions, key=lambda d: not d.pillar):
        items = [i for i in r.items if i.dimension == d.id]
        if items:
            specs.append(
                ChartSpec(
                    f"items-{_slug(d.id)}",
                    charts.likert_bars,
                    (items,),
                    {"instrument": r.instrument, "title": d.title},
                    (11, 1.6 + 0.55 * len(items)),
                )
            )
    if r.groups:
        specs.append(
            ChartSpec(
                f"by-{_slug('-'.join(r.by))}",
                charts.team_heatmap,
                (r,),
                {},
                (11, charts.heatmap_height(r)),
            )
        )
    if card.previous is not None:
        specs.append(
            ChartSpec(
                "trend",
                charts.trend,
                (r, card.previous),
                {"tested": card.trend},
                (10, 1.8 + 0.6 * len(r.dimensions)),
            )
        )
    if charts.claims_anything(card.practice):  # no register: nothing to compare with
        specs.append(
            ChartSpec(
                "policy-vs-practice",
                charts.policy_vs_practice,
                (list(card.practice),),
                {},
                (10, 1.4 + 0.55 * len(card.practice)),
            )
        )
    if card.leaders_vs_frontline:
        specs.append(
            ChartSpec(
                "leaders-vs-frontline",
                charts.leaders_vs_frontline,
                (list(card.leaders_vs_frontline),),
                {},
                (10, 2.0 + 0.9 * len(card.leaders_vs_frontline)),
            )
        )
    return specs


def write_charts(
    card: Scorecard,
    folder: str | Path,
    *,
    fmt: str = "png",
    dpi: int = 200,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Render every chart to ``folder`` as PNG or SVG; returns the files written."""
    if fmt not in ("png", "svg"):
        raise ReportError(f"charts can be written as png or svg, not '{fmt}'")
    folder = Path(folder)
    specs = chart_specs(card)
    out = []
    # All charts or none: drawn into a temporary folder, moved into ``folder`` at the end.
    with atomic_folder(folder) as tmp:
        for k, spec in enumerate(specs, start=1):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("export cancelled")
            if progress is not None:
                progress((k - 1) / len(specs), f"Chart: {spec.name}")
            with charts.chart_style():
                fig = charts.new_figure(*spec.size)
                spec.draw(fig.add_subplot(), *spec.args, **spec.kwargs)
                name = f"{k:02d}-{spec.name}.{fmt}"
                charts.save_figure(fig, tmp / name, dpi=dpi)
                out.append(folder / name)
    if progress is not None:
        progress(1.0, f"{len(out)} charts written")
    return out


def _slice(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A progress callback mapping 0..1 onto start..end of the caller's bar."""
    if progress is None:
        return None
    return lambda f, msg: progress(start + (end - start) * f, msg)


def export_scorecard(
    store: Store,
    campaign_ref: str | int,
    fmt: str,
    path: str | Path,
    *,
    by_team: bool = False,
    include_responses: bool = False,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    signal_settings: SignalSettings | None = None,
) -> Path:
    """Score ``campaign_ref`` and write its scorecard as ``fmt`` (pdf, xlsx, png, svg).

    For png/svg, ``path`` is a folder that receives one file per chart. Returns the file
    or folder written. Raises :class:`TooFewResponses` (a :class:`ReportError`), writing
    nothing, for a campaign with no responses or fewer than its minimum group size.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format '{fmt}' (use one of: {', '.join(FORMATS)})")
    path = Path(path)
    target_dir = path if fmt in ("png", "svg") else path.parent
    if target_dir.exists() and not target_dir.is_dir():
        raise ReportError(f"{target_dir} is a file, not a folder")
    if fmt in ("pdf", "xlsx") and path.is_dir():
        raise ReportError(f"{path} is a folder; give a file name ending in .{fmt}")
    if not target_dir.exists() and fmt in ("pdf", "xlsx"):
        raise ReportError(f"folder {target_dir} does not exist")
    check_reportable(store, campaign_ref)
    card = build_scorecard(
        store,
        campaign_ref,
        progress=_slice(progress, 0.0, 0.3),
        is_cancelled=is_cancelled,
        signal_settings=signal_settings,
    )
    rest = _slice(progress, 0.3, 1.0)
    if fmt == "pdf":
        from culturescope.reports.pdf import write_pdf

        with atomic_file(path) as tmp:
            write_pdf(card, tmp, by_team=by_team, progress=rest, is_cancelled=is_cancelled)
        return path
    if fmt == "xlsx":
        from culturescope.reports.excel import write_xlsx

        responses = store.load_responses(campaign_ref) if include_responses else None
        with atomic_file(path) as tmp:
            write_xlsx(card, tmp, responses=responses, progress=rest, is_cancelled=is_cancelled)
        return path
    write_charts(card, path, fmt=fmt, progress=rest, is_cancelled=is_cancelled)
    return path
