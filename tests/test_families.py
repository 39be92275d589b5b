"""The generic spider on imitations of each portal family and of hostile portals, all on loopback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
import yaml

from crawler.families import Link
from crawler.families.hanweb import proxy_requests, records
from crawler.families.trs import TRS
from crawler.links import canonical_url, looks_like_list, looks_like_report

from . import portal_sites
from .conftest import nianbao
from .portal_sites import listing, notice, report
from .servers import Answer, Site


def crawl_portal(tmp_path: Path, start_url: str, *extra: str) -> sqlite_utils.Database:
    registry = tmp_path / "portals.yml"
    registry.write_text(yaml.safe_dump({"portals": [{"id": "p", "name": "示范县人民政府", "level": "county",
                                                     "start_urls": [start_url]}]}, allow_unicode=True), "utf-8")
    result = nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--archive",
                     str(tmp_path / "archive"), "--delay", "0", *extra, cwd=tmp_path, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(tmp_path / "n.db")


def stored_paths(db: sqlite_utils.Database) -> list[str]:
    paths = []
    for row in db.query("select url from reports where kind = 'report'"):
        parts = urlsplit(row["url"])
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


@pytest.mark.parametrize("family", ["hanweb", "vsb", "kaipuyun", "year_columns", "paged_query"])
def test_every_report_and_nothing_else_once(tmp_path, family):
    with Site() as site:
        start, expected = getattr(portal_sites, family)(site)
        db = crawl_portal(tmp_path, site.base_url + start)
    stored = stored_paths(db)
    assert sorted(stored) == sorted(expected)  # recall, precision and no duplicates
    assert db["crawls"].get(1)["errors"] == 0


def test_hanweb_records_and_data_proxy_ranges():
    source = ('<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1'
              '&columnid=7&unitid=9"></a>]]></nextgroup><recordset><record><![CDATA[<li><a href="/art/2024/1/2/art_7_1.html"'
              ' title="2023年政府信息公开工作年度报告">2023年政府信息…</a></li>]]></record></recordset></datastore></script>'
              "<script>totalRecord: 100, perPage: 15</script>")
    assert records(source) == [Link("/art/2024/1/2/art_7_1.html", "2023年政府信息… 2023年政府信息公开工作年度报告")]
    ranges = [(r.form["startrecord"], r.form["endrecord"]) for r in proxy_requests("http://127.0.0.1/col/col7/", source)]
    assert ranges == [("2", "46"), ("47", "91"), ("92", "100")]
    assert all(r.method == "POST" and r.form["columnid"] == "7" for r in proxy_requests("http://127.0.0.1/", source))


def test_trs_pages_come_from_the_create_page_html_call():
    pages = TRS().pages("http://127.0.0.1/zwgk/xxgknb/index.html",
                        '<script>createPageHTML(3, 0, "index", "html");</script>')
    assert [p.url for p in pages] == ["http://127.0.0.1/zwgk/xxgknb/index.html", "http://127.0.0.1/zwgk/xxgknb/index_1.html",
                                      "http://127.0.0.1/zwgk/xxgknb/index_2.html"]


@pytest.mark.parametrize("text, url, report, column", [
    ("示范县2022年政府信息公开工作年度报告", "http://h/zwgk/202301/t20230120_5001.html", True, False),
    ("关于做好2022年度政府信息公开工作年度报告编制发布工作的通知", "http://h/zwgk/202212/t20221201_1.html", False, False),
    ("《示范县2022年政府信息公开工作年度报告》解读", "http://h/zwgk/202301/t20230121_2.html", False, False),
    ("2020", "http://h/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2020", True, False),
    ("示范县2022年政府信息公开工作年…", "http://h/art/2023/1/5/art_12_345.html", True, False),
    ("2021年度", "http://h/xxgknb/2021nd/index.html", False, True),
    ("政府信息公开年报", "http://h/zwgk/xxgknb/", False, True),
    ("下一页", "http://h/zwgk/xxgknb/index_1.html", False, True),
    ("政务动态", "http://h/col/col12/index.html", False, False),
    ("示范县审计局2010年政府信息公开工作情况", "http://h/zwgk/201102/t20110215_7.html", True, False),
    ("示范县召开2023年度政府信息公开工作年度报告编制培训会", "http://h/news/202401/t20240115_8.html", False, False),
    ("示范县企业年报公示工作的通告", "http://h/news/202401/t20240115_9.html", False, False),
])
def test_link_classification(text, url, report, column):
    link = Link(url, text)
    assert looks_like_report(link) is report
    assert looks_like_list(link, "http://h/zwgk/xxgknb/index.html") is column or (column and "2021" in text)


def test_canonical_urls_drop_tracking_only():
    assert canonical_url("HTTP://WWW.X.GOV.CN/a/t1.html?utm_source=wx&id=3#top") == "http://www.x.gov.cn/a/t1.html?id=3"


def test_hostile_portal_is_recorded_and_the_crawl_goes_on(tmp_path):
    good = "/zwgk/xxgknb/202401/t20240120_1.html"
    gbk_mislabelled = "/zwgk/xxgknb/202301/t20230120_2.html"
    cases = {
        "/zwgk/xxgknb/202201/t20220120_404.html": Answer(b"<html><body>404</body></html>", 404),
        "/zwgk/xxgknb/202201/t20220120_500.html": Answer(b"server error", 500),
        "/zwgk/xxgknb/202201/t20220120_521.html": Answer(b"<script>document.cookie='__jsl_clearance=1';"
                                                          b"location.reload()</script>", 521),
        "/zwgk/xxgknb/202201/t20220120_200.html": Answer(b"<html><script>var _0x=1;document.cookie='jsl_x';"
                                                          b"location.reload();</script></html>"),
        "/zwgk/xxgknb/202201/t20220120_slow.html": Answer(report(2021), delay=4),
        "/zwgk/xxgknb/202201/t20220120_cut.html": Answer(close_without_answer=True),
        "/zwgk/xxgknb/202201/t20220120_empty.html": Answer(b""),
        "/zwgk/xxgknb/202201/t20220120_bin.html": Answer(b"\x00\x01PK\x03\x04" * 200, content_type="text/html"),
    }
    with Site(host="127.0.0.2") as elsewhere, Site() as site:
        links = [(good, "示范县2023年政府信息公开工作年度报告"), (gbk_mislabelled, "示范县2022年政府信息公开工作年度报告"),
                 ("/private/t20240101_9.html", "示范县2019年政府信息公开工作年度报告"),
                 (elsewhere.base_url + "/t20240101_8.html", "他县2023年政府信息公开工作年度报告"),
                 ("/zwgk/xxgknb/202212/t20221201_7.html", "关于做好2022年度政府信息公开工作年度报告编制工作的通知")]
        links += [(path, f"示范县{n}号政府信息公开工作年度报告") for n, path in enumerate(cases)]
        site.answers["/zwgk/xxgknb/index.html"] = Answer(listing(links))
        site.answers["/robots.txt"] = Answer(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        site.answers[good] = Answer(report(2023))
        site.answers[gbk_mislabelled] = Answer(report(2022, charset="gbk"), content_type="text/html; charset=utf-8")
        site.answers["/private/t20240101_9.html"] = Answer(report(2019))
        site.answers["/zwgk/xxgknb/202212/t20221201_7.html"] = Answer(notice())
        site.answers.update(cases)
        db = crawl_portal(tmp_path, site.base_url + "/zwgk/xxgknb/index.html", "--timeout", "1")
        requested = {seen.path for seen in site.requests}
        assert not elsewhere.requests, "off-site links are never followed"
    assert "/private/t20240101_9.html" not in requested, "robots.txt is obeyed"
    assert sorted(stored_paths(db)) == sorted([good, gbk_mislabelled])
    gbk = next(db.query("select * from reports where url like ?", [f"%{gbk_mislabelled}"]))
    assert gbk["title"] == "示范县人民政府2022年政府信息公开工作年度报告"
    captures = {urlsplit(c["url"]).path: c for c in db.query("select * from captures")}
    assert captures["/zwgk/xxgknb/202201/t20220120_404.html"]["http_status"] == 404
    assert captures["/zwgk/xxgknb/202201/t20220120_500.html"]["http_status"] == 500
    assert captures["/zwgk/xxgknb/202201/t20220120_521.html"]["http_status"] == 521
    assert captures["/zwgk/xxgknb/202201/t20220120_200.html"]["error"] == "anti-bot challenge page"
    assert "Timeout" in captures["/zwgk/xxgknb/202201/t20220120_slow.html"]["error"]
    assert captures["/zwgk/xxgknb/202201/t20220120_cut.html"]["error"]
    assert "unparsable" in captures["/zwgk/xxgknb/202201/t20220120_bin.html"]["error"]
    crawl = db["crawls"].get(1)
    assert crawl["status"] == "finished" and crawl["errors"] >= 6


def test_report_whose_tables_are_in_a_pdf_attachment(tmp_path):
    from .portal_documents import report_pdf
    from .portal_pages import Chrome, ReportSpec, sample_cells, text_page

    spec = ReportSpec("gov2021", 2023, "示范县人民政府", sample_cells("gov2021", 2023))
    page = text_page("示范县2023年政府信息公开工作年度报告", "2024-01-20",
                     ["根据《中华人民共和国政府信息公开条例》，现公布示范县2023年政府信息公开工作年度报告。",
                      "详见附件。"], Chrome())
    link = '<a href="/files/2024/report-2023.pdf">附件：示范县2023年政府信息公开工作年度报告.pdf</a>'
    page = page.replace("详见附件。".encode(), link
                        .encode())
    with Site() as site:
        site.answers["/zwgk/xxgknb/index.html"] = Answer(listing([("/zwgk/xxgknb/202401/t20240120_1.html",
                                                                    "示范县2023年政府信息公开工作年度报告")]))
        site.answers["/zwgk/xxgknb/202401/t20240120_1.html"] = Answer(page)
        site.answers["/files/2024/report-2023.pdf"] = Answer(report_pdf(spec), content_type="application/pdf")
        db = crawl_portal(tmp_path, site.base_url + "/zwgk/xxgknb/index.html")
        first = len(site.requests)
        again = crawl_portal(tmp_path, site.base_url + "/zwgk/xxgknb/index.html")
        revisits = {seen.path: seen.headers for seen in site.requests[first:]}
    # one report: the page, with the attachment as its content (and listed as its attachment)
    (report_row,) = db["reports"].rows
    assert report_row["url"].endswith("/t20240120_1.html") and report_row["source_type"] == "pdf"
    assert report_row["title"] == "示范县2023年政府信息公开工作年度报告" and report_row["published_date"] == "2024-01-20"
    assert report_row["report_year"] == 2023 and report_row["format"] == "gov2021"
    attachment = next(db["attachments"].rows)
    assert attachment["filename"] == "report-2023.pdf" and attachment["mime"] == "application/pdf"
    assert attachment["report_id"] == report_row["id"]
    content = db["captures"].get(report_row["content_capture_id"])
    assert content["url"].endswith("/report-2023.pdf") and content["sha256"] == attachment["sha256"]
    assert next(db.query("select count(*) n from metrics where report_id = ?", [report_row["id"]]))["n"] == 200
    # the re-crawl asks for both conditionally and stores nothing new
    for path in ("/zwgk/xxgknb/202401/t20240120_1.html", "/files/2024/report-2023.pdf"):
        assert "If-Modified-Since" in revisits[path] or "If-None-Match" in revisits[path], path
    assert again["reports"].count == 1 and again["crawls"].get(2)["new_reports"] == 0
    result = nianbao("reparse", "--db", str(tmp_path / "n.db"), "--archive", str(tmp_path / "archive"), cwd=tmp_path)
    assert result.returncode == 0 and "reparsed 1 reports" in result.stdout, result.stdout + result.stderr
    assert next(db.query("select count(*) n from metrics where report_id = ?", [report_row["id"]]))["n"] == 200
    assert db["reports"].get(report_row["id"])["title"] == "示范县2023年政府信息公开工作年度报告"


def test_per_site_hints_where_generic_finding_fails(tmp_path):
    """A column whose links say only 查看 and whose pager is a bare arrow: the registry's selectors find them."""
    column = ('<div class="col"><ul class="nb"><li><a href="/d/8a1.html">查看</a></li><li><a href="/d/8a2.html">查看</a></li>'
              '</ul><a class="nx" href="/col/p2.html">→</a></div>')
    with Site() as site:
        site.answers["/col/p1.html"] = Answer(listing([], column))
        site.answers["/col/p2.html"] = Answer(listing([], '<ul class="nb"><li><a href="/d/8a3.html">查看</a></li></ul>'))
        for n, year in ((1, 2021), (2, 2022), (3, 2023)):
            site.answers[f"/d/8a{n}.html"] = Answer(report(year).replace(b'class="TRS_Editor"', b'class="wz"'))
        registry = tmp_path / "portals.yml"
        registry.write_text(yaml.safe_dump({"portals": [{
            "id": "h", "name": "示范县人民政府", "start_urls": [site.base_url + "/col/p1.html"],
            "list_link_selector": "ul.nb a", "next_page_selector": "a.nx", "content_selector": "div.wz"}]},
            allow_unicode=True), "utf-8")
        result = nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--archive",
                         str(tmp_path / "a"), "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert sorted(stored_paths(db)) == ["/d/8a1.html", "/d/8a2.html", "/d/8a3.html"]
    assert next(db.query("select count(*) n from metrics"))["n"] == 600


