"""Report metadata: title, report year, publish date, issuer (the body reported on)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

from .divisions import name_pattern
from .document import Document, Paragraph
from .text import fold, squeeze

_REPORT_WORDS = ("年度报告", "年报", "工作报告", "信息公开工作情况", "信息公开工作总结", "信息公开情况报告")
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]\s+")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?度?\s*(?:政府信息公开|政务公开|信息公开|政府信息)")
_ANY_YEAR_REPORT = re.compile(r"((?:19|20)\d{2})\s*年度?")
# a title opening with the bare year: 2009上海市政府信息公开工作年度报告 (wiki mirrors' and some portals' titles)
_LEADING_TITLE_YEAR = re.compile(r"^((?:19|20)\d{2})(?=[\u4e00-\u9fff])")
# The overview's opening words: "一、总体情况\n2020年，区发改局以…" (every corpus page that has one: 37 of 37 name the
# report's year); "2020年以来", "2021年是…" or a year without its comma are no such opening.
_OVERVIEW_YEAR = re.compile(r"(?:^|\n)[^\n]{0,12}(?:概述|总体情况|基本情况|基本概况|概况)[^\n]{0,16}\n\s*"
                            r"((?:19|20)\d{2})\s*年度?\s*[,，]")
# 统计期限: "2017年1月1日至2017年12月31日", damaged "201711日起至1231日止", "2015年1月1日----…"
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*0?1\s*月?\s*0?1\s*日?\s*(?:起|开始)?\s*(?:至|到|—|-|－|~|～)+")
# "2010年，我局继续开展政府信息公开工作", "2011年新增主动公开政府信息…": the year the body reports on
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:全年|，|,)?[\u4e00-\u9fff]{0,8}?(?:政府信息公开|政务公开|主动公开)")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})")
_DATE_LABEL = re.compile(r"(?:发布|公开|成文|印发)(?:日期|时间)\s*[:：]?\s*")
_REGION_SUFFIX = ("省", "市", "县", "区", "旗", "州", "盟", "自治区", "自治县", "自治州")
_TITLE_TAIL = re.compile(r"(?:关于)?(?:公布|发布)?(?:的)?(?:(?:19|20)\d{2}年度?)?(?:政府信息公开|政务公开|信息公开).*$")
_HEAD_BLOCKS = 12
_TITLE_LABEL = re.compile(r"^(?:标题|题名|名称)[:：]")
# Lines that mention a report without being its title: breadcrumbs, sentences, the preamble, a numbered section's
# heading (二、政府信息公开工作情况).
_NOT_TITLE = re.compile(r"当前位置|首页|[，,。；;]|^(?:本|根据|按照|依据)|(?:根据|按照|依据)《|《$"
                        r"|^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
# A heading naming its year is the report's title before a bare one (a menu's 政府信息公开年报), this far down.
_TITLE_BLOCKS = 30


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _is_title(text: str) -> bool:
    return len(text) <= 60 and any(w in text for w in _REPORT_WORDS) and not _NOT_TITLE.search(text)


def pick_title(doc: Document) -> tuple[str | None, str | None]:
    """The report's own title, and the line as printed (its spaces kept): a short heading-like line naming a report
    (one naming its year first), else the page title (or the address's, see address_title)."""
    lines = [(i, b.text) for i, b in enumerate(doc.blocks[:_TITLE_BLOCKS])
             if isinstance(b, Paragraph) and _is_title(b.text)]
    if line := next((t for _, t in lines if _ANY_YEAR_REPORT.search(fold(t))), None) or next(
            (t for i, t in lines if i < _HEAD_BLOCKS), None):
        return _TITLE_LABEL.sub("", squeeze(line)), line
    for candidate in doc.title_candidates:
        for part in _TITLE_SPLIT.split(candidate):
            if any(w in part for w in _REPORT_WORDS) and not _NOT_TITLE.search(part):
                return _TITLE_LABEL.sub("", squeeze(part)), part
    return None, None


def address_title(url: str | None) -> str | None:
    """The last part of an address that is words, not an id: a wiki mirror's /wiki/2012年上海市…年度报告."""
    segment = unquote(urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1])
    return segment if _CJK_NAME.search(segment) else None


