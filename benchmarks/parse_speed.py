"""Reports per second of `parse` on realistic report pages of 50-200 KB, on one core.

    .venv/bin/python -m benchmarks.parse_speed [--pages 200]

Pages come from tests/portal_pages.py: full 2019/2021 reports inside portal chrome, in the styles real
portals produce (Word-export spans make pages several times larger), UTF-8 and GBK.
"""

from __future__ import annotations

import argparse
import statistics
import time

from parsers import parse
from tests.portal_pages import Chrome, ReportSpec, Style, sample_cells, standard_report_page

STYLES = [Style(), Style(word_spans=True), Style(traditional=True), Style(split_tables=True),
          Style(word_spans=True, ascii_punct=True)]


PROSE = ("本机关坚持以公开为常态、不公开为例外，围绕重点领域持续深化政务公开，"
         "及时回应社会关切，依法保障人民群众的知情权、参与权和监督权。")


def build_pages(count: int) -> list[bytes]:
    pages = []
    for i in range(count):
        fmt = ("gov2019", "gov2021")[i % 2]
        # Real reports carry long prose too: 25-115 paragraphs bring pages to 50-200 KB.
        prose = [PROSE * 8] * (25 + 90 * i // count)
        spec = ReportSpec(fmt, 2020 + i % 5, f"示范{i}县人民政府", sample_cells(fmt, seed=i), STYLES[i % len(STYLES)],
                          overview_paragraphs=prose)
        chrome = Chrome(("trs", "hanweb", "vsb", "plain")[i % 4], ("utf-8", "gbk")[i % 2])
        pages.append(standard_report_page(spec, chrome, "2024-01-20"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    pages = build_pages(args.pages)
    sizes = [len(p) / 1024 for p in pages]
    parse(pages[0])  # warm caches (format definitions, OpenCC)
    started = time.perf_counter()
    metrics = sum(len(parse(p).metrics) for p in pages)
    elapsed = time.perf_counter() - started
    print(f"{len(pages)} pages, {min(sizes):.0f}-{max(sizes):.0f} KB (median {statistics.median(sizes):.0f} KB), "
          f"{metrics} metrics")
    print(f"{elapsed:.2f} s: {len(pages) / elapsed:.1f} reports/s, {sum(sizes) / 1024 / elapsed:.2f} MB/s on one core")


if __name__ == "__main__":
    main()
