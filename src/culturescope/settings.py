"""App settings: a typed, versioned JSON file in the platform's config folder.

The admin passphrase that guards kiosk mode is kept only as a salted PBKDF2 hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.paths import config_dir

SETTINGS_VERSION = 1
_ITERATIONS = 200_000


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
    organisation: str = "My organisation"
    #: Safety-washing thresholds that differ from their documented defaults (name → value).
    signal_thresholds: dict[str, Any] = field(default_factory=dict)

    # ---- passphrase -------------------------------------------------------------------
    def set_passphrase(self, passphrase: str) -> None:
        if len(passphrase) < 4:
            raise SettingsError("the admin passphrase needs at least 4 characters")
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
        if self.min_group_size < 3:
            raise SettingsError("the minimum group size cannot be below 3")
        if self.min_comment_group_size < self.min_group_size:
            raise SettingsError(
                "the minimum group size for comments cannot be below the one for scores"
            )
        if self.kiosk_idle_minutes <= 0:
            raise SettingsError("the kiosk idle time must be positive")
        self.signal_settings()

    def signal_settings(self, extra: dict[str, Any] | None = None):
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
    tmp.write_text(json.dumps(dataclasses.asdict(settings), indent=2), encoding="utf-8")
    tmp.replace(path)
