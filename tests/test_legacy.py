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
                       "requests.fax": 105, "requests.letter": 38, "replies.granted": 1000, "replies.partial": 25}


def test_review_figures_named_in_a_summary_sentence():
    """094: 全区主动公开政府信息5713条,受理政府信息公开申请311件,收到…行政复议10件,行政诉讼7件."""
    page = corpus_page("094")
    figures = prose_figures(parse(page["excerpt"].encode(), url=page["url"]))
    assert figures == {"active.total": 5713, "requests.total": 311, "review.total": 10, "litigation.total": 7}


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
