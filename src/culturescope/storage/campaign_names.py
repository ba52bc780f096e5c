"""How a campaign name someone typed is compared with the stored names.

People type ``q3 survey`` or ``Q3  Survey `` for the campaign listed as ``Q3 survey``. A
typed name finds its campaign when it equals the stored name exactly, or else when the two
are equal ignoring case, runs of spaces and the Unicode form (:func:`campaign_name_key`):
"Café" typed is one precomposed character é (NFC), while text pasted from a macOS file name
often spells it e + a combining accent (NFD); both look the same and are one name. Names
are stored in NFC (:func:`clean_name`). So that this never
has to guess, two campaigns whose names differ only that way cannot be made (created or
renamed); a database that already holds such a pair (made by an earlier version) asks for
the exact name. No SQL here: the reader that works without SQLAlchemy uses it too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from culturescope.storage.errors import UnknownCampaign


def campaign_name_key(name: str) -> str:
    """``"  Q3   Survey "`` -> ``"q3 survey"``: what two names must share to be the same
    (NFC before and after case folding, which can decompose a character)."""
    folded = " ".join(unicodedata.normalize("NFC", name).split()).casefold()
    return unicodedata.normalize("NFC", folded)


def clean_name(name: str) -> str:
    """A name as it is stored: NFC, without spaces around it."""
    return unicodedata.normalize("NFC", name).strip()


def matching_names(typed: str, names: Iterable[str]) -> list[str]:
    """The stored ``names`` that ``typed`` means: the exact name if stored, else every
    name equal to it ignoring case and spaces (more than one: the caller must refuse)."""
    names = list(names)
    if typed in names:
        return [typed]
    if clean_name(typed) in names:
        return [clean_name(typed)]
    key = campaign_name_key(typed)
    return [n for n in names if campaign_name_key(n) == key]


def stored_name(typed: str, names: Iterable[str]) -> str | None:
    """The one stored name ``typed`` means, None if none.

    Raises
    ------
    UnknownCampaign
        When ``typed`` could mean several campaigns (names differing only in case).
    """
    found = matching_names(typed, names)
    if len(found) > 1:
        listed = ", ".join(f"'{n}'" for n in sorted(found))
        raise UnknownCampaign(
            f"'{typed}' could be any of {listed}, whose names differ only in capitals or "
            "spaces: type the name exactly as listed (or rename one with "
            "'culturescope campaign set OLD --rename NEW')"
        )
    return found[0] if found else None
