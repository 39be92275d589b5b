"""Chinese full-text search that finds words of any length, built on SQLite FTS5.

SQLite's tokenizers find nothing inside Chinese text (unicode61) or nothing under three characters
(trigram). So the index holds every pair of neighbouring characters as one token, plus the last
character of each run on its own; each character is written as 4 base-36 digits so that any FTS5
tokenizer keeps a token whole. A query of n ≥ 2 characters becomes the phrase of its n-1 pairs
(which matches exactly where the text contains the query); a query of one character becomes the
prefix query of that character, since every character of the text begins some token.
Whitespace between two Chinese characters (a common artefact of page layout) is ignored on both sides.
"""

from __future__ import annotations

import re

import sqlite_utils

# index table → (the table it indexes, the column its rowids are, the columns it holds)
SOURCES = {
    "sections_search": ("sections", "rowid", ("title", "text")),
    "reports_search": ("reports", "id", ("title", "issuer")),
}
# index table → SQL giving (rowid, *texts) of the source rows whose rowids are bound to the ?s
INDEXES = {index: f"select {key}, {', '.join(texts)} from {table} where {key} in ({{}})"
           for index, (table, key, texts) in SOURCES.items()}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_WIDTH = 4  # 36**4 > 0x10FFFF: every code point fits
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef])")


def _code(char: str) -> str:
    value, digits = ord(char), []
    for _ in range(_WIDTH):
        value, rest = divmod(value, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits))


class _Codes(dict):
    """code point → its 4-digit code, for str.translate: a text's codes in one C call, each character's worked out
    once (the per-character Python loop was a third of a crawl's time in the reactor thread)."""

    def __missing__(self, point: int) -> str:
        code = self[point] = _code(chr(point))
        return code


_CODES = _Codes()
# each pair of neighbouring codes, found in C (1.4× a slice per pair in Python, the same tokens on the corpus)
_PAIRS = re.compile(rf"(?=(.{{{2 * _WIDTH}}})).{{{_WIDTH}}}", re.S)


def normalize(text: str) -> str:
    """As LIKE compares: ASCII case folded; layout whitespace between Chinese characters removed."""
    return _CJK_GAP.sub("", text.lower())


def tokens(text: str) -> str:
    """The indexed form of a text: space-separated pair tokens, runs ended by a single-character token."""
    out: list[str] = []
    for run in normalize(text).split():
        codes = run.translate(_CODES)
        out += _PAIRS.findall(codes)
        out.append(codes[len(codes) - _WIDTH:])
    return " ".join(out)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query; None when there is nothing to search for."""
    parts = []
    for run in normalize(query).split():
        codes = [_code(c) for c in run]
        if len(codes) == 1:
            parts.append(f"{codes[0]}*")
        else:
            parts.append('"' + " ".join(a + b for a, b in zip(codes, codes[1:], strict=False)) + '"')
    return " AND ".join(parts) or None


# contentless: the index stores positions only, the text stays in its own table. prefix='4' also indexes every
# token's first character code, which a one-character query asks for: its p95 at 100,000 sections went from 185 to
# 9 ms, for a database a quarter larger (benchmarks/BENCHMARKS.md)
_INDEX_SQL = "create virtual table [{}] using fts5(tokens, content='', columnsize=0, prefix='4')"


def ensure_indexes(db: sqlite_utils.Database) -> None:
    """The indexes, created, or rebuilt from their tables when an older version made them without the prefix
    index."""
    for name, (table, key, _texts) in SOURCES.items():
        made = db.execute("select sql from sqlite_master where name = ?", [name]).fetchone()
        if made is not None and "prefix" in made[0]:
            continue
        with db.atomic():
            if made is not None:
                db.execute(f"drop table [{name}]")
            db.execute(_INDEX_SQL.format(name))
            if made is not None:
                add(db, name, [row[0] for row in db.execute(f"select {key} from {table}")])


def _indexed(db: sqlite_utils.Database, index: str, rowids: list[int]) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for chunk in range(0, len(rowids), 500):
        part = rowids[chunk:chunk + 500]
        sql = INDEXES[index].format(",".join("?" * len(part)))
        # each field tokenised on its own, so no match spans the end of one and the start of the next
        rows += [(rowid, " ".join(tokens(text or "") for text in texts)) for rowid, *texts in db.execute(sql, part)]
    return rows


def unindex(db: sqlite_utils.Database, index: str, rowids: list[int]) -> None:
    """Remove rows (before their source rows change): a contentless index needs the tokens they had."""
    db.conn.executemany(f"insert into [{index}] ([{index}], rowid, tokens) values ('delete', ?, ?)",
                        _indexed(db, index, rowids))


def add(db: sqlite_utils.Database, index: str, rowids: list[int]) -> None:
    db.conn.executemany(f"insert into [{index}] (rowid, tokens) values (?, ?)", _indexed(db, index, rowids))


def search_page(conn, query: str, offset: int = 0, size: int = 50) -> tuple[int, list[dict]]:
    """(How many sections match, one page of them with their reports), counted and paged on the index itself: the
    index holds exactly the sections' rowids, so no row of `sections` is read to count (5-10× faster than
    `rowid in (…)` on common words)."""
    expression = match_expression(query)
    if expression is None:
        return 0, []
    count = conn.execute("select count(*) from sections_search where sections_search match ?", [expression]).fetchone()[0]
    cursor = conn.execute(
        "select s.rowid, s.report_id, s.number, s.title, s.text, r.title as report_title, r.issuer, r.report_year "
        "from (select rowid from sections_search where sections_search match ? order by rowid limit ? offset ?) m "
        "join sections s on s.rowid = m.rowid left join reports r on r.id = s.report_id order by s.rowid",
        [expression, size, offset])
    names = [d[0] for d in cursor.description]
    return count, [dict(zip(names, row, strict=True)) for row in cursor]


def excerpt(text: str, query: str, around: int = 40) -> tuple[str, str, str]:
    """The words before, the match, and the words after, where the text first contains the query."""
    folded, wanted = normalize(text or ""), normalize(query).replace(" ", "")
    at = folded.find(wanted) if wanted else -1
    if at < 0:
        return (folded[: around * 2], "", "")
    return folded[max(0, at - around):at], folded[at:at + len(wanted)], folded[at + len(wanted):at + len(wanted) + around]
