"""Every cell of tables 2, 3 and 4, from pages built the way portals publish them and from real text."""

from __future__ import annotations

import pytest

from parsers import parse

from .conftest import corpus_page, shared_path
from .portal_pages import Chrome, ReportSpec, Style, report_text, sample_cells, standard_report_page

STYLES = {
    "plain": Style(),
    "word_export": Style(word_spans=True),
    "traditional_mirror": Style(traditional=True),
    "ascii_punctuation": Style(ascii_punct=True),
    "split_table": Style(split_tables=True),
    "blank_org_columns": Style(blank_org_columns=True),
    "wrapped_headers": Style(wrapped_headers=True),
}
CHROMES = {"trs_utf8": Chrome("trs", "utf-8"), "hanweb_gbk": Chrome("hanweb", "gbk"),
           "vsb_utf8": Chrome("vsb", "utf-8"), "unknown_template": Chrome("plain", "utf-8")}


def expected_cells(spec: ReportSpec) -> dict[tuple[str, str, str], str]:
    blank_orgs = spec.style.blank_org_columns
    return {key: "" if blank_orgs and key[0] == "applications" and key[2].startswith("org_") and raw == "0" else raw
            for key, raw in spec.cells.items()}


@pytest.mark.parametrize("fmt, year", [("gov2019", 2020), ("gov2021", 2023)])
@pytest.mark.parametrize("style", STYLES, ids=str)
@pytest.mark.parametrize("chrome", CHROMES, ids=str)
def test_every_cell_is_extracted_exactly(fmt, year, style, chrome):
    spec = ReportSpec(fmt, year, "示范县人民政府", sample_cells(fmt, seed=year), STYLES[style])
    report = parse(standard_report_page(spec, CHROMES[chrome], "2024-01-20"), url="https://www.example.gov.cn/t.html")
    got = {(m.table, m.row, m.col): m.raw for m in report.metrics}
    assert report.format == fmt
    assert got == expected_cells(spec)
    assert len(got) == {"gov2019": 22 + 161 + 15, "gov2021": 10 + 175 + 15}[fmt]
    assert not [c for c in report.checks if c.status == "fail"], report.checks
    assert not report.warnings


@pytest.mark.parametrize("fmt, year", [("gov2019", 2019), ("gov2021", 2024)])
@pytest.mark.parametrize("layout", ["bar_rows", "cell_per_line"])
def test_every_cell_from_flattened_text(fmt, year, layout):
    """Stored copies and text layers flatten tables to `|` rows or to one cell per line."""
    spec = ReportSpec(fmt, year, "示范县人民政府", sample_cells(fmt, seed=year))
    report = parse(report_text(spec, layout).encode("utf-8"))
    expected = {k: (v or "/") if layout == "cell_per_line" else v for k, v in spec.cells.items()}
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == expected
    headings = [s.title for s in report.sections if s.number and "（" not in s.number]
    assert headings[3] == "政府信息公开行政复议、行政诉讼情况"  # not 四、结转下年度继续办理, a row of table 3


def test_values_keep_sign_decimals_and_units():
    spec = ReportSpec("gov2019", 2020, "示范县人民政府", sample_cells("gov2019", seed=3))
    spec.cells[("active_art20_5", "admin_license", "items_change")] = "-8"
    spec.cells[("active_art20_5", "other_mgmt_services", "items_change")] = "+1036"
    spec.cells[("active_art20_9", "central_procurement", "procurement_amount")] = "251000元"
    spec.cells[("active_art20_1", "regulations", "new_made")] = "１２"
    metrics = parse(standard_report_page(spec, Chrome(), "2021-01-20")).metric_map()
    assert metrics[("active_art20_5", "admin_license", "items_change")].value == -8
    assert metrics[("active_art20_5", "other_mgmt_services", "items_change")].value == 1036
    amount = metrics[("active_art20_9", "central_procurement", "procurement_amount")]
    assert (amount.value, amount.unit, amount.raw) == (251000, "元", "251000元")
    assert metrics[("active_art20_1", "regulations", "new_made")].value == 12


