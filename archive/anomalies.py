"""Figures that make no sense next to the body's own past: recomputed as a whole after every crawl and reparse.

Rules (each an `anomalies` row with the figures involved):
- `jump`: a main figure ×5 or more, or ×0.2 or less, from one year to the next, where either year has at least
  MIN_VOLUME cases (3 → 1 is noise, 400 → 40 is not);
- `copied`: the text identical to the previous year's report of the body (years aside);
- `year_twice`: two reports of one body for one year whose figures differ;
- `published_early`: a report dated before the year it covers had ended.
The parser adds `text_vs_table` (a figure the text states against the report's own table) and `T2_2019.published_le_total`
(more newly published than published in all) per report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

import sqlite_utils

JUMP_RATIO = 5.0
MIN_VOLUME = 20
SERIES = "series"  # scope of the rows computed here; the parser's rows have scope 'report'

# main figure → (gov-format metric keys summed, legacy prose key): "applications received" means the same in both
MAIN_FIGURES: dict[str, tuple[str, str]] = {
    "applications_received": ("m.table_key = 'applications' and m.row_key = 'new_received'", "requests.total"),
    "granted": ("m.table_key = 'applications' and m.row_key = 'outcome.granted'", "replies.granted"),
    "withheld": ("m.table_key = 'applications' and m.row_key like 'outcome.withheld.%'", "replies.denied"),
    "reviews": ("m.table_key = 'review_litigation' and m.row_key = 'review'", "review.total"),
    "lawsuits": ("m.table_key = 'review_litigation' and m.row_key in ('litigation_direct', 'litigation_after_review')",
                 "litigation.total"),
}
_FIGURE_COLUMNS = ",\n".join(
    f"sum(case when m.source = 'table' and m.col_key = 'total' and {gov} then m.value end) as gov_{name},"
    f" max(case when m.table_key = 'legacy' and m.row_key = '{legacy}' then m.value end) as legacy_{name}"
    for name, (gov, legacy) in MAIN_FIGURES.items())
_REPORTS = f"""
    select r.id, r.issuer, r.issuer_key, coalesce(r.issuer_region_code, r.region_code) as region_code, r.report_year,
           r.published_date, r.first_seen, r.format, r.text_fingerprint,
           (select group_concat(x.table_key || '/' || x.row_key || '/' || x.col_key || '=' || coalesce(x.raw, ''), ';')
            from (select * from metrics where report_id = r.id order by table_key, row_key, col_key, source) x)
           as figure_print,
           {_FIGURE_COLUMNS}
    from reports r left join metrics m on m.report_id = r.id
    where r.kind = 'report' and r.issuer_key is not null and r.report_year is not null
    group by r.id"""


@dataclass
class Found:
    report_id: int
    rule: str
    detail: str
    figure: str | None = None
    value: float | None = None
    other_value: float | None = None
    other_report_id: int | None = None

    def row(self) -> dict:
        return {"report_id": self.report_id, "rule": self.rule, "scope": SERIES, "detail": self.detail,
                "figure": self.figure, "value": self.value, "other_value": self.other_value,
                "other_report_id": self.other_report_id,
                "figures": json.dumps({k: v for k, v in (("figure", self.figure), ("value", self.value),
                                                         ("previous", self.other_value)) if v is not None},
                                      ensure_ascii=False)}


def _figure(row: dict, name: str) -> float | None:
    gov = row[f"gov_{name}"]
    return gov if gov is not None else row[f"legacy_{name}"]


def _jumps(prev: dict, cur: dict) -> list[Found]:
    found = []
    for name in MAIN_FIGURES:
        a, b = _figure(prev, name), _figure(cur, name)
        if a is None or b is None or max(a, b) < MIN_VOLUME:
            continue
        ratio = b / a if a else float("inf")
        if ratio >= JUMP_RATIO or ratio <= 1 / JUMP_RATIO:
            times = "from 0" if not a else f"×{ratio:.2g}"
            found.append(Found(cur["id"], "jump", f"{name} {a:g} ({prev['report_year']}) → {b:g} "
                               f"({cur['report_year']}), {times}", name, b, a, prev["id"]))
    return found


def find_anomalies(db: sqlite_utils.Database) -> list[Found]:
    years: dict[tuple, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in db.query(_REPORTS):
        years[(row["issuer_key"], row["region_code"])][row["report_year"]].append(row)
    found: list[Found] = []
    for series in years.values():
        for year, reports in sorted(series.items()):
            reports.sort(key=lambda r: (r["published_date"] or r["first_seen"] or "", r["id"]))
            first = reports[0]
            for other in reports[1:]:
                if other["figure_print"] != first["figure_print"]:
                    found.append(Found(other["id"], "year_twice", f"{year} reported twice with different figures "
                                       f"(reports {first['id']} and {other['id']})", other_report_id=first["id"]))
            for report in reports:
                if report["published_date"] and report["published_date"] < f"{year + 1}-01-01":
                    found.append(Found(report["id"], "published_early", f"dated {report['published_date']}, before "
                                       f"the end of {year}, the year it reports on"))
            if year - 1 not in series:
                continue
            prev = series[year - 1][0]
            found += _jumps(prev, first)
            if first["text_fingerprint"] and first["text_fingerprint"] == prev["text_fingerprint"]:
                found.append(Found(first["id"], "copied", f"the text is the {year - 1} report's, years aside "
                                   f"(report {prev['id']})", other_report_id=prev["id"]))
    return found


def recompute(db: sqlite_utils.Database) -> int:
    """Replace the series anomalies in one transaction; returns how many there are."""
    found = find_anomalies(db)
    with db.atomic():
        db.execute("delete from anomalies where scope = ?", [SERIES])
        db["anomalies"].insert_all((f.row() for f in found), alter=False)
    return len(found)
