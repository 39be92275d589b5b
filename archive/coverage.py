"""Who has published, who was late, who is missing: statutory deadlines as data, and the coverage views.

The rules (archive/data/deadlines.json, with their legal source) are copied into `deadline_rules` once, so a
local rule set with `nianbao deadlines --set KIND=MM-DD` survives upgrades; `divisions` holds every county-level
division, the universe national coverage counts against.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlite_utils

from parsers.divisions import all_divisions

RULES_FILE = Path(__file__).parent / "data" / "deadlines.json"
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

DEADLINE_COLUMNS = {"kind": str, "from_year": int, "to_year": int, "deadline": str, "source": str}
DIVISION_COLUMNS = {"code": str, "name": str, "level": str, "province_code": str, "city_code": str,
                    "province": str, "city": str, "statistical": int}

# The last report year whose deadline (in the next year) has passed, for a deadline MM-DD column `md`.
_PASSED = "({year} + 1) || '-' || {md} < date('now')"

VIEWS = {
    # One row per body × report year, from the body's first report year on: missing years up to the last whose
    # deadline has passed; the report of the year (the earliest published when there are several).
    "coverage": f"""
        with recursive
        reps as (
            select r.id, r.issuer, r.issuer_key, r.body_kind, r.issuer_level,
                   coalesce(r.issuer_region_code, r.region_code) as region_code, r.report_year,
                   r.published_date, substr(r.first_seen, 1, 10) as first_seen
            from reports r
            where r.kind = 'report' and r.issuer_key is not null and r.report_year is not null),
        ranked as (
            select reps.*, row_number() over (partition by issuer_key, region_code, report_year
                                               order by coalesce(published_date, first_seen), id) as rank
            from reps),
        bodies as (
            select issuer_key, region_code, body_kind, min(report_year) as first_year,
                   max(issuer_level) as level,
                   (select x.issuer from reps x where x.issuer_key = reps.issuer_key and x.region_code is reps.region_code
                    order by x.report_year desc, x.id desc limit 1) as issuer
            from reps group by issuer_key, region_code),
        years(y) as (
            select min(report_year) from reps
            union all select y + 1 from years where y < cast(strftime('%Y', 'now') as integer)),
        grid as (
            select b.*, years.y as report_year,
                   (select d.deadline from deadline_rules d
                    where d.kind in (b.body_kind, '*') and (d.from_year is null or d.from_year <= years.y)
                      and (d.to_year is null or d.to_year >= years.y)
                    order by d.kind = '*' limit 1) as md
            from bodies b join years on years.y >= b.first_year)
        select g.issuer, g.issuer_key, g.body_kind, g.level, g.region_code, g.report_year,
               case when r.id is null then 'missing'
                    when g.md is null then 'unknown'
                    when r.published_date is not null then
                         case when r.published_date <= (g.report_year + 1) || '-' || g.md then 'on_time' else 'late' end
                    when r.first_seen <= (g.report_year + 1) || '-' || g.md then 'on_time'
                    else 'unknown' end as status,
               coalesce(r.published_date, r.first_seen) as published_date,
               case when r.published_date is not null then 'page'
                    when r.id is not null then 'first_capture' end as published_date_source,
               case when g.md is not null then (g.report_year + 1) || '-' || g.md end as deadline,
               r.id as report_id
        from grid g
        left join ranked r on r.issuer_key = g.issuer_key and r.region_code is g.region_code
             and r.report_year = g.report_year and r.rank = 1
        where r.id is not null
           or {_PASSED.format(year="g.report_year", md="coalesce(g.md, (select max(deadline) from deadline_rules))")}""",
    # Every county-level government (the division table) × every report year the archive spans: its own
    # report's status, or missing when the archive has none.
    "county_coverage": """
        with recursive years(y) as (
            select min(report_year) from reports where kind = 'report' and report_year is not null
            union all select y + 1 from years where (y + 2) || '-03-31' < date('now'))
        select d.code as region_code, d.name, d.province, d.city, years.y as report_year,
               coalesce(min(c.status), 'missing') as status, min(c.report_id) as report_id,
               min(c.published_date) as published_date, min(c.deadline) as deadline
        from divisions d cross join years
        left join coverage c on c.body_kind = 'government' and c.region_code = d.code and c.report_year = years.y
        where d.level = 'county' and d.statistical = 0
        group by d.code, years.y""",
}


def bundled_rules() -> list[dict]:
    return json.loads(RULES_FILE.read_text("utf-8"))["rules"]


def seed(db: sqlite_utils.Database) -> None:
    """Fill `deadline_rules` (once: local settings stay) and `divisions` (when the bundled list changed)."""
    rules = db["deadline_rules"]
    if not rules.exists():
        rules.create(DEADLINE_COLUMNS)
    if not rules.count:
        rules.insert_all(bundled_rules())
    table = db["divisions"]
    if not table.exists():
        table.create(DIVISION_COLUMNS, pk="code")
    divisions = all_divisions()
    if table.count != len(divisions):
        table.insert_all(({"code": d.code, "name": d.name, "level": d.level, "province_code": d.province_code,
                           "city_code": d.city_code, "province": d.province, "city": d.city,
                           "statistical": int(d.statistical)} for d in divisions), replace=True)


def set_deadline(db: sqlite_utils.Database, kind: str, deadline: str | None, from_year: int = 2019,
                 source: str = "local rule (nianbao deadlines --set)") -> None:
    """Set (or with None clear) the deadline of a kind of body for report years from `from_year` on."""
    if deadline is not None and not _MONTH_DAY.match(deadline):
        raise ValueError(f"deadline must be MM-DD, not {deadline!r}")
    with db.atomic():
        db.execute("delete from deadline_rules where kind = ? and coalesce(from_year, 0) >= ?", [kind, from_year])
        db.execute("update deadline_rules set to_year = ? where kind = ? and (to_year is null or to_year >= ?)",
                   [from_year - 1, kind, from_year])
        db["deadline_rules"].insert({"kind": kind, "from_year": from_year, "to_year": None, "deadline": deadline,
                                     "source": source})
