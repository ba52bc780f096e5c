"""Signals read from the survey answers: perception gap, awareness gap, split culture,
speak-up paradox, participation bias and response-pattern integrity (docs/design/signals.md).

Each function is small and separately testable; confidentiality
(docs/design/confidentiality.md) is applied by reading group visibility from
:class:`~culturescope.scoring.results.ScoreResult` and by never putting a hidden group's
numbers into a signal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from culturescope.instruments import PracticeArea
from culturescope.lazy import lazy_module
from culturescope.scoring.results import DimensionScore, GroupResult, ScoreResult
from culturescope.signals.inputs import Measure, SurveyFrame, percent_positive
from culturescope.signals.methods import METHODS
from culturescope.signals.model import Evidence, Finding, SignalSettings, slug
from culturescope.signals.multiplicity import NOT_ENOUGH_EVIDENCE, Builder, TestRun, run_alone
from culturescope.signals.statistics import (
    Comparison,
    low_agreement_test,
    mcnemar_exact,
    two_proportion_test,
    welch,
)

stats = lazy_module("scipy.stats")  # ~1 s to import: loaded by the first test run

LEVEL_LABELS = {
    "front_line": "front-line staff",
    "manager": "managers",
    "senior_leader": "senior leaders",
}


def _levels_label(levels: Collection[str]) -> str:
    return " and ".join(LEVEL_LABELS.get(v, v) for v in levels)


def visible_values(result: ScoreResult | None, field: str) -> set[str] | None:
    """Values of ``field`` whose group is fully visible in ``result`` (None: no breakdown).

    A group counts only when none of its dimensions or items is hidden either: signals
    add groups together (e.g. managers and senior leaders), and a sum over groups is safe
    only when every part of it is a figure that is shown anyway.
    """
    if result is None:
        return None
    return {
        g.by[field]
        for g in result.groups
        if not g.hidden
        and field in g.by
        and all(d.hidden_reason is None for d in g.dimensions)
        and all(i.hidden_reason is None for i in g.items)
    }


# ---- 2. perception gap -------------------------------------------------------------
def perception_gap(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    visible_roles: set[str] | None,
    leaders: SurveyFrame | None = None,
) -> list[Finding]:
    """Leaders rate pillars or practice areas much higher than front-line staff.

    ``visible_roles``: role option ids visible in the role breakdown of the scores (None
    when there is none; then only the group sizes are checked). ``leaders``: the
    organisation's leadership self-assessment campaign, compared with front-line staff.
    Called on its own, its tests are adjusted among themselves (see :mod:`.multiplicity`).
    """
    return run_alone(
        lambda run: perception_gap_tests(
            frame, settings=settings, visible_roles=visible_roles, leaders=leaders, run=run
        ),
        alpha=settings.alpha,
    )


def perception_gap_tests(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    visible_roles: set[str] | None,
    leaders: SurveyFrame | None = None,
    run: TestRun,
) -> Builder:
    """Register the tests of :func:`perception_gap` in ``run``; return its builder."""
    levels = frame.role_level()
    roles = _role_values(frame)
    m = frame.min_group_size
    frontline = levels.isin(settings.frontline_levels)
    frontline_ok = _group_visible(roles, levels, settings.frontline_levels, visible_roles)
    measures = frame.measures()
    builders: list[Builder] = []

    leader_mask = levels.isin(settings.leader_levels)
    if frontline_ok and _group_visible(roles, levels, settings.leader_levels, visible_roles):
        pairs = [(meas, meas, leader_mask, frontline) for meas in measures.values()]
        builders.append(
            _compare(
                pairs,
                source="roles",
                leader_label=_levels_label(settings.leader_levels).capitalize(),
                frontline_label=_levels_label(settings.frontline_levels),
                min_sizes=(m, m),
                settings=settings,
                run=run,
            )
        )
    if leaders is not None and len(leaders) > 0:
        # Without any role answers, all staff stand in for the front line.
        staff_mask = frontline if frontline.any() else pd.Series(True, index=levels.index)
        staff_ok = frontline_ok if frontline.any() else len(frame) >= m
        if staff_ok:
            theirs = leaders.measures()
            all_leaders = pd.Series(True, index=leaders.scored.index)
            pairs = [
                (theirs[key], meas, all_leaders, staff_mask)
                for key, meas in measures.items()
                if key in theirs
            ]
            builders.append(
                _compare(
                    pairs,
                    source="self-assessment",
                    leader_label="Leaders (self-assessment)",
                    source_note=f" in '{leaders.campaign.name}'",
                    frontline_label=_levels_label(settings.frontline_levels)
                    if frontline.any()
                    else "staff",
                    min_sizes=(leaders.min_group_size, m),
                    settings=settings,
                    run=run,
                )
            )
    return lambda: [s for build in builders for s in build()]


def _role_values(frame: SurveyFrame) -> pd.Series:
    for d in frame.instrument.demographics:
        if d.role_levels and d.id in frame.demographics.columns:
            return frame.demographics[d.id]
    return pd.Series(None, index=frame.scored.index, dtype=object)


def _group_visible(
    roles: pd.Series, levels: pd.Series, wanted: Collection[str], visible: set[str] | None
) -> bool:
    """A group of role levels may be shown when every role answer in it is a visible group
    (a combination with a hidden part would let someone subtract the hidden part)."""
    present = set(roles[levels.isin(wanted)].dropna())
    if not present:
        return False
    return visible is None or present <= visible


@dataclass(frozen=True)
class _MeasureGap:
    """Leaders against front-line staff on one measure (a perception gap's row)."""

    measure: Measure
    comparison: Comparison  # leaders minus front line
    leaders_percent: float  # percent positive
    frontline_percent: float
    key: str  # the test in the run


def _compare(
    pairs: list[tuple[Measure, Measure, pd.Series, pd.Series]],
    *,
    source: str,
    leader_label: str,
    frontline_label: str,
    min_sizes: tuple[int, int],
    settings: SignalSettings,
    run: TestRun,
    source_note: str = "",
) -> Builder:
    """One signal per kind of measure (pillars, practice areas) listing every gap found."""
    rows: list[_MeasureGap] = []
    for lead_m, staff_m, lead_mask, staff_mask in pairs:
        a = lead_m.scores[lead_mask].dropna()
        b = staff_m.scores[staff_mask].dropna()
        if len(a) < min_sizes[0] or len(b) < min_sizes[1]:
            continue  # a side below the minimum group size: nothing is computed
        cmp = welch(a.to_numpy(), b.to_numpy())
        pp_a = percent_positive(lead_m.positive[lead_mask])
        pp_b = percent_positive(staff_m.positive[staff_mask])
        key = run.add("perception_gap", f"{source}:{staff_m.kind}:{staff_m.id}", cmp.p_value)
        rows.append(_MeasureGap(staff_m, cmp, pp_a, pp_b, key))

    def build() -> list[Finding]:
        out = []
        for kind in ("pillar", "practice_area"):
            total = sum(1 for r in rows if r.measure.kind == kind)
            # Leaders higher by at least the smallest effect that counts...
            large = [
                r
                for r in rows
                if r.measure.kind == kind
                and r.comparison.difference > 0
                and r.comparison.hedges_g >= settings.perception_min_effect
            ]
            # ...and beyond chance across the run's tests, or only 'info'.
            supported = [r for r in large if run.significant(r.key)]
            if large:
                out.append(
                    _perception_signal(
                        supported or large,
                        supported=bool(supported),
                        total=total,
                        kind=kind,
                        source=source,
                        leader_label=leader_label,
                        frontline_label=frontline_label,
                        source_note=source_note,
                        settings=settings,
                        run=run,
                    )
                )
        return out

    return build


def _perception_signal(
    gaps: list[_MeasureGap],
    *,
    supported: bool,
    total: int,
    kind: str,
    source: str,
    leader_label: str,
    frontline_label: str,
    source_note: str,
    settings: SignalSettings,
    run: TestRun,
) -> Finding:
    gaps = sorted(gaps, key=lambda r: -r.comparison.hedges_g)
    critical = any(
        r.comparison.hedges_g >= settings.perception_critical_effect
        and r.leaders_percent - r.frontline_percent >= settings.perception_critical_points
        for r in gaps
    )
    severity = ("critical" if critical else "warning") if supported else "info"
    what = "pillars" if kind == "pillar" else "practice areas"
    top, top_cmp = gaps[0].measure, gaps[0].comparison
    evidence = Evidence().add(
        leaders_n=max(r.comparison.n1 for r in gaps),
        frontline_n=max(r.comparison.n2 for r in gaps),
        measures_compared=total,
        measures_with_gap=len(gaps),
        tests_in_run=run.size,
    )
    lines = []
    for gap in gaps:
        meas, cmp, key = gap.measure, gap.comparison, gap.key
        points = gap.leaders_percent - gap.frontline_percent
        evidence.add(
            **{
                f"{meas.id}.leaders_mean": cmp.mean1,
                f"{meas.id}.frontline_mean": cmp.mean2,
                f"{meas.id}.difference": cmp.difference,
                f"{meas.id}.hedges_g": cmp.hedges_g,
                f"{meas.id}.percent_points": points,
                f"{meas.id}.p_value": run.raw(key),
                f"{meas.id}.p_adjusted": run.adjusted(key),
            }
        )
        lines.append(
            f"{meas.title} {cmp.mean1:.2f} vs {cmp.mean2:.2f} "
            f"({points:+.0f} points positive, g = {cmp.hedges_g:.2f})"
        )
    if supported:
        tail = ". The people who set the culture see a better one than the people who work in it."
        title_tail = ""
    else:
        tail = (
            f". None of these differences is beyond chance across the {run.size} tests of "
            f"this run (false discovery rate {settings.alpha:g}): "
            f"{NOT_ENOUGH_EVIDENCE.lower()}."
        )
        title_tail = f" — {NOT_ENOUGH_EVIDENCE.lower()}"
    return Finding(
        id=f"perception_gap:{source}:{'pillars' if kind == 'pillar' else 'areas'}",
        kind="perception_gap",
        severity=severity,
        title=f"{leader_label} rate {len(gaps)} of {total} {what} higher than "
        f"{frontline_label} (largest: {top.title}, g = {top_cmp.hedges_g:.2f}){title_tail}",
        scope=(leader_label, frontline_label, *(r.measure.title for r in gaps)),
        evidence=evidence.values,
        explanation=(
            f"{leader_label}{source_note} see a better culture than {frontline_label} "
            f"on {len(gaps)} of {total} {what}: " + "; ".join(lines) + tail
        ),
        question=(
            f"What do {frontline_label} experience in '{top.title}' that leaders do "
            "not see, and how would leaders find out without a survey?"
        ),
        method=METHODS["perception_gap"],
    )


# ---- 3. awareness gap --------------------------------------------------------------
def awareness_gap(frame: SurveyFrame, *, settings: SignalSettings) -> list[Finding]:
    """People know a procedure exists but do not see it used (paired, per practice area)."""
    return run_alone(
        lambda run: awareness_gap_tests(frame, settings=settings, run=run), alpha=settings.alpha
    )


@dataclass(frozen=True)
class _Awareness:
    """Who knows a practice area's procedure and who sees it used (paired answers)."""

    area: PracticeArea
    n: int  # answered both
    aware_percent: float
    seen_percent: float
    aware_not_seen: int
    seen_not_aware: int
    key: str  # the test in the run


def awareness_gap_tests(frame: SurveyFrame, *, settings: SignalSettings, run: TestRun) -> Builder:
    """Register the tests of :func:`awareness_gap` in ``run``; return its builder."""
    rows: list[_Awareness] = []
    for area in frame.instrument.practice_areas:
        aware_ids = frame.items(kind="awareness", area=area.id)
        practice_ids = frame.items(kind="practice", area=area.id)
        if not aware_ids or not practice_ids:
            continue
        aware = frame.positive[aware_ids].mean(axis=1) >= 0.5
        aware_known = frame.positive[aware_ids].notna().any(axis=1)
        seen = frame.positive[practice_ids].mean(axis=1) >= 0.5
        seen_known = frame.positive[practice_ids].notna().any(axis=1)
        both = aware_known & seen_known
        n = int(both.sum())
        if n < frame.min_group_size:
            continue
        a, s = aware[both], seen[both]
        b = int((a & ~s).sum())  # aware but practice not seen
        c = int((~a & s).sum())
        key = run.add("awareness_gap", area.id, mcnemar_exact(b, c))
        rows.append(_Awareness(area, n, float(a.mean() * 100), float(s.mean() * 100), b, c, key))

    def build() -> list[Finding]:
        return [
            _awareness_signal(row, run, settings)
            for row in rows
            if row.aware_percent >= settings.awareness_high_percent
            and row.seen_percent < settings.awareness_practice_low_percent
            and row.aware_not_seen > row.seen_not_aware
        ]

    return build


def _awareness_signal(row: _Awareness, run: TestRun, settings: SignalSettings) -> Finding:
    area, n, key = row.area, row.n, row.key
    aware_pct, seen_pct = row.aware_percent, row.seen_percent
    b, c = row.aware_not_seen, row.seen_not_aware
    gap = aware_pct - seen_pct
    if not run.significant(key):
        severity = "info"
        title_tail = f" ({NOT_ENOUGH_EVIDENCE.lower()})"
        verdict = (
            f" The paired test across this run's findings (adjusted p = "
            f"{run.adjusted(key):.2g}) does not show the difference beyond chance: "
            f"{NOT_ENOUGH_EVIDENCE.lower()}."
        )
    else:
        severity = "critical" if gap >= settings.awareness_critical_points else "warning"
        title_tail = ""
        verdict = " A procedure everyone knows and nobody sees is a procedure on paper."
    return Finding(
        id=f"awareness_gap:{slug(area.id)}",
        kind="awareness_gap",
        severity=severity,
        title=f"{area.title}: {aware_pct:.0f}% know the procedure, "
        f"{seen_pct:.0f}% see it used{title_tail}",
        scope=(area.title,),
        evidence=Evidence()
        .add(
            n=n,
            aware_percent=aware_pct,
            practice_seen_percent=seen_pct,
            gap_points=gap,
            aware_not_seen=b,
            seen_not_aware=c,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"{aware_pct:.0f}% of respondents know that '{area.title}' exists, but "
            f"only {seen_pct:.0f}% see it used. {b} people know of it without seeing "
            "it in practice." + verdict
        ),
        question=(
            f"When was '{area.title}' last used, who used it, and what happened? "
            "What stops people from using a procedure they know about?"
        ),
        method=METHODS["awareness_gap"],
    )


# ---- 4. split culture --------------------------------------------------------------
def split_culture(result: ScoreResult | None, *, settings: SignalSettings) -> list[Finding]:
    """A visible group with a good mean on a pillar but low agreement (rwg(j) < .50)."""
    return run_alone(
        lambda run: split_culture_tests(result, settings=settings, run=run), alpha=settings.alpha
    )


def split_culture_tests(
    result: ScoreResult | None, *, settings: SignalSettings, run: TestRun
) -> Builder:
    """Register the tests of :func:`split_culture` in ``run``; return its builder."""
    found: list[_Split] = []
    if result is not None:
        for group in result.visible_groups:
            for d in group.dimensions:
                if not d.pillar or d.mean is None or d.rwg_j is None:
                    continue
                if d.mean < settings.split_good_mean or d.rwg_j >= settings.split_max_rwg_j:
                    continue
                n = d.rwg_j_n if d.rwg_j_n is not None else group.n or 0
                p = low_agreement_test(
                    d.rwg_j,
                    n_items=len(result.instrument.items_of(d.id)),
                    n=n,
                    below=settings.split_max_rwg_j,
                )
                key = run.add("split_culture", f"{slug(*group.by.values())}:{d.id}", p)
                found.append(_Split(group, d, n, key))

    def build() -> list[Finding]:
        return [_split_signal(split, run, settings) for split in found]

    return build


@dataclass(frozen=True)
class _Split:
    """A visible group's pillar with a good mean and low agreement."""

    group: GroupResult
    dimension: DimensionScore
    n: int  # the members behind its rwg(j)
    key: str  # the test in the run


def _split_signal(split: _Split, run: TestRun, settings: SignalSettings) -> Finding:
    group, d, n, key = split.group, split.dimension, split.n, split.key
    label = ", ".join(f"{k}: {v}" for k, v in group.by.items())
    supported = run.significant(key)
    if supported:
        verdict = " The average hides two different experiences."
        title_tail = ""
    else:
        verdict = (
            f" With {n} people, this is not beyond chance across the run's tests (adjusted "
            f"p = {run.adjusted(key):.2g}): {NOT_ENOUGH_EVIDENCE.lower()}."
        )
        title_tail = f" ({NOT_ENOUGH_EVIDENCE.lower()})"
    return Finding(
        id=f"split_culture:{slug(*group.by.values())}:{slug(d.id)}",
        kind="split_culture",
        severity="warning" if supported else "info",
        title=f"{group.label}: {d.title} averages {d.mean:.2f} but agreement "
        f"is low (rwg(j) {d.rwg_j:.2f}){title_tail}",
        scope=(label, d.title),
        evidence=Evidence()
        .add(
            n=group.n,
            rwg_j_n=n,
            mean=d.mean,
            sd=d.sd,
            rwg_j=d.rwg_j,
            percent_positive=d.percent_positive,
            percent_negative=d.percent_negative,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"'{d.title}' in {group.label} looks good on average ({d.mean:.2f}), "
            f"but people disagree strongly (rwg(j) = {d.rwg_j:.2f}, below "
            f"{settings.split_max_rwg_j:.2f}): {_pct(d.percent_negative)} answer "
            "negatively." + verdict
        ),
        question=(
            f"Who in {group.label} experiences '{d.title}' differently — a "
            "sub-team, a shift, newcomers — and why?"
        ),
        method=METHODS["split_culture"],
    )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f}%"


