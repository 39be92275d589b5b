"""What portals and files send at their worst: each hostile input is built here, parsed or refused with a clear
DecodeError within the worker's budgets (parsers/isolated.py), and never crashes, hangs or silently misreads."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from docx import Document as new_docx
from openpyxl import Workbook

from parsers import DecodeError, parse
from parsers.budget import MAX_UNZIPPED_BYTES
from parsers.isolated import ParserPool

from .portal_pages import LEGACY_2015, Chrome, page, text_page
from .portal_sites import report


@pytest.fixture(scope="module")
def pool():
    # the crawl's own mechanism, with a shorter clock so that a regression fails in seconds, not minutes
    with ParserPool(2, timeout=20) as workers:
        yield workers


def refused(pool: ParserPool, data: bytes, **kwargs) -> str:
    with pytest.raises(DecodeError) as caught:
        pool.parse(data, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


def legacy(paragraph_extra: str = "", charset: str = "utf-8") -> bytes:
    lines = [*LEGACY_2015[:4], paragraph_extra, *LEGACY_2015[4:]] if paragraph_extra else LEGACY_2015
    return text_page(lines[0], "2016-02-15", lines[1:], Chrome("trs", charset))


def docx_bytes(document_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A real python-docx file whose word/document.xml is replaced."""
    buffer = io.BytesIO()
    new_docx().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


PREAMBLE = "<p>" + "".join(LEGACY_2015[1:4]) + "</p>"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ---------------------------------------------------------------- hangs and blow-ups from small files

def test_spam_page_with_a_long_digit_run_parses_at_once(pool):
    data = legacy("2015年，明升88官网 " + "8" * 25 + "元 体育投注 " + "1" * 40 + "号")
    result = pool.parse(data)
    assert "spam_injection" in result.flags and result.kind == "report"


def test_nested_rowspans_are_refused_not_spread_over_gigabytes(pool):
    cells = "".join(f'<td rowspan="100000" colspan="60">{i}</td>' for i in range(60))
    table = "<table>" + f"<tr>{cells}</tr>" * 800 + "</table>"
    message = refused(pool, page("某县2020年政府信息公开工作年度报告", "2021-01-01", PREAMBLE + table, Chrome()))
    assert "cells" in message


def test_a_wide_long_table_is_refused_at_once_and_a_smaller_one_read(pool):
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in range(60)) + "</tr>"
    html = page("某县2020年政府信息公开工作年度报告", "2021-01-01", f"{PREAMBLE}<table>{row * 5000}</table>", Chrome())
    assert "cells" in refused(pool, html)  # 300,000 cells
    html = page("某县2020年政府信息公开工作年度报告", "2021-01-01", f"{PREAMBLE}<table>{row * 600}</table>", Chrome())
    assert pool.parse(html).kind == "report"  # 36,000 cells: within the budget, read


