#!/usr/bin/env bash
# Install nianbao with its test tools into .venv (if needed), then lint and run the whole suite.
# This is the README's test command; CI (.ci/run) calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
