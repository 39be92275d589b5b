"""One generic spider for every portal in the registry: list pages → report pages → attachments."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from archive.columns import Column
from archive.warc import sha256
from parsers.page_images import report_images

from ..discovery import MAX_DEPTH, Role, full_body_name, has_avoided_word, judge, level_of
from ..families import Link, PageRequest, all_families
from ..families.hanweb import CHUNK, records
from ..links import DOCUMENT_EXT, canonical_url, is_attachment, looks_like_list, looks_like_report, on_site
from ..session import CrawlSession
from .pictures import PicturePages, file_fields

# Anti-bot answers that come with status 200: a script that sets a cookie and reloads.
CHALLENGE = re.compile(rb"document\.cookie|location\.reload|window\.location\s*=|challenge|jsl_|__jsluid|slider", re.I)
CHALLENGE_MAX_BYTES = 6000


def page_links(response: TextResponse) -> list[Link]:
    links = []
    # on the page's lxml tree itself: a Selector for every anchor and its text was a tenth of the reactor's time
    for anchor in response.selector.root.xpath("//a[@href]"):
        href = anchor.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        text = re.sub(r"\s+", " ", " ".join(anchor.xpath(".//text()"))).strip()
        title = re.sub(r"\s+", " ", anchor.get("title", "")).strip()
        # a list cuts long titles (政府信息公开工作年…) and keeps the whole one in title=""
        links.append(Link(response.urljoin(href), f"{text} {title}".strip() if title and title != text else text))
    return links


@dataclass(frozen=True)
class Trail:
    """How discovery reached a page: the link texts followed, the body whose pages these are (None: the portal's
    own), whether the page lists bodies, and the links of the page it was found on (the site's own menus repeat
    there)."""
    texts: tuple[str, ...]
    body: str | None
    catalogue: bool
    chrome: frozenset[str]


def looks_like_challenge(response: Response) -> bool:
    return len(response.body) < CHALLENGE_MAX_BYTES and bool(CHALLENGE.search(response.body))


class PortalSpider(PicturePages, scrapy.Spider):
    name = "portal"

    def __init__(self, session: CrawlSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.families = all_families()
        self.allowed_domains = sorted({h for p in session.portals.values() for h in p.hosts})
        # (portal, role) → the distinct list or discovery pages asked for (pagers repeat links)
        self.pages_asked: dict[tuple[str, str], set[str]] = {}
        self.over_budget: set[tuple[str, str]] = set()  # (portal, role) whose page budget is spent
        self.columns: dict[tuple[str, str], int] = {}  # (portal, column URL) → columns.id, this crawl

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.url_limit = crawler.settings.getint("URLLENGTH_LIMIT")
        spider.default_max_list_pages = crawler.settings.getint("NIANBAO_MAX_LIST_PAGES")
        spider.default_max_discovery_pages = crawler.settings.getint("NIANBAO_MAX_DISCOVERY_PAGES")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for portal in self.session.portals.values():
            for url in portal.start_urls:
                if (request := self.column_request(portal.id, url, None, "registry")) is not None:
                    yield request
            if portal.home_url and (request := self.discover_request(
                    portal.home_url, portal.id, Trail(("首页",), None, False, frozenset()))) is not None:
                yield request

    # ---------------------------------------------------------------- requests
    def refused(self, url: str, portal_id: str, role: str, key: str | None = None) -> bool:
        """Requests that must not be made are recorded, not dropped in silence: URLs longer than Scrapy fetches,
        and list or discovery pages past the portal's budget of distinct pages (a calendar that pages for ever, a
        site whose menus never end). key: what makes a page distinct (its URL, and its form for POSTed ranges)."""
        error = None
        if len(url) > self.url_limit:
            error = f"URL of {len(url)} characters (limit {self.url_limit}): not fetched"
        elif role in ("list", "discover"):
            seen = self.pages_asked.setdefault((portal_id, role), set())
            if (key or url) in seen:
                return False  # asked for before: Scrapy's duplicate filter answers it, the budget does not count it
            budget = self.page_budget(portal_id, role)
            if len(seen) < budget:
                seen.add(key or url)
            elif (portal_id, role) in self.over_budget:
                return True  # said once, on the first page refused
            else:
                self.over_budget.add((portal_id, role))
                error = f"{role}-page budget of {budget} pages spent: the rest of the portal not fetched"
        if error is None:
            return False
        self.session.count("errors", portal_id)
        self.session.store.add_capture({"crawl_id": self.session.crawl_id, "portal_id": portal_id, "url": url[:4096],
                                        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), "role": role,
                                        "error": error})
        self.session.say(f"{portal_id}: {error}: {url[:120]}")
        return True

    def page_budget(self, portal_id: str, role: str) -> int:
        hints = self.session.portals[portal_id].hints
        if role == "discover":
            return int(hints.get("max_discovery_pages", self.default_max_discovery_pages))
        return int(hints.get("max_list_pages", self.default_max_list_pages))

    def list_request(self, page: PageRequest, portal_id: str, **meta: Any) -> scrapy.Request | None:
        if self.refused(page.url, portal_id, "list", f"{page.method} {page.url} {sorted((page.form or {}).items())}"):
            return None
        meta = {"portal_id": portal_id, "role": "list", **meta}
        if page.method == "POST":
            return scrapy.FormRequest(page.url, formdata=page.form, callback=self.parse_list, errback=self.on_error,
                                      meta={**meta, "form": page.form})
        return scrapy.Request(page.url, callback=self.parse_list, errback=self.on_error, meta=meta)

    def column_request(self, portal_id: str, url: str, body: str | None, found_via: str) -> scrapy.Request | None:
        """A report column, recorded (archive/columns.py) and crawled as a list, unless the crawl only discovers."""
        url = canonical_url(url)
        if (portal_id, url) in self.columns:
            return None
        portal = self.session.portals[portal_id]
        column = Column(portal_id, url, body, full_body_name(body, portal.name) if body else portal.name,
                        level_of(body, portal.level), found_via)
        column_id = self.columns[portal_id, url] = self.session.store.record_column(column, self.session.crawl_id)
        self.session.count("columns", portal_id)
        if body or found_via != "registry":
            self.session.say(f"{portal_id}: column of {column.body_full}: {url} ({found_via})")
        if self.session.discover_only:
            return None
        return self.list_request(PageRequest(url), portal_id, column_id=column_id)

    def discover_request(self, url: str, portal_id: str, trail: Trail) -> scrapy.Request | None:
        if self.refused(url, portal_id, "discover"):
            return None
        # shallow pages first, so a portal's own menus are read before any body's page repeats them
        return scrapy.Request(url, callback=self.parse_discover, errback=self.on_error, priority=10 - len(trail.texts),
                              meta={"portal_id": portal_id, "role": "discover", "trail": trail})

    def report_request(self, url: str, portal_id: str, link_text: str = "",
                       column_id: int | None = None) -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.session.resume_skip:
            self.session.count("resumed", portal_id)
            return None
        if self.refused(url, portal_id, "report"):
            return None
        return scrapy.Request(url, callback=self.parse_report, errback=self.on_error, headers=self.conditional(url),
                              meta={"portal_id": portal_id, "role": "report", "handle_httpstatus_list": [304],
                                    "link_text": link_text, "column_id": column_id})

    def conditional(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a page or attachment whose last answer was kept (Store.validators)."""
        known = None if self.session.recheck else self.session.store.validators(url)
        if known is None:
            return {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        elif known.get("fetched_at"):
            headers["If-Modified-Since"] = format_datetime(datetime.fromisoformat(known["fetched_at"]), usegmt=True)
        return headers

    # ---------------------------------------------------------------- callbacks
    def parse_discover(self, response: Response) -> Iterator[scrapy.Request]:
        """A navigation page on the way from the homepage to the report columns (crawler/discovery.py)."""
        portal_id, trail = response.meta["portal_id"], response.meta["trail"]
        self.session.count("pages", portal_id)
        self.session.count("discovery_pages", portal_id)
        if not isinstance(response, TextResponse):
            return
        if looks_like_challenge(response):
            self.challenged(response, portal_id)
            return
        hosts = self.session.portals[portal_id].hosts
        links = [link for link in page_links(response) if on_site(link.url, hosts)]
        here = frozenset(canonical_url(link.url) for link in links)
        for link in links:
            step = judge(link, response.url, catalogue=trail.catalogue)
            if step is None:
                continue
            if canonical_url(link.url) in trail.chrome and (
                    trail.body and step.role is not Role.BODY or step.role is Role.BODY and has_avoided_word(step.text)):
                continue  # the site's own menus, repeated on a body's page (新闻中心 is no body): not the body's
            texts = (*trail.texts, step.text)
            if step.role is Role.REPORT:
                request = self.report_request(link.url, portal_id, link.text)
            elif step.role is Role.COLUMN:
                request = self.column_request(portal_id, link.url, trail.body, " › ".join(texts))
            elif len(texts) > MAX_DEPTH:
                continue
            elif step.role is Role.BODY:
                request = self.discover_request(link.url, portal_id, Trail(texts, step.text, False, here))
            elif step.role is Role.PAGER:
                request = self.discover_request(link.url, portal_id, Trail(trail.texts, trail.body, True, here))
            else:
                request = self.discover_request(link.url, portal_id, Trail(
                    texts, trail.body, step.role is Role.CATALOGUE or trail.catalogue and step.role is Role.TOWARD, here))
            if request is not None:
                yield request

    def parse_list(self, response: Response) -> Iterator[Any]:
        portal_id = response.meta["portal_id"]
        self.session.count("pages", portal_id)
        if not isinstance(response, TextResponse):
            return
        if looks_like_challenge(response):
            self.challenged(response, portal_id)
            return
        portal = self.session.portals[portal_id]
        hosts = portal.hosts
        column_id = response.meta.get("column_id")
        source = response.text
        links = page_links(response)
        # per-site hints, where the generic finding fails: CSS selectors of report links and next pages
        if selector := portal.hints.get("list_link_selector"):
            for href in response.css(selector).xpath("@href").getall():
                if (request := self.report_request(response.urljoin(href), portal_id, column_id=column_id)) is not None:
                    yield request
        if selector := portal.hints.get("next_page_selector"):
            for href in response.css(selector).xpath("@href").getall():
                if (request := self.list_request(PageRequest(response.urljoin(href)), portal_id,
                                                 column_id=column_id)) is not None:
                    yield request
        for family in self.families:
            for page in family.pages(response.url, source):
                if on_site(page.url, hosts) and (
                        request := self.list_request(page, portal_id, column_id=column_id)) is not None:
                    yield request
            links += family.links(response.url, source)
        if (form := response.meta.get("form")) and len(records(source)) >= CHUNK and (
                request := self.list_request(next_range(response.url, form), portal_id, column_id=column_id)) is not None:
            yield request  # a total we were not told
        for link in links:
            if not on_site(link.url, hosts):
                continue
            if looks_like_report(link):
                if (request := self.report_request(link.url, portal_id, link.text, column_id)) is not None:
                    yield request
            elif looks_like_list(link, response.url) and (request := self.list_request(
                    PageRequest(link.url), portal_id, year_column=bool(re.match(r"^\s*(?:19|20)\d{2}", link.text)),
                    column_id=column_id)):
                yield request
        if response.meta.get("year_column"):
            # a year link may lead straight to the report: the parser decides (kind)
            yield self.report_item(response, portal_id)

    def parse_report(self, response: Response) -> Iterator[Any]:
        portal_id = response.meta["portal_id"]
        self.session.count("pages", portal_id)
        url = canonical_url(response.url)
        if response.status == 304:
            if self.session.store.touch(url, response.meta.get("fetched_at", "")) is None:
                self.session.count("not_report", portal_id)  # judged so by an earlier crawl, and unchanged
                return
            self.session.count("unchanged", portal_id)
            self.session.say(f"{portal_id}: not modified (304) {url}")
            return
        if looks_like_challenge(response):
            self.challenged(response, portal_id)
            return
        yield self.report_item(response, portal_id)
        if not isinstance(response, TextResponse):
            return
        hosts = self.session.portals[portal_id].hosts
        links = page_links(response)
        pictures: list[str] = []
        if not any(urlsplit(link.url).path.lower().endswith(DOCUMENT_EXT) for link in links):
            # no document attached: a bare page's pictures are the report's pages
            pictures = [u for u in report_images(response.text, response.url)
                        if on_site(u, hosts) and not self.refused(u, portal_id, "attachment")]
        if pictures:
            yield self.pictures_request(pictures, {"portal_id": portal_id, "report_url": url,
                                                   "link_text": response.meta.get("link_text", ""),
                                                   "column_id": response.meta.get("column_id")})
        for link in links:
            if link.url in pictures:
                continue
            if is_attachment(link.url) and on_site(link.url, hosts) and not self.refused(link.url, portal_id, "attachment"):
                yield scrapy.Request(link.url, callback=self.parse_attachment, errback=self.on_error,
                                     headers=self.conditional(canonical_url(link.url)),
                                     meta={"portal_id": portal_id, "role": "attachment", "report_url": url,
                                           "link_text": link.text, "handle_httpstatus_list": [304],
                                           "column_id": response.meta.get("column_id")})

    def report_item(self, response: Response, portal_id: str) -> dict[str, Any]:
        return {"type": "report", "url": canonical_url(response.url), "portal_id": portal_id, "body": response.body,
                "sha256": sha256(response.body),
                "link_text": response.meta.get("link_text", ""),
                "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
                "capture_id": response.meta.get("capture_id"), "fetched_at": response.meta.get("fetched_at"),
                "column_id": response.meta.get("column_id")}

    def parse_attachment(self, response: Response) -> Iterator[dict[str, Any]]:
        if response.status == 304:
            self.session.count("attachments_unchanged", response.meta["portal_id"])
            return
        yield {"type": "attachment", "report_url": response.meta["report_url"], "portal_id": response.meta["portal_id"],
               "column_id": response.meta.get("column_id"), **file_fields(response)}

    def challenged(self, response: Response, portal_id: str) -> None:
        """A WAF / JS challenge answered instead of the page: recorded on its capture, never parsed."""
        self.session.count("errors", portal_id)
        if capture_id := response.meta.get("capture_id"):
            self.session.store.update_capture(capture_id, {"error": "anti-bot challenge page"})
        self.session.say(f"{portal_id}: anti-bot challenge instead of {response.url}")

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        self.session.request_finished(request)
        portal_id = request.meta.get("portal_id")
        self.session.count("errors", portal_id)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.type.__name__
        if response is None and (capture_id := request.meta.get("capture_id")) and self.session.failure is None:
            # archived as received, then dropped on the way in (a body that decompresses past the size limit)
            self.session.store.update_capture(capture_id, {"error": f"{what}: {failure.value}"[:500]})
        self.session.say(f"{portal_id}: {what} {request.url}")


def next_range(url: str, form: dict[str, str]) -> PageRequest:
    start = int(form.get("endrecord", "0")) + 1
    return PageRequest(url, "POST", {**form, "startrecord": str(start), "endrecord": str(start + CHUNK - 1)})
