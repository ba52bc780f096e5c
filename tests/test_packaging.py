"""The wheel carries surveys/, resources/ and the guides, and the installed package finds them;
the core imports without Qt."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_finds_shipped_files(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("culturescope-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (ROOT / "surveys").glob("*.yaml"))
    assert "ai-safety-culture-1.1.yaml" in shipped
    assert all(f"culturescope/_data/surveys/{name}" in names for name in shipped)
    assert any(n.startswith("culturescope/_data/resources/") for n in names)
    assert "culturescope/storage/migrations/versions/0001_initial_schema.py" in names
    assert "culturescope/_data/resources/icons/app.svg" in names
    assert "culturescope/_data/resources/styles/app.qss" in names
    assert not any(n.startswith(("tests/", "packaging/", "benchmarks/")) for n in names)
    # Every guide of docs/ (what `culturescope docs` shows), none of its design notes.
    guides = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert "importing.md" in guides
    assert (
        sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("culturescope/_data/docs/"))
        == guides
    )
    # pip and pipx make the `culturescope` command (culturescope.exe on Windows) from this.
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "culturescope = culturescope.cli:main" in text
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",  # the files are what is checked; compiling them is pip's work
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import culturescope.paths as p, culturescope.instruments as i;"
        "print(p.surveys_dir()); print(len(i.available_instruments(include_user=False)));"
        "print(p.docs_dir())"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert Path(out[0]).is_relative_to(target)
    assert out[1] == str(len(shipped))
    assert Path(out[2]) == target / "culturescope" / "_data" / "docs"


def test_core_never_imports_qt():
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import pkgutil, importlib, culturescope\n"
        "for m in pkgutil.walk_packages(culturescope.__path__, 'culturescope.'):\n"
        "    if '.gui' in m.name or m.name.endswith('__main__') or '.migrations' in m.name:\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_bundle_run_time_hook_does_its_work_at_first_import(tmp_path):
    """packaging/pyi_rth_culturescope.py, run as the frozen program runs it, with a bundle
    folder as ``sys._MEIPASS`` made of links to the virtualenv's PySide6 and PyInstaller's
    hooks: nothing heavy is imported at start; matplotlib's folder, Qt's ``qt.conf`` and
    PyInstaller's inspect and pkgutil hooks are done at the first import of each."""
    pyinstaller = Path(pytest.importorskip("PyInstaller").__file__).parent
    import importlib.util

    qt = importlib.util.find_spec("PySide6")
    assert qt is not None and qt.origin is not None
    meipass = tmp_path / "bundle"
    (meipass / "culturescope_rthooks").mkdir(parents=True)
    (meipass / "PySide6").symlink_to(Path(qt.origin).parent)
    for name in ("inspect", "pkgutil"):
        hook = pyinstaller / "hooks" / "rthooks" / f"pyi_rth_{name}.py"
        (meipass / "culturescope_rthooks" / hook.name).symlink_to(hook)
    code = f"""
import os, sys
sys._MEIPASS = {str(meipass)!r}
sys.path[:0] = [{str(pyinstaller / "fake-modules")!r}, {str(pyinstaller / "loader")!r}]
hook = {str(ROOT / "packaging" / "pyi_rth_culturescope.py")!r}
exec(compile(open(hook).read(), hook, "exec"), {{"__name__": "__main__"}})
heavy = ("PySide6.QtCore", "matplotlib", "inspect", "zipfile", "pkgutil", "platformdirs")
print([m for m in heavy if m in sys.modules], os.environ.get("MPLCONFIGDIR"))
print(os.environ["QT_PLUGIN_PATH"])
from _pyi_rth_utils import qt
calls = []
register = qt.create_embedded_qt_conf
qt.create_embedded_qt_conf = lambda *a: calls.append((a, "PySide6.QtCore" in sys.modules)) \\
    or register(*a)
from PySide6.QtCore import QFile
import PySide6.QtGui
print(calls)
import inspect, pkgutil, pyimod02_importers
print(inspect.getsourcefile.__name__)
print(pyimod02_importers.PyiFrozenFinder in pkgutil.iter_importer_modules.registry)
import matplotlib
print(matplotlib.get_configdir())
print([f for f in sys.meta_path if getattr(f, "__name__", "") == "OnFirstImport"])
"""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("MPLCONFIGDIR", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.splitlines()
    assert out[0] == "[] None"
    assert out[1] == str(meipass / "PySide6" / "Qt" / "plugins")
    # Once, after QtCore has loaded. (PySide6 from PyPI registers the same qt.conf itself;
    # PyInstaller's hook, and so this one, adds it for builds of PySide6 that do not.)
    assert out[2] == repr([(("PySide6", str(meipass / "PySide6" / "Qt")), True)])
    assert out[3] == "_pyi_getsourcefile"
    assert out[4] == "True"
    assert out[5] == str(tmp_path / "cache" / "CultureScope" / "matplotlib")
    assert out[6] == "[]"  # all done: the finder has left


def test_bundle_run_time_hook_catches_up_on_modules_already_imported(tmp_path):
    # If PyInstaller's bootstrap ever imports pkgutil itself, its hook must still run.
    pyinstaller = Path(pytest.importorskip("PyInstaller").__file__).parent
    meipass = tmp_path / "bundle"
    (meipass / "culturescope_rthooks").mkdir(parents=True)
    hook = pyinstaller / "hooks" / "rthooks" / "pyi_rth_pkgutil.py"
    (meipass / "culturescope_rthooks" / hook.name).symlink_to(hook)
    code = f"""
import pkgutil, sys
sys._MEIPASS = {str(meipass)!r}
sys.path[:0] = [{str(pyinstaller / "fake-modules")!r}, {str(pyinstaller / "loader")!r}]
hook = {str(ROOT / "packaging" / "pyi_rth_culturescope.py")!r}
exec(compile(open(hook).read(), hook, "exec"), {{"__name__": "__main__"}})
import pyimod02_importers
print(pyimod02_importers.PyiFrozenFinder in pkgutil.iter_importer_modules.registry)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"
