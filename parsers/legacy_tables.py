"""The statistics tables of pre-2019 reports (report-formats.md §10.2-10.3): 指标名称 | 单位 | 代码 | 统计数.

Rows are matched to indicator keys by their label (exactly, after normalisation); the header row says
which columns are units or codes and which hold values (本年累计, 统计数 …). Without a header only the
first value cell after the label is taken, and only when the row's other cells are units or codes.
"""

from __future__ import annotations

import re

from .document import Cell, Document, Table
from .formats import KeyedLabels, LabelSet, load_format
from .model import Metric, Report
from .text import parse_value, split_label

FAMILY_TABLES = {"legacy_sh": "legacy_sh_stats", "legacy_gb2014": "legacy_gb2014_stats"}
_UNIT = re.compile(r"^(?:条|件|个|次|篇|人|人次|元|万元|项|%|家|期|场)$")
_CODE = re.compile(r"^0\d$")  # codes print as 01 … 09; a bare 25 may be a value: never skipped as a code


def _columns(table: dict) -> tuple[list[KeyedLabels], list[KeyedLabels]]:
    values = [KeyedLabels(c["key"], LabelSet.of([label for label in c["labels"] if "{" not in label]))
              for c in table["columns"]]
    texts = [KeyedLabels(c["key"], LabelSet.of(c["labels"])) for c in table.get("text_columns", [])]
    return values, texts


def extract_legacy_tables(doc: Document, family: str | None, report: Report) -> None:
    spec = load_format("legacy")
    names = [FAMILY_TABLES[family]] if family in FAMILY_TABLES else list(FAMILY_TABLES.values())
    for block in doc.blocks:
        if isinstance(block, Table):
            for name in names:
                if _read_table(block, name, spec.tables[name], spec.raw["tables"][name], report):
                    break


def _read_table(block: Table, name: str, table, raw: dict, report: Report) -> bool:
    value_columns, text_columns = _columns(raw)
    header: dict[int, str | None] = {}  # position in the row → value column key (None: a text column)
    seen: set[str] = set()
    found = False
    for row in block.rows:
        cells = [c for c in row if not c.span_copy]
        labels = [split_label(c.text) for c in cells]
        kinds = [next((k.key for k in value_columns if k.labels.matches(lab)), None) for lab in labels]
        if sum(1 for k in kinds if k) and any(t.labels.matches(lab) for t in text_columns for lab in labels):
            header = {i: kinds[i] for i in range(len(cells))}
            continue
        for position, cell in enumerate(cells):
            row_def = table.row(labels[position]) if len(cell.text) <= 80 else None
            if row_def is None or row_def.key in seen:
                continue
            if _emit(name, row_def.key, cells, position, header, report):
                seen.add(row_def.key)
                found = True
            break
    return found


def _emit(name: str, key: str, cells: list[Cell], position: int, header: dict[int, str | None], report: Report) -> bool:
    rest = list(enumerate(cells))[position + 1:]
    if header:
        taken = False
        for index, cell in rest:
            column = header.get(index)
            value = parse_value(cell.text)
            if column and value.kind != "unparsed":
                report.metrics.append(Metric(name, key, column, value.value, value.raw, "table", value.unit))
                taken = True
        return taken
    # no header: units and codes may stand between the label and one value
    values = [(i, parse_value(c.text)) for i, c in rest if not _UNIT.match(c.text.strip()) and not _CODE.match(c.text.strip())]
    numbers = [v for _, v in values if v.kind == "number"]
    if len(numbers) != 1:
        return False
    report.metrics.append(Metric(name, key, "year_value", numbers[0].value, numbers[0].raw, "table", numbers[0].unit))
    return True
