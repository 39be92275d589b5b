"""Discovery: from a county portal's homepage to every body's report column, on loopback portals of three layouts
(tests/discovery_sites.py), with look-alikes, ordinary pages, a robots-disallowed search and a link off the site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
import yaml

from crawler.discovery import Role, full_body_name, judge, level_of
from crawler.families import Link
from crawler.registry_tools import import_csv

from .conftest import nianbao
from .discovery_sites import LAYOUTS
from .servers import Site
from .test_search_serve import datasette_get


def write_registry(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "portals.yml"
    path.write_text(yaml.safe_dump({"portals": entries}, allow_unicode=True), "utf-8")
    return path


def home_entry(site: Site) -> dict:
    return {"id": "shifan", "name": "示范县人民政府", "level": "county", "region_code": "450721",
            "home_url": site.base_url + "/index.html"}


def run(tmp_path: Path, registry: Path, command: str = "crawl", *extra: str) -> sqlite_utils.Database:
    result = nianbao(command, "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--archive",
                     str(tmp_path / "archive"), "--delay", "0", *extra, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(tmp_path / "n.db")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_body_report_from_the_homepage_alone(tmp_path, layout):
    with Site(host="127.0.0.1") as site, Site(host="127.0.0.2") as elsewhere:
        portal, expected = LAYOUTS[layout](site, elsewhere.base_url)
        site_pages = len([p for p in site.answers if p not in ("/robots.txt", "/")])
        db = run(tmp_path, write_registry(tmp_path, [home_entry(site)]))
    stored = {path_of(r["url"]): r for r in db.query("select * from reports where kind = 'report'")}
    assert set(stored) == set(expected.reports), "every report found, nothing else stored"
    assert not set(stored) & expected.never
    for path, issuer in expected.reports.items():
        assert stored[path]["issuer"] == issuer, path
    # a page that names no issuer takes its column's body, marked as such
    sources = {r["issuer_source"] for r in stored.values()}
    assert sources <= {"report", "column"}
    # evidence of where each report was found: its column, with the body as the site names it
    columns = {path_of(c["url"]): c for c in db.query("select * from columns")}
    for path, body in expected.columns.items():
        assert path in columns, f"column {path} not found"
        assert columns[path]["body"] == body
        assert columns[path]["found_via"].startswith("首页 › ")
    assert all(r["column_id"] for r in stored.values())
    # not the whole site: robots kept, nothing fetched off the site, well under half the site's pages
    requested = [path_of(s.path) for s in site.requests]
    assert not [p for p in requested if p.startswith("/search/")], "robots.txt disallows the search"
    assert elsewhere.requests == [], "an off-site link is not followed"
    assert [p for p in set(requested) if requested.count(p) > 1] == [], "no page fetched twice"
    assert len(requested) < site_pages / 2, f"{len(requested)} requests for a site of {site_pages} pages"
    health = db["portal_health"].get(("shifan", 1))
    assert health["status"] == "ok" and health["columns_found"] == len(columns)
    if layout == "tree":  # the report page says where the report was found and whose body named it
        unnamed = next(r for r in stored.values() if r["issuer_source"] == "column")
        page = datasette_get(f"/-/nianbao/report/{unnamed['id']}", tmp_path / "n.db").text
        assert "取自所在栏目" in page and "乡镇信息公开 › " in page and unnamed["issuer"] in page


def test_discover_writes_a_registry_of_every_body_that_crawls_the_same_reports(tmp_path):
    with Site(host="127.0.0.1") as site, Site(host="127.0.0.2") as elsewhere:
        _, expected = LAYOUTS["tree"](site, elsewhere.base_url)
        out = tmp_path / "found.yml"
        result = nianbao("discover", "--portals", str(write_registry(tmp_path, [home_entry(site)])), "--db",
                         str(tmp_path / "d.db"), "--archive", str(tmp_path / "a"), "--delay", "0", "-o", str(out),
                         cwd=tmp_path, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        reports_fetched = [s for s in site.requests if "/t20" in s.path]
        entries = yaml.safe_load(out.read_text("utf-8"))["portals"]
        crawl_dir = tmp_path / "again"
        crawl_dir.mkdir()
        db = run(crawl_dir, out)
    assert reports_fetched == [], "discover only finds the columns"
    assert sqlite_utils.Database(tmp_path / "d.db")["portal_health"].count == 0, "no report fetched is no regression"
    names = {e["name"]: e for e in entries}
    assert set(names) == {"示范县人民政府"} | {full_body_name(b, "示范县人民政府") for b in expected.columns.values() if b}
    assert names["示范县发展和改革局"]["level"] == "department" and names["示范县城关镇"]["level"] == "township"
    assert len({e["id"] for e in entries}) == len(entries)
    stored = {path_of(r["url"]) for r in db.query("select url from reports where kind = 'report'")}
    assert stored == set(expected.reports)


def test_rediscovery_records_a_moved_column(tmp_path):
    with Site(host="127.0.0.1") as site, Site(host="127.0.0.2") as elsewhere:
        LAYOUTS["vsb"](site, elsewhere.base_url)
        # no region in the entry: the pages' SiteIDCode gives it
        registry = write_registry(tmp_path, [{k: v for k, v in home_entry(site).items() if k != "region_code"}])
        run(tmp_path, registry)
        # the portal is redesigned: one body's column moves to a new address
        old, new = "/dw/d0/list.htm", "/dw/d0/nb/index.htm"
        site.answers[new] = site.answers.pop(old)
        body_page = site.answers["/dw/d0.htm"]
        body_page.body = body_page.body.replace(b'href="/dw/d0/list.htm"', b'href="/dw/d0/nb/index.htm"')
        db = run(tmp_path, registry)
    columns = {path_of(c["url"]): c for c in db.query("select * from columns")}
    assert columns[old]["moved_to"] == columns[new]["id"]
    assert columns[new]["body"] == columns[old]["body"]
    assert db["portal_health"].get(("shifan", 2))["status"] == "ok"
    regions = {(r["site_id"], r["region_code"]) for r in db.query("select site_id, region_code from reports")}
    assert regions == {("4507210001", "450721")}


@pytest.mark.parametrize(("text", "role"), [
    ("政务公开", Role.TOWARD), ("政府信息公开", Role.TOWARD), ("法定主动公开内容", Role.TOWARD),
    ("政府信息公开年报", Role.COLUMN), ("年报", Role.COLUMN), ("信息公开年度报告", Role.COLUMN),
    ("部门信息公开", Role.CATALOGUE), ("乡镇(街道)信息公开", Role.CATALOGUE),
    ("新闻中心", None), ("政务服务", None), ("互动交流", None), ("政府信息公开指南", None), ("依申请公开", None),
    ("政府工作报告", None), ("统计公报", None), ("财政预决算", None), ("企业年报公示", None), ("统计年报", None),
    ("法治政府建设年度报告", None), ("政策解读", None),
    ("示范县2023年政府信息公开工作年度报告", Role.REPORT),
    ("示范县召开2023年度政府信息公开工作年度报告编制培训会", None),
])
def test_navigation_link_judged_by_its_text(text, role):
    step = judge(Link("http://127.0.0.1/zwgk/a/index.html" if role is not Role.REPORT else
                      "http://127.0.0.1/zwgk/a/202401/t20240115_1.html", text), "http://127.0.0.1/", catalogue=False)
    assert (step.role if step else None) is role


def test_bodies_followed_only_on_catalogue_pages():
    link = Link("http://127.0.0.1/bm/fgj/index.html", "县发展和改革局")
    assert judge(link, "http://127.0.0.1/bm/index.html", catalogue=True).role is Role.BODY
    assert judge(link, "http://127.0.0.1/index.html", catalogue=False) is None
    assert level_of("城关镇", "county") == "township" and level_of("县统计局", "county") == "department"
    assert full_body_name("县发改局", "灵山县人民政府") == "灵山县发改局"
    assert full_body_name("城关镇", "灵山县人民政府") == "灵山县城关镇"
    assert full_body_name("灵山县财政局", "灵山县人民政府") == "灵山县财政局"


def test_registry_import_from_a_list_of_homepages(tmp_path):
    csv_text = ("code,name,url\n450721,灵山县人民政府,https://www.lingshan.gov.cn/\n"
                "450700,钦州市人民政府,http://www.qinzhou.gov.cn/\n")
    entries = import_csv(csv_text)
    assert entries[0] == {"id": "lingshan", "name": "灵山县人民政府", "region_code": "450721", "level": "county",
                          "province": "广西壮族自治区", "city": "钦州市", "home_url": "https://www.lingshan.gov.cn/"}
    assert entries[1]["level"] == "city" and entries[1]["id"] == "qinzhou"
    source = tmp_path / "list.csv"
    source.write_text(csv_text + "999999,无此地,http://x.gov.cn/\n", "utf-8")
    result = nianbao("registry", "import", str(source), "-o", str(tmp_path / "r.yml"), cwd=tmp_path)
    assert result.returncode == 2 and "row 3" in result.stderr and "999999" in result.stderr
    source.write_text(csv_text, "utf-8")
    result = nianbao("registry", "import", str(source), "-o", str(tmp_path / "r.yml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [e["id"] for e in yaml.safe_load((tmp_path / "r.yml").read_text("utf-8"))["portals"]] == ["lingshan", "qinzhou"]
