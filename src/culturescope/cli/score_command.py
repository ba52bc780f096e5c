"""``culturescope score``: scores per dimension and item, by group, with confidentiality."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from culturescope.cli.campaign_option import add_campaign_option, find_campaign

if TYPE_CHECKING:  # scoring pulls in pandas: only `score` itself pays for it
    from culturescope.cli.context import Context
    from culturescope.scoring.results import ScoreResult
    from culturescope.scoring.trend import TrendResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "score",
        help="score a campaign (overall and by team, role, site...)",
        description="Scores per dimension and item. Groups below the campaign's minimum group "
        "size are shown as 'Insufficient responses' without numbers.",
    )
    add_campaign_option(p)
    p.add_argument(
        "--by",
        metavar="FIELD[,FIELD]",
        default="",
        help="break down by demographic(s), e.g. team or team,role",
    )
    p.add_argument(
        "--rwg-listwise",
        action="store_true",
        help="rwg(j) only from people who answered every item of a dimension (listwise, as R "
        "multilevel before 2.8); default: each item's own answers (pairwise)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="machine-readable output (its fields: 'culturescope docs json-formats')",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="compute afresh: neither print nor save the output kept from the last run on "
        "unchanged data (any change to the campaign's data makes it compute afresh anyway)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    by = tuple(f.strip() for f in args.by.split(",") if f.strip())
    command = ["score", ",".join(by), str(args.rwg_listwise), str(args.json)]
    saved = None
    if not args.no_cache:
        from culturescope.result_cache import saved_output

        # The same question about unchanged data: print the answer saved last time,
        # without importing the scoring libraries or reading a single response.
        saved = saved_output(ctx.db, args.campaign, command)
        output = saved.read() if saved is not None else None
        if output is not None:
            sys.stdout.write(output)
            return 0
    output = _compute(args, ctx, by)
    sys.stdout.write(output)
    if saved is not None:
        from culturescope.result_cache import saved_output

        saved.save(output, saved_output(ctx.db, args.campaign, command))
    return 0


def _compute(args: argparse.Namespace, ctx: Context, by: tuple[str, ...]) -> str:
    """What ``score`` prints, computed from the stored responses."""
    from culturescope import special_functions

    # One thread here: SciPy's compiled special functions without the rest of
    # scipy.special (about 0.25 s of CPU; see the module).
    special_functions.load_alone()
    from culturescope.scoring import score
    from culturescope.scoring.trend import campaign_trend
    from culturescope.storage import open_reader

    # A SQLite file at the current schema is read without SQLAlchemy (most of a cold
    # run's start-up otherwise); anything else goes through the full store.
    reader = open_reader(ctx.db)
    try:
        store = reader if reader is not None else ctx.store
        ctx.progress(0.0, "loading responses")
        campaign = find_campaign(store, args.campaign).id
        data = store.load_responses(campaign)
        result = score(
            store,
            campaign,
            by=by,
            progress=ctx.progress,
            rwg_listwise=args.rwg_listwise,
            data=data,
        )
        trend = campaign_trend(store, campaign, data=data) if result.responses else None
    finally:
        if reader is not None:
            reader.close()
    if args.json:
        out = result.to_json()
        out["trend"] = trend.to_json() if trend is not None else None
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    text = render_text(result) + "\n"
    if trend is not None:
        text += render_trend(trend) + "\n"
    return text


def render_trend(t: TrendResult) -> str:
    """The change since the previous campaign, one line per dimension."""
    from culturescope.numbers import signed

    lines = [
        "",
        f"Since {t.previous} (matching items only; means by Welch t-test, "
        "shares by z-test; Holm-corrected):",
    ]
    width = max((len(d.title) for d in t.dimensions), default=20)
    for d in t.dimensions:
        if d.difference is None:
            lines.append(f"  {d.title:<{width}}  not compared: {d.note}")
            continue
        if d.measure == "share":
            change = f"{d.previous:.0f}% → {d.current:.0f}% reported at least once"
            diff = f"{signed(d.difference)} points"
        else:
            change = f"{d.previous:.2f} → {d.current:.2f}"
            diff = f"{d.difference:+.2f}"
        verdict = "significant" if d.significant else "no clear change"
        if d.p_adjusted is None:  # a share of 0% or 100% in both campaigns
            p = "no test"
        else:
            p = "p < 0.001" if d.p_adjusted < 0.001 else f"p = {d.p_adjusted:.3f}"
        lines.append(f"  {d.title:<{width}}  {change}  ({diff}, {p}: {verdict})")
    lines += [f"Note: {n}" for n in t.notes]
    return "\n".join(lines)


def _short(title: str, width: int = 22) -> str:
    """A column heading that fits: the first words that fit in ``width``."""
    words, out = title.split(), ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) > width:
            break
        out = f"{out} {w}".strip()
    return out or title[:width]


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def render_text(r: ScoreResult) -> str:
    from culturescope.instruments import band_percent

    lines = [
        f"{r.campaign}: {r.responses} responses ({r.instrument.title}); "
        f"groups below {r.min_group_size} responses are hidden",
        "",
    ]
    lines.append(
        f"{'Dimension':<34} {'n':>5} {'mean':>5} {'95% CI':>13} {'%pos':>5} {'alpha':>6}  band"
    )
    footnotes = []
    main = r.instrument.main_scale
    for d in r.dimensions:
        ci = f"{_fmt(d.ci95[0])}–{_fmt(d.ci95[1])}" if d.ci95 else "–"
        band = d.band_label or ""
        if d.counts_behaviour:
            band = "none (behaviour counts)"
            footnotes.append(
                f"{d.title}: counts behaviour, not an attitude — mean on {r.scale_text(d)}; "
                f"%pos = {d.positive_label} (on any of its items); no band, no alpha."
            )
        elif d.scale is not None and main is not None and d.scale != main.id:
            band = "none (other scale)"
            footnotes.append(
                f"{d.title}: mean on {r.scale_text(d)}; no band (not the agreement scale)."
            )
        if d.reliability_note and d.mean is not None and not d.counts_behaviour:
            footnotes.append(f"{d.title}: {d.reliability_note}.")
        pct = (
            band_percent(r.instrument, d.percent_positive).removesuffix("%")
            if d.band_label
            else _fmt(d.percent_positive, ".0f")
        )
        lines.append(
            f"{d.title[:34]:<34} {d.n:>5} {_fmt(d.mean):>5} {ci:>13} "
            f"{pct:>5} {_fmt(d.alpha):>6}  {band}"
        )
    if any(d.band_label for d in r.dimensions) and r.instrument.bands:
        # The band comes from % positive, not the mean: say so, else a higher mean with a
        # lower band (or "50" in two bands, %pos being rounded) reads as a mistake.
        bands = "; ".join(
            f"{b.label} {'≥' if b.inclusive else '>'} {b.threshold:g}%"
            for b in sorted(r.instrument.bands, key=lambda b: -b.threshold)
        )
        footnotes.insert(0, f"band: from % positive before rounding, not from the mean ({bands}).")
    lines += [f"  {f}" for f in footnotes]
    if r.groups:
        dims = [d for d in r.dimensions if d.pillar] or list(r.dimensions)
        lines += ["", f"By {', '.join(r.by)} (mean / % positive / rwg(j)):"]
        head = f"{'Group':<28} {'n':>5}  " + "  ".join(f"{_short(d.title):<22}" for d in dims)
        lines.append(head)
        for g in r.groups:
            if g.hidden:
                lines.append(f"{g.label[:28]:<28} {'–':>5}  Insufficient responses ({g.reason})")
                continue
            cells = []
            for d in dims:
                gd = g.dimension(d.id)
                cells.append(
                    f"{_fmt(gd.mean if gd else None):>4} / {_fmt(gd.percent_positive if gd else None, '.0f'):>3}% / "
                    f"{_fmt(gd.rwg_j if gd else None):>4}".ljust(22)
                )
            lines.append(f"{g.label[:28]:<28} {g.n:>5}  " + "  ".join(cells))
    if r.agreement:
        from culturescope.scoring.agreement import icc2_text

        lines += ["", "Agreement (may scores be aggregated to these groups?):"]
        titles = {d.id: d.title for d in r.dimensions}
        width = max(len(t) for t in titles.values()) if titles else 28
        for a in r.agreement:
            verdict = {True: "yes", False: "no", None: "cannot judge"}[a.aggregation_justified]
            lines.append(
                f"  {titles.get(a.dimension, a.dimension):<{width}} ICC(1) {_fmt(a.icc1)}  "
                f"ICC(2) {icc2_text(a.icc2)}  mean rwg(j) {_fmt(a.mean_rwg_j)}  → {verdict} "
                f"({a.reason})"
            )
    for note in r.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)