def test_scanned_pdf_linked_as_a_report_is_kept_and_flagged(tmp_path):
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)  # a scanned page: an image, no text layer
    pdf.save()
    with Site() as site:
        site.answers["/nb/index.html"] = Answer(listing([("/nb/2020.pdf", "示范县2020年政府信息公开工作年度报告")]))
        site.answers["/nb/2020.pdf"] = Answer(buffer.getvalue(), content_type="application/pdf")
        db = crawl_portal(tmp_path, site.base_url + "/nb/index.html")
    report = next(db["reports"].rows)
    assert report["title"] == "示范县2020年政府信息公开工作年度报告" and "scanned" in report["flags"]
    assert report["source_type"] == "pdf"


def test_politeness_few_requests_at_once_per_host_and_an_identifying_agent(tmp_path):
    with Site() as site:
        links = [(f"/nb/2023{n:02d}/t2023{n:02d}01_{n}.html", f"示范{n}县2022年政府信息公开工作年度报告") for n in range(1, 9)]
        site.answers["/nb/index.html"] = Answer(listing(links))
        for path, _ in links:
            site.answers[path] = Answer(report(2022), delay=0.4)  # slow pages: parallel requests would overlap
        crawl_portal(tmp_path, site.base_url + "/nb/index.html")
        agents = {seen.headers.get("User-Agent", "") for seen in site.requests}
    assert 1 <= site.max_in_flight <= 2
    assert agents and all(a.startswith("nianbao/") and "+http" in a for a in agents)


