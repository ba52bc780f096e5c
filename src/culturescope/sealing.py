"""A secret kept under a passphrase: what a kiosk laptop does with its bundle key.

:func:`seal` derives 64 bytes from the passphrase and a fresh random salt with
PBKDF2-HMAC-SHA256; the first bytes are XORed with the secret (a one-time pad: the salt,
and so the pad, is new for every seal), the last 32 key an HMAC over salt and ciphertext
that tells a wrong passphrase from a damaged value. Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from culturescope import CultureScopeError

PREFIX = "sealed1"
ITERATIONS = 200_000


class WrongPassphrase(CultureScopeError):
    """The passphrase does not open the sealed secret."""


def _derive(passphrase: str, salt: bytes, iterations: int, length: int) -> tuple[bytes, bytes]:
    stream = hashlib.pbkdf2_hmac(
        "sha256", passphrase.encode("utf-8"), salt, iterations, dklen=length + 32
    )
    return stream[:length], stream[length:]


def seal(secret: bytes, passphrase: str) -> str:
    """``secret`` encrypted and authenticated under ``passphrase``, as one text line."""
    salt = secrets.token_bytes(16)
    pad, mac_key = _derive(passphrase, salt, ITERATIONS, len(secret))
    cipher = bytes(a ^ b for a, b in zip(secret, pad, strict=True))
    mac = hmac.new(mac_key, salt + cipher, hashlib.sha256).hexdigest()
    return "$".join((PREFIX, str(ITERATIONS), salt.hex(), cipher.hex(), mac))


def unseal(sealed: str, passphrase: str) -> bytes:
    """The secret inside ``sealed``; :class:`WrongPassphrase` when it does not open."""
    try:
        prefix, iterations, salt_hex, cipher_hex, mac = sealed.strip().split("$")
        salt, cipher, rounds = bytes.fromhex(salt_hex), bytes.fromhex(cipher_hex), int(iterations)
    except ValueError:
        raise CultureScopeError("the sealed key is damaged") from None
    if prefix != PREFIX or not 1_000 <= rounds <= 10_000_000:
        raise CultureScopeError("the sealed key is damaged")
    pad, mac_key = _derive(passphrase, salt, rounds, len(cipher))
    expected = hmac.new(mac_key, salt + cipher, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise WrongPassphrase("the admin passphrase is wrong")
    return bytes(a ^ b for a, b in zip(cipher, pad, strict=True))
