"""The formats' own arithmetic (勾稽关系), report-formats.md §7.

A report whose figures do not add up is data for researchers, not a parse failure: every rule
becomes a Check with pass / fail / blank and a detail that names the numbers.
"""

from __future__ import annotations

from .model import Anomaly, Check, Metric, Report
from .ocr import MIN_OCR_CONFIDENCE
from .text import parse_value

T3_COLUMNS = ("natural_person", "org_commercial", "org_research", "org_public_interest",
              "org_legal_services", "org_other", "total")
T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")
_OUTCOME_PARTS = {
    "gov2019": ("granted", "partial", *(f"withheld.{k}" for k in (
        "state_secret", "law_prohibited", "security_stability", "third_party_rights", "internal_affairs",
        "process_info", "enforcement_file", "admin_query")),
        "unable.not_held", "unable.needs_creation", "unable.unclear_after_correction",
        *(f"not_processed.{k}" for k in ("petition_complaint", "repeat", "publication", "excessive",
                                          "confirm_or_reissue")), "other"),
}
_OUTCOME_PARTS["gov2021"] = tuple(p for p in _OUTCOME_PARTS["gov2019"] if p != "other") + (
    "other.no_correction", "other.fee_unpaid", "other.misc")

Cells = dict[tuple[str, str, str], Metric]


def _fmt(metric: Metric) -> str:
    return "blank" if metric.value is None else f"{metric.value:g}"


def _named(metric: Metric) -> str:
    return f"{metric.row}.{metric.col}={_fmt(metric)}"


def balance(rule: str, scope: str, cells: Cells, left: list[tuple[str, str, str]],
            right: list[tuple[str, str, str]]) -> Check | None:
    """sum(left) == sum(right), blanks counted as 0; None when the cells were not extracted."""
    if any(key not in cells for key in left + right):
        return None
    lhs, rhs = [cells[k] for k in left], [cells[k] for k in right]
    describe = f"{' + '.join(map(_named, lhs))} = {' + '.join(map(_named, rhs))}"
    if all(m.value is None for m in lhs + rhs):
        return Check(rule, scope, "blank", f"all cells blank: {describe}")
    unread = [".".join(k[1:]) for k in left + right if cells[k].value is None and cells[k].source == "ocr"
              and (cells[k].confidence or 0.0) < MIN_OCR_CONFIDENCE]
    if unread:  # a figure OCR was unsure of is unknown, not 0: the rule cannot be judged
        return Check(rule, scope, "blank", f"not read by OCR: {', '.join(unread)}; {describe}")
    left_sum = sum(m.value or 0 for m in lhs)
    right_sum = sum(m.value or 0 for m in rhs)
    if len(lhs) == 1 and lhs[0].value is None and right_sum:
        return Check(rule, scope, "blank", f"blank_total: total is blank while its parts sum to {right_sum:g}; {describe}")
    if len(lhs) == 1 and left_sum and all(m.value is None for m in rhs):  # the reverse (§7): parts unknown, not 0
        return Check(rule, scope, "blank", f"blank_total: the parts are blank while the total is {left_sum:g}; {describe}")
    if abs(left_sum - right_sum) < 1e-9:
        return Check(rule, scope, "pass", f"{left_sum:g} vs {right_sum:g}: {describe}")
    # §7: a failure names its cells and the delta (the total's side less the parts')
    return Check(rule, scope, "fail", f"{left_sum:g} vs {right_sum:g}, off by {left_sum - right_sum:+g}: {describe}")


def _nonneg(rule: str, metrics: list[Metric], tables: tuple[str, ...], integers: bool) -> Check | None:
    relevant = [m for m in metrics if m.table in tables and m.source in ("table", "ocr")]
    if not relevant:
        return None
    bad = [m for m in relevant if m.value is not None and m.col != "items_change"
           and (m.value < 0 or (integers and m.value != int(m.value)))]
    # a cell with no figure is a figure too long to be one (kept as raw), never an empty or dashed cell (－, ／, ― …)
    bad += [m for m in relevant if m.value is None and m.source == "table" and parse_value(m.raw).kind == "absurd"]
    if not bad:
        return Check(rule, "all", "pass", f"{len(relevant)} cells")
    listed = ", ".join(f"{m.table}.{m.row}.{m.col}={m.raw!r}" for m in bad[:10])
    return Check(rule, "all", "fail", f"{len(bad)} of {len(relevant)} cells: {listed}")


# Legacy statistics tables: a total and its parts printed as 其中 rows (report-formats.md §7, L.* rules), per form.
# `whole`: the identity holds only over all its parts, so a table cut short (an excerpt, a page of a PDF) is not
# judged; the channels are summed over those present (a form may print fewer). The 2014 national form's replies
# count its eight kinds of answer, its denials six reasons, its reviews, suits and complaints three outcomes.
_CHANNELS = ("requests.in_person", "requests.fax", "requests.email", "requests.online", "requests.letter",
             "requests.other")
