"""HTML → Document: find the report body inside portal chrome, tables as grids."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.cssselect import CSSSelector

from .budget import MAX_BLOCKS, MAX_COLSPAN, MAX_TABLE_CELLS, BudgetExceeded, CellBudget
from .document import Cell, Document, Paragraph, Table
from .flags import cjk_count

_SKIP = {"script", "style", "noscript", "iframe", "object", "embed", "select", "button", "svg",
         "nav", "footer", "header", "form", "input", "textarea", "map"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "center", "dl", "dt", "dd", "pre", "tr", "td", "th", "main", "aside", "hr",
          "address", "figure", "figcaption", "caption", "o:p"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"[ \t\r\n\u3000\u00a0]+")

# Body containers of the common portal CMS families, in order of trust: (attribute, the values that mark one);
# unknown templates fall back to scoring.
_KNOWN_BODIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("class", frozenset({"TRS_Editor"})),
    ("class", frozenset({"TRS_UEDITOR"})),
    ("id", frozenset({"zoom", "Zoom", "UCAP-CONTENT", "vsb_content"})),
    ("class", frozenset({"v_news_content"})),
    ("class", frozenset({"article-content"})),
)
_CLASS_SEPARATORS = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space splits on
# One pass over the page for every family's candidates: an XPath test per family and value cost a tenth of a parse.
_MARKED = etree.XPath("//*[@id or @class]")
# A labelled date anywhere on the page (the info bar sits outside the body): 发布时间：2023-01-20
_LABELLED_DATE = re.compile(r"(?:发布|发文|成文|公开|生成|印发)(?:日期|时间)\s*[:：]?\s*"
                            r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
# An info bar without a label: "2018-02-13 11:37 来源:…" (a date and time, then the bar's next field)
_INFO_BAR_DATE = re.compile(r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})日?\s+\d{1,2}:\d{2}(?::\d{2})?\s*"
                            r"(?:信息来源|来源|发布机构|作者|浏览|点击|阅读|字号|字体)")
_META_TITLE = ("ArticleTitle", "title", "og:title")
_META_DATE = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time",
              "created", "Maketime")
# The national site specification's tags every government page carries (政府网站网页设计规范): kept as evidence;
# SiteIDCode's first six digits are the region.
_SITE_META = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "PubDate", "ContentSource")
# Link-heavy blocks (menus, related lists, share bars) lose; text-heavy blocks win.
_LINK_PENALTY = 3


_cjk_len = cjk_count
# lxml.etree's own parser, not lxml.html's: its HtmlElement classes are chosen by a Python callback for every element
# the walk touches (132,000 calls for 120 pages); text_content and cssselect are the two methods of theirs used here.
_PARSER = etree.HTMLParser(huge_tree=True)
text_content = etree.XPath("string()")  # what lxml.html's text_content() runs


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _metas(root: etree._Element) -> dict[str, list[str]]:
    """Every <meta>'s content by its name and by its property, in page order: one pass, not one per name."""
    found: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        value = (meta.get("content") or "").strip()
        if value:
            for name in dict.fromkeys(n for n in (meta.get("name"), meta.get("property")) if n is not None):
                found.setdefault(name, []).append(value)
    return found


def _meta(metas: dict[str, list[str]], names: tuple[str, ...]) -> list[str]:
    return [value for name in names for value in metas.get(name, [])]


def _score(element: etree._Element) -> int:
    text = _cjk_len(text_content(element))
    links = sum(_cjk_len(text_content(a)) for a in element.iter("a"))
    return text - _LINK_PENALTY * links


def cms_bodies(root: etree._Element) -> Iterator[list[etree._Element]]:
    """For each known CMS family's body container, the outermost elements of the page that are one."""
    marked = [(el, el.get("id"), set(_CLASS_SEPARATORS.split(el.get("class") or ""))) for el in _MARKED(root)]
    for attribute, values in _KNOWN_BODIES:
        found = [el for el, id_, classes in marked if (id_ in values if attribute == "id" else values & classes)]
        inside = set(found)
        yield [el for el in found if not any(ancestor in inside for ancestor in el.iterancestors())]


def find_bodies(root: etree._Element) -> list[etree._Element]:
    """The elements holding the report, in page order: the containers of a known CMS (some pages put the text
    and the tables in two of them), else the best-scoring block."""
    for outer in cms_bodies(root):
        if sum(_cjk_len(text_content(el)) for el in outer) > 100:
            return outer
    return [find_body(root)]


def find_body(root: etree._Element) -> etree._Element:
    """The best-scoring block of the page: the tightest container that holds most of its text."""
    body = root.find("body")
    if body is None:
        body = root
    best, best_score = body, _score(body)
    # Descend while one child keeps nearly all of the score: the tightest container of the text.
    while True:
        children = [c for c in best if isinstance(c.tag, str) and c.tag not in _SKIP]
        scored = [(c, _score(c)) for c in children]
        if not scored:
            return best
        child, child_score = max(scored, key=lambda pair: pair[1])
        if child_score < 0.8 * best_score or child_score <= 0:
            return best
        best, best_score = child, child_score


