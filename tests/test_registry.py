"""The portal registry: the bundled real portals and the errors a hand-edited file can have."""

from __future__ import annotations

import pytest

from crawler.registry import RegistryError, load_registry, parse_registry


def test_bundled_registry_is_valid_and_names_real_report_columns():
    portals = load_registry()
    assert len(portals) >= 60
    assert len({p.id for p in portals}) == len(portals)
    assert all(p.start_urls and all(u.startswith(("http://", "https://")) for u in p.start_urls) for p in portals)
    assert all(p.region_code is None or (len(p.region_code) == 6 and p.region_code.isdigit()) for p in portals)
    lingshan = next(p for p in portals if p.id == "lingshan")
    assert lingshan.region_code == "450721" and lingshan.hosts == {"www.lingshan.gov.cn", "lingshan.gov.cn"}


@pytest.mark.parametrize("text, message", [
    ("portals: {}", "top-level 'portals:' list"),
    ("portals:\n  - id: a\n    name: A\n", "missing 'start_urls'"),
    ("portals:\n  - id: a\n    name: A\n    start_urls: [ftp://x]\n", "not http"),
    ("portals:\n  - id: a\n    name: A\n    level: village\n    start_urls: [http://x]\n", "level must be"),
    ("portals:\n  - {id: a, name: A, start_urls: [http://x]}\n  - {id: a, name: B, start_urls: [http://y]}\n", "duplicate"),
])
def test_registry_errors_name_the_portal_and_the_field(text, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(text)


def test_hints_are_kept_and_allowed_domains_widen_the_site():
    portal = parse_registry("portals:\n  - id: a\n    name: A\n    start_urls: [http://www.a.gov.cn/nb/]\n"
                            "    allowed_domains: [files.a.gov.cn]\n    content_selector: '#zoom'\n")[0]
    assert portal.hints == {"allowed_domains": ["files.a.gov.cn"], "content_selector": "#zoom"}
    assert portal.hosts == {"www.a.gov.cn", "a.gov.cn", "files.a.gov.cn"}


def test_a_portal_reaches_its_own_subdomains_but_not_a_citys():
    from crawler.links import on_site

    county, township = parse_registry(
        "portals:\n  - {id: a, name: A, start_urls: ['http://www.lingshan.gov.cn/nb/']}\n"
        "  - {id: b, name: B, start_urls: ['https://funing.yancheng.gov.cn/col/col1/index.html']}\n")
    assert on_site("http://xxgk.lingshan.gov.cn/2023/t1.html", county.hosts)
    assert not on_site("http://www.qinzhou.gov.cn/t1.html", county.hosts)
    assert on_site("https://funing.yancheng.gov.cn/art/2023/1/1/art_1_2.html", township.hosts)
    assert not on_site("https://dafeng.yancheng.gov.cn/art/2023/1/1/art_1_2.html", township.hosts)
