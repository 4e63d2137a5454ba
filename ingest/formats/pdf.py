"""PDF files with a text layer: lines joined back into paragraphs, page furniture dropped.

pdfminer.six reads the text (it maps CJK glyphs through the fonts' ToUnicode tables) and
gives each line its position, which is what tells a wrapped line from a paragraph end: a
line that stops short of the right margin ends its paragraph, a line indented past the left
margin starts one.  Without positions (or in doubt) the text rule decides: a line ending in
。！？：； ends its paragraph, a line starting with a number or heading marker starts one.
Page numbers (— 3 —, 第3页 共10页 …) and headers/footers repeated across pages are dropped.
Pieces of text on one baseline far apart (table cells) are joined by TAB.  No OCR: a PDF
without a text layer is refused with that reason.
"""
from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass

from ingest.formats import ExtractedText
from ontology.errors import InputError

MAX_PAGES = 500
# Fewer visible characters per page than this: the pages are images (a scan), not text.
MIN_CHARS_PER_PAGE = 20

# Page-number lines: (id, pattern, only at the top or bottom of a page).
PAGE_NUMBER_LINES = (
    ("page.dash", re.compile(r"^[—–\-－─~～]+\s*\d{1,4}\s*[—–\-－─~～]+$"), False),
    ("page.cn", re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?$"), False),
    ("page.cn_total_first", re.compile(r"^共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页$"), False),
    ("page.fraction", re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"), True),
    ("page.en", re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I), False),
    ("page.bare", re.compile(r"^[(（]?\d{1,4}[)）]?$"), True),
)
# A line ending with one of these ends its paragraph (closing quotes/brackets looked through).
SENTENCE_END = re.compile(r"[。！？：；!?:;][”’」』)）]*$")
# A line starting like this starts a new paragraph: numbered headings and enumerations.
ITEM_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零]+(?:部分|章|节|条|篇)"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[(（〔][一二三四五六七八九十]{1,3}[)）〕]"
    r"|\d{1,3}(?:[、．]|\.(?!\d))"
    r"|[(（〔]\d{1,3}[)）〕]"
    r"|[①-⑳㉑-㉟❶-❿⑴-⒇⒈-⒛]"
    r"|【"
    r"|(?:反馈)?问题\d{1,3}"
    r"|附件\s*[:：\d]"
    r"|整改(?:情况|进展|措施|结果)[:：])")
# 一是/二是 open a new paragraph only when positions cannot tell: they mostly run inline.
ENUM_START = re.compile(r"^[一二三四五六七八九十]{1,2}是")
EDGE_LINES = 2          # lines at the top and bottom of a page that may be header/footer


