"""The one report model shared by every source type (HTML, PDF, DOCX, TXT)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Section:
    number: str | None  # the heading's enumerator as printed: "一", "二" …; None for the preamble
    key: str | None  # a section key of report-formats.json, or None when the title matches none
    title: str
    text: str


@dataclass
class Metric:
    table: str
    row: str
    col: str
    value: float | int | None  # None for blank, dash or unparsable cells: never invented as 0
    raw: str
    source: str = "table"  # table | prose | ocr
    unit: str | None = None
    confidence: float | None = None  # source ocr: the recogniser's confidence in the cell's least certain character


@dataclass
class Check:
    rule: str
    scope: str
    status: str  # pass | fail | blank
    detail: str


@dataclass
class Anomaly:
    """Something a reader should look at twice, found within one report (not a failed rule of the format)."""
    rule: str
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    kind: str = "report"  # report | not_report
    url: str | None = None
    title: str | None = None
    issuer: str | None = None
    report_year: int | None = None
    published_date: str | None = None
    format: str = "unknown"  # gov2021 | gov2019 | legacy | unknown
    source_type: str = "html"
    sections: list[Section] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    # extra evidence that is not part of the JSON contract's minimum
    encoding: str | None = None
    spam_spans: list[str] = field(default_factory=list)
    site_meta: dict[str, str] = field(default_factory=dict)  # the page's SiteIDCode, ColumnName, ContentSource …

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def metric_map(self) -> dict[tuple[str, str, str], Metric]:
        return {(m.table, m.row, m.col): m for m in self.metrics}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """The Report to_json() wrote (a distributed crawl's worker parses, the ingester stores)."""
        parts = {"sections": Section, "metrics": Metric, "checks": Check, "anomalies": Anomaly}
        return cls(**{**data, **{name: [kind(**item) for item in data.get(name, [])] for name, kind in parts.items()}})

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for metric in data["metrics"]:
            for optional in ("unit", "confidence"):
                if metric[optional] is None:
                    del metric[optional]
        return data
