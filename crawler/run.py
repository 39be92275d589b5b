"""Run one crawl in-process: registry → Scrapy → archive + database, and a summary."""

from __future__ import annotations

import fcntl
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from archive import anomalies, columns, health
from archive.store import Store, storage_failure
from archive.warc import WarcArchive
from parsers.isolated import ParserPool

from .registry import Portal
from .session import CrawlSession
from .settings import DEFAULT_DELAY, crawl_settings, use_bundled_public_suffix_list
from .spiders.portal import PortalSpider

COUNT_COLUMNS = {"requests": "requests", "new": "new_reports", "changed": "changed_reports",
                 "unchanged": "unchanged_reports", "errors": "errors"}


@dataclass
class CrawlSummary:
    crawl_id: int
    status: str
    counts: Counter
    per_portal: dict[str, Counter] = field(default_factory=dict)
    health: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status.startswith("failed")

    @property
    def unhealthy(self) -> list[dict]:
        return [row for row in self.health if row["status"] != "ok"]

    def render(self) -> str:
        c = self.counts
        lines = [
            f"crawl {self.crawl_id} {self.status}: {c['pages']} pages fetched ({c['requests']} requests), "
            f"reports {c['new']} new / {c['changed']} changed / {c['unchanged']} unchanged, "
            f"{c['not_report']} non-reports skipped, {c['attachments']} attachments, {c['resumed']} resumed, "
            f"{c['errors']} errors, {c['anomalies']} anomalies",
        ]
        for portal_id, pc in sorted(self.per_portal.items()):
            lines.append(f"  {portal_id:<24} pages {pc['pages']:>4}  new {pc['new']:>3}  changed {pc['changed']:>3}  "
                         f"unchanged {pc['unchanged']:>3}  errors {pc['errors']:>3}")
        if self.unhealthy:
            lines.append(f"{len(self.unhealthy)} portals not ok:")
            lines += [f"  {row['portal_id']:<24} {row['status']:<12} {row['detail']}" for row in self.unhealthy]
        return "\n".join(lines)


def _resume_skip(store: Store) -> set[str]:
    """Report URLs stored by the runs killed since the last finished one (however many kills in a row): a restart
    does not fetch them again."""
    with store.db.atomic():
        for crawl_id in store.interrupted_crawls():
            store.db["crawls"].update(crawl_id, {"status": "interrupted"})
    return {row["url"] for row in store.db.query(
        "select distinct r.url from reports r join captures c on c.id = r.capture_id join crawls k on k.id = c.crawl_id "
        "where k.status = 'interrupted' and k.id > coalesce((select max(id) from crawls where status = 'finished'), 0)")}


class CrawlLocked(RuntimeError):
    """Another crawl is writing to the same database (e.g. overlapping cron runs)."""


@contextmanager
def crawl_lock(db_path: str | Path) -> Iterator[None]:
    """One crawl per database at a time: a second one would take the first for an interrupted run."""
    lock_path = Path(f"{Path(db_path).resolve()}.crawl-lock")  # one lock per file, whatever path leads to it
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise CrawlLocked(f"another crawl is running on {db_path}") from error
        yield


def run_crawl(portals: list[Portal], db_path: str | Path, archive_dir: str | Path, *,
              delay: float = DEFAULT_DELAY, progress: bool = True, command: str = "crawl",
              extra_settings: dict | None = None, recheck: bool = False) -> CrawlSummary:
    """command "discover" finds and records the portals' columns without crawling them; recheck: no conditional
    requests (a monthly full re-check catches servers whose validators lie)."""
    with crawl_lock(db_path):
        return _run(portals, db_path, archive_dir, delay=delay, progress=progress, command=command,
                    extra_settings=extra_settings, recheck=recheck)


def execute(session: CrawlSession, settings: dict) -> str:
    """Run the portal spider over the session in this process; the crawl's status (finished, stopped, failed)."""
    process = CrawlerProcess(settings=settings)
    reasons: list[str] = []
    crawler = process.create_crawler(PortalSpider)
    crawler.signals.connect(lambda spider, reason: reasons.append(reason), signal=signals.spider_closed, weak=False)
    process.crawl(crawler, session=session)
    process.start()
    if session.failure:
        return f"failed: {session.failure}"
    return "finished" if reasons == ["finished"] else f"stopped ({', '.join(reasons) or 'unknown'})"


def _run(portals: list[Portal], db_path: str | Path, archive_dir: str | Path, *, delay: float, progress: bool,
         command: str, extra_settings: dict | None, recheck: bool = False) -> CrawlSummary:
    use_bundled_public_suffix_list()
    store = Store(db_path)
    store.upsert_portals([p.row() for p in portals])
    resume_skip = _resume_skip(store)
    crawl_id = store.start_crawl([p.id for p in portals], command)
    with ParserPool() as parsers:
        session = CrawlSession(store=store, archive=WarcArchive(archive_dir), crawl_id=crawl_id,
                               portals={p.id: p for p in portals}, resume_skip=resume_skip, progress=progress,
                               parsers=parsers, discover_only=command == "discover", recheck=recheck)
        status = execute(session, {**crawl_settings(delay), **(extra_settings or {})})
    portal_health: list[dict] = []
    try:
        store.finish_crawl(crawl_id, status, {column: session.counts[key] for key, column in COUNT_COLUMNS.items()})
        if status == "finished":  # a column not reached by a crawl cut short has not moved
            columns.record_moves(store.db, crawl_id, [p.id for p in portals if p.home_url])
        if command != "discover":  # discovery fetches no report: its zero is no portal's regression
            portal_health = health.record(store.db, crawl_id, {p.id: session.per_portal.get(p.id, {}) for p in portals})
        session.counts["anomalies"] = anomalies.recompute(store.db)
    except Exception as error:
        if (reason := storage_failure(error)) is None:
            raise
        status = f"failed: {session.failure or reason} (the crawl's own row could not be closed: {reason})"
    return CrawlSummary(crawl_id, status, session.counts, session.per_portal, portal_health)
