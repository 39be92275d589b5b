"""Who published, who was late, who is missing, whose figures jump: deadlines as data, coverage and anomalies.

Reports are portal pages built as portals publish them (tests/portal_pages.py), parsed by the real parser and
stored by the real store in a real SQLite file; the coverage view and the anomaly rules are read from there.
"""

from __future__ import annotations

from datetime import date

import pytest

from archive import anomalies
from archive.bodies import identify
from archive.coverage import set_deadline
from archive.store import Store
from parsers import parse

from .portal_pages import LEGACY_2015, Chrome, ReportSpec, page, report_body, sample_cells, text_page

PORTAL = {"id": "lingshan", "region_code": "450721", "level": "county", "province": "广西壮族自治区", "city": "钦州市"}
TODAY = date.today()


def last_passed_year(deadline: str = "03-31") -> int:
    """The last report year whose deadline (in the next year) is behind us."""
    year = TODAY.year - 1
    return year if f"{TODAY.year}-{deadline}" < TODAY.isoformat() else year - 1


def legacy_page(issuer: str, year: int, published: str, requests: int = 15, extra: str = "") -> bytes:
    """A pre-2019 report in prose, as the 2015 sample, for another body and year."""
    lines = [line.replace("示范县人民政府", issuer).replace("示范县", issuer.removesuffix("人民政府"))
             .replace("2015", str(year)).replace("受理政府信息公开申请15件", f"受理政府信息公开申请{requests}件")
             for line in LEGACY_2015]
    if extra:
        lines.insert(4, extra)
    return text_page(lines[0], published, lines[1:], Chrome(site_name=issuer))


def gov_page(issuer: str, year: int, published: str, *, said: str | None = None) -> bytes:
    fmt = "gov2021" if year >= 2021 else "gov2019"
    spec = ReportSpec(fmt, year, issuer, sample_cells(fmt, year))
    body = report_body(spec)
    if said is not None:  # the overview states another figure than table 3
        received = spec.cells[("applications", "new_received", "total")]
        body = body.replace(f"共收到政府信息公开申请{received}件", f"共收到政府信息公开申请{said}件")
    return page(f"{issuer}{year}年政府信息公开工作年度报告", published, body, Chrome(site_name=issuer))


class Archive:
    def __init__(self, path) -> None:
        self.store = Store(path)
        self.db = self.store.db
        self.store.upsert_portals([{"name": "灵山县人民政府", "start_urls": [], **PORTAL}])
        self.count = 0

    def add(self, data: bytes, seen: str | None = None) -> int:
        self.count += 1
        url = f"http://127.0.0.1/xxgk/{self.count}.html"
        report = parse(data, url=url)
        assert report.kind == "report", report.warnings
        result = self.store.save_report(report, url=url, portal_id="lingshan", capture_id=None, sha256=str(self.count),
                                        seen_at=seen or "2026-11-30T03:00:00+00:00", parser_version="test",
                                        portal=PORTAL)
        return result.report_id

    def coverage(self, issuer_key: str) -> dict[int, dict]:
        return {row["report_year"]: row for row in self.db.query(
            "select * from coverage where issuer_key = ? order by report_year", [issuer_key])}

    def found(self) -> list[dict]:
        anomalies.recompute(self.db)
        return list(self.db.query("select * from anomalies order by report_id, rule"))


@pytest.fixture
def archive(tmp_path) -> Archive:
    return Archive(tmp_path / "n.db")


def test_issuers_are_one_body_across_spellings():
    assert identify("灵山县政府", "450721").key == identify("灵山县人民政府", "450721").key
    assert identify("灵山人民政府", "450721").key == "灵山县人民政府"
    assert identify("縣審計局", "450721").key == "灵山县审计局"
    assert identify("南京市溧水区人民政府", "320117").key == identify("溧水区人民政府", "320117").key
    assert identify("平潭综合实验区管理委员会").key == identify("平潭综合实验区管委会").key
    assert identify("迁安市大五里镇").key == identify("迁安市大五里镇人民政府").key
    assert identify("南京市溧水区人民政府办公室", "320117").kind == "department"
    assert identify("银川市民族事务委员会(宗教事务局)").kind == "department"
    assert identify("重庆市九龙坡区二郎街道办事处").kind == "township"
    assert identify("苏银产业园管理委员会").kind == "other"
    government = identify("灵山县人民政府", "450721")
    assert (government.kind, government.level, government.region_code) == ("government", "county", "450721")
    assert identify("河北省人民政府").level == "province"
    assert identify("朝阳区人民政府", "110105").region_code == "110105"
    assert identify("朝阳区人民政府").region_code is None  # Beijing's or Changchun's: the name alone cannot say


