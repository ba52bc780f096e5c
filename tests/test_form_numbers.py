"""Paper-form numbers as the identity of a response, whichever way the form was typed in."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from culturescope.importing import import_file
from culturescope.importing.identity import form_number_key, is_form_number_header
from culturescope.reports.template import write_template
from culturescope.storage import NewResponse
from importing_files import write_csv


def _template(store, campaign: str, path: Path, forms: list[tuple[object, int]]) -> Path:
    """The campaign's template filled in Excel by a clerk: (form number, answer) per row."""
    path = write_template(store, campaign, path, rows=len(forms) + 2)
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    headers = [c.value for c in ws[1]]
    inst = store.campaign_instrument(store.campaign(campaign).id)
    items = {it.text_for("en") for it in inst.items}
    for r, (number, answer) in enumerate(forms, start=2):
        for c, h in enumerate(headers, start=1):
            if h == "Form number":
                cell = ws.cell(row=r, column=c, value=number)
                if isinstance(number, str):
                    cell.data_type = "s"  # typed with a leading apostrophe: text
            elif h in items:
                ws.cell(row=r, column=c, value=answer)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [("0041", 41), (" 41 ", "41"), (41.0, "41"), ("A-17", "a-17"), ("0", "000")],
)
def test_form_number_key_ignores_how_it_was_typed(typed, same_as):
    assert form_number_key(typed) == form_number_key(same_as) is not None
    assert form_number_key("41") != form_number_key("14")
    assert form_number_key("") is None and form_number_key("  ") is None
    assert form_number_key(None) is None


def test_form_number_headers():
    assert is_form_number_header("Form number") and is_form_number_header("Form no.")
    assert not is_form_number_header("Response ID")


def test_paper_entry_and_template_share_the_form_identity(sqlite_store, flagship, tmp_path):
    store = sqlite_store
    camp = store.create_campaign("C", flagship)
    answers = {it.id: 4 for it in flagship.items}

    def typed(number: str) -> NewResponse:  # what the Paper entry page stores
        fp = store.fingerprint(camp.id, form_number_key(number))
        return NewResponse(answers=dict(answers), source_ref=f"form {number}", fingerprint=fp)

    assert store.add_responses(camp.id, [typed("0041")], source="paper").rows_added == 1
    path = _template(store, "C", tmp_path / "clerk.xlsx", [(41, 4), ("0042", 3), (43, 4)])
    report = import_file(store, "C", path)
    assert (report.rows_added, report.already_stored) == (2, 1)  # form 41 was typed already
    again = store.add_responses(camp.id, [typed("42")], source="paper")
    assert (again.rows_added, again.already_stored) == (0, 1)
    assert store.campaign("C").response_count == 3


def test_form_numbers_never_match_a_tools_response_numbers(sqlite_store, flagship, tmp_path):
    """Form 1 of the paper template and response 1 of a survey tool's export are two
    people, not one response imported twice."""
    store = sqlite_store
    store.create_campaign("C", flagship)
    header = ["Response ID", *[it.id for it in flagship.items]]
    export = write_csv(
        tmp_path / "export.csv", header, [[n, *[3] * len(flagship.items)] for n in (1, 2, 3)]
    )
    assert import_file(store, "C", export).rows_added == 3
    path = _template(store, "C", tmp_path / "paper.xlsx", [(1, 4), (2, 4), (3, 4)])
    report = import_file(store, "C", path)
    assert (report.rows_added, report.already_stored) == (3, 0)
    assert report.plan.key_kind == "form"
    assert store.campaign("C").response_count == 6
