"""Numbered sections (一、二、…) with keys from the format definitions."""

from __future__ import annotations

import re

from .document import Document, Paragraph
from .formats import GOV_FORMATS, KeyedLabels, load_format
from .model import Section
from .text import CN_NUMERALS, fold, split_label

_MAX_HEADING_LEN = 40
_HEADING = re.compile(rf"^\s*([{CN_NUMERALS}]{{1,3}})\s*[、.,，．]\s*(\S.*)$")
_SENTENCE_END = ("。", "；", ";", "：", ":")
# Last resort for titles no format lists: keywords → key, first match wins (order matters).
_KEYWORDS = {
    "gov": (("行政复议", "review_litigation"), ("行政诉讼", "review_litigation"),
            ("收到和处理", "applications"), ("依申请", "applications"), ("主动公开", "active_disclosure"),
            ("问题", "problems"), ("其他", "other_matters"), ("其它", "other_matters"),
            ("总体情况", "overview"), ("基本情况", "overview"), ("概述", "overview")),
    "legacy": (("行政复议", "review_litigation"), ("行政诉讼", "review_litigation"), ("收费", "fees"),
               ("依申请", "on_request"), ("回应", "response"), ("解读", "response"), ("咨询", "consultation"),
               ("主动公开", "active"), ("机构", "org_budget"), ("培训", "meetings_training"),
               ("问题", "problems"), ("其他", "other_matters"), ("其它", "other_matters"),
               ("基本情况", "overview"), ("总体情况", "overview"), ("概述", "overview")),
}


def numeral_value(numeral: str) -> int:
    digits = {c: i + 1 for i, c in enumerate(CN_NUMERALS)}
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + digits.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return digits.get(tens, 0) * 10 + digits.get(ones, 0)
    return digits.get(numeral, 0)


def _section_labels(fmt_key: str) -> list[KeyedLabels]:
    return load_format(fmt_key).sections


def section_key(title: str, fmt_key: str) -> str | None:
    label = split_label(title)
    family = "legacy" if fmt_key in ("legacy", "unknown") else "gov"
    for keyed in _section_labels("legacy" if family == "legacy" else fmt_key):
        if keyed.labels.matches(label):
            return keyed.key
    body = label.body
    return next((key for word, key in _KEYWORDS[family] if word in body), None)


def _is_table_row_label(text: str) -> bool:
    """一、本年新收…申请数量 … 四、结转下年度继续办理 are rows of table 3, not headings (text read one cell per line)."""
    label = split_label(text)
    return any(table.row(label) or table.group(label) for fmt in GOV_FORMATS for table in load_format(fmt).tables.values())


def heading_of(text: str) -> tuple[str, str] | None:
    """(numeral, title) when the paragraph is a top-level numbered heading."""
    if len(text) > 2 * _MAX_HEADING_LEN:  # before normalising: long paragraphs are never headings
        return None
    text = fold(text).strip()
    m = _HEADING.match(text)
    if not m or len(text) > _MAX_HEADING_LEN or text.endswith(_SENTENCE_END) or _is_table_row_label(text):
        return None
    return m.group(1), m.group(2).strip()


def _unnumbered_heading(block: Paragraph, fmt_key: str) -> str | None:
    """A bold or <h*> paragraph whose words are a known section title: a heading without its numeral."""
    text = block.text.strip()
    if not block.heading or len(text) > _MAX_HEADING_LEN or text.endswith(_SENTENCE_END):
        return None
    return section_key(text, fmt_key) and text


def split_sections(doc: Document, fmt_key: str) -> list[Section]:
    sections: list[Section] = []
    current = Section(number=None, key="preamble", title="", text="")
    parts: list[str] = []
    last_number = 0

    def close() -> None:
        current.text = "\n".join(parts).strip()
        if current.text or current.number or current.title:
            sections.extend(split_subsections(current))

    for block in doc.blocks:
        text = block.text if isinstance(block, Paragraph) else block.as_text()
        heading = heading_of(text) if isinstance(block, Paragraph) else None
        if heading is not None and numeral_value(heading[0]) > last_number:
            close()
            last_number = numeral_value(heading[0])
            current = Section(number=heading[0], key=section_key(heading[1], fmt_key), title=heading[1], text="")
            parts = []
            continue
        if isinstance(block, Paragraph) and (title := _unnumbered_heading(block, fmt_key)):
            close()
            current = Section(number=None, key=section_key(title, fmt_key), title=title, text="")
            parts = []
            continue
        parts.append(text)
    close()
    return sections


# （一）…, (一)…, and the damaged () of pages that lost their numerals (the seed)
_SUBHEADING = re.compile(rf"^\s*[(（]\s*([{CN_NUMERALS}]{{0,3}})\s*[)）]\s*(\S.*)$")
_SUBTITLE_END = re.compile(r"[。：:；;]")
_MAX_SUBTITLE_LEN = 30


def split_subsections(section: Section) -> list[Section]:
    """The section with its （一）（二）… parts as sections of their own: number 三（一）, the parent's key."""
    if section.number is None:
        return [section]
    head: list[str] = []
    subsections: list[Section] = []
    for line in section.text.split("\n"):
        m = _SUBHEADING.match(line)
        if m is None:
            (subsections[-1].text_lines if subsections else head).append(line)
            continue
        rest = m.group(2)
        end = _SUBTITLE_END.search(rest)
        title, body = (rest[: end.start()], rest[end.end():]) if end and end.start() <= _MAX_SUBTITLE_LEN else (
            (rest, "") if len(rest) <= _MAX_SUBTITLE_LEN else ("", rest))
        numeral = m.group(1) or CN_NUMERALS[min(len(subsections), len(CN_NUMERALS) - 1)]  # damaged: by order
        sub = _Sub(f"{section.number}（{numeral}）", section.key, title.strip(), [body] if body else [])
        subsections.append(sub)
    if not subsections:
        return [section]
    parent = Section(section.number, section.key, section.title, "\n".join(head).strip())
    return [parent] + [Section(s.number, s.key, s.title, "\n".join(s.text_lines).strip()) for s in subsections]


class _Sub:
    def __init__(self, number: str, key: str | None, title: str, text_lines: list[str]) -> None:
        self.number, self.key, self.title, self.text_lines = number, key, title, text_lines
