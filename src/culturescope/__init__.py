"""CultureScope: measure safety culture offline and detect safety washing.

The packages below ``culturescope`` other than ``gui`` form the headless core: they
never import Qt and are usable from Python and the command line.
"""

__version__ = "0.1.0"


class CultureScopeError(Exception):
    """Base class of the errors CultureScope reports to users in one line."""


class Cancelled(CultureScopeError):
    """Raised by long work when the caller's ``is_cancelled`` callback returns True."""
