"""The bundled sample portals, served on 127.0.0.1 so `nianbao demo` needs no internet."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .registry import Portal


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        return


class StaticSite:
    """A threaded static HTTP server on a free loopback port; a context manager."""

    def __init__(self, directory: str | Path, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = partial(_QuietHandler, directory=str(directory))
        self.server = ThreadingHTTPServer((host, port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def demo_site_dir() -> Path:
    return Path(__file__).parent / "demo_site"


def demo_portals(base_url: str) -> list[Portal]:
    return [
        # from their homepages: discovery finds the county's column, a department's and a township's
        Portal(id="shifan", name="示范县人民政府", level="county", province="示范省", start_urls=[],
               home_url=f"{base_url}/shifan/index.html"),
        Portal(id="lingshan", name="灵山县人民政府", region_code="450721", level="county", province="广西壮族自治区",
               city="钦州市", start_urls=[], home_url=f"{base_url}/lingshan/index.html"),
    ]
