"""Bytes in any of the encodings portals use, whatever they claim."""

from __future__ import annotations

import pytest

from parsers import DecodeError, parse
from parsers.decode import decode

TEXT = "<html><head>{meta}<title>某县2020年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>"


@pytest.mark.parametrize("encoding, meta, header", [
    ("utf-8", '<meta charset="utf-8">', None),
    ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', None),
    ("gb18030", "", None),
    ("gbk", '<meta charset="utf-8">', "text/html; charset=utf-8"),  # GBK body labelled UTF-8
    ("utf-8", '<meta charset="gbk">', "text/html; charset=GBK"),  # UTF-8 body labelled GBK
])
def test_text_decodes_whatever_the_declaration(encoding, meta, header):
    data = TEXT.format(meta=meta).encode(encoding)
    text, _used = decode(data, header)
    assert "某县2020年政府信息公开工作年度报告" in text


def test_rare_characters_survive_gb2312_labels():
    data = TEXT.format(meta='<meta charset="gb2312">').replace("某县", "鄌郚镇").encode("gb18030")
    report = parse(data)
    assert report.title == "鄌郚镇2020年政府信息公开工作年度报告"


def test_utf8_bom_wins():
    assert decode("\ufeff年度报告".encode())[0] == "年度报告"


def test_binary_is_refused():
    with pytest.raises(DecodeError):
        parse(b"\x00\x00\x00binary" * 10)
