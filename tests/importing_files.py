"""Small export files for the import tests: Microsoft Forms, Google Forms, plain csv."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

MS_META = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
EMAILS = [f"person{n}@example.org" for n in range(100)]
NAMES = [f"Zebedee Quux{n}" for n in range(100)]


def reworded(n: int, text: str) -> str:
    """A header as a form tool would show it: numbered, British/American spelling, case
    and punctuation changed, now and then a small wording change."""
    t = text.rstrip(".")
    t = t.replace("organisation", "organization")
    if n % 4 == 1:
        t = t.upper()
    if n % 5 == 2:
        t = t.replace(" here ", " ").replace(" in my team", " in our team")
    prefix = ["Q{n}. ", "{n}) ", "Question {n}: ", "", "({n}) "][n % 5].format(n=n + 1)
    return f"{prefix}{t}{'?' if n % 3 == 0 else ''}"


def answer_for(instrument, item, r: int):
    """A label answer (varying case/spacing), the N/A label now and then, or a blank."""
    scale = instrument.scale_of(item)
    k = (r * 7 + len(item.id) * 3 + sum(map(ord, item.id))) % (scale.points + 2)
    if k == scale.points:
        return (scale.na_label, scale.na_code) if scale.na_code is not None else (None, None)
    if k == scale.points + 1:
        return None, None
    label = scale.labels[k]
    shown = [label, label.upper(), f"  {label.lower()} ", label][r % 4]
    return shown, k + 1


def ms_forms_rows(instrument, rows: range):
    """(header, data rows, expected codes per row) of a Microsoft Forms export."""
    header = list(MS_META)
    header += [reworded(n, it.text_for("en")) for n, it in enumerate(instrument.items)]
    header += ["Team", "Role level", instrument.comments[0].text_for("en")]
    data, expected = [], []
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        row = [r + 1, start, start + dt.timedelta(minutes=9), EMAILS[r], NAMES[r], ""]
        codes = {}
        for it in instrument.items:
            shown, code = answer_for(instrument, it, r)
            row.append(shown)
            if code is not None:
                codes[it.id] = code
        row += [
            f" {['Red', 'Blue', 'Green'][r % 3]} ",
            ["Front-line staff", "manager", "SENIOR LEADER", "Prefer not to say"][r % 4],
            "More time for safety reviews" if r % 5 == 0 else None,
        ]
        data.append(row)
        expected.append(codes)
    return header, data, expected


def write_xlsx(path: Path, header, data, sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in data:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, header, data, *, delimiter=",", encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        for row in data:
            w.writerow(["" if v is None else v for v in row])
    return path


def google_forms_rows(instrument, rows: range):
    """(header, data rows) of a Google Forms csv export with a grid question."""
    header = ["Timestamp", "Email Address"]
    for n, it in enumerate(instrument.items):
        text = it.text_for("en")
        header.append(f"Please rate these statements [{text}]" if n % 2 else text)
    header += ["Team", "Role level"]
    data = []
    for r in rows:
        stamp = dt.datetime(2026, 4, 2, 8, 0) + dt.timedelta(minutes=13 * r)
        row = [stamp.strftime("%Y/%m/%d %I:%M:%S %p"), EMAILS[r]]
        row += [answer_for(instrument, it, r)[0] for it in instrument.items]
        row += [["Red", "Blue"][r % 2], "Manager"]
        data.append(row)
    return header, data


#: Demographic questions as people word them on a form: (question, demographic id, answers).
WORDED_DEMOGRAPHICS = (
    ("Which team do you work in?", "team", ["Red", "Blue", "Green"]),
    (
        "What is your role level?",
        "role",
        ["Front-line staff", "Manager", "Senior leader", "Prefer not to say"],
    ),
    ("Where is your office location?", "site", ["Leeds", "Oslo"]),
    (
        "How long have you worked here?",
        "tenure",
        ["Less than 1 year", "1 to 3 years", "3 to 10 years", "More than 10 years"],
    ),
)


def demographic_answers(r: int) -> dict[str, str]:
    """Row ``r``'s answer to each worded demographic question."""
    return {d: answers[r % len(answers)] for _, d, answers in WORDED_DEMOGRAPHICS}


