"""`nianbao reparse`: rebuild parsed rows from the archive alone, without the network."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from archive import anomalies
from archive.store import Store
from archive.warc import read_record
from parsers import PARSER_VERSION, DecodeError, parse


def reparse(db_path: str | Path, archive_dir: str | Path) -> Counter:
    store = Store(db_path)
    counts: Counter = Counter()
    rows = list(store.db.query(
        "select r.id, r.url, c.warc_file, c.warc_offset, c.content_type, p.hints from reports r "
        "join captures c on c.id = r.capture_id left join portals p on p.id = r.portal_id "
        "where c.warc_file is not null order by r.id"))
    for row in rows:
        try:
            stored = read_record(archive_dir, row["warc_file"], row["warc_offset"])
        except (OSError, ValueError) as error:
            counts["missing"] += 1
            print(f"report {row['id']}: cannot read its capture ({error})")
            continue
        try:
            hints = json.loads(row["hints"]) if row["hints"] else {}
            report = parse(stored.body, url=row["url"], content_type=row["content_type"],
                           content_selector=hints.get("content_selector"))
        except DecodeError as error:
            counts["unreadable"] += 1
            print(f"report {row['id']}: {error}")
            continue
        store.replace_parse(row["id"], report, PARSER_VERSION)
        counts["reparsed"] += 1
    counts["anomalies"] = anomalies.recompute(store.db)
    return counts