# ---- 5. speak-up paradox -----------------------------------------------------------
def reported_at_least_once(frame: SurveyFrame, settings: SignalSettings) -> pd.Series:
    """Per respondent: 1.0 reported at least once, 0.0 never, NaN without a score.

    The same rule as the scores' behaviour dimensions: a person counts only when they
    answered at least half of the reporting items (the rule of every dimension score), so
    the share here is the dimension's percent positive in the scores.
    """
    ids = [i.id for i in frame.instrument.items_of(settings.reporting_dimension)] or frame.items(
        kind="behaviour"
    )
    if not ids:
        return pd.Series(np.nan, index=frame.scored.index)
    answered = frame.positive[ids].notna().sum(axis=1)
    return frame.positive[ids].max(axis=1).where(answered * 2 >= len(ids))


def speak_up_paradox(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    groups: ScoreResult | None = None,
    previous: SurveyFrame | None = None,
) -> list[Finding]:
    """High psychological safety but few reports, or reports falling while scores rise."""
    return run_alone(
        lambda run: speak_up_paradox_tests(
            frame, settings=settings, groups=groups, previous=previous, run=run
        ),
        alpha=settings.alpha,
    )


def speak_up_paradox_tests(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    groups: ScoreResult | None = None,
    previous: SurveyFrame | None = None,
    run: TestRun,
) -> Builder:
    """Register the tests of :func:`speak_up_paradox` in ``run``; return its builder."""
    psych_dim = frame.instrument.dimension_by_id.get(settings.psych_dimension)
    if psych_dim is None:
        return lambda: []
    psych_ids = [i.id for i in frame.instrument.items_of(psych_dim.id)]
    reported = reported_at_least_once(frame, settings)
    known = reported.notna()
    m = frame.min_group_size
    if known.sum() < m:
        return lambda: []
    pending: list[Callable[[], Finding]] = []  # each makes its finding once the run is adjusted
    psych_pp = percent_positive(frame.positive[psych_ids])
    x_all, n_all = int(reported[known].sum()), int(known.sum())
    share = x_all / n_all * 100
    psych_title = psych_dim.title.lower()

    def signal(
        key: str,
        scope: tuple[str, ...],
        title: str,
        evidence: dict[str, float],
        text: str,
        q: str,
        *,
        test: str,
    ) -> Callable[[], Finding]:
        def make() -> Finding:
            supported = run.significant(test)
            tail = (
                ""
                if supported
                else f" The test across this run's findings (adjusted p = "
                f"{run.adjusted(test):.2g}) does not show this beyond chance: "
                f"{NOT_ENOUGH_EVIDENCE.lower()}."
            )
            return Finding(
                id=f"speak_up_paradox:{key}",
                kind="speak_up_paradox",
                severity="warning" if supported else "info",
                title=title + ("" if supported else f" ({NOT_ENOUGH_EVIDENCE.lower()})"),
                scope=scope,
                evidence={
                    **evidence,
                    **Evidence().add(p_value=run.raw(test), p_adjusted=run.adjusted(test)).values,
                },
                explanation=text + tail,
                question=q,
                method=METHODS["speak_up_paradox"],
            )

        return make

    if psych_pp >= settings.psych_high_percent and share < settings.reporting_low_percent:
        # Is the share reporting below the threshold beyond chance? (exact, one-sided)
        p = stats.binomtest(x_all, n_all, settings.reporting_low_percent / 100, "less").pvalue
        test = run.add("speak_up_paradox", "organisation", float(p))
        pending.append(
            signal(
                "organisation",
                ("whole organisation",),
                f"{psych_pp:.0f}% feel safe to speak up, but only {share:.0f}% reported anything",
                Evidence()
                .add(n=n_all, psych_safety_percent_positive=psych_pp, reporting_percent=share)
                .values,
                f"{psych_pp:.0f}% answer positively on {psych_title}, yet only "
                f"{share:.0f}% raised a concern or reported an incident at least once. "
                "Either there is little to report, or speaking up is safe on paper only.",
                "If people feel safe to speak up, where are the reports? Is reporting easy, "
                "and do reports lead anywhere?",
                test=test,
            )
        )

    # Teams that feel safe but report much less than everyone else.
    field = settings.split_by
    if groups is not None and field in frame.demographics.columns:
        for g in groups.visible_groups:
            d = g.dimension(psych_dim.id)
            if d is None or d.percent_positive is None or field not in g.by:
                continue
            if d.percent_positive < settings.psych_high_percent:
                continue
            in_team = (frame.demographics[field] == g.by[field]) & known
            rest = ~(frame.demographics[field] == g.by[field]) & known
            if in_team.sum() < m or rest.sum() < m:
                continue
            x1, n1 = int(reported[in_team].sum()), int(in_team.sum())
            x2, n2 = int(reported[rest].sum()), int(rest.sum())
            p = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="less").pvalue
            test = run.add("speak_up_paradox", slug(field, g.by[field]), float(p))
            pp, team_share, rest_share = d.percent_positive, x1 / n1 * 100, x2 / n2 * 100
            if rest_share - team_share < settings.reporting_gap_points:
                continue
            pending.append(
                signal(
                    slug(field, g.by[field]),
                    (f"{field}: {g.by[field]}",),
                    f"{g.label}: {pp:.0f}% feel safe to speak up, but {team_share:.0f}% "
                    f"reported anything (rest: {rest_share:.0f}%)",
                    Evidence()
                    .add(
                        n=n1,
                        psych_safety_percent_positive=pp,
                        reporting_percent=team_share,
                        rest_reporting_percent=rest_share,
                        difference_points=team_share - rest_share,
                    )
                    .values,
                    f"In {g.label}, {pp:.0f}% answer positively on {psych_title}, but only "
                    f"{team_share:.0f}% reported a concern or incident, against "
                    f"{rest_share:.0f}% in the rest of the organisation.",
                    f"Does {g.label} have less to report, or do its concerns go somewhere "
                    "other than the reporting channels?",
                    test=test,
                )
            )

    # Reporting falling since the previous campaign while psychological safety rises.
    if previous is not None and psych_dim.id in previous.persons.columns:
        before = reported_at_least_once(previous, settings)
        prev_known = before.notna()
        now_psych = frame.persons[psych_dim.id].dropna()
        prev_psych = previous.persons[psych_dim.id].dropna()
        if prev_known.sum() >= previous.min_group_size and len(prev_psych) >= m:
            x2, n2 = int(before[prev_known].sum()), int(prev_known.sum())
            prev_share = x2 / n2 * 100
            result = two_proportion_test(x_all, n_all, x2, n2)
            test = run.add("speak_up_paradox", "trend", result.p_value)
            rise = float(now_psych.mean() - prev_psych.mean())
            drop = prev_share - share
            if drop >= settings.reporting_drop_points and rise > 0:
                pending.append(
                    signal(
                        "trend",
                        ("whole organisation", f"since {previous.campaign.name}"),
                        f"Reporting fell from {prev_share:.0f}% to {share:.0f}% while "
                        f"{psych_title} rose",
                        Evidence()
                        .add(
                            n=n_all,
                            previous_n=n2,
                            reporting_percent=share,
                            previous_reporting_percent=prev_share,
                            drop_points=drop,
                            psych_safety_mean=float(now_psych.mean()),
                            previous_psych_safety_mean=float(prev_psych.mean()),
                        )
                        .values,
                        f"Since {previous.campaign.name}, the share of people who reported a "
                        f"concern or incident fell from {prev_share:.0f}% to {share:.0f}%, "
                        f"while {psych_title} rose by {rise:.2f} points. Feeling safer should "
                        "not mean reporting less.",
                        "What changed in how concerns are raised or handled since the last "
                        "survey? Were channels changed, or were earlier reports ignored?",
                        test=test,
                    )
                )
    return lambda: [make() for make in pending]


