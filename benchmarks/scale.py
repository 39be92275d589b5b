"""Growth with the archive's size: crawl, reparse and storage at two sizes, projected to a million reports.

    .venv/bin/python -m benchmarks.scale [--portals 40 160]

Each size is its own archive: that many simulated portals (each its own HTTP server on 127.0.0.N, a two-page
TRS column of five reports of its own body: distinct figures, styles and lengths, as real portals differ) crawled by
`nianbao crawl --delay 0`, then `nianbao reparse` over the WARC files alone. Beside reparse, in the same run, the
floor it cannot beat: the same captures read from the WARC files and parsed in the same parser pool, nothing stored.
Per report: crawl and reparse seconds, database and WARC bytes; growth is the larger size's per-report cost over
the smaller's (1.00: linear), and the projection multiplies the larger size's per-report figures to 10⁶ reports.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
import yaml

from archive.warc import read_record
from parsers.isolated import ParserPool
from tests.portal_pages import Chrome, ReportSpec, Style, sample_cells, standard_report_page, trs_list_page
from tests.servers import Answer, Site

YEARS = range(2019, 2024)
STYLES = [Style(), Style(word_spans=True), Style(split_tables=True), Style(word_spans=True, ascii_punct=True)]
PROSE = ("本机关坚持以公开为常态、不公开为例外，围绕重点领域持续深化政务公开，"
         "及时回应社会关切，依法保障人民群众的知情权、参与权和监督权。")
MILLION = 1_000_000


@dataclass
class Size:
    reports: int
    crawl_s: float
    reparse_s: float
    parse_only_s: float
    db_bytes: int
    warc_bytes: int
    tables: list[tuple[str, int]]  # the database's largest tables and indexes, bytes

    def per_report(self) -> dict[str, float]:
        return {"crawl": self.crawl_s / self.reports, "reparse": self.reparse_s / self.reports,
                "db": self.db_bytes / self.reports, "warc": self.warc_bytes / self.reports}


def portal_site(stack: ExitStack, index: int) -> Site:
    site = stack.enter_context(Site(host=f"127.0.{1 + index // 250}.{1 + index % 250}"))
    column = "/zwgk/xxgknb/"
    issuer = f"示范{index}县人民政府"
    entries = [(f"./{year + 1}01/t{year + 1}0120_{index}{year}.html", f"{issuer}{year}年政府信息公开工作年度报告",
                f"{year + 1}-01-20") for year in YEARS]
    site.answers[column + "index.html"] = Answer(trs_list_page("年报", entries[:3], 2, 0))
    site.answers[column + "index_1.html"] = Answer(trs_list_page("年报", entries[3:], 2, 1))
    for (href, _text, published), year in zip(entries, YEARS, strict=True):
        fmt = "gov2021" if year >= 2021 else "gov2019"
        spec = ReportSpec(fmt, year, issuer, sample_cells(fmt, seed=index * 10 + year), STYLES[(index + year) % 4],
                          overview_paragraphs=[PROSE * 4] * (2 + (index * 7 + year) % 20))
        chrome = Chrome(("trs", "hanweb", "vsb", "plain")[index % 4], ("utf-8", "gbk")[year % 2])
        site.answers[column + href[2:]] = Answer(standard_report_page(spec, chrome, published))
    return site


def nianbao(*arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "nianbao"), *arguments], check=True, capture_output=True)
    return time.perf_counter() - started


def parse_only(db_path: Path, archive: Path) -> float:
    """What reparse costs before storing: the same records read and parsed in the same pool."""
    rows = list(sqlite_utils.Database(db_path).query(
        "select c.url, c.warc_file, c.warc_offset, c.content_type from reports r "
        "join captures c on c.id = coalesce(r.content_capture_id, r.capture_id) where c.warc_file is not null"))
    started = time.perf_counter()
    with ParserPool() as pool:
        futures = [pool.submit(read_record(archive, r["warc_file"], r["warc_offset"]).body, url=r["url"],
                               content_type=r["content_type"]) for r in rows]
        for future in futures:
            future.result()
    return time.perf_counter() - started


def measure(count: int) -> Size:
    with ExitStack() as stack, tempfile.TemporaryDirectory() as directory:
        sites = [portal_site(stack, i) for i in range(count)]
        root = Path(directory)
        registry = root / "portals.yml"
        registry.write_text(yaml.safe_dump({"portals": [
            {"id": f"p{i}", "name": f"示范{i}县人民政府", "start_urls": [s.base_url + "/zwgk/xxgknb/index.html"]}
            for i, s in enumerate(sites)]}, allow_unicode=True), "utf-8")
        db, archive = root / "b.db", root / "archive"
        crawl_s = nianbao("crawl", "--portals", str(registry), "--db", str(db), "--archive", str(archive),
                          "--quiet", "--delay", "0")
        reparse_s = nianbao("reparse", "--db", str(db), "--archive", str(archive))
        parse_s = parse_only(db, archive)
        database = sqlite_utils.Database(db)
        database.execute("pragma wal_checkpoint(truncate)")
        tables = [(r["name"], r["bytes"]) for r in database.query(
            "select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc limit 6")]
        return Size(database["reports"].count, crawl_s, reparse_s, parse_s, db.stat().st_size,
                    sum(f.stat().st_size for f in archive.rglob("*") if f.is_file()), tables)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portals", type=int, nargs=2, default=[40, 160])
    args = parser.parse_args()
    sizes = [measure(count) for count in args.portals]
    for size in sizes:
        per = size.per_report()
        print(f"{size.reports:>5} reports: crawl {size.crawl_s:.1f} s ({1000 * per['crawl']:.1f} ms a report), "
              f"reparse {size.reparse_s:.1f} s ({1000 * per['reparse']:.1f} ms; parsing alone {size.parse_only_s:.1f} s, "
              f"reparse = {size.reparse_s / size.parse_only_s:.2f}× it), database {size.db_bytes / 2**20:.1f} MiB "
              f"({per['db'] / 1024:.1f} KiB a report), WARC {size.warc_bytes / 2**20:.1f} MiB ({per['warc'] / 1024:.1f} KiB)")
    print("largest in the database (larger size), KiB a report: " + ", ".join(
        f"{name} {size / sizes[1].reports / 1024:.1f}" for name, size in sizes[1].tables))
    small, large = (s.per_report() for s in sizes)
    print("growth per report, larger size over smaller: " + ", ".join(
        f"{name} {large[name] / small[name]:.2f}" for name in large))
    print(f"projected to {MILLION:,} reports on this machine: crawl {large['crawl'] * MILLION / 3600:.1f} h "
          f"(no politeness delay), reparse {large['reparse'] * MILLION / 3600:.1f} h, database "
          f"{large['db'] * MILLION / 2**30:.1f} GiB, WARC {large['warc'] * MILLION / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
