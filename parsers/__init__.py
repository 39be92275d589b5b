"""Pure parsers: bytes or text in, a Report out. No I/O, no Scrapy, no SQLite."""

from __future__ import annotations

import re
from dataclasses import replace

from .checks import run_checks
from .consistency import text_against_tables
from .convert import OLE_MAGIC, ole_kind, to_docx
from .decode import DecodeError, decode
from .detect import detect_format
from .document import Document, Paragraph
from .docx import read_docx
from .flags import (
    cjk_count,
    foreign_domains,
    has_pinyin,
    has_spam,
    is_damaged,
    is_government_host,
    looks_like_notice,
    strip_pinyin,
    strip_spam,
)
from .formats import GOV_FORMATS, load_format
from .html import read_html
from .legacy_tables import extract_legacy_tables
from .meta import address_title, full_name, issuer_from_text, issuer_from_title, pick_title, published_date, report_year
from .model import Check, Metric, Report, Section
from .ocr import read_image
from .pdf import read_pdf
from .places import with_place
from .plaintext import read_text
from .prose import extract_prose
from .sections import split_sections
from .tables import extract_tables
from .text import fold, squeeze, to_simplified
from .xlsx import read_xlsx

__all__ = ["PARSER_VERSION", "Check", "DecodeError", "Metric", "Report", "Section", "parse", "parse_document", "source_type_of"]

PARSER_VERSION = "0.1.0"
_TRADITIONAL_RATIO = 0.02
_TRADITIONAL_SAMPLE = 6000
_HEAD_CHARS = 8000
_LIST_LINK_RATIO = 0.5  # more link text than body text: a list page
_MIN_REPORT_CHARS = 80  # less Chinese text than this: an empty, error or challenge page
# what a report calls itself; older ones also "…政府信息公开工作情况" or "…工作总结", with or without 报告
_REPORT_WORDS = re.compile(r"年度报告|年报|本报告|工作报告|报告如下|信息公开工作(?:情况|总结)|信息公开情况(?:报告|如下)")
_TAIL_CHARS = 400
# JPEG, PNG, TIFF (both byte orders): photos and scans of report pages
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")


