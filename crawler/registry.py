"""The portal registry (YAML), per ../shared/spec/interfaces.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

LEVELS = ("province", "city", "county", "township", "department")
HINT_KEYS = ("allowed_domains", "list_link_selector", "next_page_selector", "content_selector", "max_list_pages",
             "max_discovery_pages")


class RegistryError(ValueError):
    """The registry file is malformed; the message names the portal and the field."""


@dataclass
class Portal:
    id: str
    name: str
    start_urls: list[str]
    region_code: str | None = None
    level: str | None = None
    province: str | None = None
    city: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    home_url: str | None = None  # discovery finds every body's report column from here (crawler/discovery.py)

    @property
    def hosts(self) -> set[str]:
        """The portal's hosts; for www.x.gov.cn also x.gov.cn and so its subdomains (xxgk.x.gov.cn), where many
        portals keep their disclosure pages. A portal on a city's subdomain (funing.yancheng.gov.cn) does not
        open the whole city's domain."""
        hosts = {(urlsplit(u).hostname or "").lower() for u in [*self.start_urls, *filter(None, [self.home_url])]}
        hosts.update(h.lower() for h in self.hints.get("allowed_domains", []))
        return {h for h in hosts if h} | {h.removeprefix("www.") for h in hosts if h.startswith("www.")}

    def row(self) -> dict[str, Any]:
        return asdict(self)


def _portal(entry: dict[str, Any], index: int) -> Portal:
    where = f"portal #{index + 1} ({entry.get('id', '?')})"
    for key in ("id", "name"):
        if not entry.get(key):
            raise RegistryError(f"{where}: missing '{key}'")
    if not entry.get("start_urls") and not entry.get("home_url"):
        raise RegistryError(f"{where}: missing 'start_urls' (or 'home_url', for discovery)")
    urls = entry.get("start_urls") or []
    if isinstance(urls, str):
        urls = [urls]
    home = entry.get("home_url")
    for url in [*urls, *filter(None, [home])]:
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"{where}: start URL is not http(s): {url}")
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        raise RegistryError(f"{where}: level must be one of {', '.join(LEVELS)}, not {level!r}")
    hints = {k: entry[k] for k in HINT_KEYS if k in entry}
    code = entry.get("region_code")
    return Portal(id=str(entry["id"]), name=entry["name"], start_urls=list(urls),
                  region_code=str(code) if code is not None else None, level=level,
                  province=entry.get("province"), city=entry.get("city"), hints=hints, home_url=home)


def parse_registry(text: str) -> list[Portal]:
    data = yaml.safe_load(text) or {}
    entries = data.get("portals") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RegistryError("the registry needs a top-level 'portals:' list")
    portals = [_portal(e, i) for i, e in enumerate(entries)]
    seen: set[str] = set()
    for portal in portals:
        if portal.id in seen:
            raise RegistryError(f"duplicate portal id {portal.id!r}")
        seen.add(portal.id)
    return portals


def load_registry(path: str | Path | None = None) -> list[Portal]:
    """Portals from FILE, or the bundled registry of real county portals."""
    if path is None:
        return parse_registry((Path(__file__).parent / "portals.yml").read_text("utf-8"))
    return parse_registry(Path(path).read_text("utf-8"))
