#!/usr/bin/env bash
# Add CultureScope (this folder) to your applications menu, for you only (no root):
# a menu entry, its icons, the .cskiosk/.csbundle file types, and a `culturescope`
# command in ~/.local/bin. Run it again after moving the folder.
#
#   ./install.sh              install or update the menu entry
#   ./install.sh --uninstall  remove them again (your data stays: see the README)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
apps="$data/applications"
sizes="16 24 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/culturescope.desktop" "$data/mime/packages/culturescope.xml"
  for s in $sizes; do rm -f "$data/icons/hicolor/${s}x${s}/apps/culturescope.png"; done
  if [ -L "$bin/culturescope" ]; then rm -f "$bin/culturescope"; fi
  # Only a cache (matplotlib's font list, rebuilt when missing), not your data.
  rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/CultureScope"
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
  echo "CultureScope's menu entry was removed. Delete this folder to remove the app;"
  echo "your data (${XDG_DATA_HOME:-~/.local/share}/CultureScope) was kept."
  exit 0
fi

mkdir -p "$apps" "$data/mime/packages" "$bin"
for s in $sizes; do
  mkdir -p "$data/icons/hicolor/${s}x${s}/apps"
  cp "$here/share/icons/culturescope-$s.png" "$data/icons/hicolor/${s}x${s}/apps/culturescope.png"
done
cp "$here/share/culturescope-mime.xml" "$data/mime/packages/culturescope.xml"
# The entry names this folder's executable by its full path (quoted for spaces).
exe="$here/culturescope"
sed -e "s|^Exec=.*|Exec=\"$exe\" %f|" -e "s|^TryExec=.*|TryExec=$exe|" \
  "$here/share/culturescope.desktop" > "$apps/culturescope.desktop"
ln -sfn "$exe" "$bin/culturescope"
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "CultureScope is in your applications menu; 'culturescope' runs it from a terminal"
echo "(if ~/.local/bin is on your PATH)."