def test_fee_amount_in_wan_yuan_keeps_decimals():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=4))
    spec.cells[("active_art20_8", "admin_fees", "fee_amount_wan")] = "0.35"
    fee = parse(standard_report_page(spec, Chrome(), "2023-01-20")).metric_map()[("active_art20_8", "admin_fees",
                                                                                  "fee_amount_wan")]
    assert (fee.value, fee.unit) == (0.35, "万元")


def test_dash_and_slash_cells_are_null_with_raw_kept():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=5))
    spec.cells[("applications", "new_received", "org_research")] = "/"
    spec.cells[("review_litigation", "review", "pending")] = "—"
    metrics = parse(standard_report_page(spec, Chrome(), "2023-01-20")).metric_map()
    slash = metrics[("applications", "new_received", "org_research")]
    dash = metrics[("review_litigation", "review", "pending")]
    assert (slash.value, slash.raw) == (None, "/")
    assert (dash.value, dash.raw) == (None, "—")


def test_figures_that_do_not_add_up_are_reported_as_failed_checks():
    spec = ReportSpec("gov2019", 2019, "示范县人民政府", sample_cells("gov2019", seed=9, inconsistent=True))
    report = parse(standard_report_page(spec, Chrome(), "2020-01-31"))
    failed = {(c.rule, c.scope) for c in report.checks if c.status == "fail"}
    assert failed == {("T3.balance", "total"), ("T3.outcome_total", "total"), ("T3.row_total", "outcome.total")}
    detail = next(c.detail for c in report.checks if (c.rule, c.scope) == ("T3.balance", "total"))
    assert "outcome.total" in detail and " vs " in detail and ", off by " in detail


def test_review_totals_that_disagree_fail_t4():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=6))
    spec.cells[("review_litigation", "review", "total")] = "9"
    report = parse(standard_report_page(spec, Chrome(), "2023-01-20"))
    t4 = {c.scope: c.status for c in report.checks if c.rule == "T4.total"}
    assert t4 == {"review": "fail", "litigation_direct": "pass", "litigation_after_review": "pass"}


def test_blank_total_with_filled_parts_is_blank_not_fail():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=8))
    spec.cells[("applications", "new_received", "natural_person")] = "4"
    spec.cells[("applications", "new_received", "total")] = ""
    report = parse(standard_report_page(spec, Chrome(), "2023-01-20"))
    row = next(c for c in report.checks if (c.rule, c.scope) == ("T3.row_total", "new_received"))
    assert row.status == "blank" and row.detail.startswith("blank_total")


def test_a_total_whose_parts_are_all_blank_is_blank_not_fail():
    """§7: totals blank while their parts are filled, "or the reverse": the parts are unknown, not 0."""
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=8))
    for col in ("natural_person", "org_commercial", "org_research", "org_public_interest", "org_legal_services",
                "org_other"):
        spec.cells[("applications", "carried_over", col)] = ""
    spec.cells[("applications", "carried_over", "total")] = "3"
    for col in ("upheld", "corrected", "other", "pending"):
        spec.cells[("review_litigation", "litigation_direct", col)] = "—"
    spec.cells[("review_litigation", "litigation_direct", "total")] = "2"
    checks = {(c.rule, c.scope): c for c in parse(standard_report_page(spec, Chrome(), "2023-01-20")).checks}
    for key in (("T3.row_total", "carried_over"), ("T4.total", "litigation_direct")):
        assert checks[key].status == "blank" and checks[key].detail.startswith("blank_total: the parts are blank")
    assert checks[("T3.balance", "total")].status == "fail"  # 3 more carried over, and nothing else changed


# ----------------------------------------------------------------------------- real text (corpus)

def _metrics_of(name: str):
    page = corpus_page(name)
    return parse(page["excerpt"].encode("utf-8"), url=page["url"])


def test_corpus_2019_table_flattened_with_bare_bar_lines():
    """071: empty cells flattened to lines holding only '|', 采购总金额 with its unit."""
    report = _metrics_of("071")
    m = report.metric_map()
    assert report.format == "gov2019"
    assert m[("active_art20_5", "other_mgmt_services", "items_change")].value == 173
    assert m[("active_art20_6", "admin_penalty", "items_change")].value == -2
    assert m[("active_art20_9", "central_procurement", "procurement_amount")].raw == "184719元"
    assert [m[("applications", "new_received", c)].raw for c in
            ("natural_person", "org_commercial", "org_other", "total")] == ["25", "", "", "25"]
    assert m[("applications", "outcome.granted", "total")].value == 7


