#!/usr/bin/env bash
# Run CultureScope: sets up on first use, fills a demo campaign when the database is
# empty, then opens the app (or runs the CLI command given as arguments).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/bootstrap.sh"
exec "$here/.venv/bin/culturescope" "$@"
