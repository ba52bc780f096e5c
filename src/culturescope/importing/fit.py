"""Whether a file belongs to the campaign's instrument, and what to say when it does not."""

from __future__ import annotations

import math

from culturescope.importing.columns import ITEM, ColumnMatch, count_item_matches
from culturescope.importing.layouts import LIMESURVEY, ODK_CENTRAL, code_headings
from culturescope.importing.problems import ERROR, Problem, short_header
from culturescope.importing.reading import RawTable
from culturescope.instruments import Instrument


def instrument_fit(
    raw: RawTable, instrument: Instrument, columns: list[ColumnMatch], notices: list[str]
) -> list[Problem]:
    """Errors when the file does not look like it belongs to ``instrument``."""
    file = raw.source.name
    n_items = len(instrument.items)
    matched = {c.target for c in columns if c.kind == ITEM}
    if len(matched) == n_items:
        return []
    from culturescope.instruments import available_instruments

    best_other, best_count = None, 0
    for other in available_instruments():
        if other.id == instrument.id:
            continue
        count = count_item_matches(raw.headers, other)
        if count > best_count:
            best_other, best_count = other, count
    this = f"{instrument.title} ({instrument.key})"
    if best_other is not None and best_count > len(matched):
        return [
            Problem(
                ERROR,
                f"wrong instrument: this file seems to be for {best_other.title} "
                f"({best_other.key}): {best_count} of its {len(best_other.items)} questions "
                f"match, but only {len(matched)} of the {n_items} questions of {this}",
                file,
            )
        ]
    coded = code_headings(raw.headers) if len(matched) < math.ceil(n_items / 3) else None
    if coded is not None:
        return [Problem(ERROR, _code_headings_message(*coded), file)]
    if not matched:
        return [
            Problem(
                ERROR,
                f"no column matches a question of {this}: check that the file is for this "
                "instrument, or give a mapping file",
                file,
            )
        ]
    if len(matched) < math.ceil(n_items / 3):
        return [
            Problem(
                ERROR,
                f"too few questions of {this} found: only {len(matched)} of its {n_items} "
                "questions have a column; check the instrument, or give a mapping file",
                file,
            )
        ]
    missing = [i.id for i in instrument.items if i.id not in matched]
    notices.append(
        f"{len(missing)} question{'s' if len(missing) > 1 else ''} of the instrument "
        f"{'have' if len(missing) > 1 else 'has'} no column and stay blank: {', '.join(missing)}"
    )
    return []


def _code_headings_message(tool: str, examples: list[str]) -> str:
    """How to import a file whose headers are a survey tool's codes or names."""
    shown = ", ".join(short_header(e) for e in examples)
    mapping = "or map each {0} in a mapping file (--write-mapping FILE writes one to fill in)"
    if tool == LIMESURVEY:
        return (
            f"this LimeSurvey export has question codes as headings ({shown}), which cannot "
            "be matched to the questions: export the responses again with 'Export questions "
            "as: Full question text' (or 'Question code & question text') and 'Export "
            f"responses as: Full answers', {mapping.format('code')}"
        )
    if tool == ODK_CENTRAL:
        return (
            f"this ODK Central export is headed by the form's field names ({shown}), which "
            "are not the instrument's ids: Central cannot export question texts, so name "
            "the form's fields by the ids (LA1, team, C1…; group names do not matter), "
            f"{mapping.format('name')}"
        )
    return (
        f"this KoboToolbox/ODK export has the form's XML names as headers ({shown}), which "
        "cannot be matched to the questions: download it again with 'Value and header "
        f"format: Labels' (KoboToolbox: Data > Downloads), {mapping.format('name')}"
    )
