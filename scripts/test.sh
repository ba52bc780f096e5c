#!/usr/bin/env bash
# Run the whole test suite headless: sets up on first use, then lint + pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check src tests benchmarks docs
# Layer contracts ([tool.importlinter] in pyproject.toml, docs/design/layers.md).
if ! layers="$(.venv/bin/lint-imports --no-logo 2>&1)"; then echo "$layers"; exit 1; fi
echo "$layers" | grep -E "^Contracts:"
# Types ([tool.mypy] in pyproject.toml): strict on the packages listed there.
if ! types="$(.venv/bin/mypy 2>&1)"; then echo "$types"; exit 1; fi
echo "mypy: $types"
# Keep pytest's assertion-rewritten test modules (and the app's bytecode) between runs even
# where PYTHONDONTWRITEBYTECODE is set (many container images set it): without the cache
# every xdist worker rewrites all test files again, about 6 CPU seconds per worker. The
# files go to __pycache__/ folders, which git ignores.
unset PYTHONDONTWRITEBYTECODE
# On every CPU (pytest-xdist), one test file per worker at a time so that module-scoped
# fixtures are built once; the longest files first, in the order tests/conftest.py
# collects them (LONGEST_FIRST), so no worker is left alone with a long file at the end.
# CULTURESCOPE_TEST_WORKERS=0 runs in one process.
.venv/bin/python -m pytest -n "${CULTURESCOPE_TEST_WORKERS:-auto}" --dist loadfile \
  --no-loadscope-reorder "$@"
