"""Survey instruments: the model, YAML loading with validation, and the registry."""

from culturescope.instruments.loader import InstrumentError, load_instrument, parse_instrument
from culturescope.instruments.model import (
    UNDISCLOSED,
    Band,
    CommentPrompt,
    Demographic,
    Dimension,
    Instrument,
    Item,
    Option,
    PracticeArea,
    Scale,
    band_digits,
    band_percent,
)
from culturescope.instruments.registry import (
    UnknownInstrument,
    available_instruments,
    get_instrument,
    install_user_instrument,
    report_gaps,
    scan_instruments,
)
from culturescope.instruments.respondent import (
    promises_anonymity,
    respondent_notice,
    respondent_thanks,
    respondent_welcome,
)

__all__ = [
    "UNDISCLOSED",
    "Band",
    "CommentPrompt",
    "Demographic",
    "Dimension",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "PracticeArea",
    "Scale",
    "UnknownInstrument",
    "available_instruments",
    "band_digits",
    "band_percent",
    "get_instrument",
    "install_user_instrument",
    "load_instrument",
    "parse_instrument",
    "promises_anonymity",
    "report_gaps",
    "respondent_notice",
    "respondent_thanks",
    "respondent_welcome",
    "scan_instruments",
]
