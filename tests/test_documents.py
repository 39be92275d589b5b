"""Reports published as PDF and DOCX attachments: the same cells as from HTML."""

from __future__ import annotations

import contextlib
import io

import pytest

from parsers import DecodeError, parse

from .conftest import nianbao
from .portal_documents import report_docx, report_pdf, report_xlsx
from .portal_pages import ReportSpec, sample_cells


@pytest.mark.parametrize("fmt, year", [("gov2019", 2020), ("gov2021", 2022)])
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_every_cell_from_pdf_and_docx(kind, fmt, year):
    spec = ReportSpec(fmt, year, "示范县人民政府", sample_cells(fmt, year))
    data = report_pdf(spec) if kind == "pdf" else report_docx(spec)
    report = parse(data, url=f"https://www.example.gov.cn/u/{year}.{kind}")
    assert (report.source_type, report.format, report.report_year) == (kind, fmt, year)
    assert report.title == f"示范县人民政府{year}年政府信息公开工作年度报告"
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells
    assert [s.key for s in report.sections if s.number and "（" not in s.number] == [
        "overview", "active_disclosure", "applications", "review_litigation", "problems", "other_matters"]


def test_parse_command_reads_a_docx_file_without_a_url(tmp_path):
    spec = ReportSpec("gov2021", 2023, "示范县人民政府", sample_cells("gov2021", 2023))
    path = tmp_path / "report.docx"
    path.write_bytes(report_docx(spec))
    result = nianbao("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert '"source_type": "docx"' in result.stdout and '"format": "gov2021"' in result.stdout


@pytest.mark.parametrize("cut", ["a third", "before its index"])
def test_truncated_pdf_is_a_clear_error(tmp_path, cut):
    """Cut before its cross-reference table, a file still holds every page, and pdfium rebuilds an index for it; but a
    cut download is not the report as published: it is refused, as pdfminer refuses it, and fetched again."""
    data = report_pdf(ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", 2022)))
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3] if cut == "a third" else data[: data.rfind(b"xref")])
    with pytest.raises(DecodeError, match="PDF"):
        parse(path.read_bytes())
    result = nianbao("parse", str(path))
    assert result.returncode == 2 and "cut.pdf" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("damage", ["offsets shifted", "pages without /Type", "bytes before %PDF"])
def test_a_whole_pdf_one_reader_cannot_open_is_read_by_the_other(damage):
    """Offsets shifted by an edit or a transfer, and pages that lost their /Type: pdfminer finds no page (the
    report was read as an empty scan); bytes before %PDF: pdfium refuses the file. Every cell, either way."""
    import re

    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", 7))
    data = report_pdf(spec)
    damaged = {
        "offsets shifted": lambda: re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 7), data),
        "pages without /Type": lambda: data.replace(b"/Type /Page\n", b"\n").replace(b"/Type /Page ", b" "),
        "bytes before %PDF": lambda: b"\x00" * 2000 + data,
    }[damage]()
    assert damaged != data
    report = parse(damaged, url="https://www.example.gov.cn/u/2022.pdf")
    assert report.kind == "report" and "scanned" not in report.flags
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells


def test_scanned_pdf_is_flagged(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(50, 50, 400, 600, fill=1)  # an image of a page: shapes, no text
    pdf.showPage()
    pdf.save()
    report = parse(buffer.getvalue())
    assert "scanned" in report.flags and report.kind == "not_report"


def test_a_damaged_word_97_file_gets_a_clear_error():
    # converted by LibreOffice where it is installed (tests/test_word97.py), named in the error where it is not
    with pytest.raises(DecodeError, match="LibreOffice"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_damaged_documents_give_a_report_or_a_clear_error_never_a_crash():
    """Cut, bit-flipped and spliced HTML, text, PDF and DOCX: parse answers or raises DecodeError."""
    import random

    from .portal_pages import Chrome, report_text, standard_report_page

    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", 2022))
    samples = [standard_report_page(spec, Chrome(), "2023-01-20"), report_text(spec, "cell_per_line").encode(),
               report_pdf(spec), report_docx(spec)]
    rng = random.Random(2026)
    for _ in range(200):
        data = bytearray(rng.choice(samples))
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randint(0, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(DecodeError):  # any other exception fails the test
            parse(bytes(data))


def test_statistics_tables_attached_as_xlsx():
    spec = ReportSpec("gov2021", 2023, "示范县人民政府", sample_cells("gov2021", 2023))
    report = parse(report_xlsx(spec), url="https://www.example.gov.cn/u/tables.xlsx")
    assert (report.source_type, report.format, report.report_year) == ("xlsx", "gov2021", 2023)
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells


# Mistyped as bodies print them: a dropped 法规禁, a dropped 秘, a doubled 出, a wrong 情
TYPOS = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开", "1.属于国家秘密": "1.属于国家密",
         "3.要求提供公开出版物": "3.要求提供公开出出版物", "2.重复申请": "2.重复申情"}


@pytest.mark.parametrize("fmt, year", [("gov2019", 2020), ("gov2021", 2023)])
def test_exported_pdfs_give_every_cell_wherever_the_pages_break(fmt, year):
    """16 page layouts a report: tables and their rows cut by the page break at other places each time, bare
    page numbers between a table's header and its figures, header rows repeated on the next page, letter-spaced
    text layers, mistyped row labels."""
    from parsers.document import Table
    from parsers.pdf import read_pdf

    from .wps_pdf import PdfLook, exported_pdf

    runs_on = mistyped = 0
    for lead in range(16):
        spec = ReportSpec(fmt, year, "示范区人民政府", sample_cells(fmt, year * 100 + lead))
        look = PdfLook(cell_size=(10.5, 12)[lead % 2], char_space=(0, 1.5)[lead // 2 % 2], lead_paragraphs=lead,
                       split_rows=True, footer=("{}", "— {} —", "第 {} 页")[lead % 3], typos=TYPOS if lead % 4 else {},
                       repeat_header=lead % 5 == 0)
        data = exported_pdf(spec, look)
        report = parse(data, url=f"https://www.example.gov.cn/u/{year}-{lead}.pdf")
        assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells, (lead, report.warnings)
        assert not [c for c in report.checks if c.status == "fail"], lead
        runs_on += sum(1 for block in read_pdf(data).blocks if isinstance(block, Table) and block.continues)
        mistyped += sum("mistyped" in warning for warning in report.warnings)
    assert runs_on >= 16 and mistyped == 12 * len(TYPOS)  # the layouts did cut tables; every typo was read


def test_a_pdf_table_without_ruling_gives_no_shifted_figure():
    """Printed with spaces instead of ruling, a table's lines are label and figures a column apart: a figure is
    right or absent, never its neighbour's (the words of a line were once run together: 3 3 0 6 as 3306)."""
    from .wps_pdf import PdfLook, exported_pdf

    spec = ReportSpec("gov2021", 2022, "示范区人民政府", sample_cells("gov2021", 7))
    report = parse(exported_pdf(spec, PdfLook(ruled=False)), url="https://www.example.gov.cn/u/plain.pdf")
    found = {(m.table, m.row, m.col): m.raw for m in report.metrics}
    assert len(found) >= 60 and all(spec.cells[key] == raw for key, raw in found.items())
    assert not [c for c in report.checks if c.status == "fail"]
