"""China's province, prefecture and county-level divisions (parsers/data/divisions, WTFPL): the universe of
governments that coverage counts against, and the names that tell a government's place and level."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "divisions"
# City rows that only group districts or counties (市辖区, 县): no government of their own
_GROUPING = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# County-level statistical codes (xx71…): development zones, not governments under the regulations
_STATISTICAL = re.compile(r"\d{4}7\d$")
_SUFFIX = re.compile(r"(?:自治县|自治旗|自治州|自治区|特别行政区|林区|新区|矿区|特区|[省市县区旗盟州])$")


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260, 2 (province), 4 (prefecture) or 6 (county) digits
    name: str
    level: str  # province | city | county
    province_code: str
    city_code: str | None
    province: str
    city: str | None

    @property
    def statistical(self) -> bool:
        """A statistical code (开发区 …) rather than a county-level government."""
        return self.level == "county" and bool(_STATISTICAL.match(self.code))

    @property
    def stem(self) -> str:
        """The name without its level suffix (灵山县 → 灵山), as pages sometimes print it."""
        stem = _SUFFIX.sub("", self.name)
        return stem if len(stem) >= 2 else self.name


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def all_divisions() -> tuple[Division, ...]:
    provinces = {r["code"]: r["name"] for r in _rows("provinces.csv")}
    cities = {r["code"]: r for r in _rows("cities.csv")}
    found = [Division(code, name, "province", code, None, name, None) for code, name in provinces.items()]
    for code, row in cities.items():
        if row["name"] not in _GROUPING:
            found.append(Division(code, row["name"], "city", row["provinceCode"], code,
                                  provinces[row["provinceCode"]], row["name"]))
    for row in _rows("areas.csv"):
        city = cities.get(row["cityCode"])
        city_name = city["name"] if city and city["name"] not in _GROUPING else None
        found.append(Division(row["code"], row["name"], "county", row["provinceCode"], row["cityCode"],
                              provinces[row["provinceCode"]], city_name))
    return tuple(found)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Division]:
    return {d.code.ljust(6, "0"): d for d in all_divisions()}


def division(code: str | None) -> Division | None:
    """The division of a region code (2, 4 or 6 digits; 450721, 4507 or 450700 for a prefecture)."""
    if not code:
        return None
    code = str(code)[:6].ljust(6, "0")
    return _by_code().get(code) or _by_code().get(code[:4] + "00") or _by_code().get(code[:2] + "0000")


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Division, ...]]:
    names: dict[str, list[Division]] = {}
    for d in all_divisions():
        for name in {d.name, d.stem}:
            names.setdefault(name, []).append(d)
    return {name: tuple(ds) for name, ds in names.items()}


@lru_cache(maxsize=1)
def name_pattern() -> re.Pattern[str]:
    """Any division name or stem at the start of a text, longest first."""
    names = sorted(_by_name(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def named(name: str, near: str | None = None, levels: tuple[str, ...] = ()) -> Division | None:
    """The division called `name` (full name or stem); `near` (a region code) settles names that several
    divisions share (朝阳区 in Beijing and in Changchun), `levels` those of different levels (乌鲁木齐: the city or
    its county). None when the name stays ambiguous."""
    candidates = tuple(d for d in _by_name().get(name, ()) if not levels or d.level in levels)
    if near and len(candidates) > 1:
        near = str(near)
        for width in (4, 2):
            close = [d for d in candidates if d.code.ljust(6, "0")[:width] == near[:width]]
            if close:
                candidates = tuple(close)
                break
    exact = [d for d in candidates if d.name == name]
    if len(candidates) > 1 and len(exact) == 1:
        return exact[0]
    return candidates[0] if len(candidates) == 1 else None
