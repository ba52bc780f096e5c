"""ODK Central csv exports, written the way Central writes them.

Central's "Download all submissions" csv: ``SubmissionDate`` (ISO time in UTC, ``Z``), then
one column per form field headed by its group path joined with "-" (``grp_lead-LA1``; a
geopoint as four columns ``…-Latitude/-Longitude/-Altitude/-Accuracy``), then
``meta-instanceID``, ``KEY``, ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits``,
``FormVersion``. Answers of a choice question are the choices' names, not their labels.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from culturescope.cli import main
from culturescope.importing import import_file

CENTRAL_TAIL = [
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]
ROLES = ["front_line", "manager", "senior_leader", "prefer_not_to_say"]
TENURES = ["lt1", "y1_3", "y3_10", "gt10"]


def central_csv(path, instrument, rows: range, *, names: str = "ids", end: bool = True):
    """Write an ODK Central csv export of a form whose fields are named by the instrument's
    ids (``names="ids"``) or by the form's own ``q1``, ``q2``… (``names="own"``)."""

    def field(n: int, item_id: str) -> str:
        group = "grp_practice" if item_id[:2] in ("PR", "AW") else "grp_leadership"
        return f"{group}-{item_id if names == 'ids' else f'q{n + 1}'}"

    header = ["SubmissionDate", "start"] + (["end"] if end else [])
    header += [field(n, it.id) for n, it in enumerate(instrument.items)]
    header += ["grp_about-team", "grp_about-role", "grp_about-tenure"]
    header += [f"grp_about-where-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")]
    header += ["C1", *CENTRAL_TAIL]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            start = dt.datetime(2026, 3, 2, 8, 0) + dt.timedelta(minutes=11 * r)
            finish = start + dt.timedelta(minutes=8)
            received = finish + dt.timedelta(days=1, minutes=3)  # sent from the tablet later
            row = [received.strftime("%Y-%m-%dT%H:%M:%S.") + "123Z"]
            row += [start.strftime("%Y-%m-%dT%H:%M:%S.000+01:00")]
            row += [finish.strftime("%Y-%m-%dT%H:%M:%S.000+01:00")] if end else []
            for n, it in enumerate(instrument.items):
                points = instrument.scale_of(it).points
                row.append("" if (r + n) % 13 == 0 else str(1 + (r * 3 + n) % points))
            row += [["red", "blue", "green"][r % 3], ROLES[r % 4], TENURES[r % 4]]
            row += [f"{51.5 + r / 1000:.6f}", f"{-0.12 - r / 1000:.6f}", "31.2", "4.8"]
            row += ["Better lighting in bay 3" if r % 4 == 0 else ""]
            uid = f"uuid:{r:08x}-5a1e-4c1b-9d3e-7f0a2b4c6d8e"
            row += [uid, uid, "7", "Tablet 2 (Priya Raman)", "0", "0", "", ""]
            row += [f"collect:{r:016X}", "0", "2026030201"]
            w.writerow(row)
    return path


def test_central_export_with_id_field_names_imports_without_mapping(
    sqlite_store, flagship, tmp_path
):
    sqlite_store.create_campaign("C", flagship)
    path = central_csv(tmp_path / "safety_culture.csv", flagship, range(12))

    report = import_file(sqlite_store, "C", path)

    assert report.rows_added == 12
    kinds = {c.header: (c.kind, c.target, c.how) for c in report.plan.columns}
    assert kinds["grp_leadership-LA1"] == ("item", "LA1", "field name")
    assert kinds["grp_about-role"] == ("demographic", "role", "field name")
    assert kinds["C1"][:2] == ("comment", "C1")
    assert kinds["meta-instanceID"][:2] == ("metadata", "id")
    assert kinds["end"][:2] == ("metadata", "end")
    for dropped in ("SubmitterName", "SubmitterID", "DeviceID", "grp_about-where-Accuracy"):
        assert kinds[dropped][0] == "identifying", dropped
    assert sum(k == "item" for k, _, _ in kinds.values()) == len(flagship.items)
    assert not report.plan.warnings, report.plan.warnings
    got = store_rows(sqlite_store)
    assert got.demographics["role"].tolist()[:4] == ROLES
    assert got.demographics["tenure"].tolist()[:2] == ["lt1", "y1_3"]
    # The form's own end time dates a response, not the day the tablet sent it.
    assert got.meta["submitted_on"].iloc[0] == dt.date(2026, 3, 2)
    assert set(got.comments["text"]) == {"Better lighting in bay 3"}


def store_rows(store):
    return store.load_responses("C")


def test_central_without_end_is_dated_by_submission_date(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    path = central_csv(tmp_path / "form.csv", flagship, range(5), end=False)
    import_file(sqlite_store, "C", path)
    assert store_rows(sqlite_store).meta["submitted_on"].iloc[0] == dt.date(2026, 3, 3)


def test_central_reexport_adds_only_the_new_submissions(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    import_file(sqlite_store, "C", central_csv(tmp_path / "a.csv", flagship, range(10)))
    again = import_file(sqlite_store, "C", central_csv(tmp_path / "b.csv", flagship, range(13)))
    assert (again.rows_added, again.already_stored) == (3, 10)


@pytest.mark.parametrize("names", ["own"])
def test_central_with_the_forms_own_names_is_refused_in_one_line(
    capsys, tmp_path, monkeypatch, flagship, names, new_db
):
    monkeypatch.setenv("CULTURESCOPE_DB", new_db("cli.db"))  # migrated copy
    assert main(["-q", "campaign", "create", "C", "--instrument", flagship.id]) == 0
    path = central_csv(tmp_path / "form.csv", flagship, range(6), names=names)
    assert main(["-q", "import", str(path), "--campaign", "C"]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("note:")]
    assert len(err) == 1, err
    assert "form.csv: this ODK Central export is headed by the form's field names" in err[0]
    assert "grp_leadership-q1" in err[0] and "--write-mapping" in err[0]
