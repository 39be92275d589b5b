"""Which pictures of a page are the report's pages, and the pictures made one PDF of scans (parsers/page_images.py)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from PIL import Image

from parsers import DecodeError
from parsers.page_images import pages_pdf, report_images

from .portal_pages import Chrome, ReportSpec, page, sample_cells, standard_report_page

BASE = "http://127.0.0.1/nb/202401/t20240120_7.html"
TITLE = "示范县人民政府2015年政府信息公开工作年度报告"


def _in_chrome(html: bytes) -> bytes:
    """The pictures every portal page has around its body: a logo, a banner linking to a topic, the footer's icons."""
    return (html.replace(b'<div class="logo">', b'<div class="logo"><img src="/images/logo.png">')
            .replace(b'<div class="related">', b'<div class="related"><a href="/zt/2024/"><img src="/images/zt2024.jpg"></a>')
            .replace(b'<div class="footer">', b'<div class="footer"><img src="/images/jgbs.png"><img src="/images/ga.png">'))


@pytest.mark.parametrize("family", ["trs", "hanweb", "vsb", "plain"])
def test_a_bare_page_gives_its_pictures_in_page_order_and_not_the_chrome(family):
    body = ('<p><img src="W020160120_1.jpg" width="800"></p><p><img src="./W020160120_2.JPG"></p>'
            '<p>附件：<a href="/upload/2016/第3页.png">第3页.png</a></p><p><img src="/share/wx.png"></p>'
            '<p><a href="W020160120_1.jpg"><img src="W020160120_1.jpg"></a></p><img src="ewm.jpg" width="120">')
    html = _in_chrome(page(TITLE, "2016-01-20", body, Chrome(family))).decode()
    assert report_images(html, BASE) == ["http://127.0.0.1/nb/202401/W020160120_1.jpg",
                                         "http://127.0.0.1/nb/202401/W020160120_2.JPG",
                                         "http://127.0.0.1/upload/2016/第3页.png"]


def test_pictures_beside_a_cms_body_that_holds_only_their_caption():
    html = _in_chrome(page(TITLE, "2016-01-20", f"<p>{TITLE}</p>", Chrome("trs"))).replace(
        b'<div class="share">', b'<div class="pics"><img src="p1.jpg"><img src="p2.jpg"></div><div class="share">')
    assert report_images(html.decode(), BASE) == ["http://127.0.0.1/nb/202401/p1.jpg",
                                                  "http://127.0.0.1/nb/202401/p2.jpg"]


@pytest.mark.parametrize("family", ["trs", "plain"])
def test_a_report_in_text_with_an_illustration_gives_no_pictures(family):
    spec = ReportSpec("gov2021", 2023, "示范县人民政府", sample_cells("gov2021", 3))
    html = standard_report_page(spec, Chrome(family), "2024-01-20").replace(b"<table", b'<p><img src="chart.png"></p><table', 1)
    assert b"chart.png" in html and report_images(_in_chrome(html).decode(), BASE) == []


def _picture(fmt: str, mode: str = "L") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (600, 848), 255).save(out, format=fmt)
    return out.getvalue()


def test_pictures_make_one_pdf_of_scans_jpeg_embedded_as_it_is():
    jpeg, png = _picture("JPEG"), _picture("PNG", "RGB")
    document = pypdfium2.PdfDocument(pages_pdf([jpeg, png]))
    try:
        assert len(document) == 2 and round(document[0].get_size()[0]) == 595
        assert round(document[0].get_size()[1]) == round(595 * 848 / 600)
        images = [next(document[n].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])) for n in (0, 1)]
        assert images[0].get_filters() == ["DCTDecode"]  # the JPEG's own bytes, not re-encoded
        assert images[1].get_filters() != ["DCTDecode"]  # PNG: lossless
    finally:
        document.close()


def test_a_transparent_picture_is_on_paper_not_black():
    out = io.BytesIO()
    Image.new("RGBA", (600, 848), (0, 0, 0, 0)).save(out, format="PNG")
    document = pypdfium2.PdfDocument(pages_pdf([out.getvalue()]))
    try:
        assert document[0].render(scale=0.1).to_pil().convert("L").getextrema() == (255, 255)
    finally:
        document.close()


def test_a_picture_that_does_not_decode_is_a_clear_error_naming_it():
    with pytest.raises(DecodeError, match="picture 2 of 2"):
        pages_pdf([_picture("JPEG"), b"<html>404</html>"])
    with pytest.raises(DecodeError, match="picture 1 of 1 is damaged"):
        pages_pdf([_picture("PNG", "RGB")[:200]])
