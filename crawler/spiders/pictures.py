"""A report published as pictures of its pages: a bare page of <img>s, or of links to 第1页.jpg …

The pictures are fetched one after another (each archived as it comes, like any capture), then made one PDF of scans
(parsers.page_images.pages_pdf), archived as a `resource` record and handed on as the page's attachment, so the
scanned-PDF reader reads every page into one report and a reparse reads the same document without the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.store import storage_failure
from archive.warc import sha256
from parsers import DecodeError
from parsers.budget import BudgetExceeded
from parsers.page_images import pages_pdf

from ..links import canonical_url
from ..session import CrawlSession

PICTURES_FILENAME = "pictures.pdf"


def file_fields(response: Response) -> dict[str, Any]:
    """What an attachment item and an attachments row say of a fetched file."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return {"url": canonical_url(response.url), "filename": unquote(urlsplit(response.url).path.rsplit("/", 1)[-1]),
            "body": response.body, "sha256": sha256(response.body), "mime": content_type.split(";")[0] or None,
            "content_type": content_type, "capture_id": response.meta.get("capture_id"),
            "fetched_at": response.meta.get("fetched_at")}


class PicturePages:
    """PortalSpider's methods for picture reports (callbacks must be the spider's own, for a distributed crawl's
    queue); it gives `conditional` and `on_error`."""

    session: CrawlSession
    crawler: Crawler

    def pictures_request(self, pictures: list[str], meta: dict[str, Any], index: int = 0,
                         whole: bool = False) -> scrapy.Request:
        """The request for picture `index`; the chain's state travels in meta. dont_filter: a picture the duplicate
        filter swallowed would end the chain unanswered."""
        url = pictures[index]
        return scrapy.Request(url, callback=self.parse_picture, errback=self.picture_failed, dont_filter=True,
                              headers={} if whole else self.conditional(canonical_url(url)),
                              meta={**meta, "role": "attachment", "pictures": pictures, "picture_index": index,
                                    "whole": whole, "handle_httpstatus_list": [304],
                                    "fetched": meta.get("fetched", []) if index else [],
                                    "unchanged": meta.get("unchanged", 0) if index else 0})

    def parse_picture(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        if response.status == 304:
            meta["unchanged"] += 1
        else:
            meta["fetched"].append(file_fields(response))
        yield from self._next_picture(meta)

    def picture_failed(self, failure: Failure) -> Iterator[Any]:
        self.on_error(failure)
        yield from self._next_picture(failure.request.meta)

    def _next_picture(self, meta: dict[str, Any]) -> Iterator[Any]:
        pictures, index = meta["pictures"], meta["picture_index"]
        shared = {k: meta[k] for k in ("portal_id", "report_url", "link_text", "column_id")}
        if index + 1 < len(pictures):
            yield self.pictures_request(pictures, {**shared, "fetched": meta["fetched"],
                                                   "unchanged": meta["unchanged"]}, index + 1, meta["whole"])
        elif meta["unchanged"] == len(pictures):
            self.session.count("attachments_unchanged", meta["portal_id"], len(pictures))
        elif meta["unchanged"] and not meta["whole"]:
            # some pictures changed, the others answered 304: their bodies are needed for the one document (once:
            # a server answering 304 to an unconditional request gets no second round)
            yield self.pictures_request(pictures, shared, 0, whole=True)
        elif meta["fetched"]:
            yield from self._pictures_done(meta["fetched"], shared)

    def _pictures_done(self, fetched: list[dict[str, Any]], shared: dict[str, Any]) -> Iterator[dict[str, Any]]:
        portal_id, report_url = shared["portal_id"], shared["report_url"]
        if len(fetched) == 1:  # one picture: the image itself is the document
            yield {"type": "attachment", **shared, **fetched[0]}
            return
        try:
            document = pages_pdf([picture["body"] for picture in fetched])
        except (DecodeError, BudgetExceeded) as error:
            self.session.say(f"{portal_id}: the pictures of {report_url} make no document ({error}): kept apart")
            for picture in fetched:
                yield {"type": "attachment", **shared, **picture}
            return
        made_at = datetime.now(UTC)
        url = f"{report_url}#{PICTURES_FILENAME}"
        try:
            location = self.session.archive.write_resource(url=url, content_type="application/pdf", payload=document,
                                                           fetched_at=made_at, sources=[p["url"] for p in fetched])
            capture_id = self.session.store.add_capture({
                "crawl_id": self.session.crawl_id, "portal_id": portal_id, "url": url, "final_url": url,
                "fetched_at": made_at.isoformat(timespec="seconds"), "content_type": "application/pdf",
                "sha256": sha256(document), "size": len(document), "warc_file": location.file,
                "warc_offset": location.offset, "warc_length": location.length, "role": "pictures"})
        except Exception as error:
            if (reason := storage_failure(error)) is None:
                raise
            self.session.fail(self.crawler, f"archive: {reason}")  # nothing is kept that cannot be traced
            return
        self.session.say(f"{portal_id}: {len(fetched)} pictures of {report_url} read as one document")
        yield {"type": "attachment", **shared, "url": url, "filename": PICTURES_FILENAME, "body": document,
               "sha256": sha256(document), "mime": "application/pdf", "content_type": "application/pdf",
               "capture_id": capture_id, "fetched_at": made_at.isoformat(timespec="seconds"),
               "parts": [{k: v for k, v in p.items() if k not in ("body", "content_type", "fetched_at")}
                         for p in fetched]}
