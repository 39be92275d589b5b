"""Writing crawls, captures and reports: each report and all its rows in one transaction."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from parsers.divisions import division
from parsers.model import Report
from parsers.text import squeeze

from . import columns, search
from .bodies import identify
from .schema import label_ids, open_database

_FIGURE_TABLES = ("metrics", "checks")  # a report's rows rewritten on every parse, besides its sections
_SECTION_COLUMNS = ("report_id", "ordinal", "number", "key", "title", "text")
_YEARS = re.compile(r"(?:19|20)\d{2}")
_FINGERPRINT_MIN_CHARS = 200  # shorter texts (a scan's empty body, a stub) are alike without being copies


def text_fingerprint(report: Report) -> str | None:
    """The report's text with whitespace and years aside: equal fingerprints in consecutive years mean a copy."""
    text = squeeze("".join(s.text for s in report.sections))
    if len(text) < _FINGERPRINT_MIN_CHARS:
        return None
    return hashlib.sha1(_YEARS.sub("#", text).encode("utf-8")).hexdigest()


_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}
_STORAGE_MESSAGES = ("database or disk is full", "disk i/o error", "readonly database", "unable to open database")


def storage_failure(error: BaseException) -> str | None:
    """What is wrong with the storage when `error` says it cannot keep anything more (disk full, read-only), else None."""
    if isinstance(error, OSError) and error.errno in _STORAGE_ERRNOS:
        return f"{os.strerror(error.errno)} ({error.filename or error})"
    if isinstance(error, sqlite3.OperationalError) and any(m in str(error).lower() for m in _STORAGE_MESSAGES):
        return str(error)
    return None


