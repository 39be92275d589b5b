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


def test_truncated_pdf_is_a_clear_error(tmp_path):
    data = report_pdf(ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", 2022)))
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DecodeError, match="PDF"):
        parse(path.read_bytes())
    result = nianbao("parse", str(path))
    assert result.returncode == 2 and "cut.pdf" in result.stderr and len(result.stderr.strip().splitlines()) == 1


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
