"""`nianbao ingest`: the one writer of the database in a distributed crawl.

It takes the workers' ops off the frontier in order and stores them as a single crawl would (crawler/storing.py,
one transaction per report): captures and columns get database ids for the workers' own, each worker's run is a row
of `crawls` with its worker id, and what it keeps becomes the validators the workers' next re-crawl sends.
An attachment whose page has not arrived yet (another worker fetched it first) waits for the page.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive import anomalies, columns, health
from archive.columns import Column
from archive.store import Store, storage_failure
from parsers import Report

from .frontier import Frontier
from .registry import Portal
from .run import COUNT_COLUMNS
from .storing import ReportWriter, StorageFailed

QUIET_SECONDS = 3.0  # drained, and no worker alive, this long: the crawl is over


@dataclass
class IngestSummary:
    ops: int = 0
    crawls: list[int] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def render(self) -> str:
        c = self.counts
        return (f"ingested {self.ops} ops from {len(self.crawls)} worker runs: reports {c['new']} new / "
                f"{c['changed']} changed / {c['unchanged']} unchanged, {c['not_report']} non-reports, "
                f"{c['attachments']} attachments, {c['errors']} errors")


class Ingester:
    def __init__(self, frontier: Frontier, store: Store, progress: bool = True) -> None:
        self.frontier, self.store, self.progress = frontier, store, progress
        self.ids: dict[str, int] = {}  # a worker's capture or column id → the database's
        self.crawls: dict[str, int] = {}  # worker → its crawls row
        self.ended: list[int] = []  # the crawls of workers that ended
        self.per_crawl: dict[int, dict[str, Counter]] = defaultdict(dict)  # crawl → portal → counts
        self.portals: dict[str, Portal] = {}
        self.pages_seen: set[str] = set()  # report URLs whose own item has been stored
        self.waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)  # page URL → attachments waiting for it
        self.reports: dict[str, Report | None] = {}  # item URL → what its worker parsed
        self.current: int | None = None  # the crawl of the op being stored
        self.summary = IngestSummary()
        self.writer = ReportWriter(store, self.portals, self._parsed, self._count, self._say)

    async def _parsed(self, item: dict[str, Any]) -> Report | None:
        return self.reports.get(item["url"])

    def _count(self, name: str, portal_id: str | None = None, amount: int = 1) -> None:
        self.summary.counts[name] += amount
        if portal_id and self.current is not None:
            self.per_crawl[self.current].setdefault(portal_id, Counter())[name] += amount

    def _say(self, message: str) -> None:
        if self.progress:
            print(f"[ingest] {message}", file=sys.stderr, flush=True)

    def seed_validators(self) -> None:
        """What the database kept, for workers that re-crawl a fresh frontier."""
        for row in self.store.db.query("select url from reports union select url from attachments"):
            self.frontier.set_validators(row["url"], self.store.validators(row["url"]))

    # ------------------------------------------------------------ ops
    async def handle(self, op: dict[str, Any]) -> None:
        self.summary.ops += 1
        self.current = self.crawls.get(op.get("worker", ""))
        kind = op["op"]
        if kind == "worker_start":
            self._worker_start(op)
        elif kind == "worker_end":
            await self._worker_end(op)
        elif kind == "capture":
            fields = {**op["fields"], "crawl_id": self.current}
            self.ids[op["id"]] = self.store.add_capture(fields)
        elif kind == "capture_update":
            if (capture_id := self.ids.get(op["id"])) is not None:
                self.store.update_capture(capture_id, op["fields"])
        elif kind == "column":
            self.ids[op["id"]] = columns.record(self.store.db, Column(**op["column"]), self.current, op.get("seen_at")
                                                or time.strftime("%Y-%m-%dT%H:%M:%S"))
        elif kind == "touch":
            if self.store.touch(op["url"], op["seen_at"]) is not None:
                self._count("unchanged", self._portal_of(op["url"]))
        elif kind == "item":
            await self._item(op)

    def _portal_of(self, url: str) -> str | None:
        report = self.store.report_by_url(url)
        return report["portal_id"] if report else None

    def _worker_start(self, op: dict[str, Any]) -> None:
        rows = op["portals"]
        for row in rows:
            self.portals[row["id"]] = Portal(**row)
        self.store.upsert_portals(rows)
        crawl_id = self.store.start_crawl([r["id"] for r in rows], "crawl --frontier")
        self.store.db["crawls"].update(crawl_id, {"worker": op["worker"], "started_at": op["started_at"]})
        self.crawls[op["worker"]] = crawl_id
        self.summary.crawls.append(crawl_id)
        self._say(f"worker {op['worker']} started (crawl {crawl_id})")

    async def _worker_end(self, op: dict[str, Any]) -> None:
        crawl_id = self.current
        if crawl_id is None:
            return
        await self._flush_waiting()  # a worker's own attachments never wait past its end for a page it fetched
        mine = self.per_crawl[crawl_id]
        counts = Counter(op["counts"])
        for name in ("new", "changed", "unchanged", "not_report"):
            counts[name] = sum(c[name] for c in mine.values())
        self.store.finish_crawl(crawl_id, op["status"], {column: counts[key] for key, column in COUNT_COLUMNS.items()})
        self.ended.append(crawl_id)
        self._say(f"worker {op['worker']} ended: {op['status']}")

    def record_health(self) -> None:
        """One health row per portal for the workers' run as a whole (one worker saw fewer reports than the last
        run is no regression when the others saw the rest)."""
        if not self.ended:
            return
        portal_counts: dict[str, Counter] = {pid: Counter() for pid in self.portals}
        for crawl_id in self.ended:
            for pid, counts in self.per_crawl[crawl_id].items():
                portal_counts.setdefault(pid, Counter()).update(counts)
        health.record(self.store.db, max(self.ended), portal_counts, run=self.ended)

    async def _item(self, op: dict[str, Any]) -> None:
        item = dict(op["item"])
        item["capture_id"] = self.ids.get(item.get("capture_id"), None)
        item["column_id"] = self.ids.get(item.get("column_id"), None)
        for part in item.get("parts") or []:
            part["capture_id"] = self.ids.get(part.get("capture_id"), None)
        self.reports[item["url"]] = Report.from_json(op["report"]) if op["report"] else None
        if item["type"] == "attachment" and not self._page_known(item["report_url"]):
            self.waiting[item["report_url"]].append(item)
            return
        await self._store(item)
        if item["type"] == "report":
            self.pages_seen.add(item["url"])
            for attachment in self.waiting.pop(item["url"], []):
                await self._store(attachment)

    def _page_known(self, url: str) -> bool:
        return url in self.pages_seen or url in self.writer.pointer_pages or self.store.report_by_url(url) is not None

    async def _store(self, item: dict[str, Any]) -> None:
        try:
            await self.writer.handle(item)
        finally:
            self.reports.pop(item["url"], None)
        for url in {item["url"], item.get("report_url"), *(part["url"] for part in item.get("parts") or [])} - {None}:
            self.frontier.set_validators(url, self.store.validators(url))

    async def _flush_waiting(self) -> None:
        """Attachments whose page never arrived (its worker failed it): stored on their own."""
        for url in list(self.waiting):
            for attachment in self.waiting.pop(url):
                await self._store(attachment)

    async def run(self, follow: bool) -> IngestSummary:
        quiet_since: float | None = None
        while True:
            op = self.frontier.pop(timeout=1.0)
            if op is not None:
                quiet_since = None
                try:
                    await self.handle(op)
                except StorageFailed:
                    self.frontier.push_front(op)  # not lost: the next ingest stores it
                    raise
                continue
            if follow or self.frontier.live_workers():
                quiet_since = None
                continue
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= QUIET_SECONDS:
                break
        await self._flush_waiting()
        self.record_health()
        self.summary.counts["anomalies"] = anomalies.recompute(self.store.db)
        return self.summary


def run_ingest(frontier_url: str, db_path: str | Path, *, follow: bool = False, progress: bool = True) -> IngestSummary:
    """Store what the workers put on the frontier until it is drained and no worker is alive (or for ever: follow)."""
    store = Store(db_path)
    ingester = Ingester(Frontier(frontier_url), store, progress)
    try:
        ingester.seed_validators()
        return asyncio.run(ingester.run(follow))
    except Exception as error:
        if (reason := storage_failure(error)) is not None:
            raise StorageFailed(reason) from error
        raise
