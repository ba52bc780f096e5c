"""The command line starts fast: each command imports only what it uses.

Every check runs in a fresh interpreter and looks at ``sys.modules`` after the command,
so a new top-level import of a heavy library anywhere on a command's path fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import copy_db
from culturescope import __version__
from culturescope.cli import main

# Libraries that cost a tenth of a second or more each to import.
HEAVY = (
    "PySide6",
    "alembic",
    "matplotlib",
    "numpy",
    "openpyxl",
    "pandas",
    "python_calamine",
    "reportlab",
    "scipy",
    "sqlalchemy",
    "xlsxwriter",
    "yaml",
)

RUN = """
import contextlib, io, json, sys
from culturescope.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
loaded = sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m.startswith("scipy.")})
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": loaded}))
"""


def run_python(code: str, *args: str) -> str:
    """Standard output of ``code`` run in a fresh interpreter (which must succeed)."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def run_cli(*args: str) -> dict:
    return json.loads(run_python(RUN, *args).strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["score", "--help"]])
def test_version_and_help_import_nothing_heavy(args):
    result = run_cli(*args)
    assert result["code"] == 0
    assert "culturescope" in result["out"]
    assert [m for m in HEAVY if m in result["loaded"]] == []


@pytest.fixture
def demo_db(tmp_path, demo_db_template):
    """The demo database (made in this process, as ``culturescope demo`` makes it), with
    120 respondents: the same commands and imports as 360, at half the scoring cost."""
    return copy_db(demo_db_template(120), tmp_path / "demo.db")


def test_current_database_opens_without_alembic_or_pandas(demo_db):
    # The schema is current: one query of the version table, no migration machinery.
    result = run_cli("--db", demo_db, "campaign", "list", "--json")
    assert result["code"] == 0
    assert len(json.loads(result["out"])) == 3
    assert [m for m in ("alembic", "pandas", "numpy", "PySide6") if m in result["loaded"]] == []


def test_score_loads_neither_scipy_stats_nor_charts_nor_qt(demo_db):
    result = run_cli("--db", demo_db, "score", "--campaign", "Demo 2026 Q4", "--by", "team")
    assert result["code"] == 0
    assert "By team" in result["out"]
    unwanted = (
        "alembic",
        "matplotlib",
        "PySide6",
        "reportlab",
        "openpyxl",
        "scipy.stats",
        "scipy.optimize",  # omega's fit is our own (about 0.4 s of imports saved)
    )
    assert [m for m in unwanted if m in result["loaded"]] == []


def test_schema_head_read_without_alembic_matches_alembic():
    from culturescope.storage.database import head_revision, schema_head

    assert schema_head() == head_revision() != ""


def test_signal_thresholds_load_without_scipy_stats():
    # The main window reads the thresholds on the GUI thread before its first paint;
    # scipy.stats (about a second) loads only when a statistical test first runs.
    code = (
        "import sys\n"
        "from culturescope.settings import Settings\n"
        "Settings().signal_settings()\n"
        "assert 'scipy.stats' not in sys.modules\n"
        "from culturescope.signals import statistics\n"
        "assert 'scipy.stats' not in sys.modules\n"
        "print(repr(statistics.stats))\n"
    )
    # The tests' functions reach scipy.stats through a stand-in that imports it on first
    # use (importing it in the fresh interpreter would only add a second of CPU here).
    assert run_python(code).strip() == "<lazy module 'scipy.stats'>"
    from culturescope.lazy import lazy_module
    from culturescope.signals.statistics import welch

    later = lazy_module("scipy.stats")
    assert repr(later) == "<lazy module 'scipy.stats'>"
    assert later.ttest_ind is sys.modules["scipy.stats"].ttest_ind
    assert repr(later) == "<lazy module 'scipy.stats' (loaded)>"
    result = welch([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 6.0])
    assert result.t < 0 and 0 < result.p_value < 1


def test_version_alone_is_answered_before_the_parser_is_built(capsys):
    # The one-argument case skips argparse and the command modules; it prints what the
    # parser's --version prints (the parser answers it when other options come first).
    assert main(["--version"]) == 0
    fast = capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["-q", "--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == fast == f"culturescope {__version__}\n"
    assert "argparse" not in run_cli("--version")["loaded"]
