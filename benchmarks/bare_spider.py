"""A bare Scrapy spider: fetches a list of URLs and keeps nothing, with nianbao's concurrency and politeness.

    .venv/bin/python -m benchmarks.bare_spider URLS.txt DELAY

What a user would run instead of `nianbao crawl`, less everything nianbao does with a page (archive, parse,
store): the floor of the crawl benchmark (benchmarks/crawl_speed.py --versus-bare). Prints the responses and
the seconds taken, from the engine's start to its stop.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.settings import crawl_settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.responses = 0

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        self.responses += 1


def main() -> None:
    urls = Path(sys.argv[1]).read_text("utf-8").split()
    settings = {key: value for key, value in crawl_settings(float(sys.argv[2])).items()
                if key not in ("DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES")}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    started = time.perf_counter()
    process.crawl(crawler, urls=urls)
    process.start()
    print(f"{crawler.spider.responses} {time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
