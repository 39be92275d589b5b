"""`nianbao`: the one command line in front of the crawler, the parsers and the archive."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

DEFAULT_DB = "data/nianbao.db"
DEFAULT_ARCHIVE = "data/archive"


class CommandError(Exception):
    """A command that cannot run as asked: one line on stderr, and its exit status (2 unless said)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def existing_database(path: str) -> str:
    """Commands that read a database refuse a path with none, the same way (never create an empty one)."""
    if not Path(path).is_file():
        raise CommandError(f"no database at {path}: run `nianbao crawl` or `nianbao demo` first")
    return path


def _portals(args: argparse.Namespace) -> list:
    from .registry import RegistryError, load_registry

    try:
        portals = load_registry(args.portals)
    except (RegistryError, OSError) as error:
        raise CommandError(str(error)) from error
    if args.portal:
        wanted = set(args.portal)
        unknown = wanted - {p.id for p in portals}
        if unknown:
            raise CommandError(f"no portal with id {', '.join(sorted(unknown))}")
        portals = [p for p in portals if p.id in wanted]
    return portals


def _run_crawl(args: argparse.Namespace, portals: list, command: str):
    from .run import CrawlLocked, run_crawl
    from .settings import DEFAULT_DELAY

    delay = DEFAULT_DELAY if args.delay is None else args.delay
    try:
        return run_crawl(portals, args.db, args.archive, delay=delay, progress=not args.quiet, command=command,
                         extra_settings={"DOWNLOAD_TIMEOUT": args.timeout}, recheck=getattr(args, "recheck", False))
    except CrawlLocked as error:
        raise CommandError(f"{error}; not started", status=1) from error


def _crawl(args: argparse.Namespace) -> int:
    if args.frontier:
        return _crawl_worker(args)
    summary = _run_crawl(args, _portals(args), "crawl")
    print(summary.render())
    if summary.failed:
        raise CommandError(f"crawl {summary.crawl_id} {summary.status}; what was stored before is kept", status=1)
    if args.fail_on_regression and summary.unhealthy:
        raise CommandError(f"{len(summary.unhealthy)} portals not ok: "
                           f"{', '.join(r['portal_id'] + ' ' + r['status'] for r in summary.unhealthy)}", status=1)
    return 0


def _crawl_worker(args: argparse.Namespace) -> int:
    import redis

    from .settings import DEFAULT_DELAY
    from .worker import DEFAULT_IDLE_EXIT, run_worker

    try:
        summary = run_worker(_portals(args), args.frontier, args.archive, worker=args.worker,
                             delay=DEFAULT_DELAY if args.delay is None else args.delay,
                             idle_exit=DEFAULT_IDLE_EXIT if args.idle_exit is None else args.idle_exit,
                             progress=not args.quiet, extra_settings={"DOWNLOAD_TIMEOUT": args.timeout})
    except redis.RedisError as error:
        raise CommandError(f"frontier {args.frontier}: {error}", status=1) from error
    print(summary.render())
    if summary.failed:
        raise CommandError(f"worker {summary.crawl_id} {summary.status}", status=1)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    import redis

    from .ingest import run_ingest
    from .storing import StorageFailed

    try:
        summary = run_ingest(args.frontier, args.db, follow=args.follow, progress=not args.quiet)
    except redis.RedisError as error:
        raise CommandError(f"frontier {args.frontier}: {error}", status=1) from error
    except StorageFailed as error:
        raise CommandError(f"database: {error}; what was not stored stays on the frontier", status=1) from error
    print(summary.render())
    return 0


def _discover(args: argparse.Namespace) -> int:
    import sqlite_utils

    from .registry_tools import discovered_registry, dump_registry

    portals = _portals(args)
    if not any(p.home_url for p in portals):
        raise CommandError("no portal of the registry has a home_url to discover from")
    summary = _run_crawl(args, portals, "discover")
    if summary.failed:
        raise CommandError(f"discovery {summary.status}", status=1)
    entries = discovered_registry(sqlite_utils.Database(args.db), portals, summary.crawl_id)
    Path(args.output).write_text(dump_registry(entries), "utf-8")
    print(f"{args.output}: {len(entries)} bodies, {sum(len(e['start_urls']) for e in entries)} columns "
          f"({summary.counts['discovery_pages']} navigation pages read)")
    return 0


