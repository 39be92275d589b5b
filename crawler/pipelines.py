"""Captured report → parsed Report → database rows (one transaction per report), or, for a worker of a distributed
crawl, → the frontier, where `nianbao ingest` stores it.

Parsing runs in worker processes (parsers/isolated.py), so a slow or hostile document never holds up the
reactor; the store writes in the reactor thread, one report at a time.
"""

from __future__ import annotations

import asyncio
from typing import Any

from parsers import DecodeError, Report

from .session import UsesSession
from .storing import ReportWriter, StorageFailed, needs_parse


class ParsingPipeline(UsesSession):
    """Parses an item's body in the session's process pool; a document that cannot be read is recorded, not raised."""

    async def parse(self, item: dict[str, Any]) -> Report | None:
        session = self.session
        portal = session.portals.get(item["portal_id"])
        try:
            return await asyncio.wrap_future(session.parsers.submit(
                item["body"], url=item["url"], content_type=item["content_type"],
                content_selector=portal.hints.get("content_selector") if portal else None))
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the crawl; it is recorded
            reason = str(error) if isinstance(error, DecodeError) else f"parser failed: {type(error).__name__}: {error}"
            self.unreadable(item, f"unparsable: {reason}")
            return None

    def unreadable(self, item: dict[str, Any], error: str) -> None:
        raise NotImplementedError


class ReportPipeline(ParsingPipeline):

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._writer: ReportWriter | None = None

    @property
    def writer(self) -> ReportWriter:
        if self._writer is None:
            session = self.session
            self._writer = ReportWriter(session.store, session.portals, self.parse, session.count, session.say)
        return self._writer

    def unreadable(self, item: dict[str, Any], error: str) -> None:
        self.writer.failed(item, error)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            await self.writer.handle(item)
        except StorageFailed as error:
            self.session.fail(self.crawler, f"database: {error}")
        return item


class FrontierPipeline(ParsingPipeline):
    """A worker of a distributed crawl: parses here (the CPU is the worker's), and puts what it parsed on the frontier
    with the item's own fields; the ingester runs the ReportWriter on them against the one database."""

    def unreadable(self, item: dict[str, Any], error: str) -> None:
        self.session.count("errors", item["portal_id"])
        self.session.store.update_capture(item["capture_id"], {"error": error[:500]})
        self.session.say(f"{item['portal_id']}: cannot read {item['url']}: {error}")

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        report = await self.parse(item) if needs_parse(item) else None
        self.session.store.push_item(item, report)
        self.session.count("queued", item["portal_id"])
        if tracker := getattr(self.session, "inflight", None):
            tracker.item_done(item)
        return item
