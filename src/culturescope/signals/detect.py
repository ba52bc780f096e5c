"""Run every signal over one campaign: :func:`detect_signals` and :func:`analyse`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from culturescope import Cancelled
from culturescope.policies.register import Policy, policies
from culturescope.scoring.results import ScoreResult
from culturescope.signal_setup import setup_not_checked
from culturescope.signals.inputs import SurveyFrame
from culturescope.signals.integrity import response_integrity
from culturescope.signals.model import Finding, SignalSettings, severity_sort
from culturescope.signals.multiplicity import TestRun
from culturescope.signals.participation import participation_bias_tests
from culturescope.signals.policy import (
    AreaPractice,
    area_practice,
    policy_practice_gap_tests,
    stale_commitments,
)
from culturescope.signals.survey import (
    awareness_gap_tests,
    perception_gap_tests,
    speak_up_paradox_tests,
    split_culture_tests,
    visible_values,
)
from culturescope.storage import Campaign, ResponseData, Store

Progress = Callable[[float, str], None]


@dataclass
class SignalAnalysis:
    """Everything the Signals page shows: the signals and what their charts need."""

    campaign: Campaign
    signals: list[Finding]
    settings: SignalSettings
    areas: list[AreaPractice] = field(default_factory=list)  # claimed vs practice per area
    overall: ScoreResult | None = None
    by_role: ScoreResult | None = None  # leaders vs front-line per pillar
    register: list[Policy] = field(default_factory=list)
    leadership_campaign: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Checks that could not run for want of data, as "what (why)": an empty signal list
    #: is an all-clear only for the checks that ran.
    not_checked: list[str] = field(default_factory=list)
    #: Every test of the run as (key, raw p, Benjamini–Hochberg adjusted p).
    tests: list[tuple[str, float, float]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"critical": 0, "warning": 0, "info": 0}
        for s in self.signals:
            out[s.severity] += 1
        return out


def detect_signals(
    store: Store,
    campaign_ref: str | int,
    *,
    settings: SignalSettings | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    today: dt.date | None = None,
    responses: Mapping[int, ResponseData] | None = None,
    scores: Mapping[tuple[str, ...], ScoreResult] | None = None,
) -> list[Finding]:
    """All safety-washing signals of a campaign, most severe first.

    Parameters
    ----------
    store : Store
        The database.
    campaign_ref : str or int
        Campaign name or id.
    settings : SignalSettings, optional
        Thresholds; the documented defaults when omitted.
    progress, is_cancelled : callable, optional
        Progress callback ``(fraction, message)`` and cancellation check; cancelling
        raises :class:`culturescope.Cancelled`.
    today : datetime.date, optional
        The date overdue reviews are judged against (default: today).
    responses : mapping of campaign id to ResponseData, optional
        Responses the caller has already loaded (the campaign's, the previous campaign's),
        used instead of reading them from the store again.
    scores : mapping of breakdown fields to ScoreResult, optional
        Scores of the campaign the caller already has, by breakdown (``()`` for overall),
        made with the campaign's minimum group size; used instead of scoring again.
    """
    return analyse(
        store,
        campaign_ref,
        settings=settings,
        progress=progress,
        is_cancelled=is_cancelled,
        today=today,
        responses=responses,
        scores=scores,
    ).signals


def analyse(
    store: Store,
    campaign_ref: str | int,
    *,
    settings: SignalSettings | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    today: dt.date | None = None,
    responses: Mapping[int, ResponseData] | None = None,
    scores: Mapping[tuple[str, ...], ScoreResult] | None = None,
) -> SignalAnalysis:
    """Like :func:`detect_signals`, also returning what the charts need."""
    from culturescope.scoring import score_campaign

    settings = settings or SignalSettings()
    report = progress or (lambda _f, _m: None)

    def step(fraction: float, message: str) -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("signal detection cancelled")
        report(fraction, message)

    step(0.0, "loading responses")
    campaign = store.campaign(campaign_ref)

    def load(c: Campaign) -> ResponseData:
        if responses is not None and c.id in responses:
            return responses[c.id]
        return store.load_responses(c.id)

    data = load(campaign)
    frame = SurveyFrame.from_data(campaign, data)
    inst = frame.instrument
    notes: list[str] = []

    def score(by: tuple[str, ...] = ()) -> ScoreResult:
        if scores is not None and by in scores:
            return scores[by]
        return score_campaign(
            data, campaign=campaign.name, by=by, min_group_size=campaign.min_group_size
        )

    step(0.15, "scoring")
    overall = score()
    fields = {settings.split_by} | set(campaign.headcounts)
    role = next((d.id for d in inst.demographics if d.role_levels), None)
    if role is not None:
        fields.add(role)
    breakdowns: dict[str, ScoreResult] = {}
    for n, name in enumerate(sorted(f for f in fields if f in inst.demographic_by_id)):
        step(0.15 + 0.35 * n / max(1, len(fields)), f"scoring by {name}")
        breakdowns[name] = score((name,))

    step(0.5, "reading the previous campaign")
    previous = None
    if campaign.previous_campaign_id is not None:
        prev = store.campaign(campaign.previous_campaign_id)
        previous = SurveyFrame.from_data(prev, load(prev))
    leaders = _leadership_frame(store, campaign)

    step(0.6, "reading the policy register")
    register = policies(store, campaign.organisation, include_removed=True)
    current_register = [p for p in register if not p.removed]
    not_checked = setup_not_checked(campaign, register)
    if not current_register:
        notes.append("No policy register: add policies to compare what is said with practice.")

    # Every test of the run is one family (Benjamini–Hochberg): signals are built only
    # once all tests are in and the adjusted p-values are known (.multiplicity).
    run = TestRun(alpha=settings.alpha)
    builders = []
    step(0.65, "policy–practice gap")
    builders.append(
        policy_practice_gap_tests(current_register, overall, settings=settings, run=run)
    )
    step(0.7, "perception gap")
    builders.append(
        perception_gap_tests(
            frame,
            settings=settings,
            visible_roles=visible_values(breakdowns.get(role), role) if role else None,
            leaders=leaders,
            run=run,
        )
    )
    step(0.8, "awareness, agreement and reporting")
    builders.append(awareness_gap_tests(frame, settings=settings, run=run))
    builders.append(
        split_culture_tests(breakdowns.get(settings.split_by), settings=settings, run=run)
    )
    builders.append(
        speak_up_paradox_tests(
            frame,
            settings=settings,
            groups=breakdowns.get(settings.split_by),
            previous=previous,
            run=run,
        )
    )
    step(0.9, "participation and response patterns")
    builders.append(
        participation_bias_tests(frame, settings=settings, breakdowns=breakdowns, run=run)
    )
    run.close()
    signals: list[Finding] = [s for build in builders for s in build()]
    signals += stale_commitments(register, settings=settings, today=today)
    signals += response_integrity(frame, settings=settings)
    if run.size:
        notes.append(
            f"{run.size} statistical test{'s' * (run.size != 1)} in this run; the false "
            f"discovery rate is controlled at {settings.alpha:g} across all of them "
            "(Benjamini–Hochberg)."
        )
    if not campaign.headcounts:
        notes.append("No headcounts: response rates per segment cannot be checked.")
    if len(frame) < campaign.min_group_size:
        notes.append(
            f"Fewer than {campaign.min_group_size} responses: survey-based signals are not shown."
        )
        not_checked.append(f"survey-based signals (fewer than {campaign.min_group_size} responses)")
    step(1.0, "signals ready")
    return SignalAnalysis(
        campaign=campaign,
        signals=severity_sort(signals),
        settings=settings,
        areas=area_practice(current_register, overall),
        overall=overall,
        by_role=breakdowns.get(role) if role else None,
        register=register,
        leadership_campaign=leaders.campaign.name if leaders is not None else None,
        notes=notes,
        not_checked=not_checked,
        tests=run.tests(),
    )


def leadership_campaign(store: Store, campaign: Campaign) -> Campaign | None:
    """The organisation's leadership self-assessment closest in time to ``campaign``."""
    when = campaign.opens_on or campaign.created_on
    best: tuple[int, int, Campaign] | None = None
    for c in store.campaigns():
        if c.id == campaign.id or c.organisation != campaign.organisation:
            continue
        if c.response_count == 0:
            continue
        if store.instrument(c.instrument_key).respondent_kind != "leaders":
            continue
        distance = abs(((c.opens_on or c.created_on) - when).days)
        key = (distance, -c.id, c)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _leadership_frame(store: Store, campaign: Campaign) -> SurveyFrame | None:
    if store.instrument(campaign.instrument_key).respondent_kind == "leaders":
        return None
    found = leadership_campaign(store, campaign)
    if found is None:
        return None
    return SurveyFrame.from_data(found, store.load_responses(found.id))
