"""Export the WARC archive as a WACZ package (webrecorder's format: WARCs + CDXJ index + datapackage),
which replay tools such as ReplayWeb.page open as they are."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path

import sqlite_utils


class PackageError(RuntimeError):
    pass


def warc_files(archive_dir: str | Path, db_path: str | Path | None = None, crawl_ids: list[int] | None = None) -> list[Path]:
    """Every WARC file of the archive, or only those holding captures of the given crawls."""
    directory = Path(archive_dir)
    if crawl_ids:
        db = sqlite_utils.Database(db_path)
        known = {row["id"] for row in db.query("select id from crawls")} if db["crawls"].exists() else set()
        if unknown := sorted(set(crawl_ids) - known):
            raise PackageError(f"no crawl {', '.join(map(str, unknown))} in {db_path}")
        marks = ",".join("?" * len(crawl_ids))
        names = {row["warc_file"] for row in db.query(
            f"select distinct warc_file from captures where crawl_id in ({marks}) and warc_file is not null", crawl_ids)}
        files = [directory / name for name in sorted(names)]
    else:
        files = sorted(directory.glob("*.warc.gz"))
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise PackageError(f"WARC files missing from {directory}: {', '.join(f.name for f in missing[:5])}")
    if not files:
        raise PackageError(f"no WARC files in {directory}")
    return files


def report_pages(db_path: str | Path, directory: Path) -> Path:
    """pages.jsonl of the package: the report pages (what a reader opens first), with their titles and times."""
    path = directory / "pages.jsonl"
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "政府信息公开工作年度报告 · annual reports"}]
    db = sqlite_utils.Database(db_path)
    if db["reports"].exists():
        lines += [{"url": row["url"], "ts": row["fetched_at"].replace("+00:00", "Z"), "title": row["title"] or row["url"]}
                  for row in db.query("select r.url, r.title, c.fetched_at from reports r "
                                      "join captures c on c.id = r.capture_id where r.kind = 'report' order by r.id")]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
    return path


def package_wacz(files: list[Path], output: str | Path, db_path: str | Path, title: str = "nianbao crawl") -> Path:
    from wacz.main import main as wacz_main

    output = Path(output)
    if not output.parent.is_dir():
        raise PackageError(f"{output.parent}: no such folder")
    with tempfile.TemporaryDirectory(prefix="nianbao-wacz-") as work, contextlib.redirect_stdout(sys.stderr):
        # pages: the report pages where the database is at hand, else every HTML page wacz finds
        pages = ["--pages", str(report_pages(db_path, Path(work)))] if Path(db_path).is_file() else ["--detect-pages"]
        # wacz talks on stdout: keep it for our one line
        status = wacz_main(["create", "-o", str(output), "--title", title, *pages, *map(str, files)])
    if status not in (0, None) or not output.is_file():
        raise PackageError(f"wacz could not package {len(files)} WARC files (status {status})")
    return output
