"""Hanweb (大汉): column lists sit in <script type="text/xml"><datastore>…<record><![CDATA[<li><a …>]]></record>,
and further records come from /module/web/jpage/dataproxy.jsp (POSTed startrecord / endrecord / perpage)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from . import Link, PageRequest

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
ANCHOR = re.compile(r"<a\b[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.S | re.I)
TITLE = re.compile(r"title\s*=\s*[\"']([^\"']+)[\"']", re.I)
TAGS = re.compile(r"<[^>]+>")
PROXY = re.compile(r"[\"'(>=\s](/module/web/jpage/dataproxy\.jsp\?[^\"'<>\s)]+)")
TOTAL = re.compile(r"(?:totalRecord|totalrecord|totalRecords)\s*[:=>]\s*[\"']?(\d+)", re.I)
PER_PAGE = re.compile(r"(?:perPage|perpage)\s*[:=>]\s*[\"']?(\d+)", re.I)
# Records asked for at once: jpage itself asks for three pages of 15.
CHUNK = 45
MAX_RECORDS = 5000


def records(source: str) -> list[Link]:
    found = []
    for fragment in RECORD.findall(source):
        for href, inner in ANCHOR.findall(fragment):
            title = TITLE.search(fragment[: fragment.find(inner)] if inner else fragment)
            text = html.unescape(TAGS.sub("", inner)).strip()
            found.append(Link(html.unescape(href), f"{text} {html.unescape(title.group(1)) if title else ''}".strip()))
    return found


def proxy_requests(page_url: str, source: str) -> list[PageRequest]:
    """The record ranges after the ones embedded in the page, up to the announced total."""
    m = PROXY.search(source)
    if not m:
        return []
    proxy = urlsplit(urljoin(page_url, html.unescape(m.group(1))))
    params = dict(parse_qsl(proxy.query, keep_blank_values=True))
    url = urlunsplit((proxy.scheme, proxy.netloc, proxy.path, "", ""))
    total = int(TOTAL.search(source).group(1)) if TOTAL.search(source) else None
    per_page = PER_PAGE.search(source)
    per_page = int(per_page.group(1)) if per_page else 15
    embedded = len(RECORD.findall(source))
    if total is not None and embedded >= total:
        return []
    last = min(total if total is not None else MAX_RECORDS, MAX_RECORDS)
    start = embedded + 1 if embedded else 1
    requests = []
    while start <= last:
        end = min(start + CHUNK - 1, last)
        form = {**params, "startrecord": str(start), "endrecord": str(end), "perpage": str(per_page)}
        requests.append(PageRequest(url, "POST", form))
        if total is None:  # unknown total: one range at a time, the next asked for when this one is full
            break
        start = end + 1
    return requests


class Hanweb:
    name = "hanweb"

    def pages(self, page_url: str, source: str) -> list[PageRequest]:
        return proxy_requests(page_url, source)

    def links(self, page_url: str, source: str) -> list[Link]:
        return [Link(urljoin(page_url, link.url), link.text) for link in records(source)]
