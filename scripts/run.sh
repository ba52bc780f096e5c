#!/usr/bin/env bash
# Run CultureScope. Sets everything up on first use, fills the demo organisation when
# the database is empty, then opens the desktop app. With arguments, runs that
# command instead, without creating the demo (e.g. scripts/run.sh demo, then
# scripts/run.sh score --campaign "Demo 2026 Q4" --by team).
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
  # The campaign the app would open first: the open one with most responses, else the newest.
  campaign="$("$cs" campaign list --json | "$here/.venv/bin/python" -c '
import json, sys
cs = [c for c in json.load(sys.stdin) if c["responses"] > 0]
cs.sort(key=lambda c: (c["status"] == "open", c["responses"], c["id"]))
print(cs[-1]["name"] if cs else "")')"
  echo "No screen was found, so the app cannot open a window here." >&2
  if [ -z "$campaign" ]; then
    echo "No campaign has responses yet: import some with 'scripts/run.sh import FILE --campaign NAME'." >&2
    exit 0
  fi
  echo "Here are the scores of \"$campaign\" in the terminal instead, and a picture of the app in $shot" >&2
  "$cs" score --campaign "$campaign" --by team
  echo >&2
  "$cs" signals --campaign "$campaign" --min-severity warning | head -n 1
  QT_QPA_PLATFORM=offscreen "$cs" gui --screenshot "$shot" --page dashboard
  exit 0
fi
exec "$cs" gui
