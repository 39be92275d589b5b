"""The Scrapy side of a distributed crawl on scrapy-redis (crawler/frontier.py holds the Redis side).

scrapy-redis 0.9.1 gives the shared queue and seen-set; its spiders still start with `start_requests()`, so nianbao
keeps its own spider (Scrapy 2.13+ `async def start()`) and uses only scrapy-redis's scheduler, queue and dupefilter,
with three additions of its own: a request taken from the queue is in flight until everything it led to is on the
frontier (a killed worker's requests are put back), politeness per host is reserved in Redis for all workers, and a
worker waits for work until the frontier has been idle `--idle-exit` seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from .session import UsesSession

HEARTBEAT_SECONDS = 1.0
SLOT_RETRY_SECONDS = 0.05


class InflightTracker:
    """A request is finished when its callback has run and every item it yielded is on the frontier."""

    def __init__(self, frontier, worker: str) -> None:
        self.frontier, self.worker = frontier, worker
        self.items: Counter[str] = Counter()  # fingerprint → its items not yet on the frontier
        self.running: set[str] = set()  # fingerprints whose callback is still yielding

    def item_yielded(self, item: dict[str, Any], fingerprint: str) -> None:
        item["inflight"] = fingerprint
        self.items[fingerprint] += 1

    def item_done(self, item: dict[str, Any]) -> None:
        if fingerprint := item.get("inflight"):
            self.items[fingerprint] -= 1
            self._maybe_finished(fingerprint)

    def callback_started(self, fingerprint: str) -> None:
        self.running.add(fingerprint)

    def callback_done(self, fingerprint: str) -> None:
        self.running.discard(fingerprint)
        self._maybe_finished(fingerprint)

    def _maybe_finished(self, fingerprint: str) -> None:
        if fingerprint not in self.running and self.items[fingerprint] <= 0:
            self.items.pop(fingerprint, None)
            self.frontier.finished(self.worker, fingerprint)


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler; what it hands out is recorded as this worker's, in flight, and a worker holds at
    most NIANBAO_WORKER_PREFETCH requests at a time (Scrapy would pull CONCURRENT_REQUESTS at once and leave the other
    workers idle)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.prefetch = crawler.settings.getint("NIANBAO_WORKER_PREFETCH")
        return scheduler

    def next_request(self) -> Request | None:
        session = self.spider.session
        if session.store.frontier.inflight_count(session.crawl_id) >= self.prefetch:
            return None  # take only what this worker can start soon; the rest is left to the other workers
        request = super().next_request()
        if request is not None:
            fingerprint = self.df.request_fingerprint(request)
            request.meta["frontier_fp"] = fingerprint
            session.store.frontier.taken(session.crawl_id, fingerprint, self.queue._encode_request(request),
                                         -request.priority)
        return request


class InflightMiddleware(UsesSession):
    """Spider middleware: follows each taken request's callback output to its end (errbacks, which Scrapy does not
    pass through spider middlewares, end theirs through CrawlSession.request_finished)."""

    async def process_spider_output(self, response, result: AsyncIterator[Any]) -> AsyncIterator:
        tracker, fingerprint = self.session.inflight, response.request.meta.get("frontier_fp")
        if fingerprint:
            tracker.callback_started(fingerprint)
        try:
            async for output in result:
                if fingerprint and isinstance(output, dict):
                    tracker.item_yielded(output, fingerprint)
                yield output
        finally:
            if fingerprint:
                tracker.callback_done(fingerprint)


class HostSlotsMiddleware(UsesSession):
    """Downloader middleware: a request to a host waits for the host's shared slot (delay between starts, requests
    under way at once), whichever worker sends it."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.limit = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT") + 5
        self.serial = 0

    async def process_request(self, request: Request) -> None:
        session, host = self.session, urlsplit(request.url).hostname or ""
        self.serial += 1
        token = f"{session.crawl_id}:{self.serial}"
        while (wait := session.store.frontier.acquire_host(host, token, delay=self.delay, limit=self.limit,
                                                           timeout=self.timeout)) < 0:
            await asyncio.sleep(SLOT_RETRY_SECONDS)
        request.meta["host_slot"] = (host, token)
        if wait > 0:
            await asyncio.sleep(wait)

    def _release(self, request: Request) -> None:
        if slot := request.meta.pop("host_slot", None):
            self.session.store.frontier.release_host(*slot)

    def process_response(self, request: Request, response):
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)


class FrontierWorker(UsesSession):
    """Extension: the worker's heartbeat (and the takeover of workers whose heartbeat stopped), and its end once the
    frontier has been idle NIANBAO_IDLE_EXIT seconds."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.idle_exit = crawler.settings.getfloat("NIANBAO_IDLE_EXIT")
        self.idle_since: float | None = None
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    def opened(self, spider: Spider) -> None:
        session = self.session
        session.inflight = InflightTracker(session.store.frontier, session.crawl_id)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT_SECONDS, now=True)

    def beat(self) -> None:
        frontier, worker = self.session.store.frontier, self.session.crawl_id
        frontier.heartbeat(worker)
        if moved := frontier.take_over():
            self.session.say(f"took over {moved} requests of a worker that stopped")
        # An idle engine looks at its scheduler only every 5 s; the other workers may have queued work since.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and frontier.queued():
            slot.nextcall.schedule()

    def idle(self, spider: Spider) -> None:
        frontier = self.session.store.frontier
        frontier.take_over()
        if frontier.busy():
            self.idle_since = None
            raise DontCloseSpider
        self.idle_since = self.idle_since or time.monotonic()
        if time.monotonic() - self.idle_since < self.idle_exit:
            raise DontCloseSpider

    def closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
