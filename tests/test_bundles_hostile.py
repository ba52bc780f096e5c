"""Hostile bundles and setup files, each generated here: every one is refused in one
line, with nothing stored, nothing unpacked before the manifest's signature is checked,
and little memory."""

from __future__ import annotations

import json
import os
import struct
import tracemalloc
import zipfile

import pytest

from conftest import copy_db
from culturescope import bundles
from culturescope.bundles import BundleError, BundleLimits
from culturescope.cli import main
from culturescope.storage import NewResponse, Store


@pytest.fixture(scope="module")
def genuine(tmp_path_factory, empty_db_file):
    """The lead's database with its campaign, and a genuine bundle of 30 responses from a
    kiosk laptop set up for it: made once for this module (deriving the passphrase keys
    and signing take most of a second). Tests read the bundle and copy the database."""
    from culturescope.instruments import get_instrument

    folder = tmp_path_factory.mktemp("genuine")
    lead = Store(copy_db(empty_db_file, folder / "lead.db"))
    lead.create_campaign("2026 Q4", get_instrument("ai-safety-culture"), min_group_size=4)
    setup = bundles.write_setup(lead, "2026 Q4", folder / "q4.cskiosk")
    lead.close()
    laptop = Store(copy_db(empty_db_file, folder / "laptop.db"))
    camp, _ = bundles.install_setup(laptop, setup, passphrase="laptop passphrase")
    laptop.add_responses(
        camp.id,
        [
            NewResponse(
                answers={"LA1": (k % 5) + 1, "PS1": 4},
                demographics={"team": "Red"},
                source_ref=f"kiosk {k}",
            )
            for k in range(30)
        ],
        source="kiosk",
    )
    path, _ = bundles.export_bundle(
        laptop, camp.id, folder / "site-a.csbundle", passphrase="laptop passphrase"
    )
    laptop.close()
    return folder / "lead.db", path


@pytest.fixture
def lead(genuine, tmp_path):
    """A private copy of the lead's database (tests merge into it)."""
    store = Store(copy_db(genuine[0], tmp_path / "lead.db"))
    yield store
    store.close()


@pytest.fixture
def good(genuine):
    """The genuine bundle (read only: tests write their hostile variants elsewhere)."""
    return genuine[1]


def _count(store) -> int:
    return store.response_count("2026 Q4")


def _refused(store, path, match: str) -> str:
    before = _count(store)
    with pytest.raises(BundleError, match=match) as err:
        bundles.merge_bundle(store, path)
    assert _count(store) == before
    message = str(err.value)
    assert "\n" not in message and len(message) < 400
    return message


def _headers(raw: bytes, member: str):
    """Offsets of ``member``'s local and central headers in the zip bytes ``raw``."""
    name = member.encode()
    local = raw.find(b"PK\x03\x04" + b"\x00" * 0)  # first local header
    while local >= 0:
        nlen = struct.unpack("<H", raw[local + 26 : local + 28])[0]
        if raw[local + 30 : local + 30 + nlen] == name:
            break
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        nlen = struct.unpack("<H", raw[central + 28 : central + 30])[0]
        if raw[central + 46 : central + 46 + nlen] == name:
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    return local, central


def _patched(path, out, member, *, method=None, flag=None, usize=None):
    """A copy of the zip with ``member``'s headers changed (method, flag bits, size)."""
    raw = bytearray(path.read_bytes())
    local, central = _headers(bytes(raw), member)
    if method is not None:
        raw[local + 8 : local + 10] = struct.pack("<H", method)
        raw[central + 10 : central + 12] = struct.pack("<H", method)
    if flag is not None:
        raw[local + 6 : local + 8] = struct.pack("<H", flag)
        raw[central + 8 : central + 10] = struct.pack("<H", flag)
    if usize is not None:
        raw[local + 22 : local + 26] = struct.pack("<I", usize)
        raw[central + 24 : central + 28] = struct.pack("<I", usize)
    out.write_bytes(bytes(raw))
    return out


def test_zip_bomb_refused_before_unpacking_with_little_memory(tmp_path, lead, good):
    bomb = tmp_path / "bomb.csbundle"
    # zlib's fastest level: half the CPU of the default, and still 200 times smaller
    bomb_zip = zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
    with zipfile.ZipFile(good) as zin, bomb_zip as z:
        z.writestr("manifest.json", zin.read("manifest.json"))
        with z.open("responses.jsonl", "w", force_zip64=True) as fh:
            block = b"\n" * (1 << 20)
            for _ in range(300):  # 300 MB of newlines, about 1.4 MB packed
                fh.write(block)
    assert bomb.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        _refused(lead, bomb, "unpack to|zip bomb|members inside")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_ratio_limit_is_configurable(tmp_path, lead, good):
    with pytest.raises(BundleError, match="unpack to"):
        bundles.merge_bundle(lead, good, limits=BundleLimits(responses_bytes=100))
    assert bundles.merge_bundle(lead, good).added == 30


