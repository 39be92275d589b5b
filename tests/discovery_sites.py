"""Whole county portals for discovery, served on loopback: a homepage, its menus, the county's own report column,
paged catalogues of departments and townships with a column each, and everything a real portal has besides
(news, services, interaction, look-alike reports, a search that pages for ever, a link off the site).

Three layouts seen on real portals (the structure of the corpus's pages: 政务公开 → 政府信息公开 → 法定主动公开内容 →
政府信息公开年报; 部门信息公开 → 县发改局 → 年报; platforms grouped per year with every body mixed):
- "tree": a column tree per body, the 年报 column one or two levels under the body's page;
- "yearly": one 年报 column for the whole county, year sub-columns listing every body's reports;
- "vsb": .htm pages, bodies in a table, each body's 信息公开年报 column paged by list/N.htm.

Each builder returns what a perfect crawl stores (report path → issuer) and the paths it must never store.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .portal_pages import Chrome, ReportSpec, page, report_body, sample_cells, standard_report_page, text_page
from .servers import Answer, Site

DEPARTMENTS = ["县发展和改革局", "县教育局", "县财政局", "县自然资源局", "县卫生健康局", "县统计局", "县市场监督管理局"]
TOWNSHIPS = ["城关镇", "东山乡", "河西街道办事处"]
LOOK_ALIKES = [  # (title, why it is not a 政府信息公开工作年度报告)
    ("{place}2024年政府工作报告", "government work report"),
    ("{place}2023年国民经济和社会发展统计公报", "statistical communiqué"),
    ("{place}2023年财政预算执行情况和2024年财政预算草案的报告", "budget"),
    ("{place}人民政府2023年法治政府建设年度报告", "rule-of-law report"),
    ("{place}2024年政务公开工作要点", "work plan"),
    ("关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "notice about writing the report"),
    ("《{place}人民政府2023年政府信息公开工作年度报告》解读", "interpretation"),
    ("一图读懂{place}人民政府2023年政府信息公开工作年度报告", "graphic interpretation"),
    ("{place}召开2023年度政府信息公开工作年度报告编制培训会", "news mentioning the report"),
]


@dataclass
class Expected:
    reports: dict[str, str] = field(default_factory=dict)  # path → issuer
    never: set[str] = field(default_factory=set)  # look-alikes, news, pages off limits
    columns: dict[str, str] = field(default_factory=dict)  # column path → body as named by the site (None: county)


class Portal:
    """One county portal being built: its pages, and what a perfect crawl finds on it."""

    def __init__(self, site: Site, place: str, offsite: str) -> None:
        self.site, self.place, self.offsite = site, place, offsite
        self.expected = Expected()
        self.menu = [("首页", "/index.html"), ("新闻中心", "/news/index.html"), ("政务公开", "/zwgk/index.html"),
                     ("政务服务", "/fw/index.html"), ("互动交流", "/hd/index.html"), (f"走进{place}", "/zj/index.html")]
        self.serial = 1000

    # ------------------------------------------------------------ pages
    def shell(self, title: str, body: str, side: list[tuple[str, str]] = ()) -> bytes:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in self.menu)
        tree = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for t, h in side)
        return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="{self.place}人民政府"><meta name="SiteIDCode" content="4507210001">
<meta name="ColumnName" content="{html.escape(title)}"><title>{html.escape(title)}_{self.place}人民政府</title></head>
<body><div class="header"><div class="logo">{self.place}人民政府</div><ul class="nav">{nav}</ul>
<div class="search"><a href="/search/index.html?q=">搜索</a></div></div>
<div class="location">当前位置：<a href="/index.html">首页</a> &gt; {html.escape(title)}</div>
<div class="left"><ul class="tree">{tree}</ul></div><div class="right"><h2>{html.escape(title)}</h2>{body}</div>
<div class="footer"><a href="/wzdt/index.html">网站地图</a> <a href="/lxwm/index.html">联系我们</a>
<a href="{self.offsite}/zwgk/xxgknb/index.html">市政府信息公开年报</a>
<p>主办：{self.place}人民政府办公室 网站标识码：4507210001</p></div></body></html>""".encode()

    def put(self, path: str, body: bytes) -> str:
        self.site.answers[path] = Answer(body)
        return path

    def listing(self, path: str, title: str, links: list[tuple[str, str]], side=(), extra: str = "") -> str:
        items = "".join(f'<li><a href="{h}" title="{html.escape(t)}">{html.escape(t)}</a><span>2024-01-15</span></li>'
                        for h, t in links)
        return self.put(path, self.shell(title, f'<ul class="list">{items}</ul>{extra}', side))

    def article(self, folder: str, title: str) -> str:
        self.serial += 1
        return self.put(f"{folder}/202401/t20240115_{self.serial}.html",
                        text_page(title, "2024-01-15", [f"{title}。", "为进一步做好相关工作，现将有关情况说明如下。"],
                                  Chrome("trs", site_name=f"{self.place}人民政府")))

    def report(self, folder: str, issuer: str, year: int, *, named: bool = True) -> tuple[str, str]:
        """A report page; named=False: the page names no issuer (the column's body, `issuer` here, must)."""
        self.serial += 1
        if named and issuer.endswith(("镇", "乡")):
            issuer += "人民政府"  # as a township's report names itself
        path = f"{folder}/{year + 1}01/t{year + 1}0120_{self.serial}.html"
        fmt = "gov2021" if year >= 2021 else "gov2019"
        spec = ReportSpec(fmt, year, issuer, sample_cells(fmt, self.serial))
        chrome = Chrome("trs", site_name=f"{self.place}人民政府")
        if named:
            body = standard_report_page(spec, chrome, f"{year + 1}-01-20")
        else:
            spec.issuer = "本机关"
            body = page(f"{year}年政府信息公开工作年度报告", f"{year + 1}-01-20", report_body(spec),
                        chrome)
        # the site specification's tags, as government CMSs print them on every article
        self.put(path, body.replace(b"<head>", b'<head><meta name="SiteIDCode" content="4507210001">'
                                               b'<meta name="ColumnName" content="\xe5\xb9\xb4\xe6\x8a\xa5">', 1))
        self.expected.reports[path] = issuer
        return path, f"{issuer if named else ''}{year}年政府信息公开工作年度报告"

    def full(self, name: str) -> str:
        return self.place + name[1:] if name.startswith("县") else self.place + name

    # ------------------------------------------------------------ what every portal has
    def ordinary(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """News (some mentioning 年度报告), services, interaction, a search that pages for ever (robots-disallowed)
        and look-alike reports: about 150 pages a crawl of the whole site would read."""
        news = [(self.article("/news", f"{self.place}召开第{i}次常务会议研究部署重点工作"), f"{self.place}召开第{i}次常务会议")
                for i in range(40)]
        alike = []
        for title, _ in LOOK_ALIKES:
            path = self.article("/zwgk/qt", title.format(place=self.place))
            alike.append((path, title.format(place=self.place)))
            self.expected.never.add(path)
        news += alike
        for start in range(0, len(news), 10):
            nxt = f'<a href="/news/index_{start // 10 + 1}.html">下一页</a>' if start + 10 < len(news) else ""
            self.listing(f"/news/index{'_' + str(start // 10) if start else ''}.html", "新闻中心", news[start:start + 10],
                         extra=nxt)
        for folder, title, count in (("/fw", "政务服务", 30), ("/hd", "互动交流", 30), ("/zj", f"走进{self.place}", 20)):
            items = [(self.article(folder, f"{title}事项{i}办事指南"), f"{title}事项{i}") for i in range(count)]
            self.listing(f"{folder}/index.html", title, items)
        for path in ("/wzdt/index.html", "/lxwm/index.html"):
            self.put(path, self.shell("网站地图", "<p>本站栏目</p>"))

        def search(path: str) -> Answer | None:
            if not path.startswith("/search/"):
                return None
            n = int(path.rsplit("page=", 1)[-1]) if "page=" in path else 0
            links = f'<a href="/search/index.html?q=年报&page={n + 1}">政府信息公开年报 下一页</a>'
            return Answer(self.shell("搜索结果", links))

        self.site.get = search
        self.site.answers["/robots.txt"] = Answer(b"User-agent: *\nDisallow: /search/\n", content_type="text/plain")
        return news[:6], alike

    def homepage(self, boxes: str) -> None:
        news, alike = self.ordinary()
        # the homepage's news box links the look-alikes a reader sees there too, and a 公开目录 that is a search
        items = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for h, t in news + alike)
        trap = '<a href="/search/index.html?q=目录">信息公开目录</a>'
        self.put("/index.html", self.shell(f"{self.place}人民政府", f'<ul class="news">{items}</ul>{boxes}{trap}'))
        self.site.answers["/"] = self.site.answers["/index.html"]


