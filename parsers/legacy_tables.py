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
_YEAR_COLUMN = re.compile(r"^(?:(?:19|20)\d{2}年度?|本年度?|当年|本年数|年度数)(?:数|数量|统计数|合计|数值)?$")
_CUMULATIVE_COLUMN = re.compile(r"^(?!本年|年度)(?:.*累计|截至|截止|历年|.*以来)")


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


def _column_kind(text: str, label, value_columns: list[KeyedLabels]) -> str | None:
    """The value column a header cell names: the format's labels (本年累计 is the year's), else a year (2013年度, 本年)
    or a total to date (历年累计, 累计, 截至本年底), which is never the year's figure."""
    if key := next((k.key for k in value_columns if k.labels.matches(label)), None):
        return key
    text = re.sub(r"\s+", "", text)
    if _CUMULATIVE_COLUMN.search(text):
        return "cumulative_all_years"
    return "year_value" if _YEAR_COLUMN.match(text) else None


def _read_table(block: Table, name: str, table, raw: dict, report: Report) -> bool:
    value_columns, text_columns = _columns(raw)
    header: dict[int, str | None] = {}  # position in the row → value column key (None: a text column)
    unknown_header = False  # a header row whose value columns cannot be told apart
    seen: set[str] = set()
    found = False
    for row in block.rows:
        cells = [c for c in row if not c.span_copy]
        labels = [split_label(c.text) for c in cells]
        kinds = [_column_kind(c.text, lab, value_columns) for c, lab in zip(cells, labels, strict=True)]
        texts = any(t.labels.matches(lab) for t in text_columns for lab in labels)
        if (sum(1 for k in kinds if k) and texts) or len({k for k in kinds if k}) >= 2:
            header = {i: kinds[i] for i in range(len(cells))}
            continue
        if texts and not header:
            # a header of two or more columns none of which it names (项目 | 单位 | 甲 | 乙): which is the year's is unknown
            unnamed = [lab for lab in labels if lab.body and not any(t.labels.matches(lab) for t in text_columns)]
            unknown_header = unknown_header or len(unnamed) >= 2
        for position, cell in enumerate(cells):
            row_def = table.row(labels[position]) if len(cell.text) <= 80 else None
            if row_def is None or row_def.key in seen:
                continue
            if _emit(name, row_def.key, cells, position, header, report, unknown_header):
                seen.add(row_def.key)
                found = True
            break
    return found


def _emit(name: str, key: str, cells: list[Cell], position: int, header: dict[int, str | None], report: Report,
          unknown_header: bool) -> bool:
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
    # no header: units and codes may stand between the label and one value; a blank cell beside the number may be
    # the year's own (empty) column, so the number could be the total to date: nothing is taken then
    slots = [parse_value(c.text) for _, c in rest if not _UNIT.match(c.text.strip()) and not _CODE.match(c.text.strip())]
    numbers = [v for v in slots if v.kind == "number"]
    if len(numbers) == 1 and len(slots) == 1 and not unknown_header:
        report.metrics.append(Metric(name, key, "year_value", numbers[0].value, numbers[0].raw, "table", numbers[0].unit))
        return True
    if numbers:
        report.warn(f"{name}: the columns of {key} cannot be told apart (no header naming the year's column): "
                    "nothing taken")
    return False
