"""Search that finds Chinese words of any length, canned queries and exports, through real Datasette."""

from __future__ import annotations

import asyncio
import io
import random

import pytest
import sqlite_utils
from datasette.app import Datasette
from openpyxl import load_workbook

from archive import search
from archive.export import write_export
from archive.search import match_expression
from archive.serve import metadata_for
from archive.store import Store
from parsers.model import Check, Metric, Report, Section

WORDS = ["行政复议", "行政诉讼", "政府信息", "公开", "申请", "县", "复议", "2017年", "主动公开", "依申请", "条例", "网站",
         "乡镇", "街道", "信访", "举报", "收费", "减免", "复核", "县政府", "市", "ABC", "年度报告", "一", "二、"]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(["", "，", "。", "的", "和", "了", "为"]) for _ in range(rng.randint(3, 40)))


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "corpus.db"
    store = Store(path)
    rng = random.Random(7)
    for i in range(150):
        sections = [Section(str(n), None, random_text(rng)[:20], random_text(rng)) for n in range(rng.randint(1, 6))]
        report = Report(title=f"测试{i}县{2010 + i % 14}年政府信息公开工作年度报告", issuer=f"测试{i}县人民政府",
                        report_year=2010 + i % 14, format="legacy", sections=sections)
        store.save_report(report, url=f"http://127.0.0.1/r{i}.html", portal_id=None, capture_id=None,
                          sha256=str(i), seen_at="2024-01-01T00:00:00+00:00", parser_version="test")
    return path


def search_rowids(db: sqlite_utils.Database, query: str) -> set[int]:
    expression = match_expression(query)
    return {r[0] for r in db.execute("select rowid from sections where rowid in "
                                     "(select rowid from sections_search where sections_search match ?)", [expression])}


def like_rowids(db: sqlite_utils.Database, query: str) -> set[int]:
    return {r[0] for r in db.execute("select rowid from sections where title like ? or text like ?",
                                     [f"%{query}%"] * 2)}


def sampled_queries(db: sqlite_utils.Database) -> list[str]:
    rng = random.Random(11)
    texts = [r[0] for r in db.execute("select text from sections where length(text) > 10")]
    queries = ["复议", "县", "行政复议", "2017年", "公开", "诉讼", "不存在的词", "年", "ABC", "abc", "县政"]
    for length in (1, 2, 3, 5):
        for _ in range(15):
            text = rng.choice(texts)
            start = rng.randrange(0, len(text) - length)
            queries.append(text[start:start + length])
    return [q for q in queries if q.strip() and not any(c in q for c in ' "')]


