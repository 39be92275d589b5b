#!/usr/bin/env bash
# Install nianbao into .venv (if needed), crawl the bundled sample portals and open Datasette.
set -euo pipefail
cd "$(dirname "$0")/.."
# Word 97/WPS reports are converted by LibreOffice (the sample portals need none; real portals do)
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui libgl1 libglib2.0-0 >/dev/null || \
    echo "note: LibreOffice not installed: .doc/.wps reports will be recorded as unreadable" >&2
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
exec .venv/bin/nianbao demo "$@"
