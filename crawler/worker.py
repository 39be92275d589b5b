"""One worker of a distributed crawl (`nianbao crawl --frontier redis://…`): fetches from the shared queue, archives
into its own WARC files, parses, and puts captures and parsed reports on the frontier for `nianbao ingest`."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from archive.warc import WarcArchive
from parsers.isolated import ParserPool

from .frontier import Frontier, FrontierStore
from .registry import Portal
from .run import CrawlSummary, execute
from .session import CrawlSession
from .settings import DEFAULT_DELAY, crawl_settings, use_bundled_public_suffix_list

DEFAULT_IDLE_EXIT = 30.0
# How many requests one worker holds at a time: enough to keep its downloads busy across many hosts, few enough to
# leave work for the others (NIANBAO_WORKER_PREFETCH in the environment).
DEFAULT_PREFETCH = 32


def default_worker_id() -> str:
    return f"{socket.gethostname().split('.')[0]}-{os.getpid()}"


def frontier_settings(url: str, idle_exit: float) -> dict:
    return {
        "SCHEDULER": "crawler.distributed.FrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": "nianbao:requests",
        "SCHEDULER_DUPEFILTER_KEY": "nianbao:seen",
        "SCHEDULER_PERSIST": True,  # the queue outlives any one worker
        "REDIS_URL": url,
        "ITEM_PIPELINES": {"crawler.pipelines.FrontierPipeline": 300},
        "SPIDER_MIDDLEWARES": {"crawler.distributed.InflightMiddleware": 100},
        "EXTENSIONS": {"crawler.distributed.FrontierWorker": 500},
        "NIANBAO_IDLE_EXIT": idle_exit,
        "NIANBAO_WORKER_PREFETCH": int(os.environ.get("NIANBAO_WORKER_PREFETCH", DEFAULT_PREFETCH)),
    }


def run_worker(portals: list[Portal], frontier_url: str, archive_dir: str | Path, *, worker: str | None = None,
               delay: float = DEFAULT_DELAY, idle_exit: float = DEFAULT_IDLE_EXIT, progress: bool = True,
               extra_settings: dict | None = None) -> CrawlSummary:
    use_bundled_public_suffix_list()
    worker = worker or default_worker_id()
    frontier = Frontier(frontier_url)
    store = FrontierStore(frontier, worker)
    frontier.join(worker)
    store.start_crawl([p.row() for p in portals])
    settings = {**crawl_settings(delay), **frontier_settings(frontier_url, idle_exit), **(extra_settings or {})}
    # nearest the network after the archive: a request holds its host's shared slot only while it is downloaded
    settings["DOWNLOADER_MIDDLEWARES"] = {**settings["DOWNLOADER_MIDDLEWARES"],
                                          "crawler.distributed.HostSlotsMiddleware": 960}
    with ParserPool() as parsers:
        session = CrawlSession(store=store, archive=WarcArchive(archive_dir, prefix=f"nianbao-{worker}"),
                               crawl_id=worker, portals={p.id: p for p in portals}, progress=progress, parsers=parsers)
        status = execute(session, settings)
    store.finish_crawl(status, dict(session.counts), {pid: dict(c) for pid, c in session.per_portal.items()})
    frontier.leave(worker)
    return CrawlSummary(worker, status, session.counts, session.per_portal)
