"""PDF → Document: ruled tables as grids (pdfplumber's table finder), the other text lines as paragraphs, in page
order. pdfium reads each page's glyphs and ruling; pdfplumber (pdfminer) reads the pages pdfium's model does not
describe (see pdfium_page)."""

from __future__ import annotations

import io
from contextlib import ExitStack, suppress

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


def _pdfium(data: bytes):
    """pdfium's reading of the file, or None where it cannot open it (bytes before %PDF, a wrong page count)."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None


def _unreadable(error: Exception) -> DecodeError:
    return DecodeError(f"unreadable PDF ({type(error).__name__}: {error})")


def _reader_error(error: Exception) -> bool:
    """An error of a PDF reader about the file (pdfminer raises bare exceptions for truncated files)."""
    return isinstance(error, (ValueError, KeyError, TypeError)) or type(error).__module__.startswith(
        ("pdfminer", "pdfplumber", "pypdfium2"))


def read_pdf(data: bytes) -> Document:
    """Pages as pdfplumber (pdfminer) lists them, each read by pdfium where its model fits; pdfium's pages where
    pdfminer finds none (offsets a transfer shifted, pages without /Type) or cannot open the file, as long as the
    file is whole (its %%EOF: a cut download is no report, though pdfium may rebuild its index)."""
    try:
        with ExitStack() as closing:
            fast = _pdfium(data)
            if fast is not None:
                closing.callback(fast.close)
            stands_in = fast is not None and len(fast) > 0 and b"%%EOF" in data
            plumber_pages = _plumber_pages(data, closing, stands_in)
            count = len(fast) if stands_in and not plumber_pages else len(plumber_pages)
            if count > MAX_PDF_PAGES:
                raise BudgetExceeded(f"a PDF of {count} pages (budget {MAX_PDF_PAGES}): not a report")
            return _read_pages(fast, plumber_pages, count)
    except (BudgetExceeded, DecodeError):
        raise
    except Exception as error:
        if _reader_error(error):
            raise _unreadable(error) from error
        raise


def _plumber_pages(data: bytes, closing: ExitStack, stands_in: bool) -> list:
    """pdfplumber's pages; none where it cannot list them and pdfium's reading of the whole file stands in."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        closing.callback(_quietly_closed, pdf)
        return pdf.pages
    except Exception as error:
        if stands_in and _reader_error(error):
            return []
        raise


def _quietly_closed(pdf) -> None:
    with suppress(Exception):  # a file pdfminer could not list closes as far as it can; nothing is lost
        pdf.close()


def _read_pages(fast, plumber_pages: list, count: int) -> Document:
    import pypdfium2.raw as pdfium_c

    blocks: list[Block] = []
    characters = 0
    scans = ScanReader()
    unread: list[int] = []
    for number in range(count):
        # pdfium's glyphs and ruling where its model describes the page; pdfplumber (pdfminer) for any other page,
        # and any page pdfium does not see (a damaged file read two ways)
        quick = fast[number] if fast is not None and number < len(fast) else None
        page = plumber_pages[number] if number < len(plumber_pages) else None
        ruled = quick is None or _draws(quick, pdfium_c.FPDF_PAGEOBJ_PATH)
        model = PdfiumPage.of(quick, ruled) if quick is not None else None
        if model is not None:
            tables, chars, height = find_tables(model) if ruled else [], model.chars, model.height
            words = flow_words(chars)
        elif page is not None:
            tables, chars, height = find_tables(page), page.chars, page.height
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
        else:  # pdfium alone sees it, and its model does not fit (a turned page of a file pdfminer cannot read)
            unread.append(number + 1)
            quick.close()
            continue
        read = sum(len(w["text"]) for w in words)
        characters += read
        if read < _SCANNED_CHARS and quick is not None and _draws(quick, pdfium_c.FPDF_PAGEOBJ_IMAGE) \
                and scans.take():
            append_page(blocks, scans.read(quick))
        else:
            texts = cell_texts(tables, chars)
            found = [(tuple(t.bbox), Table(_grid(rows))) for t, rows in zip(tables, texts, strict=True)]
            append_page(blocks, page_blocks(found, words, height))
        if quick is not None:
            quick.close()
        if page is not None:
            page.close()  # its parsed objects go now: memory stays flat in the page count
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    document = Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [], source_type="pdf")
    document.scanned = characters < _SCANNED_CHARS and not unread
    document.ocr = scans.pages > 0
    document.warnings += scans.warnings()
    if unread:
        document.warnings.append(f"PDF pages {', '.join(map(str, unread))} not read: pdfminer lists no page of the "
                                 "file, and pdfium's reading of a turned or cropped page is not the one tables are "
                                 "read from")
    return document
