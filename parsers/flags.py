"""Flags for pages that are not what they seem: spam injections, mirrors, damage, non-reports."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Gambling brands and the words spam links wrap around them (seen in the seed and the corpus).
_SPAM_CJK = (r"明[升陞]|威廉希尔|博彩|百家乐|娱乐城|真人(?:娱乐|视讯)|时时彩|彩票(?:网|平台)|赌场|葡京|金沙(?:娱乐|官网)|"
             r"比分直播|体育(?:官网|投注|平台)|棋牌(?:游戏|平台)|老虎机|澳门(?:赌|博|皇冠)|皇冠(?:体育|投注)")
# Brands built on "bet" (188bet, bet365, uedbet, sbobet, manbetx), never the English words that contain it
_NOT_SPAM_BET = r"(?:ti|alpha|a|dia)bet(?:es|ic)?(?![a-z0-9])|bet(?:ween|ter|a|ray|h)"
_SPAM_ASCII = rf"(?i:williamhill|casino|(?<![a-z])(?!{_NOT_SPAM_BET})[a-z]{{0,8}}bet[a-z]*+)"
_SPAM_CORE = f"{_SPAM_CJK}|{_SPAM_ASCII}"
# Digits as one possessive run: a loop of \d{1,4} pieces backtracks exponentially over a long digit run.
_SPAM_AFFIX = r"(?:\d++|备用|官网|官方网站|网址|入口|平台|体育|娱乐|登录|注册|下载|app|APP|_|@|:|：|\(中国\)|（中国）)"
_SPAM_TOKEN = rf"(?:{_SPAM_AFFIX})*(?:{_SPAM_CORE})(?:{_SPAM_AFFIX})*"
_SPAM = re.compile(rf"{_SPAM_TOKEN}(?:\s*[|｜【】\[\]_]?\s*{_SPAM_TOKEN}|\s*[|｜【】\[\]])*")
_SPAM_CJK_RE = re.compile(_SPAM_CJK)
_SPAM_ASCII_RE = re.compile(rf"^\d*(?:{_SPAM_ASCII})", re.I)
# Scanning only the ASCII runs of a Chinese text is ten times faster than scanning all of it.
_ASCII_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{2,}")
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(?:com|net|org|cn|cc|top|vip|xyz|info)$", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_GOV_HOST = re.compile(r"(?:^|\.)gov\.cn$")
# Dropped characters: 201711日 (年/月 lost), 〔201745 (〕 and 号 lost), () for （一）.
_DAMAGE = (re.compile(r"(?:19|20)\d{2}1\d?1日"), re.compile(r"〔(?:19|20)\d{2}\d+(?!\d*〕)"),
           re.compile(r"^\s*[(（][)）]", re.M))
# Notices about writing reports, interpretations and guides are not reports; a notice that publishes one is.
_NOTICE_TITLE = re.compile(r"(?:做好|编制|报送|规范|加强|开展|组织|填报|统计).*(?:年度报告|年报).*(?:通知|函|要求|方案)|"
                           r"解读|图解|一图读懂|问答|答记者问|指南|目录$|列表$|年度报告(?:专栏|栏目)$")


# Mirror sites annotate characters with pinyin: 报(bào)告根据(jù). A tone mark tells it from a real "(a)".
_PINYIN = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


def has_pinyin(text: str) -> bool:
    return bool(_PINYIN.search(text))


def strip_pinyin(text: str) -> tuple[str, int]:
    return _PINYIN.subn("", text)


def has_spam(text: str) -> bool:
    return bool(_SPAM_CJK_RE.search(text)) or any(_SPAM_ASCII_RE.match(run) for run in _ASCII_RUN.findall(text))


def strip_spam(text: str) -> tuple[str, list[str]]:
    spans = [m.group(0) for m in _SPAM.finditer(text) if m.group(0).strip()]
    return (_SPAM.sub("", text), spans) if spans else (text, [])


def is_government_host(url: str | None) -> bool:
    """A gov.cn host, or a private address (a test portal, an intranet copy); a public IP address with a path
    rewritten under it is a proxy that copies portals (222.178.203.72:19005/whst/63/=…)."""
    host = (urlsplit(url).hostname or "") if url else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return bool(_GOV_HOST.search(host.lower()))
    return address.is_private or address.is_loopback


def foreign_domains(text: str) -> list[str]:
    """Domains named in the text (e-mail addresses aside) that are not government domains."""
    emails = {m.group(0).split("@", 1)[1].lower() for m in _EMAIL.finditer(text)} if "@" in text else set()
    runs = {run.lower().strip(".-") for run in _ASCII_RUN.findall(text)}
    return sorted(d for d in runs if _DOMAIN.match(d) and not d.endswith("gov.cn") and d not in emails)


def cjk_count(text: str) -> int:
    """About the number of CJK characters (3 bytes each in UTF-8), at C speed."""
    return (len(text.encode("utf-8", "ignore")) - len(text)) // 2


def is_damaged(text: str) -> bool:
    """One dropped-character pattern is enough: clean text never writes a year straight into its day (201711日)."""
    return any(p.search(text) for p in _DAMAGE)


# Documents that share words with the annual report and are not one: the government work report, statistics,
# budgets, the rule-of-law report, enterprise annual reports, work plans; news about writing the report.
_LOOK_ALIKE_TITLE = re.compile(r"^(?!.*信息公开).*(?:政府工作报告|统计公报|预决算|预算|决算|法治政府建设|企业年报|年报公示|"
                               r"工作要点)|(?:年度报告|年报).{0,8}(?:培训|会议|座谈|部署会|推进会)")


def looks_like_notice(title: str | None) -> bool:
    """A notice about the report, an interpretation, a list, or a look-alike document: not a report."""
    return bool(title) and bool(_NOTICE_TITLE.search(title) or _LOOK_ALIKE_TITLE.search(title))
