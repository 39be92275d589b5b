"""PDF → Document with pdfplumber: ruled tables as grids, the other text lines as paragraphs, in page order."""

from __future__ import annotations

import io
import re
from contextlib import ExitStack

from .budget import MAX_PDF_PAGES, BudgetExceeded
from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table

# A page with fewer characters than this has no text layer worth reading: a scan.
_SCANNED_CHARS = 20
# Page numbers as exporters print them in the header or footer: 3, — 3 —, -3-, 第3页, 第 3 页 共 9 页, 3/9.
# Never content: between a table's header on one page and its figures on the next, a bare 3 reads as a figure.
_PAGE_NUMBER = re.compile(r"^[-—–―－\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/／]\s*\d{1,3}|\s*[,，]?\s*共\s*\d{1,3}\s*页)?"
                          r"[-—–―－\s]*$")
# Where page numbers go: the outer 15 % of the page (GB/T 9704 puts them 28 mm from the foot, 9 % of A4)
_MARGIN_SHARE = 0.15
# Words further apart than this many character heights are in different columns of a table printed without ruling
_COLUMN_GAP = 1.0
_FIGURE = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _ruled(page) -> bool:
    """Whether a page draws anything (ruling, boxes, lines): only such a page can hold a table pdfplumber finds."""
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4))


def _pdfium_words(page) -> list[dict]:
    """The words of a page without ruling, from pdfium's text layer, as pdfplumber forms them (text flow order; a
    new word at a space, a step back, a gap of more than 3 pt or a change of line), each character pdfminer's box
    high (from the font's descent up its size) and pdfium's loose box across."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    height = page.get_height()
    words: list[dict] = []
    word: dict | None = None
    x, y, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    try:
        for index in range(textpage.count_chars()):
            text = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            if text.isspace() or not text.isprintable() or pdfium_c.FPDFText_IsGenerated(textpage, index):
                word = None
                continue
            left, _bottom, right, _top = textpage.get_charbox(index, loose=True)
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            size = pdfium_c.FPDFText_GetFontSize(textpage, index)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage, index))
            if not font or not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size), descent):
                descent.value = 0.0
            top = height - (y.value + descent.value + size)  # pdfminer's box: from the font's descent up its size
            if word is None or left < word["x0"] or left > word["x1"] + 3 or abs(top - word["char_top"]) > 3:
                word = {"text": text, "x0": left, "x1": right, "top": top, "bottom": top + size, "char_top": top}
                words.append(word)
            else:
                word["text"] += text
                word["x1"], word["char_top"] = right, top
                word["bottom"] = max(word["bottom"], top + size)
    finally:
        textpage.close()
    return words


def _lines(words: list[dict]) -> list[tuple[float, float, str]]:
    """Words grouped into lines (top, bottom, text) by their vertical position."""
    lines: list[tuple[float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0] - word["top"]) < 3:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    return [(top, max(w["bottom"] for w in ws), _joined(sorted(ws, key=lambda w: w["x0"]))) for top, ws in lines]


def _joined(words: list[dict]) -> str:
    """A line's words as text: Chinese needs no spaces, but figures a column gap apart stay apart (3 0 6, never
    306), as do other words printed that far apart."""
    text = words[0]["text"]
    for before, word in zip(words, words[1:], strict=False):
        gap = word["x0"] - before["x1"]
        text += " " if gap > _COLUMN_GAP * (word["bottom"] - word["top"]) else ""
        text += word["text"]
    return text


def _without_page_numbers(lines: list[tuple[float, float, str]], tables: list[tuple[float, float]],
                          page_height: float) -> list[tuple[float, float, str]]:
    """The lines (in page order) less a page number printed below or above everything else, in the page's margin."""
    kept = list(lines)
    if (kept and _PAGE_NUMBER.match(kept[-1][2]) and kept[-1][1] > page_height * (1 - _MARGIN_SHARE)
            and all(bottom <= kept[-1][0] for _top, bottom in tables)):
        kept.pop()
    if (kept and _PAGE_NUMBER.match(kept[0][2]) and kept[0][0] < page_height * _MARGIN_SHARE
            and all(top >= kept[0][1] for top, _bottom in tables)):
        kept.pop(0)
    return kept


def _text_block(line: str) -> Paragraph | Table:
    """A line outside any ruling: a row of an unruled table (its label, then two or more figures a column apart)
    or a paragraph."""
    words = line.split(" ")
    figures = next((i for i, w in enumerate(reversed(words)) if not _FIGURE.match(w)), len(words))  # trailing ones
    if figures < 2:
        return Paragraph(line.replace(" ", ""))
    label = "".join(words[:len(words) - figures])
    return Table([[Cell(text) for text in ([label] if label else []) + words[len(words) - figures:]]], from_grid=False)


def _grid(rows: list[list[str | None]]) -> list[list[Cell]]:
    # pdfplumber gives None for the positions a merged cell covers: copies, as rowspan/colspan in HTML
    return [[Cell(" ".join((text or "").split()), col, text is None) for col, text in enumerate(row)] for row in rows]


def read_pdf(data: bytes) -> Document:
    import pdfplumber
    import pypdfium2
    from pdfminer.pdfparser import PDFSyntaxError

    blocks: list[Paragraph | Table] = []
    characters = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf, ExitStack() as closing:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise BudgetExceeded(f"a PDF of {len(pdf.pages)} pages (budget {MAX_PDF_PAGES}): not a report")
            fast = pypdfium2.PdfDocument(data)
            closing.callback(fast.close)
            for number, page in enumerate(pdf.pages):
                # pdfplumber (pdfminer) for pages with ruling, which it alone turns into tables, and for any page
                # pdfium does not see (a damaged file read two ways); pdfium reads the text of the others, faster
                quick = fast[number] if number < len(fast) else None
                if quick is None or _ruled(quick):
                    tables = page.find_tables()
                    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                else:
                    tables, words = [], _pdfium_words(quick)
                if quick is not None:
                    quick.close()
                boxes = [t.bbox for t in tables]
                placed: list[tuple[float, Paragraph | Table]] = [(t.bbox[1], Table(_grid(t.extract()))) for t in tables]
                characters += sum(len(w["text"]) for w in words)
                lines = _lines([w for w in words if not _inside(w, boxes)])
                lines = _without_page_numbers(lines, [(t.bbox[1], t.bbox[3]) for t in tables], page.height)
                placed += [(top, _text_block(text)) for top, _bottom, text in lines]
                ordered = [block for _top, block in sorted(placed, key=lambda pair: pair[0])]
                if (ordered and blocks and isinstance(ordered[0], Table) and isinstance(blocks[-1], Table)
                        and ordered[0].from_grid and blocks[-1].from_grid and ordered[0].rows and blocks[-1].rows):
                    # a ruled table first on its page, after one last on the page before
                    ordered[0].continues = len(ordered[0].rows[0]) == len(blocks[-1].rows[0])
                blocks += ordered
                page.close()  # its parsed objects go now: memory stays flat in the page count
    except BudgetExceeded:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise DecodeError(f"unreadable PDF ({type(error).__name__}: {error})") from error
    except Exception as error:  # pdfminer raises bare exceptions for truncated files
        if type(error).__module__.startswith(("pdfminer", "pdfplumber", "pypdfium2")):
            raise DecodeError(f"unreadable PDF ({type(error).__name__}: {error})") from error
        raise
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    document = Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [], source_type="pdf")
    document.scanned = characters < _SCANNED_CHARS
    return document
