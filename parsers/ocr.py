"""Scans and photos of report pages → the blocks of a Document: OCR on the CPU, tables rebuilt from their ruling.

The PP-OCR models are those rapidocr_onnxruntime ships inside its wheel: nothing is downloaded. A table's grid comes
from its ruling lines (morphology on the page image), its merged cells from the ruling that is missing between
grid positions, and each cell's lines of ink are recognised on their own: a figure is never run together with its
neighbour's, and a lone "1" that text detection would overlook is still read. Text outside tables is cut into
lines by the rows of blank paper between them. Every cell keeps the recogniser's confidence in its least certain
character.
"""

from __future__ import annotations

import functools
import importlib.util
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .budget import BudgetExceeded
from .decode import DecodeError
from .document import Block, Cell, Document, Paragraph, Table
from .layout import append_page, page_blocks

if TYPE_CHECKING:
    import numpy as np

RENDER_DPI = 200  # scanned PDF pages are rendered at this: text 10.5 pt high is 29 px, as PP-OCR reads best
MAX_OCR_PAGES = 40  # pages of one document read by OCR (a report is rarely 20); past it, a warning
OCR_SECONDS = 150.0  # and seconds: the page in hand is finished, no more are begun (parsers/isolated.py allows it)
MAX_IMAGE_PIXELS = 60_000_000
OCR_INSTALL = "pip install 'rapidocr_onnxruntime==1.4.4' (its wheel carries the PP-OCR models)"
_A4_WIDTH_PT = 595.0  # an image report's page is taken to be A4 wide, to measure it in points as PDFs are
_WIDEST = 2400  # px: photos are shrunk to this width (more detail only costs time), small images enlarged to
_NARROWEST = 1200
_SKEW_LIMIT = 5.0  # degrees a scan is turned at most; beyond, the page is read as it is
_REC_HEIGHT = 48  # the recognition model's input height
_REC_GAP = 48  # px of blank between crops on a strip
_STEP = 8  # px of input per time step of the recogniser
_STRIP_WIDTH = 960  # px: wider strips cost more than they save (the model mixes every step with every other)
# An OCR'd figure read with less confidence than this (in its least certain character) is no figure: blank, with
# its raw reading and a warning. The misreadings seen on the benchmark's scans (12 as 1, 0.37 as .37, 0 as 〇)
# scored 0.49-0.61; at 0.8 none of its 2,388 cells came out another figure than the printed one.
MIN_OCR_CONFIDENCE = 0.8
_SURE = 0.9  # a crop read with less confidence on a strip is read again alone, padded as the recogniser was trained
_REC_ALONE = 320  # px: that padding
# A ruling line runs at least this many points: across, longer than two characters of text joined by bold print;
# down, taller than a character of 小四 (12 pt) and shorter than a table row of one line
_RULE_ACROSS = 30.0
_RULE_DOWN = 14.0
_RED = 30  # a pixel this much redder than its green and blue is the seal's ink (or its soft edge)
_SPECK = 1.1  # points: a blob of ink less than this square is a speck (the dot of 10.5 pt print is about 1.5)


@dataclass
class _Crop:
    image: np.ndarray  # grayscale, one line of text
    text: str = ""
    confidence: float = 0.0


def ocr_available() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.cache
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # a dependency; say how to get it where it is missing
        raise DecodeError(f"a scanned report needs OCR, which is not installed: {OCR_INSTALL}") from error
    # one thread: the parse pool already runs a process per core
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def _ctc(steps: np.ndarray) -> list[tuple[int, int, float]]:
    """The recogniser's output for one line, decoded (CTC: no blanks, no repeats): time step, character, its
    probability."""
    import numpy as np

    best, probability = steps.argmax(axis=1), steps.max(axis=1)
    keep = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
    return [(int(step), int(best[step]), float(probability[step])) for step in np.flatnonzero(keep)]


