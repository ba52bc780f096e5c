"""LimeSurvey and KoboToolbox exports whose headers are the form's own codes or names.

"Question code & question text" headings (``G01Q01[SQ001]. Question [Statement]``) import
with no mapping; code-only headings (``G01Q01[SQ001]``, Kobo's ``group/q1``) are refused in
one line saying how to export them with question texts, or how to map them."""

from __future__ import annotations

import pytest
import yaml

from culturescope.cli import main
from culturescope.importing import ImportFailed, import_file, write_mapping
from importing_files import (
    MATRIX,
    WORDED_DEMOGRAPHICS,
    _matrix_first_answers,
    _matrix_items,
    native_rows,
    same_responses,
    write_csv,
    write_xlsx,
)

LS_META = [
    ("id", "Response ID"),
    ("submitdate", "Date submitted"),
    ("lastpage", "Last page"),
    ("startlanguage", "Start language"),
    ("seed", "Seed"),
    ("startdate", "Date started"),
    ("datestamp", "Date last action"),
    ("ipaddr", "IP address"),
]


def limesurvey_coded(instrument, rows: range, *, with_text: bool):
    """A LimeSurvey export with "Question code" headings (``with_text``: "Question code &
    question text", LimeSurvey's default separator ". "), full answers: the matrix items
    are subquestions SQ001… of G01Q01, the other items and the demographics G02Q01…"""
    codes = [code for code, _ in LS_META]
    texts = [text for _, text in LS_META]
    matrix = _matrix_items(instrument)
    for n, item in enumerate(matrix, start=1):
        codes.append(f"G01Q01[SQ{n:03d}]")
        texts.append(f"{MATRIX} [{item.text_for('en')}]")
    others = [it.text_for("en") for it in instrument.items if it not in matrix]
    for n, text in enumerate(others + [q for q, _, _ in WORDED_DEMOGRAPHICS], start=1):
        codes.append(f"G02Q{n:02d}")
        texts.append(text)
    header = [f"{c}. {t}" for c, t in zip(codes, texts)] if with_text else codes
    data = []
    for r in rows:
        stamp = f"2026-03-{1 + r % 28:02d} 09:{r % 60:02d}:00"
        data.append([r + 1, stamp, 3, "en", 4000 + r, stamp, stamp, f"203.0.113.{r}"])
        data[-1] += _matrix_first_answers(instrument, r)
    return header, data


def kobo_xml(instrument, rows: range, *, ids: bool = False):
    """A KoboToolbox download with "XML values and headers": names, not labels (the
    instrument's item ids when ``ids``, else the form's own ``q1``, ``q2``…)."""
    header = ["start", "end", "today", "deviceid", "username"]
    header += [
        f"safety_block/{it.id.lower() if ids else f'q{n + 1}'}"
        for n, it in enumerate(instrument.items)
    ]
    header += ["team", "role" if ids else "role_level", "site", "tenure"]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    data = []
    for r in rows:
        data.append(
            ["2026-03-01T09:00:00.000+01:00", "2026-03-01T09:09:00.000+01:00", "2026-03-01"]
            + ["enketo.org:x", "clerk"]
            + [
                str(1 + (r + n) % instrument.scale_of(it).points)
                for n, it in enumerate(instrument.items)
            ]
            + ["red", "manager", "leeds", "y1_3" if ids else "1_3"]
            + [r + 1, f"{r:08d}-aaaa-4bbb-8ccc-000000000000", "2026-03-01T08:09:00", "", r + 1]
        )
    return header, data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_limesurvey_code_and_text_headings_need_no_mapping(sqlite_store, flagship, tmp_path, fmt):
    write = write_csv if fmt == "csv" else write_xlsx
    path = write(
        tmp_path / f"results-survey123456.{fmt}",
        *limesurvey_coded(flagship, range(15), with_text=True),
    )
    native = write_xlsx(tmp_path / "native.xlsx", *native_rows(flagship, range(15)))
    sqlite_store.create_campaign("Tool", flagship)
    sqlite_store.create_campaign("Native", flagship)
    report = import_file(sqlite_store, "Tool", path)
    import_file(sqlite_store, "Native", native)
    assert report.rows_added == 15
    kinds = {c.header: c.kind for c in report.plan.columns}
    assert sum(k == "item" for k in kinds.values()) == len(flagship.items)
    assert kinds["IP address"] == "identifying" and kinds["Response ID"] == "metadata"
    assert any("question code & question text" in n for n in report.plan.notices)
    same_responses(sqlite_store, "Tool", "Native")


def test_limesurvey_code_headings_are_refused_in_one_line_and_a_mapping_works(
    sqlite_store, flagship, tmp_path
):
    path = write_csv(
        tmp_path / "results-survey123456.csv",
        *limesurvey_coded(flagship, range(12), with_text=False),
    )
    sqlite_store.create_campaign("C", flagship)
    with pytest.raises(ImportFailed) as failed:
        import_file(sqlite_store, "C", path)
    (error,) = failed.value.errors
    message = str(error)
    assert message.startswith("results-survey123456.csv: this LimeSurvey export has question codes")
    assert "G01Q01[SQ001], G01Q01[SQ002]" in message
    assert "'Export questions as: Full question text'" in message
    assert "'Export responses as: Full answers'" in message
    assert "--write-mapping" in message
    assert sqlite_store.campaign("C").response_count == 0

    # The mapping route: the mapping written for the refused file, codes filled in.
    mapping = write_mapping(failed.value.plan, tmp_path / "mapping.yaml")
    data = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    matrix = _matrix_items(flagship)
    others = [it for it in flagship.items if it not in matrix]
    for n, item in enumerate(matrix, start=1):
        data["columns"][f"G01Q01[SQ{n:03d}]"] = item.id
    for n, item in enumerate(others, start=1):
        data["columns"][f"G02Q{n:02d}"] = item.id
    for n, (_, demographic, _) in enumerate(WORDED_DEMOGRAPHICS, start=len(others) + 1):
        data["columns"][f"G02Q{n:02d}"] = demographic
    mapping.write_text(yaml.safe_dump(data), encoding="utf-8")
    report = import_file(sqlite_store, "C", path, mapping=mapping)
    assert report.rows_added == 12


def test_kobo_xml_names_are_refused_in_one_line(capsys, tmp_path, monkeypatch, flagship, new_db):
    monkeypatch.setenv("CULTURESCOPE_DB", new_db("cli.db"))  # migrated copy
    assert main(["-q", "campaign", "create", "K", "--instrument", flagship.id]) == 0
    path = write_xlsx(
        tmp_path / "Safety_survey_-_all_versions_-_False_-_2026-03-02.xlsx",
        *kobo_xml(flagship, range(8)),
    )
    assert main(["-q", "import", str(path), "--campaign", "K"]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("note:")]
    assert len(err) == 1, err
    assert "this KoboToolbox/ODK export has the form's XML names as headers" in err[0]
    assert "safety_block/q1" in err[0] and "'Value and header format: Labels'" in err[0]


def test_kobo_xml_names_that_are_the_instruments_ids_need_no_mapping(
    sqlite_store, flagship, tmp_path
):
    sqlite_store.create_campaign("K", flagship)
    path = write_xlsx(tmp_path / "kobo.xlsx", *kobo_xml(flagship, range(8), ids=True))
    report = import_file(sqlite_store, "K", path)
    assert report.rows_added == 8
    kinds = {c.header: (c.kind, c.target, c.how) for c in report.plan.columns}
    assert kinds["safety_block/la1"] == ("item", "LA1", "field name")
    assert kinds["_uuid"][:2] == ("metadata", "id")
