"""The heading tree: any mix of numbering schemes, level by depth, false headings refused."""
import pytest

from ingest.outline import parse_outline
from ingest.read import normalize_text


def outline(raw):
    text = normalize_text(raw)
    return [(s.level, s.ordinal, s.heading) for s in parse_outline(text)]


CASES = {
    "classic four levels": (
        "一、总体情况\n(一)组织领导\n1.成立领导小组\n(1)召开会议\n①研究部署\n二、整改情况",
        [(1, 1, "总体情况"), (2, 1, "组织领导"), (3, 1, "成立领导小组"), (4, 1, "召开会议"),
         (5, 1, "研究部署"), (1, 2, "整改情况")]),
    "full-width punctuation": (
        "一、整改情况\n（一）关于作风方面\n１．针对作风不实问题\n２、针对纪律松弛问题\n（二）关于廉政方面\n３．针对经费问题",
        [(1, 1, "整改情况"), (2, 1, "关于作风方面"), (3, 1, "针对作风不实问题"),
         (3, 2, "针对纪律松弛问题"), (2, 2, "关于廉政方面"), (3, 3, "针对经费问题")]),
    "report starting at (一)": (
        "(一)关于理论学习方面\n1.针对学习不深入问题\n2.针对研讨不够问题\n(二)关于纪律方面\n1.针对考勤问题",
        [(1, 1, "关于理论学习方面"), (2, 1, "针对学习不深入问题"), (2, 2, "针对研讨不够问题"),
         (1, 2, "关于纪律方面"), (2, 1, "针对考勤问题")]),
    "第一部分 and 【】": (
        "第一部分 整改工作总体情况\n第二部分 反馈问题整改情况\n【问题1】公务用车管理不规范\n【问题2】经费报销不严",
        [(1, 1, "整改工作总体情况"), (1, 2, "反馈问题整改情况"), (2, 1, "公务用车管理不规范"),
         (2, 2, "经费报销不严")]),
    "bracket heading without number": (
        "【整改工作开展情况】\n正文。\n【下一步工作打算】\n正文。",
        [(1, 1, "整改工作开展情况"), (1, 2, "下一步工作打算")]),
    "问题1: labels": (
        "一、整改情况\n问题1:理论学习不深入。整改情况:已完成。\n问题2:制度执行不严",
        [(1, 1, "整改情况"), (2, 1, "理论学习不深入"), (2, 2, "制度执行不严")]),
    "item running on its heading line": (
        "二、整改情况\n1.针对“固定资产管理不够规范。”问题。一是已完成划转。二是已梳理资产。",
        [(1, 2, "整改情况"), (2, 1, "针对“固定资产管理不够规范。”问题")]),
    "numbers continuing across groups": (
        "一、整改\n(一)甲方面\n1.问题一\n2.问题二\n(二)乙方面\n3.问题三",
        [(1, 1, "整改"), (2, 1, "甲方面"), (3, 1, "问题一"), (3, 2, "问题二"), (2, 2, "乙方面"),
         (3, 3, "问题三")]),
    "sentences that start with numbers are not headings": (
        "一、整改情况\n2022年全年生产安全事故下降。\n3支队伍已组建。\n2.3万家企业建档。\n1.针对问题一\n5.针对跳号太远\n2.针对问题二",
        [(1, 1, "整改情况"), (2, 1, "针对问题一"), (2, 2, "针对问题二")]),
    "a list restarting inside an item stays body text": (
        "一、整改\n1.针对问题一\n2.针对问题二\n1.已完成甲\n3.针对问题三",
        [(1, 1, "整改"), (2, 1, "针对问题一"), (2, 2, "针对问题二"), (2, 3, "针对问题三")]),
    "a list restarting inside an item keeps its sentences as body text": (
        "(一)甲方面\n1.针对问题一\n1.制定学习计划,开展专题研讨。\n2.建立学习台账,每月通报。\n"
        "2.针对问题二\n1.开展专项检查。\n2.建立长效机制。\n3.由办公室牵头督办落实。\n(二)乙方面\n3.针对问题三\n1.已完成。",
        [(1, 1, "甲方面"), (2, 1, "针对问题一"), (2, 2, "针对问题二"), (1, 2, "乙方面"), (2, 3, "针对问题三")]),
    "a restarted list of headings does not swallow the next item": (
        "一、整改\n1.理论学习不够深入的问题\n1.制定计划。\n2.建立制度不健全的问题\n2.开展研讨。",
        [(1, 1, "整改"), (2, 1, "理论学习不够深入的问题"), (2, 2, "建立制度不健全的问题")]),
    "a line running on into its next number is an inline list": (
        "1.针对问题一\n整改措施:\n①开展排查;②建立台账;③定期通报。\n2.针对问题二",
        [(1, 1, "针对问题一"), (1, 2, "针对问题二")]),
    "half parentheses 1) 2)": (
        "二、整改情况\n(一)关于意识形态工作不到位问题\n1)制定实施细则。\n2)开展专题研判。",
        [(1, 2, "整改情况"), (2, 1, "关于意识形态工作不到位问题"), (3, 1, "制定实施细则"), (3, 2, "开展专题研判")]),
    "问题一: with a Chinese number and 【问题2】": (
        "一、关于作风方面\n问题一:作风不实\n问题二:纪律松弛\n二、关于廉政方面\n【问题3】经费管理不严",
        [(1, 1, "关于作风方面"), (2, 1, "作风不实"), (2, 2, "纪律松弛"), (1, 2, "关于廉政方面"), (2, 3, "经费管理不严")]),
    "foot dated in Chinese numerals": (
        "一、整改\n1.针对问题\n中共某某局党组\n二〇二四年九月五日",
        [(1, 1, "整改"), (2, 1, "针对问题")]),
    "circled and parenthesised numbers": (
        "1.针对问题\n(1)措施一\n①步骤\n②步骤\n(2)措施二",
        [(1, 1, "针对问题"), (2, 1, "措施一"), (3, 1, "步骤"), (3, 2, "步骤"), (2, 2, "措施二")]),
    "foot is not part of the last section": (
        "一、整改\n1.针对问题\n欢迎广大干部群众监督。\n联系电话:12345678",
        [(1, 1, "整改"), (2, 1, "针对问题")]),
    # num.cn_dun: a Chinese numeral and a comma is prose (举一反\n三,对同类问题…)
    "三, at a line start is not a heading": (
        "一、整改\n1.针对问题\n坚持举一反\n三,对同类问题一并排查整改。\n二、下一步",
        [(1, 1, "整改"), (2, 1, "针对问题"), (1, 2, "下一步")]),
    # a marker after a line broken mid-sentence must continue its numbering cleanly
    "三、 after a broken line, skipping 二, is the tail of a word": (
        "一、组织落实\n(一)强化责任\n对共性问题在全系统举一反\n三、同步整改,推动整改延伸。\n二、整改情况\n(一)作风方面",
        [(1, 1, "组织落实"), (2, 1, "强化责任"), (1, 2, "整改情况"), (2, 1, "作风方面")]),
    "三、 after a broken line, with 三、 again later, is the tail of a word": (
        "一、组织落实\n二、整改情况\n(一)作风方面\n对共性问题在全系统举一反\n三、同步整改。\n三、下一步",
        [(1, 1, "组织落实"), (1, 2, "整改情况"), (2, 1, "作风方面"), (1, 3, "下一步")]),
    "a heading after a broken line that continues its numbering stays a heading": (
        "一、组织落实\n对照反馈意见逐条研究,\n二、整改情况",
        [(1, 1, "组织落实"), (1, 2, "整改情况")]),
    "table rows are not headings": (
        "一、台账\n序号\t反馈问题\t整改措施\n1、\t问题甲\t措施甲",
        [(1, 1, "台账")]),
}


@pytest.mark.parametrize("raw, expected", CASES.values(), ids=CASES.keys())
def test_outline(raw, expected):
    assert outline(raw) == expected


def test_spans_parents_and_body():
    text = normalize_text("前言。\n一、整改情况\n(一)甲方面\n1.针对问题一。措施一。\n2.针对问题二\n措施二。\n二、下一步")
    sections = parse_outline(text)
    assert [s.parent for s in sections] == [None, 0, 1, 1, None]
    assert [s.marker for s in sections] == ["一、", "(一)", "1.", "2.", "二、"]
    assert [s.rule for s in sections] == ["num.cn_dun", "num.paren_cn", "num.arabic_dot", "num.arabic_dot", "num.cn_dun"]
    assert sections[2].text == "措施一。" and sections[3].text == "措施二。"
    for s in sections:
        assert text[s.heading_start:s.heading_end] == s.heading
        assert text[s.start:s.end].startswith(s.marker)
    assert text[sections[0].start:sections[0].end].endswith("措施二。")
