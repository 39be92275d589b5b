"""Pure parsers: bytes or text in, a Report out. No I/O, no Scrapy, no SQLite."""

from __future__ import annotations

from .checks import run_checks
from .decode import DecodeError, decode
from .detect import detect_format
from .document import Document, Paragraph
from .flags import foreign_domains, is_damaged, is_government_host, looks_like_notice, strip_spam
from .formats import GOV_FORMATS, load_format
from .html import read_html
from .meta import issuer_from_title, pick_title, published_date, report_year
from .model import Check, Metric, Report, Section
from .plaintext import read_text
from .sections import split_sections
from .tables import extract_tables
from .text import normalize_label, to_simplified

__all__ = ["PARSER_VERSION", "Check", "DecodeError", "Metric", "Report", "Section", "parse", "parse_document", "source_type_of"]

PARSER_VERSION = "0.1.0"
_TRADITIONAL_RATIO = 0.02


def source_type_of(data: bytes, url: str | None = None, content_type: str | None = None) -> str:
    ctype = (content_type or "").lower()
    name = (url or "").lower().split("?")[0]
    if data.startswith(b"%PDF") or "pdf" in ctype or name.endswith(".pdf"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and (name.endswith(".docx") or "wordprocessingml" in ctype):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<div" in head or "html" in ctype:
        return "html"
    return "txt"


def parse(data: bytes, url: str | None = None, content_type: str | None = None) -> Report:
    """Parse one captured document. Raises DecodeError when it cannot be read as text."""
    source_type = source_type_of(data, url, content_type)
    if source_type in ("pdf", "docx", "doc"):
        raise DecodeError(f"{source_type} documents are not supported yet")
    text, encoding = decode(data, content_type)
    doc = read_html(text) if source_type == "html" else read_text(text)
    report = parse_document(doc, url)
    report.encoding = encoding
    if encoding.endswith("+replace"):
        report.flag("damaged_text")
        report.warn("some bytes could not be decoded and were replaced")
    return report


def _simplify(doc: Document, report: Report) -> Document:
    """Mirror sites serve traditional characters; the model is kept in simplified Chinese."""
    full = doc.full_text()
    simplified = to_simplified(full)
    changed = sum(1 for a, b in zip(full, simplified, strict=False) if a != b)
    if not full or changed / len(full) < _TRADITIONAL_RATIO:
        return doc
    report.flag("traditional_text")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            block.text = to_simplified(block.text)
        else:
            block.rows = [[type(c)(to_simplified(c.text), c.column, c.span_copy) for c in row] for row in block.rows]
    doc.title_candidates = [to_simplified(t) for t in doc.title_candidates]
    doc.title_hint = to_simplified(doc.title_hint) if doc.title_hint else None
    return doc


def _remove_spam(doc: Document, report: Report) -> None:
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            block.text, spans = strip_spam(block.text)
            report.spam_spans += spans
    if report.spam_spans:
        report.flag("spam_injection")


def parse_document(doc: Document, url: str | None = None) -> Report:
    report = Report(url=url, source_type=doc.source_type)
    doc = _simplify(doc, report)
    _remove_spam(doc, report)
    full_text = doc.full_text()
    report.title = pick_title(doc)
    report.report_year = report_year(report.title, full_text, report.warnings)
    report.published_date = published_date(doc, full_text)
    report.issuer = issuer_from_title(report.title)
    fmt, family, warnings = detect_format(normalize_label(full_text), report.report_year)
    report.format = fmt
    report.warnings += warnings
    if family and family != "prose":
        report.flag(family)
    report.sections = split_sections(doc, fmt)
    if fmt in GOV_FORMATS:
        extract_tables(doc, load_format(fmt), report)
        run_checks(report)
    if url and not is_government_host(url):
        report.flag("mirror_site")
    if any(d for d in foreign_domains(full_text)):
        report.flag("mirror_site")
    if is_damaged(full_text):
        report.flag("damaged_text")
    if looks_like_notice(report.title) or (report.title and not any(
            w in report.title for w in ("报告", "年报"))) and not report.sections[1:]:
        report.kind = "not_report"
    return report
