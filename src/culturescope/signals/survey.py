"""Signals read from the survey answers: perception gap, awareness gap, split culture and
the speak-up paradox (docs/design/signals.md). Participation bias is in
:mod:`.participation`, response-pattern integrity in :mod:`.integrity`.

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


def levels_label(levels: Collection[str]) -> str:
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
                leader_label=levels_label(settings.leader_levels).capitalize(),
                frontline_label=levels_label(settings.frontline_levels),
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
                    frontline_label=levels_label(settings.frontline_levels)
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
    # The title, the headline's "most of all" and the question name one area: the largest
    # difference in points, the unit a lead reads (the title adds its effect size). On
    # ties the larger effect size comes first.
    felt_gap = max(gaps, key=lambda r: r.leaders_percent - r.frontline_percent)
    felt = felt_gap.measure
    felt_points = felt_gap.leaders_percent - felt_gap.frontline_percent
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
        f"{frontline_label} (largest: {felt.title}, {felt_points:+.0f} points, "
        f"g = {felt_gap.comparison.hedges_g:.2f}){title_tail}",
        scope=(leader_label, frontline_label, *(r.measure.title for r in gaps)),
        evidence=evidence.values,
        explanation=(
            f"{leader_label}{source_note} see a better culture than {frontline_label} "
            f"on {len(gaps)} of {total} {what}: " + "; ".join(lines) + tail
        ),
        question=(
            f"What do {frontline_label} experience in '{felt.title}' that leaders do "
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
