"""Datasette's pages in Chinese, English a click away: an ASGI wrapper that rewrites the interface text of the HTML
pages Datasette renders (headings, buttons, facets, pagination), from the table in datasette/ui-zh.json.

Only whole text nodes and button values that Datasette's own templates print are replaced, so figures, titles and
other data in a page are never touched. `?_lang=en` (remembered in a cookie) shows Datasette's English, `?_lang=zh`
Chinese again; the project's own pages (/-/nianbao/…) are bilingual already and pass through.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from .html_answers import rewrite_html

TABLE = Path(__file__).parent / "datasette" / "ui-zh.json"
COOKIE = "nianbao_lang"
_TEXT_NODE = re.compile(r">([^<>]+)<")
_VALUE = re.compile(r'(<(?:input|button)[^>]*\bvalue=")([^"]+)(")')
_OPTION = re.compile(r"(<option[^>]*>)([^<]+)(</option>)")
# Where a page shows data, not interface: table cells, the SQL editor, the schema
_DATA = re.compile(r"<td\b[^>]*>.*?</td>|<textarea\b[^>]*>.*?</textarea>|<pre\b[^>]*>.*?</pre>", re.S)
_BODY = re.compile(r"<body[^>]*>")


@dataclass(frozen=True)
class Wording:
    """ui-zh.json, compiled: whole text nodes, metadata labels a text starts with, regular expressions over text
    nodes, choices of lists, and button values."""
    texts: dict[str, str]
    prefixes: dict[str, str]
    labels: re.Pattern[str]
    patterns: list[tuple[re.Pattern[str], str]]
    options: dict[str, str]
    attrs: dict[str, str]


@lru_cache(maxsize=1)
def wording() -> Wording:
    data = json.loads(TABLE.read_text("utf-8"))
    labels = re.compile(r"^(\s*(?:&middot;\s*)?)(" + "|".join(map(re.escape, data["prefix"])) + ")")
    return Wording(data["text"], data["prefix"], labels, [(re.compile(p, re.S), zh) for p, zh in data["pattern"]],
                   data["option"], data["attr"])


def _text(match: re.Match[str]) -> str:
    words = wording()
    raw = match.group(1)
    if labelled := words.labels.match(raw):  # the label of metadata (license, source) before its text
        return ">" + labelled.group(1) + words.prefixes[labelled.group(2)] + raw[labelled.end():] + "<"
    core = raw.strip()
    if not core or re.search(r"[\u4e00-\u9fff]", core):
        return match.group(0)
    if core in words.texts:
        return ">" + raw.replace(core, words.texts[core]) + "<"
    normal = re.sub(r"\s+", " ", core)
    for pattern, zh in words.patterns:
        if pattern.match(normal):
            return ">" + raw.replace(core, pattern.sub(zh, normal)) + "<"
    return match.group(0)


def translate(html: str, path_and_query: str) -> str:
    """The page with Datasette's interface in Chinese, and a link to the same page in English."""
    words = wording()
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    html = _DATA.sub(keep, html)
    html = _OPTION.sub(lambda m: m.group(1) + words.options.get(m.group(2).strip(), m.group(2)) + m.group(3), html)
    html = _TEXT_NODE.sub(_text, html)
    html = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], html)
    html = _VALUE.sub(lambda m: m.group(1) + words.attrs.get(m.group(2), m.group(2)) + m.group(3), html)
    html = html.replace('<html lang="en">', '<html lang="zh-CN">', 1)
    return with_switch(html, path_and_query, "en", "English")


def with_switch(html: str, path_and_query: str, lang: str, label: str) -> str:
    """A link at the top of the page to the same page in the other language."""
    target = re.sub(r"[?&]_lang=\w+", "", path_and_query)
    joiner = "&" if "?" in target else "?"
    link = (f'<div class="nb-lang" style="float:right;padding:0.3em 1em;font-size:0.85em">'
            f'<a href="{target}{joiner}_lang={lang}">{label}</a></div>')
    return _BODY.sub(lambda m: m.group(0) + link, html, count=1)


def wants_english(scope: dict) -> tuple[bool, str | None]:
    """(English?, the cookie to set when the query asks for a language)."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("_lang", [None])[0]
    if asked in ("en", "zh"):
        return asked == "en", asked
    cookies = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookies.load(value.decode("latin-1"))
    return COOKIE in cookies and cookies[COOKIE].value == "en", None


def chinese_pages(app):
    """ASGI middleware: HTML answers of Datasette's own pages are translated unless English was asked for."""

    async def wrapped(scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or path.startswith(("/-/nianbao/", "/-/static")):
            await app(scope, receive, send)
            return
        english, chosen = wants_english(scope)
        query = scope.get("query_string", b"").decode("latin-1")
        path_and_query = path + (f"?{query}" if query else "")

        async def rewrite(html: str) -> str:
            return with_switch(html, path_and_query, "zh", "中文") if english else translate(html, path_and_query)

        await rewrite_html(app, scope, receive, send, rewrite, _cookie(chosen))

    return wrapped


def _cookie(chosen: str | None) -> list[tuple[bytes, bytes]]:
    """The header remembering the language asked for, if one was."""
    if chosen is None:
        return []
    return [(b"set-cookie", f"{COOKIE}={chosen}; Path=/; Max-Age=31536000; SameSite=Lax".encode())]
