"""`nianbao reparse`: rebuild parsed rows from the archive alone, without the network.

Documents are parsed in worker processes (both cores, each document within its budgets) a window at a time,
and stored in report order, one transaction per report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

from archive import anomalies
from archive.store import Store
from archive.warc import read_record
from parsers import PARSER_VERSION, DecodeError, Report
from parsers.isolated import ParserPool

_IN_FLIGHT_PER_WORKER = 4


def _jobs(store: Store, archive_dir: str | Path, pool: ParserPool, counts: Counter) -> Iterator[tuple[int, Future]]:
    rows = store.db.query(
        "select r.id, c.url, c.warc_file, c.warc_offset, c.content_type, p.hints from reports r "
        # the capture the figures come from: an attachment the page announces (详见附件), else the page
        "join captures c on c.id = coalesce(r.content_capture_id, r.capture_id) "
        "left join portals p on p.id = r.portal_id "
        "where c.warc_file is not null order by r.id")
    for row in list(rows):
        try:
            stored = read_record(archive_dir, row["warc_file"], row["warc_offset"])
        except (OSError, ValueError) as error:
            counts["missing"] += 1
            print(f"report {row['id']}: cannot read its capture ({error})")
            continue
        hints = json.loads(row["hints"]) if row["hints"] else {}
        yield row["id"], pool.submit(stored.body, url=row["url"], content_type=row["content_type"],
                                     content_selector=hints.get("content_selector"))


def reparse(db_path: str | Path, archive_dir: str | Path) -> Counter:
    store = Store(db_path)
    counts: Counter = Counter()
    with ParserPool() as pool:
        window: list[tuple[int, Future[Report]]] = []
        for job in _jobs(store, archive_dir, pool, counts):
            window.append(job)
            if len(window) >= pool.workers * _IN_FLIGHT_PER_WORKER:
                _store(store, *window.pop(0), counts)
        for job in window:
            _store(store, *job, counts)
    counts["anomalies"] = anomalies.recompute(store.db)
    return counts


def _store(store: Store, report_id: int, future: Future[Report], counts: Counter) -> None:
    try:
        report = future.result()
    except DecodeError as error:
        counts["unreadable"] += 1
        print(f"report {report_id}: {error}")
        return
    store.replace_parse(report_id, report, PARSER_VERSION)
    counts["reparsed"] += 1
