"""Format detection from content, the report year only as a fallback (report-formats.md §1)."""

from __future__ import annotations

from .formats import definitions
from .text import normalize_label

# Labels only the 2019 and 2021 tables 3 and 4 print: a page from the middle of a report (a table's tail, the next
# table's head, no title) still names its format; no pre-2019 page of the corpus has one (信访举报投诉类申请 would
# also match the 2014 statistics table's 举报投诉).
_TABLE3_MARKERS = ("本年新收政府信息公开申请数量", "本年度办理结果", "本机关不掌握相关政府信息", "没有现成信息需要另行制作",
                   "补正后申请内容仍不明确", "要求行政机关确认或重新出具已获取信息", "未经复议直接起诉")
_TABLE3_2021_ROWS = ("逾期不补正", "逾期未按收费通知")
_POST_2019_OUTLINE = ("总体情况", "收到和处理政府信息公开申请情况")
# Sections the 2019 and 2021 outlines no longer have: a later report written in the old structure.
_LEGACY_OUTLINE = ("收费及减免", "概述", "不予公开政府信息的情况", "申诉")


def _variants(markers: list[str]) -> list[str]:
    """Each marker as printed and with ASCII punctuation: the text is not folded (too slow on whole pages)."""
    return sorted({form for m in markers for form in (m, normalize_label(m))})


def _markers(fmt: str) -> list[str]:
    return _variants(definitions()["formats"][fmt]["detect"].get("any_of", []))


def detect_format(normalized_text: str, report_year: int | None) -> tuple[str, str | None, list[str]]:
    """Return (format, legacy family or None, warnings) for the report text without whitespace."""
    text = normalized_text
    warnings: list[str] = []
    if any(m in text for m in _markers("gov2021")):
        return "gov2021", None, warnings
    if any(m in text for m in _markers("gov2019")):
        return "gov2019", None, warnings
    if any(m in text for m in _TABLE3_MARKERS):
        if any(m in text for m in _TABLE3_2021_ROWS):
            return "gov2021", None, warnings
        if report_year is not None and report_year >= 2021:
            return "gov2021", None, warnings
        return "gov2019", None, warnings
    if report_year is not None and report_year >= 2019:
        fmt = "gov2021" if report_year >= 2021 else "gov2019"
        if not any(m in text for m in _POST_2019_OUTLINE):
            if any(m in text for m in _LEGACY_OUTLINE):
                warnings.append(f"report year {report_year} written in the pre-2019 structure (no standard tables)")
                return "legacy", "prose", warnings
            warnings.append(f"report year {report_year} but no post-2019 outline: tables may be in an "
                            f"attachment, or the report is written in the pre-2019 structure")
        return fmt, None, warnings
    families = definitions()["formats"]["legacy"]["detect"]["families"]
    for family, spec in families.items():
        if any(m in text for m in _variants(spec.get("any_of", []))):
            return "legacy", family, warnings
    return "legacy", "prose", warnings
