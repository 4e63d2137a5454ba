"""Web pages saved from government portals: the report body without the portal around it.

The body is found by weight, not by site-specific selectors: every block of running text
(long enough, with sentence punctuation, not inside a link) weighs its characters, and the
body is the smallest element that holds most of that weight.  Inside it, lines that are
portal furniture (发布时间/来源/浏览次数, 字号 大中小, 打印 关闭, share bars, breadcrumbs,
footers) are dropped by the line table `CHROME_LINES`.  Block elements and <br> become line
breaks; a data table becomes one line per row with its cells joined by TAB, a cell covered
by a rowspan/colspan from another cell left empty so columns stay aligned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ingest.formats import ExtractedText
from ingest.formats.decode import decode_bytes
from ontology.errors import InputError

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul caption".split())
DROP_TAGS = ("script", "style", "noscript", "iframe", "select", "option", "button", "input",
             "textarea", "svg", "object", "embed", "canvas", "template", "map", "audio", "video")

# Share of the running-text weight the body must hold.
BODY_SHARE = 0.8
# A block counts as running text when it has this many Han characters and a sentence mark
# (a colon alone does not count: 来源：/ 主办单位：/ 发布时间：are labels, not sentences).
RUNNING_MIN_CHARS = 15
PUNCT = set("，。；、！？,;!?")
_WEIGHTED = re.compile(r"[\u3400-\u9fff]")

# Meta tags that carry the publication date, most specific first (names compared lower case).
DATE_META = (
    "article:published_time", "pubdate", "publishdate", "publish_date", "publishtime",
    "firstpublishedtime", "og:release_date", "dc.date.issued", "dc.date.created", "dc.date",
    "dcterms.issued", "dcterms.created", "date", "lastmodifiedtime",
)
URL_META = ("og:url", "twitter:url", "url")
# Lines in the page that name the publication date or the source URL: (id, pattern).
DATE_LINES = (
    ("date.published", re.compile(r"(?:发布|发表|发文|成文|公开|更新)(?:时间|日期)\s*[:：]?\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")),
    ("date.label", re.compile(r"(?:^|\s)(?:时间|日期)\s*[:：]\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")),
)
URL_LINES = (
    ("url.label", re.compile(r"(?:原文链接|原文地址|原文网址|来源网址|来源链接|本文链接|本文网址|网页地址|网址)\s*[:：]?\s*(?P<url>https?://[^\s<>\"'，。]+)")),
)
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(?P<url>\S+?)\s*-->", re.I)
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)")
CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*(?P<cs>[\w.:-]+)", re.I)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

_META_LABELS = (r"(?:发布时间|发布日期|更新时间|信息来源|文章来源|稿件来源|来源|作者|责任编辑|编辑|审核|浏览次数|阅读次数|"
                r"浏览量|访问量|点击数|点击量|字号|字体|索引号|信息索引号|发布机构|发文机关|生成日期|公开日期|公开方式|"
                r"公开范围|主题分类|信息分类|有效性|文号)")
_TOOL_WORDS = r"(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|收藏(?:本页)?|分享(?:到)?|返回(?:顶部|首页|列表|上一页)?|保存(?:本页)?|纠错|字号|字体|大|中|小|默认|扫一扫|微信|微博|QQ空间|手机(?:浏览|阅读)?)"
# Portal furniture inside the body, one row per kind of line: (id, pattern, longest line it may drop).
CHROME_LINES = (
    ("chrome.meta_line", re.compile(rf"^{_META_LABELS}\s*[:：]"), 120),
    ("chrome.meta_pair", re.compile(rf"{_META_LABELS}\s*[:：].*{_META_LABELS}\s*[:：]"), 200),
    ("chrome.tools", re.compile(rf"^[\s【】\[\]()（）|/:：·•]*(?:{_TOOL_WORDS}[\s【】\[\]()（）|/:：·•]*)+$"), 60),
    ("chrome.share", re.compile(r"^(?:分享到|分享|扫一扫|上一篇|下一篇|上一条|下一条)\s*[:：]?"), 120),
    ("chrome.related", re.compile(r"^[【\[]?(?:相关链接|相关文章|相关阅读|相关新闻|相关文件|相关信息|延伸阅读|热点推荐|推荐阅读)[】\]]?[:：]?$"), 20),
    ("chrome.breadcrumb", re.compile(r"^(?:当前位置|您(?:现在)?的位置|你的位置|所在位置)\s*[:：]|^首页\s*[>＞»›/]"), 200),
    ("chrome.footer", re.compile(r"版权所有|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|ICP\s*备|公网安备|技术支持\s*[:：]|网站地图|建议使用.{0,20}浏览器|最佳分辨率"), 200),
)


@dataclass
class _Line:
    text: str
    row: bool = False  # a table row: cells joined by TAB, kept as they are


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB."""
    match = CHARSET.search(data[:4096])
    return match.group("cs").decode("ascii", "replace") if match else None


