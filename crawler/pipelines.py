"""Captured report → parsed Report → database rows (one transaction per report).

Parsing runs in worker processes (parsers/isolated.py), so a slow or hostile document never holds up the
reactor; the store writes in the reactor thread, one report at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.store import storage_failure
from archive.warc import sha256
from parsers import PARSER_VERSION, DecodeError, Report

from .session import UsesSession


@dataclass(frozen=True)
class PointerPage:
    """A page judged not to be a report by itself, kept in case its attachment is one (详见附件)."""
    title: str | None
    issuer: str | None
    published_date: str | None
    report_year: int | None
    capture_id: int | None
    sha256: str
    fetched_at: str


READABLE_ATTACHMENTS = (".pdf", ".docx", ".xlsx", ".doc", ".wps")


class ReportPipeline(UsesSession):

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.parsing: dict[str, asyncio.Future] = {}  # report URL → its parse in flight
        # pages judged not to be reports in this crawl, by URL: a bare 详见附件 page whose attachment is the report
        # (what the page states, and its capture: never its body or text, so a national crawl holds little)
        self.pointer_pages: dict[str, PointerPage] = {}

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
        self._guarded(item, lambda: self._store(item, report))

    def _guarded(self, item: dict[str, Any], write: Callable[[], None]) -> bool:
        """Run a write; a storage failure stops the crawl, any other error is recorded on the capture."""
        try:
            write()
        except Exception as error:  # noqa: BLE001 - the transaction rolled back: nothing half-written
            if reason := storage_failure(error):
                self.session.fail(self.crawler, f"database: {reason}")
            else:
                self._failed(item, f"not stored: {type(error).__name__}: {error}")
            return False
        return True

    def _store(self, item: dict[str, Any], report: Report) -> None:
        session, pid, store = self.session, item["portal_id"], self.session.store
        store.db["captures"].update(item["capture_id"], {"encoding": report.encoding})
        if "scanned" in report.flags and item.get("link_text"):
            # a scan has no text to judge by: the link that named it a report stands, flagged
            report.kind, report.title = "report", report.title or item["link_text"]
        if report.kind != "report":
            if item["type"] == "report":
                self.pointer_pages[item["url"]] = PointerPage(
                    report.title, report.issuer, report.published_date, report.report_year, item["capture_id"],
                    sha256(item["body"]), item["fetched_at"])
            session.count("not_report", pid)
            session.say(f"{pid}: not a report, kept as capture only: {report.title or item['url']}")
            return
        portal = session.portals[pid].row() if pid in session.portals else None
        result = store.save_report(report, url=item["url"], portal_id=pid, capture_id=item["capture_id"],
                                   sha256=sha256(item["body"]), seen_at=item["fetched_at"],
                                   parser_version=PARSER_VERSION, portal=portal, column_id=item.get("column_id"))
        session.count(result.outcome, pid)
        session.say(f"{pid}: {result.outcome} v{result.version} {report.report_year or '?'} {report.format} "
                    f"{report.title or item['url']}")

    async def _adopt(self, parent: dict[str, Any], item: dict[str, Any]) -> None:
        """The page stays the one report; the attachment's figures and text become its content."""
        report = await self._parse(item)
        if report is None or (report.kind != "report" and "scanned" not in report.flags):
            return
        if self._guarded(item, lambda: self.session.store.replace_parse(
                parent["id"], report, PARSER_VERSION, content_capture_id=item["capture_id"])):
            self.session.say(f"{item['portal_id']}: the {report.source_type} attachment is the content of "
                             f"{item['report_url']}")

    async def _pointed_to(self, item: dict[str, Any]) -> None:
        """A page too bare to be a report by itself (详见附件) whose attachment is one: the page's URL is the report,
        the attachment its content; what the page states (title, date, issuer) stands."""
        page = self.pointer_pages.pop(item["report_url"])
        report = await self._parse(item)
        if report is None or (report.kind != "report" and "scanned" not in report.flags):
            return
        report.kind = "report"
        report.title = page.title if page.title and "报告" in page.title else report.title or item["link_text"]
        report.issuer = page.issuer or report.issuer
        report.published_date = page.published_date or report.published_date
        report.report_year = report.report_year or page.report_year
        store, pid = self.session.store, item["portal_id"]
        portal = self.session.portals[pid].row() if pid in self.session.portals else None

        def write() -> None:
            result = store.save_report(report, url=item["report_url"], portal_id=pid, capture_id=page.capture_id,
                                       sha256=page.sha256, seen_at=page.fetched_at,
                                       parser_version=PARSER_VERSION, portal=portal,
                                       content_capture_id=item["capture_id"], column_id=item.get("column_id"))
            self.session.count(result.outcome, pid)
            self.session.count("not_report", pid, -1)

        if self._guarded(item, write):
            self.session.say(f"{pid}: new {report.report_year or '?'} {report.format} {report.title} "
                             f"(the page, its {report.source_type} attachment as content)")

    async def _attachment(self, item: dict[str, Any]) -> None:
        session, store = self.session, self.session.store
        session.count("attachments", item["portal_id"])
        if (parent_parse := self.parsing.get(item["report_url"])) is not None:
            await asyncio.wait([parent_parse])  # the page's own parse decides whether this is the report
        parent = store.report_by_url(item["report_url"])
        parent_has_figures = parent is not None and next(store.db.query(
            "select count(*) as n from metrics where report_id = ?", [parent["id"]]))["n"] > 0
        owner = parent
        if not parent_has_figures and item["filename"].lower().endswith(READABLE_ATTACHMENTS):
            # 详见附件: the page only announces the report, the attachment is its content
            if parent is None and item["report_url"] in self.pointer_pages:
                await self._pointed_to(item)
                owner = store.report_by_url(item["report_url"])
            elif parent is None:
                await self._report({**item, "type": "report"})
                owner = store.report_by_url(item["url"])
            else:
                await self._adopt(parent, item)
        if owner is None:
            return
        store.add_attachment({
            "report_id": owner["id"], "url": item["url"], "filename": item["filename"], "mime": item["mime"],
            "capture_id": item["capture_id"], "sha256": sha256(item["body"]),
        })
