"""Readers for web pages, Word and PDF files: each input is built here from one report text,
and what comes out must read (and parse) like the plain text."""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from ingest.formats import ExtractedText, check_input, detect_format, to_text
from ingest.formats import docx as docx_reader
from ingest.formats import hanzi, html, pdf
from ontology.errors import InputError

REPORT_LINES = [
    "中共芜湖市应急管理局委员会关于巡察整改进展情况的通报",
    "根据市委统一部署,市委第三巡察组于2023年9月1日至10月30日对市应急局党委开展巡察,并于2023年12月5日反馈了巡察意见。"
    "按照巡察工作有关要求,现将巡察整改进展情况予以公布。",
    "一、党委组织落实整改情况",
    "局党委高度重视巡察整改工作,成立由党委书记任组长的整改工作领导小组,将反馈的2个方面4个问题细化为12项整改措施,"
    "逐项明确责任单位和整改时限。",
    "二、集中整改进展情况",
    "(一)关于贯彻落实党中央决策部署不到位的问题",
    "1.针对安全生产专项整治推进不力问题",
    "一是制定印发《芜湖市安全生产专项整治实施方案》,明确时间表和路线图。二是组织开展危险化学品企业隐患排查,"
    "检查企业126家,整改隐患342项。三是修订《芜湖市安全生产约谈办法》,对整改不力的3家企业负责人进行约谈。",
    "2.针对应急预案体系不健全问题",
    "修订完善《芜湖市突发事件总体应急预案》,组织编制专项预案8项,开展应急演练15次。",
    "(二)关于全面从严治党责任落实不到位的问题",
    "1.针对落实中央八项规定精神不严格问题",
    "一是学习《中国共产党纪律处分条例》,开展警示教育2次。二是退出违规钱款3.52万元,对2名责任人进行诫勉谈话。",
    "2.针对干部队伍建设不扎实问题",
    "制定《芜湖市应急管理局干部教育培训管理办法》,举办专题培训班3期,培训干部210人次。",
    "三、下一步工作打算",
    "局党委将持续巩固巡察整改成果,建立健全长效机制,确保整改工作落地见效。",
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0553-3842016;邮政编码:241000;电子信箱:wuhuyjj@163.com。",
    "中共芜湖市应急管理局委员会",
    "2024年3月1日",
]
REPORT = "\n".join(REPORT_LINES) + "\n"
# Heading numbering of REPORT_LINES: line index -> (level, text without the number).
NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
URL = "http://yjj.wuhu.gov.cn/openness/public/6596211/38912345.html"

# Issue table (整改台账): the aspect cell spans two rows.
TABLE_ROWS = [
    ["序号", "问题类别", "反馈问题", "整改措施", "责任单位", "整改时限", "整改情况"],
    ["1", "党的建设", "理论学习不深入", "制定《局党委理论学习中心组学习制度》", "机关党委", "2024年6月底前", "已完成"],
    ["2", "", "组织生活不规范", "修订《党支部组织生活会实施细则》", "机关党委", "长期坚持", "正在推进"],
]


def _level(line: str) -> int | None:
    if re.match(r"^[一二三四五六七八九十]+、", line):
        return 0
    if re.match(r"^\([一二三四五六七八九十]+\)", line):
        return 1
    if re.match(r"^\d+\.", line):
        return 2
    return None


def _written_number(line: str) -> int:
    marker = NUMBER.match(line).group(0)
    digits = re.sub(r"\D", "", marker)
    if digits:
        return int(digits)
    cn = re.sub(r"[^一二三四五六七八九十]", "", marker)
    units = "一二三四五六七八九"
    if cn.startswith("十"):
        return 10 + (units.index(cn[1]) + 1 if len(cn) > 1 else 0)
    if "十" in cn:
        return (units.index(cn[0]) + 1) * 10 + (units.index(cn[-1]) + 1 if not cn.endswith("十") else 0)
    return units.index(cn) + 1


