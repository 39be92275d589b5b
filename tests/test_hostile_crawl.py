"""A crawl against a portal at its worst, and storage that gives out: recorded, loud, nothing stored lost."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import brotli
import pytest
import sqlite_utils
import yaml
import zstandard

from archive.store import Store
from crawler.run import CrawlLocked, _resume_skip, crawl_lock

from .conftest import nianbao
from .portal_sites import listing, report
from .servers import Answer, Site
from .test_search_serve import datasette_get


def registry(tmp_path: Path, base_url: str, **hints) -> Path:
    path = tmp_path / "p.yml"
    entry = {"id": "worst", "name": "示范县人民政府", "start_urls": [f"{base_url}/index.html"], **hints}
    path.write_text(yaml.safe_dump({"portals": [entry]}, allow_unicode=True), "utf-8")
    return path


def crawl(tmp_path: Path, base_url: str, db: Path | None = None, archive: Path | None = None, **hints):
    return nianbao("crawl", "--portals", str(registry(tmp_path, base_url, **hints)),
                   "--db", str(db or tmp_path / "n.db"), "--archive", str(archive or tmp_path / "archive"),
                   "--delay", "0", "--quiet", cwd=tmp_path)


def test_traps_long_urls_bombs_and_every_content_encoding(tmp_path):
    encoded = {"br": brotli.compress, "zstd": zstandard.ZstdCompressor().compress,
               "gzip, gzip": lambda body: gzip.compress(gzip.compress(body))}
    links = [(f"/r{i}.html", f"示范县{2019 + i}年政府信息公开工作年度报告") for i in range(len(encoded))]
    links += [("/" + "a" * 2100 + ".html", "示范县2018年政府信息公开工作年度报告"),
              ("/bomb.html", "示范县2017年政府信息公开工作年度报告"), ("/cal/1.html", "下一页")]
    with Site() as site:
        site.answers["/index.html"] = Answer(listing(links))
        for i, (coding, encode) in enumerate(encoded.items()):
            site.answers[f"/r{i}.html"] = Answer(encode(report(2019 + i)), headers={"Content-Encoding": coding})
        # 1 KB on the wire, 100 MB inflated: past the download cap once decompressed
        site.answers["/bomb.html"] = Answer(gzip.compress(b" " * (100 * 2**20)), headers={"Content-Encoding": "gzip"})
        # a calendar: every page links to the next one, for ever
        site.get = lambda path: (Answer(listing([(f"/cal/{int(path[5:-5]) + 1}.html", "下一页")]))
                                 if path.startswith("/cal/") else None)
        result = crawl(tmp_path, site.base_url, max_list_pages=25)
        calendar = [s.path for s in site.requests if s.path.startswith("/cal/")]
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert sorted(r["report_year"] for r in db["reports"].rows) == [2019, 2020, 2021]
    assert next(db.query("select count(*) n from metrics"))["n"] == 198 + 198 + 200
    assert len(calendar) == 24  # index.html is the 25th list page
    errors = {row["url"][-40:]: row["error"] for row in db.query("select url, error from captures where error is not null")}
    assert any("budget of 25 pages" in e for e in errors.values())
    assert any("URL of 2" in e and "not fetched" in e for e in errors.values())
    bomb = next(db.query("select * from captures where url like '%/bomb.html'"))
    assert bomb["http_status"] == 200 and "IgnoreRequest" in bomb["error"]
    before = list(db.query("select report_id, table_key, row_key, col_key, value from metrics order by 1, 2, 3, 4"))
    again = nianbao("reparse", "--db", str(tmp_path / "n.db"), "--archive", str(tmp_path / "archive"), cwd=tmp_path)
    assert again.returncode == 0 and "reparsed 3 reports" in again.stdout, again.stdout + again.stderr
    assert list(db.query("select report_id, table_key, row_key, col_key, value from metrics order by 1, 2, 3, 4")) == before


def test_resume_skips_what_every_killed_run_since_the_last_finished_one_stored(tmp_path):
    store = Store(tmp_path / "n.db")
    finished = store.start_crawl([])
    store.finish_crawl(finished, "finished", {})
    urls = []
    for kill in range(3):  # three kills in a row, each storing one report
        crawl_id = store.start_crawl([])
        capture = store.add_capture({"crawl_id": crawl_id, "url": f"http://127.0.0.1/{kill}.html", "http_status": 200})
        store.db["reports"].insert({"url": f"http://127.0.0.1/{kill}.html", "capture_id": capture, "kind": "report"})
        urls.append(f"http://127.0.0.1/{kill}.html")
        if kill < 2:
            _resume_skip(store)  # the restart that was killed again
    assert _resume_skip(store) == set(urls)
    assert [r["status"] for r in store.db.query("select status from crawls order by id")] == [
        "finished", "interrupted", "interrupted", "interrupted"]


def test_the_crawl_lock_holds_through_a_symlinked_database_path(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with crawl_lock(tmp_path / "real" / "n.db"), pytest.raises(CrawlLocked), crawl_lock(tmp_path / "link" / "n.db"):
        pass


def test_a_crawl_leaves_no_control_token_behind(tmp_path):
    jobs = Path.home() / ".local" / "state" / "scrapy" / "job_files"
    before = set(jobs.glob("*")) if jobs.exists() else set()
    with Site() as site:
        site.answers["/index.html"] = Answer(listing([("/r.html", "示范县2021年政府信息公开工作年度报告")]))
        site.answers["/r.html"] = Answer(report(2021))
        assert crawl(tmp_path, site.base_url).returncode == 0
    assert (set(jobs.glob("*")) if jobs.exists() else set()) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system of its own (tmpfs), so that the disk really fills up."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def big_portal(site: Site, count: int = 12) -> None:
    links = [(f"/r{i}.html", f"示范县{2010 + i}年政府信息公开工作年度报告") for i in range(count)]
    site.answers["/index.html"] = Answer(listing(links))
    for i in range(count):  # random padding: the archive's gzip cannot squeeze it
        padding = b"<!-- " + os.urandom(300_000).hex().encode() + b" -->"
        site.answers[f"/r{i}.html"] = Answer(report(2021).replace(b"</body>", padding + b"</body>"))


def test_archive_on_a_full_disk_fails_loudly_and_keeps_what_it_stored(tmp_path, small_disk):
    with Site() as site:
        big_portal(site)
        result = crawl(tmp_path, site.base_url, archive=small_disk / "archive")
    assert result.returncode == 1
    assert "failed: archive" in result.stdout and "No space left" in result.stdout + result.stderr
    db = sqlite_utils.Database(tmp_path / "n.db")
    crawl_row = next(db["crawls"].rows)
    assert crawl_row["status"].startswith("failed: archive")
    assert 0 < db["reports"].count < 12
    assert list(db.query("pragma integrity_check"))[0]["integrity_check"] == "ok"


def test_database_on_a_full_disk_fails_loudly_and_keeps_what_it_stored(tmp_path, small_disk):
    with Site() as site:
        big_portal(site, 40)
        result = crawl(tmp_path, site.base_url, db=small_disk / "n.db")
    assert result.returncode == 1, result.stdout
    assert "failed" in result.stdout + result.stderr and "full" in (result.stdout + result.stderr).lower()
    copy = tmp_path / "copy.db"
    shutil.copy(small_disk / "n.db", copy)
    for suffix in ("-wal", "-shm"):
        if (small_disk / f"n.db{suffix}").exists():
            shutil.copy(small_disk / f"n.db{suffix}", tmp_path / f"copy.db{suffix}")
    db = sqlite_utils.Database(copy)
    assert list(db.query("pragma integrity_check"))[0]["integrity_check"] == "ok"
    stored = db["reports"].count
    assert stored > 0 and next(db.query("select count(distinct report_id) n from metrics"))["n"] == stored


def test_a_public_datasette_caps_memory_hides_paths_and_answers_bad_paths_with_4xx(tmp_path):
    store = Store(tmp_path / "x.db")
    store.db["reports"].insert({"url": "http://127.0.0.1/x", "title": "![t](http://127.0.0.2/track.png)", "kind": "report"})
    db = tmp_path / "x.db"
    assert datasette_get("/x.json?sql=select+length(zeroblob(1000000000))", db).status_code == 400
    tokenizer = datasette_get("/x.json?sql=select+fts3_tokenizer('simple')+as+t&_shape=array", db)
    assert tokenizer.status_code == 200 and tokenizer.json() == [{"t": None}]  # no heap address
    for path in ("/-/databases.json", "/-/databases"):
        response = datasette_get(path, db)
        assert response.status_code == 404 and str(tmp_path) not in response.text
    assert datasette_get("/x/metrics/1", db).status_code == 404
    assert datasette_get("/x/reports.json?_sort=nosuch", db).status_code == 400
    page = datasette_get("/x?sql=select+'![t](http://127.0.0.2/t.png)'+as+note_markdown", db).text
    assert "<img" not in page


def test_the_list_page_budget_counts_distinct_pages_not_repeated_pager_links(tmp_path):
    pages = 8
    pager = [(f"/col/{n}.html", str(n)) for n in range(1, pages + 1)]  # every page links to every page
    with Site() as site:
        site.answers["/index.html"] = Answer(listing(pager))
        for n in range(1, pages + 1):
            site.answers[f"/col/{n}.html"] = Answer(listing(
                [*pager, (f"/r{n}.html", f"示范县{2010 + n}年政府信息公开工作年度报告")]))
            site.answers[f"/r{n}.html"] = Answer(report(2021))
        first = tmp_path / "first"
        first.mkdir()
        assert crawl(first, site.base_url).returncode == 0
        distinct = next(sqlite_utils.Database(first / "n.db").query(
            "select count(distinct url) n from captures where role = 'list'"))["n"]
        result = crawl(tmp_path, site.base_url, max_list_pages=distinct)  # exactly what the column has
    assert result.returncode == 0, result.stderr[-2000:]
    assert distinct < pages * pages  # the pager links, counted each time, would have spent it many times over
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert db["reports"].count == pages
    assert not list(db.query("select 1 from captures where error like 'list-page budget%'"))