@dataclass
class PdfLine:
    """One line of a page: its text and where it sits (points; top grows downwards)."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    height: float = 0.0
    page: int = 0

    @property
    def row(self) -> bool:
        return "\t" in self.text


def page_number_rule(line: str, at_edge: bool) -> str | None:
    """The id of the PAGE_NUMBER_LINES row a line matches, or None."""
    text = line.strip()
    for rule_id, pattern, edge_only in PAGE_NUMBER_LINES:
        if (at_edge or not edge_only) and pattern.match(text):
            return rule_id
    return None


def drop_page_furniture(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Pages without page numbers and without headers/footers repeated on most pages."""
    pages = [[line for i, line in enumerate(page)
              if not page_number_rule(line.text, i < EDGE_LINES or i >= len(page) - EDGE_LINES)]
             for page in pages]
    if len(pages) < 2:
        return pages

    def key(line: PdfLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    def edge(i: int, n: int) -> bool:
        k = min(EDGE_LINES, max(1, n // 3))
        return i < k or i >= n - k

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({key(line) for i, line in enumerate(page) if edge(i, len(page))})
    need = max(2, math.ceil(len(pages) / 2))
    repeated = {k for k, n in seen.items() if n >= need and k}
    return [[line for i, line in enumerate(page) if not (edge(i, len(page)) and key(line) in repeated)]
            for page in pages]


@dataclass
class _Geometry:
    left: float
    right: float
    char: float
    pitch: float   # usual distance from one line to the next


def _geometry(lines: list[PdfLine]) -> _Geometry | None:
    body = [line for line in lines if not line.row and line.x1 > line.x0]
    if len(body) < 3:
        return None
    left = Counter(round(line.x0) for line in body).most_common(1)[0][0]
    # Justified text: most lines end at the margin.  Ragged text: nearly all end before it.
    right, count = Counter(round(line.x1) for line in body).most_common(1)[0]
    if count < 0.2 * len(body):
        right = sorted(line.x1 for line in body)[int(len(body) * 0.9)]
    char = sorted(line.height for line in body)[len(body) // 2] or 10.0
    steps = sorted(b.top - a.top for a, b in zip(body, body[1:]) if b.top > a.top)
    pitch = steps[len(steps) // 2] if steps else 1.5 * char
    return _Geometry(left, right, char, pitch)


def ends_paragraph(line: PdfLine, nxt: PdfLine, geo: _Geometry | None) -> bool:
    """True when `line` is the last line of its paragraph, given the line after it."""
    if line.row or nxt.row or ITEM_START.match(nxt.text):
        return True
    if geo is not None and line.x1 > line.x0 and nxt.x1 > nxt.x0:
        if line.x1 < geo.right - 1.5 * geo.char:      # stops short of the right margin
            return True
        if nxt.x0 > geo.left + 0.8 * geo.char:        # the next line is indented
            return True
        if nxt.page == line.page and nxt.top - line.top > 1.4 * geo.pitch:  # a gap between blocks
            return True
        return False
    return bool(SENTENCE_END.search(line.text)) or bool(ENUM_START.match(nxt.text))


def _glue(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def join_lines(lines: list[PdfLine], geo: _Geometry | None = None) -> list[str]:
    """Paragraphs from lines: wrapped lines joined, paragraph ends and headings kept."""
    out: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        current = _glue(current, line.text.strip()) if current else line.text.strip()
        if i + 1 == len(lines) or ends_paragraph(line, lines[i + 1], geo):
            out.append(current)
            current = ""
    return [p for p in out if p]


def _line_text(line) -> str:
    """Text of a pdfminer line: spaces it guessed from gaps kept only between Latin letters/digits.

    Justified Chinese text has wide gaps between characters that pdfminer reads as spaces
    (LTAnno); spaces that are really in the text (LTChar) are kept.
    """
    from pdfminer.layout import LTAnno

    items = list(line)
    out = []
    for i, item in enumerate(items):
        text = item.get_text()
        if isinstance(item, LTAnno):
            before = items[i - 1].get_text()[-1:] if i else ""
            after = items[i + 1].get_text()[:1] if i + 1 < len(items) else ""
            if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
                continue
            text = " "
        out.append(text)
    return re.sub(r"[ \u00a0\u3000]+", " ", "".join(out).replace("\n", " ")).strip(" ")


def _page_lines(layout, page_no: int) -> list[PdfLine]:
    from pdfminer.layout import LTTextLine

    found = []

    def walk(item) -> None:
        if isinstance(item, LTTextLine):
            text = _line_text(item)
            if text:
                found.append(PdfLine(text, item.x0, item.x1, layout.height - item.y1, item.height, page_no))
            return
        if hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    walk(layout)
    found.sort(key=lambda line: (line.top, line.x0))
    rows: list[PdfLine] = []
    for line in found:  # pieces on one baseline: table cells (or a heading split by a gap)
        if rows and abs(rows[-1].top - line.top) < 0.5 * max(line.height, 1.0) and line.x0 > rows[-1].x1:
            prev = rows[-1]
            rows[-1] = PdfLine(prev.text + "\t" + line.text, prev.x0, line.x1, prev.top,
                               max(prev.height, line.height), page_no)
        else:
            rows.append(line)
    return rows


def extract_pages(data: bytes, name: str) -> list[list[PdfLine]]:
    """The lines of each page, top to bottom; InputError for damaged or encrypted files."""
    from pdfminer.high_level import extract_pages as pdfminer_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdfdocument import PDFDocument

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        count = sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    except PDFPasswordIncorrect:
        raise InputError(f"{name}: PDF 已加密,需要密码才能读取,请提供未加密的文件") from None
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise InputError(f"{name}: PDF 文件已损坏或不完整({type(exc).__name__}),无法读取") from None
    if count > MAX_PAGES:
        raise InputError(f"{name}: PDF 有 {count} 页,超过上限 {MAX_PAGES} 页,不像是一份报告")
    try:
        return [_page_lines(layout, i) for i, layout in
                enumerate(pdfminer_pages(io.BytesIO(data), laparams=LAParams()))]
    except Exception as exc:
        raise InputError(f"{name}: PDF 文件已损坏或不完整({type(exc).__name__}),无法读取") from None


def read_pdf(data: bytes, name: str) -> ExtractedText:
    """Report text of a PDF with a text layer, as paragraphs and heading lines."""
    raw = extract_pages(data, name)
    chars = sum(len(re.sub(r"\s", "", line.text)) for page in raw for line in page)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(raw)) / 4 or chars < MIN_CHARS_PER_PAGE:
        raise InputError(f"{name}: PDF 没有文字层(可能是扫描件),不做 OCR")
    cids = sum(line.text.count("(cid:") for page in raw for line in page)
    if cids * 6 > chars:
        raise InputError(f"{name}: PDF 的字体没有文字映射(ToUnicode),提取出的只是字形编号,无法读取")
    pages = drop_page_furniture(raw)
    warnings = []
    empty = sum(1 for page in pages if sum(len(line.text) for line in page) < MIN_CHARS_PER_PAGE)
    if empty and len(pages) > 1:
        warnings.append(f"{empty} 页几乎没有文字(可能是扫描页),这些页的内容未读取")
    paragraphs: list[str] = []
    carry: list[PdfLine] = []
    for page in pages:
        geo = _geometry(page)
        lines = carry + page
        # Join within the page; the last paragraph may go on onto the next page.
        joined = join_lines(lines, geo)
        last_open = bool(page) and not page[-1].row and not SENTENCE_END.search(page[-1].text) \
            and (geo is None or page[-1].x1 >= geo.right - 1.5 * geo.char)
        if last_open and joined:
            paragraphs.extend(joined[:-1])
            carry = [PdfLine(joined[-1], geo.left if geo else 0, geo.right if geo else 0, 0, 0, -1)]
        else:
            paragraphs.extend(joined)
            carry = []
    paragraphs.extend(line.text for line in carry)
    return ExtractedText(text="\n".join(paragraphs) + "\n", format="pdf", warnings=warnings)
