"""Small export files for the import tests: Microsoft Forms, Google Forms, plain csv."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

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
