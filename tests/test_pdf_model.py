"""PDF pages read by pdfium and pdfplumber's table finder: the same tables, cells and text lines as pdfplumber
reading the page itself, on PDFs from three exporters (reportlab's layout engine, WPS/Word as tests/wps_pdf.py
draws them, a real LibreOffice), and pdfplumber for the pages pdfium's model does not describe."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

from parsers import parse
from parsers.document import Paragraph, Table
from parsers.layout import lines, outside
from parsers.pdf import read_pdf
from parsers.pdf_tables import cell_texts, cells_at, find_tables
from parsers.pdfium_page import PdfiumPage, flow_words

from .portal_documents import report_docx, report_pdf
from .portal_pages import Chrome, ReportSpec, Style, sample_cells, standard_report_page
from .wps_pdf import PdfLook, exported_pdf

SOFFICE = shutil.which("soffice")
CHROMIUM = shutil.which("chromium")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                       "(scripts/test.sh installs libreoffice-writer-nogui when run as root)")


def _spec(fmt: str, seed: int) -> ReportSpec:
    return ReportSpec(fmt, 2020 + seed, f"示范{seed}县人民政府", sample_cells(fmt, seed=seed))


@cache
def libreoffice_pdf(name: str, data: bytes, filter_name: str = "pdf") -> bytes:
    """The document exported to PDF by a real LibreOffice."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / name
        source.write_bytes(data)
        subprocess.run([SOFFICE, f"-env:UserInstallation={(Path(work) / 'p').as_uri()}", "--headless",
                        "--norestore", "--convert-to", filter_name, "--outdir", work, str(source)], check=True,
                       capture_output=True, timeout=180)
        return source.with_suffix(".pdf").read_bytes()


SOURCES = {
    "reportlab 2019": lambda: report_pdf(_spec("gov2019", 1)),
    "reportlab 2021": lambda: report_pdf(_spec("gov2021", 2)),
    "wps": lambda: exported_pdf(_spec("gov2021", 3), PdfLook()),
    "wps, rows split, header repeated, 9 pt": lambda: exported_pdf(
        _spec("gov2019", 4), PdfLook(split_rows=True, repeat_header=True, cell_size=9)),
    "wps, spaced characters": lambda: exported_pdf(_spec("gov2021", 5), PdfLook(char_space=0.5, lead_paragraphs=2)),
    "libreoffice": pytest.param(lambda: libreoffice_pdf("report.docx", report_docx(_spec("gov2021", 6))),
                                marks=needs_libreoffice),
}


def _pages(data: bytes):
    import pdfplumber
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages):
            yield page, PdfiumPage.of(document[number], ruled=True)
    document.close()


@pytest.mark.parametrize("make", SOURCES.values(), ids=SOURCES.keys())
def test_pdfium_pages_give_pdfplumbers_tables_and_lines(make):
    tables_seen = 0
    for page, model in _pages(make()):
        assert model is not None
        expected = page.find_tables()
        found = find_tables(model)
        assert cell_texts(found, model.chars) == [table.extract() for table in expected]
        assert [x for table in found for x in table.bbox] == \
            pytest.approx([x for table in expected for x in table.bbox], abs=1e-3)
        boxes = [table.bbox for table in expected]
        # the words outside the tables, which become paragraphs (inside, a table's own cells are read)
        assert [text for _top, _bottom, text in lines(outside(flow_words(model.chars), boxes))] == \
            [text for _top, _bottom, text in lines(outside(page.extract_words(use_text_flow=True), boxes))]
        tables_seen += len(expected)
    assert tables_seen >= 2


@pytest.mark.parametrize("make", SOURCES.values(), ids=SOURCES.keys())
def test_the_quicker_table_steps_answer_as_pdfplumbers_own(make):
    from pdfplumber.table import TableFinder, intersections_to_cells

    cells = 0
    for page, _model in _pages(make()):
        finder = TableFinder(page)
        assert cells_at(finder.intersections) == intersections_to_cells(finder.intersections)
        assert cell_texts(finder.tables, page.chars) == [table.extract() for table in finder.tables]
        cells += sum(len(table.cells) for table in finder.tables)
    assert cells > 100


@needs_libreoffice
def test_a_line_in_two_fonts_stays_one_line():
    """LibreOffice embeds the digits and the Chinese of one line in two fonts whose descents pdfium reads 3.6 pt
    apart: the figures once left their sentence and stood alone as a row of a table."""
    sentence = "全年主动公开政府信息1234条，其中政策文件56件。"
    html = ("<html><head><meta charset='utf-8'></head><body><p>2020年，本机关坚持以公开为常态、不公开为例外，"
            f"围绕重点领域持续深化政务公开，及时回应社会关切。{sentence}</p></body></html>")
    data = libreoffice_pdf("report.html", html.encode(), "pdf:writer_web_pdf_Export")
    document = read_pdf(data)
    text = "".join(block.text for block in document.blocks if isinstance(block, Paragraph))
    assert sentence in text and not [block for block in document.blocks if isinstance(block, Table)]
    assert [(m.row, m.value) for m in parse(data).metrics if m.row == "active.total"] == [("active.total", 1234)]


