"""Response-pattern integrity: straight-lining across reverse-keyed pairs and all-neutral
answers, reported as counts only (docs/design/signals.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from culturescope.lazy import lazy_module
from culturescope.signals.inputs import SurveyFrame
from culturescope.signals.methods import METHODS
from culturescope.signals.model import Evidence, Finding, SignalSettings

stats = lazy_module("scipy.stats")  # ~1 s to import: loaded by the first test run


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
