"""Test web servers on loopback addresses: static portals plus scripted answers (errors, delays, gzip).

Every server binds 127.0.0.x only; tests start and stop them themselves.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    gzip: bool = False  # send Content-Encoding: gzip
    close_without_answer: bool = False


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    form: dict[str, str] | None = None
    at: float = field(default_factory=time.monotonic)  # when the request arrived


class Site:
    """A portal: files under `root` (ETag and Last-Modified, 304 on match) plus scripted `answers` by path."""

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1") -> None:
        self.root = root
        self.answers: dict[str, Answer] = {}
        self.requests: list[Seen] = []
        self.post: Callable[[str, dict[str, str]], Answer] | None = None  # POST endpoints (data proxies)
        self.get: Callable[[str], Answer | None] | None = None  # generated GET pages (calendars, traps)
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests this host served at the same time
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                site.requests.append(Seen(self.path, dict(self.headers.items())))
                generated = site.get(self.path) if site.get else None
                self.answer(site.answers.get(self.path) or generated or site.file_answer(self.path, self.headers))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode("utf-8")))
                site.requests.append(Seen(self.path, dict(self.headers.items()), form))
                self.answer(site.post(self.path, form) if site.post else Answer(b"", 405))

            def answer(self, answer: Answer) -> None:
                with site._lock:
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    self.send(answer)
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def send(self, answer: Answer) -> None:
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.close_without_answer:
                    self.close_connection = True
                    return
                body = gzip.compress(answer.body, mtime=0) if answer.gzip else answer.body
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(body)))
                if answer.gzip:
                    self.send_header("Content-Encoding", "gzip")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def file_answer(self, path: str, headers) -> Answer:
        if self.root is None:
            return Answer(b"not found", 404)
        relative = path.split("?", 1)[0].lstrip("/") or "index.html"
        target = (self.root / relative).resolve()
        if self.root.resolve() not in target.parents or not target.is_file():
            return Answer(b"<html><body>404 Not Found</body></html>", 404)
        data = target.read_bytes()
        stat = target.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        last_modified = formatdate(stat.st_mtime, usegmt=True)
        caching = {"ETag": etag, "Last-Modified": last_modified}
        if headers.get("If-None-Match") == etag:
            return Answer(b"", 304, headers=caching)
        suffix = target.suffix.lower()
        ctype = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".pdf": "application/pdf",
                 ".doc": "application/msword", ".xml": "text/xml"}.get(suffix, "application/octet-stream")
        return Answer(data, 200, ctype, caching)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
