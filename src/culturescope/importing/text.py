"""Normalising headers and answer labels so that small differences do not matter.

Headers in exports differ from the instrument's wording in ways people do not notice:
numbering ("Q3.", "3)", "Question 3:"), case, punctuation, curly quotes, extra spaces,
British/American spelling. :func:`normalise` removes all but the wording, and
:func:`similarity` (difflib's ratio) measures what is left.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# "Q3.", "Q 3)", "3)", "3.", "3 -", "(3)", "Question 3:", "Item 12a.", "#3", "1.2 "...
_NUMBERING = re.compile(
    r"""^\s*(?:
        \(?\s*(?:q(?:uestion)?|item|no\.?|nr\.?|\#)?\s*\d{1,3}(?:[.]\d{1,3})*[a-z]?\s*[.):\-–—]+(?=\s|$|\D)
      | (?:q(?:uestion)?|item|\#)\s*\d{1,3}(?:[.]\d{1,3})*[a-z]?(?=\s)
      | \d{1,3}(?:[.]\d{1,3})+(?=\s)
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def strip_numbering(text: str) -> str:
    """``"Q3. Leaders act"`` -> ``"Leaders act"``; text without numbering is unchanged."""
    stripped = _NUMBERING.sub("", text, count=1)
    return stripped if stripped.strip() else text


def normalise(text: object) -> str:
    """Lower-case words separated by single spaces: punctuation, accents' compatibility
    forms and a leading numbering prefix removed."""
    s = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    s = strip_numbering(s)
    return _NOT_WORD.sub(" ", s).strip()


def normalise_label(text: object) -> str:
    """Answer labels: case, spacing and punctuation removed, numbering kept
    (``"2 to 5 times"`` must stay distinct from ``"5 times"``)."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return _NOT_WORD.sub(" ", s).strip()


def similarity(a: str, b: str) -> float:
    """difflib ratio of two already normalised texts, 0..1."""
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.5 or m.quick_ratio() < 0.5:
        return 0.0
    return m.ratio()
