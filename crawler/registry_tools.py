"""Registries at national scale: entries made from a list of homepages (`nianbao registry import`), and the explicit
registry of every body's columns that discovery found (`nianbao discover`), for review."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
import yaml

from parsers.divisions import division

from .registry import Portal, RegistryError

_ID_STRIP = re.compile(r"^(?:www|xxgk|zwgk|gk)\.|\.gov\.cn$|\.(?:com|cn|net|org)$")


def portal_id(url: str, code: str) -> str:
    """A stable ASCII id from the homepage's host (www.lingshan.gov.cn → lingshan), the division code where the
    host says nothing (an IP address)."""
    host = (urlsplit(url).hostname or "").lower()
    name = _ID_STRIP.sub("", _ID_STRIP.sub("", host)).replace(".", "-")
    return name if re.fullmatch(r"[a-z][a-z0-9-]*", name or "") else f"c{code}"


def import_csv(text: str) -> list[dict[str, Any]]:
    """`code,name,url` rows (a header row is optional) → registry entries with home_url, level and region from the
    division table. Codes not in the table are refused with the row number."""
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() == "code":
        rows = rows[1:]
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if len(row) < 3:
            raise RegistryError(f"row {number}: expected code,name,url, got {','.join(row)!r}")
        code, name, url = (cell.strip() for cell in row[:3])
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"row {number}: homepage is not http(s): {url}")
        place = division(code) if re.fullmatch(r"\d{2,12}", code) else None
        if place is None:
            raise RegistryError(f"row {number}: {code!r} is not a division code of the table")
        entry_id = portal_id(url, code)
        if entry_id in seen:
            entry_id = f"{entry_id}-{code}"
        seen.add(entry_id)
        level = {"province": "province", "city": "city", "county": "county"}[place.level]
        entries.append({"id": entry_id, "name": name, "region_code": place.code.ljust(6, "0"), "level": level,
                        "province": place.province, **({"city": place.city} if place.city else {}), "home_url": url})
    return entries


def discovered_registry(db: sqlite_utils.Database, portals: list[Portal], crawl_id: int) -> list[dict[str, Any]]:
    """One entry per body whose columns the crawl reached: start_urls = its columns, found_via kept as a comment
    field, so a reviewer sees why each was taken."""
    entries: list[dict[str, Any]] = []
    for portal in portals:
        bodies: dict[str, list[dict[str, Any]]] = {}
        for column in db.query("select * from columns where portal_id = ? and last_crawl_id = ? order by id",
                               [portal.id, crawl_id]):
            bodies.setdefault(column["body_full"] or portal.name, []).append(column)
        for body, columns in bodies.items():
            own = body == portal.name
            entry = {"id": portal.id if own else f"{portal.id}-{hashlib.sha1(body.encode()).hexdigest()[:6]}",
                     "name": body, "region_code": portal.region_code, "level": columns[0]["level"] or portal.level,
                     "province": portal.province, "city": portal.city,
                     "start_urls": [c["url"] for c in columns], "found_via": [c["found_via"] for c in columns]}
            entry.update(portal.hints)
            entry["allowed_domains"] = sorted(portal.hosts | set(portal.hints.get("allowed_domains", [])))
            entries.append({k: v for k, v in entry.items() if v is not None})
    return entries


def dump_registry(entries: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"portals": entries}, allow_unicode=True, sort_keys=False, width=200)
