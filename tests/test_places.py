"""The issuer as a body with its place: from the report's own words on real pages (../shared/corpus), never a
pronoun, a generic name or an invented government, and the county a township's portal names by its host."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from parsers import parse
from parsers.meta import issuer_from_title
from parsers.places import SPELLINGS, host_division, with_place
from parsers.text import squeeze

from .conftest import corpus_page


def test_host_spellings_file_is_current():
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_host_spellings.py"
    spec = importlib.util.spec_from_file_location("make_host_spellings", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.spellings() == SPELLINGS.read_text("utf-8"), "run scripts/make_host_spellings.py"


@pytest.mark.parametrize(("url", "place"), [
    ("http://www.zoucheng.gov.cn/module/xxgk/a.jsp", "邹城市"),  # the stem
    ("https://www.hbqj.gov.cn/xxgk/", "潜江市"),  # province initials + stem initials
    ("http://www.jyrongcheng.gov.cn/x", "榕城区"),  # city initials + stem
    ("http://cqck.gov.cn/zwgk/", "城口县"),
    ("https://www.lingshan.gov.cn/", "灵山县"),
    ("https://gxq.als.gov.cn/art/2025/1/6/a.html", None),  # three initials fit too many places
    ("http://www.nanjing.gov.cn/", None),  # 南京市 and 南靖县 are both nanjing
    ("http://52niugu.com/zwgk/a.html", None),  # not a government host
])
def test_a_government_host_names_its_place_only_when_one_fits(url, place):
    found = host_division(url)
    assert (found.name if found else None) == place


def test_place_added_only_where_the_page_left_it_out():
    assert with_place("秦淮区人民政府", None) == "南京市秦淮区人民政府"  # one 秦淮区 in China
    assert with_place("西城区人民政府", None) == "北京市西城区人民政府"  # a municipality's district
    assert with_place("长安区砲里街道办事处", None) == "长安区砲里街道办事处"  # 西安 or 石家庄: left as named
    assert with_place("唐村镇人民政府", "http://www.zoucheng.gov.cn/") == "邹城市唐村镇人民政府"
    assert with_place("开阳县冯三镇人民政府", "http://www.kaiyang.gov.cn/") == "开阳县冯三镇人民政府"
    assert with_place("唐村镇人民政府", "http://example.com/") == "唐村镇人民政府"
    assert with_place("区政务服务办", "https://www.tjnh.gov.cn/") == "天津市宁河区政务服务办"  # 111: 宁河区's portal
    assert with_place("市统计局", "http://www.zoucheng.gov.cn/") == "邹城市统计局"
    assert with_place("县统计局", "http://www.zoucheng.gov.cn/") == "县统计局"  # 邹城 is no 县: left as named
    assert with_place("区政务服务办", None) == "区政务服务办"


def test_a_zone_named_bare_takes_the_city_the_page_names_it_with():
    banner = "站群导航 加入收藏 乌鲁木齐国家高新区(新市区) 政府信息公开 2022年高新区(新市区)政府信息公开工作年度报告"
    assert with_place("高新区(新市区)", None, banner) == "乌鲁木齐高新区(新市区)"  # 086: the city, never 国家
    assert with_place("经济开发区管委会", None, "灵山县经济开发区管委会2020年…") == "灵山县经济开发区管委会"
    assert with_place("高新区青田街道办事处", None, "在高新区管委会的部署和指导下") == "高新区青田街道办事处"
    assert with_place("高新区", None, "学习滨州高新区、淄博高新区的做法") == "高新区"  # two cities: which is unknown
    assert with_place("高新区", None, "高新区2022年报告。" + "推进工作。" * 300 + "借鉴苏州高新区") == "高新区"


@pytest.mark.parametrize(("page", "issuer"), [
    ("137", "会泽县人民政府"),  # 2024年，会泽县认真贯彻落实…
    ("078", "南昌县统计局"),  # 2010年，南昌县统计局在县委、县政府的正确领导下 (traditional, pinyin-injected mirror)
    ("013", "潜江市熊口管理区"),  # a 管理区 is no 人民政府; its county from the host (hbqj: 湖北潜江)
    ("086", "乌鲁木齐高新区(新市区)"),  # 高新区(新市区) in the report, 乌鲁木齐国家高新区 in the site's banner
    ("004", "上海市人民政府"),  # a wiki mirror: the title only in the address (/wiki/2012年上海市…年度报告)
    ("077", "南昌市人民政府"),  # the title below a menu whose 政府信息公开年报 names no year
    ("080", "抚州市文化局"),  # …通知》要求,形成撫州市文化局2011年政府信息公開年度報告
    ("120", "光山县人民政府办公室"),  # 由光山县人民政府办公室编制: the office alone, not summing up the county's bodies
    ("062", "南京市秦淮区人民政府"),  # 由秦淮区人民政府办公室综合区政府所属各行政机关的…报告编制
    ("027", "微山县两城镇人民政府"),  # compiled by the town's 党政办公室: an office inside the government
    ("139", "广西壮族自治区北部湾经济区规划建设管理办公室"),  # the title's 自治区北部湾办, spelled out in the text
    ("021", "邹城市唐村镇人民政府"),  # 唐村镇 on www.zoucheng.gov.cn
    ("049", "吴起县人民政府"),  # 请联系吴起县政府政务服务中心
    ("134", "钦州市人民政府"),  # 我市…; the contact is the 行政审批局 that runs disclosure, not the issuer
    ("075", "广州市黄埔区人民政府(广州开发区管委会)"),  # two bodies that work as one, side by side in the title
    ("121", None),  # 我局 only: no name rather than a pronoun
    ("145", None),  # 服务中心 alone names no body
])
def test_issuer_from_real_report_text(page, issuer):
    data = corpus_page(page)
    assert parse(data["excerpt"].encode("utf-8"), url=data["url"]).issuer == issuer


@pytest.mark.parametrize(("title", "issuer"), [
    ("广州市黄埔区人民政府 广州开发区管委会2021年政府信息公开工作年度报告", "广州市黄埔区人民政府(广州开发区管委会)"),
    ("资阳市雁江区 中和镇2021年政府信息公开工作年度报告", "资阳市雁江区中和镇人民政府"),  # one name broken by a space
    ("示范县人民政府 办公室2021年政府信息公开工作年度报告", "示范县人民政府办公室"),  # a body and its office
    ("示范县人民政府 示范县人民政府(机关)2020年政府信息公开工作年度报告", "示范县人民政府(机关)"),  # a name in brackets
])
def test_two_bodies_printed_side_by_side(title, issuer):
    assert issuer_from_title(squeeze(title), title) == issuer
