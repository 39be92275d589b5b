"""Scans of printed reports, as offices make them: the exported PDF printed, stamped with the red seal, and fed
through a scanner or photographed at 150-200 dpi, a little crooked, with paper grain, toner specks and JPEG
artefacts. Returned as the page images (JPEG) or as a PDF of those images without a text layer."""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2

from parsers.page_images import picture_page, saved


@dataclass(frozen=True)
class ScanLook:
    dpi: int = 200
    skew: float = 0.0  # degrees the sheet lay crooked on the glass
    noise: float = 8.0  # standard deviation of the grain, in grey levels
    specks: float = 0.0005  # share of pixels hit by a toner speck or a hole in the ink
    blur: bool = True  # the scanner's softness
    quality: int = 70  # JPEG
    seal: bool = True  # the red seal over the signature on the last page
    seed: int = 0


def _scanned(image: np.ndarray, look: ScanLook, rng: np.random.Generator, last: bool) -> np.ndarray:
    height, width = image.shape[:2]
    if look.seal and last:  # a red ring and dot where the signature is: stamp ink over the print, which shows through
        stamp = np.full_like(image, 255)
        centre = (int(width * 0.7), int(height * 0.25))
        cv2.circle(stamp, centre, int(width * 0.09), (40, 40, 220), max(3, width // 200))
        cv2.circle(stamp, centre, int(width * 0.02), (40, 40, 220), -1)
        image = (image.astype(np.uint16) * stamp // 255).astype(np.uint8)
    if look.blur:
        image = cv2.GaussianBlur(image, (3, 3), 0.8)
    if look.skew:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), look.skew, 1.0)
        image = cv2.warpAffine(image, matrix, (width, height), borderValue=(255, 255, 255))
    noisy = image.astype(np.float32) + rng.normal(0, look.noise, image.shape[:2])[:, :, None]
    hits = rng.random(image.shape[:2]) < look.specks
    noisy[hits] = rng.choice([0.0, 255.0], size=(int(hits.sum()), 1))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def scan_pages(pdf: bytes, look: ScanLook = ScanLook()) -> list[bytes]:
    """Each page of the PDF as the JPEG a scanner would make of its printout."""
    rng = np.random.default_rng(look.seed)
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for number, page in enumerate(document):
            image = np.ascontiguousarray(page.render(scale=look.dpi / 72).to_numpy()[:, :, :3])  # BGR
            page.close()
            scanned = _scanned(image, look, rng, number == len(document) - 1)
            ok, jpeg = cv2.imencode(".jpg", scanned, [cv2.IMWRITE_JPEG_QUALITY, look.quality])
            assert ok
            pages.append(jpeg.tobytes())
        return pages
    finally:
        document.close()


def scanned_pdf(pages: list[bytes], width: float = 595.0, height: float = 842.0) -> bytes:
    """A PDF of page images and nothing else, as a scanner's 'scan to PDF' writes it."""
    document = pypdfium2.PdfDocument.new()
    try:
        for jpeg in pages:
            picture_page(document, lambda image, jpeg=jpeg: image.load_jpeg(io.BytesIO(jpeg), inline=True),
                         width, height)
        return saved(document)
    finally:
        document.close()


def with_scanned_page(pdf: bytes, scans: list[bytes], number: int) -> bytes:
    """The PDF with page `number` (from 0) replaced by its scan: a text PDF into which one page was scanned."""
    source = pypdfium2.PdfDocument(pdf)
    scanned = pypdfium2.PdfDocument(scanned_pdf(scans[number:number + 1], *source[number].get_size()))
    document = pypdfium2.PdfDocument.new()
    try:
        document.import_pages(source, [i for i in range(len(source)) if i != number])
        document.import_pages(scanned, [0], index=number)
        return saved(document)
    finally:
        for opened in (document, scanned, source):
            opened.close()
