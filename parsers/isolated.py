"""Parsing in worker processes with hard limits of time and memory.

A hostile document (a decompression bomb the in-parser budgets cannot see, a pathological PDF) costs one worker
process, which is killed and replaced, and becomes a one-line DecodeError; the crawl that asked goes on, and the
second core parses while the first crawls. Workers come from pebble, which kills a task's process on timeout.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from . import parse, source_type_of
from .budget import BudgetExceeded
from .model import Report
from .ocr import OCR_SECONDS

PARSE_TIMEOUT = 30.0  # seconds of one document
OCR_PAGE_SECONDS = 30.0  # the page OCR was reading when its budget ran out (about 4 s on one core)
PARSE_MEMORY = 1536 * 2**20  # address space of a worker, bytes
_TASKS_PER_WORKER = 500  # a fresh process now and then: no fragmentation creeps up over a national crawl


def _limit_memory(limit: int) -> None:
    # the soft limit binds the worker; a converter it starts (LibreOffice) sets its own (parsers/convert.py)
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _parse(data: bytes, url: str | None, content_type: str | None, content_selector: str | None) -> Report:
    try:
        return parse(data, url=url, content_type=content_type, content_selector=content_selector)
    except MemoryError:
        raise BudgetExceeded(f"the document needs more than {PARSE_MEMORY // 2**20} MB to parse: refused") from None
    except RecursionError:
        raise BudgetExceeded("the document is nested too deeply to parse: refused") from None


class ParserPool:
    """parse() in `workers` processes, each document within `timeout` seconds and `memory` bytes."""

    def __init__(self, workers: int | None = None, *, timeout: float = PARSE_TIMEOUT, memory: int = PARSE_MEMORY) -> None:
        self.timeout, self.memory = timeout, memory
        self.workers = workers or os.cpu_count() or 1
        # forkserver: workers start from a clean process, not a copy of a reactor with threads and sockets
        self._pool = ProcessPool(max_workers=self.workers, max_tasks=_TASKS_PER_WORKER, initializer=_limit_memory,
                                 initargs=(memory,), context=multiprocessing.get_context("forkserver"))

    def submit(self, data: bytes, url: str | None = None, content_type: str | None = None,
               content_selector: str | None = None) -> Future[Report]:
        """A future of the Report; it raises DecodeError for unreadable, oversized or too slow documents."""
        # a scan may be read by OCR for OCR_SECONDS more (it begins no page after them): PDFs and images get that
        scan = source_type_of(data, url, content_type) in ("pdf", "image")
        timeout = self.timeout + (OCR_SECONDS + OCR_PAGE_SECONDS if scan else 0.0)
        task = self._pool.schedule(_parse, args=(data, url, content_type, content_selector), timeout=timeout)
        result: Future[Report] = Future()

        def settle(done: Future) -> None:
            try:
                result.set_result(done.result())
            except FutureTimeout:
                result.set_exception(BudgetExceeded(f"parsing took more than {timeout:g} s: refused"))
            except ProcessExpired as error:
                result.set_exception(BudgetExceeded(
                    f"the parser process died (exit {error.exitcode}): the document needs more than "
                    f"{self.memory // 2**20} MB or crashed it"))
            except BaseException as error:  # noqa: BLE001 - DecodeError, or a parser bug: the caller records it
                result.set_exception(error)

        task.add_done_callback(settle)
        return result

    def parse(self, data: bytes, url: str | None = None, content_type: str | None = None,
              content_selector: str | None = None) -> Report:
        return self.submit(data, url, content_type, content_selector).result()

    def close(self) -> None:
        self._pool.stop()
        self._pool.join()

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
