"""nianbao's Datasette plugin: Chinese search for any length of query, and exports for Excel.

Registered through the package's `datasette` entry point, so `nianbao serve` (or plain `datasette`
in the same environment) loads it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response

from .export import csv_bytes, xlsx_bytes
from .search import match_expression

# table → (its search index, the column the index's rowids point at)
SEARCHABLE = {"sections": ("sections_search", "rowid"), "reports": ("reports_search", "id")}


@hookimpl(trylast=True)  # after Datasette's own search filter, so that ours sets supports_search
def filters_from_request(request, database, table, datasette):
    if table not in SEARCHABLE:
        return None
    index, key = SEARCHABLE[table]

    async def inner() -> FilterArguments | None:
        if index not in await datasette.get_database(database).table_names():
            return None
        query = request.args.get("_search", "").strip()
        context = {"supports_search": True, "search": query}
        expression = match_expression(query) if query else None
        if expression is None:
            return FilterArguments([], extra_context=context)
        return FilterArguments(
            [f"[{key}] in (select rowid from [{index}] where [{index}] match :nianbao_search)"],
            {"nianbao_search": expression},
            [f'search matches "{query}"'],
            context,
        )

    return inner


def _download(body: bytes, content_type: str, name: str) -> Response:
    return Response(body, content_type=content_type,
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{name}"})


def _name(table: str | None, query_name: str | None, database: str, suffix: str) -> str:
    return quote(f"{table or query_name or database}{suffix}")


def render_excel_csv(columns: list[str], rows: list[Any], table: str | None, query_name: str | None,
                     database: str) -> Response:
    body = csv_bytes(columns, [tuple(row) for row in rows])
    return _download(body, "text/csv; charset=utf-8", _name(table, query_name, database, ".csv"))


def render_xlsx(columns: list[str], rows: list[Any], table: str | None, query_name: str | None,
                database: str) -> Response:
    body = xlsx_bytes(columns, [tuple(row) for row in rows], table or query_name or database)
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _name(table, query_name, database, ".xlsx"))


@hookimpl
def register_output_renderer(datasette):
    return [
        {"extension": "excelcsv", "render": render_excel_csv},  # CSV with a BOM: opens right in Chinese Excel
        {"extension": "xlsx", "render": render_xlsx},
    ]
