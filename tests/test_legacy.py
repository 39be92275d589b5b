"""Pre-2019 reports: figures in prose, zero in words, spam, mirrors, damage, and what is not a report."""

from __future__ import annotations

import pytest

from parsers import parse

from .conftest import corpus_page
from .portal_pages import Chrome, text_page


def prose_figures(report) -> dict[str, int | float]:
    return {m.row: m.value for m in report.metrics if m.source == "prose"}


def legacy_page(paragraphs: list[str], title: str = "示范县2014年政府信息公开工作年度报告") -> bytes:
    return text_page(title, "2015-03-01", paragraphs, Chrome("trs", "utf-8"))


# How older reports open: the sentence gives no figure, and makes the page as long as a report's shortest body.
PREAMBLE = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，现公布本机关本年度政府信息公开工作年度报告。"
            "本报告中所列数据的统计期限自本年1月1日起至12月31日止。")


def test_seed_figures(seed_bytes):
    report = parse(seed_bytes)
    assert prose_figures(report) == {
        "active.total": 39387, "active.via_website": 34920, "active.via_weibo": 1997, "active.via_wechat": 1120,
        "active.via_other": 1350, "active.via_reading_rooms": 4520,
        "requests.total": 0, "fees.total": 0, "review.total": 0, "litigation.total": 0,
    }
    assert all(m.table == "legacy" and m.col == "value" for m in report.metrics)


@pytest.mark.parametrize("sentence, expected", [
    ("2014年，我局未收到政府信息公开申请。", {"requests.total": 0}),
    ("本年度没有接到公民、法人和其他组织提出的政府信息公开申请。", {"requests.total": 0}),
    ("全年未向申请人收取任何检索、复制、邮寄费用。", {"fees.total": 0}),
    ("2014年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。", {"review.total": 0, "litigation.total": 0}),
    ("全年收取信息处理费共计120元。", {"fees.total": 120}),
])
def test_zero_and_amounts_stated_in_words(sentence, expected):
    report = parse(legacy_page(["一、概述", "本年度政府信息公开工作平稳有序。", "二、依申请公开情况", sentence]))
    assert prose_figures(report) == expected


def test_breakdowns_comparisons_and_conflicts_give_no_total():
    report = parse(legacy_page([
        "一、主动公开政府信息情况",
        "其中主动公开政府信息120条属于政策文件。",  # a part, not the total
        "主动公开政府信息数量比上年增长300条。",  # a comparison
        "二、依申请公开政府信息情况",
        "全年受理政府信息公开申请12件。",
        "全县共受理政府信息公开申请15件。",  # the same figure stated twice, differently
    ]))
    assert prose_figures(report) == {}
    assert any("requests.total" in w for w in report.warnings)


def test_channels_and_replies_from_a_province_report():
    """076: a real 2011 provincial report (baike mirror)."""
    page = corpus_page("076")
    figures = prose_figures(parse(page["excerpt"].encode(), url=page["url"]))
    assert figures == {"requests.total": 1192, "requests.online": 677, "requests.in_person": 372,
                       "requests.fax": 105, "requests.letter": 38, "replies.granted": 1000, "replies.partial": 25,
                       "replies.denied.state_secret": 53}  # 因涉及国家秘密而不予公开53件


def test_review_figures_named_in_a_summary_sentence():
    """094: 全区主动公开政府信息5713条,受理政府信息公开申请311件,收到…行政复议10件,行政诉讼7件."""
    page = corpus_page("094")
    figures = prose_figures(parse(page["excerpt"].encode(), url=page["url"]))
    assert figures == {"active.total": 5713, "requests.total": 311, "review.total": 10, "litigation.total": 7,
                       "staff.full_time": 4, "staff.part_time": 149,  # 全区共有专职工作人员4人,兼职工作人员149名
                       "org.reading_points": 42}  # 建立区级、街道级以及社区级政府信息查阅中心共42个


def test_gov_format_reports_take_figures_from_tables_not_prose():
    page = corpus_page("042")
    report = parse(page["excerpt"].encode(), url=page["url"])
    assert report.format == "gov2021"
    assert not [m for m in report.metrics if m.source == "prose"]


def test_pinyin_injected_mirror_is_cleaned_and_flagged():
    page = corpus_page("078")
    report = parse(page["excerpt"].encode(), url=page["url"])
    assert "pinyin_injection" in report.flags and "mirror_site" in report.flags
    assert "(bào)" not in " ".join(s.text for s in report.sections)


