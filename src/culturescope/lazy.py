"""Modules imported on first use, for imports that are slow and often not needed.

``stats = lazy_module("scipy.stats")`` at the top of a module costs nothing; the first
``stats.something`` imports scipy.stats (about a second) and every later access goes
straight to the module. The desktop app's main window and the command line's start-up
then never wait for a library that only a background computation uses.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule:
    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            # Python's import lock makes this safe from several threads at once.
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{'' if self._module is None else ' (loaded)'}>"


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it on first attribute access."""
    return _LazyModule(name)
