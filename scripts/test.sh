#!/usr/bin/env bash
# Install nianbao with its test tools into .venv (if needed), then lint and run the whole suite.
# This is the README's test command; CI (.ci/run) calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser tests drive Debian's Chromium with a CJK font (Playwright's own browser download is unreachable);
# Word 97/WPS reports are converted by LibreOffice; the distributed-crawl tests start a real redis-server; OpenCV
# (under the OCR) needs libGL.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi" \
   || ! command -v soffice >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1 \
   || ! ldconfig -p | grep -q libGL.so.1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei libreoffice-writer-nogui \
      redis-server libgl1 libglib2.0-0 >/dev/null
  else
    echo "note: chromium, fonts-wqy-microhei, libreoffice-writer-nogui or redis-server missing and not root:" \
         "the browser, Word 97 and distributed-crawl tests will be skipped" >&2
  fi
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
