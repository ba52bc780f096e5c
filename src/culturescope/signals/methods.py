"""How each signal is computed, in one paragraph: shown in the app and in docs/signals.md."""

from __future__ import annotations

METHODS: dict[str, str] = {
    "policy_practice_gap": (
        "For every current policy in the register claimed 'implemented' or 'audited', each "
        "practice area it covers is looked up in the survey: the area's practice items (items "
        "of kind 'practice' tagged with that area) are scored, and the area's percent positive "
        "is the mean of those items' percent positive (agree or strongly agree, after reverse "
        "keying; 'not applicable' excluded). The signal fires when that is below "
        "practice_low_percent (default 50%). It is critical when the area is at least "
        "policy_gap_critical_points (15) points below the threshold; it is only 'info' when "
        "the 95% Wilson interval of the percentage still reaches the threshold (too few "
        "answers to be sure). Nothing is computed when the campaign has fewer responses "
        "than its minimum group size."
    ),
    "perception_gap": (
        "Compares how senior leaders and front-line staff rate each pillar and each practice "
        "area (person scores: the mean of a person's answered items, as in the scores). The "
        "test is Welch's t-test; the effect size is Hedges' g (Cohen's d with the small-sample "
        "correction) and the difference in percent positive is given in percentage points. "
        "p-values are Holm-corrected across the pillars and areas compared. It fires when "
        "leaders rate higher with a corrected p below alpha (0.05) and g of at least "
        "perception_min_effect (0.5); critical from g 0.8 and 20 points. Both sides must "
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
        "significant by an exact McNemar test (aware-but-not-seen vs seen-but-not-aware, "
        "Holm-corrected across areas). Critical when the gap is 40 points or more."
    ),
    "split_culture": (
        "For every visible group of the team breakdown and every pillar, the group's mean "
        "and its within-group agreement rwg(j) (James, Demaree & Wolf; uniform null "
        "distribution) come from the scores. A pillar with a good mean (at least "
        "split_good_mean, 3.5) but rwg(j) below split_max_rwg_j (.50) is not a shared "
        "climate: some people experience it very differently. Hidden groups are never "
        "examined."
    ),
    "speak_up_paradox": (
        "Reporting activity is the share of respondents who reported a concern or an "
        "incident at least once in the period (any positive answer on the reporting-activity "
        "items). Three checks: (1) organisation-wide psychological safety of at least "
        "psych_high_percent (70% positive) but fewer than reporting_low_percent (30%) "
        "reporting; (2) a visible team with high psychological safety that reports at least "
        "reporting_gap_points (15) points less than the rest of the organisation, by a "
        "one-sided Fisher exact test (Holm-corrected across teams); (3) the share reporting "
        "fell by reporting_drop_points (10) or more since the previous campaign "
        "(two-proportion z-test) while psychological safety rose."
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
        "participation_relative (0.6) times the rate of the rest, and a one-sided binomial "
        "test against the rest's rate is significant. Leaders (managers and senior leaders) "
        "responding participation_leader_ratio (1.5) times as often as front-line staff is "
        "tested with a chi-square test. Segments below the minimum group size show no count "
        "or rate: only 'fewer than N responses' out of the headcount."
    ),
    "response_integrity": (
        "Counts respondents whose answers cannot be taken at face value; individual "
        "responses are never shown. Straight-lining: the same extreme answer (both 'strongly "
        "agree' or both 'strongly disagree', as given) on both items of at least "
        "pattern_min_pairs (2) pairs of oppositely worded items, and on at least half of the "
        "pairs answered. All-neutral: every answered agreement item is the middle answer, "
        "with at least all_neutral_min_items (10) answered. A warning from "
        "pattern_warning_percent (5%) of respondents, otherwise information."
    ),
}