def test_corpus_2019_truncated_headers_fall_back_to_the_format_order():
    """027: header cells cut to 本年新 | 本年新; values still land in their columns."""
    m = _metrics_of("027").metric_map()
    assert {k[2] for k in m if k[0] == "active_art20_1"} == {"new_made", "new_published", "total_published"}


def test_corpus_2021_one_cell_per_line_with_slashes():
    """147: every table cell on its own line, '/' for zero."""
    report = _metrics_of("147")
    m = report.metric_map()
    assert report.format == "gov2021"
    assert m[("active_art20_5", "admin_license", "decisions")].value == 11839
    assert m[("active_art20_1", "normative_docs", "issued")].raw == "/"
    assert m[("applications", "new_received", "total")].value is None
    assert sum(1 for k in m if k[0] == "applications") == 77  # 11 complete rows before the excerpt ends


def test_corpus_cells_with_stray_spaces_and_split_header_lines():
    """032: '  0' cells and headers broken over two lines (本年新 / 制作数量)."""
    m = _metrics_of("032").metric_map()
    assert m[("active_art20_1", "regulations", "new_published")].value == 0
    assert m[("applications", "outcome.withheld.state_secret", "total")].value == 0


def test_truncated_excerpt_leaves_no_invented_cells():
    """A page cut in the middle of a row: the partial row is dropped, never padded."""
    report = _metrics_of("055")
    assert ("active_art20_1", "regulations", "issued") not in report.metric_map()
    assert "ambiguous_columns" in report.flags


@pytest.mark.parametrize("fmt", ["gov2019", "gov2021"])
@pytest.mark.parametrize("layout", ["bar_rows", "cell_per_line"])
def test_a_page_from_the_middle_of_a_report_gives_its_cells_by_their_row_labels(fmt, layout):
    """Text extracted from one page in the middle of a PDF: table 3's tail (no header row) and table 4, no title."""
    spec = ReportSpec(fmt, 2021, "示范县人民政府", sample_cells(fmt, seed=3))
    lines = report_text(spec, layout).split("\n")
    start = next(i for i, line in enumerate(lines) if "无法提供" in line)
    report = parse("\n".join(lines[start:]).encode(), url="https://www.example.gov.cn/r/page3.txt")
    tail = {k: v for k, v in expected_cells(spec).items() if k[0] == "review_litigation" or k[1].startswith(
        ("outcome.unable", "outcome.not_processed", "outcome.other", "outcome.total", "carried_forward"))}
    assert report.format == fmt
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == tail


@pytest.mark.parametrize("fmt", ["gov2019", "gov2021"])
def test_any_stretch_of_a_report_gives_its_cells_or_nothing_never_a_shifted_value(fmt):
    import random

    rng = random.Random(fmt)
    for seed, layout in [(1, "bar_rows"), (2, "cell_per_line")]:
        spec = ReportSpec(fmt, 2021, "示范县人民政府", sample_cells(fmt, seed=seed))
        lines, truth = report_text(spec, layout).split("\n"), expected_cells(spec)
        for _ in range(40):
            start = rng.randrange(1, len(lines) - 4)
            stretch = "\n".join(lines[start:rng.randrange(start + 3, len(lines) + 1)])
            report = parse(stretch.encode(), url="https://www.example.gov.cn/r/page.txt")
            wrong = {(m.table, m.row, m.col): m.raw for m in report.metrics
                     if m.source == "table" and truth.get((m.table, m.row, m.col)) != m.raw}
            assert not wrong, (stretch, wrong)


def test_2021_report_that_reuses_the_2019_table_3():
    """Some 2021 reports print 2019's table 3: （六）其他处理 as one row, no 逾期不补正 sub-rows."""
    cells = sample_cells("gov2019", seed=31)
    spec = ReportSpec("gov2019", 2021, "示范县人民政府", cells)
    page = standard_report_page(spec, Chrome(), "2022-01-20").replace(
        "本年新制作数量".encode(), "本年制发件数".encode())  # table 2 in the 2021 wording: detected as gov2021
    report = parse(page)
    metrics = report.metric_map()
    assert report.format == "gov2021"
    assert metrics[("applications", "outcome.other", "total")].raw == cells[("applications", "outcome.other", "total")]
    assert not [c for c in report.checks if c.rule == "T3.outcome_total" and c.status != "pass"]


