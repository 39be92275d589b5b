"""The archive as evidence: byte-exact WARC records, versions of changed reports, re-parse, resume after kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import sqlite_utils
import yaml

from archive import search
from archive.warc import WarcArchive, read_record
from crawler.demo import demo_portals, demo_site_dir

from .conftest import NIANBAO, nianbao
from .servers import Answer, Site

REPORT_2022 = "shifan/zwgk/xxgknb/202301/t20230120_5001.html"


@pytest.fixture
def site_copy(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(demo_site_dir(), root)
    with Site(root) as site:
        yield site, root


def registry(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "portals.yml"
    portals = [{k: v for k, v in p.row().items() if v not in (None, {}, [])} for p in demo_portals(base_url)]
    path.write_text(yaml.safe_dump({"portals": portals}, allow_unicode=True), "utf-8")
    return path


def crawl_args(tmp_path: Path, base_url: str) -> list[str]:
    return ["crawl", "--portals", str(registry(tmp_path, base_url)), "--db", str(tmp_path / "n.db"),
            "--archive", str(tmp_path / "archive"), "--delay", "0", "--quiet"]


def run_crawl(tmp_path: Path, base_url: str) -> sqlite_utils.Database:
    result = nianbao(*crawl_args(tmp_path, base_url), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(tmp_path / "n.db")


def test_changed_report_becomes_version_2_and_both_are_kept(tmp_path, site_copy):
    site, root = site_copy
    db = run_crawl(tmp_path, site.base_url)
    page = root / REPORT_2022
    old = page.read_bytes()
    report = next(db.query("select * from reports where url like ?", [f"%{REPORT_2022}"]))
    granted = next(db.query("select raw from metrics where report_id = ? and row_key = 'outcome.granted' and "
                            "col_key = 'natural_person'", [report["id"]]))["raw"]
    # the first value cell after the 予以公开 label is natural_person of outcome.granted
    text = old.decode("utf-8")
    cell = text.index(f"<td>{granted}</td>", text.index("予以公开"))
    changed = (text[:cell] + f"<td>{int(granted) + 100}</td>" + text[cell + len(f"<td>{granted}</td>"):]).encode()
    page.write_bytes(changed)
    later = time.time() + 5
    os.utime(page, (later, later))

    db = run_crawl(tmp_path, site.base_url)
    report = next(db.query("select * from reports where url like ?", [f"%{REPORT_2022}"]))
    assert report["version"] == 2 and db["reports"].count == 10
    versions = list(db.query("select * from report_versions where report_id = ? order by version", [report["id"]]))
    assert [v["version"] for v in versions] == [1, 2] and versions[0]["sha256"] != versions[1]["sha256"]
    # the first version's bytes are still in the archive
    first = db["captures"].get(versions[0]["capture_id"])
    assert read_record(tmp_path / "archive", first["warc_file"], first["warc_offset"]).raw_payload == old
    changes = list(db.query("select * from metric_changes where report_id = ?", [report["id"]]))
    assert [(c["row_key"], c["col_key"], c["old_raw"], c["new_raw"]) for c in changes] == [
        ("outcome.granted", "natural_person", granted, str(int(granted) + 100))]
    assert next(db.query("select * from changed_reports"))["changed_figures"] == 1
    # the other five reports were visits, not new versions
    second = list(db.query("select * from crawls order by id"))[-1]
    assert (second["new_reports"], second["changed_reports"], second["unchanged_reports"]) == (0, 1, 9)


def test_reparse_rebuilds_the_same_rows_from_the_archive_alone(tmp_path, demo_site_static):
    db = run_crawl(tmp_path, demo_site_static.base_url)
    tables = ("sections", "metrics", "checks")
    before = {t: sorted(tuple(r.values()) for r in db[t].rows) for t in tables}
    copy = tmp_path / "copy.db"
    shutil.copy(tmp_path / "n.db", copy)
    copied = sqlite_utils.Database(copy)
    for table in tables:
        copied.execute(f"delete from {table}")
    copied.conn.commit()
    result = nianbao("reparse", "--db", str(copy), "--archive", str(tmp_path / "archive"))
    assert result.returncode == 0, result.stderr
    assert "reparsed 10 reports" in result.stdout
    after = {t: sorted(tuple(r.values()) for r in sqlite_utils.Database(copy)[t].rows) for t in tables}
    assert after == before


def test_reparse_keeps_unchanged_sections_and_reindexes_changed_ones(tmp_path, demo_site_static):
    db = run_crawl(tmp_path, demo_site_static.base_url)
    older = next(db.query("select rowid, report_id, ordinal, text from sections where length(text) > 40 order by rowid"))
    kept_sql = "select rowid, text from sections where report_id != ? order by rowid"
    kept = list(db.query(kept_sql, [older["report_id"]]))
    # an older parser's reading of one section, indexed as the store indexes
    search.unindex(db, "sections_search", [older["rowid"]])
    db.execute("update sections set text = '旧版解析器读出的文字' where rowid = ?", [older["rowid"]])
    search.add(db, "sections_search", [older["rowid"]])
    db.conn.commit()
    result = nianbao("reparse", "--db", str(tmp_path / "n.db"), "--archive", str(tmp_path / "archive"))
    assert result.returncode == 0 and "reparsed 10 reports" in result.stdout, result.stderr
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert list(db.query(kept_sql, [older["report_id"]])) == kept  # the same rows, not rewritten
    restored = next(db.query("select text from sections where report_id = ? and ordinal = ?",
                             [older["report_id"], older["ordinal"]]))
    assert restored["text"] == older["text"]
    assert search.search_page(db.conn, "旧版解析器")[0] == 0  # its old words left the index
    count, hits = search.search_page(db.conn, older["text"][10:20], size=500)
    assert older["report_id"] in {h["report_id"] for h in hits}
    assert count == len(hits) == len({h["rowid"] for h in hits})  # each section indexed once


@pytest.fixture
def demo_site_static():
    with Site(demo_site_dir()) as site:
        yield site


def test_gzip_response_is_archived_as_sent_and_parsed_decoded(tmp_path):
    page = (demo_site_dir() / REPORT_2022).read_bytes()
    listing = ('<html><body><a href="/r.html">示范县2022年政府信息公开工作年度报告</a></body></html>').encode()
    with Site() as site:
        site.answers["/index.html"] = Answer(listing)
        site.answers["/r.html"] = Answer(page, gzip=True)
        portals = tmp_path / "p.yml"
        portals.write_text(yaml.safe_dump({"portals": [{"id": "gz", "name": "示范县", "start_urls": [
            f"{site.base_url}/index.html"]}]}, allow_unicode=True), "utf-8")
        result = nianbao("crawl", "--portals", str(portals), "--db", str(tmp_path / "n.db"), "--archive",
                         str(tmp_path / "archive"), "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(tmp_path / "n.db")
    capture = next(db.query("select * from captures where url like '%/r.html'"))
    stored = read_record(tmp_path / "archive", capture["warc_file"], capture["warc_offset"])
    assert stored.raw_payload[:2] == b"\x1f\x8b" and stored.body == page
    assert ("Content-Encoding", "gzip") in stored.headers
    assert next(db.query("select count(*) n from metrics"))["n"] == 200


def test_warc_files_rotate_and_a_truncated_file_loses_only_its_tail(tmp_path):
    archive = WarcArchive(tmp_path, max_bytes=2000)
    from datetime import UTC, datetime

    locations = [archive.write_exchange(url=f"http://127.0.0.1/{i}", status=200, reason="OK", protocol="HTTP/1.1",
                                        response_headers=[("Content-Type", "text/html")],
                                        payload=os.urandom(900), method="GET", request_headers=[],
                                        fetched_at=datetime.now(UTC)) for i in range(6)]
    files = sorted({loc.file for loc in locations})
    assert len(files) >= 3
    last = tmp_path / locations[-1].file
    last.write_bytes(last.read_bytes()[: locations[-1].offset + 50])  # a crash in the middle of a record
    for location in locations[:-1]:
        assert read_record(tmp_path, location.file, location.offset).url.startswith("http://127.0.0.1/")
    with pytest.raises(Exception):  # noqa: B017 - warcio raises several kinds for a cut gzip member
        read_record(tmp_path, locations[-1].file, locations[-1].offset)


def test_crawl_killed_mid_way_resumes_without_refetching_or_duplicating(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(demo_site_dir(), root)
    with Site(root) as site:
        # slow report pages, so that the kill lands in the middle of the crawl
        for page in root.rglob("t20*.html"):
            path = "/" + page.relative_to(root).as_posix()
            site.answers[path] = Answer(page.read_bytes(), delay=0.8)
        args = [str(NIANBAO), *crawl_args(tmp_path, site.base_url)]
        process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        db_path = tmp_path / "n.db"
        deadline = time.time() + 60
        stored = 0
        while time.time() < deadline and stored < 2:
            time.sleep(0.2)
            if db_path.exists():
                try:
                    stored = sqlite_utils.Database(db_path)["reports"].count
                except Exception:  # noqa: BLE001 - the schema may not exist yet
                    stored = 0
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert 2 <= stored < 10, "the crawl should have been killed part way"
        first_urls = {r["url"] for r in sqlite_utils.Database(db_path).query("select url from reports")}
        seen_before = len(site.requests)

        result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr[-2000:]
        refetched = {s.path for s in site.requests[seen_before:]}
    db = sqlite_utils.Database(db_path)
    assert db["reports"].count == 10
    assert next(db.query("select count(distinct url) n from reports"))["n"] == 10
    crawls = list(db.query("select status from crawls order by id"))
    assert [c["status"] for c in crawls] == ["interrupted", "finished"]
    assert not any(url.endswith(path) for url in first_urls for path in refetched)
    assert list(db.query("pragma integrity_check"))[0]["integrity_check"] == "ok"


def test_archive_exports_as_a_valid_wacz_with_every_capture_indexed(tmp_path, demo_site_static):
    import gzip
    import zipfile

    from wacz.main import main as wacz_main

    db = run_crawl(tmp_path, demo_site_static.base_url)
    out = tmp_path / "crawl.wacz"
    result = nianbao("package", "--archive", str(tmp_path / "archive"), "--db", str(tmp_path / "n.db"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().count("\n") == 0 and "WARC files" in result.stdout  # one line; wacz's own talk elsewhere
    assert wacz_main(["validate", "-f", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        index = gzip.decompress(package.read("indexes/index.cdx.gz")).decode()
        pages = [json.loads(line) for line in package.read("pages/pages.jsonl").decode().splitlines()[1:]]
    urls = {r["url"] for r in db.query("select url from captures where http_status = 200")}
    assert urls and all(f'"url": "{url}"' in index for url in urls)
    reports = {r["url"]: r["title"] for r in db.query("select url, title from reports")}
    assert {p["url"]: p["title"] for p in pages} == reports  # the report pages, by their titles
    unknown = nianbao("package", "--archive", str(tmp_path / "archive"), "--db", str(tmp_path / "n.db"),
                      "-o", str(tmp_path / "x.wacz"), "--crawl", "99")
    assert unknown.returncode == 2 and "no crawl 99" in unknown.stderr


def test_package_without_warc_files_is_a_clear_error(tmp_path):
    result = nianbao("package", "--archive", str(tmp_path / "empty"), "-o", str(tmp_path / "x.wacz"))
    assert result.returncode == 2 and "no WARC files" in result.stderr
