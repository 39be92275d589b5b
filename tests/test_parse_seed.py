"""The seed report (a real 2017 county page, damaged and spam-injected) through `nianbao parse`."""

from __future__ import annotations

import json

from parsers import parse

from .conftest import nianbao, shared_path


def test_parse_command_prints_the_contract_json_for_the_seed():
    result = nianbao("parse", str(shared_path("seed", "lingshan-2017-report.txt")), "--url",
                     "https://www.lingshan.gov.cn/zwgk/zfxxgk/xxgknb/t1.html")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"kind", "url", "title", "issuer", "report_year", "published_date", "format",
                         "source_type", "sections", "metrics", "checks", "flags", "warnings"}
    assert data["kind"] == "report"
    assert data["url"] == "https://www.lingshan.gov.cn/zwgk/zfxxgk/xxgknb/t1.html"
    assert data["title"] == "灵山县2017年政府信息公开工作年度报告"
    assert data["issuer"] == "灵山县人民政府"
    assert data["report_year"] == 2017
    assert data["published_date"] == "2018-02-13"
    assert data["format"] == "legacy"
    assert data["source_type"] == "txt"


def test_seed_sections_are_numbered_and_keyed(seed_bytes):
    report = parse(seed_bytes)
    numbered = [(s.number, s.key) for s in report.sections if s.number and "（" not in s.number]
    assert numbered == [("一", "overview"), ("二", None), ("三", "active"), ("四", "on_request"), ("五", "fees"),
                        ("六", "review_litigation"), ("七", "problems"), ("八", "other_matters")]
    fees = next(s for s in report.sections if s.key == "fees")
    assert "未收取任何主动公开和依申请公开政府信息费用" in fees.text


def test_seed_subsections_survive_their_dropped_numerals(seed_bytes):
    """The seed prints () for （一）（二）…: the parts are still sections, numbered by their order."""
    report = parse(seed_bytes)
    active = [(s.number, s.key, s.title) for s in report.sections if s.number and s.number.startswith("四（")]
    assert active == [("四（一）", "on_request", "依申请公开工作受理、答复情况"),
                      ("四（二）", "on_request", "不予公开政府信息备案情况"),
                      ("四（三）", "on_request", "接待场所建设、完善、维护及工作运行情况")]
    first = next(s for s in report.sections if s.number == "四（一）")
    assert first.text == "2017年度我县未接到依申请公开政府信息的申请。"


def test_seed_spam_is_flagged_and_removed_from_the_text(seed_bytes):
    report = parse(seed_bytes)
    assert "spam_injection" in report.flags
    assert report.spam_spans == ["88明升|88明升备用【明陞】"]
    assert not any("明升" in s.text for s in report.sections)
    assert "damaged_text" in report.flags


def test_parse_command_rejects_binary_input_with_a_one_line_error(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = nianbao("parse", str(junk))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "junk.bin" in result.stderr


def test_seed_in_its_portal_chrome_takes_the_date_of_its_unlabelled_info_bar(seed_bytes):
    """As served: breadcrumbs, title and "2018-02-13 11:37 来源:…" outside the TRS body; no meta tag, no label."""
    import html

    lines = seed_bytes.decode("utf-8").splitlines()
    info = next(line for line in lines if "来源" in line and "2018-02-13" in line)
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[lines.index(info) + 1:])
    page = (f'<html><head><meta charset="utf-8"><title>{html.escape(lines[2])}</title></head><body>'
            f'<div class="location">{html.escape(lines[0])}</div><h1>{html.escape(lines[2])}</h1>'
            f'<div class="info">{html.escape(info)}</div><div class="TRS_Editor">{body}</div>'
            '<ul class="related"><li><a href="/a.html">关于做好2019年度政府信息公开工作的通知</a> 2019-01-08</li></ul>'
            '</body></html>')
    report = parse(page.encode("utf-8"), url="https://www.lingshan.gov.cn/zwgk/zfxxgk/xxgknb/t1.html")
    assert (report.report_year, report.published_date, report.issuer) == (2017, "2018-02-13", "灵山县人民政府")
