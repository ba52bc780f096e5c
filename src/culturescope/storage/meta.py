"""Facts about the database itself (its id, the fingerprint key's check) and fingerprints.

Fingerprints are keyed hashes of a response's identity in its source (a row's response
id, a paper form number), used to recognise the same response when it comes again. The
key lives in a key file of this computer, not in the database (:mod:`.keys`).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable

from culturescope.storage.errors import DatabaseConflict
from culturescope.storage.models import Meta
from culturescope.storage.unit_of_work import UnitOfWork

KEY_CHECK = "fingerprint_key_check"


class MetaRepository(UnitOfWork):
    """The ``meta`` table: one value per key, made on first use."""

    _secret: bytes | None
    _key_matches: bool

    def _forget_cached(self) -> None:
        super()._forget_cached()
        self._secret = None  # e.g. a key made in a rolled-back transaction
        self._key_matches = True

    def database_id(self) -> str:
        """A random id of this database (not of any person or device), made on first use."""
        return self._meta("database_id", lambda: uuid.uuid4().hex)

    def note(self, key: str) -> str | None:
        """A value this database keeps about itself (its ``meta`` table), or None."""
        with self.session() as s:
            row = s.get(Meta, key)
            return None if row is None else row.value

    def set_note(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key`` in this database's ``meta`` table (replacing it)."""
        with self.session() as s:
            s.merge(Meta(key=key, value=value))

    def fingerprint(self, *parts: object) -> str:
        """Keyed hash of ``parts``: the same source row gives the same value, and nothing
        about the row can be read back from it. The key is not in the database but in a
        key file of this computer (see :mod:`culturescope.storage.keys`), so trying every
        candidate respondent id or timestamp against the database finds nothing."""
        msg = "\x1f".join(str(p) for p in parts).encode("utf-8")
        return hmac.new(self._fingerprint_key(), msg, hashlib.sha256).hexdigest()

    def _fingerprint_key(self) -> bytes:
        if self._secret is None:
            from culturescope.storage import keys

            key, _ = keys.load_or_create_key(self.database_id())
            check = _key_check(key)
            stored = self._meta(KEY_CHECK, lambda: check)
            self._key_matches = hmac.compare_digest(stored, check)
            self._secret = key
        return self._secret

    def fingerprint_key_matches(self) -> bool:
        """False when this computer's key file is not the one the stored fingerprints were
        made with (the database was copied from elsewhere): rows stored before cannot then
        be recognised by their row identity, only files by their own fingerprint."""
        self._fingerprint_key()
        return self._key_matches

    def _meta(self, key: str, default: Callable[[], str]) -> str:
        with self.session() as s:
            row = s.get(Meta, key)
            if row is not None:
                return row.value
        value = default()
        try:
            with self.session() as s:
                s.add(Meta(key=key, value=value))
        except DatabaseConflict:
            # Another process (e.g. a second import started at the same moment) stored
            # this value first: use theirs.
            if self.in_transaction():
                raise
            with self.session() as s:
                row = s.get(Meta, key)
                if row is None:
                    raise
                return row.value
        return value


def _key_check(key: bytes) -> str:
    # The same value as migration 0004's key_check.
    return hmac.new(key, b"culturescope fingerprint key check", hashlib.sha256).hexdigest()