def test_search_equals_like_ground_truth_for_1_2_3_and_5_character_queries(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    queries = sampled_queries(db)
    assert {len(q) for q in queries} >= {1, 2, 3, 5}
    for query in queries:
        assert search_rowids(db, query) == like_rowids(db, query), query
    assert search_rowids(db, "复议"), "the corpus must contain the common words"


def test_whitespace_inside_chinese_text_does_not_break_a_match(tmp_path):
    store = Store(tmp_path / "w.db")
    report = Report(title="某县2015年政府信息公开工作年度报告", format="legacy",
                    sections=[Section("一", "review_litigation", "行政 复议情况", "全年未发生行政\u3000复议和行 政诉讼案件。")])
    store.save_report(report, url="http://127.0.0.1/w.html", portal_id=None, capture_id=None, sha256="x",
                      seen_at="2024-01-01", parser_version="test")
    db = sqlite_utils.Database(tmp_path / "w.db")
    assert len(search_rowids(db, "行政复议")) == 1 and len(search_rowids(db, "行政诉讼")) == 1


def test_an_index_made_by_an_older_version_is_rebuilt_with_its_prefix_index(tmp_path):
    path = tmp_path / "old.db"
    Store(path).save_report(Report(title="某县2018年政府信息公开工作年度报告", format="legacy",
                                   sections=[Section("一", None, "概述", "全年受理行政复议3件。")]),
                            url="http://127.0.0.1/r.html", portal_id=None, capture_id=None, sha256="x",
                            seen_at="2024-01-01", parser_version="test")
    db = sqlite_utils.Database(path)
    db.execute("drop table sections_search")  # as versions before the prefix index made it
    db.execute("create virtual table sections_search using fts5(tokens, content='', columnsize=0)")
    search.add(db, "sections_search", [r[0] for r in db.execute("select rowid from sections")])
    db.conn.commit()
    reopened = Store(path).db
    made = reopened.execute("select sql from sqlite_master where name = 'sections_search'").fetchone()[0]
    assert "prefix='4'" in made
    assert len(search_rowids(reopened, "复")) == len(search_rowids(reopened, "行政复议")) == 1


def test_a_new_version_replaces_the_old_text_in_the_index(tmp_path):
    store = Store(tmp_path / "v.db")
    for sha, text in (("1", "本年度收到行政复议申请"), ("2", "本年度未收到任何申请")):
        store.save_report(Report(title="某县2016年政府信息公开工作年度报告", format="legacy",
                                 sections=[Section("一", None, "概述", text)]),
                          url="http://127.0.0.1/v.html", portal_id=None, capture_id=None, sha256=sha,
                          seen_at="2024-01-01", parser_version="test")
    db = sqlite_utils.Database(tmp_path / "v.db")
    assert not search_rowids(db, "复议") and len(search_rowids(db, "任何")) == 1


def datasette_get(path: str, db_path, **kwargs):
    async def fetch():
        ds = Datasette([str(db_path)], metadata=metadata_for(db_path))
        return await ds.client.get(path, **kwargs)

    return asyncio.run(fetch())


def test_datasette_search_box_uses_the_chinese_index(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    for query in ("县", "复议", "行政复议"):
        response = datasette_get(f"/corpus/sections.json?_search={query}&_size=max&_col=report_id", corpus_db)
        assert response.status_code == 200
        assert len(response.json()["rows"]) == len(like_rowids(db, query)), query
    page = datasette_get("/corpus/sections?_search=行政复议", corpus_db)
    assert 'name="_search"' in page.text and "行政复议" in page.text
    titles = datasette_get("/corpus/reports.json?_search=测试12县&_shape=array&_col=title", corpus_db).json()
    assert {row["title"] for row in titles} == {"测试12县2022年政府信息公开工作年度报告"}


def test_scraped_text_is_escaped_never_rendered(tmp_path):
    store = Store(tmp_path / "x.db")
    store.save_report(Report(title="某县2018年政府信息公开工作年度报告", format="legacy",
                             sections=[Section("一", None, "概述", "<script>alert('x')</script><b>粗体</b>")]),
                      url="http://127.0.0.1/x.html", portal_id=None, capture_id=None, sha256="x",
                      seen_at="2024-01-01", parser_version="test")
    page = datasette_get("/x/sections", tmp_path / "x.db").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


@pytest.fixture(scope="module")
def figures_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("figures") / "figures.db"
    store = Store(path)
    for year, received, granted, total in ((2021, 12, 7, 12), (2022, 20, 9, 19)):
        metrics = [Metric("applications", "new_received", "total", received, str(received)),
                   Metric("applications", "outcome.granted", "total", granted, str(granted)),
                   Metric("applications", "outcome.total", "total", total, str(total))]
        checks = [Check("T3.balance", "total", "pass" if received == total else "fail", f"{received} vs {total}")]
        store.save_report(Report(title=f"灵山县{year}年政府信息公开工作年度报告", issuer="灵山县人民政府", report_year=year,
                                 format="gov2021", metrics=metrics, checks=checks, flags=["mirror_site"] * (year == 2022)),
                          url=f"http://127.0.0.1/{year}.html", portal_id=None, capture_id=None, sha256=str(year),
                          seen_at="2024-01-01", parser_version="test")
    return path


def test_canned_queries_answer_researchers_questions(figures_db):
    def rows(path):
        response = datasette_get(path, figures_db)
        assert response.status_code == 200, response.text[:500]
        return response.json()

    compared = rows("/figures/compare_metric.json?table_key=applications&row_key=new_received&col_key=total"
                    "&year=2022&_shape=array")
    assert [(r["report_year"], r["value"]) for r in compared] == [(2022, 20)]
    series = rows("/figures/issuer_series.json?issuer=灵山&_shape=array")
    assert [(r["report_year"], r["applications_new"], r["granted"]) for r in series] == [(2021, 12, 7), (2022, 20, 9)]
    failed = rows("/figures/failed_checks.json?_shape=array")
    assert [(r["report_year"], r["rule"]) for r in failed] == [(2022, "T3.balance")]
    assert [r["report_year"] for r in rows("/figures/flagged_reports.json?_shape=array")] == [2022]
    per_year = rows("/figures/applications_per_year.json?_shape=array")
    assert per_year[1]["applications_new_table3"] == per_year[1]["applications_received"] == 20
    assert rows("/figures/changed_after_publication.json?_shape=array") == []


def test_exports_open_in_excel(figures_db, tmp_path):
    csv_path, xlsx_path = tmp_path / "wide.csv", tmp_path / "tidy.xlsx"
    assert write_export(figures_db, csv_path, wide=True, years=[2022]) == 1
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "灵山县人民政府".encode() in data
    assert write_export(figures_db, xlsx_path, wide=False) == 6
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]][:3] == ["报告编号", "报告机关", "行政区划代码"]  # Chinese headers first,
    assert [c.value for c in sheet[2]][:3] == ["report_id", "issuer", "region_code"]  # the keys below them
    assert sheet.cell(3, 2).value == "灵山县人民政府"
    labels = [row[8].value for row in sheet.iter_rows(min_row=3)]
    assert "一、本年新收政府信息公开申请数量 · 总计" in labels
    keys_only = tmp_path / "keys.csv"
    write_export(figures_db, keys_only, wide=True, chinese=False)
    assert keys_only.read_text("utf-8-sig").splitlines()[0].startswith("report_id,portal_id,issuer")
    with pytest.raises(ValueError):
        write_export(figures_db, tmp_path / "x.txt", wide=True)
    with pytest.raises(ValueError):  # no folder is made up
        write_export(figures_db, tmp_path / "no" / "such" / "x.csv", wide=True)


