"""PDF → Document with pdfplumber: ruled tables as grids, the other text lines as paragraphs, in page order."""

from __future__ import annotations

import io

from .budget import MAX_PDF_PAGES, BudgetExceeded
from .decode import DecodeError
from .document import Cell, Document, Paragraph, Table

# A page with fewer characters than this has no text layer worth reading: a scan.
_SCANNED_CHARS = 20


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _lines(words: list[dict]) -> list[tuple[float, str]]:
    """Words grouped into lines by their vertical position; Chinese text needs no spaces between words."""
    lines: list[tuple[float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0] - word["top"]) < 3:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    return [(top, "".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"]))) for top, ws in lines]


def _grid(rows: list[list[str | None]]) -> list[list[Cell]]:
    # pdfplumber gives None for the positions a merged cell covers: copies, as rowspan/colspan in HTML
    return [[Cell(" ".join((text or "").split()), col, text is None) for col, text in enumerate(row)] for row in rows]


def read_pdf(data: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    blocks: list[Paragraph | Table] = []
    characters = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise BudgetExceeded(f"a PDF of {len(pdf.pages)} pages (budget {MAX_PDF_PAGES}): not a report")
            for page in pdf.pages:
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                placed: list[tuple[float, Paragraph | Table]] = [(t.bbox[1], Table(_grid(t.extract()))) for t in tables]
                words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                characters += sum(len(w["text"]) for w in words)
                placed += [(top, Paragraph(text)) for top, text in _lines([w for w in words if not _inside(w, boxes)])]
                blocks += [block for _top, block in sorted(placed, key=lambda pair: pair[0])]
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