def test_gambling_brand_in_text_is_removed_and_kept_as_evidence():
    page = corpus_page("117")
    report = parse(page["excerpt"].encode(), url=page["url"])
    assert "spam_injection" in report.flags
    assert set(report.spam_spans) == {"uedbet体育_uedbet官网@:"}
    assert report.issuer == "西柳镇人民政府"


# ----------------------------------------------------------------------------- what is not a report

def test_notice_about_writing_reports_is_not_a_report():
    from .portal_pages import NOTICE

    report = parse(text_page(NOTICE[0], "2022-12-01", NOTICE[1:], Chrome("trs", "utf-8")))
    assert report.kind == "not_report"


def test_interpretation_page_is_not_a_report():
    report = parse(text_page("图解：示范县2022年政府信息公开工作年度报告", "2023-01-30",
                             ["一图读懂我县2022年政府信息公开工作年度报告。", "全年主动公开政府信息3000条。"],
                             Chrome("trs", "utf-8")))
    assert report.kind == "not_report"


def test_list_page_is_not_a_report():
    from .portal_pages import trs_list_page

    entries = [(f"./2023{i:02d}/t2023{i:02d}01_{i}.html", f"示范县{2010 + i}年政府信息公开工作年度报告", "2023-01-01")
               for i in range(1, 13)]
    assert parse(trs_list_page("政府信息公开年报", entries, 3, 0)).kind == "not_report"


def test_challenge_page_is_not_a_report():
    page = b"<html><head><script>var a=1;document.cookie='x';location.reload();</script></head><body></body></html>"
    assert parse(page).kind == "not_report"


def test_notice_that_publishes_a_report_is_the_report():
    """037: a law-database copy of 《…关于印发…年度报告的通知》 carrying the report itself."""
    page = corpus_page("037")
    report = parse(page["excerpt"].encode(), url=page["url"])
    assert report.kind == "report" and report.report_year == 2009


# ----------------------------------------------------------------------------- legacy statistics tables

SH_TABLE = """<table border=1><tr><td>指标名称</td><td>计量单位</td><td>代码</td><td>本期实际</td><td>本年累计</td></tr>
<tr><td>主动公开信息数</td><td>条</td><td>01</td><td>120</td><td>1516</td></tr>
<tr><td>其中：全文电子化的主动公开信息数</td><td>条</td><td>02</td><td>120</td><td>1,516</td></tr>
<tr><td>申请总数</td><td>条</td><td>10</td><td>3</td><td>25</td></tr>
<tr><td>其中：1.当面申请数</td><td>条</td><td>11</td><td>1</td><td>10</td></tr>
<tr><td>2.传真申请数</td><td>条</td><td>12</td><td>0</td><td>0</td></tr>
<tr><td>3.电子邮件申请数</td><td>条</td><td>13</td><td>0</td><td>2</td></tr>
<tr><td>4.网上申请数</td><td>条</td><td>14</td><td>2</td><td>11</td></tr>
<tr><td>5.信函申请数</td><td>条</td><td>15</td><td>0</td><td>1</td></tr>
<tr><td>收取费用总数</td><td>元</td><td>40</td><td>0</td><td>0</td></tr></table>"""


def legacy_table_page(table_html: str) -> bytes:
    body = ("<p>示范市2012年政府信息公开工作年度报告</p><p>本报告中所列数据的统计期限自2012年1月1日起至2012年12月31日止。</p>"
            "<p>一、概述</p><p>全文电子化的主动公开信息占全部主动公开信息的100%，其中否决公开答复0条。</p>"
            "<p>二、附表</p>" + table_html)
    return f'<html><head><meta charset="utf-8"></head><body><div id="zoom">{body}</div></body></html>'.encode()


def test_shanghai_family_indicator_table():
    report = parse(legacy_table_page(SH_TABLE))
    figures = {(m.table, m.row, m.col): m.value for m in report.metrics if m.source == "table"}
    assert "legacy_sh" in report.flags
    assert figures[("legacy_sh_stats", "active.total", "year_value")] == 1516
    assert figures[("legacy_sh_stats", "active.total", "period_value")] == 120
    assert figures[("legacy_sh_stats", "active.full_text_electronic", "year_value")] == 1516
    assert figures[("legacy_sh_stats", "requests.online", "year_value")] == 11
    assert not any(col == "code" or value == 1 and row == "active.total" for (_t, row, col), value in figures.items())
    channels = next(c for c in report.checks if c.rule == "L.requests_channels")
    assert channels.status == "fail" and "25 vs 24" in channels.detail  # 10+0+2+11+1 = 24: the table does not add up


