"""`parsers.parse` against the floor of each source type, interleaved in one run on one core.

    .venv/bin/python -m benchmarks.floors [--reports 40] [--rounds 3] [--kinds HTML PDF DOCX]

Floors (what reading the bytes costs before any report is understood):
- HTML: lxml parses the page and takes its text;
- PDF: pypdfium2 opens the file and takes every page's text;
- DOCX: python-docx opens the file and walks its paragraphs' and tables' text.
Documents are the generated 2019/2021 reports of tests/ (HTML in portal chrome and five table styles; PDF as a
layout engine and as WPS export them; DOCX), at two sizes: as printed, and padded with 4× the prose. Each round
times every method over the same documents, methods in turn, so machine load falls on all alike; the best round
counts.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

from parsers import parse
from tests.portal_documents import report_docx, report_pdf
from tests.portal_pages import Chrome, ReportSpec, Style, sample_cells, standard_report_page
from tests.wps_pdf import PdfLook, exported_pdf

STYLES = [Style(), Style(word_spans=True), Style(traditional=True), Style(split_tables=True),
          Style(word_spans=True, ascii_punct=True)]
PROSE = ("本机关坚持以公开为常态、不公开为例外，围绕重点领域持续深化政务公开，"
         "及时回应社会关切，依法保障人民群众的知情权、参与权和监督权。")


def specs(count: int, padding: int) -> list[ReportSpec]:
    return [ReportSpec(("gov2019", "gov2021")[i % 2], 2020 + i % 5, f"示范{i}县人民政府",
                       sample_cells(("gov2019", "gov2021")[i % 2], seed=i), STYLES[i % len(STYLES)],
                       overview_paragraphs=[PROSE * 4] * padding) for i in range(count)]


def lxml_text(data: bytes) -> int:
    import lxml.html

    return len(lxml.html.fromstring(data).text_content())


def pdfium_text(data: bytes) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        total = 0
        for page in pdf:
            text = page.get_textpage()
            total += len(text.get_text_bounded())
            text.close()
            page.close()
        return total
    finally:
        pdf.close()


def docx_walk(data: bytes) -> int:
    import docx

    document = docx.Document(io.BytesIO(data))
    total = sum(len(p.text) for p in document.paragraphs)
    return total + sum(len(cell.text) for table in document.tables for row in table.rows for cell in row.cells)


def parsed(data: bytes) -> int:
    return len(parse(data, url="https://www.example.gov.cn/report").metrics)


def best_of(rounds: int, methods: dict[str, Callable[[bytes], int]], documents: list[bytes]) -> dict[str, float]:
    best = dict.fromkeys(methods, float("inf"))
    for _ in range(rounds):
        for name, method in methods.items():
            started = time.process_time()
            for document in documents:
                method(document)
            best[name] = min(best[name], time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", default=["HTML", "PDF", "DOCX"], choices=["HTML", "PDF", "DOCX"])
    args = parser.parse_args()
    for padding, size in ((0, "as printed"), (24, "4× the prose")):
        reports = specs(args.reports, padding)
        kinds = {
            "HTML": ([standard_report_page(s, Chrome(("trs", "hanweb", "vsb", "plain")[i % 4], ("utf-8", "gbk")[i % 2]),
                                           "2024-01-20") for i, s in enumerate(reports)],
                     {"lxml text": lxml_text}),
            "PDF": ([report_pdf(s) if i % 2 else exported_pdf(s, PdfLook()) for i, s in enumerate(reports)],
                    {"pypdfium2 text": pdfium_text}),
            "DOCX": ([report_docx(s) for s in reports], {"python-docx walk": docx_walk}),
        }
        for kind, (documents, floors) in kinds.items():
            if kind not in args.kinds:
                continue
            parse(documents[0])  # warm the format definitions and OpenCC
            times = best_of(args.rounds, {"parse": parsed, **floors}, documents)
            kb = sum(map(len, documents)) / len(documents) / 1024
            floor_name = next(iter(floors))
            ratios = ", ".join(f"{times['parse'] / times[name]:.1f}× {name}" for name in floors)
            print(f"{kind:4} {size:12} {len(documents)} documents, mean {kb:.0f} KB: parse "
                  f"{1000 * times['parse'] / len(documents):.1f} ms each, {floor_name} "
                  f"{1000 * times[floor_name] / len(documents):.1f} ms; parse = {ratios}")


if __name__ == "__main__":
    main()
