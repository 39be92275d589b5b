"""Figures that pre-2019 reports give in sentences (report-formats.md §10.4), as `source='prose'` metrics.

Precision over recall: a figure is taken only from a clause whose wording names exactly one
indicator, never from a 其中 breakdown, and a figure stated twice with different values is dropped.
Zero stated in words (未接到…申请, 未收取…费用, 没有…行政复议) counts as 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .budget import MAX_DIGITS
from .model import Metric, Report, Section
from .text import fold

PROSE_TABLE = "legacy"
PROSE_COLUMN = "value"
# Small counts are often written in words (兼职人员两名, 受理申请三件): one to ninety-nine; 一起 (together),
# 一次性 (at once) and 一件事 are no count.
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = r"[二三四五六七八九]?十[一二三四五六七八九]?|一(?!起|次性|件事)|[二两三四五六七八九]"
_NUMBER = rf"(?P<n>\d+(?:\.\d+)?|{_CHINESE_NUMBER})"
# Every count wording has a {N}: a clause without a digit or a numeral states no count (most clauses of a report).
_ANY_NUMBER = re.compile(r"[\d一二两三四五六七八九十]")
_COUNT_UNIT = r"\s*(?:条|件|个|起|宗|份|次|人次)"
_MONEY = rf"{_NUMBER}\s*(?P<unit>万元|元)"
_CLAUSES = re.compile(r"[，,；;。！!？?\n]")
_SENTENCES = re.compile(r"[。；;！!？?]")
# Comparisons and approximations state no figure of the year; a 其中 clause states parts, never a total.
_APPROXIMATE = re.compile(r"占|同比|比上年|较上年|增长|下降|增加|减少|以上|以下|平均|约|近|超过|余")
# Totals to date (截至2014年底累计…, 历年) are not the year's figures: the whole sentence is skipped.
# 2013年以来 in a later year's report is a total to date (in 2013's own it is the year's, but the reader cannot tell
# which here: nothing is safer than a sum of years).
_CUMULATIVE = re.compile(r"累计至|截至目前|历年|自.{0,12}以来|(?:截至|截止)\d{4}年底|\d{4}年以来")
_PART_OF = re.compile(r"其中|分别")
# All the information a body made or holds (制作、获取政府信息N条): its 其中 are the year's totals, not a breakdown.
_ALL_INFORMATION = re.compile(r"^[^其]*(?:制作、获取|制作和获取|制作或获取|产生和获取)(?:的)?(?:政府)?信息(?:总数|总量)?(?:共计?|为)?\d+")
_LEADING_PART_OF = re.compile(r"^\s*其中[:：]?")
_LABEL_END = re.compile(r"^(?!.*\d\s*(?:条|件|个|起|宗|份|次|人|名)).*[\u4e00-\u9fff]{3}(?:数|数量)$")
_INCLUDING = re.compile(r"^\s*包括[^，,\d]{1,20}?(?:共计?|合计)\d")


# All but proactive disclosure and answers to the public is counted only in sentences, or sections, about information
# disclosure: 网上申请, 行政复议 or 举办培训班 elsewhere in a county's report may be about permits, any case, any training.
DISCLOSURE = re.compile(r"政府信息|信息公开|依申请|公开申请|信息处理费|检索费|复制费|邮寄费")
DISCLOSURE_SECTIONS = {"on_request", "applications", "fees", "review_litigation", "consultation", "response",
                       "org_budget", "meetings_training"}


@dataclass(frozen=True)
class CountRule:
    key: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # words that make the clause about something else
    money: bool = False
    needs_context: bool = True  # the sentence must speak of information disclosure
    part: bool = False  # a breakdown itself (当面申请, 专职人员): may stand in a 其中 clause
    subject: str | None = None  # an outcome (维持, 纠错) counts for the case last named (复议, 诉讼, 投诉)
    # words earlier in the sentence that make it about other cases (受理行政许可事项N件，办结N件)
    unless_before: re.Pattern[str] | None = None
    # words the sentence's earlier clauses must say: a part said after its whole (…发布会6次，其中主要负责同志出席2次)
    only_after: re.Pattern[str] | None = None


WORDINGS = Path(__file__).parent / "formats" / "prose-wordings.json"
_PLACEHOLDERS = {"{N}": _NUMBER, "{COUNT}": _COUNT_UNIT, "{MONEY}": _MONEY}


def _compile(pattern: str) -> re.Pattern[str]:
    for placeholder, regex in _PLACEHOLDERS.items():
        pattern = pattern.replace(placeholder, regex)
    return re.compile(pattern)


@lru_cache(maxsize=1)
def wordings() -> dict:
    return json.loads(WORDINGS.read_text("utf-8"))


@lru_cache(maxsize=1)
def count_rules() -> tuple[CountRule, ...]:
    """The figures of §10.4 and the legacy indicators, each from the wording real reports use (prose-wordings.json).
    Figures of proactive disclosure and of answering the public (回应, 解读: the 2014 form's own rows) stand anywhere; the
    rest only in sentences or sections about information disclosure."""
    return tuple(CountRule(item["key"].format(subject=subject), _compile(pattern),
                           _compile(item["unless"]) if item.get("unless") else None,
                           item.get("money", False), needs_context=not item["key"].startswith(("active.", "response.")),
                           part=item.get("part", False), subject=subject,
                           unless_before=_compile(item["unless_before"]) if item.get("unless_before") else None,
                           only_after=_compile(item["only_after"]) if item.get("only_after") else None)
                 for item in wordings()["indicators"] for subject in item.get("subjects", [None])
                 for pattern in item.get("patterns", []))


@lru_cache(maxsize=1)
def _money_keys() -> frozenset[str]:
    """The indicators that are amounts: a zero said in words is 0 元."""
    return frozenset(rule.key for rule in count_rules() if rule.money)


@lru_cache(maxsize=1)
def subject_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The cases an outcome can be of (review, litigation, complaints), each with the words that name it."""
    return tuple((subject, re.compile(words)) for subject, words in wordings()["subjects"].items())


def _named_subject(clause: str, current: str | None) -> str | None:
    """The case a clause speaks of: the one it names, none when it names two, else the one named before."""
    named = {subject for subject, words in subject_words() if words.search(clause)}
    if not named:
        return current
    return named.pop() if len(named) == 1 else None


@lru_cache(maxsize=1)
def zero_rules() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Zero stated in words: the negated clause names which indicators it speaks of."""
    return tuple((_compile(item["pattern"]), tuple(item["keys"])) for item in wordings()["zero"])


_NEGATION = r"(?:未|没有|无|均未|尚未|未曾|并未|不存在)"
_ZERO_REVIEW = re.compile(rf"{_NEGATION}(?:发生|出现|收到)?(?:过)?(?:因|涉及)?[\u4e00-\u9fff]{{0,22}}(?:行政复议|行政诉讼|申诉|举报|投诉)")
# 行政复议、行政诉讼均为0, …提起行政诉讼的情况：无: the clause names them, then says none
_ZERO_SAID = re.compile(r"(?:(?:均为|均是|为|是)(?:零|0)(?:件|起|宗|个)?|的?情况[:：]\s*(?:无|没有))\s*$")
_MENTIONS = (("review.total", "行政复议"), ("litigation.total", "行政诉讼"), ("appeal.total", "申诉"),
             ("complaints.total", "投诉"))


def _number(text: str) -> int | float:
    if text[0] in _CHINESE_DIGITS or text[0] == "十":
        tens, ten, ones = text.partition("十")
        if not ten:
            return _CHINESE_DIGITS[text]
        return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)
    return float(text) if "." in text else int(text)


def extract_prose(report: Report) -> None:
    """Add prose metrics found in the text of the report's sections (legacy reports)."""
    report.metrics += prose_figures(report.sections, report.warnings)


def prose_figures(sections: list[Section], warnings: list[str], keys: frozenset[str] | None = None) -> list[Metric]:
    """The figures the sections state in sentences; a figure stated with two values is dropped, with a warning.
    keys: only these indicators (each is found as it would be among all: a conflict is within one key)."""
    found: dict[str, tuple[int | float, str, str | None]] = {}
    conflicts: set[str] = set()

    def offer(key: str, value: int | float, raw: str, unit: str | None = None) -> None:
        if keys is not None and key not in keys:
            return
        if key in found and found[key][0] != value:
            conflicts.add(key)
        found.setdefault(key, (value, raw, unit))

    asked = _asked(keys)
    for section in sections:
        # the paragraph, or the section it stands in, says what its 其中 … are about
        section_about = section.key in DISCLOSURE_SECTIONS or bool(DISCLOSURE.search(section.title))
        for paragraph in fold(section.text).split("\n"):
            _read_paragraph(paragraph, section_about or bool(DISCLOSURE.search(paragraph)), offer, keys, asked)
    for key in sorted(conflicts):
        message = f"prose states {key} with different values; none kept"
        if message not in warnings:
            warnings.append(message)
    return [Metric(PROSE_TABLE, key, PROSE_COLUMN, value, raw, "prose", unit)
            for key, (value, raw, unit) in found.items() if key not in conflicts]


def _read_paragraph(paragraph: str, about_disclosure: bool, offer, keys: frozenset[str] | None,
                    asked: _Asked) -> None:
    subject = None
    for sentence in _SENTENCES.split(paragraph):
        if not sentence.strip() or _CUMULATIVE.search(sentence):
            continue
        previous, before = "", ""
        for clause in _joined_labels(_CLAUSES.split(sentence)):
            if asked.follows_cases:
                subject = _named_subject(clause, subject)
            if _ALL_INFORMATION.search(previous):  # 制作、获取政府信息1873条，其中主动公开政府信息425条: the year's total
                clause = _LEADING_PART_OF.sub("", clause)
            _count_clause(clause, offer, _rules_for(bool(_PART_OF.search(clause)), about_disclosure, subject, keys),
                          before)
            previous, before = clause, f"{before}{clause},"
        _zero_sentence(sentence, offer, asked)


def _joined_labels(clauses: list[str]) -> list[str]:
    """回应公众关注热点或重大舆情数,包括正面舆情和负面舆情共13次: a label and its figure across a 包括 clause are one
    clause (the wordings that allow it say so: `数(?:,包括…)?`)."""
    joined: list[str] = []
    for clause in clauses:
        if joined and _INCLUDING.match(clause) and _LABEL_END.search(joined[-1]):
            joined[-1] += "," + clause
        else:
            joined.append(clause)
    return joined


@lru_cache(maxsize=64)
def _rules_for(part_of: bool, about_disclosure: bool, subject: str | None,
               keys: frozenset[str] | None) -> tuple[CountRule, ...]:
    """The rules a clause can match: a 其中 clause only breakdowns, one outside disclosure only context-free figures,
    outcomes only of the case named last; only the indicators asked for."""
    return tuple(rule for rule in count_rules()
                 if not ((part_of and not rule.part) or (rule.needs_context and not about_disclosure)
                         or (rule.subject and rule.subject != subject) or (keys is not None and rule.key not in keys)))


def _count_clause(clause: str, offer, rules: tuple[CountRule, ...], before: str) -> None:
    """before: the clauses of the sentence before this one."""
    if not rules or not _ANY_NUMBER.search(clause) or _APPROXIMATE.search(clause):
        return
    text, at = _unquoted(clause)
    for rule in rules:
        m = rule.pattern.search(text)
        if not m or (rule.unless and rule.unless.search(text)) or len(m.group("n")) > MAX_DIGITS \
                or (rule.unless_before and rule.unless_before.search(before)) \
                or (rule.only_after and not rule.only_after.search(before)):
            continue
        offer(rule.key, _number(m.group("n")), clause[at[m.start()]:at[m.end() - 1] + 1],
              m.group("unit") if rule.money else None)


def _unquoted(clause: str) -> tuple[str, Sequence[int]]:
    """The clause without quotation marks (“同意公开”的1000件: a reply's name quoted as the form names it), and where
    each of its characters stands in the clause, so that the figure's words are kept as printed."""
    if '"' not in clause and "'" not in clause:
        return clause, range(len(clause))
    at = [i for i, char in enumerate(clause) if char not in "\"'"]
    return "".join(clause[i] for i in at), at


@dataclass(frozen=True)
class _Asked:
    """What the indicators asked for need read (the others' figures would be dropped by offer anyway)."""
    zero_wordings: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    mentions: bool  # whether the cases _MENTIONS names are asked for
    follows_cases: bool  # whether a rule counts for the case named before (else the case is not followed)


@lru_cache(maxsize=16)
def _asked(keys: frozenset[str] | None) -> _Asked:
    return _Asked(tuple(rule for rule in zero_rules() if keys is None or keys.intersection(rule[1])),
                  keys is None or any(key in keys for key, _ in _MENTIONS),
                  any(rule.subject for rule in count_rules() if keys is None or rule.key in keys))


def _zero_sentence(sentence: str, offer, asked: _Asked) -> None:
    for pattern, keys in asked.zero_wordings:
        # a figure inside the negated words is not zero (没有收到…申请3件); a 0 the wording itself says is
        if (m := pattern.search(sentence)) and not re.search(r"[1-9]", m.group(0)):
            for key in keys:
                offer(key, 0, m.group(0), "元" if key in _money_keys() else None)
    if not asked.mentions:
        return
    if (m := _ZERO_REVIEW.search(sentence)) and not re.search(r"\d", sentence[m.start():]):
        tail = sentence[m.start():]
        for key, word in _MENTIONS:
            if word in tail:
                offer(key, 0, tail.strip())
    for clause in _CLAUSES.split(sentence):
        if _ZERO_SAID.search(clause) and not re.search(r"\d", _ZERO_SAID.sub("", clause)):
            for key, word in _MENTIONS:
                if word in clause:
                    offer(key, 0, clause.strip())
