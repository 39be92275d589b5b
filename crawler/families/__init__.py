"""What each common portal CMS hides from plain <a> links: script-built pagination, XML datastores.

Every family looks at every list page (the checks are cheap regexes), so a portal needs no
declared family; a new family is one more module listed in FAMILIES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class PageRequest:
    """A further list page (or data endpoint) that a page announces only in its scripts."""

    url: str
    method: str = "GET"
    form: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return self.url, self.method, tuple(sorted(self.form.items()))


class Family(Protocol):
    name: str

    def pages(self, page_url: str, source: str) -> list[PageRequest]: ...

    def links(self, page_url: str, source: str) -> list[Link]: ...


def all_families() -> list[Family]:
    from . import hanweb, trs

    return [trs.TRS(), hanweb.Hanweb()]
