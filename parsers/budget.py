"""Hard budgets for one document: past them, a clear DecodeError instead of minutes, gigabytes or a crash.

Real reports are a few dozen pages with tables of ≤ 50 rows × 15 columns; every limit here is far above
that and far below what a hostile or broken file can ask for. Time and memory are bounded in addition by the
process that parses (parsers/isolated.py).
"""

from __future__ import annotations

from .decode import DecodeError

MAX_TABLE_CELLS = 50_000  # grid positions of one table, spans spread (a report's largest: ~1,000)
MAX_DOCUMENT_CELLS = 200_000  # grid positions of all tables of a document
MAX_COLSPAN = 60
MAX_ROW_CELLS = 400  # cells of one `|` text row: more is not a table row
MAX_BLOCKS = 200_000  # paragraphs and tables of a document
MAX_PDF_PAGES = 300
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # the parts of a DOCX/XLSX, decompressed
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 200
MAX_DIGITS = 15  # longer numbers are not figures of a report (and do not fit SQLite's INTEGER)


class BudgetExceeded(DecodeError):
    """The document asks for more than any report needs."""


class CellBudget:
    """Counts grid positions as tables are built, across the whole document."""

    def __init__(self, limit: int = MAX_DOCUMENT_CELLS) -> None:
        self.limit, self.used = limit, 0

    def take(self, cells: int) -> None:
        self.used += cells
        if self.used > self.limit:
            raise BudgetExceeded(f"tables of more than {self.limit:,} cells in all: not a report")


def check_zip(data: bytes, kind: str) -> None:
    """Refuse a DOCX/XLSX whose parts decompress beyond the budget (a zip bomb), before anything reads them."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DecodeError(f"unreadable {kind} ({type(error).__name__}: {error})") from error
    if total > MAX_UNZIPPED_BYTES:
        raise BudgetExceeded(f"{kind} parts decompress to {total / 2**20:,.0f} MB (budget "
                             f"{MAX_UNZIPPED_BYTES // 2**20} MB): refused")
