"""Portals of the common CMS families, imitated on loopback test servers (tests/servers.py).

Each builder fills a Site with the pages a real portal of that family serves: its column pages and
their pagination as the family does it, report pages (tests/portal_pages.py), and pages that are
not reports. It returns the report paths a perfect crawl stores, so tests measure recall and precision.
"""

from __future__ import annotations

from .portal_pages import NOTICE, Chrome, ReportSpec, page, sample_cells, standard_report_page, text_page
from .servers import Answer, Site


def report(year: int, issuer: str = "示范县人民政府", charset: str = "utf-8", family: str = "trs") -> bytes:
    fmt = "gov2021" if year >= 2021 else "gov2019"
    return standard_report_page(ReportSpec(fmt, year, issuer, sample_cells(fmt, year)), Chrome(family, charset),
                                f"{year + 1}-01-20")


def notice() -> bytes:
    return text_page(NOTICE[0], "2022-12-01", NOTICE[1:], Chrome())


def listing(links: list[tuple[str, str]], extra: str = "", charset: str = "utf-8") -> bytes:
    items = "".join(f'<li><a href="{href}" target="_blank">{text}</a><span>2024-01-01</span></li>' for href, text in links)
    return page("政府信息公开年报", "", f'<ul class="list">{items}</ul>{extra}', Chrome("plain", charset), column_href="#")


def hanweb(site: Site) -> tuple[str, set[str]]:
    """col/colN/index.html whose first records sit in an XML datastore; the rest come from dataproxy.jsp."""
    column = "1229234190"
    reports = {f"/art/{y + 1}/1/1{y % 10}/art_{column}_{4000 + y}.html": y for y in range(2016, 2025)}
    entries = [(path, f"示范县{year}年政府信息公开工作年度报告") for path, year in reports.items()]
    entries.insert(3, (f"/art/2023/2/1/art_{column}_3999.html", "关于做好2022年度政府信息公开工作年度报告编制工作的通知"))
    record = '<record><![CDATA[<li><a href="{}" target="_blank" title="{}">{}</a><b>2024-01-01</b></li>]]></record>'
    first = "".join(record.format(h, t, t) for h, t in entries[:4])
    datastore = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
                 f'page=1&appid=1&webid=2&path=/&columnid={column}&unitid=5849069&webname=%E7%A4%BA&permissiontype=0">'
                 f'</a>]]></nextgroup><recordset>{first}</recordset></datastore></script>'
                 f'<script>var jpage = {{ totalRecord: {len(entries)}, perPage: 4 }};</script>')
    site.answers[f"/col/col{column}/index.html"] = Answer(listing([], datastore))
    all_records = [record.format(h, t, t) for h, t in entries]

    def proxy(path: str, form: dict[str, str]) -> Answer:
        if not path.startswith("/module/web/jpage/dataproxy.jsp") or form.get("columnid") != column:
            return Answer(b"", 404)
        start, end = int(form["startrecord"]), int(form["endrecord"])
        body = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(entries)}</totalrecord>'
                f'<recordset>{"".join(all_records[start - 1:end])}</recordset></datastore>')
        return Answer(body.encode(), content_type="text/xml; charset=UTF-8")

    site.post = proxy
    for path, year in reports.items():
        site.answers[path] = Answer(report(year, family="hanweb"))
    site.answers[entries[3][0]] = Answer(notice())
    return f"/col/col{column}/index.html", set(reports)


def vsb(site: Site) -> tuple[str, set[str]]:
    """VSB: list.htm-style column (xxgknb.htm → xxgknb/1.htm via 下页), details info/C/D.htm, GBK pages."""
    reports = {f"/info/1952/{8000 + y}.htm": y for y in range(2018, 2025)}
    paths = list(reports)
    pager = '<div class="pb_sys_common"><span class="p_next p_fun"><a href="xxgknb/1.htm">下页</a></span>' \
            '<span class="p_last p_fun"><a href="xxgknb/1.htm">尾页</a></span></div>'
    site.answers["/xxgk/xxgknb.htm"] = Answer(listing([("../" + p.lstrip("/"), f"{reports[p]}年政府信息公开工作年度报告")
                                                       for p in paths[:4]], pager, "gbk"))
    back = '<div><a href="../xxgknb.htm">首页</a> <a href="../xxgknb.htm">上页</a></div>'
    site.answers["/xxgk/xxgknb/1.htm"] = Answer(listing([("../../" + p.lstrip("/"), f"{reports[p]}年政府信息公开工作年度报告")
                                                         for p in paths[4:]], back, "gbk"))
    for path, year in reports.items():
        site.answers[path] = Answer(report(year, charset="gbk", family="vsb"))
    return "/xxgk/xxgknb.htm", set(reports)


