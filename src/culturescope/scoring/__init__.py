"""Scores, reliability, agreement and confidentiality (docs/design/scoring.md,
docs/design/confidentiality.md).

The statistics are plain functions (DataFrame in, number out) checked against R's
``multilevel``/``psych`` and published examples; :func:`score_campaign` builds a
:class:`ScoreResult` in which hidden groups carry no numbers.
"""

from culturescope.scoring.answers import person_scores, scored_answers
from culturescope.scoring.campaign import ScoringError, score, score_campaign
from culturescope.scoring.confidentiality import (
    ConfidentialityError,
    Visibility,
    check_filter,
    protect_breakdown,
    protect_groups,
)
from culturescope.scoring.results import (
    Agreement,
    DimensionScore,
    GroupResult,
    ItemScore,
    ScoreResult,
)
from culturescope.scoring.statistics import (
    cronbach_alpha,
    icc1,
    icc2,
    item_total_correlations,
    mcdonald_omega,
    mean_ci95,
    null_variance,
    rwg,
    rwg_j,
)
from culturescope.scoring.trend import DimensionTrend, TrendResult, campaign_trend, trend

__all__ = [
    "Agreement",
    "ConfidentialityError",
    "DimensionScore",
    "DimensionTrend",
    "GroupResult",
    "ItemScore",
    "ScoreResult",
    "ScoringError",
    "TrendResult",
    "Visibility",
    "campaign_trend",
    "check_filter",
    "cronbach_alpha",
    "icc1",
    "icc2",
    "item_total_correlations",
    "mcdonald_omega",
    "mean_ci95",
    "null_variance",
    "person_scores",
    "protect_breakdown",
    "protect_groups",
    "rwg",
    "rwg_j",
    "score",
    "score_campaign",
    "scored_answers",
    "trend",
]
