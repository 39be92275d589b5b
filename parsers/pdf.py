"""PDF → Document with pdfplumber: ruled tables as grids, the other text lines as paragraphs, in page order."""

from __future__ import annotations

import io
from contextlib import ExitStack

from .budget import MAX_PDF_PAGES, BudgetExceeded
from .decode import DecodeError
from .document import Block, Cell, Document, Paragraph, Table
from .layout import append_page, page_blocks
from .ocr import ScanReader

# A page with fewer characters than this has no text layer worth reading: a scan.
_SCANNED_CHARS = 20


def _draws(page, kind: int) -> bool:
    """Whether a pdfium page holds an object of the kind: paths (ruling, boxes) for a table pdfplumber can find,
    images for a scan to read by OCR."""
    return any(True for _ in page.get_objects(filter=[kind], max_depth=4))


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


def _grid(rows: list[list[str | None]]) -> list[list[Cell]]:
    # pdfplumber gives None for the positions a merged cell covers: copies, as rowspan/colspan in HTML
    return [[Cell(" ".join((text or "").split()), col, text is None) for col, text in enumerate(row)] for row in rows]


def read_pdf(data: bytes) -> Document:
    import pdfplumber
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    from pdfminer.pdfparser import PDFSyntaxError

    blocks: list[Block] = []
    characters = 0
    scans = ScanReader()
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
                if quick is None or _draws(quick, pdfium_c.FPDF_PAGEOBJ_PATH):
                    tables = page.find_tables()
                    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                else:
                    tables, words = [], _pdfium_words(quick)
                read = sum(len(w["text"]) for w in words)
                characters += read
                if read < _SCANNED_CHARS and quick is not None and _draws(quick, pdfium_c.FPDF_PAGEOBJ_IMAGE) \
                        and scans.take():
                    append_page(blocks, scans.read(quick))
                else:
                    found = [(tuple(t.bbox), Table(_grid(t.extract()))) for t in tables]
                    append_page(blocks, page_blocks(found, words, page.height))
                if quick is not None:
                    quick.close()
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
    document.ocr = scans.pages > 0
    document.warnings += scans.warnings()
    return document