# ---- 7. participation bias ---------------------------------------------------------
def participation_bias(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
) -> list[Finding]:
    """Low response rate in a segment, or leaders responding far more than staff.

    ``breakdowns`` maps each headcount field to the scores by that field, whose group
    visibility decides which segments' numbers may be shown.
    """
    return run_alone(
        lambda run: participation_bias_tests(
            frame, settings=settings, breakdowns=breakdowns, run=run
        ),
        alpha=settings.alpha,
    )


def participation_bias_tests(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
    run: TestRun,
) -> Builder:
    """Register the tests of :func:`participation_bias` in ``run``; return its builder."""
    m = frame.min_group_size
    facts: list[Finding] = []  # hidden segments: a count against a known headcount, no test
    tests: list[_Segment] = []
    for field, heads in sorted(frame.campaign.headcounts.items()):
        result = breakdowns.get(field)
        if result is None or field not in frame.demographics.columns or not heads:
            continue
        counts = frame.demographics[field].value_counts()
        visible = visible_values(result, field) or set()
        total_n = int(sum(int(counts.get(v, 0)) for v in heads))
        total_h = int(sum(int(h) for h in heads.values()))
        for value, h in sorted(heads.items()):
            h = int(h)
            n = int(counts.get(value, 0))
            if h <= 0:
                continue
            if value not in visible:
                if n < m and (m - 1) / h < settings.participation_low_rate:
                    facts.append(_hidden_segment(field, value, h, m, settings))
                continue
            rest_n, rest_h = total_n - n, total_h - h
            if n > h or rest_h <= 0 or rest_n > rest_h:
                continue  # headcounts that do not fit the responses: no rate to test
            rest_rate = rest_n / rest_h
            p = (
                stats.binomtest(n, h, rest_rate, alternative="less").pvalue
                if rest_rate
                else float("nan")  # nobody else responded: no rate to compare with
            )
            key = run.add("participation_bias", slug(field, value), float(p))
            tests.append(_Segment(field, value, n, h, rest_rate, key))
    leader = _leader_participation(frame, settings=settings, breakdowns=breakdowns, run=run)

    def build() -> list[Finding]:
        out = list(facts)
        for segment in tests:
            rate = segment.responses / segment.headcount
            low = rate < settings.participation_low_rate or (
                rate < settings.participation_relative * segment.rest_rate
            )
            if low:
                out.append(_segment_signal(segment, run))
        return out + leader()

    return build


