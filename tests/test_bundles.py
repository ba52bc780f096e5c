"""Kiosk laptops at several sites: setup files, response bundles, merging.

See docs/design/collection.md.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from culturescope import bundles
from culturescope.bundles import BundleError
from culturescope.cli import main
from culturescope.storage import NewResponse, Store

PASS = "kiosk laptop passphrase"


def _kiosk_responses(n, team="Red", ref_prefix="kiosk"):
    return [
        NewResponse(
            answers={"LA1": (k % 5) + 1, "LA3": 0, "PS1": 4},
            demographics={"team": team, "role": "front_line"},
            comments={"C1": f"Comment {k} from {team}"} if k == 0 else {},
            source_ref=f"{ref_prefix} {k + 1}",
        )
        for k in range(n)
    ]


@pytest.fixture
def lead(store, flagship):
    """The lead's database (SQLite, and PostgreSQL when configured) with one campaign."""
    store.create_campaign("2026 Q4", flagship, min_group_size=4, headcounts={"team": {"Red": 9}})
    return store


def _laptop(tmp_path, new_db, lead, name):
    """A kiosk laptop's database with the lead's campaign installed from its setup file."""
    setup = bundles.write_setup(lead, "2026 Q4", tmp_path / "q4.cskiosk")
    laptop = Store(new_db(f"{name}.db"))
    campaign, created = bundles.install_setup(laptop, setup, passphrase=PASS)
    assert created
    return laptop, campaign


def _snapshot(store):
    c = store.campaign("2026 Q4")
    return c.response_count, [(b.id, b.rows_added) for b in store.batches(c.id)]


def test_setup_install_export_merge_round_trip(tmp_path, lead, new_db):
    original = lead.campaign("2026 Q4")
    laptop, installed = _laptop(tmp_path, new_db, lead, "site-a")
    # The same campaign: uid, key, thresholds, headcounts and instrument version.
    assert installed.uid == original.uid
    # The key is not in the laptop's database: it is sealed under the admin passphrase.
    assert installed.bundle_key == "" and bundles.key_is_sealed(laptop, installed)
    assert bundles.campaign_key(laptop, installed, PASS) == original.bundle_key
    assert installed.instrument_key == original.instrument_key
    assert (installed.min_group_size, installed.headcounts) == (4, {"team": {"Red": 9}})
    assert laptop.instrument(installed.instrument_key).source_text == (
        lead.instrument(original.instrument_key).source_text
    )
    # Installing again changes nothing.
    again, created = bundles.install_setup(laptop, tmp_path / "q4.cskiosk", passphrase=PASS)
    assert (again.id, created) == (installed.id, False)

    for r in _kiosk_responses(6):
        laptop.add_responses(installed.id, [r], source="kiosk")  # one batch per respondent
    laptop.add_responses(installed.id, _kiosk_responses(2, ref_prefix="form"), source="paper")
    path, n = bundles.export_bundle(
        laptop, installed.id, tmp_path / "site-a.csbundle", passphrase=PASS
    )
    assert n == 8
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        lines = zf.read("responses.jsonl").decode().splitlines()
    assert manifest["campaign"] == {"uid": original.uid, "name": "2026 Q4"}
    assert manifest["responses"] == 8 and len(lines) == 8
    assert manifest["instrument"] == "ai-safety-culture@1.1"
    assert manifest["source_database"] == laptop.database_id()
    first = json.loads(lines[0])
    assert set(first) == {
        "answers",
        "demographics",
        "comments",
        "source",
        "source_ref",
        "submitted_on",
        "fingerprint",
    }
    assert first["comments"] == {"C1": "Comment 0 from Red"}

    result = bundles.merge_bundle(lead, path)
    assert (result.added, result.already_stored) == (8, 0)
    stored, sent = lead.stored_responses("2026 Q4"), laptop.stored_responses(installed.id)
    for key in ("answers", "demographics", "comments", "source", "submitted_on", "fingerprint"):
        assert [r[key] for r in stored] == [r[key] for r in sent], key
    data = lead.load_responses("2026 Q4")
    assert sorted(data.meta["source"]) == ["kiosk"] * 6 + ["paper"] * 2
    assert data.meta["source_ref"].iloc[0] == "bundle site-a.csbundle, kiosk 1"
    assert data.demographics["team"].tolist() == ["Red"] * 8
    assert data.comments["text"].tolist() == ["Comment 0 from Red", "Comment 0 from Red"]
    batch = lead.batches("2026 Q4")[-1]
    assert (batch.source, batch.label, batch.rows_added) == (
        "bundle",
        f"bundle {batch.id}, 8 rows",
        8,
    )

    # Merging the same bundle twice adds nothing.
    before = _snapshot(lead)
    again = bundles.merge_bundle(lead, path)
    assert (again.added, again.already_stored, again.batch) == (0, 8, None)
    assert _snapshot(lead) == before

    # A later export of the same laptop holds the earlier responses too: only new ones added.
    laptop.add_responses(installed.id, _kiosk_responses(1, ref_prefix="late"), source="kiosk")
    later, _ = bundles.export_bundle(
        laptop, installed.id, tmp_path / "site-a-2.csbundle", passphrase=PASS
    )
    assert (bundles.merge_bundle(lead, later).added, lead.response_count("2026 Q4")) == (1, 9)
    laptop.close()


