"""PDF → Document: ruled tables as grids (pdfplumber's table finder), the other text lines as paragraphs, in page
order. pdfium reads each page's glyphs and ruling; pdfplumber (pdfminer) reads the pages pdfium's model does not
describe (see pdfium_page)."""

from __future__ import annotations

import io
from contextlib import ExitStack

from .budget import MAX_PDF_PAGES, BudgetExceeded
from .decode import DecodeError
from .document import Block, Cell, Document, Paragraph, Table
from .layout import append_page, page_blocks
from .ocr import ScanReader
from .pdf_tables import cell_texts, find_tables
from .pdfium_page import PdfiumPage, flow_words

# A page with fewer characters than this has no text layer worth reading: a scan.
_SCANNED_CHARS = 20


def _draws(page, kind: int) -> bool:
    """Whether a pdfium page holds an object of the kind: paths (ruling, boxes) for a table pdfplumber can find,
    images for a scan to read by OCR."""
    return any(True for _ in page.get_objects(filter=[kind], max_depth=4))


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
                # pdfium's glyphs and ruling where its model describes the page; pdfplumber (pdfminer) for any
                # other page, and any page pdfium does not see (a damaged file read two ways)
                quick = fast[number] if number < len(fast) else None
                ruled = quick is None or _draws(quick, pdfium_c.FPDF_PAGEOBJ_PATH)
                model = PdfiumPage.of(quick, ruled) if quick is not None else None
                if model is None:
                    tables, chars = find_tables(page), page.chars
                    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                else:
                    tables, chars = find_tables(model) if ruled else [], model.chars
                    words = flow_words(chars)
                read = sum(len(w["text"]) for w in words)
                characters += read
                if read < _SCANNED_CHARS and quick is not None and _draws(quick, pdfium_c.FPDF_PAGEOBJ_IMAGE) \
                        and scans.take():
                    append_page(blocks, scans.read(quick))
                else:
                    texts = cell_texts(tables, chars)
                    found = [(tuple(t.bbox), Table(_grid(rows))) for t, rows in zip(tables, texts, strict=True)]
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
