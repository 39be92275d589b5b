"""One generic spider for every portal in the registry: list pages → report pages → attachments."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..links import Link, canonical_url, is_attachment, looks_like_list, looks_like_report, on_site, trs_pages
from ..session import CrawlSession


def page_links(response: TextResponse) -> list[Link]:
    links = []
    for anchor in response.xpath("//a[@href]"):
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        text = " ".join(anchor.xpath(".//text()").getall()) + " " + anchor.attrib.get("title", "")
        links.append(Link(response.urljoin(href), re.sub(r"\s+", " ", text).strip()))
    return links


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, session: CrawlSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.allowed_domains = sorted({h for p in session.portals.values() for h in p.hosts})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for portal in self.session.portals.values():
            for url in portal.start_urls:
                yield self.list_request(url, portal.id)

    # ---------------------------------------------------------------- requests
    def list_request(self, url: str, portal_id: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                              meta={"portal_id": portal_id, "role": "list"})

    def report_request(self, url: str, portal_id: str) -> scrapy.Request | None:
        url = canonical_url(url)
        if url in self.session.resume_skip:
            self.session.count("resumed", portal_id)
            return None
        headers = {}
        if (last := self.session.store.last_capture(url)) and self.session.store.report_by_url(url):
            if last.get("etag"):
                headers["If-None-Match"] = last["etag"]
            if last.get("last_modified"):
                headers["If-Modified-Since"] = last["last_modified"]
            elif last.get("fetched_at"):
                headers["If-Modified-Since"] = _http_date(last["fetched_at"])
        return scrapy.Request(url, callback=self.parse_report, errback=self.on_error, headers=headers,
                              meta={"portal_id": portal_id, "role": "report", "handle_httpstatus_list": [304]})

    # ---------------------------------------------------------------- callbacks
    def parse_list(self, response: Response) -> Iterator[Any]:
        portal_id = response.meta["portal_id"]
        self.session.count("pages", portal_id)
        if not isinstance(response, TextResponse):
            return
        hosts = self.session.portals[portal_id].hosts
        for url in trs_pages(response.url, response.text):
            yield self.list_request(url, portal_id)
        for link in page_links(response):
            if not on_site(link.url, hosts):
                continue
            if looks_like_report(link):
                if (request := self.report_request(link.url, portal_id)) is not None:
                    yield request
            elif not is_attachment(link.url) and looks_like_list(link, response.url):
                yield self.list_request(link.url, portal_id)

    def parse_report(self, response: Response) -> Iterator[Any]:
        portal_id = response.meta["portal_id"]
        self.session.count("pages", portal_id)
        url = canonical_url(response.url)
        if response.status == 304:
            self.session.store.touch(url, response.meta.get("fetched_at", ""))
            self.session.count("unchanged", portal_id)
            self.session.say(f"{portal_id}: not modified (304) {url}")
            return
        yield {"type": "report", "url": url, "portal_id": portal_id, "body": response.body,
               "content_type": (response.headers.get("Content-Type") or b"").decode("latin-1"),
               "capture_id": response.meta.get("capture_id"), "fetched_at": response.meta.get("fetched_at")}
        if not isinstance(response, TextResponse):
            return
        hosts = self.session.portals[portal_id].hosts
        for link in page_links(response):
            if is_attachment(link.url) and on_site(link.url, hosts):
                yield scrapy.Request(link.url, callback=self.parse_attachment, errback=self.on_error,
                                     meta={"portal_id": portal_id, "role": "attachment", "report_url": url,
                                           "link_text": link.text})

    def parse_attachment(self, response: Response) -> Iterator[dict[str, Any]]:
        name = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1])
        yield {"type": "attachment", "url": response.url, "report_url": response.meta["report_url"],
               "portal_id": response.meta["portal_id"], "filename": name, "body": response.body,
               "mime": (response.headers.get("Content-Type") or b"").decode("latin-1").split(";")[0] or None,
               "capture_id": response.meta.get("capture_id")}

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        portal_id = request.meta.get("portal_id")
        self.session.count("errors", portal_id)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.type.__name__
        self.session.say(f"{portal_id}: {what} {request.url}")


def _http_date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), usegmt=True)