def test_2019_headers_spanning_two_columns_use_the_header_text():
    """Shanghai 2019: 上一年项目数量 / 本年增/减 headers span two grid columns; values sit in either."""
    html = """<html><body><div class="TRS_Editor"><p>某区2019年政府信息公开工作年度报告</p>
    <p>二、主动公开政府信息情况</p><table border="1">
    <tr><td colspan="6">第二十条第（五）项</td></tr>
    <tr><td>信息内容</td><td colspan="2">上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>
    <tr><td>行政许可</td><td>12</td><td></td><td></td><td>-3</td><td>420</td></tr>
    <tr><td>其他对外管理服务事项</td><td colspan="2">5</td><td colspan="2">+1</td><td>37</td></tr>
    </table></div></body></html>"""
    metrics = {(m.row, m.col): m.value for m in parse(html.encode()).metrics}
    assert metrics == {("admin_license", "prev_year_items"): 12, ("admin_license", "items_change"): -3,
                       ("admin_license", "decisions"): 420, ("other_mgmt_services", "prev_year_items"): 5,
                       ("other_mgmt_services", "items_change"): 1, ("other_mgmt_services", "decisions"): 37}


def test_report_body_is_found_inside_portal_chrome():
    """Navigation, breadcrumbs, share and print links, related articles and the footer stay out of the text."""
    for family in ("trs", "hanweb", "vsb", "plain"):
        spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=2))
        report = parse(standard_report_page(spec, Chrome(family), "2023-01-20"))
        text = "\n".join(s.text for s in report.sections)
        for chrome in ("政务服务", "当前位置", "分享到", "【打印】", "相关文章", "优化营商环境", "主办单位", "ICP备"):
            assert chrome not in text, (family, chrome)
        assert "一是基层工作人员业务水平有待提高" in text


def test_unknown_row_labels_are_reported_not_dropped_silently():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=12))
    page = standard_report_page(spec, Chrome(), "2023-01-20").replace(
        "<td style=\"border:solid windowtext 1.0pt\">行政强制</td>".encode(),
        "<td style=\"border:solid windowtext 1.0pt\">行政确认</td>".encode())
    report = parse(page)
    assert any("行政确认" in w for w in report.warnings)
    assert ("active_art20_6", "admin_coercion", "decisions") not in report.metric_map()


def test_other_written_with_its_variant_character():
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=13))
    page = standard_report_page(spec, Chrome(), "2023-01-20").replace("3.其他".encode(), "3.其它".encode())
    assert parse(page).metric_map()[("applications", "outcome.other.misc", "total")].raw == \
        spec.cells[("applications", "outcome.other.misc", "total")]


def test_table3_values_are_placed_by_their_header_columns_not_by_count():
    """Word-made tables: a label cell cut short by an empty cell, and ghost cells closing each row."""
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=21))
    label = "二、上年结转政府信息公开申请数量"
    page = standard_report_page(spec, Chrome(), "2023-01-20").decode()
    page = page.replace(f'<td colspan="3" style="border:solid windowtext 1.0pt">{label}</td>',
                        f'<td colspan="2" style="border:solid windowtext 1.0pt">{label}</td><td></td>')
    page = page.replace("</td></tr>", '</td><td style="border:none" width="0"></td></tr>')
    assert label in page and 'width="0"' in page
    got = {(m.table, m.row, m.col): m.raw for m in parse(page.encode()).metrics}
    assert got == spec.cells


def test_report_split_over_two_cms_containers():
    """Some TRS pages hold the text in one TRS_Editor and the tables in another, with chrome between."""
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=41))
    page = standard_report_page(spec, Chrome("trs"), "2023-01-20").decode()
    marker = "<p><strong>二、主动公开政府信息情况</strong></p>"
    page = page.replace(marker, '</div></div><div class="share">分享到：微信</div>'
                                '<div class="TRS_Editor"><div class="TRS_UEDITOR">' + marker)
    report = parse(page.encode())
    assert {(m.table, m.row, m.col): m.raw for m in report.metrics} == spec.cells
    assert report.sections[1].key == "overview" and "分享到" not in "".join(s.text for s in report.sections)