def test_two_laptops_both_merge(tmp_path, lead, new_db):
    a, ca = _laptop(tmp_path, new_db, lead, "site-a")
    b, cb = _laptop(tmp_path, new_db, lead, "site-b")
    a.add_responses(ca.id, _kiosk_responses(5, "Red"), source="kiosk")
    b.add_responses(cb.id, _kiosk_responses(7, "Blue"), source="kiosk")
    pa, _ = bundles.export_bundle(a, ca.id, tmp_path / "a.csbundle", passphrase=PASS)
    pb, _ = bundles.export_bundle(b, cb.id, tmp_path / "b.csbundle", passphrase=PASS)
    assert bundles.merge_bundle(lead, pa).added == 5
    assert bundles.merge_bundle(lead, pb).added == 7
    teams = lead.load_responses("2026 Q4").demographics["team"]
    assert teams.value_counts().to_dict() == {"Red": 5, "Blue": 7}
    a.close()
    b.close()


def _rezip(src, dst, change):
    """Copy a bundle, passing each member's bytes through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dst


def test_tampered_bundle_refused_and_nothing_stored(tmp_path, lead, new_db):
    laptop, c = _laptop(tmp_path, new_db, lead, "site-a")
    laptop.add_responses(c.id, _kiosk_responses(5), source="kiosk")
    path, _ = bundles.export_bundle(laptop, c.id, tmp_path / "a.csbundle", passphrase=PASS)

    def flip_one_answer(name, data):
        if name != "responses.jsonl":
            return data
        i = data.index(b'"answers":"') + len(b'"answers":"')
        return data[:i] + (b"2" if data[i : i + 1] != b"2" else b"3") + data[i + 1 :]

    tampered = _rezip(path, tmp_path / "tampered.csbundle", flip_one_answer)
    before = _snapshot(lead)
    with pytest.raises(BundleError, match="has been changed since it was exported"):
        bundles.merge_bundle(lead, tampered)
    assert _snapshot(lead) == before

    # The manifest is signed too: a changed response count is refused the same way.
    def more_responses(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["created_on"] = "2020-01-01"
        return json.dumps(m).encode()

    edited = _rezip(path, tmp_path / "edited.csbundle", more_responses)
    with pytest.raises(BundleError, match="has been changed since it was exported"):
        bundles.merge_bundle(lead, edited)
    assert _snapshot(lead) == before
    # The genuine file still merges.
    assert bundles.merge_bundle(lead, path).added == 5
    laptop.close()


def test_foreign_bundle_refused(tmp_path, lead, flagship, new_db):
    other = Store(new_db("other-org.db"))
    c = other.create_campaign("2026 Q4", flagship)  # same name, another campaign
    other.add_responses(c.id, _kiosk_responses(5), source="kiosk")
    path, _ = bundles.export_bundle(other, c.id, tmp_path / "foreign.csbundle", passphrase=PASS)
    before = _snapshot(lead)
    with pytest.raises(BundleError, match="which is not in this database") as err:
        bundles.merge_bundle(lead, path)
    assert f"belongs to campaign '2026 Q4' (uid {c.uid})" in str(err.value)
    assert "install its setup file or merge on the right machine" in str(err.value)
    assert _snapshot(lead) == before
    # Nor can its setup file be installed over the lead's campaign of the same name.
    setup = bundles.write_setup(other, c.id, tmp_path / "other.cskiosk")
    with pytest.raises(BundleError, match="a different campaign named '2026 Q4' already"):
        bundles.install_setup(lead, setup, passphrase=PASS)
    other.close()


def test_not_a_bundle_refused(tmp_path, lead):
    before = _snapshot(lead)
    junk = tmp_path / "notes.csbundle"
    junk.write_text("hello")
    with pytest.raises(BundleError, match="is not a CultureScope response bundle"):
        bundles.merge_bundle(lead, junk)
    other_zip = tmp_path / "photos.csbundle"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(BundleError, match="is not a CultureScope response bundle"):
        bundles.merge_bundle(lead, other_zip)
    with pytest.raises(BundleError, match="is not a CultureScope kiosk setup file"):
        bundles.install_setup(lead, junk, passphrase=PASS)
    assert _snapshot(lead) == before


def test_instrument_mismatch_refused(tmp_path, lead, new_db):
    laptop, c = _laptop(tmp_path, new_db, lead, "site-a")
    laptop.add_responses(c.id, _kiosk_responses(5), source="kiosk")
    path, _ = bundles.export_bundle(laptop, c.id, tmp_path / "a.csbundle", passphrase=PASS)
    key = lead.campaign("2026 Q4").bundle_key

    def other_instrument(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["instrument"] = "ai-safety-culture@2.0"
        m["hmac"] = bundles.manifest_signature(key, m)
        return json.dumps(m).encode()

    resigned = _rezip(path, tmp_path / "v2.csbundle", other_instrument)
    before = _snapshot(lead)
    with pytest.raises(BundleError, match="holds answers to ai-safety-culture@2.0"):
        bundles.merge_bundle(lead, resigned)
    assert _snapshot(lead) == before
    laptop.close()


def test_cli_bundle_commands(tmp_path, capsys, flagship, monkeypatch, new_db):
    # The kiosk's database is made by "bundle install", as on a new laptop.
    lead_db, kiosk_db = new_db("lead.db"), str(tmp_path / "kiosk.db")
    assert main(["--db", lead_db, "campaign", "create", "Q4", "--instrument", flagship.id]) == 0
    setup, bundle = str(tmp_path / "q4.cskiosk"), str(tmp_path / "q4.csbundle")
    assert main(["--db", lead_db, "bundle", "setup", "--campaign", "Q4", "-o", setup]) == 0
    # No admin passphrase yet: install asks for a new one twice (from stdin here).
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASS}\n{PASS}\n"))
    assert main(["--db", kiosk_db, "bundle", "install", setup]) == 0
    kiosk = Store(kiosk_db)
    kiosk.add_responses(kiosk.campaign("Q4").id, _kiosk_responses(6), source="kiosk")
    kiosk.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong guess\n"))
    assert main(["--db", kiosk_db, "bundle", "export", "--campaign", "Q4", "-o", bundle]) == 1
    assert "passphrase is wrong" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASS}\n"))
    assert main(["--db", kiosk_db, "bundle", "export", "--campaign", "Q4", "-o", bundle]) == 0
    capsys.readouterr()
    assert main(["--db", lead_db, "bundle", "merge", bundle]) == 0
    assert "6 responses added, 0 already stored" in capsys.readouterr().out
    assert main(["--db", lead_db, "bundle", "merge", bundle]) == 0
    assert "0 responses added, 6 already stored" in capsys.readouterr().out
    junk = tmp_path / "junk.csbundle"
    junk.write_bytes(b"PK not really")
    assert main(["--db", lead_db, "bundle", "merge", str(junk)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("culturescope: error: junk.csbundle is not a CultureScope")


def test_upgrade_from_0002_backfills_uid_and_key(tmp_path, flagship):
    """Campaigns of a database made before bundles get a uid and a bundle key on upgrade."""
    from alembic import command
    from sqlalchemy import inspect, text

    from culturescope.storage import database

    path = tmp_path / "v2.db"
    store = Store(str(path))
    for name in ("Old A", "Old B"):
        c = store.create_campaign(name, flagship)
        store.add_responses(c.id, _kiosk_responses(3), source="kiosk")
    store.close()
    engine = database.create_db_engine(database.to_url(str(path)))
    cfg = database._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert "uid" not in {c["name"] for c in inspect(engine).get_columns("campaigns")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM responses")).scalar() == 6
    engine.dispose()

    store = Store(str(path))
    assert store.last_backup is not None
    assert database.current_revision(store.engine) == database.head_revision()
    a, b = store.campaign("Old A"), store.campaign("Old B")
    assert len(a.uid) == 32 and len(a.bundle_key) == 64
    assert a.uid != b.uid and a.bundle_key != b.bundle_key
    assert (a.response_count, b.response_count) == (3, 3)
    assert store.campaign_by_uid(b.uid) == b
    # New campaigns get their own uid and key as well.
    c = store.create_campaign("New", flagship)
    assert c.uid not in (a.uid, b.uid) and len(c.bundle_key) == 64
    store.close()


def test_leaving_the_kiosk_gives_no_usable_key(tmp_path, lead, new_db):
    """Without the admin passphrase the laptop's files hold no bundle key."""
    original = lead.campaign("2026 Q4")
    laptop, installed = _laptop(tmp_path, new_db, lead, "site-a")
    laptop.add_responses(installed.id, _kiosk_responses(3), source="kiosk")
    db_bytes = (tmp_path / "site-a.db").read_bytes()
    assert original.bundle_key.encode() not in db_bytes
    assert bytes.fromhex(original.bundle_key) not in db_bytes
    for f in (tmp_path / "config").rglob("*"):
        if f.is_file():
            assert original.bundle_key not in f.read_text(errors="ignore")
    with pytest.raises(BundleError, match="locked on this kiosk laptop"):
        bundles.export_bundle(laptop, installed.id, tmp_path / "x.csbundle")
    with pytest.raises(BundleError, match="passphrase is wrong"):
        bundles.export_bundle(laptop, installed.id, tmp_path / "x.csbundle", passphrase="guess")
    with pytest.raises(BundleError, match="where the campaign was created"):
        bundles.write_setup(laptop, installed.id, tmp_path / "copy.cskiosk")
    assert not (tmp_path / "x.csbundle").exists()
    # A new passphrase re-seals the key.
    assert bundles.reseal_keys(laptop, PASS, "a brand new passphrase") == 1
    path, n = bundles.export_bundle(
        laptop, installed.id, tmp_path / "ok.csbundle", passphrase="a brand new passphrase"
    )
    assert bundles.merge_bundle(lead, path).added == n == 3
    laptop.close()