def test_government_on_time_late_and_missing_across_the_2019_change(archive):
    g = "灵山县人民政府"
    ids = {
        2016: archive.add(legacy_page(g, 2016, "2017-03-31")),  # the last day of the 2007 rule
        2017: archive.add(legacy_page(g, 2017, "2018-04-01")),  # a day late
        2019: archive.add(gov_page(g, 2019, "2020-03-30")),  # governments keep 31 March after 2019
        2020: archive.add(gov_page(g, 2020, "2021-04-02")),
        2021: archive.add(gov_page(g, 2021, "2022-02-10")),
    }
    rows = archive.coverage(g)
    assert {y: rows[y]["status"] for y in (2016, 2017, 2018, 2019, 2020, 2021)} == {
        2016: "on_time", 2017: "late", 2018: "missing", 2019: "on_time", 2020: "late", 2021: "on_time"}
    assert rows[2017]["deadline"] == "2018-03-31" and rows[2019]["deadline"] == "2020-03-31"
    assert rows[2017]["published_date"] == "2018-04-01" and rows[2017]["published_date_source"] == "page"
    assert {y: rows[y]["report_id"] for y in ids} == ids and rows[2018]["report_id"] is None
    # missing at the end: every year up to the last whose deadline has passed, none after
    horizon = last_passed_year()
    assert max(rows) == horizon and all(rows[y]["status"] == "missing" for y in range(2022, horizon + 1))
    assert (rows[2019]["level"], rows[2019]["region_code"], rows[2019]["body_kind"]) == ("county", "450721", "government")


def test_department_and_government_in_the_same_year_have_different_deadlines(archive):
    archive.add(gov_page("灵山县人民政府", 2019, "2020-02-20"))
    archive.add(gov_page("灵山县审计局", 2019, "2020-02-20"))
    archive.add(gov_page("灵山县审计局", 2020, "2021-01-31"))
    government, department = archive.coverage("灵山县人民政府"), archive.coverage("灵山县审计局")
    assert (government[2019]["status"], government[2019]["deadline"]) == ("on_time", "2020-03-31")
    assert (department[2019]["status"], department[2019]["deadline"]) == ("late", "2020-01-31")
    assert department[2020]["status"] == "on_time" and department[2020]["level"] == "department"


def test_township_is_unknown_until_a_rule_is_configured(archive):
    town = "灵山县檀圩镇人民政府"
    archive.add(gov_page(town, 2020, "2021-03-01"))
    archive.add(gov_page(town, 2021, "2022-04-05"))
    rows = archive.coverage("灵山县檀圩镇")
    assert rows[2020]["status"] == rows[2021]["status"] == "unknown" and rows[2020]["deadline"] is None
    assert rows[2022]["status"] == "missing"  # no report at all is missing whatever the deadline
    set_deadline(archive.db, "township", "03-31")
    rows = archive.coverage("灵山县檀圩镇")
    assert (rows[2020]["status"], rows[2021]["status"]) == ("on_time", "late")
    assert rows[2021]["deadline"] == "2022-03-31"
    with pytest.raises(ValueError):
        set_deadline(archive.db, "township", "3-31")


def test_first_capture_stands_in_for_a_missing_date_and_never_makes_a_report_late(archive):
    data = legacy_page("灵山县人民政府", 2016, "2017-03-01").replace(b"2017-03-01", b"").replace(
        "发布时间".encode(), b"")
    report = parse(data)
    assert report.published_date is None
    archive.add(data, seen="2017-02-01T00:00:00+00:00")
    archive.add(legacy_page("灵山县人民政府", 2017, "x").replace("发布时间".encode(), b"").replace(b"x 09:30", b""),
                seen="2019-06-01T00:00:00+00:00")
    rows = archive.coverage("灵山县人民政府")
    assert (rows[2016]["status"], rows[2016]["published_date"], rows[2016]["published_date_source"]) == (
        "on_time", "2017-02-01", "first_capture")
    assert rows[2017]["status"] == "unknown"  # first seen after the deadline: published when, nobody knows


