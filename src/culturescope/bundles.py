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
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.instruments import parse_instrument
from culturescope.storage import Batch, Campaign, ResponseTable, Store
from culturescope.storage.codes import BLANK, DIGITS

SETUP_FORMAT = "culturescope-kiosk-setup"
BUNDLE_FORMAT = "culturescope-response-bundle"
FORMAT_VERSION = 1
SETUP_SUFFIX = ".cskiosk"
BUNDLE_SUFFIX = ".csbundle"
MANIFEST = "manifest.json"
RESPONSES = "responses.jsonl"
# Sources a bundled response may carry (its original provenance is kept on merge).
SOURCES = {"kiosk", "paper", "file", "bundle", "demo"}
MAX_MEMBER_BYTES = 1 << 30  # refuse absurd (zip-bomb) members
SOURCE_REF_LENGTH = 200

Progress = Callable[[float, str], None]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_ANSWER_CHARS = set(DIGITS + BLANK)


class BundleError(CultureScopeError):
    """A setup file or bundle that cannot be written, installed or merged."""


# ---- setup files ----------------------------------------------------------------------
def setup_data(store: Store, campaign_ref: str | int) -> dict[str, Any]:
    """The kiosk setup of a campaign (see docs/bundles.md)."""
    c = store.campaign(campaign_ref)
    inst = store.instrument(c.instrument_key)
    return {
        "format": SETUP_FORMAT,
        "version": FORMAT_VERSION,
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
    _check_version(name, data, "kiosk setup file")
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


def install_setup(store: Store, path: str | Path) -> tuple[Campaign, bool]:
    """Create the campaign of a kiosk setup file here (same uid, bundle key and instrument
    version). Returns ``(campaign, created)``; ``created`` is False when it was already
    installed (installing twice changes nothing)."""
    data = read_setup(path)
    name = Path(path).name
    camp = data["campaign"]
    existing = store.campaign_by_uid(camp["uid"])
    if existing is not None:
        if existing.bundle_key != camp["bundle_key"]:
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
    created = store.create_campaign(
        camp["name"],
        instrument,
        organisation=str(camp.get("organisation") or "My organisation"),
        min_group_size=camp["min_group_size"],
        min_comment_group_size=camp["min_comment_group_size"],
        headcounts=camp.get("headcounts") or {},
        uid=camp["uid"],
        bundle_key=camp["bundle_key"],
    )
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


def signature(key_hex: str, manifest: dict[str, Any], responses: bytes) -> str:
    """HMAC-SHA256 over the manifest's fields (canonical JSON, without ``hmac``), a newline
    and the exact bytes of responses.jsonl, keyed with the campaign's bundle key."""
    fields = {k: v for k, v in manifest.items() if k != "hmac"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = canonical.encode("utf-8") + b"\n" + responses
    return hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()


def export_bundle(
    store: Store,
    campaign_ref: str | int,
    path: str | Path,
    *,
    progress: Progress | None = None,
) -> tuple[Path, int]:
    """Write a campaign's responses to a bundle file; returns ``(path, responses)``."""
    c = store.campaign(campaign_ref)
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
    }
    manifest["hmac"] = signature(c.bundle_key, manifest, body)
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
) -> MergeResult:
    """Add a bundle's new responses to its campaign, in one transaction.

    Responses already stored (same fingerprint) are skipped, so merging a bundle twice, or
    two bundles of the same laptop, adds nothing twice. Refused, with the database
    unchanged, when the file is not a bundle, belongs to a campaign this database does not
    hold, was changed after export, or uses another instrument version.
    """
    path = Path(path)
    name = path.name
    manifest, body, file_sha = _read_bundle(path)
    uid = manifest["campaign"]["uid"]
    c = store.campaign_by_uid(uid)
    if c is None:
        raise BundleError(
            f"{name} belongs to campaign '{manifest['campaign']['name']}' (uid {uid}), which "
            "is not in this database — install its setup file or merge on the right machine"
        )
    expected = signature(c.bundle_key, manifest, body)
    if not hmac.compare_digest(expected, str(manifest.get("hmac", ""))):
        raise BundleError(
            f"{name} has been changed since it was exported (its signature does not match "
            f"campaign '{c.name}'); nothing was merged"
        )
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


def _read_bundle(path: Path) -> tuple[dict[str, Any], bytes, str]:
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read {name}: {exc.strerror or exc}") from None
    not_bundle = f"{name} is not a CultureScope response bundle"
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise BundleError(f"{not_bundle} (not a zip file)")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = set(zf.namelist())
            if MANIFEST not in names or RESPONSES not in names:
                raise BundleError(f"{not_bundle} (no {MANIFEST} and {RESPONSES} inside)")
            for info in (zf.getinfo(MANIFEST), zf.getinfo(RESPONSES)):
                if info.file_size > MAX_MEMBER_BYTES:
                    raise BundleError(f"{not_bundle} ({info.filename} is too large)")
            manifest_bytes = zf.read(MANIFEST)
            body = zf.read(RESPONSES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise BundleError(f"{name} is damaged and cannot be read ({exc})") from None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(f"{name} is damaged: its {MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(not_bundle)
    _check_version(name, manifest, "bundle")
    camp = manifest.get("campaign")
    if not (
        isinstance(camp, dict)
        and _HEX32.match(str(camp.get("uid", "")))
        and isinstance(camp.get("name"), str)
        and isinstance(manifest.get("instrument"), str)
        and isinstance(manifest.get("responses"), int)
        and isinstance(manifest.get("created_on"), str)
    ):
        raise BundleError(f"{name} is damaged: its {MANIFEST} is incomplete")
    return manifest, body, hashlib.sha256(raw).hexdigest()


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


def _check_version(name: str, data: dict[str, Any], what: str) -> None:
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
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
