"""The confidentiality minimums: one floor and one validator for every place that sets them.

Storage (campaign thresholds), the settings file, the command line, scoring and every
spin box of the app use these, so the rule cannot drift between copies. It lives in this
small module, below everything else, because storage must use it without importing the
scoring layer. See docs/confidentiality.md for what the minimums protect.
"""

from __future__ import annotations

from culturescope import CultureScopeError

__all__ = [
    "MAX_GROUP_SIZE",
    "MIN_GROUP_SIZE_FLOOR",
    "ThresholdError",
    "check_thresholds",
]

#: No minimum group size (for scores or comments) may be set below this.
MIN_GROUP_SIZE_FLOOR = 3
#: The largest minimum the app's spin boxes offer.
MAX_GROUP_SIZE = 1000


class ThresholdError(CultureScopeError, ValueError):
    """A minimum group size that breaks the rule (below the floor, or not a whole number)."""


def check_thresholds(min_group_size: object, min_comment_group_size: object = None) -> None:
    """Check a minimum group size (and, if given, the comments' minimum).

    Parameters
    ----------
    min_group_size : int
        Minimum number of people behind any shown score: a whole number of at least
        :data:`MIN_GROUP_SIZE_FLOOR`.
    min_comment_group_size : int, optional
        Minimum number of responses behind shown comments: not below ``min_group_size``.

    Raises
    ------
    ThresholdError
        With a one-line message naming the rule broken.
    """
    if (
        isinstance(min_group_size, bool)
        or not isinstance(min_group_size, int | float)
        or int(min_group_size) != min_group_size
    ):
        raise ThresholdError(
            f"the minimum group size must be a whole number, not {min_group_size!r}"
        )
    if min_group_size < MIN_GROUP_SIZE_FLOOR:
        raise ThresholdError(
            f"the minimum group size must be at least {MIN_GROUP_SIZE_FLOOR}, not "
            f"{min_group_size!r}: below {MIN_GROUP_SIZE_FLOOR} a group could single people out"
        )
    if min_comment_group_size is None:
        return
    if (
        isinstance(min_comment_group_size, bool)
        or not isinstance(min_comment_group_size, int | float)
        or int(min_comment_group_size) != min_comment_group_size
    ):
        raise ThresholdError(
            f"the minimum group size for comments must be a whole number, "
            f"not {min_comment_group_size!r}"
        )
    if min_comment_group_size < min_group_size:
        raise ThresholdError(
            "the minimum group size for comments cannot be below the one for scores"
        )
