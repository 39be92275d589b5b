"""Scanned reports read by OCR: a PDF of page scans and a photographed page give the cells the printed report
states, every figure marked as OCR'd with its confidence, never a guess."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils

from parsers import DecodeError, parse
from parsers.document import Cell, Document, Paragraph, Table
from parsers.formats import load_format
from parsers.isolated import ParserPool
from parsers.model import Report
from parsers.ocr import MIN_OCR_CONFIDENCE
from parsers.tables import extract_tables

from .conftest import nianbao
from .portal_pages import Chrome, ReportSpec, page, sample_cells
from .portal_sites import listing
from .scans import ScanLook, scan_pages, scanned_pdf, with_scanned_page
from .servers import Site
from .test_families import crawl_portal
from .wps_pdf import PdfLook, exported_pdf


def _scan(fmt: str, year: int, seed: int, look: ScanLook, *, inconsistent: bool = False) -> tuple[ReportSpec, list]:
    spec = ReportSpec(fmt, year, "示范区人民政府", sample_cells(fmt, seed, inconsistent=inconsistent))
    return spec, scan_pages(exported_pdf(spec, PdfLook(split_rows=True, lead_paragraphs=seed % 4)), look)


@pytest.mark.parametrize("fmt, year, look", [
    ("gov2021", 2023, ScanLook(dpi=150, skew=1.5, noise=12, seed=1)),
    ("gov2019", 2020, ScanLook(dpi=200, skew=-0.8, noise=8, seed=2)),
])
def test_a_scanned_pdf_gives_the_printed_cells(fmt, year, look):
    """A crooked, grainy 150/200 dpi scan with the red seal over the last table: year, format and issuer right,
    ≥ 97 % of the cells exact (99.6 % over 12 such scans, benchmarks/BENCHMARKS.md; what is lost is a figure read
    unsurely, left blank), no row lost where the seal's ring crosses the ruling, no cell with another figure than
    the printout's, no check failing."""
    spec, pages = _scan(fmt, year, 7 + look.seed, look)
    report = parse(scanned_pdf(pages), url="https://www.example.gov.cn/xxgk/nb.pdf")
    assert (report.report_year, report.format, report.issuer) == (year, fmt, "示范区人民政府")
    assert {"scanned", "ocr"} <= set(report.flags) and report.source_type == "pdf"
    found = {(m.table, m.row, m.col): m for m in report.metrics}
    exact = [key for key, raw in spec.cells.items() if key in found and found[key].raw == raw]
    assert len(exact) >= 0.97 * len(spec.cells), report.warnings
    assert not [w for w in report.warnings if "row skipped" in w]
    lines = [line for section in report.sections for line in section.text.splitlines()]
    assert lines and not [line for line in lines if re.fullmatch(r"[—一\s]*\d+[—一\s]*", line)]  # page numbers
    wrong = [(key, m.value, spec.cells.get(key)) for key, m in found.items()
             if m.value is not None and m.raw != spec.cells.get(key)]
    assert not wrong
    assert all(m.source == "ocr" and 0 < m.confidence <= 1 for m in found.values())
    assert not [c for c in report.checks if c.status == "fail"]


def test_a_page_scanned_into_a_text_pdf_is_read_by_ocr_and_its_tables_join_the_text_pages():
    """A text PDF whose middle page was scanned (tables run into it and out of it): that page's cells OCR'd and
    marked so, the others read from the text layer, every cell the printed one, the report not called a scan."""
    spec, pages = _scan("gov2019", 2021, 9, ScanLook(dpi=200, skew=0.7, seed=8))
    pdf = exported_pdf(spec, PdfLook(split_rows=True, lead_paragraphs=9 % 4))  # as _scan drew it
    report = parse(with_scanned_page(pdf, pages, 1), url="https://www.example.gov.cn/xxgk/nb.pdf")
    assert "ocr" in report.flags and "scanned" not in report.flags
    found = {(m.table, m.row, m.col): m for m in report.metrics}
    exact = [key for key, raw in spec.cells.items() if key in found and found[key].value is not None
             and found[key].raw == raw]
    assert len(exact) >= 0.97 * len(spec.cells)
    assert not [key for key, m in found.items() if m.value is not None and m.raw != spec.cells.get(key)]
    sources = {m.source for m in found.values()}
    assert sources == {"ocr", "table"} and sum(m.source == "ocr" for m in found.values()) >= 0.5 * len(found)
    assert not [c for c in report.checks if c.status == "fail"]

