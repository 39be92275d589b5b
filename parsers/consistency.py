"""A report's text against its own tables: 受理…申请17件 in the overview and 95 in table 3 is worth a second look.

Found as anomalies (read them), never as failed checks: the sentence may count something the table does not.
"""

from __future__ import annotations

from .model import Anomaly, Metric, Report
from .prose import prose_figures

Key = tuple[str, str, str]
# prose indicator → the table figures it may state: any of the listed sums agreeing is agreement
TEXT_TO_TABLE: dict[str, tuple[tuple[Key, ...], ...]] = {
    "requests.total": (
        (("applications", "new_received", "total"),),
        (("applications", "new_received", "total"), ("applications", "carried_over", "total")),
    ),
    "review.total": ((("review_litigation", "review", "total"),),),
    "litigation.total": (
        (("review_litigation", "litigation_direct", "total"), ("review_litigation", "litigation_after_review", "total")),
        (("review_litigation", "litigation_direct", "total"),),
    ),
}


def _sum(cells: dict[Key, Metric], keys: tuple[Key, ...]) -> float | None:
    values = [cells[k].value for k in keys if k in cells]
    if len(values) != len(keys) or any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def text_against_tables(report: Report) -> None:
    cells = {k: m for k, m in report.metric_map().items() if m.source == "table"}
    if not any(key in cells for readings in TEXT_TO_TABLE.values() for keys in readings for key in keys):
        return  # no table figure to hold the text against
    for figure in prose_figures(report.sections, [], frozenset(TEXT_TO_TABLE)):
        readings = TEXT_TO_TABLE.get(figure.row)
        if not readings:
            continue
        sums = [s for s in (_sum(cells, keys) for keys in readings) if s is not None]
        if not sums or figure.value in sums:
            continue
        table = sums[0]
        report.anomalies.append(Anomaly(
            "text_vs_table",
            f"the text states {figure.row} = {figure.value:g} (「{figure.raw}」), the table {table:g}",
            {"key": figure.row, "text_value": figure.value, "table_value": table, "raw": figure.raw},
        ))
