"""Scrapy settings: polite by default, offline-safe."""

from __future__ import annotations

import os
from typing import Any

from tldextract import TLDExtract

from . import __version__

# Portals' webmasters see this in their logs: set NIANBAO_CONTACT_URL to where they can reach the operator.
CONTACT_URL = os.environ.get("NIANBAO_CONTACT_URL", "https://github.com/nianbao-archive/nianbao")
USER_AGENT = f"nianbao/{__version__} (+{CONTACT_URL}; archive of government information-disclosure annual reports)"
DEFAULT_DELAY = 2.0


def use_bundled_public_suffix_list() -> None:
    """Scrapy's cookie middleware builds a TLDExtract that downloads the suffix list on first use;
    with no network that stalls every crawl. The snapshot bundled with tldextract is enough."""
    from scrapy.downloadermiddlewares import cookies

    cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True, cache_dir=None)


def crawl_settings(delay: float = DEFAULT_DELAY, *, log_level: str = "WARNING") -> dict[str, Any]:
    return {
        "BOT_NAME": "nianbao",
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        # Many portals in parallel, few requests at a time to any one of them.
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": 64 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 16 * 1024 * 1024,
        # Long columns page through 下一页 one link at a time: each page is one level deeper.
        "DEPTH_LIMIT": 200,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy's remote control writes a job file with a control token that a kill -9 leaves behind
        "REMOTE_CONTROL_ENABLED": False,
        "URLLENGTH_LIMIT": 2083,
        # A calendar or search page can page for ever: at most this many list pages per portal
        # (a registry entry may say max_list_pages)
        "NIANBAO_MAX_LIST_PAGES": 3000,
        # Discovery reads menus, catalogues of bodies and their pages, never the whole site: at most this many
        # navigation pages per portal (a registry entry may say max_discovery_pages)
        "NIANBAO_MAX_DISCOVERY_PAGES": 400,
        "LOG_LEVEL": log_level,
        "REDIRECT_ENABLED": True,
        "DOWNLOADER_MIDDLEWARES": {
            # Nearest the network, so bodies are archived before decompression (HttpCompression is 590).
            "crawler.middlewares.ArchiveMiddleware": 950,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.ReportPipeline": 300},
        "HTTPCACHE_ENABLED": False,
        "FEED_EXPORT_ENCODING": "utf-8",
    }
