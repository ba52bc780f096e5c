"""The method and confidentiality texts of the scorecard: how each number is computed.

Plain text (no layout), so that every output can say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from culturescope.scoring.campaign import RELIABILITY_MIN_N

if TYPE_CHECKING:
    from culturescope.scoring.results import ScoreResult


def method_sections(
    r: ScoreResult, *, min_comment_group_size: int, escape: Callable[[str], str] = str
) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs saying how the numbers of ``r`` were computed, for the
    scorecard and the app alike; ``min_comment_group_size`` is the campaign's minimum for
    comments, and ``escape`` is applied to text that comes from the instrument file."""
    inst = r.instrument
    text = escape
    bands = "; ".join(
        f"{b.label}: {'≥' if b.inclusive else '>'} {b.threshold:g}% positive"
        for b in sorted(inst.bands, key=lambda b: -b.threshold)
    )
    return [
        (
            "Scores",
            "Answers to reverse-keyed items are flipped (scored = min + max − answer) so that "
            "a higher score is always more favourable. “Not applicable / don't know” is treated as "
            "missing, never as a number. A person's dimension score is the mean of their answered items, "
            "if they answered at least half of them. A group's score is the mean of its people's scores, "
            "with the standard deviation and a 95% confidence interval that stays inside the "
            "scale (a t interval on the logit of the mean's position on the scale, mapped back).",
        ),
        (
            "Percent positive",
            "The share of answers in the top two points of a 5-point scale (neutral: "
            "the middle point; negative: the bottom two), per item; a dimension's percent positive is the "
            "mean of its items' percent positive.",
        ),
        (
            "Behaviour items",
            "Items that ask how often people did something (e.g. raised a safety concern: "
            "Never / Once / 2 to 5 times / More than 5 times) count behaviour; they are not an "
            "attitude. For them the percentage is the share of people who reported at least "
            "once on any of the items (the same figure the signals use), the mean is shown with "
            "its scale, and there is no band and no reliability: different behaviours are not "
            "one attitude measured several times.",
        ),
        (
            "Bands",
            f"{text(bands) or 'none defined'}. Bands are shown with the score, never instead of it, "
            "and only for dimensions on the agreement scale.",
        ),
        (
            "Reliability",
            "Cronbach's alpha (listwise) and McDonald's omega where computable, only from "
            f"{RELIABILITY_MIN_N} complete responses per dimension on: with fewer, chance "
            "alone moves alpha so much (even below zero) that it is not shown.",
        ),
        (
            "Agreement",
            "rwg(j) with a uniform null distribution, each item's variance over the answers it "
            "has in the group (pairwise, as R multilevel 2.8), with the number of people behind "
            "it; ICC(1) and ICC(2) from a one-way ANOVA across the visible groups. Aggregation "
            "to groups is justified when members agree (mean rwg(j) at least .70) and groups "
            "differ (the F test of ICC(1) significant at .05), following Bliese (2000) and "
            "LeBreton & Senter (2008); group means are reliable when ICC(2) is at least .70. "
            "A negative ICC(2) is shown as 'no difference between groups'.",
        ),
        (
            "Trend",
            "Change since the previous campaign, on the items asked the same way in both (same id, wording, scale and keying); person scores are recomputed on those items. Means are compared with Welch's t-test, the share who reported (behaviour) with a two-proportion z-test; p-values are Holm-corrected across dimensions and a change is called clear when the adjusted p is below 0.05. Nothing is compared when either campaign has fewer scored people than the minimum group size.",
        ),
        (
            "Confidentiality",
            f"Scores are shown only for groups of at least {r.min_group_size} responses, "
            f"comments only for groups of at least {min_comment_group_size}. When a hidden group could "
            "be worked out by subtracting the visible groups from the total, the next-smallest group is "
            "hidden too. The same applies to comments, with the comment minimum: a team's comments "
            "are withheld to protect smaller groups when the overall comments minus the teams' "
            "comments shown would leave fewer than "
            f"{min_comment_group_size} people's comments. Comments never carry other "
            "demographic details: at most the team, on that team's own page.",
        ),
    ]
