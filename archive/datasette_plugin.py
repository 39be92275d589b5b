"""nianbao's Datasette plugin: Chinese search for any length of query, and exports for Excel.

Registered through the package's `datasette` entry point, so `nianbao serve` (or plain `datasette`
in the same environment) loads it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from .export import csv_bytes, xlsx_bytes
from .query_choices import query_choices
from .report_page import capture_row, compare_context, report_context, series_context
from .search import SOURCES, excerpt, match_expression, search_page
from .ui_language import chinese_pages
from .warc import read_record

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

        return query_choices(chinese_pages(hide_paths), datasette)

    return wrap


def _counts_without_indexes(db):
    """Datasette counts the rows of every table on each page; a contentless FTS5 index cannot be counted and
    logged an ERROR every time. Its count is the indexed table's: shown as unknown, never queried."""
    indexes = {index for index, _key in SEARCHABLE.values()}

    async def table_counts(limit: int = 10) -> dict[str, int | None]:
        counts: dict[str, int | None] = {}
        for table in await db.table_names():
            if table in indexes or table.startswith(tuple(f"{i}_" for i in indexes)):
                counts[table] = None
                continue
            try:
                counts[table] = (await db.execute(f"select count(*) from [{table}]", custom_time_limit=limit)).rows[0][0]
            except (QueryInterrupted, sqlite3.DatabaseError):
                counts[table] = None
        return counts

    return table_counts


@hookimpl
def startup(datasette):
    for db in datasette.databases.values():
        if not db.is_memory:
            db.table_counts = _counts_without_indexes(db)


# table → (its search index, the column the index's rowids point at)
SEARCHABLE = {table: (index, key) for index, (table, key, _texts) in SOURCES.items()}


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


# ---------------------------------------------------------------- the report page and the archived original

_TEMPLATES = Path(__file__).parent / "datasette"
# Archived HTML is shown as it was received, with everything active switched off
_SANDBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _template(datasette, name: str):
    return datasette.jinja_env.from_string((_TEMPLATES / name).read_text("utf-8"))


async def _page(datasette, request, name: str, context: dict[str, Any]) -> Response:
    return Response.html(await datasette.render_template(_template(datasette, name), context, request=request))


async def report_view(datasette, request) -> Response:
    db = datasette.get_database()
    report_id = int(request.url_vars["report_id"])
    context = await db.execute_fn(lambda conn: report_context(conn, report_id))
    if context is None:
        return Response.html(await datasette.render_template("error.html", {"title": "Error 404", "status": 404,
                             "error": f"没有报告 {report_id} · no report {report_id}"}, request=request), status=404)
    return await _page(datasette, request, "report.html", {**context, "r": context["report"], "database": db.name})


async def _capture(datasette, request) -> tuple[dict[str, Any] | None, Path | None]:
    capture_id = int(request.url_vars["capture_id"])
    row = await datasette.get_database().execute_fn(lambda conn: capture_row(conn, capture_id))
    archive = (datasette.plugin_config("nianbao") or {}).get("archive")
    return row, Path(archive) if archive else None


async def capture_view(datasette, request) -> Response:
    row, archive = await _capture(datasette, request)
    if row is None:
        return Response.text("Not found", status=404)
    html = "html" in (row["content_type"] or "")
    raw_url = f"/-/nianbao/capture/{row['id']}/raw" if row["warc_file"] and archive else None
    return await _page(datasette, request, "capture.html", {"c": row, "raw_url": raw_url, "html": html})


async def capture_raw(datasette, request) -> Response:
    row, archive = await _capture(datasette, request)
    if row is None or not row["warc_file"] or archive is None:
        return Response.text("Not found", status=404)
    try:
        stored = read_record(archive, row["warc_file"], row["warc_offset"])
    except (OSError, ValueError) as error:
        return Response.text(f"the archived record cannot be read: {error}", status=404)
    content_type = row["content_type"] or "application/octet-stream"
    headers = {"content-security-policy": _SANDBOX_CSP, "x-content-type-options": "nosniff",
               "x-nianbao-sha256": row["sha256"] or "", "x-nianbao-fetched-at": row["fetched_at"] or ""}
    if "html" not in content_type and not content_type.startswith("text/"):
        # a document the crawl made (a report's pictures as one PDF) is named by its URL's fragment
        address = urlsplit(row["url"])
        name = Path(address.fragment or address.path).name or f"capture-{row['id']}"
        headers["content-disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(stored.body, content_type=content_type, headers=headers)


_REPORT_COLUMNS = {"report_id", "other_report_id", "previous_report_id"}
_CAPTURE_COLUMNS = {"capture_id", "content_capture_id"}


@hookimpl
def render_cell(value, column, table, row):
    """From any figure, check, anomaly or search hit, one click to its report page; from a capture id, its original."""
    if table == "reports" and column == "title" and value:
        return Markup('<a href="/-/nianbao/report/{}" title="报告页 report page">{}</a>').format(row["id"], value)
    if table == "captures" and column == "url" and value:
        return Markup('<a href="/-/nianbao/capture/{}" title="存档原件 archived original">{}</a>').format(row["id"], value)
    label = None
    if isinstance(value, dict) and "value" in value:  # a foreign key Datasette expanded to its label
        value, label = value["value"], value.get("label")
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if column in _REPORT_COLUMNS:
        target, title = f"/-/nianbao/report/{value}", "报告页 report page"
    elif column in _CAPTURE_COLUMNS:
        target, title = f"/-/nianbao/capture/{value}", "存档原件 archived original"
    else:
        return None
    return Markup('<a href="{}" title="{}">{}</a>').format(target, title, label or value)


SEARCH_PAGE = 50


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


async def compare_view(datasette, request) -> Response:
    label_id, year = _int(request.args.get("figure")), _int(request.args.get("year"))
    db = datasette.get_database()
    context = await db.execute_fn(lambda conn: {**compare_context(conn, label_id, year), **series_context(conn, None)})
    return await _page(datasette, request, "compare.html", context)


async def series_view(datasette, request) -> Response:
    issuer_key = request.args.get("issuer") or None
    context = await datasette.get_database().execute_fn(lambda conn: series_context(conn, issuer_key))
    return await _page(datasette, request, "series.html", context)


async def search_view(datasette, request) -> Response:
    query = (request.args.get("q") or "").strip()[:100]
    offset = max(0, _int(request.args.get("offset")) or 0)
    db = datasette.get_database()
    count, rows = await db.execute_fn(lambda conn: search_page(conn, query, offset, SEARCH_PAGE)) if query else (0, [])
    hits = [{**row, "parts": excerpt(row["text"], query)} for row in rows]
    return await _page(datasette, request, "search.html", {
        "q": query, "count": count, "hits": hits, "offset": offset, "size": SEARCH_PAGE,
        "next_offset": offset + SEARCH_PAGE if offset + SEARCH_PAGE < count else None})


@hookimpl
def register_routes():
    return [
        (r"^/-/nianbao/search$", search_view),
        (r"^/-/nianbao/compare$", compare_view),
        (r"^/-/nianbao/series$", series_view),
        (r"^/-/nianbao/report/(?P<report_id>\d+)$", report_view),
        (r"^/-/nianbao/capture/(?P<capture_id>\d+)$", capture_view),
        (r"^/-/nianbao/capture/(?P<capture_id>\d+)/raw$", capture_raw),
    ]