def year_from_title(title: str | None) -> int | None:
    if not title:
        return None
    text = fold(title)
    m = _TITLE_YEAR.search(text) or _ANY_YEAR_REPORT.search(text)
    if m is None and any(word in text for word in _REPORT_WORDS):
        m = _LEADING_TITLE_YEAR.match(text)
    return int(m.group(1)) if m else None


def year_from_period(text: str) -> int | None:
    """text: folded (NFKC) report text."""
    m = _PERIOD.search(text)
    return int(m.group(1)) if m else None


def year_from_body(text: str) -> int | None:
    for m in _BODY_YEAR.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        opened = before.rfind("《")
        if opened > before.rfind("》"):
            # inside a cited title: the report's own (…年度报告》) counts, a notice or plan (…工作要点》) does not
            closing = text.find("》", m.end())
            if "报告" not in text[m.end():closing if closing >= 0 else m.end() + 40]:
                continue
        return int(m.group(1))
    return None


def year_from_overview(text: str) -> int | None:
    """text: folded; the year the overview opens with, after its heading."""
    m = _OVERVIEW_YEAR.search(text)
    return int(m.group(1)) if m else None


def report_year(title: str | None, text: str, warnings: list[str]) -> int | None:
    """text: the folded beginning of the report, where 统计期限 is stated."""
    by_title, by_period, by_body = year_from_title(title), year_from_period(text), year_from_body(text)
    # The title names the report; 统计期限 and body years are often copied from the year before.
    found = by_title or by_period or by_body or year_from_overview(text)
    if by_title and by_period and by_title != by_period:
        warnings.append(f"title says {by_title} but the statistics period (统计期限) starts in {by_period}")
    return found


def published_date(doc: Document, head: str, tail: str) -> str | None:
    """From date metadata, a labelled date near the title, or the signature date at the end (folded texts)."""
    for hint in doc.date_hints:
        if (m := _ISO_DATE.search(hint) or _CN_DATE.search(hint)) and (iso := _iso(*m.groups())):
            return iso
    lines = "\n".join(fold(b.text) for b in doc.blocks[:_HEAD_BLOCKS] if isinstance(b, Paragraph))
    for source in (lines, head):
        if (label := _DATE_LABEL.search(source)) and (
                m := _ISO_DATE.match(source, label.end()) or _CN_DATE.match(source, label.end())):
            return _iso(*m.groups())
    if m := _ISO_DATE.search(lines):
        return _iso(*m.groups())
    signed = list(_CN_DATE.finditer(tail))
    return _iso(*signed[-1].groups()) if signed else None


def _as_body_name(name: str) -> str | None:
    """A region name stands for its government: 灵山县 → 灵山县人民政府, 砲里街道 → 砲里街道办事处."""
    name = _LEADING_JUNK.sub("", name.rsplit("|", 1)[-1])
    name = _ALIAS_NOTE.sub("", name).strip("《》“”\":：")
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")]
    if m := _DOUBLED.match(name):  # 北京市大兴区北京市大兴区发展和改革委员会
        name = name[len(m.group(1)):]
    core = re.sub(r"\([^()]*\)$", "", name)
    if not (2 <= len(name) <= 40) or not _CJK_NAME.search(name) or not core.endswith(_BODY_SUFFIX):
        return None
    if _SHORT_NAMED_GOVERNMENT.search(core):  # 吴起县政府 is 吴起县人民政府
        return _SHORT_NAMED_GOVERNMENT.sub(r"\1人民政府", name)
    if core == name and name.endswith(_ZONE_SUFFIX):
        return name  # 平潭综合实验区, 熊口管理区: run by a 管委会, not a 人民政府 of that name
    if core == name and name.endswith(_REGION_SUFFIX + ("镇", "乡")):
        return name + "人民政府"
    if core == name and name.endswith("街道"):
        return name + "办事处"
    return name


def issuer_from_title(title: str | None, printed: str | None = None) -> str | None:
    """灵山县2017年政府信息公开工作年度报告 → 灵山县人民政府; 2019年上海市人民政府办公厅… → 上海市人民政府办公厅.
    printed: the title with its spaces, where two bodies printed side by side are told apart."""
    if not title:
        return None
    joint = joint_name(_title_name(_TITLE_LABEL.sub("", fold(printed).strip()).strip())) if printed else None
    return joint or _as_body_name(_title_name(squeeze(fold(title))))


