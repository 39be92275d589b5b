"""Which links on a portal page are reports, list pages (pagination, year columns) or attachments.

Pure functions over URLs, link texts and page source, so they are testable without Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

REPORT_TEXT = re.compile(r"年度报告|年报|工作报告|年度工作情况报告")
REPORT_CONTEXT = re.compile(r"公开|年报")
NOT_REPORT_TEXT = re.compile(r"通知|解读|图解|一图|指南|制度|办法|规定|专栏|征集|问答|意见|目录|答记者问|视频|动漫|H5")
NEXT_PAGE_TEXT = re.compile(r"^(?:下一?页|后一?页|尾页|末页|>|>>|»|›|\d{1,3})$")
YEAR_COLUMN_TEXT = re.compile(r"^(?:19|20)\d{2}\s*年?度?(?:年报|报告)?$")
ATTACHMENT_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd")
LIST_URL = re.compile(r"/index(?:_\d+)?\.s?html?$|[?&](?:page|pageNo|pageIndex|p)=\d+")
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
# Tracking and cache-busting parameters: one report, one URL.
_DROP_QUERY = re.compile(r"^(?:utm_\w+|spm|from|source|timestamp|t|_|rnd|random|v)$", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def canonical_url(url: str) -> str:
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _DROP_QUERY.match(k)])
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def is_attachment(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_EXT)


def looks_like_report(link: Link) -> bool:
    text = re.sub(r"\s+", "", link.text)
    return bool(REPORT_TEXT.search(text) and REPORT_CONTEXT.search(text) and not NOT_REPORT_TEXT.search(text)
                and not looks_like_column(link.url))


def looks_like_column(url: str) -> bool:
    """A column (list) address: a folder, an index page, a paged query."""
    path = urlsplit(url).path
    return path.endswith("/") or bool(LIST_URL.search(url)) or path.rsplit("/", 1)[-1] in ("list.html", "list.htm")


def looks_like_list(link: Link, page_url: str) -> bool:
    text = re.sub(r"\s+", "", link.text)
    if YEAR_COLUMN_TEXT.match(text) or (REPORT_TEXT.search(text) and looks_like_column(link.url)):
        return True
    if NEXT_PAGE_TEXT.match(text) and _same_column(link.url, page_url):
        return True
    return bool(LIST_URL.search(link.url) and _same_column(link.url, page_url))


def _same_column(url: str, page_url: str) -> bool:
    """Pagination stays in the column's folder (or its query variants)."""
    a, b = urlsplit(url), urlsplit(page_url)
    return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]


def trs_pages(page_url: str, source: str) -> list[str]:
    """TRS WCM lists announce their pages only in createPageHTML(total, current, "index", "html")."""
    m = TRS_PAGER.search(source)
    if not m:
        return []
    total, prefix, ext = int(m.group(1)), m.group(3), m.group(4)
    pages = [f"{prefix}.{ext}"] + [f"{prefix}_{n}.{ext}" for n in range(1, min(total, 500))]
    return [urljoin(page_url, p) for p in pages]


def on_site(url: str, hosts: set[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)
