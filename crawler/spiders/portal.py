"""One generic spider for every portal in the registry: list pages → report pages → attachments."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..families import Link, PageRequest, all_families
from ..families.hanweb import CHUNK, records
from ..links import canonical_url, is_attachment, looks_like_list, looks_like_report, on_site
from ..session import CrawlSession

# Anti-bot answers that come with status 200: a script that sets a cookie and reloads.
CHALLENGE = re.compile(rb"document\.cookie|location\.reload|window\.location\s*=|challenge|jsl_|__jsluid|slider", re.I)
CHALLENGE_MAX_BYTES = 6000


def page_links(response: TextResponse) -> list[Link]:
    links = []
    for anchor in response.xpath("//a[@href]"):
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        text = " ".join(anchor.xpath(".//text()").getall()) + " " + anchor.attrib.get("title", "")
        links.append(Link(response.urljoin(href), re.sub(r"\s+", " ", text).strip()))
    return links


def looks_like_challenge(response: Response) -> bool:
    return len(response.body) < CHALLENGE_MAX_BYTES and bool(CHALLENGE.search(response.body))


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, session: CrawlSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.families = all_families()
        self.allowed_domains = sorted({h for p in session.portals.values() for h in p.hosts})
        self.list_pages: dict[str, set[str]] = {}  # portal → the distinct list pages asked for (pagers repeat links)
        self.over_budget: set[str] = set()  # portals whose list-page budget is spent

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.url_limit = crawler.settings.getint("URLLENGTH_LIMIT")
        spider.default_max_list_pages = crawler.settings.getint("NIANBAO_MAX_LIST_PAGES")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for portal in self.session.portals.values():
            for url in portal.start_urls:
                if (request := self.list_request(PageRequest(url), portal.id)) is not None:
                    yield request

    # ---------------------------------------------------------------- requests
    def refused(self, url: str, portal_id: str, role: str, key: str | None = None) -> bool:
        """Requests that must not be made are recorded, not dropped in silence: URLs longer than Scrapy fetches,
        and list pages past the portal's budget of distinct pages (a calendar that pages for ever).
        key: what makes a list page distinct (its URL, and its form for POSTed ranges)."""
        error = None
        if len(url) > self.url_limit:
            error = f"URL of {len(url)} characters (limit {self.url_limit}): not fetched"
        elif role == "list":
            seen = self.list_pages.setdefault(portal_id, set())
            if (key or url) in seen:
                return False  # asked for before: Scrapy's duplicate filter answers it, the budget does not count it
            budget = self.max_list_pages(portal_id)
            if len(seen) < budget:
                seen.add(key or url)
            elif portal_id in self.over_budget:
                return True  # said once, on the first page refused
            else:
                self.over_budget.add(portal_id)
                error = f"list-page budget of {budget} pages spent: the rest of the portal not fetched"
        if error is None:
            return False
        self.session.count("errors", portal_id)
        self.session.store.add_capture({"crawl_id": self.session.crawl_id, "portal_id": portal_id, "url": url[:4096],
                                        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), "role": role,
                                        "error": error})
        self.session.say(f"{portal_id}: {error}: {url[:120]}")
        return True

    def max_list_pages(self, portal_id: str) -> int:
        return int(self.session.portals[portal_id].hints.get("max_list_pages", self.default_max_list_pages))

    def list_request(self, page: PageRequest, portal_id: str, **meta: Any) -> scrapy.Request | None:
        if self.refused(page.url, portal_id, "list", f"{page.method} {page.url} {sorted((page.form or {}).items())}"):
            return None
        meta = {"portal_id": portal_id, "role": "list", **meta}
        if page.method == "POST":
            return scrapy.FormRequest(page.url, formdata=page.form, callback=self.parse_list, errback=self.on_error,
                                      meta={**meta, "form": page.form})
        return scrapy.Request(page.url, callback=self.parse_list, errback=self.on_error, meta=meta)

    def report_request(self, url: str, portal_id: str, link_text: str = "") -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.session.resume_skip:
            self.session.count("resumed", portal_id)
            return None
        if self.refused(url, portal_id, "report"):
            return None
        return scrapy.Request(url, callback=self.parse_report, errback=self.on_error, headers=self.conditional(url),
                              meta={"portal_id": portal_id, "role": "report", "handle_httpstatus_list": [304],
                                    "link_text": link_text})

    def conditional(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a page or attachment whose last answer was kept: a stored report,
        a listed attachment, or a page a finished crawl judged not to be a report. Anything else is fetched whole,
        so that a page a killed crawl fetched but never stored is not lost to a 304."""
        store = self.session.store
        last = store.last_capture(url)
        if last is None or last.get("error") or not (store.report_by_url(url) or store.was_kept(url, last)):
            return {}
        headers = {}
        if last.get("etag"):
            headers["If-None-Match"] = last["etag"]
        if last.get("last_modified"):
            headers["If-Modified-Since"] = last["last_modified"]
        elif last.get("fetched_at"):
            headers["If-Modified-Since"] = format_datetime(datetime.fromisoformat(last["fetched_at"]), usegmt=True)
        return headers

    # ---------------------------------------------------------------- callbacks
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
        source = response.text
        links = page_links(response)
        # per-site hints, where the generic finding fails: CSS selectors of report links and next pages
        if selector := portal.hints.get("list_link_selector"):
            for href in response.css(selector).xpath("@href").getall():
                if (request := self.report_request(response.urljoin(href), portal_id)) is not None:
                    yield request
        if selector := portal.hints.get("next_page_selector"):
            for href in response.css(selector).xpath("@href").getall():
                if (request := self.list_request(PageRequest(response.urljoin(href)), portal_id)) is not None:
                    yield request
        for family in self.families:
            for page in family.pages(response.url, source):
                if on_site(page.url, hosts) and (request := self.list_request(page, portal_id)) is not None:
                    yield request
            links += family.links(response.url, source)
        if (form := response.meta.get("form")) and len(records(source)) >= CHUNK and (
                request := self.list_request(next_range(response.url, form), portal_id)) is not None:
            yield request  # a total we were not told
        for link in links:
            if not on_site(link.url, hosts):
                continue
            if looks_like_report(link):
                if (request := self.report_request(link.url, portal_id, link.text)) is not None:
                    yield request
            elif looks_like_list(link, response.url) and (request := self.list_request(
                    PageRequest(link.url), portal_id, year_column=bool(re.match(r"^\s*(?:19|20)\d{2}", link.text)))):
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
        for link in page_links(response):
            if is_attachment(link.url) and on_site(link.url, hosts) and not self.refused(link.url, portal_id, "attachment"):
                yield scrapy.Request(link.url, callback=self.parse_attachment, errback=self.on_error,
                                     headers=self.conditional(canonical_url(link.url)),
                                     meta={"portal_id": portal_id, "role": "attachment", "report_url": url,
                                           "link_text": link.text, "handle_httpstatus_list": [304]})

    def report_item(self, response: Response, portal_id: str) -> dict[str, Any]:
        return {"type": "report", "url": canonical_url(response.url), "portal_id": portal_id, "body": response.body,
                "link_text": response.meta.get("link_text", ""),
                "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
                "capture_id": response.meta.get("capture_id"), "fetched_at": response.meta.get("fetched_at")}

    def parse_attachment(self, response: Response) -> Iterator[dict[str, Any]]:
        if response.status == 304:
            self.session.count("attachments_unchanged", response.meta["portal_id"])
            return
        name = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1])
        yield {"type": "attachment", "url": canonical_url(response.url), "report_url": response.meta["report_url"],
               "portal_id": response.meta["portal_id"], "filename": name, "body": response.body,
               "mime": (response.headers.get("Content-Type") or b"").decode("latin-1").split(";")[0] or None,
               "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
               "capture_id": response.meta.get("capture_id"), "fetched_at": response.meta.get("fetched_at")}

    def challenged(self, response: Response, portal_id: str) -> None:
        """A WAF / JS challenge answered instead of the page: recorded on its capture, never parsed."""
        self.session.count("errors", portal_id)
        if capture_id := response.meta.get("capture_id"):
            self.session.store.db["captures"].update(capture_id, {"error": "anti-bot challenge page"})
        self.session.say(f"{portal_id}: anti-bot challenge instead of {response.url}")

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        portal_id = request.meta.get("portal_id")
        self.session.count("errors", portal_id)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.type.__name__
        if response is None and (capture_id := request.meta.get("capture_id")) and self.session.failure is None:
            # archived as received, then dropped on the way in (a body that decompresses past the size limit)
            self.session.store.db["captures"].update(capture_id, {"error": f"{what}: {failure.value}"[:500]})
        self.session.say(f"{portal_id}: {what} {request.url}")


def next_range(url: str, form: dict[str, str]) -> PageRequest:
    start = int(form.get("endrecord", "0")) + 1
    return PageRequest(url, "POST", {**form, "startrecord": str(start), "endrecord": str(start + CHUNK - 1)})
