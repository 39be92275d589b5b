"""Figures that pre-2019 reports give in sentences (report-formats.md §10.4), as `source='prose'` metrics.

Precision over recall: a figure is taken only from a clause whose wording names exactly one
indicator, never from a 其中 breakdown, and a figure stated twice with different values is dropped.
Zero stated in words (未接到…申请, 未收取…费用, 没有…行政复议) counts as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .budget import MAX_DIGITS
from .model import Metric, Report, Section
from .text import fold

PROSE_TABLE = "legacy"
PROSE_COLUMN = "value"
_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_COUNT_UNIT = r"\s*(?:条|件|个|起|宗|份|次|人次)"
_MONEY = rf"{_NUMBER}\s*(?P<unit>万元|元)"
_CLAUSES = re.compile(r"[，,；;。！!？?\n]")
_SENTENCES = re.compile(r"[。；;！!？?]")
# Comparisons and approximations state no figure of the year; a 其中 clause states parts, never a total.
_APPROXIMATE = re.compile(r"占|同比|比上年|较上年|增长|下降|增加|减少|以上|以下|平均|约|近|超过|余")
# Totals to date (截至2014年底累计…, 历年) are not the year's figures: the whole sentence is skipped.
_CUMULATIVE = re.compile(r"累计至|截至目前|历年|自.{0,12}以来|(?:截至|截止)\d{4}年底")
_PART_OF = re.compile(r"其中|分别")


# Requests, replies, review and fees are counted only in sentences about information disclosure:
# 网上申请 or 行政复议 elsewhere in a county's report may be about permits or any administrative case.
DISCLOSURE = re.compile(r"政府信息|信息公开|依申请|公开申请|信息处理费|检索费|复制费|邮寄费")
DISCLOSURE_SECTIONS = {"on_request", "applications", "fees", "review_litigation"}


@dataclass(frozen=True)
class CountRule:
    key: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # words that make the clause about something else
    money: bool = False
    needs_context: bool = True  # the sentence must speak of information disclosure


def _rule(key: str, pattern: str, unless: str | None = None, money: bool = False) -> CountRule:
    return CountRule(key, re.compile(pattern), re.compile(unless) if unless else None, money,
                     needs_context=not key.startswith("active."))


# The figures of §10.4, each from the wording real reports use (seed, corpus).
COUNT_RULES = (
    _rule("active.total", rf"主动公开(?:政府)?信息(?:总数|总量|数)?(?:共计?|总计|合计|累计)?{_NUMBER}{_COUNT_UNIT}",
          unless=r"通过|渠道|网站|微博|微信|公报|新闻|查阅|目录|其中|解读|发布会|电视|报刊|平台"),
    _rule("active.via_website", rf"通过(?:[\u4e00-\u9fff]{{0,6}})?(?:政府|门户)网站(?:主动)?公开(?:政府)?信息(?:共计?)?{_NUMBER}(?:{_COUNT_UNIT}|$)"),
    _rule("active.via_weibo", rf"通过政务微博(?:主动)?公开(?:政府)?信息(?:共计?)?{_NUMBER}(?:{_COUNT_UNIT}|$)"),
    _rule("active.via_wechat", rf"通过政务微信(?:公众号)?(?:主动)?公开(?:政府)?信息(?:共计?)?{_NUMBER}(?:{_COUNT_UNIT}|$)"),
    _rule("active.via_gazette", rf"通过(?:政府)?公报(?:主动)?公开(?:政府)?信息(?:共计?)?{_NUMBER}(?:{_COUNT_UNIT}|$)"),
    _rule("active.via_other", rf"通过新闻发布会[^，,]{{0,16}}(?:其他|其它)(?:渠道|方式)(?:主动)?公开(?:政府)?信息(?:共计?)?{_NUMBER}"
                              rf"(?:{_COUNT_UNIT}|$)"),
    _rule("active.via_reading_rooms", rf"查阅(?:点|场所|中心)(?:共)?更新(?:政府)?信息{_NUMBER}{_COUNT_UNIT}"),
    _rule("requests.total", rf"(?:共|累计)?(?:受理|收到|接到|接收)(?:了)?(?:各类)?(?:政府信息公开|依申请公开(?:政府信息)?)(?:的)?(?:申请)?"
                            rf"(?:共计?|合计)?{_NUMBER}\s*(?:件|条|个|起|宗|份|人次)",
          unless=r"答复|办结|同意|不予|不同意|部分|当面|网上|网络|信函|传真|邮件|电话"),
    _rule("requests.in_person", rf"当面(?:提出)?申请(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("requests.online", rf"(?:网上|网络|在线)(?:提出)?申请(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("requests.letter", rf"信函(?:方式)?(?:提出)?申请(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("requests.fax", rf"传真(?:方式)?(?:提出)?申请(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("requests.email", rf"电子邮件(?:方式)?(?:提出)?申请(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("replies.granted", rf"(?<!不)同意公开(?:的)?(?:答复)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("replies.partial", rf"(?:同意)?部分公开(?:的)?(?:答复)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("replies.denied", rf"(?:不予公开|不同意公开)(?:的)?(?:答复)?(?:共)?{_NUMBER}{_COUNT_UNIT}", unless=r"因|涉及|属于|其中"),
    _rule("replies.not_exist", rf"信息不存在(?:的)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("replies.not_held", rf"非本(?:机关|部门|单位)(?:掌握|职责|职权)(?:范围)?(?:的)?(?:信息)?(?:共)?{_NUMBER}{_COUNT_UNIT}"),
    _rule("fees.total", rf"(?<!未)(?<!没有)收取(?:[\u4e00-\u9fff]{{0,12}})?费用?(?:共计?|合计)?{_MONEY}", money=True),
    _rule("review.total", rf"行政复议(?:案件|申请)?(?:共计?)?{_NUMBER}\s*(?:件|起|宗|个)"),
    _rule("litigation.total", rf"行政诉讼(?:案件)?(?:共计?)?{_NUMBER}\s*(?:件|起|宗|个)"),
)

# Zero stated in words: the negated clause names which indicators it speaks of.
_NEGATION = r"(?:未|没有|无|均未|尚未|未曾|并未|不存在)"
ZERO_RULES = (
    (re.compile(rf"{_NEGATION}(?:接到|收到|受理|接收|发生)(?:过)?(?:任何)?(?:[\u4e00-\u9fff、]{{0,16}})?(?:政府信息公开|依申请公开)"
                r"(?:政府信息)?(?:的)?申请(?![\u4e00-\u9fff、]{0,8}(?:行政复议|复议|诉讼))"), ("requests.total",)),
    (re.compile(rf"{_NEGATION}(?:向申请人)?收取(?:任何)?[\u4e00-\u9fff、]{{0,16}}费用?"), ("fees.total",)),
)
_ZERO_REVIEW = re.compile(rf"{_NEGATION}(?:发生|出现|收到)?(?:过)?(?:因|涉及)?[\u4e00-\u9fff]{{0,14}}(?:行政复议|行政诉讼|申诉|举报|投诉)")
_MENTIONS = (("review.total", "行政复议"), ("litigation.total", "行政诉讼"), ("appeal.total", "申诉"),
             ("complaints.total", "投诉"))


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def extract_prose(report: Report) -> None:
    """Add prose metrics found in the text of the report's sections (legacy reports)."""
    report.metrics += prose_figures(report.sections, report.warnings)


