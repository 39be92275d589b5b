"""Every response and every failed request becomes a capture: WARC record + captures row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from archive.store import storage_failure
from archive.warc import sha256

from .session import UsesSession

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


def _headers(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class ArchiveMiddleware(UsesSession):
    """Sits next to the downloader so it sees bodies exactly as received (before decompression)."""

    def _portal_id(self, request: Request) -> str | None:
        if pid := request.meta.get("portal_id"):
            return pid
        host = urlsplit(request.url).hostname
        return next((p.id for p in self.session.portals.values() if host in p.hosts), None)

    @contextmanager
    def _storage_guard(self) -> Iterator[None]:
        """Nothing may be fetched that cannot be kept: on a full disk the crawl stops, and says why."""
        try:
            yield
        except Exception as error:
            if (reason := storage_failure(error)) is None:
                raise
            self.session.fail(self.crawler, f"archive: {reason}")
            raise IgnoreRequest(f"not kept: {reason}") from error

    def process_response(self, request: Request, response: Response) -> Response:
        with self._storage_guard():
            return self._archive(request, response)

    def _archive(self, request: Request, response: Response) -> Response:
        session = self.session
        fetched_at = datetime.now(UTC)
        headers = _headers(response.headers)
        location = session.archive.write_exchange(
            url=response.url, status=response.status, reason=_reason(response.status),
            protocol=response.protocol or "HTTP/1.1", response_headers=headers, payload=response.body,
            method=request.method, request_headers=_headers(request.headers), fetched_at=fetched_at,
        )
        header = response.headers.get
        capture_id = session.store.add_capture({
            "crawl_id": session.crawl_id, "portal_id": self._portal_id(request), "url": request.url,
            "final_url": response.url, "method": request.method, "fetched_at": fetched_at.isoformat(timespec="seconds"),
            "http_status": response.status, "content_type": (header("Content-Type") or b"").decode("latin-1"),
            "sha256": sha256(response.body), "size": len(response.body), "warc_file": location.file,
            "warc_offset": location.offset, "warc_length": location.length,
            "etag": (header("ETag") or b"").decode("latin-1") or None,
            "last_modified": (header("Last-Modified") or b"").decode("latin-1") or None,
            "location": (header("Location") or b"").decode("latin-1") or None,
            "role": request.meta.get("role", "robots" if request.url.endswith("/robots.txt") else None),
        })
        request.meta["capture_id"] = capture_id
        request.meta["fetched_at"] = fetched_at.isoformat(timespec="seconds")
        session.count("requests")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        with self._storage_guard():
            self._failure(request, exception)

    def _failure(self, request: Request, exception: Exception) -> None:
        session = self.session
        session.store.add_capture({
            "crawl_id": session.crawl_id, "portal_id": self._portal_id(request), "url": request.url,
            "method": request.method, "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "role": request.meta.get("role"), "error": f"{type(exception).__name__}: {exception}"[:500],
        })
        session.count("requests")