def _nfkc_lines(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", line).strip() for line in text.splitlines() if line.strip()]


# --- builders: every input of these tests is made here -------------------------------------

PORTAL_HEAD = """<!DOCTYPE html>
<!-- saved from url=(0071){url} -->
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_芜湖市应急管理局</title>
<meta name="PubDate" content="2024-03-05 10:21">
<script>var nav = "一、首页";</script><style>p {{ text-indent: 2em }}</style></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/jg">机构概况</a> | <a href="/gk">政务公开</a> | <a href="/hd">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/gk">政务公开</a> &gt; 通知公告</div>
<div class="wrap">
 <div class="side"><h3>通知公告</h3><ul>
  <li><a href="/n1">关于做好2024年元旦春节期间安全防范工作的通知</a></li>
  <li><a href="/n2">市应急局召开安全生产工作会议</a></li>
  <li><a href="/n3">2024年防汛抗旱工作部署会召开</a></li></ul></div>
 <div class="article">
  <h1 class="title">{title}</h1>
  <div class="info">发布时间：2024-03-05 &nbsp; 来源：市应急局 &nbsp; 浏览次数：1234 &nbsp; 字号：<a>大</a> <a>中</a> <a>小</a></div>
  <div class="content" id="zoom">
"""
PORTAL_FOOT = """  </div>
  <div class="tools">【<a href="#">打印本页</a>】 【<a href="#">关闭窗口</a>】</div>
  <div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
  <div class="related"><h3>相关链接</h3><ul>
   <li><a href="/r1">市应急局召开巡察整改推进会,部署下一阶段整改工作</a></li>
   <li><a href="/r2">市应急局开展安全生产大检查,排查整治各类隐患</a></li></ul></div>
 </div>
</div>
<div class="footer"><p>版权所有：芜湖市应急管理局 主办单位：芜湖市应急管理局</p>
<p>网站标识码：3402000012 皖ICP备05002424号 皖公网安备 34020202000123号</p>
<p>地址：芜湖市鸠江区 联系电话：0553-3842000</p></div>
</body></html>"""


def build_html(lines: list[str], body: str = "p", table: list[list[str]] | None = None) -> bytes:
    """A saved portal page in GBK with the report as <p>s (or <br>-separated lines) inside the chrome."""
    title, rest = lines[0], lines[1:]
    if body == "p":
        inner = "\n".join(f"   <p>&nbsp;&nbsp;{_escape(line)}</p>" for line in rest)
    else:  # one div, lines separated by <br>, source wrapped mid-sentence like Word's HTML export
        inner = "<div>" + "<br>\n".join(_wrap_source(_escape(line)) for line in rest) + "</div>"
    if table:
        inner += "\n" + _html_table(table)
    page = PORTAL_HEAD.format(url=URL, title=title) + inner + "\n" + PORTAL_FOOT
    return page.encode("gbk")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tokens(text: str) -> list[str]:
    """Characters, except that a run of ASCII stays one unbreakable token (as editors wrap)."""
    return re.findall(r"[\x21-\x7e]+|.", text)


def _wrap_source(text: str, width: int = 23) -> str:
    """Break the HTML source every ~width characters, never inside an ASCII word, as editors do."""
    lines, current = [], ""
    for token in _tokens(text):
        if len(current) + len(token) > width and current:
            lines.append(current)
            current = ""
        current += token
    return "\n    ".join(lines + [current])


def _html_table(rows: list[list[str]]) -> str:
    """Rows as an HTML table; an empty cell below a filled one becomes part of its rowspan."""
    html_rows = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if r > 0 and not value and rows[r - 1][c]:
                continue
            span = 1
            while r + span < len(rows) and not rows[r + span][c] and value and r > 0:
                span += 1
            attr = f' rowspan="{span}"' if span > 1 else ""
            tag = "th" if r == 0 else "td"
            cells.append(f"<{tag}{attr}><p>{_escape(value)}</p></{tag}>")
        html_rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">' + "".join(html_rows) + "</table>"


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
WORD_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."),
               ("decimal", "（%4）"), ("decimalEnclosedCircle", "%5")]


def _add_list(document, levels=WORD_LEVELS, num_id: int = 90, abstract_id: int = 90,
              start_overrides: dict[int, int] | None = None, suffix: str = "nothing",
              restart: dict[int, int] | None = None) -> int:
    """Define a multi-level list in the document's numbering.xml; returns its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    if numbering.find(f".//{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}abstractNum"
                      f"[@{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}abstractNumId='{abstract_id}']") is None:
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + (f'<w:lvlRestart w:val="{restart[i]}"/>' if restart and i in restart else "")
            + f'<w:lvlText w:val="{text}"/><w:suff w:val="{suffix}"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels))
        numbering.insert(0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'))
    overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                        for i, v in (start_overrides or {}).items())
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'))
    return num_id


def _numbered(document, text: str, num_id: int, ilvl: int):
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def build_docx(lines: list[str], table: list[list[str]] | None = None) -> bytes:
    """A Word file whose heading numbers (一、 (一) 1.) are Word's automatic numbering, not text."""
    docx = pytest.importorskip("docx", reason="python-docx 用于构造 Word 测试文件")
    document = docx.Document()
    num_id = _add_list(document)
    # Numbers as written may continue across headings (9. under (一), 10. under (二)); Word does
    # that with another list instance that overrides the start.  Track what Word will count.
    counts: dict[int, list[int | None]] = {num_id: [None] * 9}
    current = [num_id] * 9
    for line in lines:
        level = _level(line)
        if level is None:
            document.add_paragraph(line)
            continue
        written = _written_number(line)
        count = counts[current[level]]
        if (1 if count[level] is None else count[level] + 1) != written:
            current[level] = _add_list(document, num_id=100 + len(counts), start_overrides={level: written})
            counts[current[level]] = [None] * 9
            count = counts[current[level]]
        count[level] = written
        count[level + 1:] = [None] * (8 - level)
        _numbered(document, NUMBER.sub("", line), current[level], level)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        for r in range(1, len(table)):
            for c in range(len(table[0])):
                if not table[r][c] and table[r - 1][c]:
                    grid.cell(r - 1, c).merge(grid.cell(r, c))
                    grid.cell(r - 1, c).paragraphs[0].text = table[r - 1][c]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def cjk_font() -> str:
    for path in CJK_FONTS:
        if Path(path).exists():
            return path
    pytest.skip("没有中文字体:apt-get install fonts-wqy-microhei")