def prose_figures(sections: list[Section], warnings: list[str]) -> list[Metric]:
    """The figures the sections state in sentences; a figure stated with two values is dropped, with a warning."""
    found: dict[str, tuple[int | float, str, str | None]] = {}
    conflicts: set[str] = set()

    def offer(key: str, value: int | float, raw: str, unit: str | None = None) -> None:
        if key in found and found[key][0] != value:
            conflicts.add(key)
        found.setdefault(key, (value, raw, unit))

    for section in sections:
        # the paragraph, or the section it stands in, says what its 其中 … are about
        section_about = section.key in DISCLOSURE_SECTIONS or bool(DISCLOSURE.search(section.title))
        for paragraph in fold(section.text).split("\n"):
            _read_paragraph(paragraph, section_about or bool(DISCLOSURE.search(paragraph)), offer)
    for key in sorted(conflicts):
        message = f"prose states {key} with different values; none kept"
        if message not in warnings:
            warnings.append(message)
    return [Metric(PROSE_TABLE, key, PROSE_COLUMN, value, raw, "prose", unit)
            for key, (value, raw, unit) in found.items() if key not in conflicts]


def _read_paragraph(paragraph: str, about_disclosure: bool, offer) -> None:
    for sentence in _SENTENCES.split(paragraph):
        if not sentence.strip() or _CUMULATIVE.search(sentence):
            continue
        for clause in _CLAUSES.split(sentence):
            _count_clause(clause, offer, about_disclosure)
        _zero_sentence(sentence, offer)


def _count_clause(clause: str, offer, about_disclosure: bool) -> None:
    if _APPROXIMATE.search(clause):
        return
    part_of = bool(_PART_OF.search(clause))
    for rule in COUNT_RULES:
        if (part_of and rule.key.endswith(".total")) or (rule.needs_context and not about_disclosure):
            continue
        m = rule.pattern.search(clause)
        if not m or (rule.unless and rule.unless.search(clause)) or len(m.group("n")) > MAX_DIGITS:
            continue
        offer(rule.key, _number(m.group("n")), m.group(0), m.group("unit") if rule.money else None)


def _zero_sentence(sentence: str, offer) -> None:
    for pattern, keys in ZERO_RULES:
        if (m := pattern.search(sentence)) and not re.search(r"\d", m.group(0)):
            for key in keys:
                offer(key, 0, m.group(0), "元" if key == "fees.total" else None)
    if (m := _ZERO_REVIEW.search(sentence)) and not re.search(r"\d", sentence[m.start():]):
        tail = sentence[m.start():]
        for key, word in _MENTIONS:
            if word in tail:
                offer(key, 0, tail.strip())
