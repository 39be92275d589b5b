"""Captured report → parsed Report → database rows (one transaction per report)."""

from __future__ import annotations

from typing import Any

from archive.warc import sha256
from parsers import PARSER_VERSION, DecodeError, parse

from .session import UsesSession


class ReportPipeline(UsesSession):

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["type"] == "attachment":
            self._attachment(item)
        else:
            self._report(item)
        return item

    def _report(self, item: dict[str, Any]) -> None:
        session, pid = self.session, item["portal_id"]
        store = session.store
        try:
            portal = session.portals.get(pid)
            report = parse(item["body"], url=item["url"], content_type=item["content_type"],
                           content_selector=portal.hints.get("content_selector") if portal else None)
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the crawl; it is recorded
            reason = str(error) if isinstance(error, DecodeError) else f"parser failed: {type(error).__name__}: {error}"
            session.count("errors", pid)
            store.db["captures"].update(item["capture_id"], {"error": f"unparsable: {reason}"[:500]})
            session.say(f"{pid}: cannot read {item['url']}: {reason}")
            return
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

    def _attachment(self, item: dict[str, Any]) -> None:
        session, store = self.session, self.session.store
        session.count("attachments", item["portal_id"])
        parent = store.report_by_url(item["report_url"])
        parent_has_figures = parent is not None and next(store.db.query(
            "select count(*) as n from metrics where report_id = ?", [parent["id"]]))["n"] > 0
        own = None
        if not parent_has_figures and item["filename"].lower().endswith((".pdf", ".docx", ".xlsx")):
            # 详见附件: the page only announces the report, the attachment is the report itself
            self._report({**item, "type": "report"})
            own = store.report_by_url(item["url"])
        owner = parent or own
        if owner is None:
            return
        store.add_attachment({
            "report_id": owner["id"], "url": item["url"], "filename": item["filename"], "mime": item["mime"],
            "capture_id": item["capture_id"], "sha256": sha256(item["body"]),
        })
