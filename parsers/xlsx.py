"""XLSX → Document with openpyxl: each sheet a table (merged cells as span copies), its name a paragraph.

Some portals attach the statistics tables of a report as a spreadsheet.
"""

from __future__ import annotations

import io

from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def read_xlsx(data: bytes) -> Document:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 - zip and XML errors of a damaged file, whatever their kind
        raise DecodeError(f"unreadable XLSX ({type(error).__name__}: {error})") from error
    blocks: list[Paragraph | Table] = []
    for sheet in book.worksheets:
        covered = set()
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        covered.add((row, col))
        rows = []
        for r, row in enumerate(sheet.iter_rows(), start=1):
            cells = [Cell(_text(cell.value), c - 1, (r, c) in covered) for c, cell in enumerate(row, start=1)]
            if any(cell.text for cell in cells):
                rows.append(cells)
        blocks.append(Paragraph(sheet.title))
        if rows:
            blocks.append(Table(rows))
    first = next((c.text for b in blocks if isinstance(b, Table) for row in b.rows for c in row if c.text), None)
    return Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [], source_type="xlsx")
