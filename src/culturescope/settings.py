"""App settings: a typed, versioned JSON file in the platform's config folder.

The admin passphrase that guards kiosk mode is kept only as a salted PBKDF2 hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from culturescope import CultureScopeError
from culturescope.paths import config_dir
from culturescope.thresholds import ThresholdError, check_thresholds

if TYPE_CHECKING:  # imported where used: the signals package is not needed to read settings
    from culturescope.signals import SignalSettings

SETTINGS_VERSION = 1
_ITERATIONS = 200_000
#: The shortest admin passphrase accepted.
PASSPHRASE_MIN_LENGTH = 8
# Passphrases people pick first; refused however long they are.
_COMMON = {
    "password",
    "passphrase",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "iloveyou",
    "administrator",
    "culturescope",
    "safetyfirst",
    "letmein123",
    "password1",
    "11111111",
    "00000000",
    "abcdefgh",
    "abcd1234",
    "qwerty123",
}


class SettingsError(CultureScopeError):
    pass


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    min_group_size: int = 5  # default for new campaigns; never below 3
    min_comment_group_size: int = 10
    kiosk_idle_minutes: float = 3.0
    admin_passphrase_hash: str = ""  # "pbkdf2_sha256$iterations$salt$hash"; empty = not set
    database: str = ""  # path or URL; empty = default location
    language: str = "en"
    theme: str = "system"  # the app's colours: "system" (follow the OS), "light" or "dark"
    organisation: str = "My organisation"
    #: Safety-washing thresholds that differ from their documented defaults (name → value).
    signal_thresholds: dict[str, Any] = field(default_factory=dict)
    #: Answer values the user mapped in the import wizard, offered on the next import:
    #: organisation -> instrument id -> key (demographic or scale id) -> value -> target.
    value_mappings: dict[str, dict[str, dict[str, dict[str, str]]]] = field(default_factory=dict)

    def value_mapping(self, organisation: str, instrument_id: str) -> dict[str, dict[str, str]]:
        """The value mapping saved for ``organisation``'s imports on ``instrument_id``."""
        saved = self.value_mappings.get(organisation, {}).get(instrument_id, {})
        return {key: dict(table) for key, table in saved.items() if isinstance(table, dict)}

    def remember_value_mapping(
        self, organisation: str, instrument_id: str, mapping: dict[str, dict[str, str]]
    ) -> None:
        """Replace the saved value mapping of ``organisation`` / ``instrument_id``."""
        tables = {k: dict(v) for k, v in mapping.items() if v}
        by_instrument = self.value_mappings.setdefault(organisation, {})
        if tables:
            by_instrument[instrument_id] = tables
        else:
            by_instrument.pop(instrument_id, None)

    # ---- passphrase -------------------------------------------------------------------
    def set_passphrase(self, passphrase: str) -> None:
        problem = passphrase_problem(passphrase)
        if problem:
            raise SettingsError(problem)
        salt = secrets.token_hex(16)
        digest = _hash(passphrase, salt, _ITERATIONS)
        self.admin_passphrase_hash = f"pbkdf2_sha256${_ITERATIONS}${salt}${digest}"

    def check_passphrase(self, passphrase: str) -> bool:
        if not self.admin_passphrase_hash:
            return False
        try:
            _, iterations, salt, digest = self.admin_passphrase_hash.split("$")
        except ValueError:
            return False
        return hmac.compare_digest(_hash(passphrase, salt, int(iterations)), digest)

    @property
    def has_passphrase(self) -> bool:
        return bool(self.admin_passphrase_hash)

    def validate(self) -> None:
        try:
            check_thresholds(self.min_group_size, self.min_comment_group_size)
        except ThresholdError as exc:
            raise SettingsError(str(exc)) from None
        if self.theme not in ("system", "light", "dark"):
            raise SettingsError(f"unknown theme '{self.theme}' (themes: system, light, dark)")
        if self.kiosk_idle_minutes <= 0:
            raise SettingsError("the kiosk idle time must be positive")
        self.signal_settings()

    def signal_settings(self, extra: dict[str, Any] | None = None) -> SignalSettings:
        """The signals' thresholds: the defaults, these settings' overrides, then ``extra``.

        Raises :class:`SettingsError` for an unknown threshold or an impossible value.
        """
        from culturescope.signals import SignalSettings, SignalSettingsError

        try:
            out = SignalSettings().with_overrides(
                self.signal_thresholds or {}, source="settings: signal thresholds"
            )
            return out.with_overrides(extra or {}, source="--set")
        except SignalSettingsError as exc:
            raise SettingsError(str(exc)) from None