@dataclass(frozen=True)
class _Segment:
    """A shown segment's responses against its headcount, and the rest's response rate."""

    field: str
    value: str
    responses: int
    headcount: int
    rest_rate: float
    key: str  # the test in the run


def _segment_signal(segment: _Segment, run: TestRun) -> Finding:
    field, value, key = segment.field, segment.value, segment.key
    n, h, rest_rate = segment.responses, segment.headcount, segment.rest_rate
    rate = n / h
    supported = run.significant(key)
    tail = (
        ""
        if supported
        else f" Against the rest's rate this is not beyond chance across the run's tests "
        f"(adjusted p = {run.adjusted(key):.2g}): {NOT_ENOUGH_EVIDENCE.lower()}."
    )
    return Finding(
        id=f"participation_bias:{slug(field, value)}",
        kind="participation_bias",
        severity="warning" if supported else "info",
        title=f"{field}: {value} — {rate * 100:.0f}% responded "
        f"(rest: {rest_rate * 100:.0f}%)"
        + ("" if supported else f" ({NOT_ENOUGH_EVIDENCE.lower()})"),
        scope=(f"{field}: {value}",),
        evidence=Evidence()
        .add(
            responses=n,
            headcount=h,
            response_rate_percent=rate * 100,
            rest_response_rate_percent=rest_rate * 100,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"Only {n} of {h} people in {field} '{value}' responded "
            f"({rate * 100:.0f}%, against {rest_rate * 100:.0f}% elsewhere). "
            "The results speak for the people who chose to answer; the silent "
            "ones may see things differently." + tail
        ),
        question=(
            f"Why did so few in '{value}' respond: no time, no access, no trust "
            "that answers stay confidential, or no belief that anything changes?"
        ),
        method=METHODS["participation_bias"],
    )


