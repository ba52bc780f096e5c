"""The special functions scoring uses, and a quick way to load them for one command.

Scoring needs Student's t quantile (``stdtrit``, every confidence interval) and tail
(``stdtr``), the normal tail and quantile (``ndtr``, ``ndtri``: the change since the
previous campaign) and the F tail (``fdtrc``, the ANOVA test of ICC(1)). They are compiled functions of SciPy's ``scipy.special._ufuncs`` module: the
same function objects ``scipy.special`` exports (``scipy.special.stdtrit is
scipy.special._ufuncs.stdtrit``), so every number is the same bit for bit whichever way
they are loaded.

Importing the package ``scipy.special`` costs far more than those functions: it sets up
SciPy's array-API support for ninety functions, which clones numpy's namespace (importing
``numpy.f2py``, ``numpy.testing``, ``numpy.random``...) and rewrites their docstrings —
about 0.25 s of CPU, a fifth of a cold ``culturescope score``. A command-line process,
which has one thread, calls :func:`load_alone` before it imports the scoring modules:
the compiled module is then loaded under a placeholder of its package, and the real
package is imported as usual by anything that asks for it later (``scipy.stats`` for the
signals), reusing the module already loaded. Everywhere else (the desktop app, whose
worker threads may import SciPy at the same moment; Python callers) the functions come
from ``scipy.special`` itself. Should a SciPy version keep them elsewhere, the quick way
quietly gives way to the usual import (``tests/test_special_functions.py`` would tell).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

__all__ = ["fdtrc", "load_alone", "ndtr", "ndtri", "stdtr", "stdtrit"]

_COMPILED = "scipy.special._ufuncs"
_NAMES = ("stdtrit", "stdtr", "ndtr", "ndtri", "fdtrc")


def load_alone() -> bool:
    """Load SciPy's compiled special functions without the ``scipy.special`` package.

    Only for a process with a single thread, before this module's functions are first
    used (a placeholder stands in ``sys.modules`` for the package meanwhile). Returns
    whether the functions are now loaded that way; False leaves everything as it was.
    """
    if "scipy.special" in sys.modules or _COMPILED in sys.modules:
        return _COMPILED in sys.modules
    try:
        import scipy  # the parent package itself, as usual (a few ms)

        spec = importlib.util.find_spec("scipy.special")
        if spec is None or spec.submodule_search_locations is None:
            return False
        placeholder = importlib.util.module_from_spec(spec)  # its code is not run
        sys.modules["scipy.special"] = placeholder
        try:
            compiled = importlib.import_module(_COMPILED)
        finally:
            del sys.modules["scipy.special"]
            if vars(scipy).get("special") is placeholder:  # (getattr would import it)
                del scipy.special
        if all(callable(getattr(compiled, name, None)) for name in _NAMES):
            return True
    except Exception:
        pass
    # Not usable: forget what was loaded under the placeholder; the usual import redoes it.
    for name in [n for n in sys.modules if n.startswith("scipy.special.")]:
        del sys.modules[name]
    return False


def _source() -> ModuleType:
    compiled = sys.modules.get(_COMPILED)
    if compiled is not None and all(hasattr(compiled, name) for name in _NAMES):
        return compiled  # loaded by load_alone(), or with scipy.special: the same functions
    import scipy.special

    return scipy.special


if TYPE_CHECKING:
    from numpy import ufunc

    stdtrit: ufunc
    stdtr: ufunc
    ndtr: ufunc
    ndtri: ufunc
    fdtrc: ufunc


def __getattr__(name: str) -> Any:
    # Bound on first use, so that a command can call load_alone() after importing this.
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _source()
    for each in _NAMES:
        globals()[each] = getattr(module, each)
    return globals()[name]
