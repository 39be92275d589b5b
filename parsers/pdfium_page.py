"""A pdfium page as pdfplumber's table finder reads a page: its characters and its ruling as edges.

pdfplumber's table finder (parsers.pdf_tables) needs only a page's `chars`, `edges` and `bbox`; pdfminer, which
pdfplumber runs to get them, interprets every content stream in Python (nine tenths of a PDF's parse). pdfium, in
C, gives the same paths and glyphs. Edges are formed as pdfplumber forms them from pdfminer's objects (lines, then
rectangles, then other paths, each subpath on its own); a page this model does not describe (rotated, cropped, its
media box not at the origin, a glyph not upright) is left to pdfplumber: `PdfiumPage.of` gives None.

One difference is chosen: a character's box is one em high with its foot on the baseline, where pdfminer takes the
foot from the font descriptor's descent. Fonts disagree there (LibreOffice writes a descent of 0 for some subsets,
pdfium reads another from the embedded font), and a line of mixed fonts then broke into lines 3-4 pt apart: figures
left their sentences. Characters on one baseline now stand on one line whatever their fonts.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

_MATRIX = tuple[float, float, float, float, float, float]
_IDENTITY: _MATRIX = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SUBPATH = re.compile(r"m[^m]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HYPHEN_MARKS = ("\x02", "\ufffe")  # what pdfium gives for a hyphen at a line's end, one char or in its text
_UPRIGHT = 1e-3  # radians: a glyph turned less than this reads left to right


@dataclass
class PdfiumPage:
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    @classmethod
    def of(cls, page, ruled: bool) -> PdfiumPage | None:
        """The page's characters (and, if ruled, its edges), or None where pdfplumber must read it."""
        media = page.get_mediabox()
        if page.get_rotation() or media[0] or media[1] or page.get_cropbox() != media:
            return None  # pdfium measures such a page otherwise than pdfplumber
        model = cls(page.get_width(), page.get_height())
        chars = _chars(page, model.height)
        if chars is None:
            return None
        model.chars = chars
        model.edges = _edges(page, model.height) if ruled else []
        return model


def _chars(page, height: float) -> list[dict] | None:
    """Each glyph pdfium placed (spaces included, the spaces and breaks it inferred left out), in its text order."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    raw = textpage.raw
    is_generated, angle_of, loose_box = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetCharAngle, \
        pdfium_c.FPDFText_GetLooseCharBox
    origin_of, size_of = pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetFontSize
    chars: list[dict] = []
    box, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    try:
        texts = _texts(raw)
        for index, text in enumerate(texts):
            if text.isspace() and is_generated(raw, index):
                continue
            if text in _HYPHEN_MARKS and pdfium_c.FPDFText_IsHyphen(raw, index):
                text = "-"  # pdfium marks a hyphen that ends a line (2019-, the next line 2020年): the hyphen printed
            angle = angle_of(raw, index)
            if min(angle, 2 * math.pi - angle) > _UPRIGHT:  # turned, or -1 for an error
                return None
            loose_box(raw, index, box)
            origin_of(raw, index, x, y)
            size = size_of(raw, index)
            bottom = height - y.value
            chars.append({"text": text, "x0": box.left, "x1": box.right, "top": bottom - size, "bottom": bottom,
                          "doctop": bottom - size, "width": box.right - box.left, "height": size, "upright": True})
    finally:
        textpage.close()
    return chars


def _texts(raw) -> str | list[str]:
    """The text page's characters, one per index: read in one call, or one by one where a character outside the
    Basic Multilingual Plane (two UTF-16 units) would shift the indices."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFText_CountChars(raw)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * count].decode("utf-16-le", errors="surrogatepass")
    if len(text) == count and not _SURROGATE.search(text):
        return text
    return [chr(pdfium_c.FPDFText_GetUnicode(raw, index)) for index in range(count)]


def flow_words(chars: list[dict]) -> list[dict]:
    """The words of the characters as pdfplumber's `extract_words(use_text_flow=True)` forms them: in stream order,
    a new word at a space, a step back, a gap of more than 3 pt or a change of line."""
    words: list[dict] = []
    word: dict | None = None
    for char in chars:
        text = char["text"]
        if text.isspace() or not text.isprintable():
            word = None
            continue
        left, top = char["x0"], char["top"]
        if word is None or left < word["x0"] or left > word["x1"] + 3 or abs(top - word["char_top"]) > 3:
            word = {"text": text, "x0": left, "x1": char["x1"], "top": top, "bottom": char["bottom"], "char_top": top}
            words.append(word)
        else:
            word["text"] += text
            word["x1"], word["char_top"] = char["x1"], top
            word["bottom"] = max(word["bottom"], char["bottom"])
    return words


