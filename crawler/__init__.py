"""The Scrapy application: portals → captures (archive) → reports (parsers) → database."""

__version__ = "0.1.0"
