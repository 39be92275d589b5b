"""The report formats as data: labels → stable keys, loaded from report-formats.json.

The JSON is the project's own copy of the format definitions (first seeded from the team's
spec, then extended where real pages show more). Code here only indexes it for matching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from ..text import Label, split_label, strip_annotation

GOV_FORMATS = ("gov2019", "gov2021")
# Bare labels this short are ambiguous (其他 column vs 3.其他 row, 总计 column vs (七)总计 row).
_AMBIGUOUS_LEN = 2
_TRUNCATED_MIN = 6
_CACHE_LIMIT = 20000


_LOOSE = str.maketrans("", "", "、,，.。;；:：\"…")


def _loose(body: str) -> str:
    return body.translate(_LOOSE)


class LabelSet:
    """The accepted spellings of one label, matched after normalisation (§8.1)."""

    def __init__(self, variants: list[Label]) -> None:
        self.variants = variants
        self.canonical_enumerator = next((v.enumerator for v in variants if v.enumerator), None)
        self._exact = {v.body for v in variants} | {strip_annotation(v.body) for v in variants}
        self._loose = [_loose(strip_annotation(v.body)) for v in variants]
        # a label cut short keeps the start of its note: 部分公开（区分处理… is 部分公开（区分处理的，只计这一情形…）
        self._loose_whole = [_loose(v.body) for v in variants]
        self._loose_set = set(self._loose)
        self._seen: dict[Label, bool] = {}  # the same labels recur on every page of a format

    def matches(self, label: Label) -> bool:
        known = self._seen.get(label)
        if known is None:
            if len(self._seen) > _CACHE_LIMIT:
                self._seen.clear()
            known = self._seen[label] = self._match(label)
        return known

    @classmethod
    def of(cls, labels: list[str]) -> LabelSet:
        return cls([split_label(label) for label in labels])

    def _match(self, label: Label) -> bool:
        body = label.body
        if not body or not self.variants:
            return False
        enum = self.canonical_enumerator
        if len(body) <= _AMBIGUOUS_LEN and label.enumerator != enum:
            return False
        if label.enumerator and enum and label.enumerator != enum:
            return False
        bare = strip_annotation(body)
        if body in self._exact or bare in self._exact:
            return True
        loose = _loose(bare)
        if loose in self._loose_set:
            return True
        # Truncated headers such as 申请人无正当理由逾期不补正… (§8.1 step 7)
        return len(loose) >= _TRUNCATED_MIN and any(v.startswith(loose) for v in self._loose + self._loose_whole)


@dataclass
class KeyedLabels:
    key: str
    labels: LabelSet
    parent: str | None = None
    value_type: str | None = None
    unit: str | None = None


@dataclass
class TableDef:
    key: str
    section: str | None
    captions: LabelSet
    row_header: LabelSet
    rows: list[KeyedLabels]
    columns: list[KeyedLabels]
    groups: list[KeyedLabels]  # rowspan group labels: their own rows carry no numbers
    header_labels: LabelSet  # header cells that carry no numbers (申请人情况, the 勾稽 note …)
    flat_order: list[str] = field(default_factory=list)  # table 4: 15 cells in one data row
    value_type: str | None = None
    # label → its row, column or group: the same labels recur in every report of a format, so each is matched
    # against the table's label lists once (the scan was most of the table reader's time)
    _found: dict[tuple[str, str | None, str], KeyedLabels | None] = field(default_factory=dict, repr=False)

    def _first(self, kind: str, candidates: list[KeyedLabels], label: Label) -> KeyedLabels | None:
        key = (kind, label.enumerator, label.body)
        if key not in self._found:
            if len(self._found) > _CACHE_LIMIT:
                self._found.clear()
            self._found[key] = next((k for k in candidates if k.labels.matches(label)), None)
        return self._found[key]

    @cached_property
    def column_units(self) -> dict[str, str | None]:
        """column key → the unit its figures are in (本年收费金额（单位：万元）)"""
        return {column.key: column.unit for column in reversed(self.columns)}  # the first of a key, as a scan finds

    def row(self, label: Label) -> KeyedLabels | None:
        return self._first("row", self.rows, label)

    def column(self, label: Label) -> KeyedLabels | None:
        return self._first("column", self.columns, label)

    def group(self, label: Label) -> KeyedLabels | None:
        return self._first("group", self.groups, label)


@dataclass
class FormatDef:
    key: str
    detect_any: list[str]
    sections: list[KeyedLabels]
    tables: dict[str, TableDef]
    cell_count: dict[str, int]
    raw: dict


def _keyed(items: list[dict]) -> list[KeyedLabels]:
    return [KeyedLabels(i["key"], LabelSet.of(i["labels"]), i.get("parent"), i.get("value_type"), i.get("unit"))
            for i in items]


def _table(key: str, spec: dict) -> TableDef:
    header = spec.get("header", {})
    header_labels = header.get("note_cell", []) + header.get("top_header", [])
    if "group_header" in header:
        header_labels += header["group_header"]["labels"]
    groups = [KeyedLabels(k, LabelSet.of(v)) for k, v in spec.get("group_labels", {}).items()]
    return TableDef(
        key=key,
        section=spec.get("section"),
        captions=LabelSet.of(spec.get("caption", [])),
        row_header=LabelSet.of(spec.get("row_header", [])),
        rows=_keyed(spec.get("rows", [])),
        columns=_keyed(spec.get("columns", [])),
        groups=groups,
        header_labels=LabelSet.of(header_labels),
        flat_order=spec.get("flat_order", []),
        value_type=spec.get("value_type"),
    )


@lru_cache(maxsize=1)
def definitions() -> dict:
    return json.loads((Path(__file__).parent / "report-formats.json").read_text("utf-8"))


@cache
def load_format(key: str) -> FormatDef:
    spec = definitions()["formats"][key]
    return FormatDef(
        key=key,
        detect_any=spec.get("detect", {}).get("any_of", []),
        sections=_keyed(spec.get("sections", [])),
        tables={k: _table(k, v) for k, v in spec.get("tables", {}).items()},
        cell_count=spec.get("cell_count", {}),
        raw=spec,
    )