def _cell_text(cell: etree._Element) -> str:
    parts = [cell.text or ""]
    for node in cell.iterdescendants():
        if isinstance(node.tag, str):
            if node.tag in ("br", "p", "div"):
                parts.append(" ")
            if node.tag not in _SKIP:
                parts.append(node.text or "")
        parts.append(node.tail or "")
    return _clean("".join(parts))


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _span(value: str | None, limit: int) -> int:
    if value is None or value == "1":
        return 1
    digits = re.sub(r"\D", "", value)[:7]
    return max(1, min(int(digits), limit)) if digits else 1


def table_grid(table: etree._Element, budget: CellBudget | None = None) -> list[list[Cell]]:
    """Rows of cells with rowspan/colspan spread to every grid position they cover."""
    rows = _rows(table)
    grid: list[dict[int, Cell]] = [{} for _ in rows]
    used = 0
    for r, row in enumerate(rows):
        taken = grid[r]
        c = 0
        for cell in row.iterchildren("td", "th"):
            while c in taken:
                c += 1
            text = _cell_text(cell) if len(cell) else _clean(cell.text or "")  # most cells are a bare figure or label
            rowspan = _span(cell.get("rowspan"), len(rows) - r)
            colspan = _span(cell.get("colspan"), MAX_COLSPAN)
            used += rowspan * colspan
            if used > MAX_TABLE_CELLS:
                raise BudgetExceeded(f"a table of more than {MAX_TABLE_CELLS:,} cells (spans spread): not a report table")
            if rowspan == colspan == 1:  # most cells: no copies to spread
                taken[c] = Cell(text, c)
                c += 1
                continue
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[r + dr][c + dc] = Cell(text, c + dc, span_copy=(dr, dc) != (0, 0))
            c += colspan
    if budget is not None:
        budget.take(used)
    return [[cells[col] for col in sorted(cells)] for cells in grid]


def _is_layout_table(table: etree._Element) -> bool:
    if table.xpath(".//table"):
        return True
    widths = [sum(1 for _ in row.iterchildren("td", "th")) for row in _rows(table)]
    return not widths or max(widths) <= 1


class _BlockWriter:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Table] = []
        self._buffer: list[str] = []
        self._heading = False
        self.cells = CellBudget()

    def text(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        text = _clean("".join(self._buffer))
        if text:
            self.blocks.append(Paragraph(text, heading=self._heading))
            if len(self.blocks) > MAX_BLOCKS:
                raise BudgetExceeded(f"more than {MAX_BLOCKS:,} paragraphs and tables: not a report")
        self._buffer = []
        self._heading = False

    def walk(self, root: etree._Element) -> None:
        """Depth first with a stack of its own: a page nested thousands of levels deep reads like any other."""
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack:
            element, closing = stack.pop()
            tag = element.tag if isinstance(element.tag, str) else ""
            block = tag in _BLOCK or tag == "br"
            if closing:
                if block:
                    self.flush()
                self.text(element.tail)
                continue
            if tag in _SKIP or not tag:  # skipped elements, comments and processing instructions: their tail is text
                self.text(element.tail)
                continue
            if tag == "table" and not _is_layout_table(element):
                self.flush()
                self.blocks.append(Table(table_grid(element, self.cells)))
                self.text(element.tail)
                continue
            if block:
                self.flush()
                self._heading = tag in _HEADINGS or _bold_only(element)
            self.text(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))


def _bold_only(element: etree._Element) -> bool:
    if element.tag not in ("p", "div") or (element.text or "").strip():
        return False
    children = [c for c in element if isinstance(c.tag, str)]
    return bool(children) and all(
        c.tag in ("strong", "b") and not (c.tail or "").strip() for c in children
    ) and len(_clean(text_content(element))) < 60


def page_root(text: str) -> etree._Element:
    # huge_tree: without it libxml2 stops at 256 levels of nesting and the body is silently lost
    root = etree.fromstring(text or "<html></html>", _PARSER)
    if root is None:  # only comments or blanks: as lxml.html's document_fromstring says
        raise etree.ParserError("Document is empty")
    return root


def read_html(text: str, content_selector: str | None = None) -> Document:
    """content_selector: a CSS selector for the report body, a per-site hint where the finding fails."""
    root = page_root(text)
    metas = _metas(root)
    titles = _meta(metas, _META_TITLE)
    for xpath in ("//h1", "//title"):
        titles += [_clean(text_content(el)) for el in root.xpath(xpath) if _clean(text_content(el))]
    hinted = CSSSelector(content_selector, translator="html")(root) if content_selector else []
    bodies = hinted[:1] or find_bodies(root)
    body_chars = sum(_cjk_len(text_content(body)) for body in bodies)
    link_chars = sum(_cjk_len(text_content(a)) for body in bodies for a in body.iter("a"))
    page_text = text_content(root)
    writer = _BlockWriter()
    for body in bodies:
        writer.walk(body)
        writer.flush()
    writer.flush()
    return Document(
        blocks=writer.blocks,
        title_hint=next(iter(titles), None),
        title_candidates=titles,
        date_hints=_meta(metas, _META_DATE) + _LABELLED_DATE.findall(page_text)[:3] + _INFO_BAR_DATE.findall(page_text)[:1],
        source_type="html",
        link_ratio=link_chars / body_chars if body_chars else 0.0,
        site_meta={name: values[0][:200] for name in _SITE_META if (values := _meta(metas, (name,)))},
    )
