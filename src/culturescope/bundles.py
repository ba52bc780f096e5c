"""Kiosk laptops at several sites (docs/design/collection.md).

The lead writes a **kiosk setup file** for a campaign (:func:`write_setup`); each kiosk
laptop installs it (:func:`install_setup`), which creates the same campaign there: same
uid, same bundle key, same instrument version. The laptop collects responses, then
exports a **response bundle** (:func:`export_bundle`); the lead merges the bundles of
every laptop into one database (:func:`merge_bundle`): all or nothing, idempotent, and
refused when the bundle belongs to another campaign or was changed after export (the
manifest carries an HMAC-SHA256 keyed with the campaign's bundle key).

File formats: docs/bundles.md. No respondent identity is in either file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.instruments import parse_instrument
from culturescope.paths import config_dir
from culturescope.sealing import WrongPassphrase, seal, unseal
from culturescope.settings import write_private
from culturescope.storage import Batch, Campaign, ResponseTable, Store
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

Progress = Callable[[float, str], None]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_ANSWER_CHARS = set(DIGITS + BLANK)


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


# ---- setup files ----------------------------------------------------------------------
def setup_data(store: Store, campaign_ref: str | int) -> dict[str, Any]:
    """The kiosk setup of a campaign (see docs/bundles.md)."""
    c = store.campaign(campaign_ref)
    if not c.bundle_key:
        raise BundleError(
            f"campaign '{c.name}' was installed here from a setup file; write setup files on "
            "the machine where the campaign was created"
        )
    inst = store.instrument(c.instrument_key)
    return {
        "format": SETUP_FORMAT,
        "version": SETUP_VERSION,
        "campaign": {
            "name": c.name,
            "uid": c.uid,
            "bundle_key": c.bundle_key,
            "organisation": c.organisation,
            "min_group_size": c.min_group_size,
            "min_comment_group_size": c.min_comment_group_size,
            "headcounts": c.headcounts,
        },
        "instrument": {"key": inst.key, "yaml": inst.source_text},
    }


def write_setup(store: Store, campaign_ref: str | int, path: str | Path) -> Path:
    """Write the kiosk setup file of a campaign to ``path``. It holds the campaign's bundle
    key: whoever has it can make bundles the lead's machine accepts."""
    data = setup_data(store, campaign_ref)
    return _write_atomic(Path(path), json.dumps(data, indent=2, ensure_ascii=False).encode())


