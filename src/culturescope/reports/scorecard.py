"""Everything a scorecard shows, gathered once and rendered by the PDF, Excel and chart writers.

:func:`build_scorecard` reads a campaign from the store; the writers take the resulting
:class:`Scorecard` so they can be tested with hand-built data. Confidentiality
(docs/design/confidentiality.md) is already applied by the scoring engine (hidden groups
carry no numbers); this module adds the comment threshold (comments only for groups of at
least ``min_comment_group_size`` responses, with the same differencing protection as the
scores, never with demographics).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from culturescope import Cancelled
from culturescope.instruments import Band, Instrument
from culturescope.reports.charts import GroupComparisonRow, PolicyPracticeRow
from culturescope.scoring.results import DimensionScore, GroupResult, ItemScore, ScoreResult

if TYPE_CHECKING:  # imported where used: the signals and the trend load on demand
    import pandas as pd

    from culturescope.scoring.trend import TrendResult
    from culturescope.signals import Finding, SignalSettings
    from culturescope.storage import Campaign, ResponseData, Store

Progress = Callable[[float, str], None]
IsCancelled = Callable[[], bool]

#: Policy statuses from weakest to strongest (matches culturescope.policies.STATUSES).
STATUS_RANK = ("drafted", "approved", "implemented", "audited")
#: Item kinds that the strengths / areas for improvement are chosen from.
RANKED_KINDS = ("attitude", "practice")


@dataclass(frozen=True)
class CommentSet:
    """The comments to one prompt, for one audience (overall or one visible team)."""

    prompt_id: str
    prompt: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class PolicySummary:
    """One policy of the register as the scorecard shows it."""

    title: str
    status: str
    owner: str
    practice_areas: tuple[str, ...]
    evidence: str
    review_on: dt.date | None
    adopted_on: dt.date | None
    version: int = 1

    def overdue(self, today: dt.date) -> bool:
        return self.review_on is not None and self.review_on < today


@dataclass(frozen=True)
class Scorecard:
    """The content of one scorecard (PDF, Excel and charts render the same object).

    ``signals`` is None when the signals engine is not available (the report says so),
    a list (possibly empty) otherwise; ``policies`` likewise for the policy register.
    """

    organisation: str
    campaign: str
    result: ScoreResult
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    #: "campaign" (its own dates), "responses" (from the responses' dates) or "none".
    period_basis: str = "campaign"
    generated_on: dt.date = field(default_factory=dt.date.today)
    previous: ScoreResult | None = None
    #: The tested change since the previous campaign on matching items (scoring.trend).
    trend: TrendResult | None = None
    leaders_vs_frontline: tuple[GroupComparisonRow, ...] = ()
    signals: tuple[Finding, ...] | None = None
    #: Signal checks that could not run for want of data, as "what (why)".
    signals_not_checked: tuple[str, ...] = ()
    policies: tuple[PolicySummary, ...] | None = None
    practice: tuple[PolicyPracticeRow, ...] = ()
    comments: tuple[CommentSet, ...] = ()
    comments_withheld: str | None = None  # why comments are not shown, if they are not
    team_comments: dict[str, tuple[CommentSet, ...]] = field(default_factory=dict)
    #: Shown groups (by label) whose comments are withheld, and why: "fewer than 10
    #: responses" or "hidden to protect a smaller group" (differencing, see team_comments).
    team_comments_withheld: dict[str, str] = field(default_factory=dict)
    min_comment_group_size: int = 10
    language: str = "en"

    @property
    def instrument(self) -> Instrument:
        return self.result.instrument

    def pillar_scores(self) -> list[DimensionScore]:
        dims = [d for d in self.result.dimensions if d.pillar]
        return dims or list(self.result.dimensions)

    def strengths(self, k: int = 3) -> list[ItemScore]:
        """Items with the highest percent positive (attitude and practice items only)."""
        rated = [i for i in self._ranked_items() if i.percent_positive is not None]
        return sorted(rated, key=lambda i: -_positive(i))[:k]

    def improvements(self, k: int = 3) -> list[ItemScore]:
        rated = [i for i in self._ranked_items() if i.percent_positive is not None]
        return sorted(rated, key=_positive)[:k]

    def _ranked_items(self) -> list[ItemScore]:
        """Items that may be called a strength or an area for improvement of the culture:
        attitudes (the pillars) and practices seen in use. Awareness items (knowing that a
        procedure exists) are not a strength of culture — 85% knowing that audits exist
        says nothing about whether they happen — and behaviour items (how often did you
        report...) are not favourable or unfavourable answers."""
        inst = self.instrument
        return [
            i
            for i in self.result.items
            if i.n > 0
            and (i.id not in inst.item_by_id or inst.item_by_id[i.id].kind in RANKED_KINDS)
        ]

    def signal_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.signals or ():
            sev = str(getattr(s, "severity", "unknown")).lower()
            counts[sev] = counts.get(sev, 0) + 1
        return counts


def counted(texts: Sequence[str]) -> list[tuple[str, int]]:
    """Identical comments once, with how often they were written (most frequent first)."""
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def not_checked_text(card: Scorecard) -> str:
    """One sentence naming the signal checks that could not run ("" if all ran)."""
    from culturescope.signal_setup import not_checked_sentence

    return not_checked_sentence(card.signals_not_checked)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``singular`` for 1, else the plural ("policy"/"policies", "warning"/"warnings")."""
    return singular if n == 1 else (plural_form or singular + "s")


