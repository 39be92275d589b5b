"""Datasette as a researcher sees it: headless Chromium (Debian's) driven by Playwright.

Screenshots are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import NIANBAO, REPO, nianbao

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (scripts/test.sh installs it when run as root)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    result = nianbao("demo", "--no-serve", "--db", str(work / "demo.db"), "--archive", str(work / "archive"),
                     "--site-port", str(free_port()), cwd=work)
    assert result.returncode == 0, result.stderr[-2000:]
    port = free_port()
    log = work / "serve.log"
    server = subprocess.Popen([str(NIANBAO), "serve", "--db", str(work / "demo.db"), "--archive", str(work / "archive"),
                               "--port", str(port)], cwd=work, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"nianbao serve did not start: {log.read_text('utf-8')[-2000:]}")
    yield base
    server.terminate()
    server.wait(timeout=10)
    errors = [line for line in log.read_text("utf-8", "replace").splitlines() if "ERROR" in line or "Traceback" in line]
    assert not errors, f"the server logged errors while the tests browsed: {errors[:5]}"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_home_page_names_the_archive_in_chinese_and_english(page, served):
    page.goto(served + "/")
    assert "政府信息公开工作年度报告" in page.title()
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)


def test_search_box_finds_a_two_character_word(page, served):
    page.goto(served + "/demo/sections")
    page.fill("#_search", "复议")
    page.press("#_search", "Enter")
    page.wait_for_load_state("networkidle")
    assert "search matches" in page.content() and "复议" in page.url or "%E5%A4%8D%E8%AE%AE" in page.url
    rows = page.locator("table.rows-and-columns td.col-report_id")
    assert rows.count() >= 5
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)


def test_datasette_pages_read_in_chinese_with_english_a_click_away(page, served):
    page.goto(served + "/demo/metrics?_size=5")
    text = page.inner_text("body")
    assert "下一页" in text and "高级导出" in text and "数据许可" in text and "Next page" not in text
    assert page.locator("input[type=submit]").first.get_attribute("value") == "应用"
    page.screenshot(path=str(ARTIFACTS / "table-zh.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=English")
    assert "Next page" in page.inner_text("body")
    page.goto(served + "/demo")  # the choice is remembered
    assert "Custom SQL query" in page.inner_text("body")
    with page.expect_navigation():
        page.click("text=中文")
    assert "自定义 SQL 查询" in page.inner_text("body")


def test_canned_query_lists_reports_whose_figures_do_not_add_up(page, served):
    page.goto(served + "/demo/failed_checks")
    cells = page.locator("table.rows-and-columns td.col-rule")
    assert cells.count() >= 1 and "T3." in cells.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "failed_checks.png"), full_page=True)


def chart_texts(page, url: str, charts: int = 4) -> list[list[str]]:
    """Each chart's SVG text, once every chart has drawn."""
    page.goto(url)
    page.wait_for_function(f"document.querySelectorAll('.vega-embed svg.marks').length >= {charts}", timeout=20000)
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => [...document.querySelectorAll('.vega-embed svg.marks')].map(svg =>"
                         " [...svg.querySelectorAll('text')].map(t => t.textContent))")


def test_dashboard_draws_charts_with_whole_number_count_axes(page, served):
    charts = chart_texts(page, served + "/-/dashboards/overview")
    assert len(charts) == 4 and not any("无数据" in " ".join(texts) for texts in charts)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    y_labels = page.evaluate("() => [...document.querySelectorAll('.vega-embed svg.marks')].map(svg =>"
                             " [...svg.querySelectorAll('.role-axis')].filter(a => a.getAttribute('aria-label')"
                             "  && a.getAttribute('aria-label').startsWith('Y-axis'))"
                             " .flatMap(a => [...a.querySelectorAll('.role-axis-label text')].map(t => t.textContent)))")
    for labels in y_labels:  # counts: 0, 1, 2 … never 0.5 printed as 1 twice
        assert labels and all(label.replace(",", "").isdigit() for label in labels), labels
        assert len(set(labels)) == len(labels), labels