def test_changed_manifest_refused_before_responses_are_unpacked(tmp_path, lead, good, monkeypatch):
    with zipfile.ZipFile(good) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        body = zin.read("responses.jsonl")
    manifest["responses"] = 31
    forged = tmp_path / "forged.csbundle"
    with zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("responses.jsonl", body + body[: body.index(b"\n") + 1])
    unpacked: list[str] = []
    real = bundles.read_capped

    def spy(zf, info, limit, name):
        unpacked.append(info.filename)
        return real(zf, info, limit, name)

    monkeypatch.setattr(bundles, "read_capped", spy)
    _refused(lead, forged, "has been changed since it was exported")
    assert unpacked == ["manifest.json"]


def test_responses_bigger_than_signed_refused(tmp_path, lead, good):
    with zipfile.ZipFile(good) as zin:
        manifest = zin.read("manifest.json")
        body = zin.read("responses.jsonl")
    grown = tmp_path / "grown.csbundle"
    with zipfile.ZipFile(grown, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", manifest)
        z.writestr("responses.jsonl", body + b'{"x":1}\n')
    _refused(lead, grown, "has been changed since it was exported")


def test_corrupt_deflate_stream_is_one_line(tmp_path, lead, good):  # zlib.error
    raw = bytearray(good.read_bytes())
    local, _ = _headers(bytes(raw), "responses.jsonl")
    start = local + 30 + len("responses.jsonl") + 8
    for k in range(start, start + 40):
        raw[k] ^= 0x5A
    broken = tmp_path / "broken.csbundle"
    broken.write_bytes(bytes(raw))
    _refused(lead, broken, "is damaged and cannot be read|has been changed")


def test_encrypted_member_is_one_line(tmp_path, lead, good):  # RuntimeError in zipfile
    enc = _patched(good, tmp_path / "enc.csbundle", "responses.jsonl", flag=0x1)
    _refused(lead, enc, "encrypted")
    zf = zipfile.ZipFile(enc)
    with pytest.raises(RuntimeError):
        zf.read("responses.jsonl")  # what an unguarded reader would have met
    zf.close()


def test_unknown_compression_is_one_line(tmp_path, lead, good):  # NotImplementedError
    odd = _patched(good, tmp_path / "odd.csbundle", "responses.jsonl", method=99)
    _refused(lead, odd, "is damaged and cannot be read")


def test_header_lying_about_size_is_one_line(tmp_path, lead, good):
    liar = _patched(good, tmp_path / "liar.csbundle", "responses.jsonl", usize=10)
    _refused(lead, liar, "has been changed|is damaged")


def test_truncated_and_empty_files(tmp_path, lead, good):
    cut = tmp_path / "cut.csbundle"
    cut.write_bytes(good.read_bytes()[:-40])
    _refused(lead, cut, "damaged|not a CultureScope")
    empty = tmp_path / "empty.csbundle"
    empty.write_bytes(b"")
    _refused(lead, empty, "not a zip file")


def test_too_many_members(tmp_path, lead, good):
    many = tmp_path / "many.csbundle"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(many, "w") as z:
        for info in zin.infolist():
            z.writestr(info.filename, zin.read(info.filename))
        for k in range(20):
            z.writestr(f"extra{k}.txt", "x")
    _refused(lead, many, "members inside")


def test_deeply_nested_manifest(tmp_path, lead):
    deep = tmp_path / "deep.csbundle"
    with zipfile.ZipFile(deep, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", "[" * 30_000 + "]" * 30_000)
        z.writestr("responses.jsonl", "")
    _refused(lead, deep, "not valid JSON|zip bomb")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_and_folder_refused_without_hanging(tmp_path, lead):
    fifo = tmp_path / "pipe.csbundle"
    os.mkfifo(fifo)
    _refused(lead, fifo, "not a regular file")
    with pytest.raises(BundleError, match="not a regular file"):
        bundles.read_setup(fifo)
    folder = tmp_path / "folder.csbundle"
    folder.mkdir()
    _refused(lead, folder, "is a folder")


def test_huge_setup_file_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(bundles, "LIMITS", BundleLimits(setup_bytes=1000))
    big = tmp_path / "big.cskiosk"
    big.write_bytes(b" " * 2000)
    with pytest.raises(BundleError, match="too large"):
        bundles.read_setup(big)


def test_cli_damaged_bundle_is_one_line(tmp_path, lead, good, capsys):
    odd = _patched(good, tmp_path / "odd.csbundle", "responses.jsonl", method=99)
    code = main(["--db", lead.url.removeprefix("sqlite:///"), "bundle", "merge", str(odd)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "odd.csbundle" in err


def test_format_1_bundles_still_merge(tmp_path, lead, good):
    """A laptop on the previous version signs manifest and responses together."""
    key = lead.campaign("2026 Q4").bundle_key
    with zipfile.ZipFile(good) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        body = zin.read("responses.jsonl")
    for field in ("responses_bytes", "responses_sha256", "hmac"):
        manifest.pop(field)
    manifest["version"] = 1
    manifest["hmac"] = bundles.signature(key, manifest, body)
    old = tmp_path / "old.csbundle"
    with zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("responses.jsonl", body)
    assert bundles.merge_bundle(lead, old).added == 30
    manifest["responses"] = 29
    with zipfile.ZipFile(tmp_path / "old2.csbundle", "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("responses.jsonl", body)
    _refused(lead, tmp_path / "old2.csbundle", "has been changed")
