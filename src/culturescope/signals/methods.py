"""How each signal is computed, in one paragraph: shown in the app and in docs/signals.md."""

from __future__ import annotations

METHODS: dict[str, str] = {
    "policy_practice_gap": (
        "For every current policy in the register claimed 'implemented' or 'audited', each "
        "practice area it covers is looked up in the survey: the area's practice items (items "
        "of kind 'practice' tagged with that area) are scored, and the area's percent positive "
        "is the mean of those items' percent positive (agree or strongly agree, after reverse "
        "keying; 'not applicable' excluded). The signal fires when that is below "
        "practice_low_percent (default 50%). Whether it is below beyond chance is tested "
        "with the score test of a proportion against the threshold (the test the 95% "
        "Wilson interval inverts), with n the fewest answers on any of the area's practice "
        "items; one test per practice area, however many policies cover it. Only when the "
        "adjusted p-value is below alpha is the signal a warning, and critical when the "
        "area is also at least policy_gap_critical_points (15) points below the threshold; "
        "otherwise it is 'info: not enough evidence yet' with the numbers (for example 1 "
        "positive answer of 5: 20%, interval 4%–62%). Nothing is computed when the "
        "campaign has fewer responses than its minimum group size."
    ),
    "perception_gap": (
        "Compares how senior leaders and front-line staff rate each pillar and each practice "
        "area (person scores: the mean of a person's answered items, as in the scores). The "
        "test is Welch's t-test; the effect size is Hedges' g (Cohen's d with the small-sample "
        "correction) and the difference in percent positive is given in percentage points. "
        "A practice area whose practice items are exactly a pillar's items is the same "
        "measure and is tested once, as the pillar. A gap needs leaders rating higher with "
        "g of at least perception_min_effect (0.5); it is a warning only when its adjusted "
        "p-value is below alpha (0.05), critical from g 0.8 and 20 points, and otherwise "
        "'info: not enough evidence yet'. Both sides must "
        "have at least the campaign's minimum group size of scored people and be visible "
        "groups of the role breakdown. When the organisation has a leadership "
        "self-assessment campaign, its ratings are compared with front-line staff the same "
        "way (pillars with the same id, practice areas through practice items)."
    ),
    "awareness_gap": (
        "For each practice area with both awareness items ('I know we have a procedure') and "
        "practice items ('I see it used'), each respondent who answered both is counted as "
        "aware (positive on the awareness items) and as seeing the practice (positive on at "
        "least half of the area's practice items). The signal fires when at least "
        "awareness_high_percent (70%) are aware but fewer than "
        "awareness_practice_low_percent (50%) see the practice, and the paired difference is "
        "tested by an exact McNemar test (aware-but-not-seen vs seen-but-not-aware). A "
        "warning when its adjusted p-value is below alpha, critical when the gap is also 40 "
        "points or more; otherwise 'info: not enough evidence yet'."
    ),
    "split_culture": (
        "For every visible group of the team breakdown and every pillar, the group's mean "
        "and its within-group agreement rwg(j) (James, Demaree & Wolf; uniform null "
        "distribution) come from the scores. A pillar with a good mean (at least "
        "split_good_mean, 3.5) but rwg(j) below split_max_rwg_j (.50) is not a shared "
        "climate: some people experience it very differently. rwg(j) is below .50 exactly "
        "when the members' mean item variance is above a fixed share of the null variance; "
        "that is tested with the one-sided chi-square test of a variance on the n behind "
        "rwg(j), with the degrees of freedom of a single item (n - 1; conservative, since "
        "the items' variances are not independent). A warning when the adjusted p-value is "
        "below alpha, otherwise 'info: not enough evidence yet'. Hidden groups are never "
        "examined."
    ),
    "speak_up_paradox": (
        "Reporting activity is the share of respondents who reported a concern or an "
        "incident at least once in the period (any positive answer on the reporting-activity "
        "items, counting people who answered at least half of them: the same rule and the "
        "same figure as the reporting dimension's percent positive in the scores). Three "
        "checks: (1) organisation-wide psychological safety of at least psych_high_percent "
        "(70% positive) but fewer than reporting_low_percent (30%) reporting, the share "
        "tested against that threshold by a one-sided exact binomial test; (2) a visible "
        "team with high psychological safety that reports at least reporting_gap_points "
        "(15) points less than the rest of the organisation, by a one-sided Fisher exact "
        "test; (3) the share reporting fell by reporting_drop_points (10) or more since the "
        "previous campaign (two-proportion z-test; undefined, and so never significant, "
        "when both shares are 0% or both 100%) while psychological safety rose. Each is a "
        "warning when its adjusted p-value is below alpha, otherwise 'info: not enough "
        "evidence yet'."
    ),
    "stale_commitment": (
        "Reads the policy register and its version history: a review date in the past "
        "(critical after overdue_critical_days, 365); a policy claimed implemented or "
        "audited without an evidence reference; a commitment softened between versions "
        "(claimed status lowered, practice areas dropped, or the statement weakened: fewer "
        "binding words such as 'must', 'will', 'always', more hedging words such as "
        "'should', 'may', 'where possible', or shortened by 30% or more); and policies "
        "removed from the register."
    ),
    "participation_bias": (
        "Uses the campaign's expected headcounts per segment (e.g. per team and role). The "
        "response rate of a segment is its responses divided by its headcount. A segment "
        "fires when its rate is below participation_low_rate (30%) or below "
        "participation_relative (0.6) times the rate of the rest; it is a warning when a "
        "one-sided binomial test against the rest's rate has an adjusted p-value below "
        "alpha, otherwise 'info: not enough evidence yet'. Leaders (managers and senior "
        "leaders) responding participation_leader_ratio (1.5) times as often as front-line "
        "staff is tested with a chi-square test, in the same way. Segments below the "
        "minimum group size show no count or rate: only 'fewer than N responses' out of the "
        "headcount; that is a warning without a test, because it is a count of a known "
        "headcount (fewer than N of H people answered), not an estimate from a sample."
    ),
    "response_integrity": (
        "Counts respondents whose answers cannot be taken at face value; individual "
        "responses are never shown. Straight-lining: the same extreme answer (both 'strongly "
        "agree' or both 'strongly disagree', as given) on both items of at least "
        "pattern_min_pairs (2) pairs of oppositely worded items, and on at least half of the "
        "pairs answered. All-neutral: every answered agreement item is the middle answer, "
        "with at least all_neutral_min_items (10) answered. A warning from "
        "pattern_warning_percent (5%) of respondents, otherwise information; no test, "
        "because the count describes these respondents themselves, not a wider population."
    ),
}
