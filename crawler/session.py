"""What one crawl run shares between the spider, the archive middleware and the pipeline."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archive.store import Store
from archive.warc import WarcArchive

from .registry import Portal

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

    from parsers.isolated import ParserPool

    from .distributed import InflightTracker

log = logging.getLogger("nianbao")


@dataclass
class CrawlSession:
    store: Store  # or, for a worker of a distributed crawl, crawler.frontier.FrontierStore
    archive: WarcArchive
    crawl_id: int | str  # a worker of a distributed crawl: its worker id
    portals: dict[str, Portal]
    resume_skip: set[str] = field(default_factory=set)  # report URLs stored by an interrupted run
    counts: Counter = field(default_factory=Counter)
    per_portal: dict[str, Counter] = field(default_factory=dict)
    progress: bool = True
    parsers: ParserPool | None = None
    failure: str | None = None  # why the crawl had to stop (a full disk): the run failed, loudly
    discover_only: bool = False  # nianbao discover: record the columns found, do not crawl them
    recheck: bool = False  # crawl --recheck: fetch every known page whole, no conditional requests
    inflight: InflightTracker | None = None  # a worker of a distributed crawl: its requests under way

    def request_finished(self, request: Request) -> None:
        """An errback is done with its request (callbacks are followed by crawler/distributed.py)."""
        if self.inflight is not None and (fingerprint := request.meta.get("frontier_fp")):
            self.inflight.callback_done(fingerprint)

    def fail(self, crawler: Crawler, reason: str) -> None:
        """Storage is gone (disk full, read-only): stop the crawl rather than fetch what cannot be kept."""
        if self.failure is None:
            self.failure = reason
            print(f"nianbao: stopping the crawl: {reason}", file=sys.stderr, flush=True)
            crawler.engine.close_spider(crawler.spider, "storage_failure")

    def count(self, name: str, portal_id: str | None = None, amount: int = 1) -> None:
        self.counts[name] += amount
        if portal_id:
            self.per_portal.setdefault(portal_id, Counter())[name] += amount

    def say(self, message: str) -> None:
        if self.progress:
            done = self.counts
            print(f"[{done['pages']:>5} pages {done['new'] + done['changed'] + done['unchanged']:>4} reports "
                  f"{done['errors']:>3} errors] {message}", file=sys.stderr, flush=True)


class UsesSession:
    """A Scrapy component (middleware, pipeline) that works with the running crawl's session."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    @property
    def session(self) -> CrawlSession:
        return self.crawler.spider.session
