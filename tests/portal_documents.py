"""Report attachments as portals publish them: PDF (as Word exports it: ruled tables) and DOCX.

Built from the same report parts as the HTML pages (tests/portal_pages.py), so the same cells are expected.
"""

from __future__ import annotations

import io

from .portal_pages import Layout, ReportSpec, report_parts


def _matrix(layout: Layout) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """A full grid of texts and the spans (col0, row0, col1, row1) covering it."""
    grid: dict[tuple[int, int], object] = {}
    spans = []
    for r, row in enumerate(layout):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = cell if (dr, dc) == (0, 0) else None
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append((c, r, c + cell.colspan - 1, r + cell.rowspan - 1))
            c += cell.colspan
    rows, cols = max(r for r, _ in grid) + 1, max(c for _, c in grid) + 1
    return [[grid.get((r, c)) for c in range(cols)] for r in range(rows)], spans


def report_pdf(spec: ReportSpec) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6.5, leading=8, wordWrap="CJK")
    title = f"{spec.issuer}{spec.year}年政府信息公开工作年度报告"
    story = [Paragraph(title, ParagraphStyle("title", parent=body, fontSize=16, leading=24)), Spacer(1, 8)]
    for part in report_parts(spec):
        if isinstance(part, str):
            story.append(Paragraph(part, body))
            continue
        matrix, spans = _matrix(part)
        data = [[Paragraph(cell.text, cell_style) if cell is not None else "" for cell in row] for row in matrix]
        width = A4[0] - 80
        label_columns = 1 if len(matrix[0]) <= 6 else (3 if len(matrix[0]) == 10 else 0)
        widths = ([width * 0.34 / label_columns] * label_columns if label_columns else []) + \
                 [width * (0.66 if label_columns else 1) / (len(matrix[0]) - label_columns)] * (len(matrix[0]) - label_columns)
        table = Table(data, colWidths=widths, repeatRows=0)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   *[("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]]))
        story += [table, Spacer(1, 6)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=40, rightMargin=40, title=title).build(story)
    return buffer.getvalue()


def report_docx(spec: ReportSpec) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = f"{spec.issuer}{spec.year}年政府信息公开工作年度报告"
    document.add_heading(document.core_properties.title, level=1)
    for part in report_parts(spec):
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        matrix, spans = _matrix(part)
        table = document.add_table(rows=len(matrix), cols=len(matrix[0]))
        table.style = "Table Grid"
        for c0, r0, c1, r1 in spans:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        for r, row in enumerate(matrix):
            for c, cell in enumerate(row):
                if cell is not None:
                    table.cell(r, c).text = cell.text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_xlsx(spec: ReportSpec) -> bytes:
    """The three tables of a report on three sheets, merged cells as Excel merges them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    names = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
    tables = [part for part in report_parts(spec) if not isinstance(part, str)]
    for name, layout in zip(names, tables, strict=True):
        sheet = book.create_sheet(name[2:16])
        sheet.append([f"{spec.issuer}{spec.year}年政府信息公开工作年度报告 {name}"])
        matrix, spans = _matrix(layout)
        for row in matrix:
            sheet.append([cell.text if cell is not None else None for cell in row])
        for c0, r0, c1, r1 in spans:
            sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