def ms_forms_worded_rows(instrument, rows: range):
    """(header, data rows) of a Microsoft Forms xlsx export as Forms writes it: ID, Start
    time, Completion time, Email ("anonymous" on anonymous forms), Name (blank), then one
    column per question headed by the question's full text, demographics included."""
    header = ["ID", "Start time", "Completion time", "Email", "Name"]
    header += [it.text_for("en") for it in instrument.items]
    header += [q for q, _, _ in WORDED_DEMOGRAPHICS]
    data = []
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        row = [r + 1, start, start + dt.timedelta(minutes=9), "anonymous", None]
        row += [answer_for(instrument, it, r)[0] for it in instrument.items]
        row += list(demographic_answers(r).values())
        data.append(row)
    return header, data


def native_rows(instrument, rows: range):
    """The same answers as :func:`ms_forms_worded_rows` in CultureScope's own layout
    (item ids and demographic ids as headers)."""
    header = [it.id for it in instrument.items] + [d for _, d, _ in WORDED_DEMOGRAPHICS]
    data = []
    for r in rows:
        row = [answer_for(instrument, it, r)[0] for it in instrument.items]
        row += list(demographic_answers(r).values())
        data.append(row)
    return header, data


MATRIX = "How much do you agree with each of the following statements?"


def _matrix_items(instrument):
    """Items on the instrument's agree scale go in one matrix question, others alone."""
    return [it for it in instrument.items if instrument.scale_of(it).points == 5]


def _matrix_first_answers(instrument, r: int) -> list:
    """Row ``r``'s answers in the column order of the exports below: the matrix items,
    the other items, then the demographic questions."""
    matrix = _matrix_items(instrument)
    out = [answer_for(instrument, it, r)[0] for it in matrix]
    out += [answer_for(instrument, it, r)[0] for it in instrument.items if it not in matrix]
    return out + list(demographic_answers(r).values())


def qualtrics_rows(instrument, rows: range):
    """(rows of cells) of a Qualtrics export ("use choice text"): export tags, question
    texts ("Question - Statement" for matrix rows), ImportId JSON, then the responses."""
    meta = [
        ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
        ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
        ("Status", "Response Type", '{"ImportId":"status"}'),
        ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
        ("Progress", "Progress", '{"ImportId":"progress"}'),
        ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
        ("Finished", "Finished", '{"ImportId":"finished"}'),
        ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
        ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
        ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
        ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
        ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
        ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
        ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
        ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
        ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
        ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
    ]
    tags, texts, ids = (list(x) for x in zip(*meta))
    matrix = _matrix_items(instrument)
    for n, it in enumerate(matrix, start=1):
        tags.append(f"Q1_{n}")
        texts.append(f"{MATRIX} - {it.text_for('en')}")
        ids.append(f'{{"ImportId":"QID1_{n}"}}')
    q = 2
    for it in instrument.items:
        if it not in matrix:
            tags.append(f"Q{q}")
            texts.append(it.text_for("en"))
            ids.append(f'{{"ImportId":"QID{q}"}}')
            q += 1
    for question, _, _ in WORDED_DEMOGRAPHICS:
        tags.append(f"Q{q}")
        texts.append(question)
        ids.append(f'{{"ImportId":"QID{q}"}}')
        q += 1
    out = [tags, texts, ids]
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        end = start + dt.timedelta(minutes=9)
        row = [
            start.strftime("%Y-%m-%d %H:%M:%S"),
            end.strftime("%Y-%m-%d %H:%M:%S"),
            "IP Address",
            f"192.0.2.{r % 250}",
            "100",
            "540",
            "True",
            end.strftime("%Y-%m-%d %H:%M:%S"),
            f"R_{r:04d}aB3xYq9ZkLmN",
            NAMES[r].split()[1],
            NAMES[r].split()[0],
            EMAILS[r],
            f"EMP{7000 + r}",
            "51.5072",
            "-0.1276",
            "email",
            "EN",
        ]
        row += _matrix_first_answers(instrument, r)
        out.append(row)
    return out


