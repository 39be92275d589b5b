"""Reports published as pictures of their pages: which pictures of a bare page they are, and the pictures as one
PDF of scans, so the scanned-PDF reader (OCR) reads them as one document and the archive keeps it as one capture."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

from .budget import BudgetExceeded
from .decode import DecodeError
from .flags import cjk_count
from .html import cms_bodies, find_body, page_root, text_content
from .ocr import MAX_IMAGE_PIXELS, MAX_OCR_PAGES

if TYPE_CHECKING:
    from collections.abc import Callable

    import pypdfium2
    from PIL import Image

# A page whose report body holds less text than this (title, date, a caption) and pictures: the pictures are the
# report. A report in text with a chart or a photo among its paragraphs has far more.
BARE_BODY_CHARS = 300
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|bmp|tiff?|webp|gif)$", re.I)
# Pictures of the page's chrome, by the words their file names, classes and alt texts use
_CHROME = re.compile(r"logo|icon|erweima|share|banner|button|arrow|print|close|search|weixin|wechat|weibo|jiucuo|zfwzjc|"
                     r"dzjg|gongan|beian|police|(?<![a-z])(?:ico|qr|ewm|btn|bg|back|top|wx|jc|wza)(?![a-z])|"
                     r"适老|无障碍|二维码|分享|纠错|党政机关|返回|打印|关闭", re.I)
# Blocks of chrome around the body, by their classes and ids
_CHROME_BLOCK = re.compile(r"header|footer|nav|menu|bottom|banner|sidebar|share|friend|"
                           r"(?:^|[\s_-])(?:head|foot|top|side)(?:$|[\s_\d-])", re.I)
_SMALLEST_SIDE = 200  # px: a picture declared smaller than this is an icon, not a page
_PAGE_WIDTH_PT = 595.0  # a picture of a page is taken to be A4 wide


def _declared_small(image: etree._Element) -> bool:
    for side in ("width", "height"):
        value = re.match(r"\s*(\d+)\s*(?:px)?\s*$", image.get(side) or "")
        if value and int(value.group(1)) < _SMALLEST_SIDE:
            return True
    return False


def _chrome(element: etree._Element, address: str) -> bool:
    words = " ".join((address.rsplit("/", 1)[-1], element.get("class") or "", element.get("id") or "",
                      element.get("alt") or "", element.get("title") or ""))
    if _CHROME.search(words):
        return True
    return any(a.tag in ("header", "footer", "nav") or _CHROME_BLOCK.search(f"{a.get('class', '')} {a.get('id', '')}")
               for a in element.iterancestors())


def _page_picture(element: etree._Element) -> str | None:
    """The address of an <img> or of a link to an image file that may be a page of the report."""
    if element.tag == "a":
        address = (element.get("href") or "").strip()
        return address if IMAGE_FILE.search(address.split("?")[0]) and not _chrome(element, address) else None
    address = (element.get("src") or "").strip()
    if not address or address.startswith("data:") or _declared_small(element) or _chrome(element, address):
        return None
    link = next(element.iterancestors("a"), None)
    # a picture linking to another page is a banner; one linking to an image (a larger copy) is a page
    if link is not None and not IMAGE_FILE.search((link.get("href") or "").split("?")[0]):
        return None
    return address


def report_images(html: str, base_url: str) -> list[str]:
    """The pictures a bare report page consists of, in page order: its body's <img>s and links to image files
    (附件1.jpg …), chrome excluded. A page with a report in text gives none: its pictures are illustrations."""
    root = page_root(html)
    known = next((outer for outer in cms_bodies(root) if outer), None)
    # bare: the CMS body, or the best block of a page of unknown make, holds next to no text
    text = known or [find_body(root)]
    if sum(cjk_count(text_content(element)) for element in text) >= BARE_BODY_CHARS:
        return []
    page = root.find("body") if root.find("body") is not None else root
    # the CMS body's pictures; where it holds none (a caption in the body, the pictures beside it), the page's
    for containers in ([known, [page]] if known else [[page]]):
        found: list[str] = []
        for container in containers:
            for element in container.iter("img", "a"):
                if (address := _page_picture(element)) and (url := urljoin(base_url, address)) not in found:
                    found.append(url)
        if found:
            return found[:MAX_OCR_PAGES]
    return []


def _on_white(picture: Image.Image) -> Image.Image:
    """RGB as printed: a transparent background is paper (converted directly it would turn black), CMYK as seen."""
    from PIL import Image

    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return picture.convert("RGB")


def picture_page(document: pypdfium2.PdfDocument, load: Callable[[pypdfium2.PdfImage], None], width: float,
                 height: float) -> None:
    """A page of `document` that is one picture filling it, as scanners write them; `load` puts the picture in."""
    import pypdfium2

    page = document.new_page(width, height)
    image = pypdfium2.PdfImage.new(document)
    load(image)
    image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    page.close()


def saved(document: pypdfium2.PdfDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pages_pdf(images: list[bytes]) -> bytes:
    """Pictures of pages as one PDF of scans, a page each, A4 wide: JPEGs embedded as they are (not re-encoded),
    other formats as lossless bitmaps. An undecodable picture is a DecodeError naming its place."""
    import pypdfium2
    from PIL import Image, UnidentifiedImageError

    document = pypdfium2.PdfDocument.new()
    try:
        for number, data in enumerate(images, 1):
            try:
                picture = Image.open(io.BytesIO(data))
                width, height = picture.size
            except (UnidentifiedImageError, OSError) as error:
                raise DecodeError(f"picture {number} of {len(images)} is not an image that decodes ({error})") from error
            if width * height > MAX_IMAGE_PIXELS:
                raise BudgetExceeded(f"picture {number} has {width * height:,} pixels (budget {MAX_IMAGE_PIXELS:,})")

            def load(image: pypdfium2.PdfImage, data: bytes = data, picture: Image.Image = picture,
                     number: int = number) -> None:
                if picture.format == "JPEG" and picture.mode in ("L", "RGB"):
                    image.load_jpeg(io.BytesIO(data), inline=True)
                    return
                try:
                    image.set_bitmap(pypdfium2.PdfBitmap.from_pil(_on_white(picture)))
                except OSError as error:  # truncated: the header read, the pixels not
                    raise DecodeError(f"picture {number} of {len(images)} is damaged ({error})") from error

            picture_page(document, load, _PAGE_WIDTH_PT, _PAGE_WIDTH_PT * height / width)
        return saved(document)
    finally:
        document.close()
