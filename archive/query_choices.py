"""Canned queries whose parameters are chosen from lists: Datasette draws every parameter as a free-text box, so the
HTML of a canned query's page is rewritten, box by box, into a <select> of the values the database holds.

The lists are data, beside the query in metadata.yml:

    choices:
      year: {label: "年度 year", sql: "select value, label from …", empty: "全部年度 every year"}

`sql` answers (value, label) pairs; `empty`, when given, is a first choice of the empty value (Datasette runs the
page with empty parameters until the user chooses). `suggest: true` keeps the free-text box (a part of a name is a
valid answer) and offers the list as suggestions.
"""

from __future__ import annotations

import html as html_text
import re
from typing import Any

from .html_answers import rewrite_html

_BOX = re.compile(r'<label for="(qp\d+)">([^<]*)</label> <input type="text" id="qp\d+" name="([^"]+)" value="([^"]*)">')


def _options(options: list[tuple[str, str]], current: str) -> str:
    return "".join(f'<option value="{html_text.escape(value)}"{" selected" if value == current else ""}>'
                   f"{html_text.escape(label)}</option>" for value, label in options)


def _select(box_id: str, name: str, current: str, choice: dict[str, Any], rows: list[tuple[Any, Any]]) -> str:
    options = [("", choice["empty"])] if "empty" in choice else []
    options += [("" if value is None else str(value), str(label)) for value, label in rows]
    label = html_text.escape(f"{choice['label']} ({name})" if "label" in choice else name)
    head = f'<label for="{box_id}">{label}</label> '
    if choice.get("suggest"):
        return (head + f'<input type="text" id="{box_id}" name="{html_text.escape(name)}" '
                f'value="{html_text.escape(current)}" list="{box_id}-list">'
                f'<datalist id="{box_id}-list">{_options(options, "")}</datalist>')
    if current and current not in {value for value, _ in options}:
        options.append((current, current))  # a value typed into the URL stays visible, never silently replaced
    return head + f'<select id="{box_id}" name="{html_text.escape(name)}">{_options(options, current)}</select>'


async def with_choices(page: str, choices: dict[str, dict[str, Any]], db) -> str:
    """The page with each parameter box that has choices drawn as a list of them."""
    lists = {name: (await db.execute(choice["sql"])).rows for name, choice in choices.items()}

    def box(match: re.Match[str]) -> str:
        box_id, _label, name, value = match.groups()
        if name not in choices:
            return match.group(0)
        return _select(box_id, name, html_text.unescape(value), choices[name], [tuple(r) for r in lists[name]])

    return _BOX.sub(box, page)


def query_choices(app, datasette):
    """ASGI middleware: /{database}/{canned query} pages get their lists; everything else passes through."""

    async def wrapped(scope, receive, send):
        parts = scope.get("path", "").strip("/").split("/") if scope["type"] == "http" else []
        choices = None
        if len(parts) == 2 and parts[0] in datasette.databases and "." not in parts[1]:
            query = await datasette.get_canned_query(parts[0], parts[1], None)
            choices = (query or {}).get("choices")
        if not choices:
            await app(scope, receive, send)
            return

        async def rewrite(page: str) -> str:
            return await with_choices(page, choices, datasette.get_database(parts[0]))

        await rewrite_html(app, scope, receive, send, rewrite)

    return wrapped