def _title_name(text: str) -> str:
    """What a title says before its year (or before 政府信息公开… where the year comes first)."""
    m = re.match(r"^(.*?)((?:19|20)\d{2})(?:年度?|(?=[\u4e00-\u9fff]))(.*)$", text)
    if m:
        before, after = m.group(1), m.group(3)
        return before or _TITLE_TAIL.sub("", after)
    return _TITLE_TAIL.sub("", text)


def joint_name(name: str) -> str | None:
    """广州市黄埔区人民政府 广州开发区管委会: two bodies that work as one (合署办公), printed side by side, named as one
    usually is, A(B); not a name broken by a space (资阳市雁江区 中和镇) or a body and its office (…人民政府 办公室)."""
    parts = name.split()
    if len(parts) != 2 or not all(_as_body_name(part) == part and _names_its_own(part) for part in parts):
        return None
    return f"{parts[0]}({parts[1]})"


def _names_its_own(name: str) -> bool:
    """A body's whole name: some words of its own before the kind of body (广州开发区 + 管委会), not a kind alone."""
    suffix = max((s for s in _BODY_SUFFIX if name.endswith(s)), key=len, default="")  # none: 城口县人民政府(机关)
    own = name[: -len(suffix)]
    return bool(suffix) and len(own) >= 2 and not own.endswith("政府")


def full_name(issuer: str | None, head: str) -> str | None:
    """The name the report itself spells out for an abbreviation it uses: 由广西壮族自治区北部湾经济区规划建设管理办公室
    （以下简称自治区北部湾办）编制 makes the title's 自治区北部湾办 the whole name."""
    if not issuer:
        return issuer
    for m in _ALIAS_DEFINED.finditer(squeeze(head)):
        if m.group("short") in (issuer, _SHORT_GOVERNMENT.sub("", issuer)) and (
                name := _as_body_name(re.sub(r"^(?:由|是|为|经)", "", m.group("name")))):
            return name
    return issuer


def issuer_from_text(head: str) -> str | None:
    """The body named in the preamble: 现公布X2020年…报告, 《X2022年度…报告》, 发布机构 X, 由X办公室编制, or the subject of
    the report's first sentence about its year (2025年，熊口管理区在…). Never a pronoun (我局, 本机关)."""
    text = squeeze(head)
    for pattern in _ISSUER_PATTERNS:
        if (m := pattern.search(text)) and (name := _as_body_name(m.group("name"))):
            return name
    if m := _COMPILED_BY.search(text):
        # a government's general office (a body of its own) compiling alone (由光山县人民政府办公室编制) reports on
        # itself; summing up the government's bodies (由县政府办公室综合各部门…编制) it compiles the government's report
        name = m.group("name")
        if m.group("summed") or not _GENERAL_OFFICE.search(name):
            name = _OFFICE_SUFFIX.sub("", name)
        if name and name != m.group("name") and not name.endswith(("县", "市", "区", "旗", "镇", "乡", "街道", "人民政府")):
            return None  # an office of a department compiled it: which body it reports on is unclear
        return _as_body_name(name)
    if (m := _YEAR_SUBJECT.search(text)) and _placed(m.group("name")) and (name := _as_body_name(m.group("name"))):
        return name
    # the contact for questions, when it is the government or its office (a department named there may only run
    # the government's disclosure work); the portal a government's report is published on, when it speaks as one
    if (m := _CONTACT.search(text)) and (name := _government(m.group("name"))):
        return name
    if _GOVERNMENT_VOICE.search(text) and (m := _PORTAL.search(text)) and (name := _government(m.group("name"))):
        return name
    return None


def _placed(name: str) -> bool:
    """A body named with its place (南昌县统计局, 熊口管理区, 城关镇), not a pronoun or a generic 服务中心."""
    if _PRONOUN.search(name) or re.search(r"报告|公开|年度", name):
        return False
    return bool(name_pattern().match(name)) or name.endswith(_ZONE_SUFFIX + ("镇", "乡", "街道", "苏木"))


def _government(name: str) -> str | None:
    """A government, or the government an office of it names (吴起县政府政务服务中心 → 吴起县人民政府)."""
    name = _OFFICE_SUFFIX.sub("", name)
    body = _as_body_name(name)
    return body if body and body.endswith("人民政府") else None