def _hidden_segment(field: str, value: str, h: int, m: int, settings: SignalSettings) -> Finding:
    ceiling = (m - 1) / h * 100
    return Finding(
        id=f"participation_bias:{slug(field, value)}",
        kind="participation_bias",
        severity="warning",
        title=f"{field}: {value} — fewer than {m} responses from {h} people",
        scope=(f"{field}: {value}",),
        evidence=Evidence().add(headcount=h, min_group_size=m).values,
        explanation=(
            f"{field.capitalize()} '{value}' has {h} people but fewer than {m} responses, so "
            f"fewer than {ceiling:.0f}% answered and its results are hidden. Its view is "
            "missing from everything shown."
        ),
        question=(
            f"What would it take for people in '{value}' to answer: time, access, or trust "
            "that their answers stay confidential?"
        ),
        method=METHODS["participation_bias"],
    )


def _leader_participation(
    frame: SurveyFrame,
    *,
    settings: SignalSettings,
    breakdowns: dict[str, ScoreResult],
    run: TestRun,
) -> Builder:
    role = next((d for d in frame.instrument.demographics if d.role_levels), None)
    if role is None or role.id not in frame.campaign.headcounts:
        return lambda: []
    heads = frame.campaign.headcounts[role.id]
    visible = visible_values(breakdowns.get(role.id), role.id) or set()
    counts: pd.Series | dict[str, int] = (
        frame.demographics[role.id].value_counts() if role.id in frame.demographics else {}
    )

    def side(levels: Collection[str]) -> tuple[int, int] | None:
        values = [v for v, lvl in role.role_levels.items() if lvl in levels and v in heads]
        if not values or any(v not in visible for v in values):
            return None  # a hidden part: no numbers for the whole side
        return sum(int(counts.get(v, 0)) for v in values), sum(int(heads[v]) for v in values)

    lead = side(settings.participation_leader_levels)
    staff = side(settings.frontline_levels)
    if lead is None or staff is None or 0 in (lead[1], staff[1]):
        return lambda: []
    (nl, hl), (ns, hs) = lead, staff
    if nl > hl or ns > hs or ns == 0:
        return lambda: []
    p = stats.chi2_contingency([[nl, hl - nl], [ns, hs - ns]]).pvalue
    key = run.add("participation_bias", "leaders-vs-staff", float(p))
    if nl / hl < settings.participation_leader_ratio * (ns / hs):
        return lambda: []
    return lambda: [_leader_signal(settings, nl, hl, ns, hs, key, run)]