def source_type_of(data: bytes, url: str | None = None, content_type: str | None = None) -> str:
    ctype = (content_type or "").lower()
    name = (url or "").lower().split("?")[0]
    if data.startswith(b"%PDF") or (("pdf" in ctype or name.endswith(".pdf")) and data.lstrip()[:1] != b"<"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and (b"word/" in data[:4096] or b"word/" in data[-65536:]):
        return "docx"
    if data.startswith(b"PK\x03\x04") and (b"xl/" in data[:4096] or b"xl/" in data[-65536:]):
        return "xlsx"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(OLE_MAGIC):
        kind = ole_kind(data)
        return "wps" if kind == "doc" and name.endswith(".wps") else kind
    head = data[:2048].lower()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM: look at the text, not the bytes
        head = data[:4096].decode("utf-16", "ignore").lower().encode("utf-8")
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<div" in head or "html" in ctype:
        return "html"
    return "txt"


def parse(data: bytes, url: str | None = None, content_type: str | None = None,
          content_selector: str | None = None) -> Report:
    """Parse one captured document. Raises DecodeError when it cannot be read as text.

    content_selector: CSS selector of the report body on HTML pages (a per-portal hint of the registry).
    """
    source_type = source_type_of(data, url, content_type)
    encoding = None
    if source_type == "pdf":
        doc = read_pdf(data)
    elif source_type == "docx":
        doc = read_docx(data)
    elif source_type == "xlsx":
        doc = read_xlsx(data)
    elif source_type == "image":
        doc = read_image(data)
    elif source_type in ("doc", "wps"):
        doc = read_docx(to_docx(data, source_type))
        doc.source_type = source_type
    elif source_type == "xls":
        raise DecodeError("Excel 97-2003 (.xls) workbooks are not read yet: save as XLSX")
    else:
        text, encoding = decode(data, content_type)
        doc = read_html(text, content_selector) if source_type == "html" else read_text(text)
    report = parse_document(doc, url)
    report.encoding = encoding
    if doc.scanned:
        report.flag("scanned")
    for warning in doc.warnings:
        report.warn(warning)
    if doc.ocr:
        report.flag("ocr")
        # OCR'd text says so for every figure, prose included; a failing check may be a misreading
        for metric in report.metrics:
            if metric.source == "prose":
                metric.source = "ocr"
        if any(c.status == "fail" for c in report.checks):
            report.flag("ocr_suspect")
    if encoding and encoding.endswith("+replace"):
        report.flag("damaged_text")
        report.warn("some bytes could not be decoded and were replaced")
    return report


def _simplify(doc: Document, text: str, report: Report) -> bool:
    """Mirror sites serve traditional characters; the model is kept in simplified Chinese."""
    sample = text[:_TRADITIONAL_SAMPLE]
    simplified = to_simplified(sample)
    # most pages are simplified already: the character-by-character count (a third of a millisecond) is not needed
    changed = 0 if simplified == sample else sum(map(str.__ne__, sample, simplified))
    if not sample or changed / len(sample) < _TRADITIONAL_RATIO:
        return False
    report.flag("traditional_text")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            block.text = to_simplified(block.text)
        else:
            block.rows = [[replace(c, text=to_simplified(c.text)) for c in row] for row in block.rows]
    doc.title_candidates = [to_simplified(t) for t in doc.title_candidates]
    doc.title_hint = to_simplified(doc.title_hint) if doc.title_hint else None
    return True


def _remove_spam(doc: Document, text: str, report: Report) -> bool:
    """Gambling spam and pinyin annotations injected by mirror sites: removed, and kept as evidence."""
    spam, pinyin = has_spam(text), has_pinyin(text)
    if not (spam or pinyin):
        return False
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if pinyin:
                block.text, removed = strip_pinyin(block.text)
                if removed:
                    report.flag("pinyin_injection")
            if spam:
                block.text, spans = strip_spam(block.text)
                report.spam_spans += spans
        elif pinyin:
            block.rows = [[replace(c, text=strip_pinyin(c.text)[0]) for c in row] for row in block.rows]
    doc.title_candidates = [strip_spam(strip_pinyin(t)[0])[0] for t in doc.title_candidates]
    if report.spam_spans:
        report.flag("spam_injection")
    return True


def kind_of(report: Report, doc: Document, text: str) -> str:
    """report, or not_report for notices about writing reports, interpretations, list and challenge pages."""
    if looks_like_notice(report.title):
        return "not_report"
    if doc.link_ratio > _LIST_LINK_RATIO or cjk_count(text) < _MIN_REPORT_CHARS:
        return "not_report"
    outline = [s.key for s in report.sections if s.number and s.key]
    if not _REPORT_WORDS.search(f"{report.title or ''}\n{text[:_HEAD_CHARS]}") and not report.metrics and not outline:
        return "not_report"
    return "report"


def parse_document(doc: Document, url: str | None = None) -> Report:
    report = Report(url=url, source_type=doc.source_type, site_meta=doc.site_meta)
    if title := address_title(url):
        doc.title_candidates.append(title)
    text = doc.full_text()
    if _simplify(doc, text, report):
        text = doc.full_text()
    if _remove_spam(doc, text, report):
        text = doc.full_text()
    # Metadata sits in the preamble and the signature: fold (full-width → ASCII) just those.
    head, tail = fold(text[:_HEAD_CHARS]), fold(text[-_TAIL_CHARS:])
    report.title, printed_title = pick_title(doc)
    report.report_year = report_year(report.title, head, report.warnings)
    report.published_date = published_date(doc, head, tail)
    report.issuer = with_place(full_name(issuer_from_title(report.title, printed_title) or issuer_from_text(head), head),
                               url, head)
    fmt, family, warnings = detect_format(squeeze(text), report.report_year)
    report.format = fmt
    report.warnings += warnings
    if family and family != "prose":
        report.flag(family)
    report.sections = split_sections(doc, fmt)
    if fmt in GOV_FORMATS:
        extract_tables(doc, load_format(fmt), report)
        text_against_tables(report)
    else:
        extract_legacy_tables(doc, family, report)
        extract_prose(report)
    run_checks(report)
    if url and not is_government_host(url):
        report.flag("mirror_site")
    if foreign_domains(text):
        report.flag("mirror_site")
    if is_damaged(text):
        report.flag("damaged_text")
    report.kind = kind_of(report, doc, text)
    return report