def _recognise(crops: list[_Crop]) -> None:
    """Text and confidence of each crop. The recogniser reads a lone figure well only with blank space around it
    (it was trained on lines padded to 320 px), so crops are laid side by side on strips with a gap of blank between
    them and each character goes to the crop under its time step: a fraction of the cost of one crop at a time. A
    crop read unsurely there is read again alone."""
    import cv2
    import numpy as np

    engine = _engine()
    characters = engine.text_rec.postprocess_op.character
    lines, placed = [], []  # each crop at the recogniser's height; its strip, start and end (px)
    widths: list[int] = []
    for crop in crops:
        width = max(8, round(crop.image.shape[1] * _REC_HEIGHT / crop.image.shape[0]))
        resized = cv2.resize(crop.image, (width, _REC_HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32)
        lines.append(resized / 127.5 - 1.0)
        if not widths or widths[-1] + width + _REC_GAP > _STRIP_WIDTH:
            widths.append(_REC_GAP)
        placed.append((len(widths) - 1, widths[-1], widths[-1] + width))
        widths[-1] += width + _REC_GAP + (-(width + _REC_GAP) % _STEP)  # crops start on a time step
    decoded: list[list[tuple[int, int, float]]] = []
    for strip, width in enumerate(widths):
        tensor = np.zeros((1, 3, _REC_HEIGHT, width), dtype=np.float32)
        for line, (on, start, end) in zip(lines, placed, strict=True):
            if on == strip:
                tensor[0, :, :, start:end] = line
        decoded.append(_ctc(engine.text_rec.session(tensor)[0][0]))
    for crop, line, (strip, start, end) in zip(crops, lines, placed, strict=True):
        mine = [(c, p) for step, c, p in decoded[strip]
                if start - _REC_GAP / 2 <= step * _STEP + _STEP // 2 < end + _REC_GAP / 2]
        crop.text = "".join(characters[c] for c, _p in mine).strip()
        crop.confidence = min((p for _c, p in mine), default=0.0)
        if crop.confidence < _SURE and end - start < _REC_ALONE:
            tensor = np.zeros((1, 3, _REC_HEIGHT, _REC_ALONE), dtype=np.float32)
            tensor[0, :, :, :end - start] = line
            alone = _ctc(engine.text_rec.session(tensor)[0][0])
            confidence = min((p for _s, _c, p in alone), default=0.0)
            if confidence > crop.confidence:
                crop.text, crop.confidence = "".join(characters[c] for _s, c, _p in alone).strip(), confidence


def _deskewed(gray: np.ndarray) -> np.ndarray:
    """The page turned level: the angle whose rows of ink are sharpest (projection profile), within ±5°."""
    import cv2
    import numpy as np

    # ink found at full size, then shrunk: a thin ruling line shrunk first would fade to paper
    ink = cv2.resize((gray < 160).astype(np.float32), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), ink.shape[::-1])
        return float(np.var(turned.sum(axis=1)))

    coarse = max(np.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 0.01, 0.5), key=sharpness)
    angle = float(max(np.arange(coarse - 0.5, coarse + 0.51, 0.05), key=sharpness))
    if abs(angle) < 0.05:
        return gray
    matrix = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, gray.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=255)


def _without_specks(ink: np.ndarray, points_per_pixel: float) -> np.ndarray:
    """Ink less the specks of toner, dust and grain: blobs smaller than the dot of 五号 (10.5 pt) print, which the
    recogniser would read as a decimal point or a full stop beside a figure."""
    import cv2
    import numpy as np

    count, labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= (_SPECK / points_per_pixel) ** 2
    keep[0] = False  # the paper
    return np.where(keep[labels], ink, 0).astype(np.uint8) if not keep[1:count].all() else ink


