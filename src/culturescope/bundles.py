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
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from culturescope import CultureScopeError
from culturescope.bundle_files import (
    ANSWER_CHARS,
    BUNDLE_FORMAT,
    BUNDLE_SUFFIX,
    FORMAT_VERSION,
    HEX32,
    HEX64,
    LIMITS,
    MANIFEST,
    RESPONSES,
    SETUP_FORMAT,
    SETUP_SUFFIX,
    SETUP_VERSION,
    SOURCE_REF_LENGTH,
    SOURCES,
    ZIP_ERRORS,
    BundleError,
    BundleLimits,
    check_regular_file,
    check_version,
    checked_member,
    manifest_signature,
    parse_manifest,
    read_capped,
    reason,
    signature,
    write_atomic,
    zip_entries,
)
from culturescope.instruments import parse_instrument
from culturescope.paths import config_dir
from culturescope.sealing import WrongPassphrase, seal, unseal
from culturescope.settings import write_private
from culturescope.storage import Batch, Campaign, ResponseTable, Store
from culturescope.storage.codes import BLANK

Progress = Callable[[float, str], None]


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
    written = write_atomic(Path(path), json.dumps(data, indent=2, ensure_ascii=False).encode())
    _note_key_home(store, data["campaign"]["uid"])  # the lead's machine: keep the key here
    return written


def read_setup(path: str | Path) -> dict[str, Any]:
    """A validated kiosk setup file."""
    path = Path(path)
    name = path.name
    check_regular_file(path, LIMITS.setup_bytes, "kiosk setup file")
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
    check_version(name, data, "kiosk setup file", SETUP_VERSION)
    camp, inst = data.get("campaign"), data.get("instrument")
    ok = (
        isinstance(camp, dict)
        and isinstance(inst, dict)
        and isinstance(camp.get("name"), str)
        and camp["name"].strip()
        and HEX32.match(str(camp.get("uid", "")))
        and HEX64.match(str(camp.get("bundle_key", "")))
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


# ---- laptops set up by an earlier version -------------------------------------------
#: Note in the database's meta table: this database is where the campaign's key belongs
#: in plain text (it was created here, or its organiser said so).
_KEY_HOME = "bundle_key_home:"


def _note_key_home(store: Store, uid: str) -> None:
    store.set_note(_KEY_HOME + uid, "yes")


def plain_key_to_seal(store: Store, campaign: Campaign) -> bool:
    """True when ``campaign``'s bundle key is in this database in plain text although this
    may be a kiosk laptop: laptops set up before keys were sealed kept it so.

    False where the key belongs: the lead's machine (it wrote a setup file or merged a
    bundle of the campaign here, or its organiser said so before), and on laptops whose
    key is sealed already. Nothing in the database tells the two apart otherwise, so the
    organiser is asked (see :func:`seal_plain_key` and :func:`keep_plain_key`).
    """
    if not campaign.bundle_key or store.note(_KEY_HOME + campaign.uid):
        return False
    return not any(b.source == "bundle" for b in store.batches(campaign.id))


def seal_plain_key(store: Store, campaign: Campaign, passphrase: str) -> Campaign:
    """Kiosk laptop set up by an earlier version: seal the campaign's bundle key under the
    admin passphrase (as :func:`install_setup` does now) and remove it from the database.

    The sealed file is written and checked before the database forgets the key, so a
    failure half-way leaves the key usable.
    """
    key = campaign.bundle_key
    if not key:
        return campaign
    path = _seal_key(store, campaign.uid, key, passphrase)
    if not hmac.compare_digest(unseal(path.read_text(encoding="ascii"), passphrase).hex(), key):
        raise BundleError("the bundle key could not be sealed; it stays as it was")
    return store.forget_bundle_key(campaign.id)


def keep_plain_key(store: Store, campaign: Campaign) -> None:
    """The organiser says this is the machine where the campaign was created: its key stays
    in the database and the question is not asked again."""
    _note_key_home(store, campaign.uid)


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
        else:
            try:
                same = hmac.compare_digest(
                    campaign_key(store, existing, passphrase), camp["bundle_key"]
                )
            except BundleError:
                # The key file is lost, or sealed under a forgotten passphrase: the setup
                # file (which holds the key) seals it anew under this one.
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
    out = write_atomic(Path(path), buf.getvalue())
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
    # The duplicate check runs inside the store's write transaction (two merges at once
    # cannot both add a response); nothing new records no batch.
    stored = store.add_response_table(
        c.id,
        table,
        source="bundle",
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
    batch = stored if stored.id is not None else None
    added = stored.rows_added
    return MergeResult(store.campaign(c.id), name, total, added, total - added, batch)


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
    check_regular_file(path, limits.file_bytes, "response bundle")
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                raise BundleError(f"{not_bundle} (not a zip file)")
            fh.seek(0)
            file_sha = hashlib.file_digest(fh, "sha256").hexdigest()
            entries = zip_entries(fh)
            if entries is None or entries > limits.entries:
                raise BundleError(f"{not_bundle} ({entries or 'too many'} members inside)")
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
                names = {i.filename for i in infos}
                if MANIFEST not in names or RESPONSES not in names:
                    raise BundleError(f"{not_bundle} (no {MANIFEST} and {RESPONSES} inside)")
                m_info = checked_member(zf, MANIFEST, limits.manifest_bytes, limits.ratio, name)
                r_info = checked_member(zf, RESPONSES, limits.responses_bytes, limits.ratio, name)
                manifest = parse_manifest(
                    name, read_capped(zf, m_info, limits.manifest_bytes, name)
                )
                c = _campaign_of(store, name, manifest)
                if manifest["version"] >= 2:
                    _check_signed_size(name, manifest, r_info, c)
                body = read_capped(zf, r_info, limits.responses_bytes, name)
    except BundleError:
        raise
    except ZIP_ERRORS as exc:
        raise BundleError(f"{name} is damaged and cannot be read ({reason(exc)})") from None
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


def _changed(name: str, c: Campaign) -> BundleError:
    return BundleError(
        f"{name} has been changed since it was exported (its signature does not match "
        f"campaign '{c.name}'); nothing was merged"
    )


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


def _check_signed_size(
    name: str, manifest: dict[str, Any], info: zipfile.ZipInfo, c: Campaign
) -> None:
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
                and set(answers) <= ANSWER_CHARS
                and isinstance(demographics, dict)
                and all(v is None or isinstance(v, str) for v in demographics.values())
                and isinstance(comments, dict)
                and all(isinstance(v, str) for v in comments.values())
                and source in SOURCES
                and isinstance(fingerprint, str)
                and HEX64.match(fingerprint)
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


__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_SUFFIX",
    "FORMAT_VERSION",
    "LIMITS",
    "SETUP_FORMAT",
    "SETUP_SUFFIX",
    "BundleError",
    "BundleLimits",
    "MergeResult",
    "campaign_key",
    "export_bundle",
    "install_setup",
    "keep_plain_key",
    "key_is_sealed",
    "manifest_signature",
    "merge_bundle",
    "plain_key_to_seal",
    "read_setup",
    "reseal_keys",
    "seal_plain_key",
    "setup_data",
    "signature",
    "write_setup",
]
