"""Portal health: one row per portal per crawl, so that a portal that silently breaks does not look like one with
nothing new.

status, first that applies:
- `unreachable`: no answer at all (every request failed: refused, timed out, DNS);
- `blocked`: WAF or challenge pages answered, and no report was seen;
- `moved`: a start URL answered 404/410 or redirected to another page;
- `zero_yield`: no report seen, where the last crawl of the portal saw some;
- `dropped`: fewer reports seen than the last crawl of the portal saw;
- `ok`.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import sqlite_utils

from . import columns

STATUSES = ("ok", "zero_yield", "dropped", "moved", "blocked", "unreachable")
COLUMNS = {"portal_id": str, "crawl_id": int, "status": str, "detail": str, "requests": int, "answered": int,
           "http_errors": int, "network_errors": int, "challenges": int, "unparsable": int, "refused": int,
           "reports_seen": int, "new_reports": int, "changed_reports": int, "unchanged_reports": int,
           "list_pages": int, "columns_found": int}

_ERRORS = """
    select count(*) as requests,
           sum(http_status is not null) as answered,
           sum(http_status >= 400) as http_errors,
           sum(http_status is null and error is not null
               and error not like 'URL of %' and error not like '%-page budget%') as network_errors,
           sum(error = 'anti-bot challenge page') as challenges,
           sum(error like 'unparsable%' or error like 'not stored%') as unparsable,
           sum(error like 'URL of %' or error like '%-page budget%') as refused,
           sum(role = 'list' and http_status = 200) as list_pages
    from captures where crawl_id in (select value from json_each(?)) and portal_id = ?"""


def _host(name: str | None) -> str:
    return (name or "").lower().removeprefix("www.")


def _same_page(url: str, location: str | None) -> bool:
    """http → https, www. or a trailing slash is the same page; another path is a move."""
    if not location:
        return False
    a, b = urlsplit(url), urlsplit(location if "//" in location else f"//{urlsplit(url).netloc}{location}")
    return _host(a.hostname) == _host(b.hostname) and a.path.rstrip("/") == b.path.rstrip("/")


def _moved(db: sqlite_utils.Database, run: str, start_urls: list[str]) -> str | None:
    for url in start_urls:
        row = next(db.query("select http_status, location from captures where crawl_id in (select value from json_each(?)) "
                            "and url = ? and http_status is not null order by id limit 1", [run, url]), None)
        if row is None:
            continue
        if row["http_status"] in (404, 410):
            return f"{url} answered {row['http_status']}"
        if 300 <= row["http_status"] < 400 and not _same_page(url, row["location"]):
            return f"{url} redirects to {row['location']}"
    return None


def _status(row: dict, previous: dict | None, moved: str | None) -> tuple[str, str]:
    seen = row["reports_seen"]
    if row["requests"] and not row["answered"]:
        return "unreachable", f"{row['requests']} requests, no answer"
    if row["challenges"] and not seen:
        return "blocked", f"{row['challenges']} challenge pages instead of the portal's pages"
    if moved:
        return "moved", moved
    if previous and previous["reports_seen"] and not seen:
        return "zero_yield", f"no report seen; {previous['reports_seen']} in crawl {previous['crawl_id']}"
    if previous and seen < previous["reports_seen"]:
        return "dropped", f"{seen} reports seen; {previous['reports_seen']} in crawl {previous['crawl_id']}"
    return "ok", ""


def record(db: sqlite_utils.Database, crawl_id: int, portal_counts: dict[str, dict[str, int]],
           run: list[int] | None = None) -> list[dict]:
    """Write the health rows of a crawl (one transaction) and return them; portal_counts: the crawl's own counts.
    run: the crawls whose captures count, when several workers crawled together (their rows go under crawl_id,
    the last of them)."""
    rows = []
    crawls = json.dumps(run or [crawl_id])
    for portal in db.query("select id, start_urls, home_url from portals where id in (select value from json_each(?))",
                           [json.dumps(sorted(portal_counts))]):
        pid, counts = portal["id"], portal_counts[portal["id"]]
        entry_urls = [*json.loads(portal["start_urls"] or "[]"), *filter(None, [portal["home_url"]])]
        row = {k: v or 0 for k, v in next(db.query(_ERRORS, [crawls, pid])).items()}
        row.update(portal_id=pid, crawl_id=crawl_id, new_reports=counts.get("new", 0),
                   changed_reports=counts.get("changed", 0), unchanged_reports=counts.get("unchanged", 0),
                   reports_seen=sum(counts.get(k, 0) for k in ("new", "changed", "unchanged", "resumed")),
                   columns_found=columns.seen_in(db, run or [crawl_id], pid))
        previous = next(db.query("select * from portal_health where portal_id = ? and crawl_id < ? "
                                 "order by crawl_id desc limit 1", [pid, min(run or [crawl_id])]), None)
        row["status"], row["detail"] = _status(row, previous, _moved(db, crawls, entry_urls))
        rows.append(row)
    with db.atomic():
        db["portal_health"].insert_all(rows, pk=("portal_id", "crawl_id"), replace=True)
    return rows