def _positions(profile: np.ndarray, least: float) -> list[int]:
    """Centres of the runs where a projection of ruling is at least `least` (one line drawn a few pixels thick)."""
    positions, start = [], None
    for i, value in enumerate([*profile.tolist(), 0]):
        if value >= least and start is None:
            start = i
        elif value < least and start is not None:
            positions.append((start + i - 1) // 2)
            start = None
    merged: list[int] = []
    for position in positions:  # a double or smudged line is one line
        if merged and position - merged[-1] < 8:
            merged[-1] = (merged[-1] + position) // 2
        else:
            merged.append(position)
    return merged


@dataclass
class _Grid:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels
    rows: list[list[tuple[tuple[int, int, int, int], bool]]]  # per grid position: its cell's box, a copy or not


def _grids(horizontal: np.ndarray, vertical: np.ndarray, across: int, down: int) -> list[_Grid]:
    """The ruled tables of a page: grid lines where ruling runs, cells merged where the ruling between them is
    missing (as pdfplumber finds them on a PDF page)."""
    import cv2
    import numpy as np

    ruling = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ruling)
    grids = []
    for x, y, w, h, _area in stats[1:count]:
        if w < horizontal.shape[1] / 5 or h < 2 * down:
            continue
        ys = _positions((horizontal[y:y + h, x:x + w] > 0).sum(axis=1), across)
        xs = _positions((vertical[y:y + h, x:x + w] > 0).sum(axis=0), down)
        if len(ys) < 2 or len(xs) < 2:
            continue
        ys, xs = [y + v for v in ys], [x + v for v in xs]
        grids.append(_Grid((x, y, x + w, y + h), _cells(horizontal, vertical, xs, ys)))
    return grids


def _cells(horizontal: np.ndarray, vertical: np.ndarray, xs: list[int], ys: list[int]):
    """Grid positions joined into cells where no ruling separates them (union-find over the grid)."""
    rows, columns = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * columns))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def ruled(mask: np.ndarray, along: slice, at: int, axis: int) -> bool:
        band = mask[along, max(0, at - 3):at + 4] if axis == 0 else mask[max(0, at - 3):at + 4, along]
        covered = band.max(axis=1 - axis) > 0
        return covered.size > 0 and covered.mean() > 0.5

    for r in range(rows):
        inner_rows = slice(ys[r] + 4, ys[r + 1] - 3)
        for c in range(columns):
            if c + 1 < columns and not ruled(vertical, inner_rows, xs[c + 1], 0):
                parent[root(r * columns + c + 1)] = root(r * columns + c)
            if r + 1 < rows and not ruled(horizontal, slice(xs[c] + 4, xs[c + 1] - 3), ys[r + 1], 1):
                parent[root((r + 1) * columns + c)] = root(r * columns + c)
    extent: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(columns):
            box = extent.setdefault(root(r * columns + c), [c, r, c, r])
            box[0], box[1], box[2], box[3] = min(box[0], c), min(box[1], r), max(box[2], c), max(box[3], r)
    grid = []
    for r in range(rows):
        row = []
        for c in range(columns):
            c0, r0, c1, r1 = extent[root(r * columns + c)]
            row.append(((xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]), (r, c) != (r0, c0)))
        grid.append(row)
    return grid


