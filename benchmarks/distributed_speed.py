"""Requests per second of one worker against two on the same loopback portals, each stored by `nianbao ingest`.

    .venv/bin/python -m benchmarks.distributed_speed [--portals 60] [--delay 0.5]

The portals are those of benchmarks/crawl_speed.py (one host each on 127.0.0.N). A redis-server on a free loopback
port is the frontier; it is flushed between the runs, which alternate (1, 2, 1, 2 workers) so that neither is favoured.
Wall time runs from the first worker's start to the ingester's exit, so it includes every worker's start-up.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import redis
import sqlite_utils
import yaml

from benchmarks.crawl_speed import portal_site

NIANBAO = str(Path(sys.executable).parent / "nianbao")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(workers: int, registry: Path, url: str, directory: Path, delay: float) -> tuple[float, int, int]:
    redis.Redis.from_url(url).flushdb()
    db = directory / f"run-{time.monotonic_ns()}.db"
    started = time.perf_counter()
    processes = [subprocess.Popen([NIANBAO, "crawl", "--portals", str(registry), "--frontier", url, "--archive",
                                   str(directory / "archive"), "--delay", str(delay), "--idle-exit", "2", "--quiet",
                                   "--worker", f"w{n}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(workers)]
    subprocess.run([NIANBAO, "ingest", "--frontier", url, "--db", str(db), "--quiet"], check=True,
                   capture_output=True)
    for process in processes:
        process.wait()
    elapsed = time.perf_counter() - started
    rows = list(sqlite_utils.Database(db).query("select sum(requests) r, sum(new_reports) n from crawls"))[0]
    return elapsed, rows["r"], rows["n"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portals", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds between requests to one host")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        directory = Path(tmp)
        server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
        stack.callback(server.terminate)
        time.sleep(0.5)
        sites = [portal_site(stack, i) for i in range(args.portals)]
        registry = directory / "portals.yml"
        registry.write_text(yaml.safe_dump({"portals": [
            {"id": f"p{i}", "name": f"示范{i}县人民政府", "start_urls": [s.base_url + "/zwgk/xxgknb/index.html"]}
            for i, s in enumerate(sites)]}, allow_unicode=True), "utf-8")
        url = f"redis://127.0.0.1:{port}/0"
        for workers in (1, 2, 1, 2):
            elapsed, requests, reports = run(workers, registry, url, directory, args.delay)
            print(f"{workers} worker(s): {requests} requests, {reports} reports in {elapsed:.1f} s = "
                  f"{requests / elapsed:.1f} requests/s")


if __name__ == "__main__":
    main()
