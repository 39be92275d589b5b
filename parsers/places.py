"""The place an issuer belongs to, where the page leaves it out: a district's city (秦淮区人民政府 → 南京市秦淮区人民政府,
when only one 秦淮区 exists), and the county a township's report was published by, named by the portal's host
(唐村镇人民政府 on www.zoucheng.gov.cn → 邹城市唐村镇人民政府).

Hosts are read against spellings of every division made with pypinyin (scripts/make_host_spellings.py writes
parsers/data/host-spellings.tsv): the stem (zoucheng), the stem with its level (changanqu), the name's initials
(four letters or more), or a province's or city's initials before the stem (hbqj = 湖北潜江, jyrongcheng = 揭阳榕城).
Only spellings that fit exactly one division are kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .divisions import Division, division, named

SPELLINGS = Path(__file__).parent / "data" / "host-spellings.tsv"

_HOST_NOISE = re.compile(r"^(?:www|xxgk|zwgk|gk|zfxxgk|gov)$")
# a township or a county-run zone (熊口管理区) named without its county (no 县, 市, 区, 旗 before it)
_TOWNSHIP = re.compile(r"^[^县市区旗州盟省\W\d]{1,10}?(?:镇|乡|街道|街道办事处|苏木|管理区)(?:人民政府|办事处)?$")
_DISTRICT_START = re.compile(r"^([\u4e00-\u9fff]{1,8}?区)")
# a development zone named bare (高新区青田街道办事处, 高新区(新市区)): zones are no divisions, their city is the place
_ZONE = re.compile(r"^(?:国家级?)?(高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区)")
_ZONE_PLACE_CHARS = 8  # the longest city or county name looked for before the zone's name on the page
_ZONE_HEAD_CHARS = 1000  # the banner, title and preamble: further on, the text may speak of other cities' zones
# a department named by its own county's level word only (区政务服务办, 县统计局): the body's place is the portal's
_OWN_LEVEL = re.compile(r"^(县|市|区|旗)(?=[\u4e00-\u9fff]{2,}(?:局|委|办|委员会|中心|办公室)$)")


@lru_cache(maxsize=1)
def _by_spelling() -> dict[str, str]:
    return dict(line.split("\t") for line in SPELLINGS.read_text("utf-8").splitlines() if line)


def host_division(url: str | None) -> Division | None:
    """The county or city a government host is named after (www.zoucheng.gov.cn → 邹城市), if exactly one fits."""
    host = (urlsplit(url or "").hostname or "").lower()
    if not host.endswith(".gov.cn"):
        return None
    labels = [label for label in host.removesuffix(".gov.cn").split(".") if not _HOST_NOISE.match(label)]
    if not labels:
        return None
    code = _by_spelling().get(labels[-1])
    return division(code) if code else None


def with_place(issuer: str | None, url: str | None, head: str = "") -> str | None:
    """The issuer with the place the page left out, or as it was. head: the page's text, where a zone's city may be
    named beside the zone (乌鲁木齐国家高新区 in the site's banner)."""
    if not issuer:
        return issuer
    if (m := _ZONE.match(issuer)) and (place := _zone_place(m.group(1), head)):
        return place + issuer
    if (m := _DISTRICT_START.match(issuer)) and (district := named(m.group(1))) and district.level == "county":
        city = _city_of(district)
        if city and not issuer.startswith((city, district.province)):
            return city + issuer
    if _TOWNSHIP.match(issuer) and (place := host_division(url)) and place.level == "county":
        return place.name + issuer
    if (m := _OWN_LEVEL.match(issuer)) and (place := host_division(url)) and place.level == "county" \
            and place.name.endswith(m.group(1)):
        # a district is named with its city (天津市宁河区), a county or county-level city alone (邹城市统计局)
        return ((_city_of(place) or "") if place.name.endswith("区") else "") + place.name + issuer[1:]
    return issuer


def _zone_place(zone: str, head: str) -> str | None:
    """The city (or else county) the page names right before the zone's name (乌鲁木齐国家高新区 → 乌鲁木齐), when it
    names exactly one."""
    places = set()
    head = head[:_ZONE_HEAD_CHARS]
    for m in re.finditer(rf"(?:国家级?)?{zone}", head):
        before = head[max(0, m.start() - _ZONE_PLACE_CHARS):m.start()]
        found = next((before[-n:] for n in range(len(before), 1, -1)
                      if named(before[-n:], levels=("city",)) or named(before[-n:], levels=("county",))), None)
        if found:
            places.add(found)
    return places.pop() if len(places) == 1 else None


def _city_of(district: Division) -> str | None:
    """The city a county-level division belongs to; a municipality's districts belong to it directly (北京市西城区)."""
    return district.city or (district.province if district.province.endswith("市") else None)
