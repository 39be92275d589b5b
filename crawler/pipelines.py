"""Captured report → parsed Report → database rows (one transaction per report).

Parsing runs in worker processes (parsers/isolated.py), so a slow or hostile document never holds up the
reactor; the store writes in the reactor thread, one report at a time.
"""

from __future__ import annotations

import asyncio
from typing import Any

from archive.store import storage_failure
from archive.warc import sha256
from parsers import PARSER_VERSION, DecodeError, Report

from .session import UsesSession


class ReportPipeline(UsesSession):

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.parsing: dict[str, asyncio.Future] = {}  # report URL → its parse in flight

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["type"] == "attachment":
            await self._attachment(item)
        else:
            await self._report(item)
        return item

    async def _parse(self, item: dict[str, Any]) -> Report | None:
        session, pid = self.session, item["portal_id"]
        portal = session.portals.get(pid)
        future = asyncio.wrap_future(session.parsers.submit(
            item["body"], url=item["url"], content_type=item["content_type"],
            content_selector=portal.hints.get("content_selector") if portal else None))
        self.parsing[item["url"]] = future
        try:
            return await future
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the crawl; it is recorded
            reason = str(error) if isinstance(error, DecodeError) else f"parser failed: {type(error).__name__}: {error}"
            self._failed(item, f"unparsable: {reason}")
            return None
        finally:
            self.parsing.pop(item["url"], None)

    def _failed(self, item: dict[str, Any], error: str) -> None:
        session, pid = self.session, item["portal_id"]
        session.count("errors", pid)
        if item.get("capture_id"):
            session.store.db["captures"].update(item["capture_id"], {"error": error[:500]})
        session.say(f"{pid}: cannot read {item['url']}: {error}")

    async def _report(self, item: dict[str, Any]) -> None:
        report = await self._parse(item)
        if report is None:
            return
        try:
            self._store(item, report)
        except Exception as error:  # noqa: BLE001 - the transaction rolled back: nothing half-written
            if reason := storage_failure(error):
                self.session.fail(self.crawler, f"database: {reason}")
                return
            self._failed(item, f"not stored: {type(error).__name__}: {error}")

    def _store(self, item: dict[str, Any], report: Report) -> None:
        session, pid, store = self.session, item["portal_id"], self.session.store
        store.db["captures"].update(item["capture_id"], {"encoding": report.encoding})
        if "scanned" in report.flags and item.get("link_text"):
            # a scan has no text to judge by: the link that named it a report stands, flagged
            report.kind, report.title = "report", report.title or item["link_text"]
        if report.kind != "report":
            session.count("not_report", pid)
            session.say(f"{pid}: not a report, kept as capture only: {report.title or item['url']}")
            return
        portal = session.portals[pid].row() if pid in session.portals else None
        result = store.save_report(report, url=item["url"], portal_id=pid, capture_id=item["capture_id"],
                                   sha256=sha256(item["body"]), seen_at=item["fetched_at"],
                                   parser_version=PARSER_VERSION, portal=portal)
        session.count(result.outcome, pid)
        session.say(f"{pid}: {result.outcome} v{result.version} {report.report_year or '?'} {report.format} "
                    f"{report.title or item['url']}")

    async def _attachment(self, item: dict[str, Any]) -> None:
        session, store = self.session, self.session.store
        session.count("attachments", item["portal_id"])
        if (parent_parse := self.parsing.get(item["report_url"])) is not None:
            await asyncio.wait([parent_parse])  # the page's own parse decides whether this is the report
        parent = store.report_by_url(item["report_url"])
        parent_has_figures = parent is not None and next(store.db.query(
            "select count(*) as n from metrics where report_id = ?", [parent["id"]]))["n"] > 0
        own = None
        if not parent_has_figures and item["filename"].lower().endswith((".pdf", ".docx", ".xlsx")):
            # 详见附件: the page only announces the report, the attachment is the report itself
            await self._report({**item, "type": "report"})
            own = store.report_by_url(item["url"])
        owner = parent or own
        if owner is None:
            return
        store.add_attachment({
            "report_id": owner["id"], "url": item["url"], "filename": item["filename"], "mime": item["mime"],
            "capture_id": item["capture_id"], "sha256": sha256(item["body"]),
        })