def test_a_photographed_page_is_an_image_report():
    """A JPEG of the first page, attached as it is: read as source type image, its table figures OCR'd."""
    spec, pages = _scan("gov2021", 2023, 11, ScanLook(dpi=200, skew=0.6, seed=3))
    report = parse(pages[0], url="https://www.example.gov.cn/xxgk/nb-1.jpg")
    assert report.source_type == "image" and {"scanned", "ocr"} <= set(report.flags)
    assert (report.report_year, report.format) == (2023, "gov2021")
    art20 = {(m.table, m.row, m.col): m.raw for m in report.metrics if m.table.startswith("active_art20")}
    assert len(art20) >= 8 and all(spec.cells[key] == raw for key, raw in art20.items())


def test_checks_failing_after_ocr_mark_the_report_suspect():
    """A report whose own arithmetic is broken fails its checks when scanned too; the flag says the failure may be
    a misreading, so no one takes it for the body's without looking."""
    _spec, pages = _scan("gov2021", 2022, 5, ScanLook(dpi=200, seed=4), inconsistent=True)
    report = parse(scanned_pdf(pages[-2:]), url="https://www.example.gov.cn/xxgk/nb.pdf")
    assert [c for c in report.checks if c.status == "fail"]
    assert "ocr_suspect" in report.flags


def test_a_figure_read_unsurely_is_left_blank_with_its_reading():
    """Below the confidence floor the figure is None, its raw reading and the confidence kept, and a warning says
    so; above it the figure stands."""
    fmt = load_format("gov2021")
    rows = [[Cell("信息内容"), Cell("本年处理决定数量", 1)],
            [Cell("行政许可"), Cell("178", 1, confidence=MIN_OCR_CONFIDENCE - 0.1)],
            [Cell("行政处罚"), Cell("12", 1, confidence=0.99)]]
    report = Report()
    extract_tables(Document([Paragraph("二、主动公开政府信息情况"), Paragraph("第二十条第（五）项"),
                             Table(rows[:2]), Paragraph("第二十条第（六）项"), Table([rows[0], rows[2]])]), fmt, report)
    found = {m.table: m for m in report.metrics}
    assert (found["active_art20_5"].value, found["active_art20_5"].raw) == (None, "178")
    assert found["active_art20_5"].source == "ocr" and found["active_art20_5"].confidence < MIN_OCR_CONFIDENCE
    assert found["active_art20_6"].value == 12 and found["active_art20_6"].confidence == 0.99
    assert any("OCR read '178'" in w for w in report.warnings)


def test_a_damaged_image_is_a_clear_error():
    _spec, pages = _scan("gov2021", 2023, 12, ScanLook(seed=5))
    with pytest.raises(DecodeError, match="image"):
        parse(pages[0][:600], url="https://www.example.gov.cn/xxgk/nb.jpg")


def test_the_parse_pool_gives_a_scan_the_time_ocr_needs():
    """Through the crawl's worker processes (memory limit, timeout): a three-page scan, longer than a text PDF's
    30 s budget would allow on a slow machine, comes back read."""
    spec, pages = _scan("gov2021", 2023, 13, ScanLook(seed=6))
    pool = ParserPool(workers=1)
    try:
        report = pool.submit(scanned_pdf(pages), url="https://www.example.gov.cn/xxgk/nb.pdf").result(timeout=300)
    finally:
        pool.close()
    assert "ocr" in report.flags and len(report.metrics) >= 0.9 * len(spec.cells)


