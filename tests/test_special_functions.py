"""SciPy's special functions as scoring loads them, and the command line's BLAS threads.

A cold ``culturescope score`` loads SciPy's compiled special functions without the
``scipy.special`` package (culturescope.special_functions): the functions must be the
package's own objects, later imports of SciPy must work as usual, and a SciPy that keeps
them elsewhere must fall back to the usual import. Each check runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import copy_db


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """The JSON printed last by ``code`` run in a fresh interpreter (which must succeed)."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_loaded_alone_they_are_scipy_specials_own_functions_and_scipy_still_imports():
    code = (
        "import json, sys\n"
        "from culturescope import special_functions as sf\n"
        "alone = sf.load_alone()\n"
        "import culturescope.scoring\n"
        "package_before = 'scipy.special' in sys.modules\n"
        "values = [sf.stdtrit(7, 0.975).hex(), sf.fdtrc(3, 40, 2.5).hex()]\n"
        "import scipy.special, scipy.stats\n"
        "same = all(getattr(scipy.special, n) is getattr(sf, n)\n"
        "           for n in ('stdtrit', 'stdtr', 'ndtr', 'ndtri', 'fdtrc'))\n"
        "print(json.dumps({'alone': alone, 'package_before': package_before, 'same': same,\n"
        "                  'values': values, 'stats': scipy.stats.t.ppf(0.975, 7).hex()}))\n"
    )
    result = run_python(code)
    assert result["alone"] is True
    assert result["package_before"] is False
    assert result["same"] is True
    # The same numbers scipy.stats gives (it calls the same compiled function).
    assert result["values"][0] == result["stats"]


def test_without_load_alone_they_come_from_scipy_special():
    code = (
        "import json, sys\n"
        "from culturescope.special_functions import stdtrit\n"
        "import scipy.special\n"
        "print(json.dumps({'same': stdtrit is scipy.special.stdtrit}))\n"
    )
    assert run_python(code) == {"same": True}


def test_a_scipy_without_the_compiled_module_falls_back_to_the_usual_import():
    # As if a SciPy version kept the functions elsewhere: the module cannot be found.
    code = (
        "import importlib, json, sys\n"
        "real = importlib.import_module\n"
        "def refuse(name, *args):\n"
        "    if name == 'scipy.special._ufuncs':\n"
        "        raise ImportError(name)\n"
        "    return real(name, *args)\n"
        "importlib.import_module = refuse\n"
        "from culturescope import special_functions as sf\n"
        "alone = sf.load_alone()\n"
        "importlib.import_module = real\n"
        "left = sorted(m for m in sys.modules if m.startswith('scipy.special'))\n"
        "import scipy.special\n"
        "print(json.dumps({'alone': alone, 'left': left,\n"
        "                  'same': sf.stdtrit is scipy.special.stdtrit}))\n"
    )
    assert run_python(code) == {"alone": False, "left": [], "same": True}


RUN_SCORE = """
import contextlib, io, json, os, sys
from culturescope.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({
    "code": code,
    "out": out.getvalue(),
    "package": "scipy.special" in sys.modules,
    "threads": {n: os.environ.get(n) for n in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
}))
"""


def test_cold_score_uses_one_blas_thread_and_no_scipy_special_package(tmp_path, demo_db_template):
    db = str(copy_db(demo_db_template(120), tmp_path / "demo.db"))  # as cold, half the scoring
    args = ["--db", db, "score", "--campaign", "Demo 2026 Q4", "--by", "team", "--no-cache"]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    fast = run_python(RUN_SCORE, *args, env=env)
    assert fast["code"] == 0
    assert fast["package"] is False
    assert fast["threads"] == {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    # A thread count the user chose is kept; scipy.special imported first changes nothing
    # in what is printed.
    env["OPENBLAS_NUM_THREADS"] = "2"
    chosen = run_python("import scipy.special\n" + RUN_SCORE, *args, env=env)
    assert chosen["threads"]["OPENBLAS_NUM_THREADS"] == "2"
    assert chosen["package"] is True
    assert chosen["out"] == fast["out"]
