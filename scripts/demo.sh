#!/usr/bin/env bash
# Install nianbao into .venv (if needed), crawl the bundled sample portals and open Datasette.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
exec .venv/bin/nianbao demo "$@"