def kaipuyun(site: Site) -> tuple[str, set[str]]:
    """Kaipuyun: c<column>/list.shtml and list_2.shtml by 下一页, details c<column>/YYYYMM/<32 hex>.shtml."""
    reports = {f"/xjwqx/c128570/{y + 1}01/{y:04d}{'c531fcfd84284253aaceb3f0345912'[:28]}.shtml": y
               for y in range(2019, 2025)}
    paths = list(reports)
    first = listing([(p, f"乌恰县人民政府办公室{reports[p]}年政府信息公开工作年度报告") for p in paths[:3]],
                    '<div class="page"><a href="list_2.shtml">下一页</a></div>')
    second = listing([(p, f"乌恰县人民政府办公室{reports[p]}年政府信息公开工作年度报告") for p in paths[3:]]
                     + [("/xjwqx/c128570/202301/aa11bb22cc33dd44ee55ff6677889900.shtml", "图解：2022年政府信息公开工作年度报告")],
                     '<div class="page"><a href="list.shtml">上一页</a></div>')
    site.answers["/xjwqx/c128570/list.shtml"] = Answer(first)
    site.answers["/xjwqx/c128570/list_2.shtml"] = Answer(second)
    site.answers["/xjwqx/c128570/202301/aa11bb22cc33dd44ee55ff6677889900.shtml"] = Answer(text_page(
        "图解：乌恰县2022年政府信息公开工作年度报告", "2023-01-30", ["一图读懂年度报告。"], Chrome()))
    for path, year in reports.items():
        site.answers[path] = Answer(report(year, "乌恰县人民政府办公室", family="plain"))
    return "/xjwqx/c128570/list.shtml", set(reports)


def year_columns(site: Site) -> tuple[str, set[str]]:
    """A column of per-year sub-columns (2019年度 …), and a Hanweb xxgk page whose year links are the reports."""
    reports: set[str] = set()
    years = []
    for year in (2021, 2022, 2023):
        sub = f"/zfxxgk/xxgknb/{year}nd/index.html"
        years.append((sub, f"{year}年度"))
        pages = [(f"/zfxxgk/xxgknb/{year}nd/{year + 1}01/t{year + 1}0115_{n}.html", f"{name}{year}年政府信息公开工作年度报告")
                 for n, name in enumerate(("示范县人民政府", "示范县财政局"))]
        site.answers[sub] = Answer(listing(pages))
        for path, _ in pages:
            site.answers[path] = Answer(report(year))
            reports.add(path)
    jsp = [(f"/module/xxgk/xxgkAnnualReport.jsp?area=113708260043292687&fbtime={y}", f"{y}") for y in (2019, 2020)]
    for path, year in jsp:
        site.answers[path] = Answer(report(int(year)))
        reports.add(path)
    site.answers["/zfxxgk/xxgknb/index.html"] = Answer(listing(years + jsp))
    return "/zfxxgk/xxgknb/index.html", reports


def paged_query(site: Site) -> tuple[str, set[str]]:
    """?page=N pagination, tracking parameters and a redirect to the same report (one report, one row)."""
    reports = {f"/xxgk/nb/content_{900 + y}.html": y for y in range(2019, 2023)}
    paths = list(reports)
    site.answers["/xxgk/nb/list.jsp?page=1"] = Answer(listing(
        [(paths[0], "2019年政府信息公开工作年度报告"), (paths[1] + "?utm_source=wx", "2020年政府信息公开工作年度报告")],
        '<a href="/xxgk/nb/list.jsp?page=2">2</a>'))
    site.answers["/xxgk/nb/list.jsp?page=2"] = Answer(listing(
        [(paths[1], "2020年政府信息公开工作年度报告"), (paths[2], "2021年政府信息公开工作年度报告"),
         ("/xxgk/nb/old_2022.html", "2022年政府信息公开工作年度报告")],
        '<a href="/xxgk/nb/list.jsp?page=1">1</a>'))
    site.answers["/xxgk/nb/old_2022.html"] = Answer(b"", 301, headers={"Location": paths[3]})
    for path, year in reports.items():
        site.answers[path] = Answer(report(year))
    return "/xxgk/nb/list.jsp?page=1", set(reports)
