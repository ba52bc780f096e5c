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
)
from culturescope.instruments.registry import (
    UnknownInstrument,
    available_instruments,
    get_instrument,
    install_user_instrument,
    report_gaps,
    scan_instruments,
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
    "get_instrument",
    "install_user_instrument",
    "load_instrument",
    "parse_instrument",
    "report_gaps",
    "scan_instruments",
]
