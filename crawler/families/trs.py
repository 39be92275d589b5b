"""TRS WCM: columns are index.html, index_1.html …, announced only by createPageHTML(total, current, "index", "html")."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from . import Link, PageRequest

PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
MAX_PAGES = 500


class TRS:
    name = "trs"

    def pages(self, page_url: str, source: str) -> list[PageRequest]:
        m = PAGER.search(source)
        if not m:
            return []
        total, prefix, ext = int(m.group(1)), m.group(3), m.group(4)
        names = [f"{prefix}.{ext}"] + [f"{prefix}_{n}.{ext}" for n in range(1, min(total, MAX_PAGES))]
        return [PageRequest(urljoin(page_url, name)) for name in names]

    def links(self, page_url: str, source: str) -> list[Link]:
        return []
