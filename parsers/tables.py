"""Map the cells of the standard tables (gov2019 / gov2021) to keyed metrics.

One state machine reads the document's cells in order, whatever their source: HTML grids,
text rows joined by `|`, or one cell per line. Labels set the context (which table, which
row, which columns); value cells fill the open row. Columns are assigned by the grid position
of the header where there is one, by position in the row otherwise (report-formats.md §8.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .document import Cell, Document, Paragraph, Table
from .formats import GOV_FORMATS, FormatDef, KeyedLabels, TableDef, load_format
from .model import Metric, Report
from .ocr import MIN_OCR_CONFIDENCE
from .text import CellValue, Label, parse_value, split_label, strip_annotation

# A cell longer than this is prose (a note under the table), never a label.
_MAX_LABEL_LEN = 80
# A mistyped row label is read as the row its place expects when it is this alike (difflib ratio) and this long
_MISTYPED_LIKENESS = 0.75
_MISTYPED_MIN_LEN = 4
APPLICATION_SECTION = "applications"
REVIEW_SECTION = "review_litigation"


@dataclass
class _OpenRow:
    table: TableDef
    key: str
    slots: list[str]  # column keys in print order
    grid_columns: dict[int, str] = field(default_factory=dict)  # header grid column → key
    cells: list[tuple[Cell, CellValue]] = field(default_factory=list)

    @property
    def full(self) -> bool:
        # on a grid the row ends with its table row; values are placed by the grid column of their header
        return not self.grid_columns and len(self.cells) >= len(self.slots)


@dataclass
class _Header:
    keys: list[str | None] = field(default_factory=list)
    grid_columns: dict[int, str] = field(default_factory=dict)


class TableReader:
    def __init__(self, fmt: FormatDef, report: Report) -> None:
        self.fmt = fmt
        self.report = report
        self.table: TableDef | None = None
        self.header: _Header | None = None
        self.reading_header = False
        self.open: _OpenRow | None = None
        self.seen: set[tuple[str, str]] = set()
        self.last_row: tuple[str, str] | None = None  # (table, row) of the row opened last
        self.section_tables = {t.section: t for t in fmt.tables.values()
                               if t.section in (APPLICATION_SECTION, REVIEW_SECTION)}
        # Row keys of the other formats: some 2021 reports print 2019's single （六）其他处理 row.
        self.other_tables = {key: [load_format(f).tables[key] for f in GOV_FORMATS
                                   if f != fmt.key and key in load_format(f).tables] for key in fmt.tables}
        self.column_grid: dict[int, str] = {}  # grid column → column key, from table 3's header rows
        # table 4 as three tables of five columns under their own headings (### 行政复议, then 结果维持 … 总计): the row
        # the heading names and the columns its table's header names, until its figures come
        self.titled: tuple[str, list[str]] | None = None

    # ------------------------------------------------------------------ driving
    def read(self, doc: Document) -> None:
        held: list[Cell] | None = None  # a table's last row, until the next block shows whether it runs on
        for block in doc.blocks:
            if not isinstance(block, Table):
                self.read_row(held)
                held = None
                self.paragraph(block)
                continue
            rows = block.rows
            joined = self._joined(held, rows[0]) if held is not None and block.continues and rows else None
            if joined is not None:
                rows = [joined, *rows[1:]]
            else:
                self.read_row(held)
            if not block.continues:
                self.column_grid = {}  # header positions hold within one table only
            for row in rows[:-1] if block.from_grid else rows:
                self.read_row(row, block.from_grid)
            held = rows[-1] if block.from_grid and rows else None
        self.read_row(held)
        self.close_row()

    def read_row(self, row: list[Cell] | None, from_grid: bool = True) -> None:
        if row is None:
            return
        for cell in row:
            self.cell(cell)
        if from_grid:
            self.close_row()
        self.reading_header = False

    def _joined(self, last: list[Cell], first: list[Cell]) -> list[Cell] | None:
        """A row the page break cut in two (Word lets rows break across pages): the last row of one page and the
        first of the next, column by column, when only together do they make a row label of the table and no
        column has a figure in both halves."""
        if len(last) != len(first) or self.table is None:
            return None
        cells = []
        for above, below in zip(last, first, strict=True):
            kinds = {parse_value(above.text).kind, parse_value(below.text).kind} - {"blank"}
            if len(kinds) > 1 or (kinds & {"number", "absurd", "dash"} and above.text and below.text):
                return None  # a figure in both halves, or a figure beside a label: two rows
            sure = [c.confidence for c in (above, below) if c.confidence is not None]
            cells.append(Cell(above.text + below.text, above.column, above.span_copy and below.span_copy,
                              min(sure) if sure else None))

        def has_row_label(row: list[Cell]) -> bool:
            return any(self._row(self.table, split_label(c.text)) for c in row
                       if not c.span_copy and parse_value(c.text).kind == "unparsed")

        return cells if has_row_label(cells) and not has_row_label(first) else None

    def paragraph(self, para: Paragraph) -> None:
        if len(para.text) > _MAX_LABEL_LEN:
            self.close_row()
            self.reading_header = False
            return
        section = self._section(split_label(para.text))
        if section is not None:
            self.close_row()
            self.enter(self.section_tables.get(section.key))
            return
        self.cell(Cell(para.text), in_table=False)

    def _section(self, label: Label) -> KeyedLabels | None:
        if not label.enumerator or len(label.body) < 4:
            return None
        return next((s for s in self.fmt.sections if s.labels.matches(label)), None)

    def enter(self, table: TableDef | None) -> None:
        self.table = table
        self.titled = None
        self.header = None
        self.reading_header = False

    # ------------------------------------------------------------------ cells
    def cell(self, cell: Cell, in_table: bool = True) -> None:
        value = parse_value(cell.text)
        if value.kind != "unparsed":
            if cell.span_copy:
                return
            if self.open is not None and not self.open.full:
                self.open.cells.append((cell, value))
            elif self.open is None and self.table is not None and self.table.flat_order:
                self.open_flat_row()
                self.open.cells.append((cell, value))
            elif value.is_figure and self.table is not None:
                self.report.warn(f"unplaced value {value.raw!r} in table {self.table.key}")
            return
        if len(cell.text) > _MAX_LABEL_LEN:
            return
        self.label(split_label(cell.text), cell, in_table)

    def label(self, label: Label, cell: Cell, in_table: bool = True) -> None:
        caption = None if cell.span_copy else next((t for t in self.fmt.tables.values() if t.captions.matches(label)), None)
        if caption is not None:
            self.close_row()
            self.enter(caption)
            return
        table = self.table
        if self.reading_header and table is not None and self.header is not None and not self._row(table, label):
            column = self._column(table, label)
            if column is not None and cell.column is not None:  # spans too: a header may cover two columns
                self.header.grid_columns[cell.column] = column.key
            if not cell.span_copy:
                self.header.keys.append(column.key if column else None)  # None: truncated or unknown
            return
        if cell.span_copy:
            # A rowspan/colspan copy of a label already read: context only, no new row.
            return
        if table is None or (not self._known_in(table, label)):
            switched = self._table_of_label(label)
            mistyped = self._mistyped_row(table, label, cell.text) if switched is None and table and in_table else None
            if mistyped is not None:
                self.close_row()
                self.open_row(table, mistyped.key)
                return
            if switched is None:
                if table is not None and in_table and label.body:
                    self.close_row()  # its values must not fill the row before it
                    self.report.warn(f"unknown label in table {table.key}: {cell.text!r}")
                return
            self.close_row()
            self.enter(switched)
            table = switched
        if table.row_header.matches(label):
            self.close_row()
            self.header = _Header()
            self.reading_header = True
            return
        if table.flat_order:
            # Table 4: labels are header text and the 15 numbers follow in flat order, unless a report lays it
            # out as rows (行政复议 | 5 numbers, 未经复议直接起诉 | 5 numbers …): then a row label opens its row.
            self.close_row()
            row = self._row(table, label) or self._row_under_group(table, label)
            if row is not None and not in_table:
                self.titled = (row.key, [])
            elif row is not None:
                self.titled = None
                self.open_row(table, row.key)
            elif self.titled is not None and (column := self._column(table, label)) is not None:
                if in_table:
                    self.titled[1].append(column.key)
                else:  # one cell a line: the format's own header, the 15 figures follow in flat order
                    self.titled = None
            return
        row = self._row(table, label)
        if row is not None:
            self.close_row()
            self.reading_header = False
            self.open_row(table, row.key)
            return
        if table.group(label) is not None:
            self.close_row()
            return
        column = self._column(table, label)
        if column is not None and cell.column is not None:
            self.column_grid[cell.column] = column.key
        if column is not None or table.header_labels.matches(label):
            return
        self.close_row()
        self.report.warn(f"unknown label in table {table.key}: {cell.text!r}")

    def _row(self, table: TableDef, label: Label) -> KeyedLabels | None:
        """A row of this format's table, or of the other format's same table (keys mean the same in both):
        some 2021 reports keep 2019's 其他对外管理服务事项 row or 上一年项目数量 columns."""
        return table.row(label) or next((t.row(label) for t in self.other_tables.get(table.key, [])), None)

    def _row_under_group(self, table: TableDef, label: Label) -> KeyedLabels | None:
        """行政诉讼（复议后起诉）: a row named with its group first, its own label in brackets."""
        group, bracket, inner = label.body.removesuffix(")").partition("(")
        if not bracket or not label.body.endswith(")") or table.group(Label(None, group)) is None:
            return None
        return self._row(table, Label(label.enumerator, inner))

    def _column(self, table: TableDef, label: Label) -> KeyedLabels | None:
        return table.column(label) or next((c for t in self.other_tables.get(table.key, [])
                                            if (c := t.column(label))), None)

    def _mistyped_row(self, table: TableDef, label: Label, printed: str) -> KeyedLabels | None:
        """A row label the body mistyped (2.其他法律行政止公开): the row that comes next in the format after the row
        just read, when it has the same number and nearly the same words and has not been read yet. Its place in
        the table decides, never the likeness alone."""
        if self.last_row is None or self.last_row[0] != table.key or not label.enumerator:
            return None
        keys = [r.key for r in table.rows]
        at = keys.index(self.last_row[1]) + 1 if self.last_row[1] in keys else len(keys)
        if at >= len(keys):
            return None
        expected = table.rows[at]
        body = strip_annotation(label.body)
        if (expected.labels.canonical_enumerator != label.enumerator or len(body) < _MISTYPED_MIN_LEN
                or any(t == table.key and c.startswith(f"{expected.key}.") for t, c in self.seen)):
            return None
        likeness = max(SequenceMatcher(None, body, strip_annotation(v.body)).ratio() for v in expected.labels.variants)
        if likeness < _MISTYPED_LIKENESS:
            return None
        self.report.warn(f"row label {printed!r} read as {expected.key} (mistyped; the next row of {table.key})")
        return expected

    def _known_in(self, table: TableDef, label: Label) -> bool:
        return bool(self._row(table, label) or self._column(table, label) or table.group(label)
                    or table.header_labels.matches(label)
                    or (table.row_header.matches(label)))

    def _table_of_label(self, label: Label) -> TableDef | None:
        """A label that only one table of the format knows moves the reader into that table."""
        if len(label.body) < 4:
            return None
        owners = [t for t in self.fmt.tables.values()
                  if t.row(label) or t.header_labels.matches(label) or t.group(label)]
        return owners[0] if len(owners) == 1 else None

    # ------------------------------------------------------------------ rows
    def open_row(self, table: TableDef, key: str) -> None:
        defaults = [c.key for c in table.columns]
        slots, grid_columns = defaults, {}
        if self.header is not None and self.header.keys:
            keys = self.header.keys
            if len(keys) == len(defaults):
                slots = [k or d for k, d in zip(keys, defaults, strict=True)]
            elif all(keys):
                slots = list(dict.fromkeys(keys))
            grid_columns = self.header.grid_columns if all(keys) else {}
        elif set(self.column_grid.values()) == set(defaults):
            grid_columns = dict(self.column_grid)  # table 3 under its own three header rows
        self.open = _OpenRow(table, key, slots, grid_columns)
        self.last_row = (table.key, key)

    def open_flat_row(self) -> None:
        assert self.table is not None
        if self.titled is not None:  # the figures of a headed sub-table: its row, in its header's column order
            (key, columns), self.titled = self.titled, None
            self.open = _OpenRow(self.table, key, columns or [c.key for c in self.table.columns])
            self.last_row = (self.table.key, key)
            return
        self.open = _OpenRow(self.table, "", list(self.table.flat_order))

    def close_row(self) -> None:
        row, self.open = self.open, None
        if row is None or not row.cells:
            return
        assigned = self._assign(row)
        if assigned is None:
            return
        for slot, (cell, value) in assigned.items():
            if not row.key:  # table 4's one row of 15: "review.upheld" …
                row_key, col_key = slot.rsplit(".", 1)
            else:
                row_key, col_key = row.key, slot
            self.emit(row.table, row_key, col_key, value, cell.confidence)

    def _assign(self, row: _OpenRow) -> dict[str, tuple[Cell, CellValue]] | None:
        cells = row.cells
        name = row.table.key + (f".{row.key}" if row.key else "")
        if row.grid_columns:
            assigned: dict[str, tuple[Cell, CellValue]] = {}
            for cell, value in cells:
                key = row.grid_columns.get(cell.column)
                if key is None:
                    if value.is_figure:  # a figure under no header: which column is unknown
                        self.report.warn(f"{name}: value {value.raw!r} outside the header's columns; row skipped")
                        self.report.flag("ambiguous_columns")
                        return None
                    continue  # an empty spacer cell of Word-made tables
                if key not in assigned or assigned[key][1].kind == "blank":
                    assigned[key] = (cell, value)
            return assigned
        extra = cells[len(row.slots):]
        if any(v.is_figure for _, v in extra):
            self.report.warn(f"{name}: {len(cells)} values for {len(row.slots)} columns; row skipped")
            self.report.flag("ambiguous_columns")
            return None
        cells = cells[: len(row.slots)]
        if len(cells) < len(row.slots):
            if not any(v.is_figure for _, v in cells):
                return None
            self.report.warn(f"{name}: {len(cells)} values for {len(row.slots)} columns; row skipped")
            self.report.flag("ambiguous_columns")
            return None
        return dict(zip(row.slots, cells, strict=True))

    def emit(self, table: TableDef, row_key: str, col_key: str, value: CellValue, confidence: float | None = None) -> None:
        cell = (table.key, f"{row_key}.{col_key}")
        if cell in self.seen:
            self.report.warn(f"duplicate cell {table.key}.{row_key}.{col_key} ignored")
            return
        self.seen.add(cell)
        unit = value.unit or table.column_units.get(col_key)
        if value.kind == "absurd":
            self.report.warn(f"{table.key}.{row_key}.{col_key}: {value.raw[:40]!r}… is no figure; kept as raw text")
        if confidence is None:
            self.report.metrics.append(Metric(table.key, row_key, col_key, value.value, value.raw, "table", unit))
            return
        figure = value.value
        if confidence < MIN_OCR_CONFIDENCE:  # never a guess: the raw reading stays
            self.report.warn(f"{table.key}.{row_key}.{col_key}: OCR read {value.raw!r} with confidence "
                             f"{confidence:.2f}; left blank")
            figure = None
        self.report.metrics.append(Metric(table.key, row_key, col_key, figure, value.raw, "ocr", unit,
                                          round(confidence, 3)))


def extract_tables(doc: Document, fmt: FormatDef, report: Report) -> None:
    TableReader(fmt, report).read(doc)
