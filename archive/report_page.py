"""What the report page shows, read from the database: the report as a document, every figure with its label and
its evidence. Pure reads over one sqlite3 connection, so the page's content is testable without a server."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

FLAG_TEXT = {
    "spam_injection": "页面被注入了赌博等垃圾文字（已从正文中去除，原文保留为证据）· Spam was injected into the page",
    "pinyin_injection": "镜像站在文字中插入了拼音注音 · A mirror site annotated the text with pinyin",
    "mirror_site": "来自非政府网站的转载或镜像，可能与原件不同 · A copy on a non-government site",
    "traditional_text": "繁体字页面，已转为简体再读取 · Traditional characters, read after conversion",
    "damaged_text": "页面有丢字（如 201711日、()），部分文字可能不全 · Characters were dropped from the page",
    "scanned": "扫描件：没有文字层 · A scan without a text layer",
    "ocr": "经文字识别（OCR）读取，数字附识别置信度 · Read by OCR; each figure has the engine's confidence",
    "ocr_suspect": "文字识别后勾稽关系不符，可能是识别错误而非原报告之误 · Checks fail after OCR: perhaps a misreading",
    "ambiguous_columns": "某些行的数字个数与列数不符，这些行未被读取 · Rows whose values could not be placed were skipped",
}
TABLE_OF_RULE = {"T3": ("applications",), "T4": ("review_litigation",),
                 "T2": ("active_art20_1", "active_art20_5", "active_art20_6", "active_art20_8", "active_art20_9")}
_CELL_NAME = re.compile(r"([a-z_]+(?:\.[a-z_]+)+)=")


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def failing_cells(checks: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """table → "row.col" → the failing rules that involve the cell (named in the check's detail)."""
    marked: dict[str, dict[str, list[str]]] = {}
    for check in checks:
        if check["status"] != "fail":
            continue
        for table in TABLE_OF_RULE.get(check["rule"].split(".")[0], ()):
            for name in _CELL_NAME.findall(check["detail"] or ""):
                marked.setdefault(table, {}).setdefault(name, []).append(f"{check['rule']} ({check['scope']})")
    return marked


def _tables(metrics: list[dict[str, Any]], marked: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
    """The standard tables as grids in print order: rows × columns of their labels, each cell raw and marked."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for metric in metrics:
        if metric["source"] in ("table", "ocr") and metric["row_order"] is not None:
            by_table.setdefault(metric["table_key"], []).append(metric)
    tables = []
    for key, cells in by_table.items():
        columns = sorted({(m["col_order"], m["col_key"], m["col_label"]) for m in cells})
        rows = sorted({(m["row_order"], m["row_key"], m["row_label"]) for m in cells})
        at = {(m["row_key"], m["col_key"]): m for m in cells}
        grid = []
        for _order, row_key, row_label in rows:
            line = []
            for _c, col_key, _label in columns:
                metric = at.get((row_key, col_key))
                failing = marked.get(key, {}).get(f"{row_key}.{col_key}", [])
                line.append({"raw": metric["raw"] if metric else "", "missing": metric is None, "failing": failing})
            grid.append({"label": row_label, "cells": line})
        tables.append({"key": key, "caption": cells[0]["table_label"], "columns": [c[2] for c in columns],
                       "rows": grid, "failing": sum(len(v) > 0 for v in marked.get(key, {}).values())})
    return tables


def report_context(conn: sqlite3.Connection, report_id: int) -> dict[str, Any] | None:
    found = _rows(conn, "select r.*, p.name as portal_name, c.url as column_url, c.body_full as column_body, "
                  "c.found_via from reports r left join portals p on p.id = r.portal_id "
                  "left join columns c on c.id = r.column_id where r.id = ?", [report_id])
    if not found:
        return None
    report = found[0]
    metrics = _rows(conn, "select m.*, l.label, l.label_en, l.table_label, l.row_label, l.col_label, l.row_order, "
                    "l.col_order from metrics m left join metric_labels l on l.id = m.label_id where m.report_id = ? "
                    "order by l.id", [report_id])
    checks = _rows(conn, "select * from checks where report_id = ? order by status = 'fail' desc, rule, scope",
                   [report_id])
    return {
        "report": report,
        "flags": [(flag, FLAG_TEXT.get(flag, flag)) for flag in json.loads(report["flags"] or "[]")],
        "warnings": json.loads(report["warnings"] or "[]"),
        "tables": _tables(metrics, failing_cells(checks)),
        "prose": [m for m in metrics if m["source"] == "prose"],
        "checks": checks,
        "sections": _rows(conn, "select * from sections where report_id = ? order by ordinal", [report_id]),
        "versions": _rows(conn, "select * from report_versions where report_id = ? order by version", [report_id]),
        "changes": _rows(conn, "select * from metric_changes where report_id = ? order by old_version", [report_id]),
        "anomalies": _rows(conn, "select * from anomalies where report_id = ? or other_report_id = ? order by rule",
                           [report_id, report_id]),
        "attachments": _rows(conn, "select * from attachments where report_id = ?", [report_id]),
    }


def capture_row(conn: sqlite3.Connection, capture_id: int) -> dict[str, Any] | None:
    found = _rows(conn, "select * from captures where id = ?", [capture_id])
    return found[0] if found else None


def compare_context(conn: sqlite3.Connection, label_id: int | None, year: int | None) -> dict[str, Any]:
    """The choices (figures that have data, years present) and, when a figure is chosen, every report's value."""
    figures = _rows(conn, "select l.id, l.table_label, l.label, count(*) as n from metric_labels l "
                    "join metrics m on m.label_id = l.id group by l.id order by l.id", [])
    years = [r["report_year"] for r in _rows(conn, "select distinct report_year from reports where kind = 'report' "
                                             "and report_year is not null order by report_year desc", [])]
    rows = []
    if label_id is not None:
        rows = _rows(conn, "select r.id as report_id, r.report_year, r.issuer, r.region_code, r.level, m.value, m.raw, "
                     "m.source, r.title from metrics m join reports r on r.id = m.report_id "
                     "where m.label_id = ? and (? is null or r.report_year = ?) and r.kind = 'report' "
                     "order by m.value is null, m.value desc, r.issuer", [label_id, year, year])
    chosen = next((f for f in figures if f["id"] == label_id), None)
    return {"figures": figures, "years": years, "rows": rows, "chosen": chosen, "year": year}


def series_context(conn: sqlite3.Connection, issuer_key: str | None) -> dict[str, Any]:
    """The bodies to choose from and one body's main figures over the years."""
    bodies = _rows(conn, "select issuer_key, max(issuer) as issuer, count(*) as reports from reports "
                   "where kind = 'report' and issuer_key is not null group by issuer_key order by issuer_key", [])
    rows = []
    if issuer_key:
        rows = _rows(conn, "select f.* from report_figures f join reports r on r.id = f.report_id "
                     "where r.issuer_key = ? order by f.report_year", [issuer_key])
    return {"bodies": bodies, "series": rows, "issuer_key": issuer_key}