def build_pdf(lines: list[str], size: float = 11, header: str = "芜湖市应急管理局巡察整改进展情况的通报",
              text_layer: bool = True) -> bytes:
    """An A4 PDF laid out like a printed report: indented paragraphs wrapped at the margin,
    a running header, and `— n —` page numbers; or (text_layer=False) pages that are only images."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 用于构造 PDF 测试文件")
    doc = fpdf.FPDF(format="A4", unit="pt")
    if not text_layer:
        from PIL import Image

        image = Image.new("L", (400, 560), 255)
        for _ in range(2):
            doc.add_page()
            doc.image(image, x=72, y=72, w=400)
        return bytes(doc.output())
    doc.add_font("cjk", fname=cjk_font())
    doc.set_font("cjk", size=size)
    left, top, bottom, pitch = 72.0, 96.0, 842.0 - 96.0, size * 1.9
    width = 595.0 - 2 * left
    state = {"y": bottom + 1, "page": 0}

    def new_page() -> None:
        doc.add_page()
        state["page"] += 1
        doc.set_font_size(9)
        doc.text(left, 52, header)
        doc.text(280, 800, f"— {state['page']} —")
        doc.set_font_size(size)
        state["y"] = top

    def emit(x: float, tokens: list[str], justify_to: float | None = None) -> None:
        if state["y"] > bottom:
            new_page()
        gap = 0.0
        if justify_to and len(tokens) > 1:
            gap = (justify_to - doc.get_string_width("".join(tokens))) / (len(tokens) - 1)
        for token in tokens:
            doc.text(x, state["y"], token)
            x += doc.get_string_width(token) + gap
        state["y"] += pitch

    for i, line in enumerate(lines):
        if i == 0 and doc.get_string_width(line) < width:  # the title, centred
            emit(left + (width - doc.get_string_width(line)) / 2, [line])
            continue
        if _level(line) is not None and doc.get_string_width(line) < width:
            emit(left, [line])
            continue
        indent = 2 * size
        chunk: list[str] = []
        for token in _tokens(line):  # wrap at the right margin and justify, like a word processor
            if doc.get_string_width("".join(chunk) + token) > width - indent and chunk:
                emit(left + indent, chunk, justify_to=width - indent)
                chunk, indent = [], 0
            chunk.append(token)
        emit(left + indent, chunk)
    return bytes(doc.output())


# --- format detection --------------------------------------------------------------------------

@pytest.mark.parametrize("data, name, expected", [
    (b"%PDF-1.7\n...", "report", "pdf"),
    (b"%PDF-1.4\n...", "report.txt", "pdf"),
    ("<!DOCTYPE html><html><body>报告</body></html>".encode(), "a.txt", "html"),
    ("<meta charset=gbk><p>报告</p>".encode(), "a", "html"),
    (b"\xef\xbb\xbf  <html>", "a", "html"),
    ("一、整改情况\n".encode("gb18030"), "a.txt", "text"),
    ("一、整改情况\n".encode("utf-8"), "noext", "text"),
    ("一、整改情况\n".encode("utf-8"), "a.htm", "html"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", "unknown"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "unknown"),
    (b"PK\x03\x04broken", "damaged.docx", "docx"),
    (b"PK\x03\x04broken", "archive.zip", "unknown"),
    (b"", "empty.txt", "unknown"),
    (b" \n\t ", "blank.txt", "unknown"),
    (bytes(range(256)) * 4, "junk.bin", "unknown"),
    ("BMW 不是图片".encode(), "note", "text"),
])
def test_detect_format(data, name, expected):
    assert detect_format(data, name) == expected


def test_detect_format_zip_with_word_document_is_docx():
    assert detect_format(build_docx(["一、标题"]), "download") == "docx"


@pytest.mark.parametrize("data, name, reason", [
    (b"", "empty.txt", "文件为空"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", ".docx"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png", "不做 OCR"),
    (b"{\\rtf1\\ansi report}", "report.rtf", "RTF"),
    (b"PK\x03\x04" + b"\x00" * 30, "damaged.docx", "Word 文件已损坏"),
    (bytes(range(256)) * 4, "junk.bin", "二进制"),
    ("一、整改\n".encode() * 10, "report.mht", "MHT"),
])
def test_to_text_refuses_with_one_line_reason(data, name, reason):
    with pytest.raises(InputError) as err:
        to_text(data, name)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and reason in message and "\n" not in message


def test_size_limit_is_checked_before_reading():
    data = b"x" * (6 * 1024 * 1024)
    with pytest.raises(InputError, match=r"big\.txt: 文件过大\(6\.0 MB\)"):
        check_input(data, "big.txt")


# --- HTML --------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["p", "br"])
def test_html_page_gives_the_report_without_portal_chrome(body):
    result = to_text(build_html(REPORT_LINES, body=body), "通报.html")
    assert result.format == "html"
    assert result.encoding == "gb18030"  # declared gb2312, read as its superset
    assert _nfkc_lines(result.text) == _nfkc_lines(REPORT)
    assert result.url == URL
    assert result.published == "2024-03-05"
    for chrome in ("浏览次数", "字号", "打印", "关闭", "分享", "相关链接", "当前位置", "版权所有", "ICP", "通知公告", "nav"):
        assert chrome not in result.text, chrome


OLD_LAYOUT_PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<table width="1000"><tr><td colspan="2"><a href="/">网站首页</a> <a href="/x">新闻中心</a></td></tr>
<tr><td width="200"><a href="/1">通知公告</a><br><a href="/2">政策法规</a><br><a href="/3">办事指南</a></td>
<td><table><tr><td align="center"><b>{title}</b></td></tr>
<tr><td>【发布日期：2024年3月5日】【来源：市应急局】【字体：大 中 小】</td></tr>
<tr><td>{body}</td></tr></table></td></tr>
<tr><td colspan="2">Copyright © 2024 芜湖市应急管理局 版权所有 皖ICP备05002424号</td></tr></table></body></html>"""
OPEN_GOVERNMENT_PAGE = """<html><head><meta charset="utf-8"><title>{title}_政务公开</title>
<meta name="PubDate" content="2024-03-05 09:00"></head><body><div class="xxgk">
<table class="meta"><tr><td>索引号：</td><td>11340200003187226Q/202403-00012</td><td>发布机构：</td><td>芜湖市应急管理局</td></tr>
<tr><td>生成日期：</td><td>2024-03-05</td><td>主题分类：</td><td>安全生产</td></tr></table>
<h2>{title}</h2><div class="TRS_Editor">{body}</div><div>扫一扫在手机打开当前页</div></div></body></html>"""