def passphrase_problem(passphrase: str) -> str:
    """Why ``passphrase`` cannot be the admin passphrase ("" when it can)."""
    if len(passphrase) < PASSPHRASE_MIN_LENGTH:
        return f"the admin passphrase needs at least {PASSPHRASE_MIN_LENGTH} characters"
    if passphrase.strip().casefold() in _COMMON or len(set(passphrase)) < 3:
        return "this passphrase is too easy to guess; use a few unrelated words"
    return ""


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A rough strength (0 weak, 1 fair, 2 strong) and a hint on making it stronger.

    Length counts most: several unrelated words beat a short string of symbols.
    """
    if passphrase_problem(passphrase):
        return 0, (
            f"Too weak: use at least {PASSPHRASE_MIN_LENGTH} characters, e.g. three "
            "unrelated words."
        )
    kinds = sum(
        (
            any(c.islower() for c in passphrase),
            any(c.isupper() for c in passphrase),
            any(c.isdigit() for c in passphrase),
            any(not c.isalnum() for c in passphrase),
        )
    )
    words = len(passphrase.split())
    points = len(passphrase) + 3 * kinds + 4 * (words - 1)
    if points >= 24:
        return 2, "Strong."
    return 1, "Fair: a longer passphrase (another word or two) is much harder to guess."


class Backoff:
    """Exponential back-off after wrong passphrases (at the kiosk).

    The first :attr:`free` wrong attempts cost nothing; each further one doubles the wait
    before the next attempt (5 s, 10 s, 20 s … at most 5 minutes). A right passphrase
    resets it. With ``path`` the count and the end of the wait are kept in that file, so
    restarting the app (or the computer) does not start the count again; the file holds
    nothing secret, only the two numbers. ``clock`` (wall-clock seconds, as
    :func:`time.time`) is injectable so that tests never sleep.
    """

    def __init__(
        self,
        *,
        free: int = 3,
        first: float = 5.0,
        longest: float = 300.0,
        clock: Callable[[], float] | None = None,
        path: Path | None = None,
    ) -> None:
        import time

        self.free, self.first, self.longest = free, first, longest
        # Wall-clock time, not a monotonic clock: the end of a wait must mean the same
        # after a restart.
        self.clock = clock or time.time
        self.path = path
        self.failures = 0
        self._until = 0.0
        if path is not None:
            self._load()

    def failed(self) -> float:
        """Record a wrong attempt; returns the seconds to wait before the next one."""
        self.failures += 1
        extra = self.failures - self.free
        wait = 0.0 if extra <= 0 else min(self.longest, self.first * 2 ** (extra - 1))
        self._until = self.clock() + wait
        self._save()
        return wait

    def remaining(self) -> float:
        """Seconds left before another attempt is allowed (0 when allowed now)."""
        return max(0.0, self._until - self.clock())

    def succeeded(self) -> None:
        self.failures = 0
        self._until = 0.0
        self._save()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            failures, until = int(raw["failures"]), float(raw["until"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            # Missing or damaged: start afresh (whoever could damage it could delete it).
            return
        self.failures = max(0, failures)
        # A clock set back must not make the wait longer than the longest one.
        self._until = min(until, self.clock() + self.longest)

    def _save(self) -> None:
        if self.path is None:
            return
        data = json.dumps({"failures": self.failures, "until": self._until}).encode("utf-8")
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private(tmp, data)
            tmp.replace(self.path)
        except OSError:  # a read-only config folder: the back-off still works in memory
            pass


def backoff_path() -> Path:
    """Where the kiosk keeps its count of wrong admin passphrases."""
    return config_dir() / "kiosk-backoff.json"


def _hash(passphrase: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac(
        "sha256", passphrase.encode("utf-8"), bytes.fromhex(salt), iterations
    ).hex()


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """Settings from disk; defaults when the file does not exist. Unknown keys are ignored."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    _make_private(path)  # files of earlier versions were readable by everyone
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SettingsError(
            f"{path}: the settings file cannot be read ({exc}); delete it to reset"
        ) from None
    known = {f.name for f in dataclasses.fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    values["version"] = SETTINGS_VERSION
    try:
        settings = Settings(**values)
    except TypeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    settings.validate()
    path = path or settings_path()
    tmp = path.with_suffix(".tmp")
    data = json.dumps(dataclasses.asdict(settings), indent=2).encode("utf-8")
    write_private(tmp, data)
    tmp.replace(path)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a file only its owner can read or write (0600 on POSIX)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        _make_private(path)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
    finally:
        if fd >= 0:
            os.close(fd)


def _make_private(path: Path) -> None:
    """Take away group and world access from ``path`` (where the file system allows)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except OSError:  # e.g. a file system without POSIX modes
        pass
