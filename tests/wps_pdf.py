"""Report PDFs as WPS and Word export them, drawn on a canvas rather than by a layout engine.

What real exported PDFs do and reportlab's own tables do not: a table runs on over the page break with no header row
repeated, a merged cell cut by the break continues as an empty bordered cell, long labels wrap inside their cell,
every page carries its number in the footer (— 2 —), some text layers space their characters out, and bodies mistype
row labels. Built from the same report parts as the HTML pages (tests/portal_pages.py), so the same cells are
expected.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from .portal_documents import _matrix
from .portal_pages import Layout, LayoutCell, ReportSpec, report_parts

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN = 56.0
FONT = "STSong-Light"


@dataclass(frozen=True)
class PdfLook:
    cell_size: float = 10.5  # 五号, the size Word and WPS tables default to
    char_space: float = 0.0  # extra space between characters, as some WPS text layers have
    lead_paragraphs: int = 0  # more prose before the tables, moving the page breaks to other rows
    typos: dict[str, str] = field(default_factory=dict)  # a printed label → as the body mistyped it
    footer: str = "— {} —"
    split_rows: bool = False  # a row may break across the page
    ruled: bool = True  # False: a table laid out with tabs and spaces, no ruling at all
    repeat_header: bool = False  # the header rows printed again at the head of each page the table runs on to


@dataclass
class _Page:
    texts: list[tuple[float, float, float, str, float]] = field(default_factory=list)  # x, y, size, text, spacing
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x, y, w, h


class _Canvas:
    def __init__(self, look: PdfLook) -> None:
        self.look = look
        self.pages = [_Page()]
        self.y = PAGE_H - MARGIN

    def room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.pages.append(_Page())
            self.y = PAGE_H - MARGIN

    def lines(self, text: str, width: float, size: float) -> list[str]:
        per_line = max(1, int((width - 4) / (size + self.look.char_space)))
        return [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]

    def paragraph(self, text: str, size: float = 12, leading: float = 20) -> None:
        for line in self.lines(text, PAGE_W - 2 * MARGIN, size):
            self.room(leading)
            self.y -= leading
            self.pages[-1].texts.append((MARGIN, self.y + 5, size, line, self.look.char_space))
        self.y -= 4

    def table(self, layout: Layout) -> None:
        matrix, _spans = _matrix(layout)
        columns = len(matrix[0])
        widths = _widths(columns)
        size, leading = self.look.cell_size, self.look.cell_size * 1.3
        cells = _cells(layout)
        heights = [leading + 6] * len(matrix)
        for (r, c), (cell, rows, cols) in cells.items():
            if rows == 1:
                width = sum(widths[c:c + cols])
                heights[r] = max(heights[r], len(self.lines(self.text(cell), width, size)) * leading + 6)
        header = next((r for r, row in enumerate(layout) if any(not cell.label for cell in row)), 0)
        placed: list[list[tuple[int, float, float]]] = []
        repeats: list[dict[int, list[tuple[int, float, float]]]] = []  # header rows drawn again on later pages
        for r, height in enumerate(heights):
            if self.look.repeat_header and 0 < header <= r and self.y - height < MARGIN:
                self.room(PAGE_H)  # a new page, headed by the table's header rows (标题行重复)
                repeats.append({row: self._place(heights[row], leading) for row in range(header)})
            placed.append(self._place(height, leading))
        self.y -= 8
        self._draw(cells, dict(enumerate(placed)), widths, size, leading)
        for copy in repeats:
            self._draw({at: c for at, c in cells.items() if at[0] + c[1] <= header}, copy, widths, size, leading)

    def _draw(self, cells: dict[tuple[int, int], tuple[LayoutCell, int, int]],
              placed: dict[int, list[tuple[int, float, float]]], widths: list[float], size: float,
              leading: float) -> None:
        for (r, c), (cell, rows, cols) in cells.items():
            x, width = MARGIN + sum(widths[:c]), sum(widths[c:c + cols])
            segments: dict[int, list[tuple[float, float]]] = {}
            for page, top, height in (part for row in range(r, r + rows) for part in placed[row]):
                segments.setdefault(page, []).append((top, top - height))
            parts = [(page, seg[0][0], seg[-1][1]) for page, seg in segments.items()]
            if self.look.ruled:
                for page, top, bottom in parts:
                    self.pages[page].boxes.append((x, bottom, width, top - bottom))
            if len(parts) == 1:
                self._cell_text(*parts[0], cell, x, width, size, leading)
            else:  # cut by the page break, as Word does: the text from the top, its overflow on the next part
                lines = self.lines(self.text(cell), width, size)
                for number, (page, top, bottom) in enumerate(parts, 1):
                    fits = len(lines) if number == len(parts) else int((top - bottom - 4) / leading)
                    self._lines_at(page, lines[:fits], cell, x, width, top - 2 - size, size, leading)
                    lines = lines[fits:]

    def _place(self, height: float, leading: float) -> list[tuple[int, float, float]]:
        """A row's parts (page, top, height): one, or two when the row breaks across the page, as Word allows by
        default (允许跨行断页): its first lines at the foot of one page, the rest at the head of the next."""
        room = self.y - MARGIN
        parts = []
        if height > room and self.look.split_rows and height > 2 * leading + 6 and room >= leading + 6:
            parts.append((len(self.pages) - 1, self.y, room))
            height += leading + 6 - room  # what did not fit, with the cell's padding again on the new page
            self.y = MARGIN
        self.room(height)
        parts.append((len(self.pages) - 1, self.y, height))
        self.y -= height
        return parts

    def text(self, cell: LayoutCell) -> str:
        return self.look.typos.get(cell.text, cell.text)

    def _cell_text(self, page: int, top: float, bottom: float, cell: LayoutCell, x: float, width: float,
                   size: float, leading: float) -> None:
        """Centred in the cell, as both exporters do."""
        lines = self.lines(self.text(cell), width, size)
        y = (top + bottom) / 2 + len(lines) * leading / 2 - leading + (leading - size) / 2 + 1
        self._lines_at(page, lines, cell, x, width, y, size, leading)

    def _lines_at(self, page: int, lines: list[str], cell: LayoutCell, x: float, width: float, y: float,
                  size: float, leading: float) -> None:
        for line in lines:
            shift = 2 if cell.label else max(2.0, (width - len(line) * size * 0.55) / 2)
            self.pages[page].texts.append((x + shift, y, size, line, self.look.char_space))
            y -= leading

    def pdf(self, title: str) -> bytes:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        buffer = io.BytesIO()
        drawing = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
        drawing.setTitle(title)
        for number, page in enumerate(self.pages, 1):
            drawing.setLineWidth(0.5)
            for x, y, w, h in page.boxes:
                drawing.rect(x, y, w, h)
            for x, y, size, text, spacing in page.texts:
                line = drawing.beginText(x, y)
                line.setFont(FONT, size)
                line.setCharSpace(spacing)
                line.textLine(text)
                drawing.drawText(line)
            drawing.setFont(FONT, 10.5)
            drawing.drawCentredString(PAGE_W / 2, MARGIN / 2, self.look.footer.format(number))
            drawing.showPage()
        drawing.save()
        return buffer.getvalue()


def _widths(columns: int) -> list[float]:
    width = PAGE_W - 2 * MARGIN
    if columns == 10:  # table 3: three label columns, seven of figures
        labels = [width * 0.07, width * 0.11, width * 0.2]
        return labels + [(width - sum(labels)) / 7] * 7
    if columns <= 6:  # table 2: the content, then its figures
        return [width * 0.34] + [width * 0.66 / (columns - 1)] * (columns - 1)
    return [width / columns] * columns


def _cells(layout: Layout) -> dict[tuple[int, int], tuple[LayoutCell, int, int]]:
    """Each printed cell at its grid origin, with its row and column spans."""
    taken: set[tuple[int, int]] = set()
    cells = {}
    for r, row in enumerate(layout):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            taken |= {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            cells[(r, c)] = (cell, cell.rowspan, cell.colspan)
            c += cell.colspan
    return cells


def exported_pdf(spec: ReportSpec, look: PdfLook = PdfLook()) -> bytes:
    title = f"{spec.issuer}{spec.year}年政府信息公开工作年度报告"
    drawing = _Canvas(look)
    drawing.paragraph(title, size=18, leading=30)
    filler = "本机关坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开，不断提升政务公开质量和实效。"
    for _ in range(look.lead_paragraphs):
        drawing.paragraph(filler)
    for part in report_parts(spec):
        if isinstance(part, str):
            drawing.paragraph(part)
        else:
            drawing.table(part)
    return drawing.pdf(title)
