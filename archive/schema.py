"""The database schema, created and migrated with sqlite-utils.

Table and column names are a contract (../shared/spec/interfaces.md): add freely, rename only
with a migration.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from parsers.formats.labels import metric_labels

from . import coverage, health, search

SCHEMA_VERSION = 1
# Declared type ANY has NUMERIC affinity: 3 stays the integer 3, 0.5 stays real (REAL would show 3.0).
NUMBER = "ANY"

TABLES: dict[str, dict] = {
    "portals": {
        "columns": {"id": str, "name": str, "region_code": str, "level": str, "start_urls": str,
                    "province": str, "city": str, "hints": str, "home_url": str, "site_id": str},
        "pk": "id",
    },
    # Where reports were found (issue 15): a registry column, or one discovery reached from the homepage
    "columns": {
        "columns": {"id": int, "portal_id": str, "url": str, "body": str, "body_full": str, "level": str,
                    "found_via": str, "first_seen": str, "last_seen": str, "first_crawl_id": int,
                    "last_crawl_id": int, "moved_to": int},
        "pk": "id",
        "foreign_keys": [("portal_id", "portals", "id"), ("moved_to", "columns", "id")],
    },
    "crawls": {
        "columns": {"id": int, "started_at": str, "finished_at": str, "status": str, "requests": int,
                    "new_reports": int, "changed_reports": int, "unchanged_reports": int, "errors": int,
                    "portals": str, "command": str, "worker": str},
        "pk": "id",
    },
    "captures": {
        "columns": {"id": int, "crawl_id": int, "portal_id": str, "url": str, "final_url": str, "method": str,
                    "fetched_at": str, "http_status": int, "content_type": str, "encoding": str,
                    "sha256": str, "size": int, "warc_file": str, "warc_offset": int, "warc_length": int,
                    "etag": str, "last_modified": str, "role": str, "error": str, "location": str},
        "pk": "id",
        "foreign_keys": [("crawl_id", "crawls", "id"), ("portal_id", "portals", "id")],
    },
    "reports": {
        "columns": {"id": int, "url": str, "portal_id": str, "kind": str, "title": str, "issuer": str,
                    "region_code": str, "level": str, "province": str, "city": str,
                    "report_year": int, "published_date": str, "format": str,
                    "source_type": str, "capture_id": int, "sha256": str, "version": int, "first_seen": str,
                    "last_seen": str, "flags": str, "warnings": str, "parser_version": str, "encoding": str,
                    "spam_spans": str, "issuer_key": str, "body_kind": str, "issuer_level": str,
                    "issuer_region_code": str, "text_fingerprint": str, "content_capture_id": int,
                    "column_id": int, "issuer_source": str, "site_id": str},
        "pk": "id",
        "foreign_keys": [("portal_id", "portals", "id"), ("capture_id", "captures", "id"),
                         ("content_capture_id", "captures", "id"), ("column_id", "columns", "id")],
    },
    "report_versions": {
        "columns": {"report_id": int, "version": int, "sha256": str, "capture_id": int, "first_seen": str,
                    "last_seen": str},
        "pk": ("report_id", "version"),
        "foreign_keys": [("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    },
    "sections": {
        "columns": {"report_id": int, "ordinal": int, "number": str, "key": str, "title": str, "text": str},
        "pk": ("report_id", "ordinal"),
        "foreign_keys": [("report_id", "reports", "id")],
    },
    # Every key metrics can hold with its printed Chinese label (parsers/formats/labels.py)
    "metric_labels": {
        "columns": {"id": int, "table_key": str, "row_key": str, "col_key": str, "label": str, "label_en": str,
                    "table_label": str, "row_label": str, "col_label": str, "format": str, "row_order": int,
                    "col_order": int},
        "pk": "id",
    },
    "metrics": {
        "columns": {"report_id": int, "table_key": str, "row_key": str, "col_key": str, "value": NUMBER,
                    "raw": str, "source": str, "unit": str, "label_id": int, "confidence": float},
        "pk": ("report_id", "table_key", "row_key", "col_key", "source"),
        "foreign_keys": [("report_id", "reports", "id"), ("label_id", "metric_labels", "id")],
    },
    "checks": {
        "columns": {"report_id": int, "rule": str, "scope": str, "status": str, "detail": str},
        "pk": ("report_id", "rule", "scope"),
        "foreign_keys": [("report_id", "reports", "id")],
    },
    "attachments": {
        "columns": {"report_id": int, "url": str, "filename": str, "mime": str, "capture_id": int, "sha256": str},
        "pk": ("report_id", "url"),
        "foreign_keys": [("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    },
    # One row per portal per crawl (archive/health.py): a portal that silently breaks shows here
    "portal_health": {
        "columns": health.COLUMNS,
        "pk": ("portal_id", "crawl_id"),
        "foreign_keys": [("portal_id", "portals", "id"), ("crawl_id", "crawls", "id")],
    },
    # Figures that make no sense next to the body's past (archive/anomalies.py) or its own text (scope 'report')
    "anomalies": {
        "columns": {"id": int, "report_id": int, "rule": str, "scope": str, "detail": str, "figure": str,
                    "value": NUMBER, "other_value": NUMBER, "other_report_id": int, "figures": str},
        "pk": "id",
        "foreign_keys": [("report_id", "reports", "id"), ("other_report_id", "reports", "id")],
    },
    # Superseded versions keep their parsed figures so a reader can see what changed.
    "version_metrics": {
        "columns": {"report_id": int, "version": int, "table_key": str, "row_key": str, "col_key": str,
                    "value": NUMBER, "raw": str, "source": str},
        "pk": ("report_id", "version", "table_key", "row_key", "col_key", "source"),
        "foreign_keys": [("report_id", "reports", "id")],
    },
    "version_sections": {
        "columns": {"report_id": int, "version": int, "ordinal": int, "number": str, "key": str, "title": str,
                    "text": str},
        "pk": ("report_id", "version", "ordinal"),
        "foreign_keys": [("report_id", "reports", "id")],
    },
}

INDEXES = [
    ("captures", ["url"]), ("captures", ["crawl_id"]), ("captures", ["sha256"]),
    ("reports", ["url"], True), ("reports", ["report_year"]), ("reports", ["portal_id"]),
    ("metrics", ["table_key", "row_key", "col_key"]), ("checks", ["status"]),
    ("reports", ["issuer_key", "report_year"]), ("anomalies", ["report_id"]), ("anomalies", ["rule"]),
    ("columns", ["portal_id", "url"], True),
]


def _figure(column: str, table: str, row: str, col: str = "total", op: str = "max") -> str:
    condition = f"m.table_key = '{table}' and m.row_key {'like' if '%' in row else '='} '{row}' and m.col_key = '{col}'"
    return f"{op}(case when {condition} then m.value end) as {column}"


# The wide table a spreadsheet user wants: one row per report, the main figures as columns.
# Figures of different formats stay in columns of their own: they are not the same measure.
WIDE_FIGURES = [
    ("applications_new", "applications", "new_received"),
    ("applications_carried_over", "applications", "carried_over"),
    ("granted", "applications", "outcome.granted"),
    ("partially_granted", "applications", "outcome.partial"),
    ("withheld", "applications", "outcome.withheld.%", "total", "sum"),
    ("unable_to_provide", "applications", "outcome.unable.%", "total", "sum"),
    ("not_processed", "applications", "outcome.not_processed.%", "total", "sum"),
    ("other_outcome", "applications", "outcome.other%", "total", "sum"),
    ("outcome_total", "applications", "outcome.total"),
    ("carried_forward", "applications", "carried_forward"),
    ("applications_natural_person", "applications", "new_received", "natural_person"),
    ("review_total", "review_litigation", "review"),
    ("review_corrected", "review_litigation", "review", "corrected"),
    ("litigation_direct_total", "review_litigation", "litigation_direct"),
    ("litigation_after_review_total", "review_litigation", "litigation_after_review"),
    ("admin_license_decisions", "active_art20_5", "admin_license", "decisions"),
    ("admin_penalty_decisions", "active_art20_6", "admin_penalty", "decisions"),
    ("normative_docs_in_force", "active_art20_1", "normative_docs", "in_force"),
    ("fee_amount_wan", "active_art20_8", "admin_fees", "fee_amount_wan"),
    ("legacy_active_total", "legacy", "active.total", "value"),
    ("legacy_requests_total", "legacy", "requests.total", "value"),
    ("legacy_review_total", "legacy", "review.total", "value"),
    ("legacy_litigation_total", "legacy", "litigation.total", "value"),
    ("legacy_fees_total", "legacy", "fees.total", "value"),
]
_WIDE_COLUMNS = ",\n       ".join(_figure(*spec) for spec in WIDE_FIGURES)

# What changed after publication: figures and section text of each superseded version vs. the next one.
VIEWS = {
    "metric_changes": """
        select r.id as report_id, r.title, r.issuer, r.report_year, v.version as old_version, v.version + 1 as new_version,
               v.table_key, v.row_key, v.col_key, v.raw as old_raw, coalesce(n.raw, m.raw) as new_raw,
               v.value as old_value, coalesce(n.value, m.value) as new_value
        from version_metrics v
        join reports r on r.id = v.report_id
        left join version_metrics n on n.report_id = v.report_id and n.version = v.version + 1
             and n.table_key = v.table_key and n.row_key = v.row_key and n.col_key = v.col_key and n.source = v.source
        left join metrics m on m.report_id = v.report_id and r.version = v.version + 1
             and m.table_key = v.table_key and m.row_key = v.row_key and m.col_key = v.col_key and m.source = v.source
        where coalesce(n.raw, m.raw) is not v.raw""",
    "section_changes": """
        select r.id as report_id, r.title, r.issuer, r.report_year, v.version as old_version, v.version + 1 as new_version,
               v.ordinal, v.number, v.title as section_title, v.text as old_text, coalesce(n.text, s.text) as new_text
        from version_sections v
        join reports r on r.id = v.report_id
        left join version_sections n on n.report_id = v.report_id and n.version = v.version + 1 and n.ordinal = v.ordinal
        left join sections s on s.report_id = v.report_id and r.version = v.version + 1 and s.ordinal = v.ordinal
        where coalesce(n.text, s.text) is not v.text""",
    "report_figures": f"""
        select r.id as report_id, r.portal_id, r.issuer, r.region_code, r.level, r.report_year, r.format, r.title,
               {_WIDE_COLUMNS},
               (select count(*) from checks c where c.report_id = r.id and c.status = 'fail') as failed_checks,
               r.flags, r.url
        from reports r left join metrics m on m.report_id = r.id
        where r.kind = 'report'
        group by r.id""",
    # The heuristic rules across years of one body (report-formats.md §7): often broken, so a view to
    # read, not checks that fail a report.
    "cross_year_checks": """
        select cur.id as report_id, cur.issuer, cur.report_year, prev.id as previous_report_id,
               'X.carry' as rule, over.col_key as scope,
               fwd.value as previous_carried_forward, over.value as carried_over, null as expected,
               case when over.value is null or fwd.value is null then 'blank'
                    when over.value = fwd.value then 'pass' else 'fail' end as status
        from reports cur
        join reports prev on prev.issuer = cur.issuer and prev.report_year = cur.report_year - 1 and prev.kind = 'report'
        join metrics over on over.report_id = cur.id and over.table_key = 'applications' and over.row_key = 'carried_over'
        join metrics fwd on fwd.report_id = prev.id and fwd.table_key = 'applications'
             and fwd.row_key = 'carried_forward' and fwd.col_key = over.col_key
        where cur.kind = 'report'
        union all
        select cur.id, cur.issuer, cur.report_year, prev.id, 'X.in_force', now.row_key,
               was.value, now.value, was.value + coalesce(issued.value, 0) - coalesce(repealed.value, 0),
               case when now.value is null or was.value is null then 'blank'
                    when now.value = was.value + coalesce(issued.value, 0) - coalesce(repealed.value, 0) then 'pass'
                    else 'fail' end
        from reports cur
        join reports prev on prev.issuer = cur.issuer and prev.report_year = cur.report_year - 1
             and prev.kind = 'report' and prev.format = 'gov2021'
        join metrics now on now.report_id = cur.id and now.table_key = 'active_art20_1' and now.col_key = 'in_force'
        join metrics was on was.report_id = prev.id and was.table_key = 'active_art20_1'
             and was.row_key = now.row_key and was.col_key = 'in_force'
        left join metrics issued on issued.report_id = cur.id and issued.table_key = 'active_art20_1'
             and issued.row_key = now.row_key and issued.col_key = 'issued'
        left join metrics repealed on repealed.report_id = cur.id and repealed.table_key = 'active_art20_1'
             and repealed.row_key = now.row_key and repealed.col_key = 'repealed'
        where cur.kind = 'report' and cur.format = 'gov2021'""",
    "changed_reports": """
        select r.id as report_id, r.title, r.issuer, r.report_year, r.url, r.version as versions, r.first_seen,
               r.last_seen,
               (select count(*) from metric_changes c where c.report_id = r.id) as changed_figures,
               (select count(*) from section_changes c where c.report_id = r.id) as changed_sections
        from reports r where r.version > 1""",
}


def _seed_labels(db: sqlite_utils.Database) -> None:
    """metric_labels follows the format definitions: rewritten when they changed, ids stable by key order."""
    labels = metric_labels()
    table = db["metric_labels"]
    if table.count == len(labels):
        return
    table.delete_where()
    table.insert_all({"id": i, **row} for i, row in enumerate(labels, start=1))
    db.execute("update metrics set label_id = (select l.id from metric_labels l where l.table_key = metrics.table_key "
               "and l.row_key = metrics.row_key and l.col_key = metrics.col_key)")


def label_ids(db: sqlite_utils.Database) -> dict[tuple[str, str, str], int]:
    return {(r["table_key"], r["row_key"], r["col_key"]): r["id"]
            for r in db.query("select id, table_key, row_key, col_key from metric_labels")}


class Database(sqlite_utils.Database):
    """Transactions take the write lock when they begin (BEGIN IMMEDIATE). Two processes may write one database at
    once (a crawl and a reparse or an ingest; only two crawls exclude each other): a deferred
    transaction that read before the other's commit could not write after it (SQLITE_BUSY_SNAPSHOT, "database is
    locked", which no busy timeout waits out), and the crawl lost that report."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:  # a savepoint, as sqlite-utils nests
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def open_database(path: str | Path) -> Database:
    """Open (creating or migrating) the database, in WAL mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.enable_wal()
    # a writer waits for the other's transaction (a report's takes milliseconds) rather than fail after 5 s
    db.execute("PRAGMA busy_timeout = 30000")
    # WAL with NORMAL: a commit is atomic and never corrupts the file; only a power cut may undo the commits since
    # the last checkpoint (their pages are in the WARC and are fetched again). FULL made every commit an fsync, the
    # crawl's largest single cost (about 11 commits a request)
    db.execute("PRAGMA synchronous = NORMAL")
    # a checkpoint every 10,000 pages (40 MB of WAL), not SQLite's 1,000: a report's index pages are rewritten by the
    # next reports, and each checkpoint copied them again (a quarter of storing a report); after one, the WAL file
    # is cut back to 64 MB
    db.execute("PRAGMA wal_autocheckpoint = 10000")
    db.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    with db.atomic():
        for name, spec in TABLES.items():
            table = db.table(name)
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys"))
            else:
                missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
                for column, col_type in missing.items():
                    table.add_column(column, col_type)
        for name, columns, *unique in INDEXES:
            db.table(name).create_index(columns, unique=bool(unique and unique[0]), if_not_exists=True)
        coverage.seed(db)
        _seed_labels(db)
        for name, sql in {**VIEWS, **coverage.VIEWS}.items():
            db.create_view(name, sql, replace=True)
        search.ensure_indexes(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
