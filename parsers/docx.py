"""DOCX → Document with python-docx: paragraphs and tables in body order, merged cells as span copies."""

from __future__ import annotations

import io

from .budget import MAX_BLOCKS, MAX_COLSPAN, BudgetExceeded, CellBudget, check_zip
from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table


def _grid(table, budget: CellBudget) -> list[list[Cell]]:
    rows = []
    above: dict[int, object] = {}
    for row in table.rows:
        # gridSpan is the file's word: a span of thousands (a bomb) would be spread cell by cell
        span = sum(min(int(tc.grid_span), MAX_COLSPAN + 1) for tc in row._tr.tc_lst)
        if span > MAX_COLSPAN:
            raise BudgetExceeded(f"a Word table row {span}+ columns wide: not a report table")
        budget.take(span)
        cells, previous = [], None
        for col, cell in enumerate(row.cells):
            # python-docx repeats a horizontally merged cell; a vertically merged one repeats the cell above
            copy = cell._tc is previous or above.get(col) is cell._tc
            cells.append(Cell(" ".join(cell.text.split()), col, copy))
            previous = cell._tc
            above[col] = cell._tc
        rows.append(cells)
    return rows


def _blocks(document, paragraph_type, table_type) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    budget = CellBudget()
    for count, item in enumerate(document.iter_inner_content()):
        if count > MAX_BLOCKS:
            raise BudgetExceeded(f"more than {MAX_BLOCKS:,} paragraphs and tables: not a report")
        if isinstance(item, paragraph_type):
            text = " ".join(item.text.split())
            if text:
                heading = item.style is not None and item.style.name.lower().startswith(("heading", "title"))
                blocks.append(Paragraph(text, heading=heading))
        elif isinstance(item, table_type):
            blocks.append(Table(_grid(item, budget)))
    return blocks


def read_docx(data: bytes) -> Document:
    from docx import Document as open_docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    check_zip(data, "DOCX")
    try:
        document = open_docx(io.BytesIO(data))
        blocks = _blocks(document, DocxParagraph, DocxTable)
    except BudgetExceeded:
        raise
    except Exception as error:  # noqa: BLE001 - zip, zlib and XML errors of a damaged file, whatever their kind
        raise DecodeError(f"unreadable DOCX ({type(error).__name__}: {error})") from error
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    title = document.core_properties.title or first
    return Document(blocks=blocks, title_hint=title, title_candidates=[t for t in (title, first) if t], source_type="docx")
