"""Every response kept as received, in WARC files written with warcio.

Bodies are stored before Scrapy decompresses or decodes them, so a record holds the bytes the
server sent (Content-Encoding included). Each record is its own gzip member: a file cut short by
a crash loses at most its last record, and every run starts a new file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
# Twisted has already undone chunking; keeping the header would make readers de-chunk again.
_HOP_HEADERS = {"transfer-encoding"}


@dataclass(frozen=True)
class WarcLocation:
    file: str  # relative to the archive directory
    offset: int
    length: int


@dataclass(frozen=True)
class StoredResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # content-decoded (gzip/deflate undone), as a parser wants it
    raw_payload: bytes  # exactly as received


def warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcArchive:
    def __init__(self, directory: str | Path, prefix: str = "nianbao", max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._serial = 0
        self._current: Path | None = None

    def _target(self) -> Path:
        if self._current is None or self._current.stat().st_size >= self.max_bytes:
            self._serial += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            self._current = self.directory / f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._current.touch()
        return self._current

    def write_exchange(self, *, url: str, status: int, reason: str, protocol: str,
                       response_headers: list[tuple[str, str]], payload: bytes, method: str,
                       request_headers: list[tuple[str, str]], fetched_at: datetime) -> WarcLocation:
        path = self._target()
        headers = [(k, v) for k, v in response_headers if k.lower() not in _HOP_HEADERS]
        headers += [(f"X-Archive-Orig-{k}", v) for k, v in response_headers if k.lower() in _HOP_HEADERS]
        with path.open("ab") as handle:
            offset = handle.tell()
            writer = WARCWriter(handle, gzip=True)
            date = warc_date(fetched_at)
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload),
                http_headers=StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol=protocol),
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(response)
            length = handle.tell() - offset
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"{method} {_path_of(url)} HTTP/1.1", request_headers, is_http_request=True),
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
            )
            writer.write_record(request)
        return WarcLocation(path.name, offset, length)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def read_record(directory: str | Path, file: str, offset: int) -> StoredResponse:
    """The response record at offset: payload as received and content-decoded."""
    path = Path(directory) / file
    with path.open("rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle):
            raw = record.raw_stream.read()
            status = int(record.http_headers.get_statuscode())
            headers = list(record.http_headers.headers)
            body = _decode_content(raw, record.http_headers.get_header("Content-Encoding"))
            return StoredResponse(record.rec_headers.get_header("WARC-Target-URI"), status, headers, body, raw)
    raise ValueError(f"no WARC record at {file}:{offset}")


def _decode_content(raw: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "").lower().strip()
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(raw)
        if encoding == "deflate":
            try:
                return zlib.decompress(raw)
            except zlib.error:
                return zlib.decompress(raw, -zlib.MAX_WBITS)
    except (OSError, zlib.error, EOFError):
        return raw
    return raw


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
