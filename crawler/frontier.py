"""The frontier of a distributed crawl, in Redis: what the workers share and what they hand to the one ingester.

Keys (all under `nianbao:` in the Redis database of the frontier URL):
- `requests` (sorted set, scrapy-redis PriorityQueue) and `seen` (set of request fingerprints, scrapy-redis
  RFPDupeFilter): the shared request queue and seen-set;
- `workers` (set) and `alive:{worker}` (expiring key, refreshed by the worker): who is working;
- `inflight:{worker}` (hash fingerprint → encoded request): what a worker took from the queue and has not finished,
  put back on the queue when the worker's heartbeat stops (a killed worker's requests are taken over);
- `host:{host}:next` and `host:{host}:busy`: one host's next free moment and its requests under way, shared by every
  worker, so politeness holds across workers (`acquire_host`);
- `ops` (list): captures, columns, parsed reports and crawl starts/ends from the workers, in each worker's order,
  for `nianbao ingest`;
- `validators` (hash URL → ETag / Last-Modified / fetch time): written by the ingester for what it kept, so that
  workers re-crawl with conditional requests.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis

from archive.columns import Column
from parsers import Report

PREFIX = "nianbao:"
QUEUE = PREFIX + "requests"
SEEN = PREFIX + "seen"
OPS = PREFIX + "ops"
VALIDATORS = PREFIX + "validators"
WORKERS = PREFIX + "workers"
ALIVE_SECONDS = 8  # a worker whose heartbeat is older than this is gone; its requests go back on the queue

# Reserve one host's next request: at most `limit` under way (each expires after `timeout` seconds, so a killed
# worker's slots free themselves) and starts at least `delay` apart. Returns seconds to wait, or -1: all slots busy.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return '-1' end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], tostring(slot + tonumber(ARGV[2])), 'EX', 3600)
redis.call('ZADD', KEYS[1], slot + tonumber(ARGV[3]), ARGV[4])
return tostring(slot - now)
"""


class Frontier:
    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(url)
        self._acquire = self.redis.register_script(_ACQUIRE)

    # ------------------------------------------------------------ workers
    def join(self, worker: str) -> None:
        """Register a worker. The first worker of a new crawl (nothing queued once the requests of stopped workers are
        back, no other worker alive) clears the last crawl's seen-set, so a re-crawl visits every page again (with
        conditional requests); a worker that comes later joins the crawl under way."""
        self.take_over()
        if not self.redis.zcard(QUEUE) and not self.live_workers():
            self.redis.delete(SEEN)
        self.redis.sadd(WORKERS, worker)
        self.heartbeat(worker)

    def heartbeat(self, worker: str) -> None:
        self.redis.set(PREFIX + f"alive:{worker}", "1", ex=ALIVE_SECONDS)

    def leave(self, worker: str) -> None:
        self.redis.srem(WORKERS, worker)
        self.redis.delete(PREFIX + f"alive:{worker}", self._inflight(worker))

    def live_workers(self) -> list[str]:
        return [w for w in self._members() if self.redis.exists(PREFIX + f"alive:{w}")]

    def _members(self) -> list[str]:
        return sorted(m.decode() for m in self.redis.smembers(WORKERS))

    @staticmethod
    def _inflight(worker: str) -> str:
        return PREFIX + f"inflight:{worker}"

    def taken(self, worker: str, fingerprint: str, encoded: bytes, score: float) -> None:
        self.redis.hset(self._inflight(worker), fingerprint, f"{score}\n".encode() + encoded)

    def inflight_count(self, worker: str) -> int:
        return self.redis.hlen(self._inflight(worker))

    def finished(self, worker: str, fingerprint: str) -> None:
        self.redis.hdel(self._inflight(worker), fingerprint)

    def take_over(self) -> int:
        """Put the in-flight requests of workers whose heartbeat stopped back on the queue; how many."""
        moved = 0
        for worker in self._members():
            if self.redis.exists(PREFIX + f"alive:{worker}"):
                continue
            for value in self.redis.hvals(self._inflight(worker)):
                score, _, encoded = value.partition(b"\n")
                self.redis.execute_command("ZADD", QUEUE, float(score), encoded)
                moved += 1
            self.redis.delete(self._inflight(worker))
            self.redis.srem(WORKERS, worker)
        return moved

    def queued(self) -> int:
        return self.redis.zcard(QUEUE)

    def busy(self) -> bool:
        """Requests queued, or under way at a live worker (which may queue more)."""
        return bool(self.redis.zcard(QUEUE)) or any(self.redis.hlen(self._inflight(w)) for w in self.live_workers())

    # ------------------------------------------------------------ politeness shared by the workers
    def acquire_host(self, host: str, token: str, *, delay: float, limit: int, timeout: float) -> float:
        keys = [PREFIX + f"host:{host}:busy", PREFIX + f"host:{host}:next"]
        return float(self._acquire(keys=keys, args=[limit, delay, timeout, token]))

    def release_host(self, host: str, token: str) -> None:
        self.redis.zrem(PREFIX + f"host:{host}:busy", token)

    # ------------------------------------------------------------ to the ingester, and back
    def push(self, op: dict[str, Any]) -> None:
        self.redis.rpush(OPS, json.dumps(op, ensure_ascii=False))

    def push_front(self, op: dict[str, Any]) -> None:
        self.redis.lpush(OPS, json.dumps(op, ensure_ascii=False))

    def pop(self, timeout: float = 1.0) -> dict[str, Any] | None:
        found = self.redis.blpop([OPS], timeout=timeout)
        return json.loads(found[1]) if found else None

    def validators(self, url: str) -> dict[str, Any] | None:
        value = self.redis.hget(VALIDATORS, url)
        return json.loads(value) if value else None

    def set_validators(self, url: str, known: dict[str, Any] | None) -> None:
        if known:
            self.redis.hset(VALIDATORS, url, json.dumps(known))
        else:
            self.redis.hdel(VALIDATORS, url)


