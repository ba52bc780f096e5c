#!/usr/bin/env bash
# Run CultureScope. Sets everything up on first use, fills the demo organisation when
# the database is empty, then opens the desktop app. With arguments, runs that
# command instead (e.g. scripts/run.sh score --campaign "Demo 2026 Q4" --by team).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/bootstrap.sh"
cs="$here/.venv/bin/culturescope"
if [ "$#" -gt 0 ]; then
  exec "$cs" "$@"
fi
if [ "$("$cs" campaign list --json)" = "[]" ]; then
  echo "The database is empty: creating the demo organisation so you can explore." >&2
  "$cs" demo
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ] && [ "$(uname)" = "Linux" ]; then
  shot="$here/culturescope-dashboard.png"
  echo "No screen was found, so the app cannot open a window here." >&2
  echo "Here is the demo in the terminal instead, and a picture of the app in $shot" >&2
  "$cs" score --campaign "Demo 2026 Q4" --by team || true
  QT_QPA_PLATFORM=offscreen "$cs" gui --screenshot "$shot" --page dashboard >/dev/null 2>&1 || true
  exit 0
fi
exec "$cs" gui