_OUTCOMES = ("upheld", "corrected", "other")
LegacySum = tuple[str, str, tuple[str, ...], bool]
LEGACY_SUMS: dict[str, tuple[LegacySum, ...]] = {
    "legacy_sh_stats": (
        ("L.requests_channels", "requests.total", _CHANNELS, False),
        ("L.replies_sum", "replies.total", ("replies.granted", "replies.partial", "replies.denied"), True),
        ("L.staff", "staff.total", ("staff.full_time", "staff.part_time"), False),
        ("L.replies_denied", "replies.denied", tuple(f"replies.denied.{k}" for k in (
            "state_secret", "commercial_secret", "privacy", "process_unstable", "security_stability", "law_other")),
         False),
        ("L.fees", "fees.total", ("fees.active_total", "fees.on_request_total"), False),
    ),
    "legacy_gb2014_stats": (
        ("L.requests_channels", "requests.total", _CHANNELS, False),
        ("L.requests_completed", "requests.completed", ("requests.completed_on_time", "requests.completed_extended"),
         True),
        ("L.replies_sum", "replies.total", tuple(f"replies.{k}" for k in (
            "already_public", "granted", "partial", "denied", "not_held", "not_exist", "change_supplement",
            "other_channel")), True),
        ("L.replies_denied", "replies.denied", tuple(f"replies.denied.{k}" for k in (
            "state_secret", "commercial_secret", "privacy", "security_stability", "not_gov_info", "law_other")), True),
        *((f"L.{case}_outcomes", f"{case}.total", tuple(f"{case}.{k}" for k in _OUTCOMES), True)
          for case in ("review", "litigation", "complaints")),
        ("L.staff", "staff.total", ("staff.full_time", "staff.part_time"), False),
    ),
}


def run_legacy_checks(report: Report) -> None:
    cells = report.metric_map()
    for table in sorted({m.table for m in report.metrics if m.table.startswith("legacy_") and m.source == "table"}):
        for rule, total, parts, whole in LEGACY_SUMS.get(table, ()):
            present = [p for p in parts if (table, p, "year_value") in cells]
            if (table, total, "year_value") not in cells or len(present) < (len(parts) if whole else 2):
                continue
            check = balance(rule, "year_value", cells, [(table, total, "year_value")],
                            [(table, p, "year_value") for p in present])
            if check is not None:
                report.checks.append(check)


def run_checks(report: Report) -> None:
    if report.format == "legacy":
        run_legacy_checks(report)
    if report.format not in _OUTCOME_PARTS:
        return
    cells = report.metric_map()
    app = "applications"
    found: list[Check | None] = []
    for col in T3_COLUMNS:
        found.append(balance("T3.balance", col, cells,
                             [(app, "new_received", col), (app, "carried_over", col)],
                             [(app, "outcome.total", col), (app, "carried_forward", col)]))
    # a 2021 report may print 2019's single （六）其他处理 row, a 2019 one 2021's three: sum the rows it has
    if (app, "outcome.other", "total") in cells:
        outcome_parts = _OUTCOME_PARTS["gov2019"]
    elif (app, "outcome.other.misc", "total") in cells:
        outcome_parts = _OUTCOME_PARTS["gov2021"]
    else:
        outcome_parts = _OUTCOME_PARTS[report.format]
    for col in T3_COLUMNS:
        found.append(balance("T3.outcome_total", col, cells, [(app, "outcome.total", col)],
                             [(app, f"outcome.{part}", col) for part in outcome_parts]))
    rows = sorted({m.row for m in report.metrics if m.table == app})
    for row in rows:
        found.append(balance("T3.row_total", row, cells, [(app, row, "total")],
                             [(app, row, col) for col in T3_COLUMNS[:-1]]))
    for row in T4_ROWS:
        found.append(balance("T4.total", row, cells, [("review_litigation", row, "total")],
                             [("review_litigation", row, part) for part in T4_PARTS]))
    found.append(_nonneg("T3.nonneg_int", report.metrics, (app, "review_litigation"), integers=True))
    found.append(_nonneg("T2.nonneg", report.metrics,
                         tuple(m.table for m in report.metrics if m.table.startswith("active_")), integers=False))
    report.checks.extend(c for c in found if c is not None)
    run_heuristics(report)


def run_heuristics(report: Report) -> None:
    """§7's heuristic rules within one report (usually true, broken sometimes: warn, never reject) as anomalies to
    read, not failed checks; the cross-year ones (X.carry, X.in_force) are the archive's cross_year_checks view.
    T2_2019.published_le_total: of a 第二十条第（一）项 row, the year's newly published are among all published."""
    if report.format != "gov2019":
        return
    cells = report.metric_map()
    for (table, row, col), new in cells.items():
        total = cells.get((table, row, "total_published"))
        if (table != "active_art20_1" or col != "new_published" or total is None or new.value is None
                or total.value is None or new.value <= total.value):
            continue
        report.anomalies.append(Anomaly(
            "T2_2019.published_le_total",
            f"{table}.{row}: new_published={_fmt(new)} is more than total_published={_fmt(total)}",
            {"key": f"{table}.{row}", "value": new.value, "other_value": total.value}))
