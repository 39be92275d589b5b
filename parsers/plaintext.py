"""Plain text → Document: lines as paragraphs, ` | ` lines as table rows.

Text comes from TXT files, PDF/DOCX text layers and stored copies of pages whose tables were
flattened to one row per line with cells joined by `|` (or one cell per line).
"""

from __future__ import annotations

import re

from .budget import MAX_BLOCKS, MAX_ROW_CELLS, BudgetExceeded
from .document import Cell, Document, Paragraph, Table

# A `|` inside a long line is prose (or injected spam), not a flattened table row.
_MAX_CELL_LEN = 120
# Text kept as Markdown marks its headings `## 一、总体情况`: the words are the heading.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def split_row(line: str) -> list[str]:
    """`a | b |` → ['a', 'b']; a bare `|` is one empty cell (empty cells flattened to lines)."""
    parts = [p.strip() for p in line.split("|")]
    if line.rstrip().endswith("|"):
        parts = parts[:-1]
    return parts


def read_text(text: str, source_type: str = "txt") -> Document:
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []

    def flush_rows() -> None:
        if rows:
            blocks.append(Table([list(r) for r in rows], from_grid=False))
            rows.clear()

    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if len(blocks) + len(rows) > MAX_BLOCKS:
            raise BudgetExceeded(f"more than {MAX_BLOCKS:,} lines: not a report")
        line = _MARKDOWN_HEADING.sub("", raw_line.strip())
        cells = split_row(line) if "|" in line and line.count("|") <= MAX_ROW_CELLS else None
        if cells and max(len(c) for c in cells) <= _MAX_CELL_LEN:
            rows.append([Cell(c) for c in cells])
            continue
        flush_rows()
        if line:
            blocks.append(Paragraph(line))
    flush_rows()
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    return Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [],
                    source_type=source_type)