@pytest.mark.parametrize("template", [OLD_LAYOUT_PAGE, OPEN_GOVERNMENT_PAGE], ids=["layout-tables", "open-government"])
def test_html_other_portal_layouts(template):
    body = "".join(f"<p>{_escape(line)}</p>" for line in REPORT_LINES[1:])
    result = to_text(template.format(title=REPORT_LINES[0], body=body).encode(), "page.html")
    assert _nfkc_lines(result.text) == _nfkc_lines(REPORT)
    assert result.published == "2024-03-05"


def test_html_table_rows_become_tab_separated_lines():
    result = to_text(build_html(REPORT_LINES[:3], table=TABLE_ROWS), "台账.html")
    rows = [line for line in result.text.splitlines() if "\t" in line]
    assert rows == ["\t".join(row).rstrip("\t") for row in TABLE_ROWS]


@pytest.mark.parametrize("snippet, expected", [
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", ["a\tb", "c\td"]),
    ('<table><tr><td rowspan="2">类</td><td>x</td><td>1</td></tr><tr><td>y</td><td>2</td></tr></table>',
     ["类\tx\t1", "\ty\t2"]),
    ('<table><tr><td colspan="2">标题</td><td>c</td></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>',
     ["标题\t\tc", "a\tb\tc"]),
    ("<table><tr><td>措施</td><td>1.学习<br>2.整改</td></tr></table>", ["措施\t1.学习 2.整改"]),
    ("<table><tr><td><p>一段</p><p>二段</p></td></tr></table>", ["一段", "二段"]),  # layout table
])
def test_html_table_rendering(snippet, expected):
    doc = html.lxml.html.fromstring(f"<div>{snippet}</div>")
    assert [line.text for line in html.render_lines(doc)] == expected


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05 10:21", "2024-03-05"),
    ("2024-3-5", "2024-03-05"),
    ("2024年3月5日", "2024-03-05"),
    ("2024 年 03 月 05 日", "2024-03-05"),
    ("2024/03/05", "2024-03-05"),
    ("2024.03.05", "2024-03-05"),
    ("2024-03-05T08:00:00+08:00", "2024-03-05"),
    ("2024-13-05", None),
    ("浏览次数：2024", None),
])
def test_iso_date(value, expected):
    assert html.iso_date(value) == expected