def _runs(positions: list[int], gap: int) -> list[tuple[int, int]]:
    """Sorted pixel positions as runs (first, last), a new run after a gap of more than `gap` pixels."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and position - runs[-1][1] <= gap:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    return [(first, last) for first, last in runs]


def _bands(rows: list[int]) -> list[tuple[int, int]]:
    """Rows holding ink → lines of text: runs of rows, with a short run (quotation marks, dots, the tails of
    strokes) joined to the line next to it."""
    bands = _runs(rows, gap=2)
    if not bands:
        return []
    tallest = max(last - first for first, last in bands) + 1
    merged: list[list[int]] = []
    for first, last in bands:
        short = last - first + 1 < tallest * 0.4 or (merged and merged[-1][1] - merged[-1][0] + 1 < tallest * 0.4)
        if merged and short and first - merged[-1][1] < tallest * 0.5:
            merged[-1][1] = last
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def _padded(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """A line's box cut from the page with the margin the recogniser was trained with; a lone narrow figure is
    widened with paper, not stretched."""
    import numpy as np

    x0, y0, x1, y1 = box
    pad = max(4, (y1 - y0) // 4)
    crop = gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]
    if crop.shape[1] < crop.shape[0]:
        side = (crop.shape[0] - crop.shape[1]) // 2 + 1
        crop = np.pad(crop, ((0, 0), (side, side)), constant_values=255)
    return crop


def _line_crops(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> list[_Crop]:
    """The lines of ink inside a cell (inside its ruling), each a crop."""
    import numpy as np

    x0, y0, x1, y1 = box[0] + 4, box[1] + 4, box[2] - 3, box[3] - 3
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    cell = ink[y0:y1, x0:x1]
    crops = []
    for top, bottom in _bands(np.flatnonzero(cell.any(axis=1)).tolist()):
        columns = np.flatnonzero(cell[top:bottom + 1].any(axis=0))
        if bottom - top + 1 < 6 or columns.size == 0:
            continue  # a speck
        crops.append(_Crop(_padded(gray, (x0 + columns[0], y0 + top, x0 + columns[-1] + 1, y0 + bottom + 1))))
    return crops


def _text_lines(gray: np.ndarray, ink: np.ndarray, tables: list[tuple[int, int, int, int]]):
    """Lines of text outside the tables: rows of ink between blank rows, cut where a gap wider than a character
    separates words (columns of an unruled table, a date set apart), each a crop with its box."""
    import numpy as np

    free = ink.copy()
    for x0, y0, x1, y1 in tables:
        free[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 0
    boxes, crops = [], []
    for top, bottom in _bands(np.flatnonzero(free.any(axis=1)).tolist()):
        height = bottom - top + 1
        if height < 6:
            continue  # a speck
        columns = np.flatnonzero(free[top:bottom + 1].any(axis=0)).tolist()
        for left, right in _runs(columns, gap=height):
            box = (left, top, right + 1, bottom + 1)
            boxes.append(box)
            crops.append(_Crop(_padded(gray, box)))
    return boxes, crops


def _cell(crops: list[_Crop] | None, column: int) -> Cell:
    """A grid position's cell: a copy of a merged one, blank paper (surely blank), or its lines read. Ink read as
    nothing but punctuation (a smudge, the seal's edge, a figure lost) is a cell OCR could not read: blank, with no
    confidence, so the table reader neither takes it for a label nor a check for a 0."""
    if crops is None:
        return Cell("", column, True)
    if not crops:
        return Cell("", column, confidence=1.0)
    text = " ".join(c.text for c in crops if c.text)
    if not any(char.isalnum() for char in text):
        return Cell("", column, confidence=0.0)
    return Cell(text, column, confidence=min(c.confidence for c in crops))


def _without_seal(bgr: np.ndarray) -> np.ndarray:
    """A colour page as one channel with the red of a seal (and of red headings' ink) turned to paper: the seal is
    stamped over the signature and the last table, and read as ink it puts strokes into cells. Print under the red
    stays dark: the red channel sees through the stamp."""
    import numpy as np

    blue, green, red = (bgr[:, :, i].astype(np.int16) for i in range(3))
    gray = bgr[:, :, 2].copy()
    seal = red - np.maximum(blue, green) > _RED
    on_paper = red[seal & (red > 160)]
    if on_paper.size:
        # the stamp's ink passes most red light, not all, and unevenly once JPEG has blurred its colour: where it
        # lies on paper (a red level near its own) it is paper; print and ruling under it, darker, keep their
        # darkness with the stamp's share divided out, so a line crossing the ring is not cut
        level = max(1.0, float(np.median(on_paper)))
        under = red[seal]
        gray[seal] = np.where(under > 0.75 * level, 255, np.minimum(255.0, under * (255.0 / level))).astype(np.uint8)
    return gray


def ocr_page(gray: np.ndarray, points_per_pixel: float) -> list[Block]:
    """One page image (one channel) → its blocks in reading order, measured in points as a PDF page is."""
    import cv2
    import numpy as np

    gray = _deskewed(cv2.medianBlur(gray, 3))
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 20)
    # ruling: runs of ink longer than any stroke, once the dropouts of a thin scanned line are closed along it
    across, down = round(_RULE_ACROSS / points_per_pixel), round(_RULE_DOWN / points_per_pixel)
    horizontal = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN,
                                  np.ones((1, across), np.uint8))
    vertical = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                                np.ones((down, 1), np.uint8))
    text_ink = _without_specks(ink & ~cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8)), points_per_pixel)
    grids = _grids(horizontal, vertical, across, down)
    cell_crops = [[[None if copy else _line_crops(gray, text_ink, box) for box, copy in row] for row in grid.rows]
                  for grid in grids]
    boxes, free = _text_lines(gray, text_ink, [g.box for g in grids])
    _recognise([c for table in cell_crops for row in table for cell in row if cell for c in cell] + free)
    scale = points_per_pixel
    tables = []
    for grid, crops in zip(grids, cell_crops, strict=True):
        x0, y0, x1, y1 = grid.box
        rows = [[_cell(cell, column) for column, cell in enumerate(row)] for row in crops]
        tables.append(((x0 * scale, y0 * scale, x1 * scale, y1 * scale), Table(rows)))
    words = [{"text": crop.text, "x0": x0 * scale, "x1": x1 * scale, "top": top * scale, "bottom": bottom * scale}
             for (x0, top, x1, bottom), crop in zip(boxes, free, strict=True) if crop.text]
    return page_blocks(tables, words, gray.shape[0] * scale)


class ScanReader:
    """The pages of one PDF that have no text layer, read by OCR within a budget of pages and seconds (the parse
    pool allows a PDF that much longer); pages past it, or every page where OCR is not installed, are counted."""

    def __init__(self) -> None:
        self.pages = self.unread = 0
        self.started = time.monotonic()
        self.available = ocr_available()

    def take(self) -> bool:
        """Whether to read one more scanned page; False counts it as unread."""
        if self.available and self.pages < MAX_OCR_PAGES and time.monotonic() - self.started < OCR_SECONDS:
            self.pages += 1
            return True
        self.unread += 1
        return False

    def read(self, page) -> list[Block]:
        """A pypdfium2 page rendered and read."""
        return ocr_page(_without_seal(page.render(scale=RENDER_DPI / 72).to_numpy()), 72 / RENDER_DPI)

    def warnings(self) -> list[str]:
        if not self.unread:
            return []
        if not self.available:
            return [f"{self.unread} scanned page(s) without a text layer not read: OCR is not installed ({OCR_INSTALL})"]
        return [f"{self.unread} scanned page(s) not read: past the OCR budget of {MAX_OCR_PAGES} pages or "
                f"{OCR_SECONDS:g} s a document"]


def page_image(data: bytes) -> np.ndarray:
    """An image attachment (JPEG, PNG, TIFF, WebP) as one channel, at a width OCR reads well."""
    try:
        import cv2
        import numpy as np
    except ImportError as error:
        raise DecodeError(f"an image report needs OCR, which is not installed: {OCR_INSTALL}") from error
    reduced = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_REDUCED_GRAYSCALE_8)
    if reduced is None:
        raise DecodeError("unreadable image (not a JPEG, PNG, TIFF or WebP that decodes)")
    if reduced.size * 64 > MAX_IMAGE_PIXELS:
        raise BudgetExceeded(f"an image of about {reduced.size * 64:,} pixels (budget {MAX_IMAGE_PIXELS:,}): refused")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise DecodeError("unreadable image (truncated or damaged)")
    gray = _without_seal(image)
    if gray.shape[1] > _WIDEST or gray.shape[1] < _NARROWEST:
        factor = (_WIDEST if gray.shape[1] > _WIDEST else _NARROWEST) / gray.shape[1]
        gray = cv2.resize(gray, None, fx=factor, fy=factor,
                          interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)
    return gray


def read_image(data: bytes) -> Document:
    """An image report (one page photographed or scanned) → Document, every figure marked as read by OCR."""
    gray = page_image(data)
    blocks: list[Block] = []
    append_page(blocks, ocr_page(gray, _A4_WIDTH_PT / gray.shape[1]))
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), None)
    # a picture of a page is a scan: a crawl keeps it as the report its link names even when little text is read
    return Document(blocks=blocks, title_hint=first, title_candidates=[first] if first else [], source_type="image",
                    scanned=True, ocr=True)
