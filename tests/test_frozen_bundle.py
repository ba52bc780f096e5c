"""The Linux desktop bundle works with nothing else installed.

Slow (it builds the bundle with packaging/build.sh: minutes), so skipped unless asked for::

    scripts/test.sh --run-slow tests/test_frozen_bundle.py

The tarball users download is unpacked into a temporary folder and its ``culturescope``
is run there with an empty environment (``env -i``: no PATH to a Python, no virtualenv,
no PYTHONPATH) from yet another working folder: the checks are what a new user does
first.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from culturescope import __version__

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]

ROOT = Path(__file__).resolve().parents[1]
SIZE_LIMIT_MB = 450


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> dict:
    """Build with packaging/build.sh and unpack the tarball outside the checkout."""
    started = time.monotonic()
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    build_seconds = time.monotonic() - started
    assert proc.returncode == 0, f"build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    size = re.search(r"dist/CultureScope is (\d+) MB uncompressed", proc.stdout)
    assert size, proc.stdout[-2000:]
    arch = os.uname().machine
    archive = ROOT / "dist" / f"CultureScope-{__version__}-linux-{arch}.tar.gz"
    assert archive.is_file()
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    print(f"\nbuilt in {build_seconds:.0f} s; bundle {size.group(1)} MB; {proc.stdout.strip()}")
    return {
        "exe": unpacked / "CultureScope" / "culturescope",
        "size_mb": int(size.group(1)),
        "home": tmp_path_factory.mktemp("home"),
        "work": tmp_path_factory.mktemp("work"),
    }


def frozen(bundle: dict, *args: str) -> subprocess.CompletedProcess:
    """Run the frozen command with an empty environment (only HOME, and Qt offscreen)."""
    env = ["env", "-i", f"HOME={bundle['home']}", "QT_QPA_PLATFORM=offscreen"]
    proc = subprocess.run(
        [*env, str(bundle["exe"]), *args],
        cwd=bundle["work"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}"
    return proc


def test_bundle_size_and_contents(bundle):
    assert bundle["size_mb"] < SIZE_LIMIT_MB
    internal = bundle["exe"].parent / "_internal"
    assert (
        internal / "culturescope" / "_data" / "surveys" / "ai-safety-culture-1.0.yaml"
    ).is_file()
    assert (internal / "culturescope" / "storage" / "migrations" / "env.py").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    assert (plugins / "libqxcb.so").is_file()
    assert (plugins / "libqoffscreen.so").is_file()
    assert not list(internal.glob("PySide6/Qt/lib/libQt6WebEngine*"))
    assert not list(internal.glob("**/pytest"))
    assert (bundle["exe"].parent / "install.sh").is_file()


def test_frozen_command_line_and_app_in_a_bare_environment(bundle):
    work: Path = bundle["work"]
    assert frozen(bundle, "--version").stdout.strip() == f"culturescope {__version__}"
    frozen(bundle, "-q", "demo")
    # The data went to the user's data folder under HOME, as with an installed app.
    assert (bundle["home"] / ".local" / "share" / "CultureScope" / "culturescope.db").is_file()

    scores = json.loads(frozen(bundle, "score", "--campaign", "Demo 2026 Q4", "--json").stdout)
    assert scores["responses"] == 360

    frozen(bundle, "report", "--campaign", "Demo 2026 Q4", "--format", "pdf", "-o", "card.pdf")
    pdf = (work / "card.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf  # the bundled fonts, embedded
    # matplotlib keeps its font list in the user's cache folder, not a temporary one per
    # process (packaging/pyi_rth_culturescope.py).
    assert list((bundle["home"] / ".cache" / "CultureScope" / "matplotlib").glob("fontlist*"))

    # Charts for slides, as SVG too (matplotlib's SVG backend is in the bundle).
    frozen(bundle, "-q", "report", "--campaign", "Demo 2026 Q4", "--format", "svg", "-o", "svg")
    assert (work / "svg" / "01-pillar-scores.svg").read_text().lstrip().startswith("<?xml")

    # The guides --help points to are in the bundle.
    assert frozen(bundle, "docs", "importing").stdout.startswith("# Importing responses")

    frozen(bundle, "gui", "--screenshot", "dashboard.png")
    png = (work / "dashboard.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1366, 768)  # the screenshot size of `gui --screenshot`
