"""The identity of a paper form: its number, the same whichever way it was typed in.

A printed questionnaire carries a "Form no." box. Its number is the response's identity
in the campaign whether the form is typed on the Paper entry page or into the Excel
template's ``Form number`` column and imported: the store keeps only a keyed fingerprint
of :func:`form_number_key`, so a form entered twice (two clerks, or a clerk and the paper
page) is stored once, and two forms with equal answers are two people.

Form numbers live in their own namespace: form 17 is never confused with response 17 of a
survey tool's export imported into the same campaign.
"""

from __future__ import annotations

import re

from culturescope.importing.text import normalise

#: Headers of a form-number column (normalised), as in the CultureScope template.
FORM_NUMBER_HEADERS = frozenset({"form number", "form no", "form nr"})
_WHOLE_NUMBER = re.compile(r"^0*(\d+)(\.0*)?$")


def is_form_number_header(header: str) -> bool:
    """True for the template's ``Form number`` column (any case, "Form no.")."""
    return normalise(header) in FORM_NUMBER_HEADERS


def form_number_key(number: object) -> str | None:
    """The source key of a form number, or None when it is blank.

    Leading zeros and a spreadsheet's ``.0`` do not count (``0041``, ``41`` and ``41.0``
    are one form: Excel drops the zeros a clerk typed); other text is kept as typed,
    spaces collapsed, case ignored (``A-17``).
    """
    text = " ".join(str(number).split()) if number is not None else ""
    if not text:
        return None
    m = _WHOLE_NUMBER.match(text)
    text = m.group(1) if m else text.casefold()
    return f"form\x1f{text}"
