"""A source-neutral document: paragraphs and tables in reading order.

HTML, PDF, DOCX and TXT readers all produce this; everything after (sections, tables,
metadata, prose figures) works on it alone, so one report model serves every source type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs four times as much, for every cell read
class Cell:
    text: str
    column: int | None = None  # grid column for HTML/DOCX tables; None for text rows
    span_copy: bool = False  # a copy made by rowspan/colspan, not a cell of its own
    confidence: float | None = None  # read by OCR: the recogniser's confidence in its least certain character


@dataclass
class Table:
    rows: list[list[Cell]]
    from_grid: bool = True  # rows are real table rows (blank cells present) rather than text lines
    continues: bool = False  # runs on from the table before it over a page break (PDF), with the same columns

    def as_text(self) -> str:
        return "\n".join(" | ".join(c.text for c in row if not c.span_copy) for row in self.rows)


@dataclass
class Paragraph:
    text: str
    heading: bool = False  # marked as a heading by the source (<h*>, bold-only paragraph)


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    title_hint: str | None = None  # <title>, ArticleTitle meta …
    title_candidates: list[str] = field(default_factory=list)  # every title-like string, best first
    date_hints: list[str] = field(default_factory=list)  # PubDate meta …
    source_type: str = "html"
    link_ratio: float = 0.0  # share of the body's text inside links: list pages are mostly links
    scanned: bool = False  # a PDF with no text layer (images of pages), or an image of a page
    ocr: bool = False  # some pages were read by OCR
    warnings: list[str] = field(default_factory=list)  # what the reader could not do (pages left unread …)
    site_meta: dict[str, str] = field(default_factory=dict)  # SiteIDCode, ColumnName … of government pages

    def full_text(self) -> str:
        return "\n".join(b.text if isinstance(b, Paragraph) else b.as_text() for b in self.blocks)