def _registry_import(args: argparse.Namespace) -> int:
    from .registry import RegistryError
    from .registry_tools import dump_registry, import_csv

    try:
        entries = import_csv(Path(args.file).read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, RegistryError) as error:
        raise CommandError(f"{args.file}: {error}") from error
    Path(args.output).write_text(dump_registry(entries), "utf-8")
    print(f"{args.output}: {len(entries)} portals, each from its home_url")
    return 0


def _parse(args: argparse.Namespace) -> int:
    from parsers import DecodeError
    from parsers.isolated import ParserPool

    try:
        data = Path(args.file).read_bytes()
        with ParserPool(1) as pool:
            report = pool.parse(data, url=args.url, content_type=None)
    except (OSError, DecodeError) as error:
        raise CommandError(f"{args.file}: {error}") from error
    json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _reparse(args: argparse.Namespace) -> int:
    from .reparse import reparse

    counts = reparse(existing_database(args.db), args.archive)
    print(f"reparsed {counts['reparsed']} reports; {counts['missing']} captures missing, "
          f"{counts['unreadable']} unreadable; {counts['anomalies']} anomalies")
    return 0


def _deadlines(args: argparse.Namespace) -> int:
    from archive.coverage import set_deadline
    from archive.schema import open_database

    db = open_database(existing_database(args.db))
    for setting in args.set or ():
        kind, _, deadline = setting.partition("=")
        try:
            set_deadline(db, kind.strip(), deadline.strip() or None, from_year=args.from_year)
        except ValueError as error:
            raise CommandError(str(error)) from error
    for rule in db.query("select * from deadline_rules order by kind, coalesce(from_year, 0)"):
        years = f"{rule['from_year'] or '…'}-{rule['to_year'] or '…'}"
        print(f"{rule['kind']:<11} {years:<10} {rule['deadline'] or 'unknown':<8} {rule['source'][:80]}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from archive.export import write_export

    existing_database(args.db)
    try:
        count = write_export(args.db, args.output, wide=args.wide, years=args.year or (), chinese=not args.keys_only)
    except ValueError as error:
        raise CommandError(str(error)) from error
    print(f"{args.output}: {count} rows")
    return 0


def _package(args: argparse.Namespace) -> int:
    from archive.package import PackageError, package_wacz, warc_files

    if args.crawl:  # which files belong to a crawl, only the database knows
        existing_database(args.db)
    try:
        files = warc_files(args.archive, args.db, args.crawl)
        output = package_wacz(files, args.output, args.db)
    except PackageError as error:
        raise CommandError(str(error)) from error
    print(f"{output}: {len(files)} WARC files with their CDXJ index")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from archive.serve import serve

    serve(existing_database(args.db), port=args.port, archive=args.archive)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from archive.serve import serve

    from .demo import StaticSite, demo_portals, demo_site_dir
    from .run import run_crawl

    db = Path(args.db)
    try:
        site = StaticSite(demo_site_dir(), port=args.site_port)
    except OSError:  # the usual port is taken: any free one (report URLs then differ from earlier runs)
        site = StaticSite(demo_site_dir())
    with site:
        print(f"sample portals served at {site.base_url}", file=sys.stderr)
        summary = run_crawl(demo_portals(site.base_url), db, args.archive, delay=0, command="demo")
    print(summary.render())
    if args.no_serve:
        return 0
    print(f"\nDatasette: http://127.0.0.1:{args.port}/  (Ctrl-C to stop)", flush=True)
    serve(db, port=args.port, archive=args.archive)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="Archive of 政府信息公开工作年度报告, as data.")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="crawl the bundled sample portals and open Datasette on them")
    demo.add_argument("--db", default="data/demo.db")
    demo.add_argument("--archive", default="data/demo-archive")
    demo.add_argument("--port", type=int, default=8001, help="Datasette port")
    demo.add_argument("--site-port", type=int, default=8780, help="port of the sample portals on 127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="crawl only, do not start Datasette")
    demo.set_defaults(run=_demo)

    crawl = commands.add_parser("crawl", help="crawl portals into the database and the archive")
    discover = commands.add_parser("discover", help="find every body's report columns from the homepages; "
                                                    "write them as an explicit registry for review")
    for command in (crawl, discover):
        command.add_argument("--portals", help="portal registry (YAML); default: the bundled registry of real portals")
        command.add_argument("--portal", action="append", metavar="ID", help="only this portal (repeatable)")
        command.add_argument("--db", default=DEFAULT_DB)
        command.add_argument("--archive", default=DEFAULT_ARCHIVE)
        command.add_argument("--delay", type=float, help="minimum seconds between requests to one host (default 2)")
        command.add_argument("--timeout", type=float, default=30, help="seconds to wait for one answer (default 30)")
        command.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    crawl.add_argument("--fail-on-regression", action="store_true",
                       help="exit 1 when any portal's health is not ok (zero_yield, dropped, moved, blocked, unreachable)")
    crawl.add_argument("--recheck", action="store_true",
                       help="fetch every known page whole, without conditional requests (a periodic full re-check)")
    crawl.add_argument("--frontier", metavar="redis://HOST:PORT/N",
                       help="be one worker of a distributed crawl: share the queue and seen-set of this frontier, "
                            "put captures and parsed reports on it for `nianbao ingest` (no database written)")
    crawl.add_argument("--idle-exit", type=float, metavar="SECONDS",
                       help="with --frontier: end once the frontier has been idle this long (default 30)")
    crawl.add_argument("--worker", metavar="ID", help="with --frontier: this worker's id (default HOST-PID)")
    crawl.set_defaults(run=_crawl)
    discover.add_argument("-o", "--output", required=True, help="the registry to write (YAML)")
    discover.set_defaults(run=_discover)

    ingest = commands.add_parser("ingest", help="store what the workers of a distributed crawl put on the frontier")
    ingest.add_argument("--frontier", required=True, metavar="redis://HOST:PORT/N")
    ingest.add_argument("--db", default=DEFAULT_DB)
    ingest.add_argument("--follow", action="store_true", help="keep running after the workers end (a standing writer)")
    ingest.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    ingest.set_defaults(run=_ingest)

    registry = commands.add_parser("registry", help="make registries").add_subparsers(dest="action", required=True)
    registry_import = registry.add_parser("import", help="code,name,url rows (division code, body, homepage) → a "
                                                         "registry whose entries start from their home_url")
    registry_import.add_argument("file", help="CSV: code,name,url (UTF-8, a header row optional)")
    registry_import.add_argument("-o", "--output", required=True, help="the registry to write (YAML)")
    registry_import.set_defaults(run=_registry_import)

    parse = commands.add_parser("parse", help="parse one saved document and print its JSON")
    parse.add_argument("file")
    parse.add_argument("--url")
    parse.set_defaults(run=_parse)

    reparse = commands.add_parser("reparse", help="re-run the parsers over the archive, without the network")
    reparse.add_argument("--db", default=DEFAULT_DB)
    reparse.add_argument("--archive", default=DEFAULT_ARCHIVE)
    reparse.set_defaults(run=_reparse)

    deadlines = commands.add_parser("deadlines", help="show (or set) the statutory deadlines coverage is judged by")
    deadlines.add_argument("--db", default=DEFAULT_DB)
    deadlines.add_argument("--set", action="append", metavar="KIND=MM-DD",
                           help="deadline of a kind of body (government, department, township, other) in the year "
                                "after the report year; KIND= alone makes it unknown again (repeatable)")
    deadlines.add_argument("--from-year", type=int, default=2019, help="first report year the setting applies to")
    deadlines.set_defaults(run=_deadlines)

    export = commands.add_parser("export", help="figures as CSV (UTF-8 with BOM, for Excel) or XLSX")
    export.add_argument("-o", "--output", required=True, help="FILE.csv or FILE.xlsx")
    export.add_argument("--db", default=DEFAULT_DB)
    export.add_argument("--wide", action="store_true", help="one row per report with the main figures as columns")
    export.add_argument("--keys-only", action="store_true",
                        help="one header row of keys (for scripts); default: Chinese headers above the keys")
    export.add_argument("--year", type=int, action="append", metavar="Y", help="only reports on this year (repeatable)")
    export.set_defaults(run=_export)

    package = commands.add_parser("package", help="export the WARC archive as a WACZ file others can replay")
    package.add_argument("-o", "--output", required=True, help="the .wacz file to write")
    package.add_argument("--archive", default=DEFAULT_ARCHIVE)
    package.add_argument("--db", default=DEFAULT_DB)
    package.add_argument("--crawl", type=int, action="append", metavar="ID", help="only the WARC files of this crawl")
    package.set_defaults(run=_package)

    serve = commands.add_parser("serve", help="Datasette on the database")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--archive", default=DEFAULT_ARCHIVE, help="WARC folder the archived originals are served from")
    serve.set_defaults(run=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CommandError as error:
        print(f"nianbao {args.command}: {error}", file=sys.stderr)
        return error.status
    except BrokenPipeError:  # `nianbao parse x.html | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