def test_datasette_offers_excel_csv_and_xlsx_downloads(figures_db):
    csv_response = datasette_get("/figures/report_figures.excelcsv", figures_db)
    assert csv_response.status_code == 200 and csv_response.content.startswith(b"\xef\xbb\xbf")
    assert "灵山县人民政府" in csv_response.content.decode("utf-8-sig")
    xlsx_response = datasette_get("/figures/failed_checks.xlsx", figures_db)
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert (sheet.cell(1, 3).value, sheet.cell(2, 3).value, sheet.cell(3, 3).value) == ("规则", "rule", "T3.balance")


def test_public_instance_blocks_robots_and_writes_nothing(figures_db):
    assert "Disallow: /" in datasette_get("/robots.txt", figures_db).text
    response = datasette_get("/figures/-/query?sql=delete+from+reports", figures_db)
    assert response.status_code in (400, 403) or "Statement may not" in response.text or "read-only" in response.text
    assert sqlite_utils.Database(figures_db)["reports"].count == 2


def test_cross_year_checks_compare_consecutive_reports_of_one_body(tmp_path):
    store = Store(tmp_path / "x.db")
    years = {2021: {"carried_forward": 3, "in_force": 40}, 2022: {"carried_over": 3, "in_force": 44, "issued": 6,
                                                                  "repealed": 1}}
    for year, figures in years.items():
        metrics = [Metric("applications", row, "total", figures[row], str(figures[row]))
                   for row in ("carried_over", "carried_forward") if row in figures]
        metrics += [Metric("active_art20_1", "normative_docs", col, figures[col], str(figures[col]))
                    for col in ("in_force", "issued", "repealed") if col in figures]
        store.save_report(Report(title=f"灵山县{year}年政府信息公开工作年度报告", issuer="灵山县人民政府", report_year=year,
                                 format="gov2021", metrics=metrics),
                          url=f"http://127.0.0.1/{year}.html", portal_id=None, capture_id=None, sha256=str(year),
                          seen_at="2024-01-01", parser_version="test")
    rows = {(r["rule"], r["scope"]): (r["status"], r["expected"]) for r in
            sqlite_utils.Database(tmp_path / "x.db").query("select * from cross_year_checks")}
    assert rows == {("X.carry", "total"): ("pass", None), ("X.in_force", "normative_docs"): ("fail", 45)}


def test_every_figure_has_its_printed_chinese_label(figures_db):
    db = sqlite_utils.Database(figures_db)
    assert next(db.query("select count(*) n from metrics where label_id is null"))["n"] == 0
    label = next(db.query("select l.* from metrics m join metric_labels l on l.id = m.label_id "
                          "where m.table_key = 'applications' and m.row_key = 'new_received' and m.col_key = 'total'"))
    assert label["label"] == "一、本年新收政府信息公开申请数量 · 总计" and label["label_en"] == "new received / total"
    assert next(db.query("select label from metric_labels where table_key = 'legacy' and row_key = 'fees.total'"))[
        "label"] == "收取费用"


def test_report_page_and_archived_original_answer_404_for_what_is_not_there(figures_db):
    assert datasette_get("/-/nianbao/report/999999", figures_db).status_code == 404
    assert datasette_get("/-/nianbao/capture/999999", figures_db).status_code == 404
    assert datasette_get("/-/nianbao/capture/999999/raw", figures_db).status_code == 404
    report_id = next(sqlite_utils.Database(figures_db).query("select id from reports limit 1"))["id"]
    page = datasette_get(f"/-/nianbao/report/{report_id}", figures_db)
    assert page.status_code == 200 and "报告机关" in page.text