def picture_report_site(root: Path) -> tuple[ReportSpec, bytes]:
    """A column (/nb/index.html) listing a bare page: title, date, three <img>s of the scanned pages, a QR code, the
    portal's chrome. The spec and the page's bytes."""
    spec, pages = _scan("gov2021", 2023, 14, ScanLook(dpi=150, skew=0.9, seed=7))
    (root / "nb" / "202401").mkdir(parents=True)
    for number, picture in enumerate(pages, 1):
        (root / "nb" / "202401" / f"W02024012{number}.jpg").write_bytes(picture)
    (root / "nb" / "202401" / "qrcode.png").write_bytes(b"\x89PNG not fetched")
    title = "示范区人民政府2023年政府信息公开工作年度报告"
    pictures = "".join(f'<p style="text-align:center"><img src="W02024012{n}.jpg" alt="{title}"></p>'
                       for n in range(1, len(pages) + 1))
    bare = page(title, "2024-01-20", pictures + '<p><img src="qrcode.png" width="120"></p>', Chrome())
    (root / "nb" / "202401" / "t20240120_7.html").write_bytes(bare)
    (root / "nb" / "index.html").write_bytes(listing([("202401/t20240120_7.html", title)]))
    return spec, bare


def picture_report_cells(db: sqlite_utils.Database, spec: ReportSpec) -> dict[tuple[str, str, str], str]:
    """The one report's cells, asserted read from the pictures made one PDF: ≥ 97 % exact, none another figure, the
    pictures listed in page order."""
    report = next(db.query("select r.*, c.role, c.content_type from reports r join captures c "
                           "on c.id = r.content_capture_id"))
    assert report["url"].endswith("/t20240120_7.html") and report["kind"] == "report"
    assert report["role"] == "pictures" and report["content_type"] == "application/pdf"
    assert (report["report_year"], report["format"]) == (2023, "gov2021") and "ocr" in report["flags"]
    cells = {(m["table_key"], m["row_key"], m["col_key"]): m["raw"] for m in db.query(
        "select * from metrics where report_id = ?", [report["id"]])}
    exact = [key for key, raw in spec.cells.items() if cells.get(key) == raw]
    assert len(exact) >= 0.97 * len(spec.cells)
    assert not [key for key, raw in cells.items() if raw and raw != spec.cells.get(key)]
    listed = [row["filename"] for row in db.query("select filename from attachments order by rowid")]
    assert listed == [f"W02024012{n}.jpg" for n in range(1, 4)]
    return cells


def test_a_report_page_of_pictures_is_read_as_one_scanned_document(tmp_path):
    """A bare page of pictures crawled from its column: the pictures are fetched, read as one document whose pages
    are OCR'd, archived as one PDF that a reparse reads again without the network; a second crawl asks for the
    pictures conditionally and makes nothing new."""
    root = tmp_path / "site"
    spec, bare = picture_report_site(root)
    with Site(root) as site:
        db = crawl_portal(tmp_path, site.base_url + "/nb/index.html")
        first = len(site.requests)
        # the page's chrome changes (a visit counter), its pictures do not
        (root / "nb" / "202401" / "t20240120_7.html").write_bytes(bare.replace(b"1024", b"1025"))
        crawl_portal(tmp_path, site.base_url + "/nb/index.html")
        again = site.requests[first:]
    cells = picture_report_cells(db, spec)
    assert not [seen for seen in site.requests if "qrcode" in seen.path]
    assert next(db.query("select count(*) n from captures where role = 'pictures'"))["n"] == 1  # nothing new made
    second = db["crawls"].get(2)
    assert (second["new_reports"], second["changed_reports"], second["unchanged_reports"]) == (0, 0, 1)  # a visit
    assert [seen.path for seen in again if seen.path.endswith(".jpg")] and all(
        "If-None-Match" in seen.headers for seen in again if seen.path.endswith(".jpg"))
    copy = tmp_path / "copy.db"
    copy.write_bytes((tmp_path / "n.db").read_bytes())
    result = nianbao("reparse", "--db", str(copy), "--archive", str(tmp_path / "archive"), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {(m["table_key"], m["row_key"], m["col_key"]): m["raw"]
            for m in sqlite_utils.Database(copy).query("select * from metrics")} == cells