def _leader_signal(
    settings: SignalSettings, nl: int, hl: int, ns: int, hs: int, key: str, run: TestRun
) -> Finding:
    rl, rs = nl / hl, ns / hs
    supported = run.significant(key)
    leaders = _levels_label(settings.participation_leader_levels)
    staff_label = _levels_label(settings.frontline_levels)
    return Finding(
        id="participation_bias:leaders-vs-staff",
        kind="participation_bias",
        severity="warning" if supported else "info",
        title=f"{leaders.capitalize()} responded {rl * 100:.0f}%, {staff_label} "
        f"{rs * 100:.0f}%" + ("" if supported else f" ({NOT_ENOUGH_EVIDENCE.lower()})"),
        scope=(leaders, staff_label),
        evidence=Evidence()
        .add(
            leader_responses=nl,
            leader_headcount=hl,
            leader_rate_percent=rl * 100,
            staff_responses=ns,
            staff_headcount=hs,
            staff_rate_percent=rs * 100,
            ratio=rl / rs,
            p_value=run.raw(key),
            p_adjusted=run.adjusted(key),
        )
        .values,
        explanation=(
            f"{leaders.capitalize()} answered {rl / rs:.1f} times as often as "
            f"{staff_label} ({rl * 100:.0f}% against {rs * 100:.0f}%). Overall results "
            "lean towards the leaders' view."
            + (
                ""
                if supported
                else f" The difference is not beyond chance across the run's tests "
                f"(adjusted p = {run.adjusted(key):.2g}): {NOT_ENOUGH_EVIDENCE.lower()}."
            )
        ),
        question=(
            f"Did {staff_label} have the time and access to respond, and do they trust "
            "that the survey is confidential and leads somewhere?"
        ),
        method=METHODS["participation_bias"],
    )