def _turned_pdf(page_rotation: int, text_angle: int, cropped: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setPageRotation(page_rotation)
    if cropped:
        pdf.setCropBox((20, 20, 560, 800))
    pdf.setFont("STSong-Light", 12)
    pdf.translate(200, 400)
    pdf.rotate(text_angle)
    pdf.drawString(0, 0, "示范县人民政府2020年政府信息公开工作年度报告")
    pdf.rect(0, -60, 200, 40)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize("page_rotation, text_angle, cropped", [(90, 0, False), (0, -90, False), (0, 0, True)])
def test_a_turned_or_cropped_page_or_a_turned_line_is_left_to_pdfplumber(page_rotation, text_angle, cropped):
    import pypdfium2

    data = _turned_pdf(page_rotation, text_angle, cropped)  # -90: a line read top down
    document = pypdfium2.PdfDocument(data)
    assert PdfiumPage.of(document[0], ruled=True) is None
    document.close()
    read = "".join(block.text for block in read_pdf(data).blocks if isinstance(block, Paragraph))
    assert "政府信息公开工作年度报告" in read


def test_a_turned_page_only_pdfium_can_list_is_named_as_not_read():
    """Offsets shifted, so pdfminer lists no page: pdfium reads the file, but not a turned page the way tables are
    read; the page is said to be unread, and the report is not called an empty scan."""
    import re

    data = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 7), _turned_pdf(90, 0, False))
    document = read_pdf(data)
    assert not document.blocks and not document.scanned
    assert any("PDF pages 1 not read" in warning for warning in document.warnings)


def test_a_hyphen_that_ends_a_line_is_kept():
    """pdfium marks a hyphen after a letter at a line's end as a soft break (a hyphenated word): in a report it is
    the text printed, as in an address split over two lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 700, "年报全文见http://www.shifan.gov.cn/zwgk-")
    pdf.drawString(72, 684, "xxgk/nb/，如有疑问请联系本机关。")
    pdf.showPage()
    pdf.save()
    read = [block.text for block in read_pdf(buffer.getvalue()).blocks if isinstance(block, Paragraph)]
    assert read == ["年报全文见http://www.shifan.gov.cn/zwgk-", "xxgk/nb/，如有疑问请联系本机关。"]


def test_a_gap_of_one_character_is_no_column_whichever_reader_measured_it():
    """pdfium and pdfminer place glyphs up to 0.1 pt apart: a gap of exactly one character (a full-width space set
    as a shift) must read the same from both, and a column gap stays a gap."""
    def word(text: str, x0: float) -> dict:
        return {"text": text, "x0": x0, "x1": x0 + 10.5 * len(text), "top": 100.0, "bottom": 110.5}

    for jitter in (-0.08, 0.0, 0.08):
        assert lines([word("本机关", 72.0), word("全年", 72.0 + 31.5 + 10.5 + jitter)])[0][2] == "本机关全年"
    assert lines([word("合计", 72.0), word("12", 72.0 + 21.0 + 16.0)])[0][2] == "合计 12"


@cache
def chromium_pdf(html: bytes) -> bytes:
    """The page printed to PDF by headless Chromium, as a portal's 打印/下载 button or a browser saves it."""
    with tempfile.TemporaryDirectory() as work:
        page, printed = Path(work) / "report.html", Path(work) / "report.pdf"
        page.write_bytes(html)
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={work}/profile",
                        f"--print-to-pdf={printed}", page.as_uri()], check=True, capture_output=True, timeout=120)
        return printed.read_bytes()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                    "(scripts/test.sh installs it when run as root)")
@pytest.mark.parametrize("fmt, style", [("gov2019", Style()), ("gov2021", Style(word_spans=True))])
def test_a_report_printed_by_chromium_keeps_its_title_and_every_cell(fmt, style):
    """Chromium sets a title's figures and Chinese in two fonts: pdfminer's boxes for them stand 4 pt apart, so the
    title read by pdfplumber lost its year and county number (示范县人民政府年…) and the issuer became the office."""
    spec = ReportSpec(fmt, 2022, "示范3县人民政府", sample_cells(fmt, seed=71), style)
    data = chromium_pdf(standard_report_page(spec, Chrome("plain", "utf-8"), "2024-01-20"))
    report = parse(data)
    assert (report.title, report.report_year, report.format) == ("示范3县人民政府2022年政府信息公开工作年度报告", 2022, fmt)
    assert report.issuer == "示范3县人民政府"
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells
    for page, model in _pages(data):  # and the tables are pdfplumber's own
        assert cell_texts(find_tables(model), model.chars) == [table.extract() for table in page.find_tables()]


def test_a_cells_text_is_extract_texts_for_any_placing_of_its_characters():
    """The quicker cell text against pdfplumber's `extract_text` on 2,000 made-up cells: characters on one to four
    lines, tops exactly 3 pt apart or jittered across the tolerance, gaps either side of 3 pt, steps back,
    ligatures, mixed sizes."""
    import random

    from pdfplumber.utils import extract_text

    from parsers.pdf_tables import _plain_text

    dice = random.Random(17)
    for _ in range(2000):
        chars = []
        for line in range(dice.randint(1, 4)):
            x = 100.0 + dice.choice([0.0, -2.0, 5.0])
            for _ in range(dice.randint(1, 6)):
                size = dice.choice([9.0, 10.5, 12.0])
                top = 200.0 + line * dice.choice([2.5, 3.0, 3.5, 12.0]) + dice.choice([0.0, dice.uniform(-1.6, 1.6)])
                width = size * dice.choice([0.5, 1.0])
                chars.append({"text": dice.choice("合计0１2ﬁ申请"), "x0": x, "x1": x + width, "top": top,
                              "bottom": top + size, "doctop": top, "upright": True})
                x += width + dice.choice([0.0, 0.0, 2.9, 3.1, 8.0, -width - 1.0])
        dice.shuffle(chars)
        assert _plain_text(chars) == extract_text(chars)