def test_xlsx_declaring_a_far_cell_or_huge_merges_is_cheap(pool):
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "本年新收政府信息公开申请数量"
    sheet["XFD1048576"] = 1
    far = io.BytesIO()
    book.save(far)
    assert pool.parse(far.getvalue(), url="http://127.0.0.1/t.xlsx").source_type == "xlsx"
    # written as the file states it: openpyxl itself would build every covered cell of such a merge
    merged = patched_sheet(far.getvalue(), b"</sheetData>",
                           b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFC1048575"/></mergeCells>')
    assert len(merged) < 10_000
    assert "merged cells" in refused(pool, merged, url="http://127.0.0.1/t.xlsx")


def patched_sheet(xlsx: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data.replace(old, new) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_before_it_is_inflated(pool):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b" " * 2**20
            for _ in range(MAX_UNZIPPED_BYTES // 2**20 + 8):
                handle.write(chunk)
    assert len(out.getvalue()) < 2 * 2**20
    assert "decompress" in refused(pool, out.getvalue(), url="http://127.0.0.1/r.docx")


def test_docx_of_millions_of_paragraphs_and_a_gridspan_bomb_are_refused(pool):
    many = docx_bytes(f"<w:document {W}><w:body>" + "<w:p/>" * 1_000_000 + "</w:body></w:document>")
    assert "paragraphs" in refused(pool, many, url="http://127.0.0.1/r.docx")
    span = ('<w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>')
    table = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{'<w:tr>' + span * 20 + '</w:tr>'}</w:tbl>"
    bomb = docx_bytes(f"<w:document {W}><w:body>{table}</w:body></w:document>")
    assert "columns" in refused(pool, bomb, url="http://127.0.0.1/r.docx")


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_of_500_pages_is_refused_by_its_page_budget(pool):
    count = 500
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    assert "500 pages" in refused(pool, _pdf(objects))


@pytest.mark.parametrize("operators", [b"0 0 m 9 9 l S ", b"0 0 m "])  # lines drawn, or paths never painted
def test_pdf_flate_bomb_costs_one_worker_not_the_machine(pool, operators):
    inflater = zlib.compressobj(9)
    # about 230 MB of drawing operators once inflated
    stream = b"".join(inflater.compress(operators * 2**18) for _ in range(900 // len(operators))) + inflater.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    data = _pdf(objects)
    assert len(data) < 1_000_000
    with ParserPool(1, timeout=8, memory=768 * 2**20) as tight:
        try:
            read = tight.parse(data)
        except DecodeError as error:  # pdfminer interprets every operator: refused at the worker's limits
            assert "s: refused" in str(error) or "MB" in str(error)
        else:  # pdfium skips paths never painted: a page with nothing on it, read within the limits
            assert operators == b"0 0 m " and "scanned" in read.flags and not read.metrics
    assert pool.parse(report(2021)).kind == "report"  # the other workers were never held up


def test_one_line_of_millions_of_cells_is_prose_not_a_table(pool):
    data = ("某县2020年政府信息公开工作年度报告\n" + "1|" * 2_500_000 + "\n").encode()
    result = pool.parse(data, url="http://127.0.0.1/r.txt")
    assert result.metrics == [] or all(m.source != "table" for m in result.metrics)


# ---------------------------------------------------------------- crashes

def test_absurd_numbers_are_kept_as_raw_text_with_a_warning():
    html = report(2021).decode("utf-8")
    cell = html.index("<td>", html.index("本年新收政府信息公开申请数量"))
    for digits in (40, 5000):
        mutated = html[:cell] + "<td>" + "9" * digits + html[cell + 4:]
        result = parse(mutated.encode("utf-8"))
        absurd = [m for m in result.metrics if len(m.raw) >= digits]
        assert absurd and all(m.value is None for m in absurd)
        assert any("is no figure" in w for w in result.warnings)


def test_xlsx_past_excels_row_limit_is_read_up_to_the_budget(pool):
    book = Workbook()
    book.active["A1"] = "本年新收政府信息公开申请数量"
    buffer = io.BytesIO()
    book.save(buffer)
    data = patched_sheet(buffer.getvalue(), b"</sheetData>",
                         b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    result = pool.parse(data, url="http://127.0.0.1/t.xlsx")
    assert result.source_type == "xlsx"


# ---------------------------------------------------------------- silently wrong before

def test_a_body_behind_hundreds_of_nested_elements_is_still_read():
    plain = report(2021).decode("utf-8")
    nested = plain.replace("<body>", "<body>" + "<div>" * 400, 1).replace("</body>", "</div>" * 400 + "</body>")
    result = parse(nested.encode("utf-8"))
    assert result.kind == "report" and len(result.metrics) == len(parse(plain.encode("utf-8")).metrics) == 200


@pytest.mark.parametrize("label", ["text/html; charset=ISO-8859-1", "text/html; charset=windows-1252"])
def test_gbk_page_served_as_latin1_is_read_as_gbk(label):
    result = parse(legacy(charset="gbk"), content_type=label)
    assert result.kind == "report" and result.encoding == "gb18030" and result.issuer == "示范县人民政府"
    assert any(m.row == "requests.total" and m.value == 15 for m in result.metrics)


@pytest.mark.parametrize("label", [None, "text/html; charset=gbk", "text/html; charset=utf-8"])
def test_big5_page_labelled_otherwise_is_read_as_big5(label):
    import opencc

    big5 = opencc.OpenCC("s2t").convert(legacy().decode("utf-8")).replace("charset=utf-8", "charset=gbk")
    result = parse(big5.encode("big5hkscs"), content_type=label)
    assert result.encoding == "big5hkscs" and result.title == "示范县2015年政府信息公开工作年度报告"


def test_utf16_html_with_a_bom_is_html():
    data = legacy().decode("utf-8").replace("charset=utf-8", "charset=utf-16").encode("utf-16")
    result = parse(data)
    assert result.source_type == "html" and result.kind == "report" and result.report_year == 2015


def test_english_words_containing_bet_are_not_gambling_spam():
    result = parse(legacy("2015年，我县与Tibet、Alphabet等机构 between 双方 better 交流。"))
    assert "spam_injection" not in result.flags
    assert "spam_injection" in parse(legacy("2015年，188bet备用网址 bet365 uedbet体育。")).flags
