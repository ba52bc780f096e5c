#!/usr/bin/env bash
# Build the CultureScope desktop bundle for the OS this runs on (Linux or macOS).
#
#   packaging/build.sh
#
# Linux:  dist/CultureScope/                          the one-folder bundle
#         dist/CultureScope/culturescope              no arguments: the app; with: the CLI
#         dist/CultureScope-<version>-linux-<arch>.tar.gz
# macOS:  dist/CultureScope.app and dist/CultureScope-<version>-macos-<arch>.dmg
#
# Python and the packages come from .venv (made by scripts/bootstrap.sh on Linux, which
# also installs the Debian libraries Qt needs; made here on macOS), plus the 'packaging'
# extra (PyInstaller). CULTURESCOPE_BUILD_VENV chooses another virtualenv. Windows:
# packaging/build.ps1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
started=$SECONDS

os="$(uname -s)"
case "$os" in
  Linux) platform=linux ;;
  Darwin) platform=macos ;;
  *) echo "build: $os is not supported here; on Windows use packaging/build.ps1" >&2; exit 1 ;;
esac
arch="$(uname -m)"
[ "$arch" = "arm64" ] && [ "$platform" = "linux" ] && arch=aarch64
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' src/culturescope/__init__.py)"
[ -n "$version" ] || { echo "build: cannot read __version__ from src/culturescope/__init__.py" >&2; exit 1; }

venv="${CULTURESCOPE_BUILD_VENV:-$here/.venv}"
if [ -z "${CULTURESCOPE_BUILD_VENV:-}" ] && [ "$platform" = "linux" ]; then
  scripts/bootstrap.sh  # .venv with the app's packages, and the libraries Qt needs
elif [ ! -x "$venv/bin/python" ]; then
  echo "build: creating $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e .
fi
py="$venv/bin/python"

if [ "$platform" = "linux" ]; then
  # Qt's xcb platform (the app on an X11 desktop) needs the xcb utility libraries, which many
  # desktops lack (libxcb-cursor0 notably). PyInstaller bundles them only when they are
  # installed here; libxcb itself, libGL and libEGL always come from the user's system.
  need=""
  for pair in libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1 \
      libxcb-cursor.so.0:libxcb-cursor0 libxcb-image.so.0:libxcb-image0 \
      libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 \
      libxcb-randr.so.0:libxcb-randr0 libxcb-xinerama.so.0:libxcb-xinerama0 \
      libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0; do
    ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || need="$need ${pair##*:}"
  done
  if [ -n "$need" ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "build: installing the xcb libraries the bundle ships:$need" >&2
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null \
      || { echo "build: please install:$need" >&2; exit 1; }
  fi
fi
if ! "$py" -c "import PyInstaller" >/dev/null 2>&1; then
  echo "build: installing PyInstaller (the 'packaging' extra) into $venv" >&2
  "$py" -m pip install -q -e ".[packaging,postgres]"
fi

echo "build: CultureScope $version for $platform-$arch with $("$py" -m PyInstaller --version 2>/dev/null | head -n 1 | sed 's/^/PyInstaller /')" >&2
"$py" packaging/make_icons.py build/icons
rm -rf dist/CultureScope dist/CultureScope.app
CULTURESCOPE_ICON_DIR="$here/build/icons" "$py" -m PyInstaller --noconfirm --clean \
  --log-level WARN --distpath dist --workpath build/pyinstaller packaging/culturescope.spec

if [ "$platform" = "linux" ]; then
  bundle=dist/CultureScope
  [ -x "$bundle/culturescope" ] || { echo "build: $bundle/culturescope was not made" >&2; exit 1; }
  # The menu entry, its icons and the installer of both (see packaging/linux/).
  mkdir -p "$bundle/share/icons"
  cp packaging/linux/culturescope.desktop packaging/linux/culturescope-mime.xml "$bundle/share/"
  cp build/icons/png/culturescope-*.png "$bundle/share/icons/"
  cp packaging/linux/install.sh "$bundle/install.sh"
  chmod +x "$bundle/install.sh"
  archive="dist/CultureScope-$version-linux-$arch.tar.gz"
  tar -C dist -czf "$archive" CultureScope
else
  bundle=dist/CultureScope.app
  [ -d "$bundle" ] || { echo "build: $bundle was not made" >&2; exit 1; }
  archive="dist/CultureScope-$version-macos-$arch.dmg"
  packaging/macos/make_dmg.sh "$bundle" "$archive"
fi

# The size a user's disk pays, in MB (1,000,000 bytes); the Linux bundle must stay < 450.
size_kb="$(du -sk "$bundle" | cut -f1)"
size_mb=$(( size_kb * 1024 / 1000000 ))
archive_mb=$(( $(wc -c < "$archive") / 1000000 ))
echo "build: $bundle is $size_mb MB uncompressed; $archive is $archive_mb MB ($(( SECONDS - started )) s)"
if [ "$platform" = "linux" ] && [ "$size_mb" -ge 450 ]; then
  echo "build: the Linux bundle must stay under 450 MB" >&2
  exit 1
fi
