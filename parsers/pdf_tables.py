"""Ruled tables on a PDF page, as pdfplumber's `page.find_tables()` and `Table.extract()` find and read them with
their default settings, from any page model with `chars` and `edges` (pdfplumber's own pages, `PdfiumPage`).

pdfplumber's own steps do the work (edges merged, intersections, cells grouped into tables, each cell's text); three
are done here in a way that gives the same answer sooner: the cells at the intersections (pdfplumber looks for each
point's neighbours among all the points after it), the characters of each cell (pdfplumber tries every character
against every row) and the text of a cell printed on one line (pdfplumber clusters it into lines and words).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from operator import itemgetter

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


def cell_texts(table, chars: list[dict]) -> list[list[str | None]]:
    """The table's text, row by row, as `Table.extract()` gives it: a character belongs to each cell its centre
    lies in (the box closed at its top and left), None for a position a merged cell covers; each cell's characters
    looked up among the characters sorted by height instead of every character tried against every row."""
    from pdfplumber.utils import extract_text

    centres = sorted(((char["top"] + char["bottom"]) / 2, (char["x0"] + char["x1"]) / 2, order)
                     for order, char in enumerate(chars))
    heights = [centre[0] for centre in centres]

    def text(cell: Box) -> str:
        x0, top, x1, bottom = cell
        inside = sorted(order for _v, h, order in centres[bisect_left(heights, top):bisect_left(heights, bottom)]
                        if x0 <= h < x1)
        if not inside:
            return ""
        found = [chars[order] for order in inside]
        return _one_line(found) or extract_text(found)

    return [[None if cell is None else text(cell) for cell in row.cells] for row in table.rows]


def _one_line(chars: list[dict]) -> str | None:
    """`extract_text` of upright characters whose tops lie within its 3 pt (one line, one cluster), none blank: the
    words left to right, a new word after a gap of more than 3 pt, joined by spaces; None for any other characters."""
    from pdfplumber.utils.text import LIGATURES

    tops = [char["top"] for char in chars]
    if max(tops) - min(tops) > 3 or not all(char["upright"] and char["text"] and not char["text"].isspace()
                                            for char in chars):
        return None
    words: list[str] = []
    before: dict | None = None
    for char in sorted(chars, key=itemgetter("x0")):
        text = LIGATURES.get(char["text"], char["text"])
        if before is not None and char["x0"] <= before["x1"] + 3:
            words[-1] += text
        else:
            words.append(text)
        before = char
    return " ".join(words)
