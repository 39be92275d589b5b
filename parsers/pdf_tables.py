"""Ruled tables on a PDF page, as pdfplumber's `page.find_tables()` and `Table.extract()` find and read them with
their default settings, from any page model with `chars` and `edges` (pdfplumber's own pages, `PdfiumPage`).

pdfplumber's own steps do the work (edges merged, intersections, cells grouped into tables, each cell's text); three
are done here in a way that gives the same answer sooner: the cells at the intersections (pdfplumber looks for each
point's neighbours among all the points after it), the characters of each cell (pdfplumber tries every character
against every row) and a cell's text from its characters (pdfplumber's general text machinery).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from operator import itemgetter

_TOLERANCE = 3  # pdfplumber's default x and y tolerances, in points
Point = tuple[float, float]
Box = tuple[float, float, float, float]


def find_tables(page) -> list:
    """pdfplumber's tables on the page, found from its ruling lines both ways."""
    from pdfplumber.table import Table, TableSettings, cells_to_tables, edges_to_intersections, merge_edges
    from pdfplumber.utils import filter_edges

    settings = TableSettings.resolve(None)
    edges = merge_edges(filter_edges(page.edges, "v", min_length=settings.edge_min_length_prefilter)
                        + filter_edges(page.edges, "h", min_length=settings.edge_min_length_prefilter),
                        snap_x_tolerance=settings.snap_x_tolerance, snap_y_tolerance=settings.snap_y_tolerance,
                        join_x_tolerance=settings.join_x_tolerance, join_y_tolerance=settings.join_y_tolerance)
    edges = filter_edges(edges, min_length=settings.edge_min_length)
    intersections = edges_to_intersections(edges, settings.intersection_x_tolerance,
                                           settings.intersection_y_tolerance)
    return [Table(page, group) for group in cells_to_tables(cells_at(intersections))]


def cells_at(intersections: dict[Point, dict[str, list[dict]]]) -> list[Box]:
    """pdfplumber's `intersections_to_cells`: for each point in order, the smallest box it makes with a point below
    and a point to its right that ruling joins to it and to a fourth point; the same boxes in the same order, the
    points below and to the right taken from the point's own column and row."""
    from pdfplumber.utils import obj_to_bbox

    ruled = {point: ({obj_to_bbox(edge) for edge in found["v"]}, {obj_to_bbox(edge) for edge in found["h"]})
             for point, found in intersections.items()}

    def joined(one: Point, other: Point) -> bool:
        return ((one[0] == other[0] and not ruled[one][0].isdisjoint(ruled[other][0]))
                or (one[1] == other[1] and not ruled[one][1].isdisjoint(ruled[other][1])))

    points = sorted(intersections)  # by x, then top: each column top down, each row left to right
    columns: dict[float, list[Point]] = defaultdict(list)
    rows: dict[float, list[Point]] = defaultdict(list)
    place: dict[Point, tuple[int, int]] = {}
    for point in points:
        place[point] = (len(columns[point[0]]), len(rows[point[1]]))
        columns[point[0]].append(point)
        rows[point[1]].append(point)

    def smallest(point: Point) -> Box | None:
        down, across = place[point]
        beside_joined: dict[Point, bool] = {}  # asked at most once per point to the right, and only if needed
        for below in columns[point[0]][down + 1:]:
            if not joined(point, below):
                continue
            for beside in rows[point[1]][across + 1:]:
                if beside not in beside_joined:
                    beside_joined[beside] = joined(point, beside)
                corner = (beside[0], below[1])
                if beside_joined[beside] and corner in ruled and joined(corner, beside) and joined(corner, below):
                    return (point[0], point[1], corner[0], corner[1])
        return None

    return [cell for cell in map(smallest, points) if cell is not None]


def cell_texts(tables: list, chars: list[dict]) -> list[list[list[str | None]]]:
    """Each table's text, row by row, as `Table.extract()` gives it: a character belongs to each cell its centre
    lies in (the box closed at its top and left), None for a position a merged cell covers. The page's characters
    are sorted by height once; those of a band of rows, by x once; a cell's are found by bisection in its band,
    not by trying every character against every row."""
    from pdfplumber.utils import extract_text

    centres = sorted(((char["top"] + char["bottom"]) / 2, (char["x0"] + char["x1"]) / 2, order)
                     for order, char in enumerate(chars))
    heights = [centre[0] for centre in centres]
    bands: dict[tuple[float, float], tuple[list[float], list[int]]] = {}

    def band(top: float, bottom: float) -> tuple[list[float], list[int]]:
        if (top, bottom) not in bands:
            across = sorted((h, order) for _v, h, order in centres[bisect_left(heights, top):
                                                                   bisect_left(heights, bottom)])
            bands[top, bottom] = ([h for h, _order in across], [order for _h, order in across])
        return bands[top, bottom]

    def text(cell: Box) -> str:
        x0, top, x1, bottom = cell
        xs, orders = band(top, bottom)
        inside = sorted(orders[bisect_left(xs, x0):bisect_left(xs, x1)])
        if not inside:
            return ""
        found = [chars[order] for order in inside]
        plain = _plain_text(found)
        return extract_text(found) if plain is None else plain

    return [[[None if cell is None else text(cell) for cell in row.cells] for row in table.rows] for table in tables]


def _plain_text(chars: list[dict]) -> str | None:
    """`extract_text` (its defaults: 3 pt tolerances) of upright characters none of which is blank, by its own
    steps without its general machinery: lines clustered by top, each line's characters left to right, a new word
    at a step back, a gap or a move of the top of more than 3 pt, then the words clustered into lines by their
    tops again; None for other characters, which `extract_text` itself reads."""
    from pdfplumber.utils.text import LIGATURES

    if not all(char["upright"] and char["text"] and not char["text"].isspace() for char in chars):
        return None
    tops = [char["top"] for char in chars]
    one_line = max(tops) - min(tops) <= _TOLERANCE  # most cells: then one cluster of characters and of words
    words: list[tuple[float, str]] = []  # top, text
    for line in [chars] if one_line else _clustered(chars, itemgetter("top")):
        before: dict | None = None
        for char in sorted(line, key=itemgetter("x0")):
            text = LIGATURES.get(char["text"], char["text"])
            if before is None or char["x0"] < before["x0"] or char["x0"] > before["x1"] + _TOLERANCE \
                    or abs(char["top"] - before["top"]) > _TOLERANCE:
                words.append((char["top"], text))
            else:
                words[-1] = (min(words[-1][0], char["top"]), words[-1][1] + text)
            before = char
    if one_line:
        return " ".join(text for _top, text in words)
    return "\n".join(" ".join(text for _top, text in line) for line in _clustered(words, itemgetter(0)))


def _clustered(items: list, key) -> list[list]:
    """pdfplumber's `cluster_objects` at 3 pt: the distinct keys in order, a new cluster where one is more than
    3 pt past the one before; the clusters in that order, each item in its place in the input."""
    cluster: dict[float, int] = {}
    number, last = -1, None
    for value in sorted({key(item) for item in items}):
        if last is None or value > last + _TOLERANCE:
            number += 1
        cluster[value], last = number, value
    grouped: dict[int, list] = defaultdict(list)
    for item in items:
        grouped[cluster[key(item)]].append(item)
    return [grouped[number] for number in sorted(grouped)]
