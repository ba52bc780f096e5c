"""Response template: headers the importer matches, dropdowns, and a clean round trip."""

from __future__ import annotations

import math

import openpyxl

from culturescope.reports.template import write_template


def test_template_round_trip(sqlite_store, flagship, tmp_path):
    from culturescope.importing import import_file

    sqlite_store.create_campaign("2026 Q4", flagship, headcounts={"team": {"Red": 10, "Blue": 12}})
    path = write_template(sqlite_store, "2026 Q4", tmp_path / "template.xlsx", rows=50)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Responses", "Lists", "Instructions"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["Responses"]
    headers = [c.value for c in ws[1]]
    demographics = [d.label for d in flagship.demographics]
    items = [i.text_for("en") for i in flagship.items]
    comments = [c.text_for("en") for c in flagship.comments]
    assert headers == ["Form number", *demographics, *items, *comments]
    assert ws.freeze_panes == f"{openpyxl.utils.get_column_letter(len(demographics) + 2)}2"
    validations = ws.data_validations.dataValidation
    assert len(validations) == len(items) + sum(1 for d in flagship.demographics if d.options) + 1
    assert all(v.type == "list" for v in validations)

    # Fill three forms: labels, numbers and N/A; blanks stay blank.
    agree = flagship.scales["agree5"]
    rows = []
    for k in range(3):
        row = {"Team": ["Red", "Blue", "Red"][k], "Role level": "Front-line staff"}
        for n, item in enumerate(flagship.items):
            scale = flagship.scale_of(item)
            value = (n + k) % scale.points + 1
            row[item.text_for("en")] = scale.labels[value - 1] if k == 0 else value
        rows.append(row)
    rows[2][flagship.items[0].text_for("en")] = agree.na_label
    rows[2][flagship.items[1].text_for("en")] = None
    rows[0][comments[0]] = "- more time for reviews"
    for r, row in enumerate(rows, start=2):
        for c, h in enumerate(headers, start=1):
            if row.get(h) is not None:
                ws.cell(row=r, column=c, value=row[h])
    wb.save(path)

    report = import_file(sqlite_store, "2026 Q4", path)
    assert report.rows_added == 3
    data = sqlite_store.load_responses("2026 Q4")
    stored = data.answers.sort_index().to_numpy()
    for k in range(3):
        for n, item in enumerate(flagship.items):
            expected = (n + k) % flagship.scale_of(item).points + 1
            got = stored[k, n]
            if k == 2 and n == 0:
                assert got == agree.na_code
            elif k == 2 and n == 1:
                assert math.isnan(got)
            else:
                assert got == expected, (k, item.id)
    assert sorted(data.demographics["team"]) == ["Blue", "Red", "Red"]
    assert set(data.demographics["role"]) == {"front_line"}
    assert list(data.comments["text"]) == ["- more time for reviews"]
