"""Search latency on 100,000 generated sections (the bigram FTS5 index of archive/search.py).

    .venv/bin/python -m benchmarks.search_latency [--sections 100000]

Sections are random Chinese text of 50-800 characters drawn from report vocabulary. For queries of
1, 2, 3 and 5 characters it times what Datasette runs for a search page (the count of matches and
the first 100 rows) beside what /-/nianbao/search runs (count and page on the index), interleaved, and
prints the median and the 95th percentile of each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from archive import search
from archive.schema import open_database

VOCABULARY = ["行政复议", "行政诉讼", "政府信息", "主动公开", "依申请公开", "申请人", "予以公开", "部分公开", "不予公开",
              "本机关", "信息处理费", "年度报告", "规范性文件", "行政许可", "行政处罚", "政务公开", "县人民政府", "街道办事处",
              "乡镇", "网站", "平台", "监督保障", "存在问题", "改进措施", "一是", "二是", "三是", "全年", "共计", "件", "条",
              "2019年", "2020年", "2021年", "2022年", "的", "和", "了", "在", "对", "及", "等", "，", "。", "、"]
QUERIES = {1: ["县", "件", "复", "网"], 2: ["复议", "公开", "网站", "街道"], 3: ["行政复", "申请人", "处理费", "办事处"],
           5: ["行政复议和", "政府信息公", "依申请公开", "县人民政府"]}


def build(path: Path, count: int) -> float:
    db = open_database(path)
    rng = random.Random(1)
    started = time.perf_counter()
    with db.atomic():
        batch = []
        for i in range(count):
            text = "".join(rng.choice(VOCABULARY) for _ in range(rng.randint(20, 300)))
            batch.append({"report_id": i // 5, "ordinal": i % 5, "number": None, "key": None, "title": "", "text": text})
            if len(batch) == 5000:
                db["sections"].insert_all(batch)
                batch = []
        db["sections"].insert_all(batch)
        search.add(db, "sections_search", [r[0] for r in db.execute("select rowid from sections")])
    return time.perf_counter() - started


def time_query(db, expression: str) -> float:
    started = time.perf_counter()
    where = "rowid in (select rowid from sections_search where sections_search match ?)"
    db.execute(f"select count(*) from sections where {where}", [expression]).fetchone()
    db.execute(f"select * from sections where {where} limit 100", [expression]).fetchall()
    return time.perf_counter() - started


def time_search_page(db, query: str) -> float:
    """What /-/nianbao/search runs: the count and the first page, both on the index."""
    started = time.perf_counter()
    search.search_page(db.conn, query)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        seconds = build(path, args.sections)
        db = open_database(path)
        chars = db.execute("select sum(length(text)) from sections").fetchone()[0]
        print(f"{args.sections} sections, {chars / 1e6:.1f} M characters; indexed in {seconds:.1f} s; "
              f"database {path.stat().st_size / 1e6:.0f} MB")
        for length, queries in QUERIES.items():
            times = []
            for query in queries:
                expression = search.match_expression(query)
                for _ in range(3):
                    times.append(time_query(db, expression))
            page = sorted(time_search_page(db, query) for query in queries for _ in range(3))
            times.sort()
            print(f"{length}-character queries: Datasette's table search median {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms; /-/nianbao/search median "
                  f"{statistics.median(page) * 1000:.0f} ms, p95 {page[int(len(page) * 0.95) - 1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
