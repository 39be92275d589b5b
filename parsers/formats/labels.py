"""Every metric key with its printed Chinese label and an English gloss, from the format definitions (as data)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from . import definitions

PROSE_WORDINGS = Path(__file__).with_name("prose-wordings.json")
_FORMAT_ORDER = ("gov2021", "gov2019", "legacy")  # a key both national formats share takes 2021's wording


def _gloss(key: str) -> str:
    return " › ".join(part.replace("_", " ") for part in key.split("."))


def _printed(item: dict) -> str:
    return item["labels"][0] if item.get("labels") else item["key"]


@lru_cache(maxsize=1)
def metric_labels() -> tuple[dict, ...]:
    """One row per (table, row, column) key the parsers can emit: label, row_label, col_label, label_en, order."""
    found: dict[tuple[str, str, str], dict] = {}
    formats = definitions()["formats"]
    for fmt in _FORMAT_ORDER:
        for table_key, table in formats[fmt].get("tables", {}).items():
            sections = {s["key"]: s["labels"][0] for s in formats[fmt].get("sections", [])}
            caption = (table.get("caption") or [sections.get(table.get("section")) or "政府信息公开情况统计表"])[0]
            for r, row in enumerate(table.get("rows", [])):
                for c, column in enumerate(table.get("columns", [])):
                    key = (table_key, row["key"], column["key"])
                    row_label = f"{row['parent']} {_printed(row)}" if row.get("parent") else _printed(row)
                    found.setdefault(key, {
                        "table_key": table_key, "row_key": row["key"], "col_key": column["key"],
                        "table_label": caption, "row_label": row_label, "col_label": _printed(column),
                        "label": f"{row_label} · {_printed(column)}", "format": fmt, "row_order": r, "col_order": c,
                        "label_en": f"{_gloss(row['key'])} / {_gloss(column['key'])}",
                    })
    for r, (row_key, label, english) in enumerate(_prose_rows()):
        found.setdefault(("legacy", row_key, "value"), {
            "table_key": "legacy", "row_key": row_key, "col_key": "value", "table_label": "正文所述数字",
            "row_label": label, "col_label": "数值", "label": label, "format": "legacy", "row_order": r,
            "col_order": 0, "label_en": english})
    return tuple(found.values())


def _prose_rows() -> list[tuple[str, str, str]]:
    """The keys prose wordings emit: an outcome of a named case ({subject}.upheld) once per case, named after it."""
    wordings = json.loads(PROSE_WORDINGS.read_text("utf-8"))
    cases = {subject: words.split("|")[0] for subject, words in wordings["subjects"].items()}
    return [(item["key"].format(subject=subject), f"{cases[subject]}：{item['label']}" if subject else item["label"],
             f"{subject.replace('_', ' ')}: {item['label_en']}" if subject else item["label_en"])
            for item in wordings["indicators"] for subject in item.get("subjects", [None])]
