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


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        return _canonical(m.group(1))
    if m := _META_CHARSET.search(data[:4096]):
        return _canonical(m.group(1).decode("ascii", "ignore"))
    return None


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
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # A few broken bytes in an otherwise GBK page: keep the page, mark the damage.
    return data.decode("gb18030", "replace"), "gb18030+replace"
