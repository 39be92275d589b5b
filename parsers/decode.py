"""Bytes → text for Chinese portal pages, whatever the page claims about itself.

Real portals serve GBK bodies labelled UTF-8 and the reverse, so a declaration is only a hint:
strict UTF-8 is tried first (GBK bytes almost never form valid UTF-8), then the declared
charset, then GB18030 (a superset of GB2312 and GBK).
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)

# Declared Chinese charsets are read as their superset so that rare characters survive.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "big5": "big5hkscs"}


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def _canonical(name: str) -> str | None:
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


# Single-byte charsets decode any bytes without error: a label a Chinese portal's server gives by default
# (ISO-8859-1, windows-1252), never the page's encoding. Such a label is no evidence.
_NO_EVIDENCE = re.compile(r"^(?:latin|iso8859|iso-8859|cp125|windows-125|ascii|us-ascii|mac)", re.I)
# The commonest characters of reports, in both scripts: which of GB18030 and Big5 reads the bytes as Chinese.
_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
              "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然"
              "前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系"
              "军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别"
              "她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信息报告申请复议诉讼办理情况開會發們這國對說時來過還經"
              "報資訊請處義與為")


def _usable(name: str | None) -> str | None:
    return name if name and not _NO_EVIDENCE.match(name) else None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    if content_type and (m := _HEADER_CHARSET.search(content_type)) and (found := _usable(_canonical(m.group(1)))):
        return found
    if m := _META_CHARSET.search(data[:4096]):
        return _usable(_canonical(m.group(1).decode("ascii", "ignore")))
    return None


def _chinese_score(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON)


def _best_cjk(data: bytes, first: str, text: str) -> tuple[str, str]:
    """GB18030 reads Big5 bytes without error (and Big5 much of GBK): the reading with more common Chinese wins."""
    other = "big5hkscs" if first == "gb18030" else "gb18030"
    try:
        alternative = data.decode(other)
    except UnicodeDecodeError:
        return text, first
    sample = slice(0, 20000)
    if _chinese_score(alternative[sample]) > _chinese_score(text[sample]) * 1.5:
        return alternative, other
    return text, first


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises DecodeError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    if b"\x00" in data[:2048]:
        raise DecodeError("binary data (NUL bytes), not a text document")
    candidates = ["utf-8"]
    declared = declared_charset(data, content_type)
    if declared and declared not in candidates:
        candidates.append(declared)
    candidates += [c for c in ("gb18030", "big5hkscs") if c not in candidates]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _best_cjk(data, encoding, text) if encoding in ("gb18030", "big5hkscs") else (text, encoding)
    # A few broken bytes in an otherwise GBK page: keep the page, mark the damage.
    return data.decode("gb18030", "replace"), "gb18030+replace"
