"""Realistic report pages as portals publish them, for tests and the bundled demo portal.

The standard tables are rendered the way the 2019/2021 formats print them (rowspan/colspan
header blocks, one data row of 15 cells in table 4) with the labels as printed, written out
here independently of the parser's own format definitions. Options reproduce what real pages
do to them: Word-export spans, traditional characters, ASCII punctuation, split tables.

Run `python -m tests.portal_pages` to regenerate crawler/demo_site/.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import opencc

COLUMNS = ["natural_person", "org_commercial", "org_research", "org_public_interest", "org_legal_services",
           "org_other", "total"]
T4_FLAT = [f"{r}.{c}" for r in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]

# (key, printed label, group label or None); group rows carry rowspan.
T3_ROWS_2019 = [
    ("new_received", "一、本年新收政府信息公开申请数量", None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None),
    ("outcome.granted", "（一）予以公开", ""),
    ("outcome.partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("outcome.withheld.state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("outcome.withheld.law_prohibited", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("outcome.withheld.security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("outcome.withheld.third_party_rights", "4.保护第三方合法权益", "（三）不予公开"),
    ("outcome.withheld.internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ("outcome.withheld.process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ("outcome.withheld.enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("outcome.withheld.admin_query", "8.属于行政查询事项", "（三）不予公开"),
    ("outcome.unable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("outcome.unable.needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("outcome.unable.unclear_after_correction", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("outcome.not_processed.petition_complaint", "1.信访举报投诉类申请", "（五）不予处理"),
    ("outcome.not_processed.repeat", "2.重复申请", "（五）不予处理"),
    ("outcome.not_processed.publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("outcome.not_processed.excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("outcome.not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("outcome.other", "（六）其他处理", ""),
    ("outcome.total", "（七）总计", ""),
    ("carried_forward", "四、结转下年度继续办理", None),
]
T3_ROWS_2021 = [r for r in T3_ROWS_2019 if r[0] != "outcome.other"]
T3_ROWS_2021[20:20] = [
    ("outcome.other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("outcome.other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("outcome.other.misc", "3.其他", "（六）其他处理"),
]
# (table key, caption, header labels, [(row key, label)], column keys)
T2_2019 = [
    ("active_art20_1", "第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("regulations", "规章"), ("normative_docs", "规范性文件")], ["new_made", "new_published", "total_published"]),
    ("active_art20_5", "第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("admin_license", "行政许可"), ("other_mgmt_services", "其他对外管理服务事项")],
     ["prev_year_items", "items_change", "decisions"]),
    ("active_art20_6", "第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")], ["prev_year_items", "items_change", "decisions"]),
    ("active_art20_8", "第二十条第（八）项", ["上一年项目数量", "本年增/减"],
     [("admin_fees", "行政事业性收费")], ["prev_year_items", "items_change"]),
    ("active_art20_9", "第二十条第（九）项", ["采购项目数量", "采购总金额"],
     [("central_procurement", "政府集中采购")], ["procurement_items", "procurement_amount"]),
]
T2_2021 = [
    ("active_art20_1", "第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("regulations", "规章"), ("normative_docs", "行政规范性文件")], ["issued", "repealed", "in_force"]),
    ("active_art20_5", "第二十条第（五）项", ["本年处理决定数量"], [("admin_license", "行政许可")], ["decisions"]),
    ("active_art20_6", "第二十条第（六）项", ["本年处理决定数量"],
     [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")], ["decisions"]),
    ("active_art20_8", "第二十条第（八）项", ["本年收费金额（单位：万元）"], [("admin_fees", "行政事业性收费")],
     ["fee_amount_wan"]),
]

Cells = dict[tuple[str, str, str], str]


@dataclass
class Style:
    word_spans: bool = False  # Word export: one <span> per character, MsoNormal paragraphs, <o:p>
    traditional: bool = False  # mirror sites: OpenCC s2t over the whole page
    ascii_punct: bool = False  # （）：， printed as ASCII
    split_tables: bool = False  # table 3 split over two <table> elements
    blank_org_columns: bool = False  # only 自然人 and 总计 filled, org columns left empty
    wrapped_headers: bool = False  # 商业<br>企业, 本年新<br/>制作数量


@dataclass
class ReportSpec:
    fmt: str  # gov2019 | gov2021
    year: int
    issuer: str
    cells: Cells = field(default_factory=dict)
    style: Style = field(default_factory=Style)
    overview_paragraphs: list[str] = field(default_factory=list)  # more prose, as long real reports have


def sample_cells(fmt: str, seed: int, *, inconsistent: bool = False) -> Cells:
    """Plausible figures that satisfy the format's arithmetic (unless inconsistent)."""
    rng = random.Random(seed)
    cells: Cells = {}
    rows = T3_ROWS_2021 if fmt == "gov2021" else T3_ROWS_2019
    leaves = [k for k, _, g in rows if k.startswith("outcome.") and k != "outcome.total"]
    per_col: dict[str, dict[str, int]] = {}
    for col in COLUMNS[:-1]:
        scale = 40 if col == "natural_person" else rng.choice([0, 0, 2, 5])
        new, over = rng.randint(0, scale), rng.randint(0, max(1, scale // 8))
        remaining = new + over
        forward = rng.randint(0, min(remaining, 3))
        remaining -= forward
        values = dict.fromkeys(leaves, 0)
        while remaining:
            leaf = rng.choice(["outcome.granted"] * 6 + ["outcome.partial"] * 2 + leaves)
            values[leaf] += 1
            remaining -= 1
        values.update({"new_received": new, "carried_over": over, "carried_forward": forward,
                       "outcome.total": new + over - forward})
        per_col[col] = values
    for key, _, _ in rows:
        total = 0
        for col in COLUMNS[:-1]:
            cells[("applications", key, col)] = str(per_col[col][key])
            total += per_col[col][key]
        cells[("applications", key, "total")] = str(total)
    if inconsistent:
        cells[("applications", "outcome.total", "total")] = str(int(cells[("applications", "outcome.total", "total")]) + 3)
    for table, _, _, table_rows, cols in T2_2021 if fmt == "gov2021" else T2_2019:
        for row, _ in table_rows:
            for col in cols:
                if col == "items_change":
                    value = f"{rng.choice(['+', '-', ''])}{rng.randint(0, 30)}".replace("-0", "0").replace("+0", "0")
                elif col == "fee_amount_wan":
                    value = f"{rng.randint(0, 300) / 100:.2f}"
                elif col == "procurement_amount":
                    value = f"{rng.randint(10000, 900000)}元"
                else:
                    value = str(rng.randint(0, 400))
                cells[(table, row, col)] = value
        if "total_published" in cols:  # a year's newly published documents are among all published (§7, heuristic)
            for row, _ in table_rows:
                new, total = (cells[(table, row, col)] for col in ("new_published", "total_published"))
                if int(new) > int(total):
                    cells[(table, row, "new_published")], cells[(table, row, "total_published")] = total, new
    for flat in T4_FLAT:
        row, col = flat.rsplit(".", 1)
        cells[("review_litigation", row, col)] = "0"
    review = [rng.randint(0, 2) for _ in range(4)]
    for col, value in zip(("upheld", "corrected", "other", "pending"), review, strict=True):
        cells[("review_litigation", "review", col)] = str(value)
    cells[("review_litigation", "review", "total")] = str(sum(review))
    return cells


# Narrow cells wrap long headers: 商业<br>企业 (xjnlk 2023), 本年新<br />制作数量 (Shanghai 2019).
_WRAPS = {"商业企业": "商业<br>企业", "科研机构": "科研<br>\n机构", "社会公益组织": "社会公益<br>组织",
          "本年新制作数量": "本年新<br />制作数量", "本年新公开数量": "本年新 公开数量", "处理决定数量": "处理决定<br>数量",
          "本年处理决定数量": "本年处理<br>决定数量", "（一）予以公开": "（一）<br>予以公开"}


def _text(label: str, style: Style) -> str:
    if style.ascii_punct:
        label = label.translate(str.maketrans("（）：，“”", "():,\"\""))
    escaped = html.escape(label)
    if style.wrapped_headers and label in _WRAPS:
        escaped = _WRAPS[label]
    if style.word_spans:
        escaped = "".join(f'<span style="font-family:宋体;font-size:10.5pt">{c}</span>' for c in html.unescape(escaped))
        return f'<p class="MsoNormal" align="center">{escaped}<o:p></o:p></p>'
    return escaped


def _td(content: str, style: Style, **attrs: int | str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<td{extra} style="border:solid windowtext 1.0pt">{_text(content, style)}</td>'


@dataclass(frozen=True)
class LayoutCell:
    """One printed cell; positions a span covers are left out, as in HTML."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    label: bool = True  # a label (styled text) rather than a value


Layout = list[list[LayoutCell]]


def _v(spec: ReportSpec, key: tuple[str, str, str], colspan: int = 1) -> LayoutCell:
    raw = spec.cells.get(key, "")
    if spec.style.blank_org_columns and key[0] == "applications" and key[2].startswith("org_") and raw == "0":
        raw = ""
    return LayoutCell(raw, colspan=colspan, label=False)


def table2_layout(spec: ReportSpec) -> Layout:
    rows: Layout = []
    for table, caption, headers, table_rows, cols in T2_2021 if spec.fmt == "gov2021" else T2_2019:
        rows.append([LayoutCell(caption, colspan=4)])
        span = 3 if len(headers) == 1 else 1
        pad = [LayoutCell("", label=False)] if len(headers) == 2 else []
        rows.append([LayoutCell("信息内容"), *(LayoutCell(h, colspan=span) for h in headers), *pad])
        for row, label in table_rows:
            rows.append([LayoutCell(label), *(_v(spec, (table, row, c), span) for c in cols), *pad])
    return rows


def table3_layout(spec: ReportSpec) -> Layout:
    t3_rows = T3_ROWS_2021 if spec.fmt == "gov2021" else T3_ROWS_2019
    rows: Layout = [
        [LayoutCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
         LayoutCell("申请人情况", colspan=7)],
        [LayoutCell("自然人", rowspan=2), LayoutCell("法人或其他组织", colspan=5), LayoutCell("总计", rowspan=2)],
        [LayoutCell(c) for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    emitted: set[str] = set()
    outcome_rows = sum(1 for _, _, g in t3_rows if g is not None)
    for key, label, group in t3_rows:
        cells: list[LayoutCell] = []
        if group is None:
            cells.append(LayoutCell(label, colspan=3))
        else:
            if "outcome" not in emitted:
                emitted.add("outcome")
                cells.append(LayoutCell("三、本年度办理结果", rowspan=outcome_rows))
            if group == "":
                cells.append(LayoutCell(label, colspan=2))
            else:
                if group not in emitted:
                    emitted.add(group)
                    cells.append(LayoutCell(group, rowspan=sum(1 for _, _, g in t3_rows if g == group)))
                cells.append(LayoutCell(label))
        rows.append(cells + [_v(spec, ("applications", key, c)) for c in COLUMNS])
    return rows


def table4_layout(spec: ReportSpec) -> Layout:
    parts = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return [
        [LayoutCell("行政复议", colspan=5), LayoutCell("行政诉讼", colspan=10)],
        [*(LayoutCell(p, rowspan=2) for p in parts), LayoutCell("未经复议直接起诉", colspan=5),
         LayoutCell("复议后起诉", colspan=5)],
        [LayoutCell(p) for p in parts * 2],
        [_v(spec, ("review_litigation", *f.rsplit(".", 1))) for f in T4_FLAT],
    ]


def html_table(layout: Layout, style: Style) -> str:
    rows = []
    for row in layout:
        cells = []
        for cell in row:
            attrs = {k: v for k, v in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if v > 1}
            if cell.label:
                cells.append(_td(cell.text, style, **attrs))
            else:
                extra = "".join(f" {k}={v}" for k, v in attrs.items())
                cells.append(f"<td{extra}>{cell.text or '&nbsp;'}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" width="100%"><tbody>' + "\n".join(rows) + "</tbody></table>"


def table3_html(spec: ReportSpec) -> str:
    layout = table3_layout(spec)
    if spec.style.split_tables:  # one table split over two <table> elements, as long pages do
        return html_table(layout[:15], spec.style) + "\n<p>&nbsp;</p>\n" + html_table(layout[15:], spec.style)
    return html_table(layout, spec.style)


def report_parts(spec: ReportSpec) -> list[str | Layout]:
    """The six sections of the 2019/2021 outline as paragraphs, with the three tables in place."""
    y, issuer = spec.year, spec.issuer
    applications = spec.cells.get(("applications", "new_received", "total"), "0")
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{issuer}办公室编制。"
        f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有任何疑问，请与{issuer}办公室联系。",
        "一、总体情况",
        f"{y}年，{issuer}深入贯彻落实《条例》，扎实做好政府信息公开工作。",
        "（一）主动公开。全年通过政府门户网站主动公开政府信息，及时发布政策文件、财政预决算、重点领域信息。",
        f"（二）依申请公开。全年共收到政府信息公开申请{applications}件，均在法定期限内答复。",
        "（三）政府信息管理。严格落实保密审查制度。（四）平台建设。持续优化政府信息公开专栏。（五）监督保障。将政务公开纳入年度考核。",
        *spec.overview_paragraphs,
        "二、主动公开政府信息情况",
        table2_layout(spec),
        "三、收到和处理政府信息公开申请情况",
        table3_layout(spec),
        "四、政府信息公开行政复议、行政诉讼情况",
        table4_layout(spec),
        "五、存在的主要问题及改进情况",
        "一是基层工作人员业务水平有待提高；二是政策解读形式较为单一。下一步，我们将加强业务培训，丰富解读形式。",
        "六、其他需要报告的事项",
        f"{y}年，本机关未收取信息处理费。",
    ]


def report_body(spec: ReportSpec) -> str:
    html_parts = []
    for part in report_parts(spec):
        if isinstance(part, str):
            heading = bool(re.match(r"^[一二三四五六]、", part))
            html_parts.append(f"<p><strong>{html.escape(part)}</strong></p>" if heading else f"<p>{html.escape(part)}</p>")
        elif part and part[0] and part[0][0].text.startswith("（本列数据"):
            html_parts.append(table3_html(spec))
        else:
            html_parts.append(html_table(part, spec.style))
    return "\n".join(html_parts)


@dataclass
class Chrome:
    """Portal chrome around a body: the CMS family decides the body container."""

    family: str = "trs"  # trs | hanweb | vsb | plain
    charset: str = "utf-8"
    site_name: str = "示范县人民政府"

    def container(self, body: str) -> str:
        return {
            "trs": f'<div class="TRS_Editor"><div class="TRS_UEDITOR">{body}</div></div>',
            "hanweb": f'<div id="zoom">{body}</div>',
            "vsb": f'<div class="v_news_content">{body}</div>',
            "plain": f'<div class="main"><div class="box">{body}</div></div>',
        }[self.family]


def page(title: str, published: str, body: str, chrome: Chrome, *, column_href: str = "../index.html") -> bytes:
    """A whole portal page: navigation, breadcrumbs, title, info bar, body, share bar, related list, footer."""
    nav = "".join(f'<li><a href="/col/{i}/index.html">{name}</a></li>'
                  for i, name in enumerate(("首页", "政务公开", "政务服务", "互动交流", "走进本县")))
    related = "".join(f'<li><a href="/zwgk/xxgk/202{i}/t202{i}0101_{i}.html">关于开展202{i}年度优化营商环境工作的通知</a></li>'
                      for i in range(1, 5))
    text = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={chrome.charset}">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{published} 09:30">
<meta name="ContentSource" content="{chrome.site_name}办公室">
<title>{html.escape(title)}_{chrome.site_name}</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.TRS_Editor p {{ line-height: 2; }}</style></head>
<body><div class="header"><div class="logo">{chrome.site_name}</div><ul class="nav">{nav}</ul>
<div class="search"><form action="/search"><input name="q"><button>搜索</button></form></div></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="{column_href}">政府信息公开年报</a></div>
<div class="article"><h1 class="title">{html.escape(title)}</h1>
<div class="info">发布时间：{published} 来源：{chrome.site_name}办公室 浏览次数：<span id="hits">1024</span>
<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>
{chrome.container(body)}
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
<div class="footer"><p>主办单位：{chrome.site_name}办公室 地址：示范县人民路1号 邮编：000000</p>
<p>网站标识码：0000000000 <a href="https://beian.miit.gov.cn">ICP备00000000号</a></p></div>
</body></html>"""
    if chrome.charset.lower() in ("gbk", "gb2312", "gb18030"):
        return text.encode("gb18030")
    return text.encode(chrome.charset)


def standard_report_page(spec: ReportSpec, chrome: Chrome, published: str) -> bytes:
    title = f"{spec.issuer}{spec.year}年政府信息公开工作年度报告"
    body = report_body(spec)
    if spec.style.traditional:
        title, body = (opencc.OpenCC("s2t").convert(t) for t in (title, body))
    return page(title, published, body, chrome)


def text_page(title: str, published: str, paragraphs: list[str], chrome: Chrome, column_href: str = "../index.html") -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    return page(title, published, body, chrome, column_href=column_href)


def trs_list_page(title: str, entries: list[tuple[str, str, str]], page_count: int, current: int) -> bytes:
    """A TRS WCM column page: the pager exists only as a createPageHTML() call."""
    items = "".join(f'<li><a href="{href}" target="_blank" title="{html.escape(text)}">{html.escape(text)}</a>'
                    f"<span>{date}</span></li>" for href, text, date in entries)
    pager = f'<script>createPageHTML({page_count}, {current}, "index", "html");</script>'
    body = f'<ul class="list">{items}</ul><div class="page">{pager}</div>'
    return page(title, "", body, Chrome("plain"), column_href="index.html")


def plain_list_page(title: str, entries: list[tuple[str, str, str]], next_href: str | None, charset: str) -> bytes:
    """An older portal column: a table of links and a 下一页 link."""
    rows = "".join(f'<tr><td><a href="{href}">{html.escape(text)}</a></td><td>{date}</td></tr>'
                   for href, text, date in entries)
    pager = f'<a href="{next_href}">下一页</a> <a href="{next_href}">尾页</a>' if next_href else "下一页 尾页"
    body = f'<table class="list">{rows}</table><div class="pager">共2页 {pager}</div>'
    return page(title, "", body, Chrome("plain", charset), column_href="list.html")


LEGACY_2015 = [
    "示范县2015年政府信息公开工作年度报告",
    "本报告根据《中华人民共和国政府信息公开条例》要求，由示范县人民政府办公室编制。全文包括概述，主动公开政府信息情况，"
    "依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，"
    "政府信息公开工作存在的主要问题及改进情况，其他需要报告的事项。本报告中所列数据的统计期限自2015年1月1日起至2015年12月31日止。",
    "一、概述",
    "2015年，我县认真贯彻落实《条例》，进一步健全政府信息公开工作机制，推进重点领域信息公开。",
    "二、主动公开政府信息情况",
    "2015年，全县共主动公开政府信息2318条，其中通过政府网站公开1976条，通过政府公报公开42条，通过新闻发布会等其他方式公开300条。",
    "三、依申请公开政府信息情况",
    "2015年，全县共受理政府信息公开申请15件，其中当面申请6件，网上申请7件，信函申请2件。已全部按期答复，"
    "其中同意公开11件，同意部分公开2件，不予公开1件，信息不存在1件。",
    "四、政府信息公开的收费及减免情况",
    "2015年，全县未收取任何政府信息公开费用。",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "2015年，全县未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
    "六、政府信息公开工作存在的主要问题及改进情况",
    "主要问题是部分单位公开不够及时。下一步，我们将加强督促检查，提高公开质量。",
    "七、其他需要报告的事项",
    "无其他需要报告的事项。",
]

NOTICE = [
    "关于做好2022年度政府信息公开工作年度报告编制发布工作的通知",
    "各乡镇人民政府，县政府各部门：",
    "根据《中华人民共和国政府信息公开条例》规定，现就做好2022年度政府信息公开工作年度报告编制发布工作通知如下：",
    "一、各单位要严格按照国办公开办函〔2021〕30号规定的格式编制年度报告，于2023年1月31日前在政府网站公开。",
    "二、年度报告须经本单位主要负责同志审定。",
]


def build_demo_site(root: Path, seed_text: str) -> None:
    """Write the bundled sample portals (two counties, five report years, three formats)."""
    shifan = root / "shifan" / "zwgk" / "xxgknb"
    reports = [
        # (path, spec, chrome, published)
        ("202301/t20230120_5001.html", ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", 2022)),
         Chrome("trs", "utf-8"), "2023-01-20"),
        ("202201/t20220125_4001.html", ReportSpec("gov2021", 2021, "示范县人民政府", sample_cells("gov2021", 2021),
                                                   Style(word_spans=True)), Chrome("trs", "gbk"), "2022-01-25"),
        ("202101/t20210128_3001.html", ReportSpec("gov2019", 2020, "示范县人民政府", sample_cells("gov2019", 2020),
                                                   Style(blank_org_columns=True)), Chrome("trs", "utf-8"), "2021-01-28"),
        ("202001/t20200131_2001.html", ReportSpec("gov2019", 2019, "示范县人民政府",
                                                   sample_cells("gov2019", 2019, inconsistent=True)),
         Chrome("trs", "gbk"), "2020-01-31"),
    ]
    entries = []
    for path, spec, chrome, published in reports:
        target = shifan / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(standard_report_page(spec, chrome, published))
        entries.append((f"./{path}", f"示范县{spec.year}年政府信息公开工作年度报告", published))
    notice = shifan / "202212/t20221201_4901.html"
    notice.parent.mkdir(parents=True, exist_ok=True)
    notice.write_bytes(text_page(NOTICE[0], "2022-12-01", NOTICE[1:], Chrome("trs", "utf-8")))
    legacy = shifan / "201602/t20160215_1001.html"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(text_page(LEGACY_2015[0], "2016-02-15", LEGACY_2015[1:], Chrome("trs", "utf-8")))
    first = entries[:3]
    second = entries[3:] + [("./202212/t20221201_4901.html", NOTICE[0], "2022-12-01"),
                            ("./201602/t20160215_1001.html", LEGACY_2015[0], "2016-02-15")]
    (shifan / "index.html").write_bytes(trs_list_page("政府信息公开年报", first, 2, 0))
    (shifan / "index_1.html").write_bytes(trs_list_page("政府信息公开年报", second, 2, 1))

    lingshan = root / "lingshan" / "xxgknb"
    lingshan.mkdir(parents=True, exist_ok=True)
    lines = [line.strip() for line in seed_text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("本报告根据"))
    end = next(i for i, line in enumerate(lines) if line.startswith("导航链接"))
    seed_page = text_page("灵山县2017年政府信息公开工作年度报告", "2018-02-13", lines[start:end],
                          Chrome("plain", "gbk", "灵山县人民政府"), column_href="list.html")
    (lingshan / "2018-02-13-lingshan-2017.html").write_bytes(seed_page)
    (lingshan / "list.html").write_bytes(plain_list_page("县政府信息公开年报", [], "list_2.html", "gbk"))
    (lingshan / "list_2.html").write_bytes(plain_list_page(
        "县政府信息公开年报", [("2018-02-13-lingshan-2017.html", "灵山县2017年政府信息公开工作年度报告", "2018-02-13")],
        None, "gbk"))
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    build_demo_navigation(root)


def _nav_page(title: str, links: list[tuple[str, str]], site_name: str) -> bytes:
    menu = '<ul class="nav"><li><a href="index.html">首页</a></li><li><a href="#">新闻中心</a></li>' \
           '<li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li></ul>'
    items = "".join(f'<li><a href="{href}">{html.escape(text)}</a></li>' for text, href in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="{site_name}">'
            f"<title>{html.escape(title)}_{site_name}</title></head><body><div class=\"header\">{site_name}{menu}</div>"
            f'<div class="left"><ul>{items}</ul></div></body></html>').encode()


def build_demo_navigation(root: Path) -> None:
    """Homepages for the sample portals, so the demo starts where a national crawl does: discovery finds the county's
    column, a department's and a township's, each with a report of its own."""
    bodies = {"shifan": ("示范县人民政府", "zwgk/xxgknb/index.html", [("县教育局", "jyj", "示范县教育局"),
                                                                     ("城关镇", "cgz", "示范县城关镇人民政府")]),
              "lingshan": ("灵山县人民政府", "xxgknb/list.html", [("县财政局", "czj", "灵山县财政局"),
                                                                ("灵城镇", "lcz", "灵山县灵城镇人民政府")])}
    for portal, (site_name, column, (department, township)) in bodies.items():
        home = root / portal
        (home / "index.html").write_bytes(_nav_page(site_name, [("政务公开", "zwgk.html")], site_name))
        (home / "zwgk.html").write_bytes(_nav_page("政务公开", [
            ("政府信息公开年报", column), ("部门信息公开", "bm/index.html"), ("乡镇信息公开", "xz/index.html"),
            ("政府信息公开指南", "#")], site_name))
        for folder, (name, slug, issuer), year in (("bm", department, 2023), ("xz", township, 2022)):
            base = home / folder
            (base / slug / "nb").mkdir(parents=True, exist_ok=True)
            (base / "index.html").write_bytes(_nav_page(folder, [(name, f"{slug}/index.html")], site_name))
            (base / slug / "index.html").write_bytes(_nav_page(name, [("机构职能", "#"), ("年报", "nb/index.html")], site_name))
            fmt = "gov2021"
            report = standard_report_page(ReportSpec(fmt, year, issuer, sample_cells(fmt, year + len(slug))),
                                          Chrome("trs", "utf-8", site_name), f"{year + 1}-01-18")
            (base / slug / "nb" / f"t{year + 1}0118_{7000 + year}.html").write_bytes(report)
            (base / slug / "nb" / "index.html").write_bytes(trs_list_page("政府信息公开年报", [
                (f"./t{year + 1}0118_{7000 + year}.html", f"{issuer}{year}年政府信息公开工作年度报告", f"{year + 1}-01-18")],
                1, 0))


if __name__ == "__main__":
    import sys

    seed = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seed/lingshan-2017-report.txt")
    build_demo_site(Path(__file__).resolve().parent.parent / "crawler" / "demo_site", seed.read_text("utf-8"))


def report_text(spec: ReportSpec, layout: str) -> str:
    """The report as stored copies flatten it (shared/corpus): tables as `a | b |` rows, or one cell per line
    with `/` for an empty cell (a blank line would vanish)."""
    lines = [f"{spec.issuer}{spec.year}年政府信息公开工作年度报告"]
    for part in report_parts(spec):
        if isinstance(part, str):
            lines.append(part)
        elif layout == "bar_rows":
            lines += [" | ".join(cell.text for cell in row) + " |" for row in part]
        else:
            lines += [cell.text or "/" for row in part for cell in row]
    return "\n".join(lines)