def test_indicator_table_without_header_takes_a_lone_value_only():
    table = ("<table border=1><tr><td>主动公开信息数</td><td>条</td><td>425</td></tr>"
             "<tr><td>申请总数</td><td>条</td><td>3</td><td>25</td></tr></table>")
    figures = {(m.row, m.col): m.value for m in parse(legacy_table_page(table)).metrics if m.source == "table"}
    assert figures == {("active.total", "year_value"): 425}  # two numbers without a header: which is which is unknown


def test_headings_in_bold_or_h_tags_without_numerals_are_sections():
    body = ("<p>示范县2016年政府信息公开工作年度报告</p><h3>概述</h3><p>本年度工作平稳。</p>"
            "<p><strong>主动公开政府信息情况</strong></p><p>全年主动公开政府信息1200条。</p>"
            "<p><b>依申请公开政府信息情况</b></p><p>全年共受理政府信息公开申请8件。</p>")
    page = f'<html><head><meta charset="utf-8"></head><body><div id="zoom">{body}</div></body></html>'.encode()
    report = parse(page)
    assert [(s.key, s.title) for s in report.sections if s.key != "preamble"] == [
        ("overview", "概述"), ("active", "主动公开政府信息情况"), ("on_request", "依申请公开政府信息情况")]
    assert prose_figures(report) == {"active.total": 1200, "requests.total": 8}


def test_publish_date_from_the_info_bar_outside_the_body():
    page = ('<html><body><div class="info">发布时间：2018年02月13日 来源：县政府办</div>'
            '<div class="TRS_Editor"><p>灵山县2017年政府信息公开工作年度报告</p><p>一、概述</p>'
            '<p>2017年，全县主动公开政府信息39387条，有效保障公众的知情权、参与权和监督权，政府信息公开工作有序推进。</p>'
            '<p>二、依申请公开情况</p><p>2017年度我县未接到依申请公开政府信息的申请，也未发生行政复议和行政诉讼。</p></div>'
            '</body></html>').encode()
    report = parse(page)
    assert report.published_date == "2018-02-13" and report.report_year == 2017


def test_a_numbered_section_heading_is_never_the_title():
    """二、政府信息公开工作情况 names a report's words but is its second section: the title is the page's heading."""
    page = ('<html><head><title>示范县审计局2010年政府信息公开工作情况</title></head><body>'
            '<h1>示范县审计局2010年政府信息公开工作情况</h1><div class="TRS_Editor"><p>一、概述</p>'
            f'<p>{PREAMBLE}</p><p>二、政府信息公开工作情况</p>'
            '<p>我局共接受公民、法人及其他组织政府信息公开方面的咨询26人次，全年未收到政府信息公开申请。</p></div>'
            '</body></html>').encode()
    report = parse(page)
    assert report.title == "示范县审计局2010年政府信息公开工作情况" and report.report_year == 2010
    assert prose_figures(report) == {"consult.total": 26, "requests.total": 0}


def test_metadata_traps_frozen_header_date_republished_url_and_disagreeing_year():
    page = ('<html><body><div class="top">2019年12月3日星期二 欢迎访问</div>'
            '<div class="info">发布日期：2013-03-20</div><div id="zoom">'
            '<p>北京市西城区2012年政府信息公开工作年度报告</p>'
            '<p>本报告中所列数据的统计期限自2011年1月1日起至2011年12月31日止。</p>'
            '<p>一、概述</p><p>2012年西城区政府信息公开工作坚持以科学发展观为指导，全区主动公开政府信息5713条。</p>'
            '<p>二、依申请公开情况</p><p>全区受理政府信息公开申请311件。</p></div></body></html>').encode()
    report = parse(page, url="http://www.example.gov.cn/gongkai/zfxxgknb/2012nb/202010/t20201009_2106002.html")
    assert report.report_year == 2012  # from the title, not the 2020 republication in the URL
    assert report.published_date == "2013-03-20"  # the labelled date, not the frozen page header
    assert any("2012" in w and "2011" in w for w in report.warnings)
    assert report.issuer == "北京市西城区人民政府"