def read_setup(path: str | Path) -> dict[str, Any]:
    """A validated kiosk setup file."""
    path = Path(path)
    name = path.name
    _check_regular_file(path, LIMITS.setup_bytes, "kiosk setup file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("format") != SETUP_FORMAT:
        raise BundleError(f"{name} is not a CultureScope kiosk setup file")
    _check_version(name, data, "kiosk setup file", SETUP_VERSION)
    camp, inst = data.get("campaign"), data.get("instrument")
    ok = (
        isinstance(camp, dict)
        and isinstance(inst, dict)
        and isinstance(camp.get("name"), str)
        and camp["name"].strip()
        and _HEX32.match(str(camp.get("uid", "")))
        and _HEX64.match(str(camp.get("bundle_key", "")))
        and isinstance(camp.get("min_group_size"), int)
        and isinstance(camp.get("min_comment_group_size"), int)
        and isinstance(camp.get("headcounts", {}), dict)
        and isinstance(inst.get("yaml"), str)
    )
    if not ok:
        raise BundleError(f"{name} is damaged: its campaign or instrument is incomplete")
    return data


# ---- the bundle key on a kiosk laptop -------------------------------------------------
def _key_file(store: Store, uid: str) -> Path:
    folder = config_dir() / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:  # pragma: no cover - file systems without modes
        pass
    return folder / f"bundle-{uid}-{store.database_id()}.sealed"


def key_is_sealed(store: Store, campaign: Campaign) -> bool:
    """True on a kiosk laptop: the campaign's key is sealed under the admin passphrase."""
    return not campaign.bundle_key


def campaign_key(store: Store, campaign: Campaign, passphrase: str | None = None) -> str:
    """The campaign's bundle key (hex): from the database on the machine that created the
    campaign, unsealed with the admin passphrase on a kiosk laptop."""
    if campaign.bundle_key:
        return campaign.bundle_key
    path = _key_file(store, campaign.uid)
    if not path.is_file():
        raise BundleError(
            f"the bundle key of campaign '{campaign.name}' is not on this laptop; install "
            "its kiosk setup file again"
        )
    if passphrase is None:
        raise BundleError(
            f"the bundle key of campaign '{campaign.name}' is locked on this kiosk laptop: "
            "give the admin passphrase"
        )
    try:
        return unseal(path.read_text(encoding="ascii"), passphrase).hex()
    except WrongPassphrase:
        raise BundleError("the admin passphrase is wrong; the bundle key stays locked") from None
    except (OSError, UnicodeDecodeError, CultureScopeError):
        raise BundleError(
            f"the sealed bundle key of campaign '{campaign.name}' cannot be read; install its "
            "kiosk setup file again"
        ) from None


def _seal_key(store: Store, uid: str, key_hex: str, passphrase: str) -> Path:
    path = _key_file(store, uid)
    tmp = path.with_name(path.name + ".part")
    write_private(tmp, seal(bytes.fromhex(key_hex), passphrase).encode("ascii"))
    os.replace(tmp, path)
    return path


def reseal_keys(store: Store, old: str, new: str) -> int:
    """Seal this laptop's bundle keys under a new admin passphrase; returns how many."""
    n = 0
    for c in store.campaigns():
        if c.bundle_key or not _key_file(store, c.uid).is_file():
            continue
        _seal_key(store, c.uid, campaign_key(store, c, old), new)
        n += 1
    return n


def install_setup(store: Store, path: str | Path, *, passphrase: str) -> tuple[Campaign, bool]:
    """Create the campaign of a kiosk setup file here (same uid, bundle key and instrument
    version). Returns ``(campaign, created)``; ``created`` is False when it was already
    installed (installing twice changes nothing).

    The bundle key is not stored in the database: it is sealed under ``passphrase`` (the
    admin passphrase that also guards kiosk mode) in a private file beside the settings,
    so that whoever leaves the kiosk without the passphrase cannot sign bundles.
    """
    data = read_setup(path)
    name = Path(path).name
    camp = data["campaign"]
    existing = store.campaign_by_uid(camp["uid"])
    if existing is not None:
        if existing.bundle_key:
            same = hmac.compare_digest(existing.bundle_key, camp["bundle_key"])
        elif _key_file(store, existing.uid).is_file():
            same = hmac.compare_digest(
                campaign_key(store, existing, passphrase), camp["bundle_key"]
            )
        else:  # the key file was lost: the setup file brings it back
            _seal_key(store, existing.uid, camp["bundle_key"], passphrase)
            same = True
        if not same:
            raise BundleError(
                f"campaign '{existing.name}' is here already with another bundle key; "
                f"{name} does not belong to it"
            )
        return existing, False
    same_name = next((c for c in store.campaigns() if c.name == camp["name"].strip()), None)
    if same_name is not None:
        raise BundleError(
            f"a different campaign named '{same_name.name}' already exists in this database; "
            f"rename or delete it before installing {name}"
        )
    instrument = parse_instrument(data["instrument"]["yaml"], source=f"{name} (instrument)")
    key = data["instrument"].get("key")
    if key is not None and key != instrument.key:
        raise BundleError(f"{name} is damaged: its instrument is not {key}")
    key_file = _seal_key(store, camp["uid"], camp["bundle_key"], passphrase)
    try:
        created = store.create_campaign(
            camp["name"],
            instrument,
            organisation=str(camp.get("organisation") or "My organisation"),
            min_group_size=camp["min_group_size"],
            min_comment_group_size=camp["min_comment_group_size"],
            headcounts=camp.get("headcounts") or {},
            uid=camp["uid"],
            bundle_key="",  # sealed in key_file instead
        )
    except BaseException:
        key_file.unlink(missing_ok=True)
        raise
    return created, True


# ---- bundles --------------------------------------------------------------------------
@dataclass(frozen=True)
class MergeResult:
    campaign: Campaign
    file_name: str
    responses: int  # in the bundle
    added: int
    already_stored: int
    batch: Batch | None  # None when nothing was new


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


def export_bundle(
    store: Store,
    campaign_ref: str | int,
    path: str | Path,
    *,
    progress: Progress | None = None,
    passphrase: str | None = None,
) -> tuple[Path, int]:
    """Write a campaign's responses to a bundle file; returns ``(path, responses)``.

    On a kiosk laptop ``passphrase`` (the admin passphrase) unseals the key that signs it.
    """
    c = store.campaign(campaign_ref)
    key = campaign_key(store, c, passphrase)
    if progress is not None:
        progress(0.0, "reading responses")
    rows = store.stored_responses(c.id)
    if not rows:
        raise BundleError(f"campaign '{c.name}' has no responses to export")
    lines = []
    for r in rows:
        day = r["submitted_on"]
        lines.append(
            json.dumps(
                {
                    "answers": r["answers"],
                    "demographics": r["demographics"],
                    "comments": r["comments"],
                    "source": r["source"],
                    "source_ref": r["source_ref"],
                    "submitted_on": day.isoformat() if day else None,
                    "fingerprint": r["fingerprint"],
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    body = ("\n".join(lines) + "\n").encode("utf-8")
    manifest: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": FORMAT_VERSION,
        "campaign": {"uid": c.uid, "name": c.name},
        "instrument": c.instrument_key,
        "created_on": dt.date.today().isoformat(),
        "responses": len(rows),
        "source_database": store.database_id(),
        "responses_bytes": len(body),
        "responses_sha256": hashlib.sha256(body).hexdigest(),
    }
    manifest["hmac"] = manifest_signature(key, manifest)
    if progress is not None:
        progress(0.5, "writing the bundle")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        zf.writestr(RESPONSES, body)
    out = _write_atomic(Path(path), buf.getvalue())
    if progress is not None:
        progress(1.0, "done")
    return out, len(rows)


def merge_bundle(
    store: Store,
    path: str | Path,
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    limits: BundleLimits = LIMITS,
) -> MergeResult:
    """Add a bundle's new responses to its campaign, in one transaction.

    Responses already stored (same fingerprint) are skipped, so merging a bundle twice, or
    two bundles of the same laptop, adds nothing twice. Refused, with the database
    unchanged, when the file is not a bundle, belongs to a campaign this database does not
    hold, was changed after export, or uses another instrument version.
    """
    path = Path(path)
    name = path.name
    manifest, body, file_sha, c = _read_bundle(store, path, limits)
    if manifest["instrument"] != c.instrument_key:
        raise BundleError(
            f"{name} holds answers to {manifest['instrument']}, but campaign '{c.name}' uses "
            f"{c.instrument_key}; nothing was merged"
        )
    if progress is not None:
        progress(0.1, "checking responses")
    n_items = len(store.instrument(c.instrument_key).items)
    table = _response_table(name, body, n_items, int(manifest["responses"]))
    total = len(table.fingerprints)
    stored = store.existing_fingerprints(c.id)
    new = len(set(table.fingerprints) - stored)
    batch = None
    if new:
        batch = store.add_response_table(
            c.id,
            table,
            source="bundle",
            file_name=name,
            file_sha256=file_sha,
            notices=[
                f"bundle of {total} responses exported on {manifest['created_on']}"
                + (
                    f" from database {manifest['source_database']}"
                    if manifest.get("source_database")
                    else ""
                )
            ],
            progress=progress,
            is_cancelled=is_cancelled,
        )
    added = batch.rows_added if batch is not None else 0
    return MergeResult(store.campaign(c.id), name, total, added, total - added, batch)


def _size(n: int) -> str:
    for unit, factor in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= factor:
            return f"{n / factor:,.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def _check_regular_file(path: Path, limit: int, what: str) -> int:
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
            f"{name} is too large for a {what} ({_size(st.st_size)}; at most {_size(limit)})"
        )
    return st.st_size


# What a damaged zip raises inside zipfile: a bad header, a truncated or corrupt deflate
# stream (zlib.error), an encrypted member (RuntimeError), an unknown compression method
# (NotImplementedError), and the like. None of them is a bug of ours.
_ZIP_ERRORS = (
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


def _zip_entries(fh) -> int | None:
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


def _member(zf: zipfile.ZipFile, member: str, limit: int, ratio: int, name: str):
    """The ZipInfo of ``member`` once its declared sizes are within the limits."""
    info = zf.getinfo(member)
    if info.flag_bits & 0x1:
        raise BundleError(f"{name} is not a CultureScope response bundle ({member} is encrypted)")
    if info.file_size > limit:
        raise BundleError(
            f"{name} is refused: {member} would unpack to {_size(info.file_size)} "
            f"(at most {_size(limit)})"
        )
    if info.file_size > 4096 and info.file_size > ratio * max(info.compress_size, 1):
        raise BundleError(
            f"{name} is refused: {member} would unpack to {_size(info.file_size)} "
            f"from {_size(info.compress_size)} (a zip bomb?)"
        )
    return info


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    """The member's bytes, never more than ``limit`` whatever its header claims."""
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise BundleError(f"{name} is refused: {info.filename} is larger than it says")
    return bytes(out)


def _read_bundle(
    store: Store, path: Path, limits: BundleLimits
) -> tuple[dict[str, Any], bytes, str, Campaign]:
    """Open, authenticate and unpack a bundle, in that order.

    Sizes are checked before anything is unpacked; the manifest alone is unpacked and its
    signature checked with the campaign's key; only then are the responses unpacked (at
    most the signed size) and compared with the signed digest.
    """
    name = path.name
    not_bundle = f"{name} is not a CultureScope response bundle"
    _check_regular_file(path, limits.file_bytes, "response bundle")
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                raise BundleError(f"{not_bundle} (not a zip file)")
            fh.seek(0)
            file_sha = hashlib.file_digest(fh, "sha256").hexdigest()
            entries = _zip_entries(fh)
            if entries is None or entries > limits.entries:
                raise BundleError(f"{not_bundle} ({entries or 'too many'} members inside)")
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
                names = {i.filename for i in infos}
                if MANIFEST not in names or RESPONSES not in names:
                    raise BundleError(f"{not_bundle} (no {MANIFEST} and {RESPONSES} inside)")
                m_info = _member(zf, MANIFEST, limits.manifest_bytes, limits.ratio, name)
                r_info = _member(zf, RESPONSES, limits.responses_bytes, limits.ratio, name)
                manifest = _parse_manifest(
                    name, _read_capped(zf, m_info, limits.manifest_bytes, name)
                )
                c = _campaign_of(store, name, manifest)
                if manifest["version"] >= 2:
                    _check_signed_size(name, manifest, r_info, c)
                body = _read_capped(zf, r_info, limits.responses_bytes, name)
    except BundleError:
        raise
    except _ZIP_ERRORS as exc:
        raise BundleError(f"{name} is damaged and cannot be read ({_reason(exc)})") from None
    if manifest["version"] >= 2:
        good = hmac.compare_digest(
            hashlib.sha256(body).hexdigest(), str(manifest["responses_sha256"])
        )
    else:  # format 1 signs the manifest and the responses together
        good = hmac.compare_digest(
            signature(c.bundle_key, manifest, body), str(manifest.get("hmac", ""))
        )
    if not good:
        raise _changed(name, c)
    return manifest, body, file_sha, c


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _changed(name: str, c: Campaign) -> BundleError:
    return BundleError(
        f"{name} has been changed since it was exported (its signature does not match "
        f"campaign '{c.name}'); nothing was merged"
    )


def _parse_manifest(name: str, manifest_bytes: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BundleError(f"{name} is damaged: its {MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{name} is not a CultureScope response bundle")
    _check_version(name, manifest, "bundle", FORMAT_VERSION)
    camp = manifest.get("campaign")
    ok = (
        isinstance(camp, dict)
        and _HEX32.match(str(camp.get("uid", "")))
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
            and _HEX64.match(str(manifest.get("responses_sha256", ""))) is not None
        )
    if not ok:
        raise BundleError(f"{name} is damaged: its {MANIFEST} is incomplete")
    return manifest


def _campaign_of(store: Store, name: str, manifest: dict[str, Any]) -> Campaign:
    uid = manifest["campaign"]["uid"]
    c = store.campaign_by_uid(uid)
    if c is None:
        campaign_name = manifest["campaign"]["name"][:80]
        raise BundleError(
            f"{name} belongs to campaign '{campaign_name}' (uid {uid}), which "
            "is not in this database — install its setup file or merge on the right machine"
        )
    if not c.bundle_key:
        raise BundleError(
            f"campaign '{c.name}' was installed here from a setup file: merge {name} on the "
            "machine where the campaign was created"
        )
    return c


def _check_signed_size(name: str, manifest: dict[str, Any], info, c: Campaign) -> None:
    """Format 2: the manifest's own signature, then the member's size against it."""
    expected = manifest_signature(c.bundle_key, manifest)
    if not hmac.compare_digest(expected, manifest["hmac"]):
        raise _changed(name, c)
    if info.file_size != manifest["responses_bytes"]:
        raise _changed(name, c)


def _response_table(name: str, body: bytes, n_items: int, expected: int) -> ResponseTable:
    """Parse and check responses.jsonl (already authenticated) into a table to store."""
    sources: list[str] = []
    table = ResponseTable(
        answers=[],
        demographics=[],
        fingerprints=[],
        source_refs=[],
        submitted_on=[],
        sources=sources,
    )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(f"{name} is damaged: {RESPONSES} is not UTF-8") from None
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) != expected:
        raise BundleError(
            f"{name} is damaged: its manifest lists {expected} responses, {RESPONSES} holds "
            f"{len(lines)}"
        )
    for n, line in enumerate(lines, start=1):
        try:
            r = json.loads(line)
            answers = r["answers"]
            demographics = r.get("demographics") or {}
            comments = r.get("comments") or {}
            source = r["source"]
            fingerprint = r["fingerprint"]
            day = r.get("submitted_on")
            ref = r.get("source_ref")
            ok = (
                isinstance(answers, str)
                and len(answers) <= n_items
                and set(answers) <= _ANSWER_CHARS
                and isinstance(demographics, dict)
                and all(v is None or isinstance(v, str) for v in demographics.values())
                and isinstance(comments, dict)
                and all(isinstance(v, str) for v in comments.values())
                and source in SOURCES
                and isinstance(fingerprint, str)
                and _HEX64.match(fingerprint)
                and (ref is None or isinstance(ref, str))
            )
            submitted = dt.date.fromisoformat(day) if day else None
        except (ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise BundleError(f"{name} is damaged: response {n} in {RESPONSES} is not valid")
        table.answers.append(answers.ljust(n_items, BLANK))
        table.demographics.append(demographics)
        table.fingerprints.append(fingerprint)
        bundle_ref = f"bundle {name}" + (f", {ref}" if ref else "")
        table.source_refs.append(bundle_ref[:SOURCE_REF_LENGTH])
        table.submitted_on.append(submitted)
        sources.append(source)
        if comments:
            table.comments[n - 1] = comments
    return table


def _check_version(name: str, data: dict[str, Any], what: str, newest: int) -> None:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(f"{name} is damaged: its format version is missing")
    if version > newest:
        raise BundleError(
            f"{name} is a {what} of a newer CultureScope (format version {version}); "
            "update CultureScope on this machine"
        )


def _write_atomic(path: Path, data: bytes) -> Path:
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