def iso_date(value: str) -> str | None:
    """2024-03-05 / 2024年3月5日 / 2024/03/05 10:00 -> 2024-03-05; None when not a date."""
    match = DATE.search(value)
    if not match:
        return None
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _weight(text: str) -> int:
    return len(_WEIGHTED.findall(text))


def _in_link(el) -> bool:
    while el is not None:
        if _tag(el) == "a":
            return True
        el = el.getparent()
    return False


def _block_of(el):
    while el is not None and _tag(el) not in BLOCK_TAGS:
        el = el.getparent()
    return el


def _running_weights(body) -> dict:
    """Weight of running text held by each element (its own blocks and everything below)."""
    own: dict = {}
    texts: dict = {}
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        pieces = [(el, el.text)] + [(el, child.tail) for child in el]
        for holder, text in pieces:
            if text and text.strip() and not _in_link(holder):
                block = _block_of(holder)
                if block is not None:
                    texts.setdefault(block, []).append(text)
    for block, parts in texts.items():
        text = "".join(parts)
        chars = _weight(text)
        punct = sum(1 for c in text if c in PUNCT)
        if (chars >= RUNNING_MIN_CHARS and punct >= 1) or punct >= 3 or (_tag(block) in ("td", "th") and chars >= 2):
            own[block] = chars
    total: dict = {}
    for el in reversed(list(body.iter())):
        if isinstance(el.tag, str):
            total[el] = own.get(el, 0) + sum(total.get(child, 0) for child in el)
    return total


def find_body(body):
    """The smallest element holding BODY_SHARE of the page's running text (the body if none)."""
    weights = _running_weights(body)
    need = weights.get(body, 0) * BODY_SHARE
    if need <= 0:
        return body
    node = body
    while True:
        heavier = [child for child in node if weights.get(child, 0) >= need]
        if not heavier:
            break
        node = heavier[0]
    # One paragraph is not a body: the report is that paragraph and its siblings.
    if node is not body and not any(_tag(el) in BLOCK_TAGS or _tag(el) == "br" for el in node.iterdescendants()):
        node = node.getparent()
    while _tag(node) in ("tr", "td", "th", "tbody", "thead", "tfoot") and node.getparent() is not None:
        node = node.getparent()  # a data table is read whole, with the text around it
    return node


def _link_dense(el) -> bool:
    links = el.findall(".//a")
    if len(links) < 2:
        return False
    text = _weight(el.text_content())
    linked = sum(_weight(a.text_content()) for a in links)
    return text > 0 and linked >= 0.6 * text


def _layout_table(table) -> bool:
    if table.find(".//table") is not None:
        return True
    rows = _rows(table)
    return not rows or max(len(_cells(row)) for row in rows) <= 1


def _rows(table) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(row) -> list:
    return [c for c in row if _tag(c) in ("td", "th")]


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, "1").strip() or 1), 100))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    lines: list[_Line] = []
    _Renderer(lines).render_children(cell)
    return " ".join(_tidy(line.text) for line in lines if line.text.strip())


def _table_rows(table) -> list[str]:
    """One string per row, cells joined by TAB; cells covered by a span left empty."""
    out: list[str] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for row in _rows(table):
        cells: list[str] = []
        col = 0

        def fill_spanned() -> None:
            nonlocal col
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                cells.append("")
                col += 1

        for cell in _cells(row):
            fill_spanned()
            cells.append(_cell_text(cell))
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            cells.extend([""] * (colspan - 1))
            if rowspan > 1:
                for c in range(col, col + colspan):
                    pending[c] = rowspan - 1
            col += colspan
        fill_spanned()
        for c in [c for c in pending if c >= col and pending[c] > 0]:
            pending[c] -= 1
        line = "\t".join(cells).rstrip("\t ")
        if line.strip():
            out.append(line)
    return out


def _tidy(text: str) -> str:
    """Source line breaks vanish between CJK characters and become spaces elsewhere."""
    text = _SOURCE_BREAK.sub(lambda m: " " if m["a"].isascii() and m["b"].isascii() else "", text)
    return _SPACES.sub(" ", text).strip()


_SOURCE_BREAK = re.compile(r"(?<=(?P<a>\S))[ \t\u00a0]*\r\s*(?=(?P<b>\S))")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