@pytest.mark.parametrize("name, year, fmt", [
    ("050", 2023, "legacy"),  # a 2023 report written in the old structure (概述 … 收费及减免)
    ("020", 2010, "legacy"),  # no title: 2010年，我局继续开展政府信息公开工作 (traditional mirror)
    ("104", 2011, "legacy"),  # page 2 of a report: 2011年新增主动公开政府信息…
    ("085", 2022, "gov2021"),  # 《沙依巴克区人民政府2022年度政府信息公开工作年度报告》 in the preamble
    ("071", 2020, "gov2019"),  # the overview opens with it: 一、总体情况 / 2020年,区发改局以…
    ("078", 2010, "legacy"),  # 一、政府信息公开工作的基本概况 / 2010年,南昌縣統計局在… (traditional mirror)
    ("026", 2009, "legacy"),  # a wiki mirror's address names it: /wiki/2009上海市政府信息公開工作年度報告
])
def test_year_and_format_without_a_title(name, year, fmt):
    page = corpus_page(name)
    report = parse(page["excerpt"].encode(), url=page["url"])
    assert (report.report_year, report.format) == (year, fmt)


@pytest.mark.parametrize("opening, year", [
    ("2016年，我局认真贯彻落实上级关于政务工作的部署。", 2016),
    ("2016年度，服务中心在区委区政府的正确领导下扎实开展各项工作。", 2016),
    ("2016年以来，我局认真贯彻落实上级关于政务工作的部署。", None),  # since then: no year of its own
    ("2016年是“十三五”开局之年，我局认真贯彻落实上级部署。", None),
])
def test_the_year_an_untitled_overview_opens_with(opening, year):
    page = legacy_page(["一、概述", opening, "二、主动公开情况", "我局通过门户网站公开机构职能、工作动态等信息。"],
                       title="示范县审计局政府信息公开工作情况")
    assert parse(page).report_year == year


@pytest.mark.parametrize("sentence", [
    "全县通过网上申请1200件行政许可事项，办结率100%。",  # 网上申请 of permits, not of information
    "全年办理行政复议案件120件，行政诉讼应诉案件35件。",  # review cases of any kind
    "截至2014年底，累计主动公开政府信息12000条。",  # cumulative over the years
    "主动公开政府信息约3000条。",  # an approximation
])
def test_figures_not_about_the_year_or_not_about_disclosure_are_not_taken(sentence):
    report = parse(legacy_page(["一、概述", "2014年，我县认真推进依法行政和政务服务。", sentence]))
    assert prose_figures(report) == {}


@pytest.mark.parametrize(("head", "row", "year_value", "cumulative"), [
    ("<td>指标名称</td><td>计量单位</td><td>2013年度</td><td>历年累计</td>", "<td>条</td><td>1853</td><td>5395</td>", 1853, 5395),
    ("<td>指标名称</td><td>单位</td><td>2013年</td><td>累计</td>", "<td>条</td><td>1853</td><td>5395</td>", 1853, 5395),
    ("<td>指标名称</td><td>单位</td><td>截至本年底</td><td>本年</td>", "<td>条</td><td>5395</td><td>1853</td>", 1853, 5395),
    # the year's cell empty: the lone number is the total to date, never the year's
    ("<td>指标名称</td><td>单位</td><td>2013年</td><td>累计</td>", "<td>条</td><td></td><td>5395</td>", None, 5395),
])
def test_legacy_table_takes_the_year_column_never_the_cumulative_one(head, row, year_value, cumulative):
    table = f"<table border=1><tr>{head}</tr><tr><td>主动公开信息数</td>{row}</tr></table>"
    figures = {m.col: m.value for m in parse(legacy_table_page(table)).metrics
               if m.source == "table" and m.row == "active.total"}
    assert figures.get("year_value") == year_value and figures.get("cumulative_all_years") == cumulative


def test_legacy_table_whose_columns_cannot_be_told_apart_gives_nothing_with_a_warning():
    table = ("<table border=1><tr><td>指标名称</td><td>单位</td><td>甲</td><td>乙</td></tr>"
             "<tr><td>主动公开信息数</td><td>条</td><td></td><td>5395</td></tr></table>")
    report = parse(legacy_table_page(table))
    assert not [m for m in report.metrics if m.source == "table"]
    assert any("cannot be told apart" in w for w in report.warnings)


