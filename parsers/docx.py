"""DOCX → Document with python-docx: paragraphs and tables in body order, merged cells as span copies."""

from __future__ import annotations

import io

from .budget import MAX_BLOCKS, MAX_COLSPAN, BudgetExceeded, CellBudget, check_zip
from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table


def _grid(table, budget: CellBudget) -> list[list[Cell]]:
    """The table's cells row by row, as python-docx's row.cells gives them (a horizontally merged cell once per grid
    column it spans, a vertically merged one as the cell it continues), from the XML in one pass: row.cells looks
    each continued cell up again through the rows above."""
    from docx.table import _Cell

    rows = []
    roots_above: dict[int, object] = {}  # grid offset → the cell holding the text there, in the row above
    texts: dict[object, str] = {}  # keyed by the element itself, which the dict keeps alive
    for tr in table._tbl.tr_lst:
        # gridSpan is the file's word: a span of thousands (a bomb) would be spread cell by cell
        span = sum(min(int(tc.grid_span), MAX_COLSPAN + 1) for tc in tr.tc_lst)
        if span > MAX_COLSPAN:
            raise BudgetExceeded(f"a Word table row {span}+ columns wide: not a report table")
        budget.take(span)
        cells: list[Cell] = []
        roots: dict[int, object] = {}
        offset = tr.grid_before
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue" and offset in roots_above
            root = roots_above[offset] if continued else tc
            if root not in texts:
                texts[root] = " ".join(_Cell(root, table).text.split())
            for step in range(root.grid_span):
                cells.append(Cell(texts[root], len(cells), continued or step > 0))
            roots[offset] = root
            offset += tc.grid_span
        rows.append(cells)
        roots_above = roots
    return rows


def _heading_styles(document) -> set[str | None]:
    """Ids of the heading and title styles. Read once: python-docx resolves a paragraph's style through a scan of
    every style (the default's, when it has none), which cost more than reading the rest of the file."""
    from docx.oxml.ns import qn

    ids: set[str | None] = set()
    for style in document.styles.element.style_lst:
        if (style.name_val or "").lower().startswith(("heading", "title")):
            ids.add(style.styleId)
            if style.default and style.get(qn("w:type"), "paragraph") == "paragraph":
                ids.add(None)  # paragraphs without a style of their own have the default paragraph style
    return ids


def _style_id(paragraph) -> str | None:
    properties = paragraph._p.pPr
    return properties.style if properties is not None else None


def _blocks(document, paragraph_type, table_type) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    budget = CellBudget()
    headings = _heading_styles(document)
    for count, item in enumerate(document.iter_inner_content()):
        if count > MAX_BLOCKS:
            raise BudgetExceeded(f"more than {MAX_BLOCKS:,} paragraphs and tables: not a report")
        if isinstance(item, paragraph_type):
            text = " ".join(item.text.split())
            if text:
                heading = _style_id(item) in headings
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