def test_national_coverage_counts_every_county_level_government(archive):
    archive.add(gov_page("灵山县人民政府", 2020, "2021-03-01"))
    rows = {(r["region_code"], r["report_year"]): r for r in archive.db.query("select * from county_coverage")}
    counties = archive.db.execute(
        "select count(*) from divisions where level = 'county' and statistical = 0").fetchone()[0]
    assert counties > 2800
    assert len({code for code, _ in rows}) == counties
    assert rows[("450721", 2020)]["status"] == "on_time"
    assert rows[("450722", 2020)]["status"] == "missing"  # 浦北县, next door: nothing in the archive


def test_anomalies_found_on_crafted_series(archive):
    g = "灵山县人民政府"
    a2013 = archive.add(legacy_page(g, 2013, "2014-03-01", requests=8))
    a2014 = archive.add(legacy_page(g, 2014, "2015-03-01", requests=150))  # ×19
    a2015 = archive.add(legacy_page(g, 2015, "2016-03-01", requests=150))  # the 2014 text, years aside
    twice = archive.add(legacy_page(g, 2015, "2016-03-05", requests=151))  # 2015 again, another figure
    early = archive.add(legacy_page("灵山县审计局", 2016, "2016-11-20"))  # before 2016 had ended
    said = archive.add(gov_page(g, 2020, "2021-03-01", said="17"))  # the text says 17, table 3 otherwise
    rules = {(a["report_id"], a["rule"]) for a in archive.found()}
    assert (a2014, "jump") in rules and (a2015, "copied") in rules and (twice, "year_twice") in rules
    assert (early, "published_early") in rules and (said, "text_vs_table") in rules
    assert (a2013, "jump") not in rules and (a2015, "jump") not in rules
    jump = next(archive.db.query("select * from anomalies where rule = 'jump'"))
    assert (jump["figure"], jump["value"], jump["other_value"], jump["other_report_id"]) == (
        "applications_received", 150, 8, a2013)
    text = next(archive.db.query("select * from anomalies where rule = 'text_vs_table'"))
    assert text["value"] == 17 and text["other_value"] != 17 and "17" in text["detail"]


def test_a_heuristic_of_the_format_is_stored_as_the_reports_anomaly_with_both_figures(archive):
    spec = ReportSpec("gov2019", 2020, "灵山县人民政府", sample_cells("gov2019", 2020))
    spec.cells[("active_art20_1", "regulations", "new_published")] = "7"
    spec.cells[("active_art20_1", "regulations", "total_published")] = "3"
    report_id = archive.add(page("灵山县人民政府2020年政府信息公开工作年度报告", "2021-01-20", report_body(spec), Chrome()))
    rows = list(archive.db.query("select * from anomalies where rule = 'T2_2019.published_le_total'"))
    assert [(r["report_id"], r["scope"], r["figure"], r["value"], r["other_value"]) for r in rows] == [
        (report_id, "report", "active_art20_1.regulations", 7, 3)]


def test_no_anomaly_on_a_smooth_series(archive):
    g = "灵山县人民政府"
    for year, requests in ((2012, 30), (2013, 34), (2014, 29), (2015, 41), (2016, 36)):
        archive.add(legacy_page(g, year, f"{year + 1}-02-10", requests=requests,
                                extra=f"{year}年，我县重点推进第{year - 2000}批行政权力清单公开。"))
    for year in (2019, 2020, 2021):
        archive.add(gov_page(g, year, f"{year + 1}-02-01"))
    assert archive.found() == []


def test_reparse_and_recompute_keep_one_set_of_anomalies(archive):
    g = "灵山县人民政府"
    archive.add(legacy_page(g, 2013, "2014-03-01", requests=8))
    archive.add(legacy_page(g, 2014, "2015-03-01", requests=150))
    first = archive.found()
    assert archive.found() == first and len(first) == 1