def test_forgotten_passphrase_install_the_setup_file_again(tmp_path, lead, new_db):
    original = lead.campaign("2026 Q4")
    laptop, installed = _laptop(tmp_path, new_db, lead, "site-a")
    setup = tmp_path / "q4.cskiosk"
    # The settings were reset and a new admin passphrase chosen: re-install re-seals.
    again, created = bundles.install_setup(laptop, setup, passphrase="the new passphrase")
    assert (again.id, created) == (installed.id, False)
    assert bundles.campaign_key(laptop, again, "the new passphrase") == original.bundle_key
    laptop.close()


def _db_files_hold(folder, name, key_hex):
    """True when the SQLite database ``name`` (with its WAL and SHM files) holds the key."""
    found = False
    for f in folder.glob(f"{name}*"):
        data = f.read_bytes()
        found |= key_hex.encode() in data or bytes.fromhex(key_hex) in data
    return found


def test_a_laptop_set_up_earlier_gets_its_plain_key_sealed(tmp_path, lead, new_db):
    """Laptops installed by the first release kept the key in their database: sealing it
    (at the next admin unlock) leaves no usable key in the laptop's files."""
    from culturescope.instruments import parse_instrument

    original = lead.campaign("2026 Q4")
    setup = bundles.write_setup(lead, "2026 Q4", tmp_path / "q4.cskiosk")
    # The lead's machine wrote a setup file: its key stays in plain text, nobody is asked.
    assert not bundles.plain_key_to_seal(lead, original)

    # What the first release did on the laptop: the campaign with its key in the database.
    data = bundles.read_setup(setup)["campaign"]
    laptop = Store(new_db("old-laptop.db"))
    old = laptop.create_campaign(
        data["name"],
        parse_instrument(bundles.read_setup(setup)["instrument"]["yaml"]),
        min_group_size=data["min_group_size"],
        uid=data["uid"],
        bundle_key=data["bundle_key"],
    )
    laptop.add_responses(old.id, _kiosk_responses(3), source="kiosk")
    assert old.bundle_key == original.bundle_key
    assert _db_files_hold(tmp_path, "old-laptop.db", original.bundle_key)
    assert bundles.plain_key_to_seal(laptop, old)

    sealed = bundles.seal_plain_key(laptop, old, PASS)
    assert sealed.bundle_key == "" and bundles.key_is_sealed(laptop, sealed)
    assert not bundles.plain_key_to_seal(laptop, sealed)
    assert not _db_files_hold(tmp_path, "old-laptop.db", original.bundle_key)
    for f in (tmp_path / "config").rglob("*"):
        if f.is_file():
            assert original.bundle_key not in f.read_text(errors="ignore")
    with pytest.raises(BundleError, match="locked on this kiosk laptop"):
        bundles.export_bundle(laptop, sealed.id, tmp_path / "x.csbundle")
    path, n = bundles.export_bundle(laptop, sealed.id, tmp_path / "ok.csbundle", passphrase=PASS)
    assert bundles.merge_bundle(lead, path).added == n == 3
    laptop.close()