def surveymonkey_rows(instrument, rows: range):
    """(rows of cells) of a SurveyMonkey export: question titles (once over a matrix's
    columns) and metadata names, then "Response" / the statement of each column, then
    the responses (US dates)."""
    title = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    sub = [""] * len(title)
    matrix = _matrix_items(instrument)
    for n, it in enumerate(matrix):
        title.append(MATRIX if n == 0 else "")
        sub.append(it.text_for("en"))
    for it in instrument.items:
        if it not in matrix:
            title.append(it.text_for("en"))
            sub.append("Response")
    for question, _, _ in WORDED_DEMOGRAPHICS:
        title.append(question)
        sub.append("Response")
    title.append(instrument.comments[0].text_for("en"))
    sub.append("Open-Ended Response")
    out = [title, sub]
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        end = start + dt.timedelta(minutes=9)
        row = [
            114000000000 + 7919 * r,
            431234567,
            start.strftime("%m/%d/%Y %I:%M:%S %p"),
            end.strftime("%m/%d/%Y %I:%M:%S %p"),
            f"198.51.100.{r % 250}",
            EMAILS[r],
            NAMES[r].split()[0],
            NAMES[r].split()[1],
            "",
        ]
        row += _matrix_first_answers(instrument, r)
        row.append("More training" if r % 4 == 0 else None)
        out.append(row)
    return out


def write_rows_xlsx(path: Path, rows) -> Path:
    """Every row as given (several header rows included)."""
    return write_xlsx(path, rows[0], rows[1:])


def write_rows_csv(path: Path, rows, *, encoding="utf-8-sig") -> Path:
    return write_csv(path, rows[0], rows[1:], encoding=encoding)


def limesurvey_rows(instrument, rows: range):
    """A LimeSurvey export with "full question text" headings and "full answers": its
    metadata columns, array questions as "Question [Subquestion]", answers as texts."""
    header = [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Seed",
        "Date started",
        "Date last action",
        "IP address",
        "Referrer URL",
    ]
    matrix = _matrix_items(instrument)
    header += [f"{MATRIX} [{it.text_for('en')}]" for it in matrix]
    header += [it.text_for("en") for it in instrument.items if it not in matrix]
    header += [q for q, _, _ in WORDED_DEMOGRAPHICS]
    out = [header]
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        end = (start + dt.timedelta(minutes=9)).strftime("%Y-%m-%d %H:%M:%S")
        row = [r + 1, end, 3, "en", 1000 + 37 * r, start.strftime("%Y-%m-%d %H:%M:%S"), end]
        row += [f"203.0.113.{r % 250}", f"https://intranet.example.org/?token=tk{r:05d}"]
        row += _matrix_first_answers(instrument, r)
        out.append(row)
    return out


def kobo_rows(instrument, rows: range):
    """A KoboToolbox / ODK xlsx export with labels: start/end/device metadata, questions
    in a group ("group/label" headers), a geopoint with its split columns, and Kobo's own
    columns at the end."""
    header = ["start", "end", "today", "deviceid", "username"]
    header += [f"safety_block/{it.text_for('en')}" for it in instrument.items]
    header += [q for q, _, _ in WORDED_DEMOGRAPHICS]
    header += [
        "Where are you now?",
        "_Where are you now?_latitude",
        "_Where are you now?_longitude",
    ]
    header += ["_Where are you now?_altitude", "_Where are you now?_precision"]
    header += ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status"]
    header += ["_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]
    out = [header]
    for r in rows:
        start = dt.datetime(2026, 3, 1, 9, 0) + dt.timedelta(minutes=17 * r)
        end = start + dt.timedelta(minutes=9)
        row = [start.isoformat(timespec="milliseconds") + "+00:00"]
        row += [end.isoformat(timespec="milliseconds") + "+00:00", start.date().isoformat()]
        row += [f"enketo.org:{r:08x}", f"clerk{r % 3}"]
        row += [answer_for(instrument, it, r)[0] for it in instrument.items]
        row += list(demographic_answers(r).values())
        lat, lon = 51.5072 + r / 1000, -0.1276 - r / 1000
        row += [f"{lat:.6f} {lon:.6f} 12.0 5.0", lat, lon, 12.0, 5.0]
        uid = f"{r:08d}-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
        row += [f"uuid:{uid}", 500000 + r, uid, end.strftime("%Y-%m-%dT%H:%M:%S")]
        row += ["", "", "submitted_via_web", f"clerk{r % 3}", "vQ2x9", "", r + 1]
        out.append(row)
    return out


def same_responses(store, a: str, b: str) -> None:
    """Campaigns ``a`` and ``b`` hold the same answers and demographics, row for row."""
    x, y = store.load_responses(a), store.load_responses(b)
    np.testing.assert_array_equal(x.answers.to_numpy(), y.answers.to_numpy())
    cols = sorted(y.demographics.columns)
    pd.testing.assert_frame_equal(
        x.demographics[cols].reset_index(drop=True), y.demographics[cols].reset_index(drop=True)
    )
