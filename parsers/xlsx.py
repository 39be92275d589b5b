"""XLSX → Document with openpyxl: each sheet a table (merged cells as span copies), its name a paragraph.

Some portals attach the statistics tables of a report as a spreadsheet.
"""

from __future__ import annotations

import io

from .budget import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_TABLE_CELLS, BudgetExceeded, check_zip
from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _covered(sheet) -> set[tuple[int, int]]:
    """The positions merged cells cover (their first cell aside): span copies, as rowspan/colspan in HTML."""
    covered: set[tuple[int, int]] = set()
    for merged in _merged_ranges(sheet):
        min_col, min_row, max_col, max_row = merged.bounds
        max_row, max_col = min(max_row, MAX_SHEET_ROWS), min(max_col, MAX_SHEET_COLUMNS)
        if (max_row - min_row + 1) * (max_col - min_col + 1) + len(covered) > MAX_TABLE_CELLS:
            raise BudgetExceeded(f"merged cells covering more than {MAX_TABLE_CELLS:,} cells: not a report table")
        covered.update((r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)
                       if (r, c) != (min_row, min_col))
    return covered


def _merged_ranges(sheet) -> list:
    """Read-only sheets do not parse <mergeCells>; read them from the sheet's XML as openpyxl would."""
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.xml.functions import iterparse

    ranges = []
    with sheet.parent._archive.open(sheet._worksheet_path) as handle:
        for _event, element in iterparse(handle):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                ranges.append(CellRange(element.get("ref")))
            element.clear()
    return ranges


def _sheet(sheet) -> list[Paragraph | Table]:
    covered = _covered(sheet)
    rows, cells_used = [], 0
    for r, values in enumerate(sheet.iter_rows(max_row=MAX_SHEET_ROWS, max_col=MAX_SHEET_COLUMNS, values_only=True),
                               start=1):
        if all(v is None for v in values):  # rows a far cell or a declared dimension pads the sheet with
            continue
        cells = [Cell(_text(value), c - 1, (r, c) in covered) for c, value in enumerate(values, start=1)]
        while cells and not cells[-1].text:  # trailing empty cells of a sheet's declared width
            cells.pop()
        cells_used += len(cells)
        if cells_used > MAX_TABLE_CELLS:
            raise BudgetExceeded(f"a sheet of more than {MAX_TABLE_CELLS:,} cells: not a report table")
        if any(cell.text for cell in cells):
            rows.append(cells)
    return [Paragraph(sheet.title), Table(rows)] if rows else [Paragraph(sheet.title)]


def read_xlsx(data: bytes) -> Document:
    from openpyxl import load_workbook

    check_zip(data, "XLSX")
    try:
        # read-only: cells stream from the XML as they are, so a sheet declaring a far cell costs nothing
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        try:
            blocks = [block for sheet in book.worksheets for block in _sheet(sheet)]
        finally:
            book.close()
    except BudgetExceeded:
        raise
    except Exception as error:  # noqa: BLE001 - zip and XML errors of a damaged file, whatever their kind
        raise DecodeError(f"unreadable XLSX ({type(error).__name__}: {error})") from error
    first = next((c.text for b in blocks if isinstance(b, Table) for row in b.rows for c in row if c.text), None)
    return Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [], source_type="xlsx")
