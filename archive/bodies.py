"""Who a report is by: one key per body across years and spellings, the kind of body (which sets its statutory
deadline), and for governments their division (level, region code)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.divisions import Division, division, name_pattern, named
from parsers.text import fold, squeeze, to_simplified

_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
# 县政府 → 县人民政府 (but not 人民政府 itself, nor 政府办 → handled as a department)
_BARE_GOVERNMENT = re.compile(r"(?<!人民)政府(?=$|办公室|办公厅)")
# The same body printed with or without its formal tail: 大五里镇 / 大五里镇人民政府, 二郎街道 / 二郎街道办事处
_TOWNSHIP_TAIL = re.compile(r"(镇|乡|苏木|街道)(?:人民政府|办事处)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|苏木|街道)$")
_OTHER = re.compile(r"(?:管委会|管理区|开发区|高新区|试验区|实验区|园区|新区|经济区)$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办公厅|办|厅|中心|署|院|所|站|队|处|室|会|馆|社|台|行)$")

BODY_KINDS = ("government", "department", "township", "other")


@dataclass(frozen=True)
class Body:
    key: str  # one body, one key: simplified, without brackets, place prefixes settled
    kind: str  # government | department | township | other
    level: str | None  # province | city | county | township | department | None (unknown)
    region_code: str | None  # the body's own division where its name tells it, else the portal's


def _expand_place(name: str, place: Division | None) -> str:
    """县审计局 on the portal of 灵山县 → 灵山县审计局; 灵山人民政府 → 灵山县人民政府."""
    if place is None:
        return name
    if name[:1] in "县区市旗" and place.name.endswith(name[0]) and not name_pattern().match(name):
        return place.name + name[1:]
    if not name.startswith(place.name) and name.startswith(place.stem) and place.stem != place.name:
        return place.name + name[len(place.stem):]
    return name


def _drop_parents(name: str) -> str:
    """南京市溧水区人民政府 and 溧水区人民政府 are one body: drop province and city names before a place name."""
    while True:
        m = name_pattern().match(name)
        if not m or m.end() >= len(name):
            return name
        rest = name[m.end():]
        inner = name_pattern().match(rest)
        if not inner or inner.end() >= len(rest):
            return name
        outer, below = named(m.group()), named(inner.group())
        if outer is None or below is None or outer.level == "county" or below.level == "province":
            return name
        name = rest


def body_kind(key: str) -> str:
    if _TOWNSHIP.search(key):
        return "township"
    if key.endswith("人民政府"):
        return "government"
    if _OTHER.search(key) or "管委会" in key:
        return "other"
    return "department" if _DEPARTMENT.search(key) else "other"


def identify(issuer: str | None, region_code: str | None = None, portal_level: str | None = None) -> Body | None:
    """The body behind an issuer name as a report prints it; region_code and portal_level are the portal's."""
    if not issuer:
        return None
    name = _BRACKETED.sub("", squeeze(fold(to_simplified(issuer))))
    name = name.replace("管理委员会", "管委会")
    name = _BARE_GOVERNMENT.sub("人民政府", name)
    name = _TOWNSHIP_TAIL.sub(r"\1", name)
    if not name:
        return None
    place = division(region_code)
    name = _expand_place(name, place)
    kind = body_kind(name)
    key = _drop_parents(name)
    if kind == "government":
        own = named(key.removesuffix("人民政府"), near=region_code)
        if own is not None:
            return Body(key, kind, own.level, own.code.ljust(6, "0"))
        return Body(key, kind, portal_level if portal_level in ("province", "city", "county") else None, region_code)
    level = {"department": "department", "township": "township"}.get(kind, portal_level)
    return Body(key, kind, level, region_code)
