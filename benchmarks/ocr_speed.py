"""OCR per page on one core, and cells exact on noisy scans: parsers.ocr against rapidocr's own pipeline.

Pages: generated 2019/2021 reports (tests/wps_pdf.py) printed and scanned at 150 and 200 dpi, crooked by up to
2.5°, with grain, specks, JPEG artefacts and the red seal (tests/scans.py). Each round reads every page both ways,
in turn, on one thread; the best of the rounds counts. rapidocr's pipeline (text detection, angle classifier,
recognition) is what a user would otherwise run on a page; it gives text boxes, not cells, so only its time compares.
The cells are measured on whole documents through parsers.parse: exact, wrong (a figure other than the printed
one) and left blank as unsure.

    python -m benchmarks.ocr_speed --reports 12 --rounds 2
"""

from __future__ import annotations

import argparse
import time

import pypdfium2
from rapidocr_onnxruntime import RapidOCR

from parsers import parse
from parsers.ocr import RENDER_DPI, ScanReader
from tests.portal_pages import ReportSpec, sample_cells
from tests.scans import ScanLook, scan_pages, scanned_pdf
from tests.wps_pdf import PdfLook, exported_pdf


def _documents(count: int) -> list[tuple[ReportSpec, list[bytes]]]:
    documents = []
    for i in range(count):
        fmt, year = (("gov2019", 2020), ("gov2021", 2023))[i % 2]
        spec = ReportSpec(fmt, year, "示范区人民政府", sample_cells(fmt, 500 + i))
        pdf = exported_pdf(spec, PdfLook(cell_size=(10.5, 12)[i % 2], lead_paragraphs=i % 5, split_rows=True))
        look = ScanLook(dpi=(150, 200)[i // 2 % 2], skew=(-1.5, 0.8, 2.5, -0.4)[i % 4], noise=(6, 12)[i % 2], seed=i)
        documents.append((spec, scan_pages(pdf, look)))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    documents = _documents(args.reports)
    pdfs = [pypdfium2.PdfDocument(scanned_pdf(jpegs)) for _spec, jpegs in documents]
    pages = [pdf[i] for pdf in pdfs for i in range(len(pdf))]
    # the same models on the same thread count; each reader warmed up before timing
    engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    reader = ScanReader()
    renders = [page.render(scale=RENDER_DPI / 72).to_numpy() for page in pages]  # what the PDF reader renders
    engine(renders[0])
    reader.read(pages[0])
    ours, theirs = float("inf"), float("inf")
    for _round in range(args.rounds):
        start = time.process_time()
        for page in pages:
            reader.read(page)  # rendering included, as the PDF reader does it
        ours = min(ours, (time.process_time() - start) / len(pages))
        start = time.process_time()
        for image in renders:
            engine(image)
        theirs = min(theirs, (time.process_time() - start) / len(pages))
    print(f"{len(pages)} pages: parsers.ocr {ours:.2f} s/page, rapidocr pipeline {theirs:.2f} s/page "
          f"({ours / theirs:.2f}×), one core")
    total = exact = wrong = unsure = metadata = 0
    for spec, jpegs in documents:
        report = parse(scanned_pdf(jpegs), url="https://www.example.gov.cn/nb.pdf")
        found = {(m.table, m.row, m.col): m for m in report.metrics}
        total += len(spec.cells)
        exact += sum(1 for key, raw in spec.cells.items() if key in found and found[key].raw == raw
                     and found[key].value is not None)
        wrong += sum(1 for key, m in found.items() if m.value is not None and m.raw != spec.cells.get(key))
        unsure += sum(1 for m in found.values() if m.value is None and m.raw)
        metadata += (report.report_year, report.format, report.issuer) == (spec.year, spec.fmt, spec.issuer)
    print(f"{len(documents)} scanned reports: cells exact {exact}/{total} ({exact / total:.1%}), wrong {wrong}, "
          f"left blank as unsure {unsure}; year, format and issuer right {metadata}/{len(documents)}")


if __name__ == "__main__":
    main()
