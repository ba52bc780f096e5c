"""What respondents are told: the one notice of the kiosk welcome and the printed form.

An instrument's own consent text says what the survey is about, how long it takes and that
taking part is voluntary; :func:`respondent_notice` adds, in the app's words, what is
collected and who sees what — "confidential", never "anonymous": the survey asks for
demographics such as team and role, so a respondent is not anonymous to someone who can
see single answers. An instrument file whose consent or thank-you text still promises
anonymity (the shipped instruments before version 1.1, or a user's own file) is not shown
to respondents; a neutral text takes its place, so the screen never says two different
things (see docs/confidentiality.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from culturescope.instruments.model import Instrument
from culturescope.thresholds import MIN_GROUP_SIZE_FLOOR

__all__ = [
    "DEFAULT_CONSENT",
    "DEFAULT_THANKS",
    "promises_anonymity",
    "respondent_consent",
    "respondent_notice",
    "respondent_thanks",
    "respondent_welcome",
    "wording_problems",
]

#: Shown when the instrument has no consent text, or one that promises anonymity.
DEFAULT_CONSENT = (
    "Taking part is voluntary; you can skip any question. By continuing you agree that "
    "your answers are used as described below."
)
#: Shown after submitting when the instrument has no usable thank-you text.
DEFAULT_THANKS = "Thank you. Your answers have been saved."

# "anonymous", "anonymity", "anonymously", "anonyme", "anonim", "anónimo", "anoniem": the
# word in the languages an instrument is likely to be written in.
_ANONYMITY = re.compile(r"\ban[oó]n(?:[iy]m|iem)", re.IGNORECASE)


def promises_anonymity(text: str) -> bool:
    """Whether ``text`` uses the word "anonymous" (or a relative, in several languages)."""
    return bool(_ANONYMITY.search(text or ""))


def _in_language(texts: Mapping[str, str], inst: Instrument, language: str | None) -> str:
    return (language and texts.get(language)) or texts.get(inst.default_language) or ""


def respondent_consent(inst: Instrument, language: str | None = None) -> str:
    """The instrument's consent text, unless it is missing or promises anonymity."""
    text = _in_language(inst.consent, inst, language)
    return text if text and not promises_anonymity(text) else DEFAULT_CONSENT


def respondent_thanks(inst: Instrument, language: str | None = None) -> str:
    """The instrument's thank-you text, unless it is missing or promises anonymity."""
    text = _in_language(inst.thank_you, inst, language)
    return text if text and not promises_anonymity(text) else DEFAULT_THANKS


def respondent_notice(demographics: Sequence[str], min_group_size: int | None = None) -> str:
    """What respondents are told about confidentiality, in plain words.

    Parameters
    ----------
    demographics : sequence of str
        The labels of the demographic questions asked (e.g. "Team", "Role").
    min_group_size : int, optional
        The campaign's minimum group size; None when not known (a printed form made for
        an instrument, not a campaign).
    """
    groups = (
        f"groups of at least {min_group_size} people"
        if min_group_size is not None
        else f"groups of a minimum size (5 people unless the organisers set another; "
        f"never fewer than {MIN_GROUP_SIZE_FLOOR})"
    )
    asked = [d.lower() for d in demographics]
    if not asked:
        about = "It asks nothing about who you are."
    else:
        listed = asked[0] if len(asked) == 1 else f"{', '.join(asked[:-1])} and {asked[-1]}"
        about = f"It asks for your {listed}; you can skip these questions."
    return (
        f"Your answers are confidential. No name, e-mail address or device identifier is "
        f"collected. {about} Who sees what: the people who run this survey can see single "
        f"answers, never with a name; reports and everyone else see results only for "
        f"{groups}, checked together so that no smaller group "
        f"can be worked out from them. Comments are shown without your details."
    )


def respondent_welcome(
    inst: Instrument, min_group_size: int | None = None, *, language: str | None = None
) -> list[str]:
    """The paragraphs of the one notice a respondent reads before starting.

    The instrument's consent (or :data:`DEFAULT_CONSENT`), then
    :func:`respondent_notice` for its demographics and the campaign's minimum.
    """
    return [
        respondent_consent(inst, language),
        respondent_notice([d.label for d in inst.demographics], min_group_size),
    ]


def wording_problems(inst: Instrument) -> list[str]:
    """Texts of ``inst`` that respondents will not see because they promise anonymity."""
    found = []
    for name, texts, instead in (
        ("consent", inst.consent, "a neutral consent and the app's confidentiality notice"),
        ("thank_you", inst.thank_you, f'"{DEFAULT_THANKS}"'),
    ):
        langs = [lang for lang, text in texts.items() if promises_anonymity(text)]
        if langs:
            found.append(
                f"{name} ({', '.join(langs)}) says 'anonymous', but CultureScope promises "
                f"confidentiality, not anonymity: respondents see {instead} instead; say "
                "'confidential' (in a new version of the file)"
            )
    return found