def test_table4_laid_out_as_three_rows_of_five():
    rows = {"行政复议": [1, 0, 0, 1, 2], "未经复议直接起诉": [0, 1, 0, 0, 1], "复议后起诉": [0, 0, 0, 0, 0]}
    cells = "".join(f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>"
                    for label, values in rows.items())
    html = ("<html><body><div id='zoom'><p>某县2022年政府信息公开工作年度报告</p><p>统计期限为2022年1月1日至12月31日。</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><table border=1><tr><td>类别</td><td>结果维持</td><td>结果纠正</td>"
            "<td>其他结果</td><td>尚未审结</td><td>总计</td></tr>" + cells + "</table></div></body></html>")
    metrics = {(m.row, m.col): m.value for m in parse(html.encode()).metrics if m.table == "review_litigation"}
    assert metrics[("review", "upheld")] == 1 and metrics[("review", "total")] == 2
    assert metrics[("litigation_direct", "corrected")] == 1 and metrics[("litigation_after_review", "total")] == 0
    assert len(metrics) == 15


def test_2021_report_that_keeps_2019_table_2_blocks():
    """A 2021 report whose 第二十条第（五）项 still has 2019's columns and 其他对外管理服务事项 row: keys mean the same."""
    cells = sample_cells("gov2019", seed=51)
    page = standard_report_page(ReportSpec("gov2019", 2021, "示范县人民政府", cells), Chrome(), "2022-01-20").replace(
        "本年新制作数量".encode(), "本年制发件数".encode())
    metrics = parse(page).metric_map()
    for col in ("prev_year_items", "items_change", "decisions"):
        key = ("active_art20_5", "other_mgmt_services", col)
        assert metrics[key].raw == cells[key]


def test_text_kept_as_markdown_reads_its_headings_as_headings():
    """corpus/full's 沭阳 2025 report is Markdown: `## 一、总体情况`, `### 第二十条第（一）项` above each table."""
    path = shared_path("corpus", "full", "KIROGOVCOMPARE__沭阳县人民政府2025年政府信息公开工作年度报告.md.txt")
    report = parse(path.read_bytes())
    assert report.title == "沐阳县人民政府2025年政府信息公开工作年度报告" and report.issuer == "沐阳县人民政府"
    keys = [s.key for s in report.sections]
    assert keys.index("overview") < keys.index("active_disclosure") < keys.index("applications") < keys.index("problems")
    got = {(m.table, m.row, m.col): m.value for m in report.metrics}
    assert got[("active_art20_1", "regulations", "in_force")] == 0  # | 规章 | 0 | 0 | 0 |, right under its heading
    assert got[("active_art20_1", "normative_docs", "in_force")] == 32
    # table 4 as three tables under their own headings (### 行政复议, ### 行政诉讼（未经复议直接起诉） …), as printed
    t4 = {(row, col): value for (table, row, col), value in got.items() if table == "review_litigation"}
    assert t4 == {(row, col): value for row, values in (("review", (27, 10, 9, 15, 61)),
                                                        ("litigation_direct", (3, 0, 0, 0, 3)),
                                                        ("litigation_after_review", (8, 0, 1, 1, 10)))
                  for col, value in zip(("upheld", "corrected", "other", "pending", "total"), values, strict=True)}
    assert "ambiguous_columns" not in report.flags
    assert not [c for c in report.checks if c.status == "fail"]


T4_HEADED = """四、政府信息公开行政复议、行政诉讼情况
{review}
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|:---:|:---:|:---:|:---:|:---:|
| 2 | 1 | 0 | 1 | 4 |
{direct}
| 结果纠正 | 结果维持 | 其他结果 | 尚未审结 | 总计 |
|---|---|---|---|---|
| 1 | 5 | 0 | 0 | 6 |
"""


def t4_of(text: str) -> dict[tuple[str, str], float | None]:
    head = ("示范县人民政府2022年政府信息公开工作年度报告\n"
            "依据《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）\n")
    report = parse((head + text).encode())
    return {(m.row, m.col): m.value for m in report.metrics if m.table == "review_litigation"}