# ---- 8. response-pattern integrity -------------------------------------------------
def response_integrity(frame: SurveyFrame, *, settings: SignalSettings) -> list[Finding]:
    """Straight-lining across reverse-keyed pairs and all-neutral answers (counts only)."""
    n = len(frame)
    if n < frame.min_group_size:
        return []
    inst = frame.instrument
    raw = frame.raw.astype(float)
    answered = raw.copy()
    for item in inst.items:
        na = inst.scale_of(item).na_code
        if na is not None:
            answered.loc[answered[item.id] == na, item.id] = np.nan
    pairs = sorted(
        {
            tuple(sorted((i.id, i.pair)))
            for i in inst.items
            if i.pair in inst.item_by_id and inst.item_by_id[i.pair].reverse != i.reverse
        }
    )
    out: list[Finding] = []
    if pairs:
        flagged = np.zeros(n)
        counted = np.zeros(n)
        for a, b in pairs:
            top = inst.scale_of(a).points
            x, y = answered[a].to_numpy(), answered[b].to_numpy()
            both = ~np.isnan(x) & ~np.isnan(y)
            same_extreme = both & (x == y) & ((x == 1) | (x == top))
            flagged += same_extreme
            counted += both
        straight = (flagged >= settings.pattern_min_pairs) & (flagged * 2 >= counted)
        k = int(straight.sum())
        if k:
            out.append(
                _integrity(
                    "straight-lining",
                    k,
                    n,
                    settings,
                    f"{k} of {n} respondents gave the same extreme answer to oppositely "
                    "worded questions (for example agreeing strongly both that leaders choose "
                    "safety and that they cut it first).",
                    evidence={"pairs_checked": len(pairs)},
                )
            )
    neutral_ids = [
        i.id for i in inst.items if i.kind != "behaviour" and len(inst.scale_of(i).neutral) == 1
    ]
    if neutral_ids:
        block = answered[neutral_ids]
        mid = pd.Series({i: inst.scale_of(i).neutral[0] for i in neutral_ids})
        count = block.notna().sum(axis=1)
        all_mid = (block.eq(mid) | block.isna()).all(axis=1) & (
            count >= settings.all_neutral_min_items
        )
        k = int(all_mid.sum())
        if k:
            out.append(
                _integrity(
                    "all-neutral",
                    k,
                    n,
                    settings,
                    f"{k} of {n} respondents answered every question with the middle "
                    "option ('neither agree nor disagree').",
                    evidence={"items_required": settings.all_neutral_min_items},
                )
            )
    return out


def _integrity(
    pattern: str, k: int, n: int, settings: SignalSettings, text: str, evidence: dict[str, float]
) -> Finding:
    share = k / n * 100
    return Finding(
        id=f"response_integrity:{pattern}",
        kind="response_integrity",
        severity="warning" if share >= settings.pattern_warning_percent else "info",
        title=f"{pattern.capitalize()}: {k} respondents ({share:.1f}%)",
        scope=("whole campaign",),
        evidence=Evidence().add(respondents=n, flagged=k, flagged_percent=share, **evidence).values,
        explanation=text
        + " Their answers add noise or hide a view; individual responses are not shown.",
        question=(
            "Did people have enough time and privacy to answer, and do they believe the "
            "survey matters? Consider re-running results without these responses."
        ),
        method=METHODS["response_integrity"],
    )
