"""Writes say what changed: the store's data version and its subscribers."""

from __future__ import annotations

import pytest

from culturescope import Cancelled
from culturescope.policies import PolicyDraft, add_policy
from culturescope.storage import DataChange, NewResponse, StoreError


@pytest.fixture
def heard(sqlite_store):
    changes: list[DataChange] = []
    sqlite_store.subscribe(changes.append)
    return changes


def _responses(store, n, prefix):
    return [
        NewResponse(answers={"LA1": 4}, fingerprint=store.fingerprint(prefix, k)) for k in range(n)
    ]


def test_each_committed_write_reports_its_campaign_and_a_new_version(sqlite_store, flagship, heard):
    a = sqlite_store.create_campaign("A", flagship)
    assert heard == [DataChange(1, frozenset({a.id}))]
    b = sqlite_store.create_campaign("B", flagship)
    heard.clear()
    before_b = sqlite_store.version_of(b.id)
    sqlite_store.add_responses(a.id, _responses(sqlite_store, 3, "a"), source="file")
    assert heard == [DataChange(sqlite_store.data_version, frozenset({a.id}))]
    assert heard[0].affects(a.id) and not heard[0].affects(b.id)
    assert sqlite_store.version_of(a.id) == sqlite_store.data_version
    assert sqlite_store.version_of(b.id) == before_b  # B's results stay valid

    sqlite_store.update_campaign("A", min_group_size=7)
    batch = sqlite_store.batches("A")[0]
    sqlite_store.delete_responses([sqlite_store.load_responses("A").answers.index[0]])
    sqlite_store.delete_batch(batch.id)
    assert [c.campaign_ids for c in heard[1:]] == [frozenset({a.id})] * 3
    versions = [c.version for c in heard]
    assert versions == sorted(set(versions)), "every change has a newer version"


def test_reads_refusals_rollbacks_and_repeats_report_nothing(sqlite_store, flagship, heard):
    a = sqlite_store.create_campaign("A", flagship)
    sqlite_store.add_responses(
        a.id, _responses(sqlite_store, 2, "r"), source="file", file_sha256="f" * 64
    )
    heard.clear()
    version = sqlite_store.data_version
    sqlite_store.campaigns()
    sqlite_store.load_responses("A")
    with pytest.raises(StoreError):
        sqlite_store.create_campaign("A", flagship)  # the name is taken
    with pytest.raises(Cancelled):
        sqlite_store.add_responses(
            a.id, _responses(sqlite_store, 2, "new"), source="file", is_cancelled=lambda: True
        )
    again = sqlite_store.add_responses(
        a.id, _responses(sqlite_store, 2, "r"), source="file", file_sha256="f" * 64
    )
    assert again.id is None  # the same file: nothing added
    assert heard == [] and sqlite_store.data_version == version


def test_a_transaction_reports_once_after_commit_and_never_after_rollback(
    sqlite_store, flagship, heard
):
    with sqlite_store.transaction():
        a = sqlite_store.create_campaign("A", flagship)
        sqlite_store.add_responses(a.id, _responses(sqlite_store, 2, "a"), source="kiosk")
        assert heard == [], "nothing is announced before the commit"
    assert len(heard) == 1 and heard[0].affects(a.id)
    heard.clear()

    def add_then_fail():
        with sqlite_store.transaction():
            sqlite_store.add_responses(a.id, _responses(sqlite_store, 2, "b"), source="kiosk")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert heard == []
    assert sqlite_store.response_count("A") == 2


def test_changes_not_tied_to_one_campaign_affect_every_campaign(sqlite_store, flagship, heard):
    a = sqlite_store.create_campaign("A", flagship)
    b = sqlite_store.create_campaign("B", flagship, previous="A")
    heard.clear()
    add_policy(sqlite_store, a.organisation, PolicyDraft(title="Speak up"))
    assert heard[-1].campaign_ids is None and heard[-1].affects(b.id)
    assert sqlite_store.version_of(a.id) == sqlite_store.version_of(b.id)
    sqlite_store.delete_campaign("A")  # B loses its previous campaign (its trend)
    assert heard[-1].affects(b.id)
    made = sqlite_store.backup()
    sqlite_store.restore(made)
    assert heard[-1].campaign_ids is None


def test_a_failing_subscriber_never_breaks_the_write_and_unsubscribing_works(
    sqlite_store, flagship, heard
):
    def broken(change):
        raise ValueError("display gone")

    stop = sqlite_store.subscribe(broken)
    sqlite_store.create_campaign("A", flagship)
    assert sqlite_store.campaign("A").name == "A" and len(heard) == 1
    stop()
    stop()  # twice is harmless
    sqlite_store.create_campaign("B", flagship)
    assert len(heard) == 2


def test_signal_reviews_and_actions_report_their_campaign(sqlite_store, flagship, heard):
    from culturescope.storage.followup import NewAction, add_action, delete_action, review_signal

    a = sqlite_store.create_campaign("A", flagship)
    heard.clear()
    review_signal(sqlite_store, a.id, "some-signal", acknowledged=True)
    action = add_action(
        sqlite_store, a.id, NewAction(title="Talk to team 3", subject_kind="team", subject="T3")
    )
    delete_action(sqlite_store, action.id)
    assert [c.campaign_ids for c in heard] == [frozenset({a.id})] * 3