def _page(head: str = "", body: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}<p>{'正文内容,整改情况。' * 5}</p></body></html>".encode()


@pytest.mark.parametrize("page, expected", [
    (_page('<meta name="PubDate" content="2024-03-05 10:21">'), "2024-03-05"),
    (_page('<meta property="article:published_time" content="2023-12-01T09:00:00+08:00">'), "2023-12-01"),
    (_page('<meta name="firstpublishedtime" content="2022-01-02-10:00:00">'), "2022-01-02"),
    (_page(body="<div>发布时间：2024-03-05 来源：本站</div>"), "2024-03-05"),
    (_page(body="<div>发布日期:2024年3月5日</div>"), "2024-03-05"),
    (_page(body="<span>日期：2021/7/9</span>"), "2021-07-09"),
    (_page(body="<div>浏览次数：2024</div>"), None),
])
def test_published_date(page, expected):
    assert to_text(page, "p.html").published == expected


@pytest.mark.parametrize("page, expected", [
    (_page('<link rel="canonical" href="https://www.gov.cn/a.html">'), "https://www.gov.cn/a.html"),
    (_page('<meta property="og:url" content="https://www.gov.cn/b.html">'), "https://www.gov.cn/b.html"),
    (b"<!-- saved from url=(0024)http://www.gov.cn/c.htm -->\n" + _page(), "http://www.gov.cn/c.htm"),
    (_page(body="<p>原文链接：http://www.gov.cn/d.html</p>"), "http://www.gov.cn/d.html"),
    (_page(body="<p>来源网址: https://yjj.wuhu.gov.cn/e.html</p>"), "https://yjj.wuhu.gov.cn/e.html"),
    (_page(), None),
])
def test_source_url(page, expected):
    assert to_text(page, "p.html").url == expected


@pytest.mark.parametrize("line, rule", [
    ("发布时间：2024-03-05 来源：市应急局 浏览次数：123", "chrome.meta_line"),
    ("信息来源：芜湖市应急管理局", "chrome.meta_line"),
    ("时间:2024-03-05 作者:办公室 点击数:88", "chrome.meta_pair"),
    ("【字号：大 中 小】", "chrome.tools"),
    ("字号：[大 中 小]", "chrome.meta_line"),
    ("【打印本页】 【关闭窗口】", "chrome.tools"),
    ("打印 | 关闭", "chrome.tools"),
    ("分享到：微信 微博", "chrome.tools"),
    ("分享到：", "chrome.tools"),
    ("扫一扫在手机打开当前页", "chrome.share"),
    ("上一篇：市应急局召开会议", "chrome.share"),
    ("相关链接", "chrome.related"),
    ("当前位置：首页 > 政务公开", "chrome.breadcrumb"),
    ("首页 > 通知公告", "chrome.breadcrumb"),
    ("版权所有：芜湖市应急管理局 皖ICP备05002424号", "chrome.footer"),
    ("联系电话:0553-3842016;邮政编码:241000", None),
    ("(一)关于贯彻落实党中央决策部署不到位的问题", None),
    ("中共芜湖市应急管理局委员会", None),
    ("2024年3月1日", None),
    ("针对“学习不深入”问题,制定《学习制度》,明确来源:各处室。", None),
])
def test_chrome_lines(line, rule):
    assert html.is_chrome(line) == rule


@pytest.mark.parametrize("head, expected", [
    ('<meta charset="gbk">', "gbk"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "GB2312"),
    ("<meta charset='utf-8'/>", "utf-8"),
    ("<title>x</title>", None),
])
def test_declared_charset(head, expected):
    assert html.declared_charset(f"<html><head>{head}</head></html>".encode()) == expected


def test_html_undeclared_gbk_is_detected():
    page = "<html><body><p>一、整改情况。局党委高度重视整改工作,成立领导小组。</p></body></html>".encode("gbk")
    result = to_text(page, "x.html")
    assert "局党委高度重视" in result.text and result.encoding == "gb18030"


# --- Word --------------------------------------------------------------------------------------

def test_docx_rebuilds_automatic_numbering():
    data = build_docx(REPORT_LINES)
    assert b"\xe4\xb8\x80\xe3\x80\x81" not in data  # "一、" is nowhere in the file's text
    result = to_text(data, "通报.docx")
    assert result.format == "docx"
    assert _nfkc_lines(result.text) == _nfkc_lines(REPORT)


