#!/usr/bin/env bash
# Run the whole test suite headless: sets up on first use, then lint + pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check src tests benchmarks docs
.venv/bin/python -m pytest "$@"
