"""Positioned words → paragraphs and text rows, page by page: the layout shared by PDF text layers and OCR.

Words are dicts with text, x0, x1, top, bottom in points (1/72 in) from the page's top left, as pdfplumber gives
them; an OCR'd page is measured in the same unit, so the thresholds here hold for both.
"""

from __future__ import annotations

import re

from .document import Block, Cell, Paragraph, Table

# Page numbers as exporters print them in the header or footer: 3, — 3 —, -3-, 第3页, 第 3 页 共 9 页, 3/9.
# Never content: between a table's header on one page and its figures on the next, a bare 3 reads as a figure.
# (一 among the dashes: OCR reads the — of "— 3 —" as the numeral, which never stands beside a page's figure)
_PAGE_NUMBER = re.compile(r"^[-—–―－一\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3}|\s*[,，]?\s*共\s*\d{1,3}\s*页)?"
                          r"[-—–―－一\s]*$")
# Where page numbers go: the outer 15 % of the page (GB/T 9704 puts them 28 mm from the foot, 9 % of A4)
_MARGIN_SHARE = 0.15
# Words further apart than this many character heights are in different columns of a table printed without ruling
_COLUMN_GAP = 1.0
# ... by more than this many points: a gap of exactly one character (a full-width space set as a shift, TeX's quad)
# is no column, however a reader rounds the glyphs' positions and widths (pdfium's differ from pdfminer's by up to 0.1 pt)
_GAP_TIE = 0.2
_FIGURE = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_SAME_LINE = 3.0  # points between the tops of words on one line

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def outside(words: list[dict], boxes: list[Box]) -> list[dict]:
    """The words whose centre lies in none of the boxes (a table's words are read as its cells)."""
    def inside(word: dict) -> bool:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return [w for w in words if not inside(w)]


def lines(words: list[dict]) -> list[tuple[float, float, str]]:
    """Words grouped into lines (top, bottom, text) by their vertical position."""
    grouped: list[tuple[float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if grouped and abs(grouped[-1][0] - word["top"]) < _SAME_LINE:
            grouped[-1][1].append(word)
        else:
            grouped.append((word["top"], [word]))
    return [(top, max(w["bottom"] for w in ws), _joined(sorted(ws, key=lambda w: w["x0"]))) for top, ws in grouped]


def _joined(words: list[dict]) -> str:
    """A line's words as text: Chinese needs no spaces, but figures a column gap apart stay apart (3 0 6, never
    306), as do other words printed that far apart."""
    text = words[0]["text"]
    for before, word in zip(words, words[1:], strict=False):
        gap = word["x0"] - before["x1"]
        text += " " if gap > _COLUMN_GAP * (word["bottom"] - word["top"]) + _GAP_TIE else ""
        text += word["text"]
    return text


def without_page_numbers(found: list[tuple[float, float, str]], tables: list[tuple[float, float]],
                         page_height: float) -> list[tuple[float, float, str]]:
    """The lines (in page order) less a page number printed below or above everything else, in the page's margin."""
    kept = list(found)
    if (kept and _PAGE_NUMBER.match(kept[-1][2]) and kept[-1][1] > page_height * (1 - _MARGIN_SHARE)
            and all(bottom <= kept[-1][0] for _top, bottom in tables)):
        kept.pop()
    if (kept and _PAGE_NUMBER.match(kept[0][2]) and kept[0][0] < page_height * _MARGIN_SHARE
            and all(top >= kept[0][1] for top, _bottom in tables)):
        kept.pop(0)
    return kept


def text_block(line: str) -> Paragraph | Table:
    """A line outside any ruling: a row of an unruled table (its label, then two or more figures a column apart)
    or a paragraph."""
    words = line.split(" ")
    figures = next((i for i, w in enumerate(reversed(words)) if not _FIGURE.match(w)), len(words))  # trailing ones
    if figures < 2:
        return Paragraph(line.replace(" ", ""))
    label = "".join(words[:len(words) - figures])
    return Table([[Cell(text) for text in ([label] if label else []) + words[len(words) - figures:]]], from_grid=False)


def page_blocks(tables: list[tuple[Box, Table]], words: list[dict], page_height: float) -> list[Block]:
    """One page in reading order: its ruled tables (with their boxes) and the lines of the words outside them."""
    boxes = [box for box, _table in tables]
    placed: list[tuple[float, Block]] = [(box[1], table) for box, table in tables]
    found = without_page_numbers(lines(outside(words, boxes)), [(box[1], box[3]) for box in boxes], page_height)
    placed += [(top, text_block(text)) for top, _bottom, text in found]
    return [block for _top, block in sorted(placed, key=lambda pair: pair[0])]


def append_page(blocks: list[Block], page: list[Block]) -> None:
    """A page's blocks after the pages before; a ruled table first on its page, after one last on the page before
    with as many columns, continues that table (Word and WPS repeat no header row unless asked)."""
    if (page and blocks and isinstance(page[0], Table) and isinstance(blocks[-1], Table)
            and page[0].from_grid and blocks[-1].from_grid and page[0].rows and blocks[-1].rows):
        page[0].continues = len(page[0].rows[0]) == len(blocks[-1].rows[0])
    blocks += page
