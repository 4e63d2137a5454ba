"""Word (.docx) files: paragraphs in order with Word's automatic numbering rebuilt, tables by row.

The 一、/(一)/1. of a numbered list is not in the paragraph text: Word draws it from
word/numbering.xml.  `Numbering` replays it: each paragraph's numId/ilvl (direct or from its
style) picks a level of an abstract definition (numFmt, lvlText, start); counters run per
list, deeper levels restart when a higher one advances (unless lvlRestart says otherwise),
and a w:num that overrides a start value begins its own count.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ingest.formats import ExtractedText
from ontology.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MAX_XML_BYTES = 200 * 1024 * 1024  # uncompressed document.xml; more is a zip bomb, not a report


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- number formats: numFmt value -> function of the counter -------------------------------

CN_DIGITS = "零一二三四五六七八九"
CN_LEGAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
CN_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
CN_UNITS = ("", "十", "百", "千")
CN_LEGAL_UNITS_SIMPLIFIED = ("", "拾", "佰", "仟")
CN_LEGAL_UNITS_TRADITIONAL = ("", "拾", "佰", "仟")
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_counting(n: int, digits: str = CN_DIGITS, units: tuple[str, ...] = CN_UNITS,
                     short_ten: bool = True) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 105 -> 一百零五 (below 10000)."""
    if n <= 0 or n >= 10000:
        return str(n)
    if short_ten and 10 <= n < 20:
        return units[1] + (digits[n - 10] if n > 10 else "")
    out, zero = [], False
    for power in (3, 2, 1, 0):
        d = n // 10 ** power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + units[power])
    return "".join(out)


def _roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int, base: str) -> str:
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _enclosed(first: int, last: int) -> Callable[[int], str]:
    return lambda n: chr(first + n - 1) if 1 <= n <= last - first + 1 else str(n)


NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalFullWidth2": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": _enclosed(0x2460, 0x2473),         # ①..⑳
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 0x2473),
    "decimalEnclosedFullstop": _enclosed(0x2488, 0x249B),       # ⒈..⒛
    "decimalEnclosedParen": _enclosed(0x2474, 0x2487),          # ⑴..⒇
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "japaneseCounting": chinese_counting,
    "taiwaneseCounting": chinese_counting,
    "taiwaneseCountingThousand": chinese_counting,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "taiwaneseDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: chinese_counting(n, CN_LEGAL_SIMPLIFIED, CN_LEGAL_UNITS_SIMPLIFIED, False),
    "ideographLegalTraditional": lambda n: chinese_counting(n, CN_LEGAL_TRADITIONAL, CN_LEGAL_UNITS_TRADITIONAL, False),
    "ideographTraditional": lambda n: HEAVENLY_STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: EARTHLY_BRANCHES[(n - 1) % 12],
    "upperLetter": lambda n: _letter(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letter(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


def format_number(n: int, num_fmt: str) -> str:
    """A counter in one of Word's number formats (unknown formats fall back to decimal)."""
    return NUMBER_FORMATS.get(num_fmt, str)(n)


# --- numbering definitions -------------------------------------------------------------------

@dataclass
class Level:
    start: int = 1
    num_fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None   # lvlRestart: 0 never restarts; n restarts after levels < n
    legal: bool = False          # isLgl: all numbers of the label shown as decimal
    suffix: str = "tab"          # tab | space | nothing
    style: str | None = None     # pStyle linked to this level


@dataclass
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _val(el, tag: str) -> str | None:
    child = el.find(_w(tag)) if el is not None else None
    return child.get(_w("val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> Level:
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(_w("isLgl"))
    return Level(start=_int(_val(lvl, "start"), 1), num_fmt=_val(lvl, "numFmt") or "decimal",
                 text=_val(lvl, "lvlText") or "", restart=_int(restart, 0) if restart is not None else None,
                 legal=legal is not None and legal.get(_w("val"), "true") not in ("0", "false", "off"),
                 suffix=_val(lvl, "suff") or "tab", style=_val(lvl, "pStyle"))


@dataclass
class Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None


def read_styles(root) -> tuple[dict[str, Style], str | None]:
    """Paragraph styles with their numbering, and the id of the default paragraph style."""
    styles: dict[str, Style] = {}
    default = None
    if root is None:
        return styles, None
    for st in root.iter(_w("style")):
        if st.get(_w("type")) not in (None, "paragraph", "numbering"):
            continue
        sid = st.get(_w("styleId"))
        if not sid:
            continue
        num_pr = st.find(f"{_w('pPr')}/{_w('numPr')}")
        ilvl = _val(num_pr, "ilvl")
        styles[sid] = Style(based_on=_val(st, "basedOn"), num_id=_val(num_pr, "numId"),
                            ilvl=_int(ilvl, 0) if ilvl is not None else None)
        if st.get(_w("default")) in ("1", "true", "on") and st.get(_w("type")) == "paragraph":
            default = sid
    return styles, default


class Numbering:
    """Word's list numbering replayed paragraph by paragraph."""

    def __init__(self, root, styles: dict[str, Style]) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}   # abstractNum id -> numbering style it defers to
        self.nums: dict[str, _Num] = {}
        self.styles = styles
        self.counters: dict[tuple[str, str], list[int | None]] = {}
        if root is None:
            return
        for ab in root.iter(_w("abstractNum")):
            aid = ab.get(_w("abstractNumId"))
            self.abstract[aid] = {_int(lvl.get(_w("ilvl")), 0): _level(lvl) for lvl in ab.iter(_w("lvl"))}
            link = _val(ab, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in root.iter(_w("num")):
            n = _Num(abstract=_val(num, "abstractNumId") or "")
            for ov in num.iter(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")), 0)
                start = _val(ov, "startOverride")
                if start is not None:
                    n.start_overrides[ilvl] = _int(start, 1)
                lvl = ov.find(_w("lvl"))
                if lvl is not None:
                    n.level_overrides[ilvl] = _level(lvl)
            self.nums[num.get(_w("numId"))] = n

    def _abstract_of(self, num_id: str) -> str | None:
        seen = set()
        num = self.nums.get(num_id)
        while num is not None and num.abstract not in seen:
            seen.add(num.abstract)
            link = self.style_link.get(num.abstract)
            style = self.styles.get(link) if link else None
            if not link or style is None or not style.num_id:
                return num.abstract
            num = self.nums.get(style.num_id)  # numStyleLink: the style's list holds the levels
        return None

    def levels(self, num_id: str) -> dict[int, Level]:
        aid = self._abstract_of(num_id)
        levels = dict(self.abstract.get(aid, {})) if aid is not None else {}
        num = self.nums.get(num_id)
        if num:
            levels.update(num.level_overrides)
        return levels

    def level_for_style(self, num_id: str, style_id: str) -> int:
        for ilvl, lvl in self.levels(num_id).items():
            if lvl.style == style_id:
                return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (list, level) and return the label Word would draw."""
        num = self.nums.get(num_id)
        levels = self.levels(num_id)
        if num is None or ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue one count unless a start is overridden.
        key = ("num", num_id) if num.start_overrides else ("abstract", self._abstract_of(num_id) or num_id)
        counts = self.counters.setdefault(key, [None] * 9)

        def start(i: int) -> int:
            return num.start_overrides.get(i, levels[i].start if i in levels else 1)

        counts[ilvl] = start(ilvl) if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                counts[deeper] = None
        lvl = levels[ilvl]
        if lvl.num_fmt == "bullet":
            return ""

        def placeholder(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            if i > ilvl or i not in levels:
                return ""
            value = counts[i] if counts[i] is not None else start(i)
            fmt = "decimal" if lvl.legal and i < ilvl else levels[i].num_fmt
            return format_number(value, fmt)

        text = re.sub(r"%([1-9])", placeholder, lvl.text)
        if text and lvl.suffix != "nothing" and text[-1].isascii():
            text += " "  # "1." + tab: keep the number apart from a following digit
        return text


# --- document walk ---------------------------------------------------------------------------

_SKIP = {_w("del"), _w("moveFrom"), _w("instrText"), _w("delText"), _w("drawing"), _w("pict"),
         _w("object"), _w("rPr"), _w("pPr"), _w("footnoteReference"), _w("endnoteReference"),
         f"{{{MC}}}AlternateContent"}


def _hidden(run) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(_w("val"), "true") not in ("0", "false", "off")


def _runs_text(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == _w("t"):
            out.append(child.text or "")
        elif tag == _w("tab"):
            out.append(" ")
        elif tag in (_w("br"), _w("cr")):
            out.append("\n")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == _w("r") and _hidden(child):
            continue
        else:
            _runs_text(child, out)


@dataclass
class _Reader:
    numbering: Numbering
    styles: dict[str, Style]
    default_style: str | None
    lines: list[str] = field(default_factory=list)

    def numbering_of(self, p) -> tuple[str, int] | None:
        ppr = p.find(_w("pPr"))
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        style_id = _val(ppr, "pStyle") or self.default_style
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        seen = set()
        sid = style_id
        while (num_id is None or ilvl is None) and sid and sid not in seen:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            if num_id is None and style.num_id is not None:
                num_id = style.num_id
                if ilvl is None and style.ilvl is not None:
                    ilvl = str(style.ilvl)
                if ilvl is None:
                    ilvl = str(self.numbering.level_for_style(num_id, sid))
            sid = style.based_on
        if not num_id or num_id == "0":
            return None
        return num_id, _int(ilvl, 0)

    def paragraph(self, p) -> str:
        parts: list[str] = []
        _runs_text(p, parts)
        text = "".join(parts)
        numbered = self.numbering_of(p)
        label = self.numbering.label(*numbered) if numbered else ""
        if not text.strip():
            return ""
        return label + text.lstrip(" ") if label else text

    def cell(self, tc) -> str:
        parts = []
        for child in _content(tc):
            if child.tag == _w("p"):
                parts.append(self.paragraph(child))
            elif child.tag == _w("tbl"):
                parts.extend(" ".join(row.split("\t")) for row in self.table_rows(child))
        return " ".join(" ".join(p.split()) for p in parts if p.strip())

    def table_rows(self, tbl) -> list[str]:
        rows = []
        for tr in _content(tbl, _w("tr")):
            cells = [""] * _int(_val(tr.find(_w("trPr")), "gridBefore"), 0)
            for tc in _content(tr, _w("tc")):
                cells.append(self.cell(tc))
                span = _int(_val(tc.find(_w("tcPr")), "gridSpan"), 1)
                cells.extend([""] * (span - 1))
            line = "\t".join(cells).rstrip("\t ")
            if line.strip():
                rows.append(line)
        return rows

    def body(self, body) -> None:
        for child in _content(body):
            if child.tag == _w("p"):
                text = self.paragraph(child)
                self.lines.extend(line.strip() for line in text.split("\n") if line.strip())
            elif child.tag == _w("tbl"):
                self.lines.extend(self.table_rows(child))


def _content(el, want: str | None = None) -> list:
    """Children of el, looking through content controls and custom XML wrappers."""
    out = []
    for child in el:
        if child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                out.extend(_content(inner, want))
        elif want is None or child.tag == want:
            out.append(child)
    return out


def _xml(zf: zipfile.ZipFile, part: str, name: str):
    try:
        info = zf.getinfo(part)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise InputError(f"{name}: Word 文件中的 {part} 解压后过大({info.file_size // (1024 * 1024)} MB),不像是一份报告")
    try:
        data = zf.read(part)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(f"{name}: Word 文件已损坏({part} 无法解压: {exc}),请用 Word 打开后重新保存") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: Word 文件已损坏({part} 无法解析: {exc}),请用 Word 打开后重新保存") from None


def read_docx(data: bytes, name: str) -> ExtractedText:
    """Report text of a .docx file: numbered paragraphs as Word shows them, tables row by row."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{name}: Word 文件已损坏(不是完整的 zip 包,可能下载中断),请用 Word 打开后重新保存") from None
    with zf:
        document = _xml(zf, "word/document.xml", name)
        if document is None:
            raise InputError(f"{name}: 不是 Word 文档(zip 包中没有 word/document.xml)")
        styles, default_style = read_styles(_xml(zf, "word/styles.xml", name))
        numbering = Numbering(_xml(zf, "word/numbering.xml", name), styles)
    body = document.find(_w("body"))
    if body is None:
        raise InputError(f"{name}: Word 文件已损坏(document.xml 没有正文 w:body)")
    reader = _Reader(numbering, styles, default_style)
    reader.body(body)
    warnings = []
    if any((t.text or "").strip() for box in document.iter(_w("txbxContent")) for t in box.iter(_w("t"))):
        warnings.append("文本框中的文字未读取")
    return ExtractedText(text="\n".join(reader.lines) + "\n", format="docx", warnings=warnings)
