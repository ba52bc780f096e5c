"""The Excel response template of a campaign (docs/design/collection.md).

One row per respondent; columns: the form number (the "Form no." box of the printed
questionnaire: the row's identity, so that a form entered twice is imported once), the
demographics, then one column per item, then the comment prompts. Headers are the exact wording of the instrument (the importer matches
them by text with no mapping step); the item id is in the header cell's note. Every
answer cell has a dropdown of the scale's labels (numbers 1..points are accepted too,
after Excel's warning), demographics with options have a dropdown of their labels, and
an Instructions sheet explains the rest. The dropdown lists live on a hidden "Lists"
sheet, because Excel's inline lists cannot hold commas and stop at 255 characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from culturescope.instruments import Instrument, respondent_welcome

if TYPE_CHECKING:
    from culturescope.storage import Store

DEFAULT_ROWS = 500
#: Header of the form-number column (the importer reads it as the row's identity).
FORM_NUMBER = "Form number"


def _col(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def write_template(
    store: Store, campaign_ref: str | int, path: str | Path, *, rows: int = DEFAULT_ROWS
) -> Path:
    """Write the response template of a stored campaign to ``path`` (xlsx)."""
    camp = store.campaign(campaign_ref)
    inst = store.campaign_instrument(camp.id)
    known = camp.headcounts.get("team") if isinstance(camp.headcounts, dict) else None
    return write_instrument_template(
        inst,
        path,
        campaign=camp.name,
        rows=rows,
        demographic_values={"team": sorted(known)} if known else None,
    )


def write_instrument_template(
    inst: Instrument,
    path: str | Path,
    *,
    campaign: str = "",
    rows: int = DEFAULT_ROWS,
    demographic_values: dict[str, list[str]] | None = None,
) -> Path:
    """Write a response template for ``inst``; ``demographic_values`` gives dropdown values
    for free-text demographics (e.g. the campaign's team names)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    formats = _Formats(wb)
    ws = wb.add_worksheet("Responses")
    lists = _Lists(wb.add_worksheet("Lists"))
    instructions = wb.add_worksheet("Instructions")
    sheet = _ResponseSheet(ws, lists, formats, rows=rows)
    sheet.form_number_column()
    sheet.demographic_columns(inst, demographic_values or {})
    first_item = sheet.col
    sheet.item_columns(inst)
    sheet.comment_columns(inst)
    ws.set_row(0, 96)
    ws.freeze_panes(1, first_item)
    lists.sheet.hide()
    _write_instructions(instructions, inst, campaign, formats)
    ws.activate()
    wb.close()
    return path


class _Formats:
    """The cell formats of the template."""

    def __init__(self, wb: Workbook) -> None:
        header = {
            "bold": True,
            "text_wrap": True,
            "valign": "top",
            "bg_color": "#E8EEF4",
            "border": 1,
            "border_color": "#BBBBBB",
        }
        self.head = wb.add_format(header)
        self.demographic_head = wb.add_format({**header, "bg_color": "#FDE9C8"})
        self.title = wb.add_format({"bold": True, "font_size": 15, "font_color": "#0072B2"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.bold = wb.add_format({"bold": True, "valign": "top"})


class _Lists:
    """The dropdown lists, one column each on the hidden Lists sheet, each written once."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self._refs: dict[str, str] = {}

    def ref(self, key: str, values: list[str]) -> str:
        """The cell range of the list ``key`` (written with ``values`` on first use)."""
        if key not in self._refs:
            col = len(self._refs)
            self.sheet.write_string(0, col, key)
            for r, v in enumerate(values, start=1):
                self.sheet.write_string(r, col, v)
            letter = _col(col)
            self._refs[key] = f"=Lists!${letter}$2:${letter}${len(values) + 1}"
        return self._refs[key]


class _ResponseSheet:
    """The Responses sheet, written column by column from the left (``col`` is the next)."""

    def __init__(self, ws: Worksheet, lists: _Lists, formats: _Formats, *, rows: int) -> None:
        self.ws, self.lists, self.formats = ws, lists, formats
        self.last = rows  # data rows 1..rows (row 0 is the header)
        self.col = 0

    def form_number_column(self) -> None:
        self.ws.write_string(0, self.col, FORM_NUMBER, self.formats.demographic_head)
        self.ws.write_comment(
            0,
            self.col,
            "The number in the 'Form no.' box of the paper form. A form entered twice (by two "
            "clerks) is imported once; rows without a number are always imported.",
            {"visible": False},
        )
        self.ws.set_column(self.col, self.col, 12)
        self.col += 1

    def demographic_columns(self, inst: Instrument, known: dict[str, list[str]]) -> None:
        for d in inst.demographics:
            col = self.col
            self.ws.write_string(0, col, d.label, self.formats.demographic_head)
            self.ws.set_column(col, col, 18)
            values = [o.label for o in d.options] or list(known.get(d.id, []))
            if values:
                self.ws.data_validation(
                    1,
                    col,
                    self.last,
                    col,
                    {
                        "validate": "list",
                        "source": self.lists.ref(f"demographic:{d.id}", values),
                        "error_type": "warning" if d.free_text else "stop",
                        "error_title": d.label,
                        "error_message": "Pick a value from the list.",
                        "input_title": d.label[:32],
                        "input_message": "Pick from the list (optional)."[:255],
                    },
                )
            self.col += 1

    def item_columns(self, inst: Instrument) -> None:
        lang = inst.default_language
        for item in inst.items:
            col = self.col
            scale = inst.scale_of(item)
            labels = list(scale.labels) + (
                [scale.na_label or "N/A"] if scale.na_code is not None else []
            )
            self.ws.write_string(0, col, item.text_for(lang), self.formats.head)
            self.ws.write_comment(0, col, f"Item {item.id}", {"visible": False})
            self.ws.set_column(col, col, 16)
            numbers = f"1–{scale.points}" + (
                f" or {scale.na_code}" if scale.na_code is not None else ""
            )
            self.ws.data_validation(
                1,
                col,
                self.last,
                col,
                {
                    "validate": "list",
                    "source": self.lists.ref(f"scale:{scale.id}", labels),
                    # A warning (not a stop) so that typing the number of an answer also works.
                    "error_type": "warning",
                    "error_title": "Not an answer of this scale",
                    "error_message": f"Pick an answer from the list, or type its number ({numbers}).",
                },
            )
            self.col += 1

    def comment_columns(self, inst: Instrument) -> None:
        for prompt in inst.comments:
            self.ws.write_string(
                0, self.col, prompt.text_for(inst.default_language), self.formats.head
            )
            self.ws.set_column(self.col, self.col, 40)
            self.col += 1


_HEADINGS = ("How to fill in this template", "Answer scales", "Confidentiality")


def _write_instructions(ws: Worksheet, inst: Instrument, campaign: str, formats: _Formats) -> None:
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 1, f"{inst.title} — response template", formats.title)
    for r, line in enumerate(_instructions(inst, campaign), start=2):
        ws.write_string(r, 1, line, formats.bold if line in _HEADINGS else formats.wrap)


def _instructions(inst: Instrument, campaign: str) -> list[str]:
    first = inst.scales[inst.items[0].scale]
    lines = [
        f"Campaign: {campaign}" if campaign else f"Instrument version {inst.version}",
        "",
        "How to fill in this template",
        "1. One row per completed questionnaire on the Responses sheet. Do not change the headers "
        "in the first row: CultureScope recognises the columns by their wording.",
        "   Type the number from the questionnaire's “Form no.” box in the Form number column "
        "(number the paper forms before handing them out). A form entered twice, e.g. by two "
        "clerks, is then imported once; two different forms with the same answers are two "
        "people and are both kept.",
        "2. For each statement pick the answer from the dropdown, or type its number "
        f"(1 = “{first.labels[0]}” … {first.points} = “{first.labels[-1]}”). "
        "Leave a cell empty when the question was not answered.",
        "3. Demographic columns (shaded orange) are optional; pick from the list where there is one.",
        "4. Copy comments exactly as written. Never add names, e-mail addresses or other details "
        "that identify a person: such columns are dropped on import.",
        "5. Import the file in CultureScope (Import page, or `culturescope import FILE --campaign NAME`). "
        "Importing the same file twice adds nothing.",
        "",
        "Answer scales",
    ]
    for scale in inst.scales.values():
        parts = [f"{k} = {label}" for k, label in enumerate(scale.labels, start=1)]
        if scale.na_code is not None:
            parts.append(f"{scale.na_code} = {scale.na_label or 'N/A'}")
        lines.append(f"{scale.id}: " + "; ".join(parts))
    lines += ["", "Confidentiality", *respondent_welcome(inst, language=inst.default_language)]
    return lines
