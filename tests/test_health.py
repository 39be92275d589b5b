"""Portal health after each crawl: a portal that silently breaks is told apart from one with nothing new."""

from __future__ import annotations

import sqlite_utils
import yaml

from .conftest import nianbao
from .portal_sites import listing, report
from .servers import Answer, Site

CHALLENGE = b"<html><script>document.cookie='__jsluid=1';location.reload();</script></html>"


def crawl(tmp_path, portals: list[dict], *extra: str):
    registry = tmp_path / "p.yml"
    registry.write_text(yaml.safe_dump({"portals": portals}, allow_unicode=True), "utf-8")
    return nianbao("crawl", "--portals", str(registry), "--db", str(tmp_path / "n.db"), "--archive",
                   str(tmp_path / "archive"), "--delay", "0", "--timeout", "5", *extra, cwd=tmp_path)


def health(tmp_path, crawl_id: int) -> dict[str, dict]:
    db = sqlite_utils.Database(tmp_path / "n.db")
    return {row["portal_id"]: row for row in db.query("select * from portal_health where crawl_id = ?", [crawl_id])}


def test_each_kind_of_breakage_has_its_status_and_fails_the_run_when_asked(tmp_path):
    reports = [(f"/good/r{year}.html", f"示范县{year}年政府信息公开工作年度报告") for year in (2020, 2021, 2022)]
    with Site() as site:
        site.answers["/good/index.html"] = Answer(listing(reports))
        for path, title in reports:
            site.answers[path] = Answer(report(int(title[3:7])))
        site.answers["/gone/index.html"] = Answer(b"not found", 404)
        site.answers["/waf/index.html"] = Answer(CHALLENGE)
        site.answers["/old/index.html"] = Answer(b"", 301, headers={"Location": "/new/column/"})
        site.answers["/new/column/"] = Answer(listing([]))
        site.answers["/https/index.html"] = Answer(b"", 301, headers={"Location": f"{site.base_url}/https/index.html/"})
        site.answers["/https/index.html/"] = Answer(listing([]))
        portals = [{"id": name, "name": "示范县人民政府", "start_urls": [f"{site.base_url}/{name}/index.html"]}
                   for name in ("good", "gone", "waf", "old", "https")]
        portals.append({"id": "dead", "name": "示范县人民政府", "start_urls": ["http://127.0.0.1:1/index.html"]})
        first = crawl(tmp_path, portals, "--fail-on-regression")
        rows = health(tmp_path, 1)
        assert first.returncode == 1 and "portals not ok" in first.stderr
        assert {pid: row["status"] for pid, row in rows.items()} == {
            "good": "ok", "gone": "moved", "waf": "blocked", "old": "moved", "https": "ok", "dead": "unreachable"}
        assert rows["good"]["reports_seen"] == 3 and rows["good"]["new_reports"] == 3
        assert rows["waf"]["challenges"] == 1 and rows["dead"]["network_errors"] >= 1
        assert "/new/column/" in rows["old"]["detail"] and "dead" in first.stdout and "unreachable" in first.stdout

        only_good = portals[:1]
        site.answers["/good/index.html"] = Answer(listing(reports[:2]))  # one report gone from the column
        second = crawl(tmp_path, only_good, "--fail-on-regression")
        assert second.returncode == 1 and health(tmp_path, 2)["good"]["status"] == "dropped"
        site.answers["/good/index.html"] = Answer(listing([]))
        crawl(tmp_path, only_good)
        assert health(tmp_path, 3)["good"]["status"] == "zero_yield"
        site.answers["/good/index.html"] = Answer(listing(reports))
        fourth = crawl(tmp_path, only_good, "--fail-on-regression")
        assert fourth.returncode == 0, fourth.stderr
        row = health(tmp_path, 4)["good"]
        assert row["status"] == "ok" and row["reports_seen"] == 3 and row["unchanged_reports"] == 3
