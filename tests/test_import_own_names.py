"""A non-anonymous export's own Name / e-mail cells are removed from its comments.

Files are written the way the tools write them (Microsoft Forms xlsx: ID, Start time,
Completion time, Email, Name, Last modified time, then the questions; Google Forms csv:
Timestamp, Email Address, …; Qualtrics: RecipientFirstName / RecipientLastName)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd

from culturescope.importing import import_file
from culturescope.importing.columns import IDENTIFYING, ColumnMatch
from culturescope.importing.ownnames import FileNames, file_names
from importing_files import answer_for, write_csv, write_xlsx

PEOPLE = [
    ("priya.raman@northwind.example", "Priya Raman"),
    ("t.okafor@northwind.example", "Tom Okafor"),
    ("will.hart@northwind.example", "Will Hart"),
    ("s.obrien@northwind.example", "O'Brien, Siobhan (Operations)"),
    ("anonymous", None),
    ("j.li@northwind.example", "Jia Li"),
    ("grace.mwangi@northwind.example", "Grace Mwangi"),
]
COMMENTS = [
    None,
    None,
    "Priya Raman here - my team lead Tom Okafor ignored my report",  # row 3: names row 7
    "I will report it to Hart again; Okafor's reply never came",
    "Siobhan O'Brien and RAMAN, PRIYA fixed it. Operations were good.",
    "Ask Grace about the near miss, it was a grace period",
    "Mwangi",
]


def _ms_forms(flagship, people=PEOPLE, comments=COMMENTS):
    """A non-anonymous Microsoft Forms export (xlsx) as Forms writes it."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += [it.text_for("en") for it in flagship.items]
    header += ["Team", flagship.comments[0].text_for("en")]
    data = []
    for r, ((email, name), comment) in enumerate(zip(people, comments)):
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        row = [r + 1, start, start + dt.timedelta(minutes=9), email, name, None]
        row += [answer_for(flagship, it, r)[0] for it in flagship.items]
        row += [["Red", "Blue"][r % 2], comment]
        data.append(row)
    return header, data


def _comments(store) -> list[str]:
    return sorted(store.load_responses("C").comments["text"])


def test_names_in_the_name_column_are_removed_from_the_whole_files_comments(
    sqlite_store, flagship, tmp_path
):
    sqlite_store.create_campaign("C", flagship)
    header, data = _ms_forms(flagship)
    path = write_xlsx(tmp_path / "Safety survey(1-7).xlsx", header, data)

    report = import_file(sqlite_store, "C", path)

    assert _comments(sqlite_store) == sorted(
        [
            "[removed] here - my team lead [removed] ignored my report",
            "I will report it to [removed] again; [removed]'s reply never came",
            "[removed] and [removed] fixed it. Operations were good.",
            "Ask [removed] about the near miss, it was a grace period",
            "[removed]",
        ]
    )
    notice = next(n for n in report.plan.notices if "of this file's respondents" in n)
    assert notice.startswith("removed 8 names of this file's respondents")
    assert "Email, Name columns" in notice
    # Never stored, never said: not in the database, not in any message.
    db_path = sqlite_store.url.split("///", 1)[1]
    sqlite_store.close()
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    said = "\n".join(report.plan.notices + [p.message for p in report.plan.problems])
    for secret in ("Priya", "Raman", "Okafor", "Hart", "Siobhan", "Mwangi", "northwind"):
        assert secret not in dump
        assert secret not in said


def test_a_name_on_a_rejected_row_still_cleans_the_others(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header, data = _ms_forms(flagship)
    first_item = 6
    data[1][first_item] = "Sometimes, maybe"  # Tom Okafor's row is refused
    path = write_xlsx(tmp_path / "survey.xlsx", header, data)

    report = import_file(sqlite_store, "C", path, skip_invalid=True)

    assert report.rows_rejected == 1
    assert "[removed] here - my team lead [removed] ignored my report" in _comments(sqlite_store)


def test_google_forms_email_addresses_give_the_names(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    header = ["Timestamp", "Email Address"]
    header += [it.text_for("en") for it in flagship.items]
    header += [flagship.comments[0].text_for("en")]
    emails = ["priya.raman@northwind.example", "tom_okafor2@northwind.example", "jdoe@x.example"]
    comments = ["Tom Okafor is great", "priya raman knows", "jdoe and Jdoe stay"]
    data = []
    for r, (email, comment) in enumerate(zip(emails, comments)):
        stamp = dt.datetime(2026, 4, 2, 8, 0) + dt.timedelta(minutes=13 * r)
        row = [stamp.strftime("%Y/%m/%d %I:%M:%S %p"), email]
        row += [answer_for(flagship, it, r)[0] for it in flagship.items]
        data.append([*row, comment])
    path = write_csv(tmp_path / "Safety survey (Responses) - Form responses 1.csv", header, data)

    import_file(sqlite_store, "C", path)

    # A local part without a separator is a user name, not a name: left alone.
    assert _comments(sqlite_store) == [
        "[removed] is great",
        "[removed] knows",
        "jdoe and Jdoe stay",
    ]


def test_an_anonymous_export_changes_no_comment(sqlite_store, flagship, tmp_path):
    sqlite_store.create_campaign("C", flagship)
    people = [("anonymous", None)] * 3
    comments = ["Anonymous reporting works", "None of this is new", "Good"]
    header, data = _ms_forms(flagship, people, comments)

    report = import_file(sqlite_store, "C", write_xlsx(tmp_path / "a.xlsx", header, data))

    assert _comments(sqlite_store) == sorted(comments)
    assert not any("respondents (from" in n for n in report.plan.notices)


def _columns(*headers: str) -> list[ColumnMatch]:
    return [ColumnMatch(i, h, chr(65 + i), IDENTIFYING) for i, h in enumerate(headers)]


def test_first_and_last_name_columns_are_joined_and_ip_addresses_ignored():
    data = pd.DataFrame(
        {
            0: ["Raman", "Okafor"],
            1: ["Priya", "Tom"],
            2: ["10.0.0.1", "Fleet Street"],
        }
    )
    names = file_names(data, _columns("Recipient Last Name", "Recipient First Name", "IP Address"))
    assert names.clean("priya raman and TOM OKAFOR; Fleet Street") == (
        "[removed] and [removed]; Fleet Street",
        2,
    )
    assert names.columns == ["Recipient Last Name", "Recipient First Name"]


def test_file_names_cleaning_rules():
    names = FileNames()
    for value in ("Dr. Jia Li", "Raman, Priya (HSE)", "n/a", "Prefer not to say", "Al"):
        names.add(value)
    # Whole names in any case and either order; parts of 3+ letters only capitalised;
    # bracketed parts, titles and "no name" answers are not names.
    assert names.clean("jia li, Priya; RAMAN PRIYA; priya; HSE; Li; not a say; Al") == (
        "[removed], [removed]; [removed]; priya; HSE; Li; not a say; Al",
        3,
    )
    assert FileNames().clean("Tom Okafor") == ("Tom Okafor", 0)
