"""The real spider (in its own process, as `nianbao crawl`) against the sample portals on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
import yaml
from warcio.archiveiterator import ArchiveIterator

from archive.warc import read_record
from crawler.demo import StaticSite, demo_portals, demo_site_dir

from .conftest import nianbao


@pytest.fixture
def demo_site():
    with StaticSite(demo_site_dir()) as site:
        yield site


def write_registry(path: Path, base_url: str) -> Path:
    portals = [{k: v for k, v in p.row().items() if v not in (None, {}, [])} for p in demo_portals(base_url)]
    path.write_text(yaml.safe_dump({"portals": portals}, allow_unicode=True), "utf-8")
    return path


def crawl(tmp_path: Path, base_url: str) -> str:
    registry = write_registry(tmp_path / "portals.yml", base_url)
    result = nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"),
                     "--archive", str(tmp_path / "archive"), "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_crawl_finds_every_report_through_both_kinds_of_pagination(tmp_path, demo_site):
    summary = crawl(tmp_path, demo_site.base_url)
    db = sqlite_utils.Database(tmp_path / "n.db")
    reports = {(r["portal_id"], r["report_year"], r["format"]) for r in db["reports"].rows}
    assert reports == {("shifan", 2022, "gov2021"), ("shifan", 2021, "gov2021"), ("shifan", 2020, "gov2019"),
                       ("shifan", 2019, "gov2019"), ("shifan", 2015, "legacy"), ("lingshan", 2017, "legacy"),
                       # a department's and a township's column, found from the homepages
                       ("shifan", 2023, "gov2021"), ("lingshan", 2023, "gov2021"), ("lingshan", 2022, "gov2021")}
    issuers = {r["issuer"] for r in db.query("select issuer from reports where report_year >= 2022")}
    assert issuers == {"示范县人民政府", "示范县教育局", "示范县城关镇人民政府", "灵山县财政局", "灵山县灵城镇人民政府"}
    bodies = {r["body_full"] for r in db.query("select body_full from columns")}
    assert bodies == {"示范县人民政府", "示范县教育局", "示范县城关镇", "灵山县人民政府", "灵山县财政局", "灵山县灵城镇"}
    # the notice about writing reports (on page 2 of the TRS column) is not a report
    assert not list(db.query("select 1 from reports where title like '%通知%'"))
    crawl_row = next(db["crawls"].rows)
    assert crawl_row["status"] == "finished" and crawl_row["new_reports"] == 10 and crawl_row["errors"] == 0
    assert "10 new" in summary and "shifan" in summary


def test_crawl_writes_sections_metrics_and_checks(tmp_path, demo_site):
    crawl(tmp_path, demo_site.base_url)
    db = sqlite_utils.Database(tmp_path / "n.db")
    report = next(db.query("select * from reports where report_year = 2022 and issuer = '示范县人民政府'"))
    metrics = {(m["table_key"], m["row_key"], m["col_key"]): m["value"]
               for m in db.query("select * from metrics where report_id = ?", [report["id"]])}
    assert len(metrics) == 200
    assert report["issuer"] == "示范县人民政府" and report["published_date"] == "2023-01-20"
    keys = [s["key"] for s in db.query("select key from sections where report_id = ? and number is not null "
                                       "and number not like '%（%' order by ordinal", [report["id"]])]
    assert keys == ["overview", "active_disclosure", "applications", "review_litigation", "problems", "other_matters"]
    statuses = {c["status"] for c in db.query("select status from checks where report_id = ?", [report["id"]])}
    assert statuses == {"pass"}
    failing = next(db.query("select id from reports where report_year = 2019"))
    assert list(db.query("select rule from checks where report_id = ? and status = 'fail'", [failing["id"]]))


def test_every_capture_is_in_the_warc_archive_byte_for_byte(tmp_path, demo_site):
    crawl(tmp_path, demo_site.base_url)
    db = sqlite_utils.Database(tmp_path / "n.db")
    captures = list(db["captures"].rows)
    assert captures and all(c["warc_file"] and c["sha256"] for c in captures)
    site_root = demo_site_dir()
    for capture in captures:
        stored = read_record(tmp_path / "archive", capture["warc_file"], capture["warc_offset"])
        assert stored.url == capture["url"]
        path = capture["url"].removeprefix(demo_site.base_url).lstrip("/")
        assert stored.raw_payload == (site_root / path).read_bytes()
    for warc in (tmp_path / "archive").glob("*.warc.gz"):
        with warc.open("rb") as handle:
            kinds = [record.rec_type for record in ArchiveIterator(handle)]
        assert kinds.count("response") == kinds.count("request")


def test_a_second_crawl_of_an_unchanged_site_stores_nothing_new(tmp_path, demo_site):
    crawl(tmp_path, demo_site.base_url)
    summary = crawl(tmp_path, demo_site.base_url)
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert db["reports"].count == 10
    second = list(db.query("select * from crawls order by id"))[-1]
    assert second["new_reports"] == 0 and second["unchanged_reports"] == 10, summary
    # known report pages were asked for conditionally and answered 304 Not Modified
    statuses = [c["http_status"] for c in db.query(
        "select http_status from captures where crawl_id = ? and role = 'report'", [second["id"]])]
    assert statuses and set(statuses) == {304}


def test_a_recheck_fetches_every_known_page_whole(tmp_path, demo_site):
    crawl(tmp_path, demo_site.base_url)
    registry = write_registry(tmp_path / "portals.yml", demo_site.base_url)
    result = nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--archive",
                     str(tmp_path / "archive"), "--delay", "0", "--recheck", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "n.db")
    statuses = {c["http_status"] for c in db.query("select http_status from captures where crawl_id = 2 and role = 'report'")}
    assert statuses == {200}  # no 304: nothing was asked for conditionally
    assert db["crawls"].get(2)["unchanged_reports"] == 10


def test_unknown_portal_id_is_a_clear_error(tmp_path, demo_site):
    registry = write_registry(tmp_path / "portals.yml", demo_site.base_url)
    result = nianbao("crawl", "--portals", str(registry), "--portal", "nowhere", "--db", str(tmp_path / "n.db"))
    assert result.returncode == 2 and "nowhere" in result.stderr


def test_a_second_crawl_on_the_same_database_waits_its_turn(tmp_path, demo_site):
    from crawler.run import crawl_lock

    registry = write_registry(tmp_path / "portals.yml", demo_site.base_url)
    with crawl_lock(tmp_path / "n.db"):  # as if a crawl were running
        result = nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--delay", "0")
    assert result.returncode == 1 and "another crawl is running" in result.stderr
