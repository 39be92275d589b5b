"""The database tables and columns that interfaces.md promises to users and scripts."""

from __future__ import annotations

import threading

from archive.schema import open_database
from archive.store import Store
from parsers import PARSER_VERSION, parse

from . import portal_sites

CONTRACT = {
    "portals": ["id", "name", "region_code", "level", "start_urls"],
    "crawls": ["id", "started_at", "finished_at", "status", "requests", "new_reports", "changed_reports", "errors"],
    "captures": ["id", "crawl_id", "url", "fetched_at", "http_status", "content_type", "encoding", "sha256", "size",
                 "warc_file", "warc_offset", "error"],
    "reports": ["id", "url", "portal_id", "title", "issuer", "region_code", "report_year", "published_date", "format",
                "source_type", "capture_id", "sha256", "version", "first_seen", "last_seen", "flags"],
    "report_versions": ["report_id", "version", "sha256", "capture_id", "first_seen", "last_seen"],
    "sections": ["report_id", "ordinal", "number", "key", "title", "text"],
    "metrics": ["report_id", "table_key", "row_key", "col_key", "value", "raw", "source"],
    "checks": ["report_id", "rule", "scope", "status", "detail"],
    "attachments": ["report_id", "url", "filename", "mime", "capture_id", "sha256"],
}


def test_contract_tables_and_columns_exist(tmp_path):
    db = open_database(tmp_path / "n.db")
    for table, columns in CONTRACT.items():
        assert set(columns) <= set(db[table].columns_dict), table
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_opening_an_older_database_adds_missing_columns(tmp_path):
    db = open_database(tmp_path / "n.db")
    db.execute("create table if not exists tmp_reports as select * from reports")
    db["reports"].drop()
    db.execute("create table reports (id integer primary key, url text)")
    db.conn.commit()
    db = open_database(tmp_path / "n.db")
    assert set(CONTRACT["reports"]) <= set(db["reports"].columns_dict)


def test_metric_values_keep_integers_and_decimals(tmp_path):
    db = open_database(tmp_path / "n.db")
    db["metrics"].insert_all([
        {"report_id": 1, "table_key": "t", "row_key": "r", "col_key": "a", "value": 3, "source": "table"},
        {"report_id": 1, "table_key": "t", "row_key": "r", "col_key": "b", "value": 0.35, "source": "table"},
    ])
    assert [tuple(r) for r in db.execute("select value, typeof(value) from metrics order by col_key")] == [
        (3, "integer"), (0.35, "real")]


def test_two_connections_writing_at_once_lose_nothing(tmp_path):
    """A crawl storing reports while another process (a reparse, an ingest) writes the same database: a report's
    transaction reads before it writes, and must wait for the other's commit, not fail (SQLITE_BUSY_SNAPSHOT)."""
    report = parse(portal_sites.report(2021), url="http://127.0.0.1/r.html", content_type="text/html")
    errors: list[BaseException] = []

    def write_reports() -> None:
        store = Store(tmp_path / "n.db")
        try:
            for i in range(40):
                store.save_report(report, url=f"http://127.0.0.1/r{i}.html", portal_id=None, capture_id=None,
                                  sha256=str(i), seen_at="2022-01-20", parser_version=PARSER_VERSION)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    captures = Store(tmp_path / "n.db")
    writer = threading.Thread(target=write_reports)
    writer.start()
    ids = []
    while writer.is_alive() or len(ids) < 100:
        ids.append(captures.add_capture({"url": f"http://127.0.0.1/c{len(ids)}", "http_status": 200}))
        captures.update_capture(ids[-1], {"encoding": "utf-8"})
    writer.join()
    assert errors == []
    assert captures.db["reports"].count == 40
    assert next(captures.db.query("select count(distinct report_id) n from metrics"))["n"] == 40
    assert captures.db.execute("select count(*) from captures where encoding = 'utf-8'").fetchone()[0] == len(ids)