_LEADING_JUNK = re.compile(r"^(?:[•·\-—_|:：\s]|标题|题名|名称|中文名)+")
_ALIAS_NOTE = re.compile(r"\((?:以下简称|下称|简称)[^)]*\)?$")
_DOUBLED = re.compile(r"^(.{2,12})\1")
# What the name of a government body ends with; anything else (a sentence, a brand) is not one.
_BODY_SUFFIX = ("人民政府", "政府", "办公室", "办公厅", "委员会", "管委会", "局", "厅", "委", "办", "中心", "办事处", "县", "市",
                "区", "旗", "州", "盟", "省", "镇", "乡", "街道", "院", "所", "站", "队", "处", "部", "署", "社区", "管理区",
                "新区", "开发区", "园区", "机关", "公司", "集团", "馆", "会")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,}")
_REPORT_NAME = r"(?:19|20)\d{2}年度?(?:政府信息公开|政务公开|信息公开)"
_ISSUER_PATTERNS = (
    re.compile(rf"(?:(?:现|特|现予|予以|向社会)(?:公布|公开|发布)了?|形成)《?(?P<name>[^《》，,。；;、]{{2,30}}?){_REPORT_NAME}"),
    re.compile(rf"《(?P<name>[^《》，,。；;、]{{2,30}}?){_REPORT_NAME}[^》]{{0,12}}报告》"),
    re.compile(rf"^(?P<name>[^《》，,。；;、0-9]{{2,30}}?){_REPORT_NAME}[^，,。]{{0,8}}报告"),
    re.compile(r"发布机构[|:：]*(?P<name>[^|:：，,。；;\s]{2,30}?)(?:[|]|公开目录|发布日期|文号|生成日期|$)"),
)
# "2025年，熊口管理区在…", "2010年,南昌县统计局在县委、县政府的正确领导下": a body as the subject of the year's work
_YEAR_SUBJECT = re.compile(r"(?<![\d至到])(?:19|20)\d{2}年度?[，,]?(?P<name>[\u4e00-\u9fff()（）]{2,24}?)"
                           r"(?:在|坚持|认真|根据|深入|按照|进一步|紧紧|全面|继续|严格|高度|始终|持续|积极|围绕|紧扣|聚焦|依据|贯彻)")
_PRONOUN = re.compile(r"^(?:本|该|全)|我")
_SHORT_NAMED_GOVERNMENT = re.compile(r"(?<=[\u4e00-\u9fff])(县|市|区|旗|省|自治区|州|镇|乡)政府(?=办公室$|办公厅$|$)")
_ZONE_SUFFIX = ("管理区", "开发区", "实验区", "示范区", "合作区", "高新区", "园区", "新区", "经济区")
_CONTACT = re.compile(r"(?:疑问|问题|意见|建议)[，,]?(?:可|请)?(?:与|联系|咨询)(?P<name>[\u4e00-\u9fff]{3,30}?)"
                      r"(?:联系|[(（]|[，,。]|$)")
_PORTAL = re.compile(r"(?:在|通过|登录|访问)[“\"]?(?P<name>[\u4e00-\u9fff]{2,20}?人民政府)[”\"]?(?:门户)?网站")
_GOVERNMENT_VOICE = re.compile(r"我(?:县|市|区|旗|州|省)|全(?:县|市|区|旗|州|省)(?:各|共|政府|信息)|本(?:县|市|区)(?:各|政府)")
_ALIAS_DEFINED = re.compile(r"(?P<name>[\u4e00-\u9fff]{4,40}?)\((?:以下简称|下称|简称)(?P<short>[\u4e00-\u9fff]{2,16})\)")
_SHORT_GOVERNMENT = re.compile(r"人民政府$")
_GENERAL_OFFICE = re.compile(r"人民政府办公(?:室|厅)$")
_COMPILED_BY = re.compile(r"由(?P<name>[^，,。；;（(由]{2,40}?)(?P<summed>综合[^，,。]*)?(?:负责)?编制")
_OFFICE_SUFFIX = re.compile(r"(?:党政综合办公室|党政办公室|党政办|综合办公室|办公室|政务公开领导小组办公室|"
                            r"政府信息公开领导小组办公室|政务公开办公室|政府信息公开办公室|政府信息公开管理办公室|信息公开管理办公室|"
                            r"政务服务中心|政务公开领导小组|"
                            r"信息公开领导小组)$")