def test_comparisons_offer_choices_and_say_when_nothing_matches(figures_db):
    db = sqlite_utils.Database(figures_db)
    label = next(db.query("select id from metric_labels where table_key = 'applications' and row_key = 'new_received' "
                          "and col_key = 'total'"))["id"]
    page = datasette_get("/-/nianbao/compare", figures_db).text
    assert f'<option value="{label}">' in page and "本年新收政府信息公开申请数量" in page and '<option value="2022"' in page
    chosen = datasette_get(f"/-/nianbao/compare?figure={label}&year=2022", figures_db).text
    assert chosen.count("/-/nianbao/report/") == 1 and ">20<" in chosen
    assert "nb-empty" in datasette_get(f"/-/nianbao/compare?figure={label}&year=2019", figures_db).text
    series = datasette_get("/-/nianbao/series?issuer=灵山县人民政府", figures_db).text
    assert series.count("/-/nianbao/report/") == 2
    home = datasette_get("/", figures_db).text
    assert 'href="/figures/sections"' in home and 'href="/-/nianbao/compare"' in home


def test_canned_query_parameters_are_chosen_from_lists(figures_db):
    import re

    page = datasette_get("/figures/compare_metric", figures_db).text
    boxes = dict(re.findall(r'<select id="qp\d" name="(\w+)">(.*?)</select>', page))
    assert set(boxes) == {"table_key", "row_key", "col_key", "year"}  # no free-text box left to guess into
    assert '<option value="applications">applications · 三、收到和处理政府信息公开申请情况</option>' in boxes["table_key"]
    assert '<option value="new_received">' in boxes["row_key"] and "本年新收政府信息公开申请数量" in boxes["row_key"]
    assert re.findall(r'<option value="(\d*)"', boxes["year"]) == ["", "2022", "2021"]
    assert 'selected>— 选择 choose —' in boxes["table_key"]  # nothing is chosen for the user
    chosen = datasette_get("/figures/compare_metric?table_key=applications&row_key=new_received&col_key=total"
                           "&year=2022", figures_db).text
    assert '<option value="applications" selected>' in chosen and '<option value="2022" selected>' in chosen
    assert chosen.count("/-/nianbao/report/") == 1  # the query still runs with what was chosen
    typed = datasette_get("/figures/compare_metric?table_key=no_such_table", figures_db).text
    assert '<option value="no_such_table" selected>no_such_table</option>' in typed  # shown, never replaced
    series = datasette_get("/figures/issuer_series", figures_db).text  # a part of a name stays a valid answer
    assert re.search(r'<input type="text" id="qp1" name="issuer" value="" list="qp1-list">', series)
    assert '<option value="灵山县人民政府">灵山县人民政府 (2)</option>' in series


def test_interface_text_translated_but_never_the_data():
    from archive.ui_language import translate

    page = ('<html lang="en"><body><h3>1,618 rows</h3><select><option value="contains">contains</option></select>'
            '<input type="submit" value="Apply"><table><tr><td>contains</td><td>Next page</td></tr></table>'
            '<a href="?_next=2">Next page</a></body></html>')
    out = translate(page, "/demo/metrics")
    assert "<h3>1,618 行</h3>" in out and ">包含</option>" in out and 'value="应用"' in out
    assert "<td>contains</td><td>Next page</td>" in out  # cells are data: only the interface is translated
    assert '<a href="?_next=2">下一页</a>' in out and '<html lang="zh-CN">' in out
    assert 'href="/demo/metrics?_lang=en">English</a>' in out


def test_search_page_counts_and_pages_from_the_index(corpus_db):
    """/-/nianbao/search: the count taken from the index alone equals what LIKE finds, and the hits link their reports."""
    import re

    db = sqlite_utils.Database(corpus_db)
    for query in ("复议", "县", "行政复议", "不存在的词"):
        page = datasette_get(f"/-/nianbao/search?q={query}", corpus_db)
        assert page.status_code == 200
        count = int(re.search(r"([\d,]+) 个章节含", page.text).group(1).replace(",", ""))
        assert count == len(like_rowids(db, query)), query
        assert page.text.count('class="nb-hit"') == min(count, 50)
    page = datasette_get("/-/nianbao/search?q=县&offset=50", corpus_db)
    assert "/-/nianbao/report/" in page.text and "<mark>县</mark>" in page.text