class FrontierStore:
    """What a worker's spider, middleware and pipeline ask of the store, answered through the frontier: rows become
    ops for the ingester, with ids of the worker's own ("w1:17") that the ingester maps to the database's."""

    def __init__(self, frontier: Frontier, worker: str) -> None:
        self.frontier, self.worker = frontier, worker
        self._serial = 0

    def _id(self) -> str:
        self._serial += 1
        return f"{self.worker}:{self._serial}"

    def start_crawl(self, portals: list[dict[str, Any]]) -> str:
        self.frontier.push({"op": "worker_start", "worker": self.worker, "portals": portals,
                            "started_at": time.strftime("%Y-%m-%dT%H:%M:%S")})
        return self.worker

    def finish_crawl(self, status: str, counts: dict[str, int], per_portal: dict[str, dict[str, int]]) -> None:
        self.frontier.push({"op": "worker_end", "worker": self.worker, "status": status, "counts": counts,
                            "per_portal": per_portal})

    def add_capture(self, fields: dict[str, Any]) -> str:
        capture_id = self._id()
        self.frontier.push({"op": "capture", "worker": self.worker, "id": capture_id, "fields": fields})
        return capture_id

    def update_capture(self, capture_id: str, fields: dict[str, Any]) -> None:
        self.frontier.push({"op": "capture_update", "worker": self.worker, "id": capture_id, "fields": fields})

    def validators(self, url: str) -> dict[str, Any] | None:
        return self.frontier.validators(url)

    def touch(self, url: str, seen_at: str) -> str | None:
        """A 304 for a known page: a visit of a stored report, or nothing for a page judged not to be one."""
        known = self.frontier.validators(url)
        if not known or not known.get("report"):
            return None
        self.frontier.push({"op": "touch", "worker": self.worker, "url": url, "seen_at": seen_at})
        return url

    def record_column(self, column: Column, crawl_id: str) -> str:
        column_id = self._id()
        self.frontier.push({"op": "column", "worker": self.worker, "id": column_id, "column": column.__dict__})
        return column_id

    def push_item(self, item: dict[str, Any], report: Report | None) -> None:
        fields = {k: v for k, v in item.items() if k not in ("body", "inflight")}
        self.frontier.push({"op": "item", "worker": self.worker, "item": fields,
                            "report": report.to_json() if report is not None else None})