def severity_word(severity: str, n: int) -> str:
    """A signal severity after a count: "1 warning", "3 warnings", "2 critical", "1 info"."""
    return plural(n, severity) if severity == "warning" else severity


def survey_period(
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    fmt: Callable[[dt.date], str] = str,
    basis: str = "campaign",
) -> str:
    """The survey period in words; "not recorded" for a missing date. ``basis``
    "responses" says the dates are those of the first and last response."""
    if opens_on is None and closes_on is None:
        return "not recorded"
    start = fmt(opens_on) if opens_on else "start not recorded"
    end = fmt(closes_on) if closes_on else "end not recorded"
    tail = " (first and last response)" if basis == "responses" else ""
    return f"{start} – {end}{tail}"


def comments_withheld_text(reason: str) -> str:
    """Why a shown group's comments are not shown (see Scorecard.team_comments_withheld)."""
    from culturescope.scoring.confidentiality import PROTECTED

    if reason == PROTECTED:
        return (
            "Comments withheld to protect smaller groups: otherwise the comments of groups "
            "below the comment minimum could be worked out by subtracting the groups' "
            "comments from all comments."
        )
    return f"Comments not shown: {reason}."


def dimension_band(instrument: Instrument, d: DimensionScore) -> Band | None:
    """The interpretation band the scoring engine gave a dimension (None for behaviour
    dimensions, dimensions on another scale than the main one, and hidden scores)."""
    return next((b for b in instrument.bands if b.id == d.band), None) if d.band else None


def item_band(instrument: Instrument, item: ItemScore) -> Band | None:
    """An item's band: only for non-behaviour items on the instrument's main scale."""
    spec = instrument.item_by_id.get(item.id)
    main = instrument.main_scale
    if spec is None or spec.kind == "behaviour" or main is None or spec.scale != main.id:
        return None
    return instrument.band_for(item.percent_positive)


def group_as_result(result: ScoreResult, group: GroupResult) -> ScoreResult:
    """A visible group's scores shaped as a ScoreResult (for the per-team pages)."""
    if group.hidden:
        raise ValueError("a hidden group has no scores to show")
    return replace(
        result,
        campaign=f"{result.campaign}: {group.label}",
        responses=group.n or 0,
        by=(),
        dimensions=group.dimensions,
        items=group.items,
        groups=(),
        agreement=(),
        notes=(),
    )


def practice_rows(
    instrument: Instrument, result: ScoreResult, policies: Sequence[PolicySummary] | None
) -> tuple[PolicyPracticeRow, ...]:
    """Per practice area: the strongest claimed status and the practice items' % positive."""
    rows = []
    for area in instrument.practice_areas:
        items = [i for i in instrument.items_for_area(area.id) if i.kind == "practice"]
        items = items or [i for i in instrument.items_for_area(area.id) if i.kind != "behaviour"]
        pps = [
            s.percent_positive
            for s in (result.item(i.id) for i in items)
            if s is not None and s.percent_positive is not None
        ]
        covering = [p for p in policies or () if area.id in p.practice_areas]
        status = None
        if covering:
            status = max(
                (p.status for p in covering),
                key=lambda s: STATUS_RANK.index(s) if s in STATUS_RANK else -1,
            )
        rows.append(
            PolicyPracticeRow(
                area=area.id,
                title=area.title,
                claimed_status=status,
                percent_positive=sum(pps) / len(pps) if pps else None,
                policies=len(covering),
            )
        )
    return tuple(rows)


