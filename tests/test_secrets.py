"""Secrets at rest: private settings and log files, passphrase rules, back-off."""

from __future__ import annotations

import json
import os
import stat

import pytest

from culturescope.settings import (
    PASSPHRASE_MIN_LENGTH,
    Backoff,
    Settings,
    SettingsError,
    load_settings,
    passphrase_problem,
    passphrase_strength,
    save_settings,
    settings_path,
)

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix
def test_settings_file_is_private():
    s = Settings()
    s.set_passphrase("three unrelated words")
    save_settings(s)
    assert _mode(settings_path()) == 0o600
    assert "three unrelated words" not in settings_path().read_text()


@posix
def test_world_readable_settings_of_earlier_versions_are_made_private():
    path = settings_path()
    path.write_text(json.dumps({"min_group_size": 6}))
    os.chmod(path, 0o644)
    assert load_settings().min_group_size == 6
    assert _mode(path) == 0o600


@pytest.mark.parametrize("weak", ["", "abcd", "1234567", "password", "aaaaaaaaaaaa", "12345678"])
def test_weak_passphrases_refused(weak):
    assert passphrase_problem(weak)
    with pytest.raises(SettingsError):
        Settings().set_passphrase(weak)
    assert passphrase_strength(weak)[0] == 0


def test_strength_hint_prefers_long_passphrases():
    assert PASSPHRASE_MIN_LENGTH == 8
    level, hint = passphrase_strength("kettle42")
    assert level == 1 and "longer" in hint
    assert passphrase_strength("purple kettle under Oslo rain")[0] == 2


def test_backoff_doubles_after_free_attempts():
    now = [100.0]
    b = Backoff(free=3, first=5, longest=60, clock=lambda: now[0])
    assert [b.failed() for _ in range(3)] == [0, 0, 0]
    assert b.failed() == 5 and b.remaining() == 5
    now[0] += 5
    assert b.remaining() == 0
    assert [b.failed() for _ in range(5)] == [10, 20, 40, 60, 60]
    b.succeeded()
    assert b.remaining() == 0 and b.failed() == 0


def test_backoff_is_kept_across_restarts(tmp_path):
    """A new app (a new Backoff on the same file) goes on counting and waiting."""
    from culturescope.settings import backoff_path

    path = backoff_path()
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    first = Backoff(free=2, first=5, clock=clock, path=path)
    assert [first.failed() for _ in range(3)] == [0, 0, 5]
    restarted = Backoff(free=2, first=5, clock=clock, path=path)
    assert restarted.failures == 3 and restarted.remaining() == 5
    now[0] += 5
    assert restarted.failed() == 10  # the count went on, not back to free attempts
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == {"failures", "until"}  # two numbers, nothing secret
    if os.name == "posix":
        assert _mode(path) == 0o600
    restarted.succeeded()
    assert Backoff(free=2, first=5, clock=clock, path=path).failures == 0


def test_backoff_file_clock_set_back_and_damage(tmp_path):
    path = tmp_path / "backoff.json"
    now = [1_000_000.0]
    b = Backoff(free=0, first=200, longest=300, clock=lambda: now[0], path=path)
    assert b.failed() == 200
    now[0] -= 86_400  # the computer's clock set back a day: the wait stays at most 300 s
    assert (
        Backoff(free=0, first=200, longest=300, clock=lambda: now[0], path=path).remaining() == 300
    )
    path.write_text("{not json", encoding="utf-8")
    fresh = Backoff(clock=lambda: now[0], path=path)
    assert fresh.failures == 0 and fresh.remaining() == 0
    assert fresh.failed() == 0 and json.loads(path.read_text())["failures"] == 1


@posix
def test_database_and_backups_are_private(tmp_path):
    from culturescope.storage import Store
    from culturescope.storage.database import backup_sqlite

    db = tmp_path / "new.db"
    Store(str(db)).close()
    assert _mode(db) == 0o600
    old = tmp_path / "old.db"
    Store(str(old)).close()
    os.chmod(old, 0o644)
    Store(str(old)).close()
    assert _mode(old) == 0o600
    assert _mode(backup_sqlite(db)) == 0o600


@pytest.mark.real_key_stretching
def test_passphrases_and_sealed_keys_are_stretched_with_200000_rounds():
    """What the app stores (the other tests run with fewer rounds, see tests/conftest.py)."""
    from culturescope.sealing import seal, unseal

    s = Settings()
    s.set_passphrase("three unrelated words")
    assert s.admin_passphrase_hash.split("$")[:2] == ["pbkdf2_sha256", "200000"]
    assert s.check_passphrase("three unrelated words")
    sealed = seal(b"campaign key", "three unrelated words")
    assert sealed.split("$")[1] == "200000"
    assert unseal(sealed, "three unrelated words") == b"campaign key"