def tree(site: Site, offsite: str, place: str = "示范县") -> tuple[Portal, Expected]:
    """政务公开 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报; 部门信息公开 (two catalogue pages) → a body →
    its 法定主动公开内容 → 年报 (or 年报 straight on the body's page); 乡镇信息公开 → a township → 年报."""
    p = Portal(site, place, offsite)
    p.homepage('<div class="box"><a href="/zwgk/index.html">政务公开</a></div>')
    p.listing("/zwgk/index.html", "政务公开", [], side=[("政府信息公开", "/zwgk/xxgk/index.html"),
                                                         ("政策解读", "/zwgk/zcjd/index.html"),
                                                         ("新闻发布会", "/news/index.html")])
    p.listing("/zwgk/xxgk/index.html", "政府信息公开", [], side=[
        ("政府信息公开指南", "/zwgk/xxgk/gkzn/index.html"), ("政府信息公开制度", "/zwgk/xxgk/gkzd/index.html"),
        ("法定主动公开内容", "/zwgk/xxgk/fdzdgknr/index.html"), ("部门信息公开", "/zwgk/bmxxgk/index.html"),
        ("乡镇信息公开", "/zwgk/xzxxgk/index.html"), ("依申请公开", "/zwgk/ysqgk/index.html")])
    for path in ("/zwgk/xxgk/gkzn/index.html", "/zwgk/xxgk/gkzd/index.html", "/zwgk/ysqgk/index.html",
                 "/zwgk/zcjd/index.html"):
        p.put(path, p.shell("公开指南", "<p>…</p>"))
    p.listing("/zwgk/xxgk/fdzdgknr/index.html", "法定主动公开内容", [], side=[
        ("政府工作报告", "/zwgk/qt/index.html"), ("统计信息", "/zwgk/qt/index.html"),
        ("财政预决算", "/zwgk/qt/index.html"), ("法治政府建设", "/zwgk/qt/index.html"),
        ("政府信息公开年报", "/zwgk/xxgk/xxgknb/index.html")])
    p.listing("/zwgk/qt/index.html", "其他", [])
    own = [p.report("/zwgk/xxgk/xxgknb", f"{place}人民政府", y) for y in (2021, 2022, 2023)]
    notice = p.article("/zwgk/xxgk/xxgknb", LOOK_ALIKES[5][0])
    p.expected.never.add(notice)
    p.listing("/zwgk/xxgk/xxgknb/index.html", "政府信息公开年报", [*own[:2], (notice, LOOK_ALIKES[5][0])],
              extra='<a href="/zwgk/xxgk/xxgknb/index_1.html">下一页</a>')
    p.listing("/zwgk/xxgk/xxgknb/index_1.html", "政府信息公开年报", own[2:])
    p.expected.columns["/zwgk/xxgk/xxgknb/index.html"] = None
    bodies = []
    for n, name in enumerate(DEPARTMENTS + TOWNSHIPS):
        township = name in TOWNSHIPS
        base = f"/zwgk/{'xzxxgk' if township else 'bmxxgk'}/b{n}"
        column = f"{base}/xxgknb/index.html"
        reports = [p.report(f"{base}/xxgknb", p.full(name), y, named=not (township and y == 2023)) for y in (2022, 2023)]
        p.listing(column, "政府信息公开年报", reports)
        p.expected.columns[column] = name
        if n % 2:  # the 年报 column straight on the body's page
            p.listing(f"{base}/index.html", name, [], side=[("机构职能", f"{base}/jgzn.html"), ("年报", column)])
        else:
            p.listing(f"{base}/index.html", name, [], side=[("机构职能", f"{base}/jgzn.html"),
                                                           ("法定主动公开内容", f"{base}/fdzdgk/index.html")])
            p.listing(f"{base}/fdzdgk/index.html", "法定主动公开内容", [], side=[
                ("政策文件", f"{base}/zcwj.html"), ("政府信息公开年报", column), ("财政预决算", f"{base}/czyjs.html")])
        bodies.append((f"{base}/index.html", name))
    departments, townships = bodies[:len(DEPARTMENTS)], bodies[len(DEPARTMENTS):]
    p.listing("/zwgk/bmxxgk/index.html", "部门信息公开", departments[:4],
              extra='<a href="/zwgk/bmxxgk/index_1.html">下一页</a>')
    p.listing("/zwgk/bmxxgk/index_1.html", "部门信息公开", departments[4:])
    p.listing("/zwgk/xzxxgk/index.html", "乡镇信息公开", townships)
    return p, p.expected


