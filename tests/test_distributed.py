"""A crawl shared by two workers on a real redis-server (scrapy-redis frontier) and stored by one ingester, over
loopback portals of three CMS families on three hosts."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
import yaml

from . import portal_sites
from .conftest import nianbao
from .servers import Site

NIANBAO = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "nianbao"
FAMILIES = ("hanweb", "vsb", "kaipuyun")
DELAY = 0.2


@pytest.fixture
def frontier(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/test.sh installs Debian's redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.time() + 10
    while time.time() < deadline:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(10)


def portals(tmp_path: Path, sites: list[Site]) -> tuple[Path, dict[str, set[str]]]:
    entries, expected = [], {}
    for n, (site, family) in enumerate(zip(sites, FAMILIES, strict=True)):
        start, paths = getattr(portal_sites, family)(site)
        entries.append({"id": f"p{n}", "name": "示范县人民政府", "level": "county", "start_urls": [site.base_url + start]})
        expected[urlsplit(site.base_url).netloc] = paths
    registry = tmp_path / "portals.yml"
    registry.write_text(yaml.safe_dump({"portals": entries}, allow_unicode=True), "utf-8")
    return registry, expected


def worker(tmp_path: Path, registry: Path, url: str, name: str, idle_exit: float = 4) -> subprocess.Popen:
    env = {**os.environ, "NIANBAO_WORKER_PREFETCH": "2"}
    return subprocess.Popen([str(NIANBAO), "crawl", "--portals", str(registry), "--frontier", url, "--archive",
                             str(tmp_path / "archive"), "--delay", str(DELAY), "--idle-exit", str(idle_exit),
                             "--worker", name], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_two_workers(tmp_path: Path, registry: Path, url: str) -> sqlite_utils.Database:
    workers = [worker(tmp_path, registry, url, name) for name in ("w1", "w2")]
    ingest = nianbao("ingest", "--frontier", url, "--db", str(tmp_path / "n.db"), cwd=tmp_path, timeout=240)
    for process in workers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    return sqlite_utils.Database(tmp_path / "n.db")


def stored(db: sqlite_utils.Database) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in db.query("select url from reports where kind = 'report'"):
        parts = urlsplit(row["url"])
        found.setdefault(parts.netloc, set()).add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_two_workers_and_one_ingester_store_every_report_once(tmp_path, frontier):
    with Site(host="127.0.0.1") as a, Site(host="127.0.0.2") as b, Site(host="127.0.0.3") as c:
        registry, expected = portals(tmp_path, [a, b, c])
        db = run_two_workers(tmp_path, registry, frontier)
        sites = [a, b, c]
    assert stored(db) == expected  # every report, nothing else
    total = sum(len(paths) for paths in expected.values())
    assert next(db.query("select count(*) n, count(distinct url) d from reports")) == {"n": total, "d": total}
    crawls = {r["worker"]: r for r in db.query("select * from crawls")}
    assert set(crawls) == {"w1", "w2"} and all(c["status"] == "finished" for c in crawls.values())
    assert all(c["requests"] > 0 for c in crawls.values()), "both workers did work"
    assert sum(c["new_reports"] for c in crawls.values()) == total
    # each worker wrote its own WARC files, and every capture is indexed in one of them
    warcs = {p.name.split("-")[1] for p in (tmp_path / "archive").glob("*.warc.gz")}
    assert warcs == {"w1", "w2"}
    assert not list(db.query("select 1 from captures where warc_file is null and http_status is not null"))
    for site in sites:
        paths = [s.path for s in site.requests if s.path != "/robots.txt"]  # each worker reads robots.txt itself
        assert len(paths) == len(set(paths)), "no URL fetched by both workers"
        # politeness per host held across the workers: at most 2 at once, starts DELAY apart. Measured over any five
        # starts, with a quarter second for the jitter between a reserved slot and the request's arrival; two workers
        # each keeping only their own delay would start five requests in half that.
        assert site.max_in_flight <= 2
        starts = sorted(s.at for s in site.requests if s.path != "/robots.txt")
        assert min(later - first for first, later in zip(starts, starts[5:], strict=False)) >= 5 * DELAY - 0.25
        assert starts[-1] - starts[0] >= (len(starts) - 1) * DELAY - 0.25
    health = list(db.query("select status from portal_health"))
    assert [h["status"] for h in health] == ["ok"] * 3


def test_a_recrawl_by_workers_is_incremental(tmp_path, frontier):
    with Site(host="127.0.0.1") as a, Site(host="127.0.0.2") as b, Site(host="127.0.0.3") as c:
        registry, _ = portals(tmp_path, [a, b, c])
        for site in (a, b, c):  # the family builders answer from memory: validators as a real server sends them
            for answer in site.answers.values():
                answer.headers.setdefault("ETag", f'"{abs(hash(answer.body))}"')
        run_two_workers(tmp_path, registry, frontier)
        seen_before = {site: len(site.requests) for site in (a, b, c)}
        db = run_two_workers(tmp_path, registry, frontier)
        conditional = [s for site in (a, b, c) for s in site.requests[seen_before[site]:] if "If-None-Match" in s.headers]
    assert conditional, "known pages asked for with their validators"
    second = list(db.query("select * from crawls where id > 2"))
    assert sum(c["new_reports"] for c in second) == 0 and sum(c["unchanged_reports"] for c in second) == 22


def test_a_killed_worker_s_requests_are_taken_over(tmp_path, frontier):
    with Site(host="127.0.0.1") as a, Site(host="127.0.0.2") as b, Site(host="127.0.0.3") as c:
        registry, expected = portals(tmp_path, [a, b, c])
        for site in (a, b, c):  # slow report pages: the kill lands while some are in flight
            for path in list(site.answers):
                if path.endswith((".html", ".htm", ".shtml")) and ("art_" in path or "/info/" in path or "/c128570/2" in path):
                    site.answers[path].delay = 0.6
        doomed = worker(tmp_path, registry, frontier, "w1", idle_exit=30)
        time.sleep(6)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        survivor = worker(tmp_path, registry, frontier, "w2", idle_exit=4)
        ingest = nianbao("ingest", "--frontier", frontier, "--db", str(tmp_path / "n.db"), cwd=tmp_path, timeout=240)
        out, err = survivor.communicate(timeout=180)
    assert survivor.returncode == 0 and ingest.returncode == 0, err[-2000:] + ingest.stderr[-2000:]
    assert "took over" in err, "the survivor put the killed worker's requests back on the queue"
    db = sqlite_utils.Database(tmp_path / "n.db")
    assert stored(db) == expected
    total = sum(len(paths) for paths in expected.values())
    assert next(db.query("select count(*) n, count(distinct url) d from reports")) == {"n": total, "d": total}


def test_a_report_of_pictures_through_the_frontier(tmp_path, frontier):
    """The pictures' chain of requests travels through the shared queue (its state in the requests), whichever worker
    takes each; the ingester stores the one report read from them."""
    from .test_ocr import picture_report_cells, picture_report_site

    spec, _ = picture_report_site(tmp_path / "site")
    with Site(tmp_path / "site") as site:
        registry = tmp_path / "portals.yml"
        registry.write_text(yaml.safe_dump({"portals": [{
            "id": "p", "name": "示范区人民政府", "level": "county",
            "start_urls": [site.base_url + "/nb/index.html"]}]}, allow_unicode=True), "utf-8")
        db = run_two_workers(tmp_path, registry, frontier)
    picture_report_cells(db, spec)
