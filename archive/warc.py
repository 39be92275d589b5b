"""Every response kept as received, in WARC files written with warcio.

Bodies are stored before Scrapy decompresses or decodes them, so a record holds the bytes the
server sent (Content-Encoding included). Each record is its own gzip member: a file cut short by
a crash loses at most its last record, and every run starts a new file.
"""

from __future__ import annotations

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

    def write_resource(self, *, url: str, content_type: str, payload: bytes, fetched_at: datetime,
                       sources: list[str]) -> WarcLocation:
        """A document the crawl made from captures (the pictures of a report's pages as one PDF): a `resource`
        record naming the captured URLs it was made from, so a reparse reads it as it reads a capture."""
        path = self._target()
        with path.open("ab") as handle:
            offset = handle.tell()
            writer = WARCWriter(handle, gzip=True)
            record = writer.create_warc_record(
                url, "resource", payload=io.BytesIO(payload),
                warc_content_type=content_type,
                warc_headers_dict={"WARC-Date": warc_date(fetched_at), "WARC-Source-URIs": " ".join(sources)},
            )
            writer.write_record(record)
            return WarcLocation(path.name, offset, handle.tell() - offset)


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
            if record.rec_type == "resource":  # made by the crawl, not received: no HTTP headers
                content_type = record.rec_headers.get_header("Content-Type") or "application/octet-stream"
                return StoredResponse(record.rec_headers.get_header("WARC-Target-URI"), 200,
                                      [("Content-Type", content_type)], raw, raw)
            status = int(record.http_headers.get_statuscode())
            headers = list(record.http_headers.headers)
            body = _decode_content(raw, record.http_headers.get_header("Content-Encoding"))
            return StoredResponse(record.rec_headers.get_header("WARC-Target-URI"), status, headers, body, raw)
    raise ValueError(f"no WARC record at {file}:{offset}")


MAX_DECODED_BYTES = 64 * 1024 * 1024  # as the crawl's DOWNLOAD_MAXSIZE: a body that inflates past it is refused


class TooLarge(ValueError):
    """A stored body that decompresses past the limit (a decompression bomb)."""


def _gunzip(data: bytes, limit: int) -> bytes:
    out, rest = [], data
    while rest:  # a gzip body may be several members
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
        out.append(inflater.decompress(rest, limit + 1 - sum(map(len, out))))
        if inflater.unconsumed_tail or sum(map(len, out)) > limit:
            raise TooLarge(f"the body inflates past {limit} bytes")
        rest = inflater.unused_data if inflater.eof else b""
    return b"".join(out)


def _inflate(data: bytes, limit: int) -> bytes:
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):  # zlib-wrapped, as the RFC says, or raw, as some servers send
        try:
            inflater = zlib.decompressobj(wbits)
            out = inflater.decompress(data, limit + 1)
        except zlib.error:
            continue
        if inflater.unconsumed_tail or len(out) > limit:
            raise TooLarge(f"the body inflates past {limit} bytes")
        return out
    raise zlib.error("neither zlib nor raw deflate")


def _unbrotli(data: bytes, limit: int) -> bytes:
    import brotli

    out = brotli.Decompressor().process(data, output_buffer_limit=limit + 1)
    if len(out) > limit:
        raise TooLarge(f"the body inflates past {limit} bytes")
    return out


def _unzstd(data: bytes, limit: int) -> bytes:
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
        out = reader.read(limit + 1)
    if len(out) > limit:
        raise TooLarge(f"the body inflates past {limit} bytes")
    return out


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd}


def _decode_content(raw: bytes, encoding: str | None, limit: int = MAX_DECODED_BYTES) -> bytes:
    """Undo Content-Encoding as Scrapy did on the way in: every coding of the list, last applied first."""
    body = raw
    for coding in reversed([c.strip().lower() for c in (encoding or "").split(",") if c.strip()]):
        decoder = _DECODERS.get(coding)
        if decoder is None:  # identity, or a coding nobody decodes: the bytes as they are
            continue
        try:
            body = decoder(body, limit)
        except TooLarge:
            raise
        except Exception:  # noqa: BLE001 - a body mislabelled as compressed (zlib, brotli, zstd errors differ)
            return body
    return body


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
