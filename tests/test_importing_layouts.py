"""Exports of other survey tools import with no mapping, with the same scores and groups
as CultureScope's own layout; demographic questions are recognised from their wording."""

from __future__ import annotations

import pytest

from culturescope.importing import import_file, plan_import, read_table
from culturescope.instruments import get_instrument
from importing_files import ms_forms_worded_rows, native_rows, same_responses, write_xlsx


def test_ms_forms_question_worded_demographics_need_no_mapping(store, flagship, tmp_path):
    header, data = ms_forms_worded_rows(flagship, range(20))
    forms = write_xlsx(tmp_path / "Safety culture survey(1-20).xlsx", header, data)
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(20)))
    store.create_campaign("Forms", flagship)
    store.create_campaign("Native", flagship)

    report = import_file(store, "Forms", forms)
    import_file(store, "Native", native)

    kinds = {c.header: (c.kind, c.target, c.how) for c in report.plan.columns}
    assert kinds["Which team do you work in?"] == ("demographic", "team", "question wording")
    assert kinds["What is your role level?"][:2] == ("demographic", "role")
    assert kinds["Where is your office location?"][:2] == ("demographic", "site")
    assert kinds["How long have you worked here?"][:2] == ("demographic", "tenure")
    assert kinds["Email"][0] == kinds["Name"][0] == "identifying"
    summary = next(n for n in report.plan.notices if n.startswith("demographics:"))
    assert "Which team do you work in? (" in summary and "-> Team" in summary
    assert "What is your role level? (" in summary and "-> Role level" in summary
    assert report.rows_added == 20
    same_responses(store, "Forms", "Native")
    groups = store.load_responses("Forms").demographics
    assert sorted(groups["team"].unique()) == ["Blue", "Green", "Red"]
    assert set(groups["role"]) == {"front_line", "manager", "senior_leader", "prefer_not_to_say"}


@pytest.mark.parametrize(
    ("question", "demographic"),
    [
        ("Department", "team"),
        ("Which business unit are you part of?", "team"),
        ("What group or function do you belong to?", "team"),
        ("Job level", "role"),
        ("What is your position?", "role"),
        ("Seniority", "role"),
        ("Are you a manager?", "role"),
        ("What is your role in the team?", "role"),
        ("Location", "site"),
        ("Which country are you based in?", "site"),
        ("Office", "site"),
        ("Tenure", "tenure"),
        ("How long have you worked in this team?", "tenure"),
        ("Length of service", "tenure"),
    ],
)
def test_demographic_synonyms(flagship, tmp_path, question, demographic):
    items = [it.id for it in flagship.items]
    path = write_xlsx(tmp_path / "s.xlsx", [*items, question], [[1] * len(items) + [None]])
    plan = plan_import(read_table(path), flagship)
    match = plan.columns[-1]
    assert (match.kind, match.target) == ("demographic", demographic)


def test_exact_demographic_column_wins_over_a_worded_one(flagship, tmp_path):
    items = [it.id for it in flagship.items]
    header = [*items, "Team", "Which department are you in?"]
    path = write_xlsx(tmp_path / "s.xlsx", header, [[1] * len(items) + ["Red", "Ops"]])
    plan = plan_import(read_table(path), flagship)
    assert (plan.columns[-2].kind, plan.columns[-2].target) == ("demographic", "team")
    assert plan.columns[-1].kind == "unmatched"
    assert any("already is" in p.message for p in plan.warnings)
    assert plan.ok


def test_statements_mentioning_a_team_stay_items(flagship, tmp_path):
    pulse = get_instrument("psychological-safety-pulse")
    header = [it.text_for("en") for it in pulse.items]
    path = write_xlsx(tmp_path / "p.xlsx", header, [[3] * len(header)])
    plan = plan_import(read_table(path), pulse)
    assert all(c.kind == "item" for c in plan.columns)