def test_a_chart_with_nothing_to_draw_says_so(page, served):
    charts = chart_texts(page, served + "/-/dashboards/overview?issuer=没有这个机关")
    assert len(charts) == 4 and all(any("无数据" in text for text in texts) for texts in charts), charts
    page.screenshot(path=str(ARTIFACTS / "dashboard-empty.png"), full_page=True)
    coverage = chart_texts(page, served + "/-/dashboards/coverage?province=没有这个省", charts=2)
    assert len(coverage) == 2 and all(any("无数据" in text for text in texts) for texts in coverage), coverage
    drawn = chart_texts(page, served + "/-/dashboards/coverage", charts=2)
    assert not any("无数据" in " ".join(texts) for texts in drawn) and any("灵山县人民政府" in t for t in drawn[0])


def test_wide_table_downloads_as_xlsx(page, served, tmp_path):
    from openpyxl import load_workbook

    page.goto(served + "/demo/report_figures")
    with page.expect_download() as download_info:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; document.body.appendChild(a);"
                      " a.click(); }", served + "/demo/report_figures.xlsx")
    target = tmp_path / "figures.xlsx"
    download_info.value.save_as(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "报告编号" and rows[1][0] == "report_id" and len(rows) == 12, rows
    assert "xlsx" in page.content()  # the renderer is offered on the page
    page.screenshot(path=str(ARTIFACTS / "report_figures.png"), full_page=True)


def report_id(served: str, year: int) -> int:
    import json

    with urllib.request.urlopen(f"{served}/demo/reports.json?report_year={year}&_shape=array&_col=id") as answer:
        return json.loads(answer.read())[0]["id"]


@pytest.mark.parametrize(("year", "label"), [(2021, "本年新收政府信息公开申请数量"), (2019, "本年新收政府信息公开申请数量"),
                                             (2017, "受理政府信息公开申请")])
def test_report_page_reads_as_a_report_and_reaches_its_archived_original(page, served, year, label):
    from crawler.demo import demo_site_dir

    page.goto(f"{served}/-/nianbao/report/{report_id(served, year)}")
    content = page.content()
    assert label in content and "报告机关" in content
    if year == 2019:  # the demo's 2019 report does not add up: its cells are marked
        failing = page.locator("table.nb-grid td.fail")
        assert failing.count() >= 2 and "T3." in failing.first.get_attribute("title")
    if year == 2017:
        assert page.locator("table.nb-grid th", has_text="收取费用").count() == 1  # prose figures with their sentences
    page.screenshot(path=str(ARTIFACTS / f"report-{year}.png"), full_page=True)
    page.click("a.nb-original")
    page.wait_for_selector("a.nb-raw")
    assert "SHA-256" in page.content()
    raw_url = page.get_attribute("a.nb-raw", "href")
    answer = page.request.get(served + raw_url)
    assert "sandbox" in answer.headers["content-security-policy"]
    url = page.locator("table.nb-meta td").first.inner_text()
    served_file = demo_site_dir() / url.split("/", 3)[3]
    assert answer.body() == served_file.read_bytes()  # byte for byte what the portal sent
    page.screenshot(path=str(ARTIFACTS / f"capture-{year}.png"), full_page=True)


def test_compare_metric_is_answered_by_choosing_from_lists(page, served):
    page.goto(served + "/demo/compare_metric")
    page.select_option("select[name=table_key]", "applications")
    page.select_option("select[name=row_key]", "new_received")
    page.select_option("select[name=col_key]", "total")
    with page.expect_navigation():
        page.click("input[type=submit]")
    values = page.locator("table.rows-and-columns td.col-value")
    assert values.count() >= 5 and "本年新收政府信息公开申请数量" in page.locator("table.rows-and-columns").inner_text()
    page.screenshot(path=str(ARTIFACTS / "compare_metric.png"), full_page=True)
