"""Normalisation of labels and cell values (report-formats.md §8.1 and §9)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

import opencc

from .budget import MAX_DIGITS

_WHITESPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'"})
# After t2s, words that Taiwan-phrase conversion on mirror sites rewrote (report-formats.json).
_WORD_MAP = (("档案", "文件"), ("程式", "程序"), ("其它", "其他"))
CN_NUMERALS = "一二三四五六七八九十"
ENUMERATOR = re.compile(
    rf"^(?:(?P<cn>[{CN_NUMERALS}]+)[、.,]|\((?P<cnp>[{CN_NUMERALS}]+)\)|(?P<d>\d{{1,2}})[.、,](?!\d)|\((?P<dp>\d{{1,2}})\))"
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def fold(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and one quote style; keeps spacing."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def squeeze(text: str) -> str:
    return _WHITESPACE.sub("", text)


def normalize_label(text: str) -> str:
    """The matching form of a label: folded, simplified, without any whitespace."""
    label = squeeze(fold(to_simplified(text)))
    for old, new in _WORD_MAP:
        label = label.replace(old, new)
    return label


class Label(NamedTuple):  # a tuple: labels are dictionary keys in every table lookup, hashed in C
    enumerator: str | None  # "三", "(三)", "1" … normalised; None when unnumbered
    body: str


@lru_cache(maxsize=65536)
def split_label(text: str) -> Label:
    label = normalize_label(text)
    m = ENUMERATOR.match(label)
    if not m:
        return Label(None, label)
    if m.group("cn"):
        enum = m.group("cn")
    elif m.group("cnp"):
        enum = f"({m.group('cnp')})"
    else:
        enum = m.group("d") or f"({m.group('dp')})"
    return Label(enum, label[m.end():])


def strip_annotation(body: str) -> str:
    """Drop trailing parenthetical notes provinces add to labels: 规章(设区的市…) → 规章."""
    while body.endswith(")") and "(" in body:
        depth, index = 0, len(body) - 1
        while index >= 0:
            if body[index] == ")":
                depth += 1
            elif body[index] == "(":
                depth -= 1
                if depth == 0:
                    break
            index -= 1
        if index <= 0:
            break
        body = body[:index]
    return body


# ---------------------------------------------------------------- values (§9)

_BLANKS = {"", "-", "—", "–", "－", "―", "/", "\\", "无", "--", "——", "空", "×"}
_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
                     r"(?P<unit>万元|元|件|条|个|项|人次|次)?$")


@dataclass(frozen=True)
class CellValue:
    value: int | float | None
    raw: str
    kind: str  # number | blank | dash | unparsed | absurd (a number too long to be a figure: kept as raw text)
    unit: str | None = None

    @property
    def is_figure(self) -> bool:
        return self.kind in ("number", "absurd")


@lru_cache(maxsize=65536)  # the same labels and small figures fill every report's tables
def parse_value(raw: str) -> CellValue:
    """Parse one table cell per the value grammar of report-formats.md §9."""
    stripped = raw.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= MAX_DIGITS:  # the common case, as it is
        return CellValue(int(stripped), stripped, "number")
    text = squeeze(fold(raw))
    if text == "":
        return CellValue(None, raw.strip(), "blank")
    if text in _BLANKS or set(text) <= set("-—–/"):
        return CellValue(None, raw.strip(), "dash")
    m = _NUMBER.match(text)
    if not m:
        return CellValue(None, raw.strip(), "unparsed")
    digits = m.group("num").replace(",", "")
    if len(digits) > MAX_DIGITS:
        return CellValue(None, raw.strip(), "absurd")
    unit = m.group("unit")
    unit = unit if unit in ("元", "万元") else None
    if m.group("frac") is not None:
        try:
            number: int | float = float(Decimal(f"{digits}.{m.group('frac')}"))
        except InvalidOperation:
            return CellValue(None, raw.strip(), "unparsed")
    else:
        number = int(digits)
    if m.group("sign") == "-":
        number = -number
    return CellValue(number, raw.strip(), "number", unit)

