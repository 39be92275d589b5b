"""From a portal's homepage to its report columns: which links on a navigation page to follow, and what they are.

Pure functions over link texts and URLs (the wording lives in navigation.json), so a layout is testable without
Scrapy. Discovery follows only the navigation that leads toward disclosure (政务公开 → 政府信息公开 → 部门信息公开
→ a body → 年报) and stops at the columns, which the crawl then pages through as it does for registry columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from .families import Link
from .links import NEXT_PAGE_TEXT, is_attachment, looks_like_report, same_column

MAX_NAV_TEXT = 16  # a menu item; longer texts are article titles
MAX_BODY_TEXT = 30  # 钦州市灵山县发展和改革局 and the like
MAX_DEPTH = 6  # homepage → 政务公开 → 信息公开 → 部门信息公开 → page 2 → a body → its 信息公开目录
_STRIP = re.compile(r"[\s\u3000·•>》«»【】\[\]()（）|:：,，、.。-]+")
_YEAR = re.compile(r"(?:19|20)\d{2}")


class Role(Enum):
    REPORT = "report"  # a report itself (a homepage's link to this year's report)
    COLUMN = "column"  # a report column: crawled as a list
    TOWARD = "toward"  # navigation toward disclosure
    CATALOGUE = "catalogue"  # a page listing bodies (部门信息公开, 乡镇信息公开)
    BODY = "body"  # a body on a catalogue page: its own disclosure pages
    PAGER = "pager"  # the next page of a catalogue


@dataclass(frozen=True)
class Step:
    role: Role
    link: Link
    text: str  # the link text as judged (spaces and brackets removed)


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    data = json.loads((Path(__file__).parent / "navigation.json").read_text("utf-8"))
    return {key: tuple(words) for key, words in data.items() if not key.startswith("_")}


def clean(text: str) -> str:
    return _STRIP.sub("", text)


def _has(text: str, group: str) -> bool:
    return any(word in text for word in vocabulary()[group])


def has_avoided_word(text: str) -> bool:
    return _has(text, "avoid")


def is_column_text(text: str) -> bool:
    """A menu item naming the annual-report column (政府信息公开年报, 年度报告), not a look-alike (企业年报公示,
    统计年报, 政府工作报告) and not one report (a year in the text)."""
    return (len(text) <= MAX_NAV_TEXT and _has(text, "column") and not _has(text, "look_alike")
            and not _YEAR.search(text))


def is_body_text(text: str) -> bool:
    """The name of a body (县发改局, 城关镇, 东城街道办事处) as a catalogue lists it."""
    return (2 <= len(text) <= MAX_BODY_TEXT and text.endswith(vocabulary()["body_suffix"]) and not _YEAR.search(text)
            and not _has(text, "column"))


def judge(link: Link, page_url: str, *, catalogue: bool) -> Step | None:
    """What following this link from a discovery page leads to, or None (news, services, search: not fetched).

    catalogue: the page lists bodies (it was reached by a 部门/乡镇 link), so body names are followed."""
    if is_attachment(link.url):
        return None
    text = clean(link.text)
    if not text:
        return None
    if looks_like_report(link):
        return Step(Role.REPORT, link, text)
    if is_column_text(text):
        return Step(Role.COLUMN, link, text)
    if catalogue and is_body_text(text) and not _has(text, "toward"):
        return Step(Role.BODY, link, text)
    if catalogue and NEXT_PAGE_TEXT.match(text) and same_column(link.url, page_url, nested=True):
        return Step(Role.PAGER, link, text)
    if len(text) > MAX_NAV_TEXT or _has(text, "avoid") or _YEAR.search(text):
        return None  # an article title (a year in it), or news, services, search
    if _has(text, "catalogue"):
        return Step(Role.CATALOGUE, link, text)
    if _has(text, "toward"):
        return Step(Role.TOWARD, link, text)
    return None


def level_of(body: str | None, portal_level: str | None) -> str | None:
    """A guess from the name: townships end in 镇/乡/街道 (…办事处), other named bodies are departments."""
    if not body:
        return portal_level
    if re.search(r"(?:镇|乡|街道|街道办事处|办事处)(?:人民政府)?$", body):
        return "township"
    if body.endswith("人民政府"):
        return portal_level
    return "department"


def place_of(portal_name: str) -> str | None:
    """The place a portal's body names: 灵山县人民政府 → 灵山县."""
    match = re.match(r"^(.+?(?:自治州|自治县|自治旗|特别行政区|省|市|州|盟|县|区|旗))", portal_name)
    return match.group(1) if match else None


def full_body_name(body: str, portal_name: str) -> str:
    """A column's body with its place, as a report would name it: 县发改局 on 灵山县's portal → 灵山县发改局;
    城关镇 → 灵山县城关镇. A name that already carries a place is kept."""
    place = place_of(portal_name)
    if not place or body.startswith(place) or place_of(body) and not body.startswith(("县", "区", "市")):
        return body
    stem = place[:-1]
    for generic in ("县", "区", "市", "旗"):
        if body.startswith(generic) and place.endswith(generic):
            return stem + body
    return place + body