def test_a_long_column_paged_one_next_link_at_a_time(tmp_path):
    pages = 15
    with Site() as site:
        expected = set()
        for n in range(1, pages + 1):
            path = f"/xxgk/nb/list_{n}.html" if n > 1 else "/xxgk/nb/list.html"
            report_path = f"/xxgk/nb/2023/t20230{n % 9 + 1}01_{n}.html"
            pager = f'<a href="list_{n + 1}.html">下一页</a>' if n < pages else ""
            site.answers[path] = Answer(listing([(report_path, f"示范{n}乡2022年政府信息公开工作年度报告")], pager))
            site.answers[report_path] = Answer(report(2022, f"示范{n}乡人民政府"))
            expected.add(report_path)
        db = crawl_portal(tmp_path, site.base_url + "/xxgk/nb/list.html")
    assert set(stored_paths(db)) == expected


def test_a_report_page_that_moved_is_revisited_conditionally_through_its_redirect(tmp_path):
    with Site() as site:
        site.answers["/zwgk/xxgknb/index.html"] = Answer(listing([("/zwgk/xxgknb/202401/t20240120_1.html",
                                                                    "示范县2023年政府信息公开工作年度报告")]))
        # the column still links the old address; the portal answers it with a redirect to the new one
        site.answers["/zwgk/xxgknb/202401/t20240120_1.html"] = Answer(
            b"", 301, headers={"Location": "/xxgk/nb/202401/t20240120_1.html"})
        site.answers["/xxgk/nb/202401/t20240120_1.html"] = Answer(report(2023), headers={"ETag": '"v1"'})
        crawl_portal(tmp_path, site.base_url + "/zwgk/xxgknb/index.html")
        first = len(site.requests)
        db = crawl_portal(tmp_path, site.base_url + "/zwgk/xxgknb/index.html")
        revisits = {seen.path: seen.headers for seen in site.requests[first:]}
    (row,) = db["reports"].rows
    assert row["url"].endswith("/xxgk/nb/202401/t20240120_1.html")
    for path in ("/zwgk/xxgknb/202401/t20240120_1.html", "/xxgk/nb/202401/t20240120_1.html"):
        assert revisits[path].get("If-None-Match") == '"v1"', path
    assert db["crawls"].get(2)["new_reports"] == 0 and db["crawls"].get(2)["unchanged_reports"] == 1
