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
# A Markdown table has a rule under its header (|---|:---:|): layout, no row; its rows open with a `|` of their own
_MARKDOWN_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")


def split_row(line: str, markdown: bool = False) -> list[str]:
    """`a | b |` → ['a', 'b']; a bare `|` is one empty cell (empty cells flattened to lines, so `| 25 |` is an empty
    cell and 25); in a Markdown table `| a | b |` → ['a', 'b']."""
    parts = [p.strip() for p in line.split("|")]
    if line.rstrip().endswith("|"):
        parts = parts[:-1]
    if markdown and line.lstrip().startswith("|") and len(parts) > 1:
        parts = parts[1:]
    return parts


def read_text(text: str, source_type: str = "txt") -> Document:
    blocks: list[Paragraph | Table] = []
    rows: list[str] = []  # the lines of the table being read

    def flush_rows() -> None:
        if rows:
            kept = [row for row in rows if not _MARKDOWN_RULE.match(row)]
            markdown = len(kept) < len(rows)  # a rule line: a Markdown table
            blocks.append(Table([[Cell(c) for c in split_row(row, markdown)] for row in kept], from_grid=False))
            rows.clear()

    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if len(blocks) + len(rows) > MAX_BLOCKS:
            raise BudgetExceeded(f"more than {MAX_BLOCKS:,} lines: not a report")
        line = _MARKDOWN_HEADING.sub("", raw_line.strip())
        cells = split_row(line) if "|" in line and line.count("|") <= MAX_ROW_CELLS else None
        if cells and max(len(c) for c in cells) <= _MAX_CELL_LEN:
            rows.append(line)
            continue
        flush_rows()
        if line:
            blocks.append(Paragraph(line))
    flush_rows()
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    return Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [],
                    source_type=source_type)