def comparison_rows(
    result_by_role: ScoreResult, instrument: Instrument
) -> tuple[GroupComparisonRow, ...]:
    """Senior leaders vs front-line staff per pillar, from a result broken down by role."""
    role = instrument.role_demographic()
    if role is None or role.id not in result_by_role.by:
        return ()

    def group_for(level: str) -> GroupResult | None:
        options = [o for o, lv in role.role_levels.items() if lv == level]
        labels = set(options) | {opt.label for opt in role.options if opt.id in options}
        for g in result_by_role.groups:
            if g.by.get(role.id) in labels:
                return g
        return None

    leaders, staff = group_for("senior_leader"), group_for("front_line")
    if leaders is None and staff is None:
        return ()
    rows = []
    for d in instrument.pillars or instrument.dimensions:
        first = leaders.dimension(d.id) if leaders and not leaders.hidden else None
        second = staff.dimension(d.id) if staff and not staff.hidden else None
        rows.append(GroupComparisonRow(d.id, d.title, first, second))
    return tuple(rows)


def _positive(item: ItemScore) -> float:
    """An item's percent positive (items without one are left out before ranking)."""
    return item.percent_positive if item.percent_positive is not None else 0.0


def _comment_sets(
    instrument: Instrument, comments: pd.DataFrame, response_ids: pd.Index, language: str
) -> tuple[CommentSet, ...]:
    out = []
    chosen = comments[comments["response_id"].isin(response_ids)]
    for prompt in instrument.comments:
        texts = [
            " ".join(str(t).split())
            for t in chosen.loc[chosen["prompt_id"] == prompt.id, "text"]
            if str(t).strip()
        ]
        # Sorted, so the order says nothing about who answered when.
        out.append(CommentSet(prompt.id, prompt.text_for(language), tuple(sorted(texts))))
    return tuple(s for s in out if s.texts)


def _team_comments(
    instrument: Instrument,
    data: ResponseData,
    result: ScoreResult,
    field_id: str,
    minimum: int,
    language: str,
) -> tuple[dict[str, tuple[CommentSet, ...]], dict[str, str]]:
    """The comments of each shown group of a one-way breakdown, and the shown groups whose
    comments are withheld (label -> reason).

    Which groups may show comments is decided for the campaign as a whole by
    :func:`~culturescope.scoring.confidentiality.comments.comment_visibility`: the
    overall comments minus the shown groups' comments are everyone else's, so the withheld
    groups, the groups the scores hide and the respondents who did not state the field
    hold together nobody or at least ``minimum``. Comments are listed per group for the
    team only (:data:`~culturescope.scoring.confidentiality.comments.COMMENT_BREAKDOWN`):
    lists by a second breakdown would give their intersections with the first.
    """
    from culturescope.scoring.confidentiality import breakdown_labels, too_small
    from culturescope.scoring.confidentiality.comments import (
        COMMENT_BREAKDOWN,
        comment_visibility,
    )

    if field_id != COMMENT_BREAKDOWN:
        return {}, {}
    index = data.answers.index
    labels = breakdown_labels(data.demographics.reindex(index), (field_id,))[field_id]
    by_value = {g.by[field_id]: g for g in result.groups if len(g.by) == 1 and field_id in g.by}
    visibility = comment_visibility(
        data, (field_id,), minimum, min_group_size=result.min_group_size
    )[field_id]
    shown: dict[str, tuple[CommentSet, ...]] = {}
    withheld: dict[str, str] = {}
    for value, g in by_value.items():
        if g.hidden:
            continue  # no page, no comments: already listed as a hidden group
        vis = visibility.get(value)
        if vis is None or vis.hidden:
            withheld[g.label] = vis.reason if vis and vis.reason else too_small(minimum)
            continue
        ids = labels.index[(labels == value).to_numpy()]
        shown[g.label] = _comment_sets(instrument, data.comments, ids, language)
    return shown, withheld


def _step(progress: Progress | None, is_cancelled: IsCancelled | None, f: float, msg: str) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled("report cancelled")
    if progress is not None:
        progress(f, msg)


def load_signals(
    store: Store,
    campaign_ref: str | int,
    settings: SignalSettings | None = None,
    *,
    responses: dict[int, ResponseData] | None = None,
    scores: dict[tuple[str, ...], ScoreResult] | None = None,
) -> tuple[tuple[Finding, ...], tuple[str, ...]] | None:
    """The campaign's safety-washing signals and the checks that could not run (for want
    of a policy register, headcounts or responses), or None if the signals engine is absent.

    ``responses`` (campaign id -> ResponseData) and ``scores`` (breakdown fields ->
    ScoreResult of the campaign) are what the caller has already loaded and scored.
    """
    try:
        module = importlib.import_module("culturescope.signals")
    except ImportError:
        return None
    analyse = getattr(module, "analyse", None)
    if analyse is None:
        return None
    analysis = analyse(store, campaign_ref, settings=settings, responses=responses, scores=scores)
    return tuple(analysis.signals), tuple(analysis.not_checked)


