"""The secret that keys duplicate-detection fingerprints, kept outside the database.

A fingerprint is an HMAC of what identifies a row in its source (a survey tool's response
number and start time, a submission time and the answers, a form number). Those values
have few possibilities: with the key in the same file as the fingerprints, anyone holding
the database could try every candidate and recover them. So the key lives in a file of its
own, readable by the user only (0600), in the configuration folder::

    <config folder>/keys/<database id>.key

One key per database (the database's random id names the file). Without the key file
(another computer, a lost configuration folder) the database still opens and imports; only
rows stored earlier can no longer be recognised by their row identity, and the import says
so. Re-importing the very same file is still recognised by the file's own fingerprint.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from culturescope.paths import config_dir

_ID = re.compile(r"^[0-9a-f]{32}$")


def key_dir() -> Path:
    """Folder of the fingerprint keys (created 0700)."""
    path = config_dir() / "keys"
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:  # pragma: no cover - e.g. a file system without permissions
        pass
    return path


def key_path(database_id: str) -> Path:
    if not _ID.match(database_id):
        raise ValueError(f"not a database id: {database_id!r}")
    return key_dir() / f"{database_id}.key"


def read_key(database_id: str) -> bytes | None:
    """The database's fingerprint key, or None when this computer does not hold it."""
    path = key_path(database_id)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) >= 16 else None


def write_key(database_id: str, key: bytes) -> Path:
    """Store ``key`` for the database, readable by the user only. An existing key file is
    never overwritten (it may be the only way to recognise rows stored with it)."""
    path = key_path(database_id)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return path


def load_or_create_key(database_id: str) -> tuple[bytes, bool]:
    """``(key, created)``: the stored key, or a new random one written to its file."""
    key = read_key(database_id)
    if key is not None:
        return key, False
    key = secrets.token_bytes(32)
    try:
        write_key(database_id, key)
    except FileExistsError:  # another process wrote it first: use theirs
        existing = read_key(database_id)
        if existing is not None:
            return existing, False
        raise
    return key, True