# ---- Qualtrics and SurveyMonkey -------------------------------------------------------------
@pytest.mark.parametrize("tool", ["qualtrics", "surveymonkey"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_multi_header_exports_import_like_the_native_layout(
    sqlite_store, flagship, tmp_path, tool, fmt
):
    import sqlite3

    from importing_files import (
        EMAILS,
        NAMES,
        qualtrics_rows,
        surveymonkey_rows,
        write_rows_csv,
        write_rows_xlsx,
    )

    make = {"qualtrics": qualtrics_rows, "surveymonkey": surveymonkey_rows}[tool]
    rows = make(flagship, range(24))
    writer = write_rows_xlsx if fmt == "xlsx" else write_rows_csv
    path = writer(tmp_path / f"{tool} export.{fmt}", rows)
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(24)))
    sqlite_store.create_campaign("Tool", flagship)
    sqlite_store.create_campaign("Native", flagship)

    report = import_file(sqlite_store, "Tool", path)
    import_file(sqlite_store, "Native", native)

    plan = report.plan
    assert report.rows_added == 24
    assert any(
        f"recognised a {'Qualtrics' if tool == 'qualtrics' else 'SurveyMonkey'}" in n
        for n in plan.notices
    )
    assert plan.row_numbers[0] == (4 if tool == "qualtrics" else 3)
    assert sum(c.kind == "item" for c in plan.columns) == len(flagship.items)
    demographics = {c.target for c in plan.columns if c.kind == "demographic"}
    assert demographics == {"team", "role", "site", "tenure"}
    same_responses(sqlite_store, "Tool", "Native")
    kinds = {c.header: c.kind for c in plan.columns}
    dropped = {h for h, k in kinds.items() if k == "identifying"}
    expected = (
        {
            "IP Address",
            "Recipient Last Name",
            "Recipient First Name",
            "Recipient Email",
            "External Data Reference",
            "Location Latitude",
            "Location Longitude",
        }
        if tool == "qualtrics"
        else {"IP Address", "Email Address", "First Name", "Last Name"}
    )
    assert expected <= dropped

    db = sqlite_store.url.split("///", 1)[1]
    sqlite_store.close()
    dump = "\n".join(sqlite3.connect(db).iterdump())
    for secret in [*EMAILS[:24], *NAMES[:24], "192.0.2.5", "198.51.100.5", "51.5072", "EMP7003"]:
        assert secret not in dump
    for secret in ("aB3xYq9ZkLmN", "114000007919"):  # response ids: fingerprints only
        assert secret not in dump


@pytest.mark.parametrize("tool", ["limesurvey", "kobo"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_limesurvey_and_kobo_exports(sqlite_store, flagship, tmp_path, tool, fmt):
    import sqlite3

    from importing_files import kobo_rows, limesurvey_rows, write_rows_csv, write_rows_xlsx

    writer = write_rows_xlsx if fmt == "xlsx" else write_rows_csv
    if tool == "limesurvey":
        path = writer(
            tmp_path / f"results-survey123456.{fmt}", limesurvey_rows(flagship, range(20))
        )
    else:
        path = writer(
            tmp_path / f"Safety_survey_-_all_versions_-_labels.{fmt}",
            kobo_rows(flagship, range(20)),
        )
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(20)))
    sqlite_store.create_campaign("Tool", flagship)
    sqlite_store.create_campaign("Native", flagship)
    report = import_file(sqlite_store, "Tool", path)
    import_file(sqlite_store, "Native", native)
    assert report.rows_added == 20
    same_responses(sqlite_store, "Tool", "Native")
    kinds = {c.header: c.kind for c in report.plan.columns}
    if tool == "kobo":
        for h in (
            "deviceid",
            "username",
            "_submitted_by",
            "Where are you now?",
            "_Where are you now?_latitude",
            "_Where are you now?_precision",
        ):
            assert kinds[h] == "identifying", h
    else:
        assert kinds["IP address"] == kinds["Referrer URL"] == "identifying"
    db = sqlite_store.url.split("///", 1)[1]
    sqlite_store.close()
    dump = "\n".join(sqlite3.connect(db).iterdump())
    secrets = ("enketo.org", "clerk1", "51.50", "-0.12", "203.0.113.", "tk0000")
    for secret in (*secrets, "-1c2d-4e5f-8a9b-"):  # the last: Kobo's _uuid / instanceID
        assert secret not in dump


@pytest.mark.parametrize("tool", ["qualtrics", "surveymonkey"])
def test_a_later_export_adds_only_new_responses(sqlite_store, flagship, tmp_path, tool):
    """The tool's response number (kept only inside the keyed fingerprint) recognises rows
    imported before; a re-saved copy of the same export adds nothing either."""
    from importing_files import qualtrics_rows, surveymonkey_rows, write_rows_csv, write_rows_xlsx

    make = {"qualtrics": qualtrics_rows, "surveymonkey": surveymonkey_rows}[tool]
    sqlite_store.create_campaign("C", flagship)
    first = write_rows_csv(tmp_path / "week1.csv", make(flagship, range(10)))
    later = write_rows_csv(tmp_path / "week2.csv", make(flagship, range(16)))
    resaved = write_rows_xlsx(tmp_path / "week2.xlsx", make(flagship, range(16)))
    assert import_file(sqlite_store, "C", first).rows_added == 10
    report = import_file(sqlite_store, "C", later)
    assert (report.rows_added, report.already_stored) == (6, 10)
    assert import_file(sqlite_store, "C", resaved).rows_added == 0
    assert sqlite_store.campaign("C").response_count == 16


