"""Pages per second crawling many simulated portals on loopback addresses, with the shipped politeness.

    .venv/bin/python -m benchmarks.crawl_speed [--portals 25 50 100 120] [--delay SECONDS] [--versus-bare]

Each portal is its own HTTP server on 127.0.0.N (a host of its own, as real portals are): a TRS-style
column of two pages (createPageHTML), five report pages of the 2019/2021 formats and one notice. The
crawl runs as `nianbao crawl` in its own process, with the shipped settings unless --delay is given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import sqlite_utils
import yaml

from tests.portal_pages import trs_list_page
from tests.portal_sites import notice, report
from tests.servers import Answer, Site

REPORT_PAGES = {year: report(year) for year in range(2019, 2024)}
NOTICE = notice()


def portal_site(stack: ExitStack, index: int) -> Site:
    site = stack.enter_context(Site(host=f"127.0.0.{index + 1}"))
    column = "/zwgk/xxgknb/"
    entries = [(f"./{year + 1}01/t{year + 1}0120_{index}{year}.html", f"示范{index}县{year}年政府信息公开工作年度报告",
                f"{year + 1}-01-20") for year in REPORT_PAGES]
    entries.append(("./202212/t20221201_9.html", "关于做好2022年度政府信息公开工作年度报告编制工作的通知", "2022-12-01"))
    site.answers[column + "index.html"] = Answer(trs_list_page("年报", entries[:3], 2, 0))
    site.answers[column + "index_1.html"] = Answer(trs_list_page("年报", entries[3:], 2, 1))
    for (href, _text, _date), year in zip(entries, REPORT_PAGES, strict=False):
        site.answers[column + href[2:]] = Answer(REPORT_PAGES[year])
    site.answers[column + "202212/t20221201_9.html"] = Answer(NOTICE)
    return site


def run(count: int, delay: float | None, versus_bare: bool = False) -> None:
    with ExitStack() as stack, tempfile.TemporaryDirectory() as directory:
        sites = [portal_site(stack, i) for i in range(count)]
        registry = Path(directory) / "portals.yml"
        registry.write_text(yaml.safe_dump({"portals": [
            {"id": f"p{i}", "name": f"示范{i}县人民政府", "start_urls": [s.base_url + "/zwgk/xxgknb/index.html"]}
            for i, s in enumerate(sites)]}, allow_unicode=True), "utf-8")
        command = [str(Path(sys.executable).parent / "nianbao"), "crawl", "--portals", str(registry), "--db",
                   f"{directory}/b.db", "--archive", f"{directory}/archive", "--quiet"]
        if delay is not None:
            command += ["--delay", str(delay)]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        db = sqlite_utils.Database(f"{directory}/b.db")
        crawl = db["crawls"].get(1)
        rate = crawl["requests"] / elapsed
        print(f"{count:>4} portals: {crawl['requests']} requests, {crawl['new_reports']} reports, {crawl['errors']} errors "
              f"in {elapsed:.1f} s = {rate:.1f} requests/s")
        if versus_bare:  # the same URLs fetched by a spider that keeps nothing, at the same concurrency
            urls = Path(directory) / "urls.txt"
            urls.write_text("\n".join(r["url"] for r in db.query("select distinct url from captures")), "utf-8")
            bare = subprocess.run([sys.executable, "-m", "benchmarks.bare_spider", str(urls), str(delay or 0)],
                                  check=True, capture_output=True, text=True).stdout.split()
            responses, seconds = int(bare[-2]), float(bare[-1])
            print(f"      bare Scrapy: {responses} responses in {seconds:.1f} s = {responses / seconds:.1f} requests/s; "
                  f"nianbao = {rate / (responses / seconds):.2f}× bare Scrapy")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portals", type=int, nargs="+", default=[25, 50, 100, 120])
    parser.add_argument("--delay", type=float, help="seconds between requests to one host (default: as shipped)")
    parser.add_argument("--versus-bare", action="store_true",
                        help="also fetch the crawl's URLs with a bare Scrapy spider and print the ratio")
    args = parser.parse_args()
    for count in args.portals:
        run(count, args.delay, args.versus_bare)


if __name__ == "__main__":
    main()