def test_docx_table_rows():
    result = to_text(build_docx(REPORT_LINES[:3], table=TABLE_ROWS), "台账.docx")
    rows = [line for line in result.text.splitlines() if "\t" in line]
    assert rows == ["\t".join(row).rstrip("\t") for row in TABLE_ROWS]


def test_docx_list_number_style_and_restarts():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    num = _add_list(document)
    _numbered(document, "甲", num, 0)
    _numbered(document, "乙", num, 1)
    _numbered(document, "丙", num, 2)
    _numbered(document, "丁", num, 3)
    _numbered(document, "戊", num, 4)
    _numbered(document, "己", num, 4)
    _numbered(document, "庚", num, 1)   # (二): levels below restart
    _numbered(document, "辛", num, 2)
    _numbered(document, "壬", num, 0)   # 二、
    _numbered(document, "癸", num, 1)   # (一) again
    restarted = _add_list(document, num_id=91, start_overrides={0: 1})
    _numbered(document, "新表", restarted, 0)  # same definition, own count from 一
    continued = _add_list(document, num_id=92)
    _numbered(document, "续表", continued, 0)  # same definition, no override: count goes on
    document.add_paragraph("样式一", style="List Number")
    document.add_paragraph("样式二", style="List Number")
    document.add_paragraph("")  # an empty numbered-less paragraph is skipped
    buf = io.BytesIO()
    document.save(buf)
    lines = to_text(buf.getvalue(), "x.docx").text.splitlines()
    assert lines == ["一、甲", "（一）乙", "1.丙", "（1）丁", "①戊", "②己", "（二）庚", "1.辛", "二、壬", "（一）癸",
                     "一、新表", "三、续表", "1. 样式一", "2. 样式二"]


def test_docx_lvl_restart_zero_keeps_counting():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    num = _add_list(document, levels=[("decimal", "第%1部分"), ("decimal", "%2.")], restart={1: 0})
    for text, level in [("甲", 0), ("a", 1), ("b", 1), ("乙", 0), ("c", 1)]:
        _numbered(document, text, num, level)
    buf = io.BytesIO()
    document.save(buf)
    assert to_text(buf.getvalue(), "x.docx").text.splitlines() == ["第1部分甲", "1.a", "2.b", "第2部分乙", "3.c"]


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (23, "chineseCounting", "二十三"), (105, "chineseCounting", "一百零五"),
    (110, "chineseCounting", "一百一十"), (3, "chineseCountingThousand", "三"),
    (10, "ideographDigital", "一〇"), (3, "decimal", "3"), (3, "decimalZero", "03"),
    (3, "decimalEnclosedCircle", "③"), (20, "decimalEnclosedCircleChinese", "⑳"), (21, "decimalEnclosedCircle", "21"),
    (2, "decimalEnclosedParen", "⑵"), (2, "decimalEnclosedFullstop", "⒉"), (12, "decimalFullWidth", "１２"),
    (3, "ideographTraditional", "丙"), (2, "ideographZodiac", "丑"), (12, "chineseLegalSimplified", "壹拾贰"),
    (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (27, "upperLetter", "AA"), (2, "lowerLetter", "b"),
    (5, "bullet", ""), (5, "someFutureFormat", "5"),
])
def test_number_formats(n, fmt, expected):
    assert docx_reader.format_number(n, fmt) == expected


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_paragraphs_are_joined_and_page_furniture_dropped():
    data = build_pdf(REPORT_LINES * 2)  # two copies: several pages, a paragraph across a page break
    raw = pdf.extract_pages(data, "x.pdf")
    assert len(raw) >= 2 and any(line.text.startswith("—") for page in raw for line in page)
    result = to_text(data, "通报.pdf")
    assert result.format == "pdf"
    assert _nfkc_lines(result.text) == _nfkc_lines(REPORT) * 2
    assert "— 1 —" not in result.text
    assert "芜湖市应急管理局巡察整改进展情况的通报" not in result.text.splitlines()  # the running header


@pytest.mark.parametrize("line, at_edge, rule", [
    ("— 3 —", False, "page.dash"),
    ("- 12 -", False, "page.dash"),
    ("－3－", False, "page.dash"),
    ("第3页 共10页", False, "page.cn"),
    ("第 3 页", False, "page.cn"),
    ("共10页 第3页", False, "page.cn_total_first"),
    ("3/10", True, "page.fraction"),
    ("Page 3 of 10", False, "page.en"),
    ("3", True, "page.bare"),
    ("3", False, None),
    ("3/10", False, None),
    ("2024年3月1日", True, None),
    ("一、整改情况", True, None),
])
def test_page_number_lines(line, at_edge, rule):
    assert pdf.page_number_rule(line, at_edge) == rule


