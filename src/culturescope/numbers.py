"""How numbers read in every output (app, command line, PDF, charts)."""

from __future__ import annotations


def signed(x: float, digits: int = 0) -> str:
    """A change with its sign, rounded: "+3", "-2"; one that rounds to zero is "0"
    (never "-0" or "+0", which read as a change that is not there)."""
    shown = f"{x:+.{digits}f}"
    return shown[1:] if float(shown) == 0 else shown
