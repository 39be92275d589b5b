"""Export the WARC archive as a WACZ package (webrecorder's format: WARCs + CDXJ index + datapackage),
which replay tools such as ReplayWeb.page open as they are."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils


class PackageError(RuntimeError):
    pass


def warc_files(archive_dir: str | Path, db_path: str | Path | None = None, crawl_ids: list[int] | None = None) -> list[Path]:
    """Every WARC file of the archive, or only those holding captures of the given crawls."""
    directory = Path(archive_dir)
    if crawl_ids:
        db = sqlite_utils.Database(db_path)
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


def package_wacz(files: list[Path], output: str | Path, title: str = "nianbao crawl") -> Path:
    from wacz.main import main as wacz_main

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    status = wacz_main(["create", "-o", str(output), "--title", title, "--detect-pages", *map(str, files)])
    if status not in (0, None) or not output.is_file():
        raise PackageError(f"wacz could not package {len(files)} WARC files (status {status})")
    return output
