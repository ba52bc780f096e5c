#!/usr/bin/env bash
# Set up everything CultureScope needs on a fresh Debian machine with Python 3.11:
# the Debian libraries Qt needs (when missing and we may install them), a virtualenv
# in .venv and the package with its dependencies. Safe to run again: it only does
# what is missing or out of date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3.11 python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then PY="$cand"; break; fi
  done
fi
[ -n "$PY" ] || { echo "bootstrap: Python 3.11 is needed (apt-get install python3 python3-venv)" >&2; exit 1; }

apt_install() {
  # Install Debian packages when we are root (or have sudo); otherwise say what is needed.
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "bootstrap: please install these Debian packages: $*" >&2; return 1
    fi
  fi
  echo "bootstrap: installing Debian packages: $*" >&2
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
  apt_install python3-venv
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$PY" -m venv .venv
fi

stamp=".venv/.culturescope-installed"
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing Python packages into .venv (first run takes a minute)" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# Qt's offscreen and xcb platforms need a few shared libraries that minimal Debian
# images lack. Probe by starting a QApplication on the platform we will use; install
# only when that fails.
platform="offscreen"
if [ -n "${DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then platform="xcb"; fi
probe="from PySide6.QtWidgets import QApplication; QApplication([])"
if ! QT_QPA_PLATFORM="$platform" .venv/bin/python -c "$probe" >/dev/null 2>&1; then
  apt_install libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
    libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 \
    libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core || true
fi
# pdftoppm renders PDF pages for the report tests and for looking at the output.
command -v pdftoppm >/dev/null 2>&1 || apt_install poppler-utils || true
