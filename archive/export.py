"""Tables for spreadsheets: CSV that Chinese Excel opens correctly (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

TIDY_SQL = """
select r.id as report_id, r.issuer, r.region_code, r.level, r.report_year, r.format, r.title,
       l.table_label, l.label, m.table_key, m.row_key, m.col_key, m.value, m.raw, m.source, m.unit, r.url
from metrics m join reports r on r.id = m.report_id left join metric_labels l on l.id = m.label_id
where r.kind = 'report' {years}
order by r.report_year, r.id, m.table_key, m.row_key, m.col_key
"""
WIDE_SQL = "select * from report_figures where 1 = 1 {years} order by report_year, report_id"
# Excel reads a sheet name of at most 31 characters, without []:*?/\
_SHEET_NAME_LIMIT = 31
# Chinese headers of the columns researchers export; a column not named here keeps its key
COLUMN_LABELS = {
    "report_id": "报告编号", "portal_id": "门户", "issuer": "报告机关", "region_code": "行政区划代码", "level": "层级",
    "report_year": "报告年度", "published_date": "发布日期", "format": "格式", "title": "标题", "url": "网址",
    "table_label": "表", "label": "指标", "table_key": "表（键）", "row_key": "行（键）", "col_key": "列（键）",
    "value": "数值", "raw": "原文", "source": "来源", "unit": "单位", "rule": "规则", "scope": "范围", "detail": "说明",
    "status": "状态", "deadline": "法定期限", "flags": "标记", "failed_checks": "不成立的勾稽关系",
    "applications_new": "本年新收申请", "applications_carried_over": "上年结转申请", "granted": "予以公开",
    "partially_granted": "部分公开", "withheld": "不予公开（合计）", "unable_to_provide": "无法提供（合计）",
    "not_processed": "不予处理（合计）", "other_outcome": "其他处理（合计）", "outcome_total": "办理结果总计",
    "carried_forward": "结转下年度继续办理", "applications_natural_person": "本年新收申请·自然人",
    "review_total": "行政复议总计", "review_corrected": "行政复议·结果纠正",
    "litigation_direct_total": "未经复议直接起诉总计", "litigation_after_review_total": "复议后起诉总计",
    "admin_license_decisions": "行政许可处理决定", "admin_penalty_decisions": "行政处罚处理决定",
    "normative_docs_in_force": "现行有效行政规范性文件", "fee_amount_wan": "行政事业性收费（万元）",
    "legacy_active_total": "主动公开政府信息（正文）", "legacy_requests_total": "受理申请（正文）",
    "legacy_review_total": "行政复议（正文）", "legacy_litigation_total": "行政诉讼（正文）",
    "legacy_fees_total": "收取费用（正文）",
}


def header_rows(columns: Sequence[str], chinese: bool = True) -> list[list[str]]:
    """The Chinese headers a reader wants, with the keys a script wants in the row below; or the keys alone."""
    keys = list(columns)
    return [[COLUMN_LABELS.get(c, c) for c in keys], keys] if chinese else [keys]


def export_rows(db: sqlite_utils.Database, *, wide: bool, years: Sequence[int] = ()) -> tuple[list[str], list[tuple]]:
    clause = f"and report_year in ({','.join('?' * len(years))})" if years else ""
    cursor = db.execute((WIDE_SQL if wide else TIDY_SQL).format(years=clause), list(years))
    return [d[0] for d in cursor.description], cursor.fetchall()


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]], chinese: bool = True) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads the file as GBK."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(header_rows(columns, chinese))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "nianbao",
               chinese: bool = True) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title="".join(c for c in sheet if c not in "[]:*?/\\")[:_SHEET_NAME_LIMIT] or "nianbao")
    for header in header_rows(columns, chinese):
        worksheet.append(header)
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_export(db_path: str | Path, output: str | Path, *, wide: bool, years: Sequence[int] = (),
                 chinese: bool = True) -> int:
    """Write the tidy (one figure per row) or wide (one report per row) table; returns the row count.
    chinese: a row of Chinese headers above the row of keys (else the keys alone, for scripts)."""
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{output}: the output must end in .csv or .xlsx")
    if not output.parent.is_dir():
        raise ValueError(f"{output.parent}: no such folder")
    columns, rows = export_rows(sqlite_utils.Database(db_path), wide=wide, years=years)
    data = (csv_bytes(columns, rows, chinese) if suffix == ".csv"
            else xlsx_bytes(columns, rows, "reports" if wide else "metrics", chinese))
    output.write_bytes(data)
    return len(rows)