def _wording_cases() -> list:
    from parsers.prose import wordings

    cases = []
    for item in wordings()["indicators"]:
        keys = [item["key"].format(subject=subject) for subject in item.get("subjects", [None])]
        cases += [(case.get("key", item["key"]), case["text"], case["value"]) for case in item.get("examples", [])]
        cases += [(key, text, None) for text in item.get("not", []) for key in keys]
    cases += [(item["keys"][0], text, 0) for item in wordings()["zero"] for text in item["examples"]]
    cases += [(item["keys"][0], text, None) for item in wordings()["zero"] for text in item.get("not", [])]
    return cases


@pytest.mark.parametrize(("key", "text", "value"), _wording_cases())
def test_every_wording_of_the_table_on_its_real_examples(key, text, value):
    """prose-wordings.json: each indicator's wordings read its examples (real report text), and never its
    counter-examples (parts, approximations, totals to date)."""
    report = parse(legacy_page([PREAMBLE, "一、概述", "本年度政府信息公开工作平稳有序。", "二、政府信息公开工作情况", text]))
    assert report.kind == "report" and prose_figures(report).get(key) == value


@pytest.mark.parametrize(("sentence", "expected"), [
    ("2014年，行政复议、行政诉讼均为0。", {"review.total": 0, "litigation.total": 0}),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况：无。", {"review.total": 0, "litigation.total": 0}),
    ("全年无政府信息公开申请，未收取任何费用。", {"requests.total": 0, "fees.total": 0}),
    ("全县共有政府信息公开工作人员56人，其中专职人员12人，兼职人员44人。",
     {"staff.total": 56, "staff.full_time": 12, "staff.part_time": 44}),
    ("举办政府信息公开业务培训班3期，培训人员120人次。", {"training.classes": 3, "training.attendees": 120}),
    ("召开新闻发布会12场，组织政府在线访谈8次，发布政策解读稿件40篇。",
     {"response.press_conferences": 12, "response.online_interviews": 8, "response.interpretations": 40}),
])
def test_more_legacy_indicators_in_sentences(sentence, expected):
    report = parse(legacy_page(["一、概述", "二、政府信息公开工作情况", sentence]))
    assert prose_figures(report) == expected


@pytest.mark.parametrize("sentence", [
    "通过政府网站公开征求意见12次。", "各乡镇政府网站公开信息1200条。", "县直各部门政府信息公开工作人员共120名。",
    "全年共公开招聘信息20条。", "政府门户网站发布新闻300条。", "其中，乡镇政府网站公开300条。",
    "其他方式公开的信息占10%。", "全年共发布政务信息1234条。", "各乡镇均无政府信息公开申请。",
    "无政府信息公开申请被驳回的情况。", "截至目前，共收到信息公开申请30件。", "全年培训200余人次。",
    "2013年以来共收到信息公开申请30件。",
    "主动公开政府信息2000余条。",
])
def test_sentences_near_a_wording_that_state_no_figure_of_the_body(sentence):
    """Precision: what looks like a wording (other bodies, other information, approximations) gives nothing."""
    assert prose_figures(parse(legacy_page([PREAMBLE, "一、概述", "二、政府信息公开工作情况", sentence]))) == {}


def test_the_heads_share_is_of_the_count_it_follows_in_its_sentence_only():
    page = legacy_page([PREAMBLE, "一、概述", "二、政府信息公开工作情况",
                        "召开新闻发布会6次。举办培训班3期，其中主要负责同志参加1次。"])
    assert prose_figures(parse(page)) == {"response.press_conferences": 6, "training.classes": 3}


def test_a_short_older_report_without_numbered_sections_is_still_a_report():
    page = legacy_page(["2010年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，明确专人负责政府信息公开工作，"
                        "及时在县政府门户网站公开机构职能、工作动态等信息，全年运行平稳，群众满意度较高。"],
                       title="示范县审计局2010年政府信息公开工作情况")
    report = parse(page)
    assert report.kind == "report" and report.report_year == 2010


def test_legacy_table_sums_of_denials_and_fees():
    rows = [("3.否决公开答复总数", "5"), ("（1）“国家秘密”数", "2"), ("（2）“商业秘密”数", "1"), ("（3）“个人隐私”数", "1"),
            ("收取费用总数", "300"), ("主动公开信息收费总数", "100"), ("依申请提供信息收取费用", "150")]
    table = "<table border=1><tr><td>指标名称</td><td>计量单位</td><td>本年累计</td></tr>" + "".join(
        f"<tr><td>{label}</td><td>条</td><td>{value}</td></tr>" for label, value in rows) + "</table>"
    checks = {c.rule: c for c in parse(legacy_table_page(table)).checks}
    assert checks["L.replies_denied"].status == "fail" and "5 vs 4" in checks["L.replies_denied"].detail
    assert checks["L.fees"].status == "fail" and "300 vs 250" in checks["L.fees"].detail


