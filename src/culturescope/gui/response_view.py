"""What the Responses page shows of one campaign, prepared off the GUI thread (no Qt).

:func:`load_view` reads the campaign once and returns a :class:`ResponseView`: provenance
and answers without demographics, each demographic column as the texts the confidentiality
rule lets the page show (:func:`~culturescope.scoring.confidentiality.responses.shown_demographics`,
"(not shown)" elsewhere), the teams offered as a filter, the file imports and the comments
(without demographics, only from the campaign's minimum for comments). The page
(:mod:`culturescope.gui.pages.responses_page`) puts at most one demographic column in its
table and explains the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from culturescope.scoring.confidentiality.responses import (
    NOT_SHOWN,
    ShownColumn,
    in_words,
    shown_demographics,
)


@dataclass
class ResponseView:
    """Everything the page shows of one campaign, prepared off the GUI thread."""

    campaign_id: int
    response_count: int
    frame: object  # DataFrame: provenance and answers, no demographics; index = response id
    teams: object  # array: each response's shown team (None where hidden/not stated/no team)
    sources: object  # Series: "kiosk", "paper", "file" ... per response
    batch_of: object  # Series: batch id per response
    batches: list = field(default_factory=list)  # file/bundle batches: (id, label, rows)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (prompt, text)
    codes: dict = field(default_factory=dict)
    tooltips: dict = field(default_factory=dict)
    item_columns: int = 0
    visible_teams: list[tuple[str, int]] = field(default_factory=list)  # (team, responses)
    value_tooltips: dict = field(default_factory=dict)  # column -> {"(not shown)": why}
    min_group_size: int = 5
    #: (demographic id, column label) in the instrument's order: the "Show:" choices.
    demographics: list[tuple[str, str]] = field(default_factory=list)
    #: demographic id -> the text shown per response (array in the frame's row order).
    shown: dict = field(default_factory=dict)


_OLD_DEMO_REF = re.compile(r"^demo (?:respondent|leader) (\d+)$")


def provenance(source: str, ref: str | None, file_name: str | None) -> str:
    """Where a response came from, in words: kiosk, paper form N, file name and row."""
    ref = ref or ""
    if source == "kiosk":
        return "kiosk"
    if source == "paper":
        return f"paper form {ref.removeprefix('form ')}".strip() if ref else "paper form"
    if source == "demo":  # demo databases made before the refs were "row N"
        ref = _OLD_DEMO_REF.sub(r"row \1", ref)
    if source in ("file", "bundle", "demo"):
        return ", ".join(p for p in (file_name or source, ref) if p)
    if ref.startswith(source):
        return ref
    return " ".join(p for p in (source, ref) if p)


def load_view(store, campaign_id: int, *, progress, is_cancelled) -> ResponseView:
    import pandas as pd

    progress(0.0, "loading responses")
    campaign = store.campaign(campaign_id)
    data = store.load_responses(campaign_id)
    progress(0.6, "preparing the table")
    inst = data.instrument
    batches = {b.id: b for b in store.batches(campaign_id)}
    meta = data.meta
    files = meta["batch_id"].map(lambda b: batches[b].label if b in batches else None)
    prov = [
        provenance(s, r, f)
        for s, r, f in zip(meta["source"], meta["source_ref"], files, strict=True)
    ]
    frame = pd.DataFrame(index=data.answers.index)
    frame["Response"] = data.answers.index.to_numpy()
    frame["Date"] = [d.isoformat() if d else "" for d in meta["submitted_on"]]
    frame["Source"] = prov
    tooltips = {"Response": "Response number in this database", "Source": "Where it came from"}
    # Demographics stay out of the frame: the page puts the one chosen column in.
    shown = shown_demographics(data, campaign.min_group_size)
    value_tooltips = {}
    for d in inst.demographics:
        why = shown[d.id].why
        tooltips[d.label] = _column_tooltip(shown, d.id, campaign.min_group_size)
        if why:
            value_tooltips[d.label] = {NOT_SHOWN: why}
    codes = {}
    for item in inst.items:
        frame[item.id] = data.answers[item.id].to_numpy()
        scale = inst.scale_of(item)
        tooltips[item.id] = item.text_for(inst.default_language) + (
            " (reverse-keyed; raw answer shown)" if item.reverse else ""
        )
        if scale.na_code is not None:
            codes[item.id] = {float(scale.na_code): "N/A"}
    prompts = {c.id: c.text_for(inst.default_language) for c in inst.comments}
    comments = []
    if len(data) >= campaign.min_comment_group_size:
        texts = data.comments.sort_values(["prompt_id", "text"])  # no order by respondent
        comments = [
            (prompts.get(p, p), t) for p, t in zip(texts["prompt_id"], texts["text"], strict=True)
        ]
    file_batches = [
        (b.id, f"{b.label} — {b.imported_on.isoformat()}", b.rows_added)
        for b in batches.values()
        if b.source not in ("kiosk", "paper")
    ]
    teams, visible_teams = None, []
    if "team" in shown:
        teams, visible_teams = shown["team"].groups, list(shown["team"].visible)
    progress(1.0, "ready")
    return ResponseView(
        campaign_id=campaign_id,
        response_count=len(data),
        frame=frame,
        teams=teams,
        sources=meta["source"],
        batch_of=meta["batch_id"],
        batches=file_batches,
        comments=comments,
        codes=codes,
        tooltips=tooltips,
        item_columns=len(inst.items),
        visible_teams=visible_teams,
        value_tooltips=value_tooltips,
        min_group_size=campaign.min_group_size,
        demographics=[(d.id, d.label) for d in inst.demographics],
        shown={did: column.texts for did, column in shown.items()},
    )


def _column_tooltip(shown: dict[str, ShownColumn], did: str, min_group_size: int) -> str:
    """The header tooltip of a demographic column: when its values are shown."""
    labels = [column.label for column in shown.values()][: list(shown).index(did) + 1]
    label = labels[-1]
    if len(labels) == 1:
        return (
            f"{label}: shown where its group has at least {min_group_size} responses and "
            "is not hidden to protect a smaller group"
        )
    return (
        f"{label}: shown where at least {min_group_size} responses share its "
        f"{in_words(labels)} and no smaller group could be worked out from it "
        f"(every column of this page is a cross-tab with the ones before it: "
        f"{' → '.join(labels)})"
    )