class _Renderer:
    """Walks an element, turning blocks and <br> into line breaks and data tables into rows.

    Source line breaks are kept as CR so `_tidy` can tell them from <br> (LF).
    """

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.buf: list[str] = []
        self.pre = 0

    def add(self, text: str | None) -> None:
        if text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            self.buf.append(text if self.pre else text.replace("\n", "\r"))

    def newline(self) -> None:
        text = "".join(self.buf)
        self.buf.clear()
        for part in text.split("\n"):
            self.lines.append(_Line(part))

    def render_children(self, el) -> None:
        self.pre += _tag(el) == "pre"
        self.add(el.text)
        for child in el:
            self.render(child)
            self.add(child.tail)
        self.pre -= _tag(el) == "pre"
        self.newline()

    def render(self, el) -> None:
        tag = _tag(el)
        if not tag:
            return  # comment or processing instruction; its tail is added by the caller
        if tag == "br":
            self.buf.append("\n")
            return
        if tag not in BLOCK_TAGS:
            self.add(el.text)
            for child in el:
                self.render(child)
                self.add(child.tail)
            return
        self.newline()
        if tag != "body" and _link_dense(el):
            return
        if tag == "table" and not _layout_table(el):
            self.lines.extend(_Line(row, row=True) for row in _table_rows(el))
            return
        self.render_children(el)


def render_lines(el) -> list[_Line]:
    """The lines of an element, whitespace tidied, empty lines dropped."""
    raw: list[_Line] = []
    _Renderer(raw).render_children(el)
    lines = []
    for line in raw:
        text = line.text if line.row else _tidy(line.text)
        if text.strip():
            lines.append(_Line(text, line.row))
    return lines


def is_chrome(line: str) -> str | None:
    """The id of the CHROME_LINES row a line matches, or None for report text."""
    for rule_id, pattern, longest in CHROME_LINES:
        if len(line) <= longest and pattern.search(line):
            return rule_id
    return None


def _meta(doc, names: tuple[str, ...]) -> str | None:
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    for name in names:
        if name in found:
            return found[name]
    return None


def find_published(doc, lines: list[str]) -> str | None:
    """Publication date: a date meta tag first, then a 发布时间/日期 line on the page."""
    value = _meta(doc, DATE_META)
    if value and iso_date(value):
        return iso_date(value)
    for line in lines:
        for _, pattern in DATE_LINES:
            match = pattern.search(line)
            if match and iso_date(match["date"]):
                return iso_date(match["date"])
    return None


def find_url(doc, lines: list[str], source: str) -> str | None:
    """Source URL: canonical link, og:url, the browser's "saved from" comment, a 原文链接 line."""
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").startswith("http"):
            return link.get("href").strip()
    value = _meta(doc, URL_META)
    if value and value.startswith("http"):
        return value
    match = SAVED_FROM.search(source[:4096])
    if match and match["url"].startswith("http"):
        return match["url"]
    for line in lines:
        for _, pattern in URL_LINES:
            match = pattern.search(line)
            if match:
                return match["url"]
    return None


def _title(doc, body, content) -> str | None:
    """The report title: a block before the body that matches the page <title>."""
    title_el = doc.find(".//title")
    page_title = " ".join(title_el.text_content().split()) if title_el is not None else ""
    parts = [p.strip() for p in re.split(r"\s*(?:[_|｜]|-{1,2}|—{1,2}|–)\s*", page_title) if p.strip()]
    if not parts:
        return None
    wanted = max(parts, key=len)
    before = True
    for el in body.iter():
        if el is content:
            before = False
        if not before or _tag(el) not in BLOCK_TAGS or _tag(el) in ("body", "table", "tr", "tbody"):
            continue
        text = " ".join(el.text_content().split())
        if 6 <= len(text) <= 120 and (text == wanted or (len(text) >= 0.6 * len(wanted) and text in wanted)):
            return text
    if re.search(r"报告|通报|公告|情况", wanted) and len(wanted) <= 120:
        return wanted
    return None


def read_html(data: bytes, name: str) -> ExtractedText:
    """Report text of a saved web page, with the page's publication date and URL."""
    text, encoding, warnings = decode_bytes(data, name, declared_charset(data))
    tail = text[-4096:].lower()
    if "</html" not in tail and "</body" not in tail:
        warnings.append("网页不完整(没有 </html> 结尾,可能保存中断),已按现有内容读取")
        text = re.sub(r"<[^<>]*$", "", text)  # a tag cut off in the middle is not text
    try:
        doc = lxml.html.document_fromstring(XML_DECL.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: 网页无法解析({exc})") from None
    for el in list(doc.iter(*DROP_TAGS)):
        el.drop_tree()
    for el in list(doc.iter(etree.Comment)):
        el.drop_tree()
    body = doc.find("body")
    if body is None:
        body = doc
    page_lines = [line.text for line in render_lines(body)]
    url = find_url(doc, page_lines, text)
    published = find_published(doc, page_lines)
    content = find_body(body)
    lines = [line for line in render_lines(content) if not is_chrome(line.text.replace("\t", " "))]
    if not lines:
        raise InputError(f"{name}: 网页中没有找到正文")
    title = _title(doc, body, content)
    if title and not any(title in line.text or line.text in title for line in lines[:3]):
        lines.insert(0, _Line(title))
    return ExtractedText(text="\n".join(line.text for line in lines) + "\n", format="html",
                         encoding=encoding, url=url, published=published, warnings=warnings)
