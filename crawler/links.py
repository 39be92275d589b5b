"""Which links on a portal page are reports, list pages (pagination, year columns) or attachments.

Pure functions over URLs and link texts, so they are testable without Scrapy. Whether a fetched
page really is a report is settled afterwards by the parser (`kind`).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .families import Link

REPORT_TEXT = re.compile(r"年度报告|年报|工作报告|年度工作情况报告|年度.{0,6}报告|信息公开工作(?:情况|总结)")
REPORT_CONTEXT = re.compile(r"公开|年报")
NOT_REPORT_TEXT = re.compile(r"通知|解读|图解|一图|指南|制度|办法|规定|专栏|征集|问答|意见|目录|答记者问|视频|动漫|H5|模板|格式|"
                             r"企业年报|年报公示|政府工作报告|统计公报|预决算|法治政府建设")
# A report's title ends with its name (…年度报告, …年报), perhaps a bracketed note, a file suffix or a date; news that
# mentions the report (…年度报告编制培训会) does not.
REPORT_TITLE_END = re.compile(r"(?:报告|年报|信息公开工作(?:情况|总结))(?:[(（【\[][^)）】\]]{0,20}[)）】\]])?"
                              r"(?:\.[A-Za-z]{2,4})?(?:(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?)?$")
TRUNCATED_REPORT_TEXT = re.compile(r"(?:19|20)\d{2}年.{0,12}政府信息公开(?:工作)?(?:年(?:度(?:报)?)?)?(?:\.\.\.|…|\.{2,})?$")
NEXT_PAGE_TEXT = re.compile(r"^(?:下一?页|后一?页|尾页|末页|>|>>|»|›|\d{1,3})$")
YEAR_TEXT = re.compile(r"^(?:19|20)\d{2}\s*年?度?(?:年报|报告|政府信息公开工作年度报告)?$")
DOCUMENT_EXT = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd")
ATTACHMENT_EXT = (*DOCUMENT_EXT, ".jpg", ".jpeg", ".png", ".tif", ".tiff")
# Column (list) addresses of the common families: TRS index_N, Kaipuyun list_N.shtml, VSB list.htm + list/N.htm,
# query pagers.
LIST_URL = re.compile(r"/(?:index|list|default)(?:_\d+)?\.s?html?$|/\d{1,3}\.htm$|[?&](?:page|pageNo|pageIndex|pageNum|p|pn)=\d+",
                      re.I)
# Detail (article) addresses: TRS tYYYYMMDD_N, Hanweb art_C_D, Kaipuyun cNNN/YYYYMM/<hex>.shtml, VSB info/C/D.htm,
# the Hanweb xxgk annual-report page, and content_/post_ pages.
REPORT_URL = re.compile(
    r"/t\d{8}_\d+(?:_\w+)?\.s?html?$|/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_[\w]+\.html$|/c\d+/\d{6}/[0-9a-f]{16,}\.s?html?$|"
    r"/info/\d+/\d+\.htm$|xxgkAnnualReport\.jsp\?.*fbtime=\d{4}|/(?:content|post)_\d+\.s?html?$|/\d{6}/[0-9a-f]{20,}\.s?html?$",
    re.I)
# Tracking and cache-busting parameters: one report, one URL.
_DROP_QUERY = re.compile(r"^(?:utm_\w+|spm|from|source|timestamp|_|rnd|random)$", re.I)


def canonical_url(url: str) -> str:
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _DROP_QUERY.match(k)])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _text(link: Link) -> str:
    return re.sub(r"\s+", "", link.text)


def is_attachment(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_EXT)


def looks_like_column(url: str) -> bool:
    """A column (list) address: a folder, an index or list page, a paged query."""
    path = urlsplit(url).path
    return (path.endswith("/") or bool(LIST_URL.search(url))) and not REPORT_URL.search(url)


def looks_like_report(link: Link) -> bool:
    text = _text(link)
    if NOT_REPORT_TEXT.search(text) or looks_like_column(link.url):
        return False
    if REPORT_TEXT.search(text) and REPORT_CONTEXT.search(text) and REPORT_TITLE_END.search(text):
        return True
    # Lists cut long titles (政府信息公开工作年…): the wording so far and an article address suffice.
    if TRUNCATED_REPORT_TEXT.search(text) and REPORT_URL.search(link.url):
        return True
    # A year alone names the report on year-indexed pages (Hanweb xxgkAnnualReport.jsp?…&fbtime=2020).
    return bool(YEAR_TEXT.match(text) and REPORT_URL.search(link.url))


def looks_like_list(link: Link, page_url: str) -> bool:
    text = _text(link)
    if is_attachment(link.url) or REPORT_URL.search(link.url):
        return False
    if YEAR_TEXT.match(text) or (REPORT_TEXT.search(text) and looks_like_column(link.url)):
        return True  # a year sub-column, or a column named after the reports
    if NEXT_PAGE_TEXT.match(text):
        return same_column(link.url, page_url, nested=True)
    return bool(LIST_URL.search(link.url)) and same_column(link.url, page_url, nested=False)


def _folders(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    return parts.netloc, parts.path.rsplit("/", 1)[0] + "/", parts.path.rsplit(".", 1)[0] + "/"


def same_column(url: str, page_url: str, *, nested: bool) -> bool:
    """Pagination stays in its column: the same folder, or the folder named after the page (VSB list.htm →
    list/2.htm); with a pager's own words (下一页, 2, 尾页) also one folder inside the other."""
    host_a, folder_a, _ = _folders(url)
    host_b, folder_b, stem_b = _folders(page_url)
    if host_a != host_b:
        return False
    if folder_a in (folder_b, stem_b):
        return True
    return nested and (folder_a.startswith(folder_b) or folder_b.startswith(folder_a))


def on_site(url: str, hosts: set[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)
