"""Report metadata: title, report year, publish date, issuer (the body reported on)."""

from __future__ import annotations

import re
from datetime import date

from .document import Document, Paragraph
from .text import fold, squeeze

_REPORT_WORDS = ("年度报告", "年报", "工作报告")
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]\s+")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?度?\s*(?:政府信息公开|政务公开|信息公开|政府信息)")
_ANY_YEAR_REPORT = re.compile(r"((?:19|20)\d{2})\s*年度?")
# 统计期限: "2017年1月1日至2017年12月31日", damaged "201711日起至1231日止", "2015年1月1日----…"
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*0?1\s*月?\s*0?1\s*日?\s*(?:起|开始)?\s*(?:至|到|—|-|－|~|～)+")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:全年|，|,|)?(?:本机关|我县|我市|我区|全县|全市|全区)?"
                        r"(?:的)?(?:政府信息公开|政务公开)")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_LABEL = re.compile(r"(?:发布|公开|成文|印发)(?:日期|时间)\s*[:：]?\s*")
_REGION_SUFFIX = ("省", "市", "县", "区", "旗", "州", "盟", "自治区", "自治县", "自治州")
_TITLE_TAIL = re.compile(r"(?:关于)?(?:公布|发布)?(?:的)?(?:(?:19|20)\d{2}年度?)?(?:政府信息公开|政务公开|信息公开).*$")
_HEAD_BLOCKS = 12
_TITLE_LABEL = re.compile(r"^(?:标题|题名|名称)[:：]")
# Lines that mention a report without being its title: breadcrumbs, sentences, the preamble.
_NOT_TITLE = re.compile(r"当前位置|首页|[，,。；;]|^(?:本|根据|按照|依据)")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def pick_title(doc: Document) -> str | None:
    """The report's own title: a short heading-like line naming a report, else the page title."""
    for block in doc.blocks[:_HEAD_BLOCKS]:
        text = block.text if isinstance(block, Paragraph) else ""
        if len(text) <= 60 and any(w in text for w in _REPORT_WORDS) and not _NOT_TITLE.search(text):
            return _TITLE_LABEL.sub("", squeeze(text))
    for candidate in doc.title_candidates:
        for part in _TITLE_SPLIT.split(candidate):
            if any(w in part for w in _REPORT_WORDS) and not _NOT_TITLE.search(part):
                return _TITLE_LABEL.sub("", squeeze(part))
    return None


def year_from_title(title: str | None) -> int | None:
    if not title:
        return None
    text = fold(title)
    m = _TITLE_YEAR.search(text) or _ANY_YEAR_REPORT.search(text)
    return int(m.group(1)) if m else None


def year_from_period(text: str) -> int | None:
    """text: folded (NFKC) report text."""
    m = _PERIOD.search(text)
    return int(m.group(1)) if m else None


def year_from_body(text: str) -> int | None:
    m = _BODY_YEAR.search(text)
    return int(m.group(1)) if m else None


def report_year(title: str | None, text: str, warnings: list[str]) -> int | None:
    """text: the folded beginning of the report, where 统计期限 is stated."""
    by_title, by_period, by_body = year_from_title(title), year_from_period(text), year_from_body(text)
    # The title names the report; 统计期限 and body years are often copied from the year before.
    found = by_title or by_period or by_body
    if by_title and by_period and by_title != by_period:
        warnings.append(f"title says {by_title} but the statistics period (统计期限) starts in {by_period}")
    return found


def published_date(doc: Document, head: str, tail: str) -> str | None:
    """From date metadata, a labelled date near the title, or the signature date at the end (folded texts)."""
    for hint in doc.date_hints:
        if (m := _ISO_DATE.search(hint)) and (iso := _iso(*m.groups())):
            return iso
    lines = "\n".join(fold(b.text) for b in doc.blocks[:_HEAD_BLOCKS] if isinstance(b, Paragraph))
    for source in (lines, head):
        if (label := _DATE_LABEL.search(source)) and (
                m := _ISO_DATE.match(source, label.end()) or _CN_DATE.match(source, label.end())):
            return _iso(*m.groups())
    if m := _ISO_DATE.search(lines):
        return _iso(*m.groups())
    signed = list(_CN_DATE.finditer(tail))
    return _iso(*signed[-1].groups()) if signed else None


def issuer_from_title(title: str | None) -> str | None:
    """灵山县2017年政府信息公开工作年度报告 → 灵山县人民政府; 2019年上海市人民政府办公厅… → 上海市人民政府办公厅."""
    if not title:
        return None
    text = squeeze(fold(title))
    m = re.match(r"^(.*?)((?:19|20)\d{2})年度?(.*)$", text)
    if m:
        before, after = m.group(1), m.group(3)
        name = before or _TITLE_TAIL.sub("", after)
    else:
        name = _TITLE_TAIL.sub("", text)
    name = name.strip("《》“”\"")
    if not name or len(name) > 40:
        return None
    if name.endswith(_REGION_SUFFIX):
        name += "人民政府"
    return name