def yearly(site: Site, offsite: str, place: str = "示范县") -> tuple[Portal, Expected]:
    """A 政府信息公开 platform with one 年报 column for the county: year sub-columns, every body's reports mixed."""
    p = Portal(site, place, offsite)
    p.homepage('<div class="box"><a href="/xxgk/index.html">政府信息公开</a></div>')
    p.listing("/xxgk/index.html", "政府信息公开", [], side=[
        ("信息公开指南", "/xxgk/zn.html"), ("法定主动公开内容", "/xxgk/fdzd/index.html"),
        ("政府信息公开年报", "/xxgk/nb/index.html"), ("部门", "/xxgk/bm/index.html")])
    p.put("/xxgk/zn.html", p.shell("指南", "<p>…</p>"))
    p.listing("/xxgk/fdzd/index.html", "法定主动公开内容", [], side=[("政府工作报告", "/zwgk/qt/index.html"),
                                                                   ("统计公报", "/zwgk/qt/index.html")])
    p.listing("/zwgk/qt/index.html", "其他", [])
    years = []
    for year in (2022, 2023):
        entries = [p.report(f"/xxgk/nb/{year}", p.full(name) if name != "county" else f"{place}人民政府", year)
                   for name in ["county", *DEPARTMENTS[:4], *TOWNSHIPS[:2]]]
        p.listing(f"/xxgk/nb/{year}/index.html", f"{year}年", entries)
        years.append((f"/xxgk/nb/{year}/index.html", f"{year}年"))
    p.listing("/xxgk/nb/index.html", "政府信息公开年报", years)
    p.expected.columns["/xxgk/nb/index.html"] = None
    bodies = [(f"/xxgk/bm/b{n}.html", name) for n, name in enumerate(DEPARTMENTS[:4])]
    for path, name in bodies:
        p.listing(path, name, [], side=[("机构职能", path.replace(".html", "_jg.html"))])
    p.listing("/xxgk/bm/index.html", "部门", bodies)
    return p, p.expected