def load_policies(store: Store, organisation: str) -> tuple[PolicySummary, ...] | None:
    """The organisation's current policy register, or None if the module is absent."""
    try:
        from culturescope import policies as register
    except ImportError:
        return None
    return tuple(
        PolicySummary(
            title=p.title,
            status=p.status,
            owner=p.current.owner,
            practice_areas=tuple(p.current.practice_areas),
            evidence=p.current.evidence,
            review_on=p.current.review_on,
            adopted_on=p.current.adopted_on,
            version=p.version,
        )
        for p in register.policies(store, organisation)
    )


def build_scorecard(
    store: Store,
    campaign_ref: str | int,
    *,
    by: Sequence[str] = ("team",),
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    signal_settings: SignalSettings | None = None,
) -> Scorecard:
    """Score a campaign and gather everything its scorecard shows.

    ``signal_settings`` (a :class:`culturescope.signals.SignalSettings`) sets the signals'
    thresholds; the documented defaults when omitted.
    """
    from culturescope.scoring import score_campaign

    camp = store.campaign(campaign_ref)
    _step(progress, is_cancelled, 0.02, "Scoring")
    inst = store.campaign_instrument(camp.id)
    by = tuple(f for f in by if f in inst.demographic_by_id)
    # Each campaign is read once and shared by the scores, the signals and the comments.
    data = store.load_responses(camp.id)
    loaded = {camp.id: data}

    def score(campaign: Campaign, by: tuple[str, ...]) -> ScoreResult:
        return score_campaign(
            loaded[campaign.id],
            campaign=campaign.name,
            by=by,
            min_group_size=campaign.min_group_size,
        )

    result = score(camp, by)
    scores = {by: result}  # of this campaign, by breakdown; shared with the signals
    _step(progress, is_cancelled, 0.25, "Comparing with the previous campaign")
    previous = None
    trend = None
    if camp.previous_campaign_id is not None:
        prev = store.campaign(camp.previous_campaign_id)
        loaded[prev.id] = store.load_responses(prev.id)
        previous = score(prev, ())
        from culturescope.scoring.trend import trend as compare

        trend = compare(
            data,
            loaded[prev.id],
            min_group_size=camp.min_group_size,
            campaign=camp.name,
            previous_name=prev.name,
        )
    _step(progress, is_cancelled, 0.35, "Comparing leaders and front-line staff")
    rows: tuple[GroupComparisonRow, ...] = ()
    role = inst.role_demographic()
    if role is not None:
        scores[(role.id,)] = score(camp, (role.id,))
        rows = comparison_rows(scores[(role.id,)], inst)
    _step(progress, is_cancelled, 0.45, "Reading signals and policies")
    found = load_signals(store, camp.id, signal_settings, responses=loaded, scores=scores)
    signals, not_checked = found if found is not None else (None, ())
    policies = load_policies(store, camp.organisation)
    _step(progress, is_cancelled, 0.55, "Selecting comments")
    comments: tuple[CommentSet, ...] = ()
    team_comments: dict[str, tuple[CommentSet, ...]] = {}
    comments_hidden: dict[str, str] = {}
    withheld = None
    language = inst.default_language
    if inst.comments:
        if len(data) >= camp.min_comment_group_size:
            comments = _comment_sets(inst, data.comments, data.answers.index, language)
        else:
            withheld = (
                f"Comments are not shown: fewer than {camp.min_comment_group_size} responses."
            )
        if by and len(by) == 1 and comments:
            team_comments, comments_hidden = _team_comments(
                inst, data, result, by[0], camp.min_comment_group_size, language
            )
    opens_on, closes_on, period_basis = store.survey_period(camp.id)
    return Scorecard(
        organisation=camp.organisation,
        campaign=camp.name,
        result=result,
        opens_on=opens_on,
        closes_on=closes_on,
        period_basis=period_basis,
        previous=previous,
        trend=trend,
        leaders_vs_frontline=rows,
        signals=signals,
        signals_not_checked=not_checked,
        policies=policies,
        practice=practice_rows(inst, result, policies),
        comments=comments,
        comments_withheld=withheld,
        team_comments=team_comments,
        team_comments_withheld=comments_hidden,
        min_comment_group_size=camp.min_comment_group_size,
        language=language,
    )
