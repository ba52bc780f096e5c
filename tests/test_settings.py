from __future__ import annotations

import json

import pytest

from culturescope.settings import (
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)


def test_passphrase_is_stored_only_as_a_salted_hash():
    s = Settings()
    s.set_passphrase("open sesame")
    save_settings(s)
    text = settings_path().read_text()
    assert "open sesame" not in text
    loaded = load_settings()
    assert loaded.check_passphrase("open sesame")
    assert not loaded.check_passphrase("wrong")
    other = Settings()
    other.set_passphrase("open sesame")
    assert other.admin_passphrase_hash != s.admin_passphrase_hash  # salted


def test_defaults_and_validation():
    s = load_settings()
    assert s.min_group_size == 5 and not s.has_passphrase
    s.min_group_size = 2
    with pytest.raises(SettingsError, match="below 3"):
        save_settings(s)


def test_unknown_keys_ignored_and_corrupt_file_named(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"min_group_size": 7, "future_key": 1}))
    assert load_settings(path).min_group_size == 7
    path.write_text("{not json")
    with pytest.raises(SettingsError, match="s.json"):
        load_settings(path)


def test_signal_thresholds_are_named_settings():
    s = Settings(
        signal_thresholds={"practice_low_percent": 60, "leader_levels": "senior_leader,manager"}
    )
    save_settings(s)
    loaded = load_settings()
    thresholds = loaded.signal_settings()
    assert thresholds.practice_low_percent == 60.0
    assert thresholds.leader_levels == ("senior_leader", "manager")
    assert thresholds.awareness_high_percent == 70.0  # untouched: the default
    # one-off values (the CLI's --set) go on top
    assert loaded.signal_settings({"practice_low_percent": "40"}).practice_low_percent == 40.0
    with pytest.raises(SettingsError, match="did you mean practice_low_percent"):
        loaded.signal_settings({"practice_low_pct": "40"})
    for name, value, problem in [
        ("alpha", "2", "at most 1"),
        ("practice_low_percent", "150", "between 0 and 100"),
        ("pattern_min_pairs", "1.5", "whole number"),
        ("split_good_mean", "high", "not a number"),
        ("leader_levels", " , ", "at least one value"),
    ]:
        bad = Settings(signal_thresholds={name: value})
        with pytest.raises(SettingsError, match=problem):
            save_settings(bad)
    assert load_settings().signal_thresholds["practice_low_percent"] == 60