def vsb(site: Site, offsite: str, place: str = "示范县") -> tuple[Portal, Expected]:
    """.htm pages; bodies in a table on one catalogue page; each body's 信息公开年报 column paged list.htm → list/1.htm."""
    p = Portal(site, place, offsite)
    p.menu[2] = ("信息公开", "/xxgk.htm")
    p.homepage('<div class="box"><a href="/xxgk.htm">信息公开</a></div>')
    p.listing("/xxgk.htm", "信息公开", [], side=[("本级信息公开", "/bj/xxgk.htm"), ("部门及乡镇", "/bmxz.htm")])
    p.listing("/bj/xxgk.htm", "本级信息公开", [], side=[("信息公开年报", "/bj/nb/list.htm"), ("通知公告", "/tzgg.htm")])
    own = [p.report("/bj/nb", f"{place}人民政府", y) for y in (2020, 2021, 2022, 2023)]
    p.listing("/bj/nb/list.htm", "信息公开年报", own[:2], extra='<a href="list/1.htm">下页</a>')
    p.listing("/bj/nb/list/1.htm", "信息公开年报", own[2:])
    p.expected.columns["/bj/nb/list.htm"] = None
    rows = []
    for n, name in enumerate(DEPARTMENTS[3:] + TOWNSHIPS):
        base = f"/dw/d{n}"
        reports = [p.report(base, p.full(name), y) for y in (2022, 2023)]
        p.listing(f"{base}/list.htm", "信息公开年报", reports)
        p.listing(f"{base}.htm", name, [], side=[("单位概况", f"{base}/gk.htm"), ("信息公开年报", f"{base}/list.htm")])
        p.expected.columns[f"{base}/list.htm"] = name
        rows.append(f'<tr><td><a href="{base}.htm">{name}</a></td></tr>')
    p.put("/bmxz.htm", p.shell("部门及乡镇", f"<table>{''.join(rows)}</table>"))
    return p, p.expected


LAYOUTS = {"tree": tree, "yearly": yearly, "vsb": vsb}
