"""nianbao's Datasette plugin: Chinese search for any length of query, and exports for Excel.

Registered through the package's `datasette` entry point, so `nianbao serve` (or plain `datasette`
in the same environment) loads it.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

from .export import csv_bytes, xlsx_bytes
from .search import match_expression

# A public instance answers anyone: no value may grow past this, and all queries together stay under the heap limit
# (4 concurrent zeroblob(1e9) queries took 6.3 GB before).
MAX_VALUE_BYTES = 32 * 1024 * 1024
HEAP_LIMIT_BYTES = 768 * 1024 * 1024
# Routes that show the server's absolute database path
_PATH_ROUTES = ("/-/databases", "/-/databases.json")


def _no_pointer(*_args: object) -> None:
    """fts3_tokenizer() answers NULL here: never a heap address."""
    return None


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute(f"pragma hard_heap_limit = {HEAP_LIMIT_BYTES}")
    # fts3_tokenizer('simple') returns a heap pointer: an address-space leak to anyone with a SQL box
    for arity in (1, 2):
        conn.create_function("fts3_tokenizer", arity, _no_pointer)


@hookimpl
def handle_exception(datasette, request, exception):
    """A request that names what is not there is the asker's error, not the server's: 404 or 400, never 500."""
    if isinstance(exception, sqlite3.ProgrammingError) and "binding parameter" in str(exception):
        status, message = 404, "No such row: the key has fewer parts than the table's primary key"
    elif isinstance(exception, DatasetteError) and exception.status == 500 and str(exception).startswith("Cannot sort"):
        status, message = 400, str(exception)
    else:
        return None

    async def inner():
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": message, "status": status}, status=status)
        return Response.html(await datasette.render_template("error.html", {"title": f"Error {status}", "error": message,
                                                                            "status": status}, request=request),
                             status=status)

    return inner


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hide_paths(scope, receive, send):
            if scope["type"] == "http" and scope.get("path", "").rstrip("/") in _PATH_ROUTES:
                await Response.text("Not found", status=404).asgi_send(send)
                return
            await app(scope, receive, send)

        return hide_paths

    return wrap


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
