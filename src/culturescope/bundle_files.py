"""Kiosk setup files and response bundles as files: formats, limits, signatures.

What :mod:`culturescope.bundles` needs to read a file it did not write safely: the limits
checked before anything is unpacked, the zip errors that mean "damaged", the manifest's
signature. Formats: docs/bundles.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from culturescope import CultureScopeError
from culturescope.storage.codes import BLANK, DIGITS

SETUP_FORMAT = "culturescope-kiosk-setup"
BUNDLE_FORMAT = "culturescope-response-bundle"
FORMAT_VERSION = 2  # 2: the manifest is signed on its own and carries the responses' digest
SETUP_VERSION = 1
SETUP_SUFFIX = ".cskiosk"
BUNDLE_SUFFIX = ".csbundle"
MANIFEST = "manifest.json"
RESPONSES = "responses.jsonl"
# Sources a bundled response may carry (its original provenance is kept on merge).
SOURCES = {"kiosk", "paper", "file", "bundle", "demo"}
SOURCE_REF_LENGTH = 200

HEX64 = re.compile(r"^[0-9a-f]{64}$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
ANSWER_CHARS = set(DIGITS + BLANK)


class BundleError(CultureScopeError):
    """A setup file or bundle that cannot be written, installed or merged."""


@dataclass(frozen=True)
class BundleLimits:
    """What a bundle or setup file may be, checked before anything is unpacked.

    The defaults hold far more than any real campaign (a response takes about 300 bytes, so
    128 MB is some 400,000 responses) while keeping a merge well under 1 GB of memory.
    """

    file_bytes: int = 256 * 2**20  # the .csbundle file itself
    manifest_bytes: int = 64 * 2**10  # manifest.json unpacked
    responses_bytes: int = 128 * 2**20  # responses.jsonl unpacked
    ratio: int = 100  # unpacked size / packed size, per member
    entries: int = 8  # members in the zip
    setup_bytes: int = 16 * 2**20  # a .cskiosk setup file


LIMITS = BundleLimits()


def _canonical(manifest: dict[str, Any]) -> bytes:
    fields = {k: v for k, v in manifest.items() if k != "hmac"}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(key_hex: str, manifest: dict[str, Any], responses: bytes) -> str:
    """Format 1: HMAC-SHA256 over the manifest's fields (canonical JSON, without ``hmac``),
    a newline and the exact bytes of responses.jsonl, keyed with the campaign's bundle key."""
    message = _canonical(manifest) + b"\n" + responses
    return hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()


def manifest_signature(key_hex: str, manifest: dict[str, Any]) -> str:
    """Format 2: HMAC-SHA256 over the manifest's fields alone (canonical JSON, without
    ``hmac``). The manifest carries the size and SHA-256 of responses.jsonl, so a bundle is
    authenticated before any response is unpacked."""
    return hmac.new(bytes.fromhex(key_hex), _canonical(manifest), hashlib.sha256).hexdigest()


def size(n: int) -> str:
    for unit, factor in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= factor:
            return f"{n / factor:,.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def check_regular_file(path: Path, limit: int, what: str) -> int:
    """Refuse what is not a readable regular file of at most ``limit`` bytes (a named pipe
    would hang the read, a device never end); returns its size."""
    name = path.name
    try:
        st = path.stat()
    except OSError as exc:
        raise BundleError(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise BundleError(f"{name} is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise BundleError(f"{name} is not a regular file (a pipe or a device), not a {what}")
    if st.st_size > limit:
        raise BundleError(
            f"{name} is too large for a {what} ({size(st.st_size)}; at most {size(limit)})"
        )
    return st.st_size


# What a damaged zip raises inside zipfile: a bad header, a truncated or corrupt deflate
# stream (zlib.error), an encrypted member (RuntimeError), an unknown compression method
# (NotImplementedError), and the like. None of them is a bug of ours.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    struct.error,
    lzma.LZMAError,
)


def zip_entries(fh: IO[bytes]) -> int | None:
    """The member count the zip's end record declares, read before the zip is parsed (a
    central directory of millions of entries would take gigabytes to list); None when
    there is no plain end record (zip64, or not a zip)."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    total = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    return None if total == 0xFFFF else total


def checked_member(
    zf: zipfile.ZipFile, member: str, limit: int, ratio: int, name: str
) -> zipfile.ZipInfo:
    """The ZipInfo of ``member`` once its declared sizes are within the limits."""
    info = zf.getinfo(member)
    if info.flag_bits & 0x1:
        raise BundleError(f"{name} is not a CultureScope response bundle ({member} is encrypted)")
    if info.file_size > limit:
        raise BundleError(
            f"{name} is refused: {member} would unpack to {size(info.file_size)} "
            f"(at most {size(limit)})"
        )
    if info.file_size > 4096 and info.file_size > ratio * max(info.compress_size, 1):
        raise BundleError(
            f"{name} is refused: {member} would unpack to {size(info.file_size)} "
            f"from {size(info.compress_size)} (a zip bomb?)"
        )
    return info


def read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    """The member's bytes, never more than ``limit`` whatever its header claims."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise BundleError(f"{name} is refused: {info.filename} is larger than it says")
    return bytes(out)


def reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def parse_manifest(name: str, manifest_bytes: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BundleError(f"{name} is damaged: its {MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{name} is not a CultureScope response bundle")
    check_version(name, manifest, "bundle", FORMAT_VERSION)
    camp = manifest.get("campaign")
    ok = (
        isinstance(camp, dict)
        and HEX32.match(str(camp.get("uid", "")))
        and isinstance(camp.get("name"), str)
        and isinstance(manifest.get("instrument"), str)
        and isinstance(manifest.get("responses"), int)
        and isinstance(manifest.get("created_on"), str)
        and isinstance(manifest.get("hmac"), str)
    )
    if ok and manifest["version"] >= 2:
        ok = (
            isinstance(manifest.get("responses_bytes"), int)
            and manifest["responses_bytes"] >= 0
            and HEX64.match(str(manifest.get("responses_sha256", ""))) is not None
        )
    if not ok:
        raise BundleError(f"{name} is damaged: its {MANIFEST} is incomplete")
    return manifest


def check_version(name: str, data: dict[str, Any], what: str, newest: int) -> None:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(f"{name} is damaged: its format version is missing")
    if version > newest:
        raise BundleError(
            f"{name} is a {what} of a newer CultureScope (format version {version}); "
            "update CultureScope on this machine"
        )


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file beside it: never a half file."""
    path = path.expanduser()
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
