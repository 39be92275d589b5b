"""PDF parse time per page and peak memory as the page count grows, against pypdfium2's text floor.

    .venv/bin/python -m benchmarks.pdf_pages [--pages 3 12 48]

Reports drawn as WPS and Word export them (tests/wps_pdf.py), their prose lengthened until the PDF has about the
asked number of pages; the tables stay the report's own (2-3 pages of them). Peak memory is Python's own
allocation during one parse (tracemalloc), so a leak of read pages shows as growth with the page count.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import pypdfium2

from parsers import parse
from tests.portal_pages import ReportSpec, sample_cells
from tests.wps_pdf import PdfLook, exported_pdf

from .floors import pdfium_text

PARAGRAPHS_PER_PAGE = 30  # lines of the filler paragraph on one A4 page at 12 pt


def report_of(pages: int) -> bytes:
    spec = ReportSpec("gov2021", 2023, "示范区人民政府", sample_cells("gov2021", pages))
    return exported_pdf(spec, PdfLook(lead_paragraphs=max(0, pages - 3) * PARAGRAPHS_PER_PAGE // 2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, nargs="+", default=[3, 12, 48])
    args = parser.parse_args()
    print("| pages | parse | per page | pypdfium2 text per page | ratio | peak memory of one parse |")
    print("|---|---|---|---|---|---|")
    for wanted in args.pages:
        data = report_of(wanted)
        pages = len(pypdfium2.PdfDocument(data))
        parse(data)  # warm
        started = time.process_time()
        parse(data)
        parsed = time.process_time() - started
        started = time.process_time()
        for _ in range(5):
            pdfium_text(data)
        floor = (time.process_time() - started) / 5
        tracemalloc.start()
        parse(data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"| {pages} | {parsed:.2f} s | {1000 * parsed / pages:.0f} ms | {1000 * floor / pages:.1f} ms | "
              f"{parsed / floor:.0f}× | {peak / 2**20:.1f} MiB |")


if __name__ == "__main__":
    main()