def region_of_site(site_id: str | None) -> str | None:
    """The region a government site's SiteIDCode names (its first six digits), when it is a known division."""
    if not site_id or not re.fullmatch(r"\d{10}", site_id):
        return None
    place = division(site_id[:6])
    return place.code.ljust(6, "0") if place and place.code.ljust(6, "0").startswith(site_id[:2]) else None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SaveResult:
    report_id: int
    outcome: str  # new | changed | unchanged
    version: int


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = open_database(self.path)
        self.label_ids = label_ids(self.db)

    # ---------------------------------------------------------------- portals and crawls
    def upsert_portals(self, portals: list[dict[str, Any]]) -> None:
        with self.db.atomic():
            for portal in portals:
                row = dict(portal)
                row["start_urls"] = json.dumps(row.get("start_urls", []), ensure_ascii=False)
                if isinstance(row.get("hints"), dict):
                    row["hints"] = json.dumps(row["hints"], ensure_ascii=False)
                self.db["portals"].upsert(row, pk="id", alter=True)

    def start_crawl(self, portal_ids: list[str], command: str = "crawl") -> int:
        with self.db.atomic():
            table = self.db["crawls"].insert({
                "started_at": now_iso(), "status": "running", "requests": 0, "new_reports": 0,
                "changed_reports": 0, "unchanged_reports": 0, "errors": 0,
                "portals": json.dumps(portal_ids), "command": command,
            })
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, status: str, counts: dict[str, int]) -> None:
        with self.db.atomic():
            self.db["crawls"].update(crawl_id, {"finished_at": now_iso(), "status": status, **counts})

    def interrupted_crawls(self) -> list[int]:
        return [row["id"] for row in self.db.query("select id from crawls where status = 'running'")]

    def record_column(self, column: columns.Column, crawl_id: int) -> int:
        return columns.record(self.db, column, crawl_id, now_iso())

    def column(self, column_id: int | None) -> dict[str, Any] | None:
        return self.db["columns"].get(column_id) if column_id else None

    # ---------------------------------------------------------------- captures
    def add_capture(self, fields: dict[str, Any]) -> int:
        # plain SQL: a capture a request, and sqlite-utils' insert read the table's columns each time
        with self.db.atomic():
            cursor = self.db.execute(f"insert into captures ({', '.join(f'[{name}]' for name in fields)}) "
                                     f"values ({', '.join('?' * len(fields))})", list(fields.values()))
        return int(cursor.lastrowid)

    def last_capture(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "select * from captures where url = ? and http_status = 200 order by id desc limit 1", [url]))
        return rows[0] if rows else None

    def update_capture(self, capture_id: int, fields: dict[str, Any]) -> None:
        with self.db.atomic():
            self.db.execute(f"update captures set {', '.join(f'[{name}] = ?' for name in fields)} where id = ?",
                            [*fields.values(), capture_id])

    def validators(self, url: str) -> dict[str, Any] | None:
        """ETag, Last-Modified and fetch time of a URL's last answer, when that answer was kept (a stored report, a
        listed attachment, or a page a finished crawl judged not to be a report); None: fetch it whole, so that a
        page a killed crawl fetched but never stored is not lost to a 304. report: the URL is a stored report."""
        url, last = self._redirected(url)
        report = self.report_by_url(url) is not None
        if last is None or last.get("error") or not (report or self.was_kept(url, last)):
            return None
        return {"etag": last.get("etag"), "last_modified": last.get("last_modified"),
                "fetched_at": last.get("fetched_at"), "report": report}

    def _redirected(self, url: str, hops: int = 3) -> tuple[str, dict[str, Any] | None]:
        """Where a URL last redirected to (a moved report page keeps its old link), with that URL's last answer: its
        validators are the target's, and the redirect carries them there."""
        last = self.last_capture(url)
        for _ in range(hops):
            if last is not None:
                break
            moved = next(self.db.query("select url, location from captures where url = ? and http_status between 300 "
                                       "and 399 and location is not null order by id desc limit 1", [url]), None)
            if moved is None:
                break
            url = urljoin(moved["url"], moved["location"])
            last = self.last_capture(url)
        return url, last

    def was_kept(self, url: str, capture: dict[str, Any]) -> bool:
        """The capture was fully handled: a listed attachment, or fetched by a crawl that finished."""
        if next(self.db.query("select count(*) n from attachments where url = ?", [url]))["n"]:
            return True
        crawl = self.db["crawls"].get(capture["crawl_id"]) if capture.get("crawl_id") else None
        return bool(crawl and crawl["status"] == "finished")

    def report_by_url(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from reports where url = ?", [url]))
        return rows[0] if rows else None

    # ---------------------------------------------------------------- reports
    def save_report(self, report: Report, *, url: str, portal_id: str | None, capture_id: int | None,
                    sha256: str, seen_at: str, parser_version: str, portal: dict[str, Any] | None = None,
                    content_capture_id: int | None = None, column_id: int | None = None) -> SaveResult:
        """Insert or version a report with all its rows, atomically.

        content_capture_id: where the figures come from when not from the page itself (an attachment).
        column_id: the column the report was found in (the first one stays)."""
        with self.db.atomic():
            existing = self.report_by_url(url)
            if existing and existing["sha256"] == sha256:
                self._touch(existing, seen_at)
                return SaveResult(existing["id"], "unchanged", existing["version"])
            version = (existing["version"] + 1) if existing else 1
            column_id = (existing or {}).get("column_id") or column_id
            row = self._report_row(report, url=url, portal_id=portal_id, capture_id=capture_id, sha256=sha256,
                                   parser_version=parser_version, portal=portal, column=self.column(column_id))
            row.update(version=version, last_seen=seen_at, column_id=column_id)
            if content_capture_id is not None:
                row["content_capture_id"] = content_capture_id
            if existing:
                report_id = existing["id"]
                self._keep_version(report_id, existing["version"])
                search.unindex(self.db, "reports_search", [report_id])
                self.db["reports"].update(report_id, row)
            else:
                row["first_seen"] = seen_at
                report_id = int(self.db["reports"].insert(row).last_pk)
            search.add(self.db, "reports_search", [report_id])
            self.db["report_versions"].insert({
                "report_id": report_id, "version": version, "sha256": sha256, "capture_id": capture_id,
                "first_seen": seen_at, "last_seen": seen_at,
            })
            self._replace_children(report_id, report)
        return SaveResult(report_id, "changed" if existing else "new", version)

    def replace_parse(self, report_id: int, report: Report, parser_version: str,
                      content_capture_id: int | None = None) -> None:
        """Re-parse of the current version (nianbao reparse): same identity, new parsed rows.

        content_capture_id: the figures come from another capture than the page (an attachment the page
        announces with 详见附件): the page's own title, issuer, year and date stand where it gives them.
        """
        with self.db.atomic():
            existing = self.db["reports"].get(report_id)
            row = self._report_row(report, url=existing["url"], portal_id=existing["portal_id"],
                                   capture_id=existing["capture_id"], sha256=existing["sha256"],
                                   parser_version=parser_version, portal=None, column=self.column(existing["column_id"]))
            for kept in ("region_code", "level", "province", "city"):
                row[kept] = existing[kept]
            content_capture_id = content_capture_id or existing.get("content_capture_id")
            if content_capture_id:
                row["content_capture_id"] = content_capture_id
                for stated in ("title", "report_year", "published_date"):
                    row[stated] = existing[stated] or row[stated]
                if existing["issuer"] and existing["issuer_source"] != "column":  # the page named it
                    row["issuer"], row["issuer_source"] = existing["issuer"], existing["issuer_source"]
            row.update(self._body_columns(row["issuer"], existing))
            search.unindex(self.db, "reports_search", [report_id])
            self.db["reports"].update(report_id, row)
            search.add(self.db, "reports_search", [report_id])
            self._replace_children(report_id, report)

    def touch(self, url: str, seen_at: str) -> int | None:
        existing = self.report_by_url(url)
        if existing is None:
            return None
        with self.db.atomic():
            self._touch(existing, seen_at)
        return existing["id"]

    def add_attachment(self, fields: dict[str, Any]) -> None:
        with self.db.atomic():
            self.db["attachments"].upsert(fields, pk=("report_id", "url"))

    # ---------------------------------------------------------------- internals
    def _touch(self, existing: dict[str, Any], seen_at: str) -> None:
        self.db["reports"].update(existing["id"], {"last_seen": seen_at})
        self.db.execute("update report_versions set last_seen = ? where report_id = ? and version = ?",
                        [seen_at, existing["id"], existing["version"]])

    @staticmethod
    def _body_columns(issuer: str | None, portal: dict[str, Any] | None) -> dict[str, Any]:
        body = identify(issuer, (portal or {}).get("region_code"), (portal or {}).get("level"))
        return {"issuer_key": body and body.key, "body_kind": body and body.kind, "issuer_level": body and body.level,
                "issuer_region_code": body and body.region_code}

    @classmethod
    def _report_row(cls, report: Report, *, url: str, portal_id: str | None, capture_id: int | None, sha256: str,
                    parser_version: str, portal: dict[str, Any] | None,
                    column: dict[str, Any] | None = None) -> dict[str, Any]:
        """column: where the report was found; its body names the issuer when the report does not (marked so)."""
        issuer, issuer_source = report.issuer, "report" if report.issuer else None
        site_id = report.site_meta.get("SiteIDCode")
        if issuer is None and column and column.get("body_full"):
            issuer, issuer_source = column["body_full"], "column"
        return {**cls._body_columns(issuer, portal), "text_fingerprint": text_fingerprint(report),
            "url": url, "portal_id": portal_id, "kind": report.kind, "title": report.title,
            "issuer": issuer, "issuer_source": issuer_source, "report_year": report.report_year,
            "published_date": report.published_date,
            "format": report.format, "source_type": report.source_type, "capture_id": capture_id,
            "sha256": sha256, "flags": json.dumps(report.flags, ensure_ascii=False),
            "warnings": json.dumps(report.warnings, ensure_ascii=False), "parser_version": parser_version,
            "encoding": report.encoding, "spam_spans": json.dumps(report.spam_spans, ensure_ascii=False),
            **{key: (portal or {}).get(key) for key in ("region_code", "level", "province", "city")},
            # a department's or township's column found on the county's portal: the body's level, not the portal's
            **({"level": column["level"]} if column and column.get("level") and portal else {}),
            "site_id": site_id, **({"region_code": region} if portal and not portal.get("region_code")
                                   and (region := region_of_site(site_id)) else {}),
        }

    def _keep_version(self, report_id: int, version: int) -> None:
        """Copy the superseded version's parsed rows so changes after publication stay visible."""
        self.db.execute(
            "insert or replace into version_metrics (report_id, version, table_key, row_key, col_key, value, raw, source) "
            "select report_id, ?, table_key, row_key, col_key, value, raw, source from metrics where report_id = ?",
            [version, report_id])
        self.db.execute(
            "insert or replace into version_sections (report_id, version, ordinal, number, key, title, text) "
            "select report_id, ?, ordinal, number, key, title, text from sections where report_id = ?",
            [version, report_id])

    def _section_rowids(self, report_id: int) -> list[int]:
        return [r[0] for r in self.db.execute("select rowid from sections where report_id = ?", [report_id])]

    def _insert(self, verb: str, table: str, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Rows of plain values into a table of the schema, in one executemany: a report's hundreds of metrics went
        through sqlite-utils' per-value conversions, most of the time of storing it."""
        if rows:
            self.db.conn.executemany(f"{verb} into [{table}] ({', '.join(names)}) values "
                                     f"({', '.join('?' * len(names))})", rows)

    def _replace_children(self, report_id: int, report: Report) -> None:
        sections = [(report_id, i, s.number, s.key, s.title, s.text) for i, s in enumerate(report.sections)]
        stored = [tuple(row) for row in self.db.execute(
            f"select {', '.join(_SECTION_COLUMNS)} from sections where report_id = ? order by ordinal", [report_id])]
        if stored != sections:  # a reparse that finds the same sections keeps them, and their index entries
            search.unindex(self.db, "sections_search", self._section_rowids(report_id))
            self.db.execute("delete from sections where report_id = ?", [report_id])
            self._insert("insert", "sections", _SECTION_COLUMNS, sections)
            search.add(self.db, "sections_search", self._section_rowids(report_id))
        for table in _FIGURE_TABLES:
            self.db.execute(f"delete from {table} where report_id = ?", [report_id])
        self._insert("insert or replace", "metrics",
                     ("report_id", "table_key", "row_key", "col_key", "value", "raw", "source", "unit", "label_id",
                      "confidence"),
                     [(report_id, m.table, m.row, m.col, m.value, m.raw, m.source, m.unit,
                       self.label_ids.get((m.table, m.row, m.col)), m.confidence) for m in report.metrics])
        self._insert("insert or replace", "checks", ("report_id", "rule", "scope", "status", "detail"),
                     [(report_id, c.rule, c.scope, c.status, c.detail) for c in report.checks])
        self.db.execute("delete from anomalies where report_id = ? and scope = 'report'", [report_id])
        self.db["anomalies"].insert_all(
            {"report_id": report_id, "rule": a.rule, "scope": "report", "detail": a.detail, "figure": a.figures.get("key"),
             # text_vs_table names its two figures for what they are; the format's heuristics, value and other_value
             "value": a.figures.get("text_value", a.figures.get("value")),
             "other_value": a.figures.get("table_value", a.figures.get("other_value")),
             "figures": json.dumps(a.figures, ensure_ascii=False)}
            for a in report.anomalies)