def test_table_4_as_headed_five_column_tables_reads_each_in_its_header_order():
    got = t4_of(T4_HEADED.format(review="### 行政复议", direct="### 行政诉讼（未经复议直接起诉）"))
    assert got == {("review", "upheld"): 2, ("review", "corrected"): 1, ("review", "other"): 0,
                   ("review", "pending"): 1, ("review", "total"): 4,
                   ("litigation_direct", "corrected"): 1, ("litigation_direct", "upheld"): 5,  # its header's order
                   ("litigation_direct", "other"): 0, ("litigation_direct", "pending"): 0, ("litigation_direct", "total"): 6}
    # a heading that names no row of table 4 gives its figures to no row
    assert t4_of(T4_HEADED.format(review="### 行政复议", direct="### 行政处罚")) == {
        k: v for k, v in got.items() if k[0] == "review"}


def test_a_bare_pipe_is_an_empty_cell_unless_the_table_is_markdown():
    from parsers.plaintext import read_text

    flattened = read_text("一、本年新收政府信息公开申请数量 | 25 |\n|\n| 25 |")
    assert [c.text for row in flattened.blocks[0].rows for c in row] == [
        "一、本年新收政府信息公开申请数量", "25", "", "", "25"]
    markdown = read_text("| 项目 | 总计 |\n|---|---|\n| 规章 | 3 |")
    assert [[c.text for c in row] for row in markdown.blocks[0].rows] == [["项目", "总计"], ["规章", "3"]]


def test_more_newly_published_than_published_in_all_is_an_anomaly_not_a_failed_check():
    spec = ReportSpec("gov2019", 2020, "示范县人民政府", sample_cells("gov2019", seed=4))
    spec.cells[("active_art20_1", "normative_docs", "new_published")] = "30"
    spec.cells[("active_art20_1", "normative_docs", "total_published")] = "12"
    report = parse(standard_report_page(spec, Chrome(), "2021-01-20"))
    found = [(a.rule, a.figures) for a in report.anomalies]
    assert found == [("T2_2019.published_le_total",
                      {"key": "active_art20_1.normative_docs", "value": 30, "other_value": 12})]
    assert all(c.status != "fail" for c in report.checks)  # a heuristic: read it, the report is not broken
    clean = parse(standard_report_page(ReportSpec("gov2019", 2020, "示范县人民政府", sample_cells("gov2019", seed=4)),
                                       Chrome(), "2021-01-20"))
    assert clean.anomalies == []


@pytest.mark.parametrize("dash", ["－", "／", "―", "空", "×", "\\"])
def test_cells_left_empty_with_any_dash_of_the_value_grammar_fail_no_check(dash):
    spec = ReportSpec("gov2021", 2022, "示范县人民政府", sample_cells("gov2021", seed=12))
    zeros = [key for key, raw in spec.cells.items() if raw == "0" and key[0] in ("applications", "review_litigation")]
    for key in zeros[:6]:
        spec.cells[key] = dash
    report = parse(standard_report_page(spec, Chrome(), "2023-01-20"))
    metrics = report.metric_map()
    assert all((metrics[key].value, metrics[key].raw) == (None, dash) for key in zeros[:6])
    assert [c for c in report.checks if c.status == "fail"] == []
    # a figure too long to be one still fails the check
    spec.cells[zeros[6]] = "1" * 16
    assert "T3.nonneg_int" in {c.rule for c in parse(standard_report_page(spec, Chrome(), "2023-01-20")).checks
                               if c.status == "fail"}


def test_a_2019_report_printing_2021s_three_other_rows_is_summed_by_the_rows_it_has():
    from parsers.checks import run_checks
    from parsers.model import Metric, Report

    cells = {k: v for k, v in sample_cells("gov2021", seed=5).items() if k[0] == "applications"}

    def checked(cells: dict) -> dict[str, str]:
        report = Report(format="gov2019", metrics=[Metric(*key, int(raw), raw, "table") for key, raw in cells.items()])
        run_checks(report)
        return {c.scope: c.status for c in report.checks if c.rule == "T3.outcome_total"}

    assert checked(cells) == dict.fromkeys(("natural_person", "org_commercial", "org_research", "org_public_interest",
                                            "org_legal_services", "org_other", "total"), "pass")
    cells[("applications", "outcome.other.misc", "total")] = str(int(cells[("applications", "outcome.other.misc",
                                                                            "total")]) + 2)
    assert checked(cells)["total"] == "fail"
