"""Shipped instruments 1.1: honest consent wording; campaigns made with 1.0 keep working."""

from __future__ import annotations

import dataclasses

import pytest

from culturescope.instruments import (
    available_instruments,
    get_instrument,
    promises_anonymity,
    report_gaps,
    respondent_thanks,
    respondent_welcome,
)
from culturescope.instruments.respondent import DEFAULT_CONSENT, DEFAULT_THANKS
from culturescope.storage import NewResponse

SHIPPED = ["ai-safety-culture", "leadership-self-assessment", "psychological-safety-pulse"]


@pytest.mark.parametrize("iid", SHIPPED)
def test_version_1_1_changes_only_the_wording(iid):
    old, new = get_instrument(f"{iid}@1.0"), get_instrument(f"{iid}@1.1")
    assert get_instrument(iid).version == "1.1"
    # Same questions, scales, dimensions and demographics: answers to either version mean
    # the same, and trends compare every item.
    same = ("items", "scales", "dimensions", "demographics", "comments", "bands")
    for name in same:
        assert getattr(old, name) == getattr(new, name), name
    changed = {
        f.name
        for f in dataclasses.fields(old)
        if getattr(old, f.name) != getattr(new, f.name) and f.name != "source_text"
    }
    assert changed == {"version", "consent", "thank_you"}
    assert promises_anonymity(old.consent["en"]) and promises_anonymity(old.thank_you["en"])
    assert not promises_anonymity(new.consent["en"] + new.thank_you["en"])
    assert "as described below" in new.consent["en"]  # the app's notice follows it
    assert not [g for g in report_gaps(new) if "anonymous" in g]
    assert [g for g in report_gaps(old) if "anonymous" in g]


def test_new_campaigns_are_offered_the_newest_version_only():
    keys = {i.key for i in available_instruments(newest_only=True)}
    assert {f"{iid}@1.1" for iid in SHIPPED} <= keys
    assert not {f"{iid}@1.0" for iid in SHIPPED} & keys
    assert {f"{iid}@1.0" for iid in SHIPPED} <= {i.key for i in available_instruments()}


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_respondents_read_one_notice_that_never_says_anonymous(version):
    inst = get_instrument(f"ai-safety-culture@{version}")
    consent, notice = respondent_welcome(inst, 7)
    text = f"{consent}\n\n{notice}"
    assert not promises_anonymity(text + respondent_thanks(inst))
    assert text.count("confidential") == 1
    assert "groups of at least 7 people" in notice
    assert "It asks for your team, role level" in notice
    if version == "1.1":
        assert consent == inst.consent["en"]
        assert respondent_thanks(inst) == inst.thank_you["en"]
    else:  # the old text promised anonymity: a neutral one takes its place
        assert (consent, respondent_thanks(inst)) == (DEFAULT_CONSENT, DEFAULT_THANKS)


def test_a_campaign_made_with_1_0_still_scores_and_trends_with_1_1(store):
    from culturescope.scoring import score_campaign
    from culturescope.scoring.trend import trend

    old, new = get_instrument("ai-safety-culture@1.0"), get_instrument("ai-safety-culture")

    def responses(inst, shift):
        return [
            NewResponse(
                answers={
                    i.id: (k + n + shift) % inst.scale_of(i).points + 1
                    for n, i in enumerate(inst.items)
                },
                demographics={"team": f"T{k % 2}"},
                source_ref=f"row {k}",
            )
            for k in range(12)
        ]

    before = store.create_campaign("2025", old)
    store.add_responses(before.id, responses(old, 0), source="test")
    after = store.create_campaign("2026", new, previous=before.id)
    store.add_responses(after.id, responses(new, 1), source="test")
    assert store.campaign("2025").instrument_key == "ai-safety-culture@1.0"
    assert store.instrument("ai-safety-culture@1.0").consent == old.consent

    data_old, data_new = store.load_responses(before.id), store.load_responses(after.id)
    result = score_campaign(data_old, min_group_size=5)
    assert result.responses == 12
    assert all(d.mean is not None for d in result.dimensions)
    compared = trend(data_new, data_old, min_group_size=5)
    assert all(not row.left_out for row in compared.dimensions)
    assert all(row.difference is not None for row in compared.dimensions)