def test_every_key_prose_can_give_has_its_label_to_store_and_compare():
    """metric_labels names each figure in the database; an outcome of a named case (review.upheld) is named per case."""
    from parsers.formats.labels import metric_labels
    from parsers.prose import count_rules, zero_rules

    labelled = {row["row_key"]: row["label"] for row in metric_labels() if row["table_key"] == "legacy"}
    emitted = {rule.key for rule in count_rules()} | {key for _, keys in zero_rules() for key in keys}
    assert emitted <= set(labelled)
    assert not [key for key in labelled if "{" in key]
    assert labelled["review.upheld"] == "行政复议：维持（件）"


GB2014_ROWS = [("（一）收到申请数", 20), ("1.当面申请数", 8), ("2.传真申请数", 1), ("3.网络申请数", 9), ("4.信函申请数", 2),
               ("（二）申请办结数", 20), ("1.按时办结数", 19), ("2.延期办结数", 1),
               ("（三）申请答复数", 20), ("1.属于已主动公开范围数", 3), ("2.同意公开答复数", 8), ("3.同意部分公开答复数", 2),
               ("4.不同意公开答复数", 3), ("其中：涉及国家秘密", 1), ("涉及商业秘密", 0), ("涉及个人隐私", 0),
               ("危及国家安全、公共安全、经济安全和社会稳定", 0), ("不是《条例》所指政府信息", 2), ("法律法规规定的其他情形", 0),
               ("5.不属于本行政机关公开", 2), ("6.申请信息不存在", 1), ("7.告知作出更改补充", 1), ("8.告知通过其他途径办理", 0),
               ("四、行政复议数量", 3), ("（一）维持具体行政行为数", 2), ("（二）被依法纠错数", 1), ("（三）其他情形数", 0),
               ("从事政府信息公开工作人员数", 5), ("1.专职人员数", 2), ("2.兼职人员数", 3)]


def gb2014_page(rows: list[tuple[str, int]]) -> bytes:
    """The 2014 national form (国办发〔2014〕32号) as a 2015 county report prints it."""
    table = "<table border=1><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>" + "".join(
        f"<tr><td>{label}</td><td>件</td><td>{value}</td></tr>" for label, value in rows) + "</table>"
    body = ("<p>示范县2015年政府信息公开工作年度报告</p><p>本报告中所列数据的统计期限自2015年1月1日起至2015年12月31日止。</p>"
            "<p>一、概述</p><p>本年度回应解读工作扎实推进，属于已主动公开范围的申请及时告知申请人。</p>"
            "<p>二、附表 政府信息公开情况统计表</p>" + table)
    return f'<html><head><meta charset="utf-8"></head><body><div id="zoom">{body}</div></body></html>'.encode()


def test_the_2014_forms_identities_pass_on_a_table_that_adds_up():
    """Its replies count eight kinds of answer (not the Shanghai form's three), its denials six reasons."""
    checks = {c.rule: c.status for c in parse(gb2014_page(GB2014_ROWS)).checks}
    assert checks == {rule: "pass" for rule in ("L.requests_channels", "L.requests_completed", "L.replies_sum",
                                                 "L.replies_denied", "L.review_outcomes", "L.staff")}


@pytest.mark.parametrize(("label", "rule"), [
    ("2.传真申请数", "L.requests_channels"), ("2.延期办结数", "L.requests_completed"),
    ("7.告知作出更改补充", "L.replies_sum"), ("不是《条例》所指政府信息", "L.replies_denied"),
    ("（二）被依法纠错数", "L.review_outcomes"), ("2.兼职人员数", "L.staff")])
def test_each_of_the_2014_forms_identities_broken_is_found(label, rule):
    rows = [(name, value + 4 if name == label else value) for name, value in GB2014_ROWS]
    failed = {c.rule: c.detail for c in parse(gb2014_page(rows)).checks if c.status == "fail"}
    assert list(failed) == [rule] and "off by -4" in failed[rule]


def test_a_2014_form_cut_short_is_not_judged_on_the_parts_it_lacks():
    rows = GB2014_ROWS[:12]  # the replies' total and its first three kinds only: an excerpt, a page of a PDF
    assert "L.replies_sum" not in {c.rule for c in parse(gb2014_page(rows)).checks}