def _lines(*texts: str) -> list[pdf.PdfLine]:
    return [pdf.PdfLine(t) for t in texts]


@pytest.mark.parametrize("lines, expected", [
    (["局党委认真贯彻落实巡视工作要", "求,成立领导小组。"], ["局党委认真贯彻落实巡视工作要求,成立领导小组。"]),
    (["成立领导小组。", "制定方案。"], ["成立领导小组。", "制定方案。"]),
    (["整改措施如下:", "一是学习"], ["整改措施如下:", "一是学习"]),
    (["一、整改工作开展情况", "(一)加强领导"], ["一、整改工作开展情况", "(一)加强领导"]),
    (["加强领导", "1.制定方案"], ["加强领导", "1.制定方案"]),
    (["退出违规钱款", "3.52万元。"], ["退出违规钱款3.52万元。"]),
    (["检查企业", "①危化企业"], ["检查企业", "①危化企业"]),
    (["出台了《关于", "加强管理的办法》"], ["出台了《关于加强管理的办法》"]),
    (["covering the", "report"], ["covering the report"]),
    (["序号\t问题", "1\t学习不深入"], ["序号\t问题", "1\t学习不深入"]),
    (["他说:“好。”", "然后"], ["他说:“好。”", "然后"]),
    (["一是学习", "二是整改"], ["一是学习", "二是整改"]),
])
def test_join_lines_by_text(lines, expected):
    assert pdf.join_lines(_lines(*lines)) == expected


def test_join_lines_by_position():
    geo = pdf._Geometry(left=72, right=520, char=11, pitch=20)
    lines = [pdf.PdfLine("1.加强组织领导,压实各方责任", 72, 230, 100, 11),        # short: a heading
             pdf.PdfLine("局党委认真贯彻落实巡视工作要求。成立", 94, 520, 120, 11),   # indented first line
             pdf.PdfLine("领导小组,统筹推进。", 72, 180, 140, 11),
             pdf.PdfLine("下一段开头。", 94, 200, 160, 11)]
    assert pdf.join_lines(lines, geo) == ["1.加强组织领导,压实各方责任", "局党委认真贯彻落实巡视工作要求。成立领导小组,统筹推进。",
                                          "下一段开头。"]


def test_pdf_running_headers_repeated_on_pages_are_dropped():
    body = [["局党委高度重视。", "整改落实。", "成立领导小组。", "明确责任。"],
            ["制定整改方案。", "整改落实。", "开展专项检查。", "建立台账。"],
            ["修订管理办法。", "整改落实。", "举办培训班。", "持续推进。"]]
    pages = [[pdf.PdfLine("芜湖市应急管理局文件")] + [pdf.PdfLine(t) for t in texts] + [pdf.PdfLine(f"第{i + 1}页 共3页")]
             for i, texts in enumerate(body)]
    kept = pdf.drop_page_furniture(pages)
    # the header goes on every page; a line repeated inside the pages is text and stays
    assert [[line.text for line in page] for page in kept] == body


# --- Traditional characters --------------------------------------------------------------------

TRADITIONAL = "針對“學習貫徹不深入”問題,一是制定《學習制度》。二是開展專題學習,於2024年3月完成整改。"


def test_traditional_matching_copy_keeps_length_and_spans():
    copy = hanzi.matching_text(TRADITIONAL)
    assert copy == "针对“学习贯彻不深入”问题,一是制定《学习制度》。二是开展专题学习,于2024年3月完成整改。"
    assert len(copy) == len(TRADITIONAL)
    start = copy.index("《")
    end = copy.index("》") + 1
    assert TRADITIONAL[start:end] == "《學習制度》"  # a span found in the copy points at the original


@pytest.mark.parametrize("text, traditional", [
    (TRADITIONAL, True),
    ("针对“学习贯彻不深入”问题,制定《学习制度》。", False),
    ("著名的乾隆年间", False),   # characters that are also Simplified do not make a text Traditional
    ("", False),
])
def test_is_traditional(text, traditional):
    assert hanzi.is_traditional(text) is traditional
    assert (hanzi.matching_text(text) == text) is not traditional


def test_hanzi_table_matches_opencc():
    """The shipped table is OpenCC's single-character TSCharacters, first candidate."""
    opencc = pytest.importorskip("opencc_purepy", reason="opencc-purepy 只用于核对随包的繁简字表")
    source = Path(opencc.__file__).parent / "dicts" / "TSCharacters.txt"
    expected = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            simp = simp.split(" ")[0]
            if len(trad) == 1 and len(simp) == 1 and trad != simp:
                expected[ord(trad)] = simp
    assert hanzi.load_table() == expected