def _edges(page, height: float) -> list[dict]:
    """The page's edges in pdfplumber's order: its lines', its rectangles', then its other paths' segments."""
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    for path, matrix in _paths(page):
        operators, points = _path_operations(path)
        for subpath in _SUBPATH.finditer(operators):
            start, end = subpath.span()
            _classify(subpath.group(), [_apply(matrix, point) for point in points[start:end]], height,
                      lines, rects, curves)
    return lines + rects + curves


def _paths(page):
    """Every path object with its matrix to page space, inside form XObjects too (pdfminer descends into them)."""
    import pypdfium2.raw as pdfium_c

    def walk(count: int, get, outer: _MATRIX):
        for index in range(count):
            item = get(index)
            kind = pdfium_c.FPDFPageObj_GetType(item)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield item, _times(_matrix(item), outer)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                yield from walk(pdfium_c.FPDFFormObj_CountObjects(item),
                                lambda i, form=item: pdfium_c.FPDFFormObj_GetObject(form, i),
                                _times(_matrix(item), outer))

    raw = page.raw
    yield from walk(pdfium_c.FPDFPage_CountObjects(raw), lambda i: pdfium_c.FPDFPage_GetObject(raw, i), _IDENTITY)


def _matrix(item) -> _MATRIX:
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(item, matrix):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _times(inner: _MATRIX, outer: _MATRIX) -> _MATRIX:
    """inner, then outer (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od,
            e * oa + f * oc + oe, e * ob + f * od + of)


def _apply(matrix: _MATRIX, point: tuple[float, float]) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    x, y = point
    return (a * x + c * y + e, b * x + d * y + f)


def _path_operations(path) -> tuple[str, list[tuple[float, float]]]:
    """A path as pdfminer records it: an operator letter per operation (m, l, c for a Bézier, h to close) and
    each operation's end point (a closing h ends where its subpath began)."""
    import pypdfium2.raw as pdfium_c

    operators: list[str] = []
    points: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    controls = begun = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            controls += 1
            if controls < 3:  # pdfium gives a Bézier as three points; pdfminer keeps its end
                continue
            controls = 0
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            begun = len(points)
        operators.append({pdfium_c.FPDF_SEGMENT_MOVETO: "m", pdfium_c.FPDF_SEGMENT_BEZIERTO: "c"}.get(kind, "l"))
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            operators.append("h")
            points.append(points[begun])
    return "".join(operators), points


def _classify(shape: str, points: list[tuple[float, float]], height: float,
              lines: list[dict], rects: list[dict], curves: list[dict]) -> None:
    """One subpath's edges, as pdfminer's `paint_path` types it (a line, a rectangle, a curve) and pdfplumber
    turns each type into edges (a line's own; a rectangle's four sides; a curve's segment between each two points)."""
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape, points = shape[:-2] + "h", points[:-1]  # a closing line drawn as well as the close
    flipped = [(x, height - y) for x, y in points]
    if shape in ("ml", "mlh"):
        (x0, top0), (x1, top1) = flipped[0], flipped[1]
        lines.append(_edge("line", x0, x1, top0, top1, "h" if top0 == top1 else "v"))
    elif shape in ("mlllh", "mllll") and _is_rectangle(points):
        (x0, top0), (x1, top1) = flipped[0], flipped[2]
        left, right, top, bottom = min(x0, x1), max(x0, x1), min(top0, top1), max(top0, top1)
        rects += [_edge("rect_edge", left, right, top, top, "h"), _edge("rect_edge", left, right, bottom, bottom, "h"),
                  _edge("rect_edge", left, left, top, bottom, "v"), _edge("rect_edge", right, right, top, bottom, "v")]
    else:
        curves += [_edge("curve_edge", x0, x1, top0, top1, "v" if x0 == x1 else ("h" if top0 == top1 else None))
                   for (x0, top0), (x1, top1) in zip(flipped, flipped[1:], strict=False)]


def _is_rectangle(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    return last == points[0] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                  or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _edge(kind: str, x0: float, x1: float, top0: float, top1: float, orientation: str | None) -> dict:
    left, right, top, bottom = min(x0, x1), max(x0, x1), min(top0, top1), max(top0, top1)
    return {"object_type": kind, "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
            "width": right - left, "height": bottom - top, "orientation": orientation}
