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
       m.table_key, m.row_key, m.col_key, m.value, m.raw, m.source, m.unit, r.url
from metrics m join reports r on r.id = m.report_id
where r.kind = 'report' {years}
order by r.report_year, r.id, m.table_key, m.row_key, m.col_key
"""
WIDE_SQL = "select * from report_figures where 1 = 1 {years} order by report_year, report_id"
# Excel reads a sheet name of at most 31 characters, without []:*?/\
_SHEET_NAME_LIMIT = 31


def export_rows(db: sqlite_utils.Database, *, wide: bool, years: Sequence[int] = ()) -> tuple[list[str], list[tuple]]:
    clause = f"and report_year in ({','.join('?' * len(years))})" if years else ""
    cursor = db.execute((WIDE_SQL if wide else TIDY_SQL).format(years=clause), list(years))
    return [d[0] for d in cursor.description], cursor.fetchall()


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads the file as GBK."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "nianbao") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title="".join(c for c in sheet if c not in "[]:*?/\\")[:_SHEET_NAME_LIMIT] or "nianbao")
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_export(db_path: str | Path, output: str | Path, *, wide: bool, years: Sequence[int] = ()) -> int:
    """Write the tidy (one figure per row) or wide (one report per row) table; returns the row count."""
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{output}: the output must end in .csv or .xlsx")
    columns, rows = export_rows(sqlite_utils.Database(db_path), wide=wide, years=years)
    output.parent.mkdir(parents=True, exist_ok=True)
    data = csv_bytes(columns, rows) if suffix == ".csv" else xlsx_bytes(columns, rows, "reports" if wide else "metrics")
    output.write_bytes(data)
    return len(rows)