# --- the same parse from every format ----------------------------------------------------------

def _facts_summary(facts) -> dict:
    return {
        "issues": [(i.ordinal, i.title) for i in facts.issues],
        "measures": [(m.issue, m.ordinal, m.text) for m in facts.measures],
        "documents": sorted((d.title, d.action) for d in facts.documents),
        "sections": [(s.level, s.ordinal, s.heading) for s in facts.sections],
    }


BUILDERS = {
    "html": lambda lines, table=None: build_html(lines, table=table),
    "html_br": lambda lines, table=None: build_html(lines, body="br", table=table),
    "docx": lambda lines, table=None: build_docx(lines, table=table),
    "pdf": lambda lines, table=None: build_pdf(lines),
}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_every_format_parses_like_the_plain_text(fmt):
    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    plain = pipeline.parse_report(REPORT.encode("utf-8"), "通报.txt", None)
    assert plain.issues, "the sample report must yield issues for this test to mean anything"
    data = BUILDERS[fmt](REPORT_LINES)
    name = "通报." + fmt.split("_")[0]
    converted = pipeline.parse_report(data, name, None)
    assert _facts_summary(converted) == _facts_summary(plain)
    assert converted.source.format == fmt.split("_")[0]
    assert converted.source.name == name and len(converted.source.sha256) == 64
    if fmt.startswith("html"):
        assert converted.source.url == URL and converted.source.published == "2024-03-05"


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_issue_tables_parse_like_the_plain_text(fmt):
    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    lines = REPORT_LINES[:2] + ["一、问题整改情况"]
    plain_text = "\n".join(lines + ["\t".join(row).rstrip("\t") for row in TABLE_ROWS]) + "\n"
    plain = pipeline.parse_report(plain_text.encode(), "台账.txt", None)
    converted = pipeline.parse_report(BUILDERS[fmt](lines, table=TABLE_ROWS), f"台账.{fmt}", None)
    assert _facts_summary(converted) == _facts_summary(plain)


def test_parsing_the_matching_copy_gives_spans_into_the_original():
    """The recipe for the parser: parse matching_text(text), keep the original text; spans hold."""
    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    from ingest.facts import Source
    from ingest.read import normalize_text

    original = normalize_text(hanzi_traditional(REPORT))
    facts = pipeline.parse_normalized(hanzi.matching_text(original), Source(name="繁體.txt"))
    plain = pipeline.parse_text(REPORT, "简体.txt")
    assert [(i.ordinal, i.title) for i in facts.issues] == [(i.ordinal, i.title) for i in plain.issues]
    for issue in facts.issues:
        written = original[issue.title_start:issue.title_end]
        assert written != issue.title and hanzi.to_simplified(written) == issue.title
    for doc in facts.documents:
        assert hanzi.to_simplified(original[doc.start:doc.end]) == f"《{doc.title}》"


def test_traditional_report_parses_like_simplified():
    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    traditional = hanzi_traditional(REPORT)
    assert hanzi.is_traditional(traditional)
    plain = pipeline.parse_report(REPORT.encode(), "简体.txt", None)
    trad = pipeline.parse_report(traditional.encode(), "繁體.txt", None)
    assert trad.text == traditional.rstrip("\n") or trad.text.startswith(traditional[:20])  # stored as written
    assert [(i.ordinal, hanzi.to_simplified(i.title)) for i in trad.issues] == [(i.ordinal, i.title) for i in plain.issues]
    assert len(trad.measures) == len(plain.measures)
    assert sorted(hanzi.to_simplified(d.title) for d in trad.documents) == sorted(d.title for d in plain.documents)


def hanzi_traditional(text: str) -> str:
    """Simplified -> Traditional by inverting the matching table (enough for this report's characters)."""
    back: dict[str, str] = {}
    for trad, simp in sorted(hanzi.load_table().items()):
        back.setdefault(simp, chr(trad))
    preferred = {"于": "於", "发": "發", "后": "後", "里": "裡", "干": "幹", "台": "臺", "面": "面", "划": "劃"}
    back.update({k: v for k, v in preferred.items() if k != v})
    return "".join(back.get(c, c) for c in text)


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_corpus_reports_parse_alike_in_every_format(fmt):
    """Real reports from ../shared/corpus, rebuilt as each format, give the plain text's facts."""
    from tests.conftest import shared_or_skip

    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    for path in sorted(shared_or_skip().glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        plain = pipeline.parse_report(text.encode(), path.name, None)
        data = BUILDERS[fmt]([line for line in text.splitlines() if line.strip()])
        converted = pipeline.parse_report(data, f"{path.stem}.{fmt.split('_')[0]}", None)
        assert _facts_summary(converted) == _facts_summary(plain), path.name
