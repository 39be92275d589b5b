"""What becomes of a captured page or attachment once parsed: a report (new, changed, unchanged), a page kept in case
its attachment is the report (详见附件), an attachment adopted as the content of its page, or a listed attachment.

One writer for both ways of crawling: the pipeline of a single crawl, and `nianbao ingest`, which stores what the
workers of a distributed crawl parsed. Each write is one transaction (archive/store.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from archive.store import Store, storage_failure
from parsers import PARSER_VERSION, Report

from .registry import Portal

READABLE_ATTACHMENTS = (".pdf", ".docx", ".xlsx", ".doc", ".wps", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


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


class StorageFailed(Exception):
    """The database cannot be written (disk full, read-only): the caller stops."""


def needs_parse(item: dict[str, Any]) -> bool:
    """Pages are always parsed; an attachment only when it may be its page's content."""
    return item["type"] == "report" or item["filename"].lower().endswith(READABLE_ATTACHMENTS)


class ReportWriter:
    """parse(item) → the item's Report, or None when it cannot be read (the failure already recorded)."""

    def __init__(self, store: Store, portals: dict[str, Portal], parse: Callable[[dict], Awaitable[Report | None]],
                 count: Callable[..., None], say: Callable[[str], None]) -> None:
        self.store, self.portals, self.parse, self.count, self.say = store, portals, parse, count, say
        self.parsing: dict[str, asyncio.Future] = {}  # report URL → its parse in flight
        # pages judged not to be reports, by URL: a bare 详见附件 page whose attachment is the report (what the page
        # states, and its capture: never its body or text, so a national crawl holds little)
        self.pointer_pages: dict[str, PointerPage] = {}

    async def handle(self, item: dict[str, Any]) -> None:
        if item["type"] == "attachment":
            await self._attachment(item)
        else:
            await self._report(item)

    def failed(self, item: dict[str, Any], error: str) -> None:
        self.count("errors", item["portal_id"])
        if item.get("capture_id"):
            self.store.update_capture(item["capture_id"], {"error": error[:500]})
        self.say(f"{item['portal_id']}: cannot read {item['url']}: {error}")

    async def _parsed(self, item: dict[str, Any]) -> Report | None:
        future = asyncio.ensure_future(self.parse(item))
        self.parsing[item["url"]] = future
        try:
            return await future
        finally:
            self.parsing.pop(item["url"], None)

    async def _report(self, item: dict[str, Any]) -> None:
        report = await self._parsed(item)
        if report is not None:
            self._guarded(item, lambda: self._store(item, report))

    def _guarded(self, item: dict[str, Any], write: Callable[[], None]) -> bool:
        """Run a write; a storage failure is raised as StorageFailed, any other error is recorded on the capture."""
        try:
            write()
        except Exception as error:  # noqa: BLE001 - the transaction rolled back: nothing half-written
            if reason := storage_failure(error):
                raise StorageFailed(reason) from error
            self.failed(item, f"not stored: {type(error).__name__}: {error}")
            return False
        return True

    def _portal_row(self, portal_id: str) -> dict[str, Any] | None:
        return self.portals[portal_id].row() if portal_id in self.portals else None

    def _store(self, item: dict[str, Any], report: Report) -> None:
        pid = item["portal_id"]
        self.store.update_capture(item["capture_id"], {"encoding": report.encoding})
        if "scanned" in report.flags and item.get("link_text"):
            # a scan has no text to judge by: the link that named it a report stands, flagged
            report.kind, report.title = "report", report.title or item["link_text"]
        if report.kind != "report":
            if item["type"] == "report" and (known := self.store.report_by_url(item["url"])) is not None \
                    and known["content_capture_id"]:
                # a page that announces a report stored from its attachment (详见附件, its pictures), changed in its
                # chrome only or in what the page states: a visit; the attachment, when it changed, says so itself
                self.store.touch(item["url"], item["fetched_at"])
                self.count("unchanged", pid)
                return
            if item["type"] == "report":
                self.pointer_pages[item["url"]] = PointerPage(
                    report.title, report.issuer, report.published_date, report.report_year, item["capture_id"],
                    item["sha256"], item["fetched_at"])
            self.count("not_report", pid)
            self.say(f"{pid}: not a report, kept as capture only: {report.title or item['url']}")
            return
        result = self.store.save_report(report, url=item["url"], portal_id=pid, capture_id=item["capture_id"],
                                        sha256=item["sha256"], seen_at=item["fetched_at"],
                                        parser_version=PARSER_VERSION, portal=self._portal_row(pid),
                                        column_id=item.get("column_id"))
        self.count(result.outcome, pid)
        self.say(f"{pid}: {result.outcome} v{result.version} {report.report_year or '?'} {report.format} "
                 f"{report.title or item['url']}")

    async def _adopt(self, parent: dict[str, Any], item: dict[str, Any]) -> None:
        """The page stays the one report; the attachment's figures and text become its content."""
        report = await self._parsed(item)
        if report is None or (report.kind != "report" and "scanned" not in report.flags):
            return
        if self._guarded(item, lambda: self.store.replace_parse(
                parent["id"], report, PARSER_VERSION, content_capture_id=item["capture_id"])):
            self.say(f"{item['portal_id']}: the {report.source_type} attachment is the content of {item['report_url']}")

    async def _pointed_to(self, item: dict[str, Any]) -> None:
        """A page too bare to be a report by itself (详见附件) whose attachment is one: the page's URL is the report,
        the attachment its content; what the page states (title, date, issuer) stands."""
        page = self.pointer_pages.pop(item["report_url"])
        report = await self._parsed(item)
        if report is None or (report.kind != "report" and "scanned" not in report.flags):
            return
        report.kind = "report"
        report.title = page.title if page.title and "报告" in page.title else report.title or item["link_text"]
        report.issuer = page.issuer or report.issuer
        report.published_date = page.published_date or report.published_date
        report.report_year = report.report_year or page.report_year
        pid = item["portal_id"]

        def write() -> None:
            result = self.store.save_report(report, url=item["report_url"], portal_id=pid, capture_id=page.capture_id,
                                            sha256=page.sha256, seen_at=page.fetched_at,
                                            parser_version=PARSER_VERSION, portal=self._portal_row(pid),
                                            content_capture_id=item["capture_id"], column_id=item.get("column_id"))
            self.count(result.outcome, pid)
            self.count("not_report", pid, -1)

        if self._guarded(item, write):
            self.say(f"{pid}: new {report.report_year or '?'} {report.format} {report.title} "
                     f"(the page, its {report.source_type} attachment as content)")

    async def _attachment(self, item: dict[str, Any]) -> None:
        store = self.store
        self.count("attachments", item["portal_id"])
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
        for listed in item.get("parts") or [item]:  # a report's pictures, not the document made of them
            self._guarded(item, lambda listed=listed: store.add_attachment({
                "report_id": owner["id"], "url": listed["url"], "filename": listed["filename"], "mime": listed["mime"],
                "capture_id": listed["capture_id"], "sha256": listed["sha256"],
            }))