def test_the_machine_that_made_the_campaign_is_not_asked_again(tmp_path, flagship, new_db):
    store = Store(new_db("lead.db"))
    made = store.create_campaign("Q1", flagship)
    # Nothing tells a laptop of the first release from the lead's machine: ask once...
    assert bundles.plain_key_to_seal(store, made)
    bundles.keep_plain_key(store, made)  # ...the organiser said "created here"
    assert not bundles.plain_key_to_seal(store, store.campaign(made.id))
    assert store.campaign(made.id).bundle_key == made.bundle_key
    other = store.create_campaign("Q2", flagship)
    laptop, installed = Store(new_db("laptop.db")), None
    setup = bundles.write_setup(store, "Q2", tmp_path / "q2.cskiosk")
    installed, _ = bundles.install_setup(laptop, setup, passphrase=PASS)
    laptop.add_responses(installed.id, _kiosk_responses(2), source="kiosk")
    path, _ = bundles.export_bundle(laptop, installed.id, tmp_path / "q2.csbundle", passphrase=PASS)
    fresh = Store(new_db("lead2.db"))
    copy = fresh.create_campaign("Q2", flagship, uid=other.uid, bundle_key=other.bundle_key)
    assert bundles.plain_key_to_seal(fresh, copy)
    bundles.merge_bundle(fresh, path)  # a database that merged bundles is the lead's
    assert not bundles.plain_key_to_seal(fresh, fresh.campaign(copy.id))
    for s in (store, laptop, fresh):
        s.close()
