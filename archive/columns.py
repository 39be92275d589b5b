"""Where reports were found: one row per report column of a portal (a registry start URL, or a column discovery
reached from the homepage), with the body it belongs to as the site names it, how it was found and when.

A column that discovery no longer reaches, while a new column of the same body appeared in the same crawl, has
moved: `moved_to` says where, so a researcher can follow a body across a portal's redesign.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Column:
    portal_id: str
    url: str
    body: str | None  # as the site names it (县发改局), None for the portal's own body
    body_full: str | None  # with its place, as a report would name it (灵山县发改局)
    level: str | None
    found_via: str  # "registry", or the link texts discovery followed (首页 › 政务公开 › 部门信息公开 › 县发改局 › 年报)


def record(db: sqlite_utils.Database, column: Column, crawl_id: int, seen_at: str) -> int:
    """Insert or refresh a column; its id. First seen and the first way found stay as they were."""
    with db.atomic():
        existing = next(db.query("select id from columns where portal_id = ? and url = ?",
                                 [column.portal_id, column.url]), None)
        if existing:
            db["columns"].update(existing["id"], {"last_seen": seen_at, "last_crawl_id": crawl_id, "moved_to": None})
            return int(existing["id"])
        return int(db["columns"].insert({**column.__dict__, "first_seen": seen_at, "last_seen": seen_at,
                                         "first_crawl_id": crawl_id, "last_crawl_id": crawl_id}).last_pk)


def record_moves(db: sqlite_utils.Database, crawl_id: int, portal_ids: list[str]) -> int:
    """After a crawl whose discovery ran: a discovered column not reached this time, whose body has a column first
    found this time, moved there. Returns how many moves were recorded."""
    moved = 0
    with db.atomic():
        for old in db.query(
                "select o.id, n.id as new_id from columns o join columns n on n.portal_id = o.portal_id "
                "and coalesce(n.body_full, '') = coalesce(o.body_full, '') and n.first_crawl_id = ? and n.id != o.id "
                "where o.portal_id in (select value from json_each(?)) and o.found_via != 'registry' "
                "and o.last_crawl_id < ? and o.moved_to is null", [crawl_id, json.dumps(portal_ids), crawl_id]):
            db["columns"].update(old["id"], {"moved_to": old["new_id"]})
            moved += 1
    return moved


def seen_in(db: sqlite_utils.Database, crawl_ids: list[int], portal_id: str) -> int:
    return next(db.query("select count(*) as n from columns where last_crawl_id in (select value from json_each(?)) "
                         "and portal_id = ?", [json.dumps(crawl_ids), portal_id]))["n"]