def test_qualtrics_extras_seen_in_real_exports(sqlite_store, flagship, tmp_path):
    """Details real Qualtrics exports have: a question that is only an image gives headers
    "Q1 - <image address> - Statement"; fraud-check columns (Q_RecaptchaScore,
    Q_BallotBoxStuffing, Q_RelevantIDDuplicate) come after the metadata. Neither needs a
    mapping, and the fraud checks are not stored."""
    from importing_files import MATRIX, qualtrics_rows, write_rows_csv

    rows = qualtrics_rows(flagship, range(12))
    image = "https://example.qualtrics.com/CP/File.php?F=F_78nY3cJ9AWK0XtA"
    rows[1] = [t.replace(MATRIX, f"Q1 - {image}") for t in rows[1]]
    at = rows[0].index("UserLanguage") + 1
    extra = ["Q_RecaptchaScore", "Q_BallotBoxStuffing", "Q_RelevantIDDuplicate"]
    for n, tag in enumerate(extra):
        rows[0].insert(at + n, tag)
        rows[1].insert(at + n, tag)
        rows[2].insert(at + n, f'{{"ImportId":"{tag}"}}')
        for row in rows[3:]:
            row.insert(at + n, ["0.9", "", "false"][n])
    path = write_rows_csv(tmp_path / "qualtrics.csv", rows)
    sqlite_store.create_campaign("C", flagship)
    report = import_file(sqlite_store, "C", path)
    assert report.rows_added == 12
    kinds = {c.header: c.kind for c in report.plan.columns}
    assert sum(k == "item" for k in kinds.values()) == len(flagship.items)
    assert all(kinds[t] in ("metadata", "unmatched", "ignored") for t in extra), kinds
    stored = sqlite_store.load_responses("C")
    assert not any("0.9" in str(v) for v in stored.demographics.to_numpy().ravel())


def test_google_forms_with_worded_demographics_like_the_native_layout(
    sqlite_store, flagship, tmp_path
):
    """A Google Forms "Download responses (.csv)": timestamps such as
    "2026/04/02 8:00:00 AM GMT+1", the collected e-mail, every statement of a grid as
    "Question [Statement]" and the demographic questions as worded on the form."""
    import datetime as dt
    import sqlite3

    from importing_files import (
        EMAILS,
        WORDED_DEMOGRAPHICS,
        answer_for,
        demographic_answers,
        write_csv,
    )

    header = ["Timestamp", "Email Address"]
    header += [f"Please rate these statements [{it.text_for('en')}]" for it in flagship.items]
    header += [q for q, _, _ in WORDED_DEMOGRAPHICS]
    rows = []
    for r in range(20):
        stamp = dt.datetime(2026, 4, 2, 8, 0) + dt.timedelta(minutes=97 * r)
        rows.append(
            [
                stamp.strftime("%Y/%m/%d %-I:%M:%S %p GMT+1"),
                EMAILS[r],
                *[answer_for(flagship, it, r)[0] for it in flagship.items],
                *demographic_answers(r).values(),
            ]
        )
    path = write_csv(tmp_path / "Safety culture survey.csv", header, rows)
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(20)))
    sqlite_store.create_campaign("Google", flagship)
    sqlite_store.create_campaign("Native", flagship)

    report = import_file(sqlite_store, "Google", path)
    import_file(sqlite_store, "Native", native)

    assert report.rows_added == 20 and report.plan.key_kind == "time"
    demographics = {c.target for c in report.plan.columns if c.kind == "demographic"}
    assert demographics == {"team", "role", "site", "tenure"}
    assert not report.plan.warnings  # every timestamp read, no unknown dates
    same_responses(sqlite_store, "Google", "Native")
    dates = sqlite_store.load_responses("Google").meta["submitted_on"].tolist()
    assert (str(dates[0]), str(dates[-1])) == ("2026-04-02", "2026-04-03")
    assert import_file(sqlite_store, "Google", path).rows_added == 0

    db = sqlite_store.url.split("///", 1)[1]
    sqlite_store.close()
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert not any(e in dump for e in EMAILS[:20])
