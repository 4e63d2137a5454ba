"""Bytes to normalized text: encodings detected, not assumed; bad input refused with one line."""
import codecs

import pytest

from ingest.read import normalize_text, read_text
from ontology.errors import InputError

SAMPLE = "根据市委统一部署，市委第六巡视组于２０２４年１０月１８日至１２月２０日对市应急局党委开展巡视。\r\n（一）关于①问题"
NORMALIZED = "根据市委统一部署,市委第六巡视组于2024年10月18日至12月20日对市应急局党委开展巡视。\n(一)关于①问题"


@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-bom"),
    (SAMPLE.encode("utf-16"), "utf-16-bom"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-bom"),
    (SAMPLE.encode("gbk"), "gb18030"),
    (SAMPLE.encode("gb18030"), "gb18030"),
])
def test_encodings_are_detected(data, encoding):
    text, source = read_text(data, "r.txt")
    assert text == NORMALIZED
    assert source.encoding == encoding
    assert source.name == "r.txt" and len(source.sha256) == 64


@pytest.mark.parametrize("data, reason", [
    (b"", "文件为空"),
    (b" \n\r\n\t ", "文件为空"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "不是文本文件"),
    (b"PK\x03\x04\x14\x00\x06\x00", "不是文本文件"),
    (bytes(range(256)) * 8, "不是文本文件"),
])
def test_bad_input_is_refused_naming_the_file(data, reason):
    with pytest.raises(InputError) as err:
        read_text(data, "bad.bin")
    message = str(err.value)
    assert message.startswith("bad.bin: ") and reason in message and "\n" not in message


@pytest.mark.parametrize("raw, expected", [
    ("（一）关于问题：整改情况；已完成！", "(一)关于问题:整改情况;已完成!"),          # full width folded
    ("１．针对“问题”。《办法》", "1.针对“问题”。《办法》"),                     # quotes and 《》 kept
    ("①甲②乙⑳丙", "①甲②乙⑳丙"),                                             # circled numbers kept
    ("一、标题  \r\n\r\n\r\n正文\r第二行", "一、标题\n正文\n第二行"),            # line ends, blank runs
    ("　　（二）缩进的标题", "(二)缩进的标题"),                                  # ideographic indent
    ("正文\n- 3 -\n第 4 页 共 9 页\n续", "正文\n续"),                           # page numbers dropped
    ("a\u200bb\ufeffc", "abc"),                                                 # invisible characters
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_pdf_hard_line_breaks_are_joined():
    paragraph = ("针对“制度执行不严”问题。一是修订完善请销假管理规定,规范考勤管理和值班值守纪律要求;"
                 "二是对涉事人员批评教育并调整岗位,严格落实印章等内控管理要求,做好人员招录把关工作。")
    lines = [paragraph[i:i + 24] for i in range(0, len(paragraph), 24)]
    wrapped = "1." + "\n".join(lines) + "\n2.针对“经费管理不规范”问题\n" + "\n".join(lines)
    text = normalize_text(wrapped)
    assert text.split("\n") == ["1." + paragraph, "2.针对“经费管理不规范”问题", paragraph]


def test_short_lines_are_not_joined():
    text = "一、党委组织落实整改情况\n(一)党委主体责任落实情况\n1.加强组织领导,压实各方责任\n局党委认真贯彻落实。"
    assert normalize_text(text) == text


@pytest.mark.parametrize("lines, expected", [
    # a full line ending with ":" runs on: (责任人:\n李红梅)
    (["二是建立耕地保护网格化监管机制,明确各级网格员具体职责(责任人:", "李红梅);三是开展联合执法检查6次。"],
     ["二是建立耕地保护网格化监管机制,明确各级网格员具体职责(责任人:李红梅);三是开展联合执法检查6次。"]),
    # a short line ends its paragraph even after lines were joined: the contacts stay apart
    (["诚恳欢迎广大干部群众对我局巡察整改工作进行监督,如有意见建议请通", "过以下方式反映:", "联系电话:0827-9440187"],
     ["诚恳欢迎广大干部群众对我局巡察整改工作进行监督,如有意见建议请通过以下方式反映:", "联系电话:0827-9440187"]),
])
def test_pdf_paragraph_ends(lines, expected):
    filler = ["对照反馈意见逐条研究,逐项制定整改措施,明确责任领导和完成时限。"] * 5
    assert len(lines[0]) == len(filler[0])       # the first line reaches the right margin
    text = normalize_text("\n".join(filler + lines))
    assert text.split("\n")[len(filler):] == expected



@pytest.mark.parametrize("lines, expected", [
    # wrap.status_end: an issue heading filling the width ends with its status
    (["10.针对安全生产主体责任落实不够到位,群众反映较为集中问题(已完成)", "一是实行清单化管理、台账式推进。"],
     ["10.针对安全生产主体责任落实不够到位,群众反映较为集中问题(已完成)", "一是实行清单化管理、台账式推进。"]),
    # wrap.numbered_title: a numbered heading naming its problem ends its line
    (["1.关于职业技能培训补贴发放存在薄弱环节,考核评价作用发挥不充分的问题", "将补贴发放纳入年度绩效考核。"],
     ["1.关于职业技能培训补贴发放存在薄弱环节,考核评价作用发挥不充分的问题", "将补贴发放纳入年度绩效考核。"]),
    # wrap.title_then_list: 针对…问题 and then its first measure
    (["针对违规发放津补贴、差旅费报销和公务接待把关不严等共性问题", "一是开展专项清理。"],
     ["针对违规发放津补贴、差旅费报销和公务接待把关不严等共性问题", "一是开展专项清理。"]),
    # wrap.progress_label: the progress label of an unnumbered issue opens its own line
    (["关于医疗机构监管有待加强,群众反映较为集中,考核评价作用发挥不充分", "整改情况:已完成。"],
     ["关于医疗机构监管有待加强,群众反映较为集中,考核评价作用发挥不充分", "整改情况:已完成。"]),
    # wrap.email_domain / wrap.email_local: a break inside an address joins (163. is no heading)
    (["联系电话:0782-4265137;电子邮箱:cmbkj_xszg@", "163.com;通讯地址:某市文昌路32号。"],
     ["联系电话:0782-4265137;电子邮箱:cmbkj_xszg@163.com;通讯地址:某市文昌路32号。"]),
    (["联系电话:0782-4265137;电子邮箱:abcdefg_xszg", "@163.com;通讯地址:某市文昌路32号。"],
     ["联系电话:0782-4265137;电子邮箱:abcdefg_xszg@163.com;通讯地址:某市文昌路32号。"]),
    # a full line still runs on into text that is no heading
    (["督促相关人员清退违规领取的交通补贴,对相关责任人进行批评教育并在", "全系统通报。"],
     ["督促相关人员清退违规领取的交通补贴,对相关责任人进行批评教育并在全系统通报。"]),
])
def test_pdf_line_ends_by_the_wrap_rows(lines, expected):
    width = len(lines[0])                       # the first line reaches the right margin
    filler = [("对照反馈意见逐条研究,逐项制定整改措施,明确责任领导和完成时限" * 2)[:width - 1] + "。"] * 5
    text = normalize_text("\n".join(filler + lines))
    assert text.split("\n")[len(filler):] == expected
