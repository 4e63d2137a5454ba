"""What the parts hold, which kind of report it is, and how issue titles are read."""
import pytest

from ingest.classify import classify_sections, match_title, report_kind
from ingest.outline import parse_outline
from ingest.read import normalize_text


@pytest.mark.parametrize("heading, title, shape", [
    ("针对研判应急管理总体态势思考不深入问题", "研判应急管理总体态势思考不深入", True),
    ("针对破解城市安全堵点问题不扎实问题", "破解城市安全堵点问题不扎实", True),
    ("针对“固定资产管理不够规范。”问题", "固定资产管理不够规范", True),
    ("针对“主要负责人履行‘第一责任人’职责不到位”问题", "主要负责人履行‘第一责任人’职责不到位", True),
    ("针对“三重一大”制度执行不严问题", "“三重一大”制度执行不严", True),
    ("关于公务用车管理不规范的问题", "公务用车管理不规范", True),
    ("针对干部作风不实等问题的整改情况", "干部作风不实", True),
    ("问题:理论学习不深入", "理论学习不深入", True),
    ("关于农村公路养护管理机制不健全的问题(正在推进)", "农村公路养护管理机制不健全", True),
    ("关于深化改革不坚决问题的整改", "关于深化改革不坚决问题的整改", False),
    ("理论学习不够深入的问题", "理论学习不够深入", True),
    ("违反中央八项规定精神问题仍有发生的问题", "违反中央八项规定精神问题仍有发生", True),
    ("河湖长制工作推进不力的问题(已整改到位)", "河湖长制工作推进不力", True),
    ("耕地占补平衡监管不到位【已完成】", "耕地占补平衡监管不到位", False),
    ("针对「交通强省建设推进不够有力」问题", "交通强省建设推进不够有力", True),
    ("政治建设方面存在的问题", "政治建设方面存在的问题", False),
    # title.group: a heading naming a group of problems is never an issue
    ("关于落实全面从严治党责任方面存在的问题", "关于落实全面从严治党责任方面存在的问题", False),
    ("聚焦群众身边不正之风和腐败问题", "聚焦群众身边不正之风和腐败问题", False),
    ("聚焦主责主业不够的问题", "聚焦主责主业不够", True),
    ("需要长期坚持整改的问题", "需要长期坚持整改的问题", False),
    ("巡察反馈的问题", "巡察反馈的问题", False),
    ("固定资产管理不够规范。", "固定资产管理不够规范", False),
])
def test_match_title(heading, title, shape):
    found = match_title(heading)
    assert (found.text, found.shape) == (title, shape)
    assert heading[found.start:found.end] == title


@pytest.mark.parametrize("opening, kind", [
    ("根据市委统一部署,市委第三巡察组对市应急管理局党委开展了巡察。", "rectification"),
    ("关于巡视整改进展情况的通报", "rectification"),
    ("市委、市政府:\n现将2024年法治政府建设情况报告如下。", "annual"),
    ("2024年度工作总结", "annual"),
])
def test_report_kind(opening, kind):
    assert report_kind(opening)[0] == kind


@pytest.mark.parametrize("raw, kind", [
    # the opening ends at the first heading: an initiative's 整改情况 does not make it a rectification
    ("某市生态环境局2020年法治政府建设年度报告\n市委、市政府:\n现将有关情况报告如下。\n"
     "一、主要举措和成效\n(一)化解矛盾纠纷\n1.深化执法。对突出环境问题整改情况开展专项审计。", "annual"),
    ("关于巡察整改情况的报告\n一、整改情况\n1.针对学习不深入问题", "rectification"),
])
def test_report_kind_reads_the_opening_up_to_the_first_heading(raw, kind):
    text = normalize_text(raw)
    assert report_kind(text, parse_outline(text)[0].start)[0] == kind


def kinds(raw, kind="rectification"):
    sections = classify_sections(parse_outline(normalize_text(raw)), kind)
    return [(s.heading, s.kind) for s in sections]


CASES = {
    "rectification parts": (
        "一、党委组织落实整改情况\n(一)主体责任落实情况\n1.加强组织领导\n"
        "二、集中整改进展情况\n(一)关于作风建设方面\n1.针对作风不实问题\n"
        "三、需长期整改事项\n1.干部队伍建设\n四、下一步工作安排\n(一)针对未完成整改的问题",
        "rectification",
        [("党委组织落实整改情况", "context"), ("主体责任落实情况", "context"), ("加强组织领导", "context"),
         ("集中整改进展情况", "issues"), ("关于作风建设方面", "issues"), ("针对作风不实问题", "issues"),
         ("需长期整改事项", "long_term"), ("干部队伍建设", "long_term"),
         ("下一步工作安排", "next_steps"), ("针对未完成整改的问题", "unfinished")]),
    "issues part found by its items, whatever its heading": (
        "一、提高政治站位\n二、聚焦反馈问题,压实整改责任\n(一)政治建设方面\n1.针对学习不深入问题\n三、持续深化整改",
        "rectification",
        [("提高政治站位", "context"), ("聚焦反馈问题,压实整改责任", "issues"), ("政治建设方面", "issues"),
         ("针对学习不深入问题", "issues"), ("持续深化整改", "other")]),
    "unnumbered issues make an issues part": (
        "一、关于政治建设方面\n关于学习不深入的问题\n整改情况:已完成。",
        "rectification",
        [("关于政治建设方面", "issues")]),
    "问题N: markers make the parts that hold them issue parts": (
        "一、关于贯彻落实决策部署方面\n问题1:改革推进不够有力。\n二、关于全面从严治党方面\n问题2:财务管理不规范。",
        "rectification",
        [("关于贯彻落实决策部署方面", "issues"), ("改革推进不够有力", "issues"),
         ("关于全面从严治党方面", "issues"), ("财务管理不规范", "issues")]),
    "仍需持续推进的事项 is the long-term part": (
        "二、整改情况\n1.针对甲问题\n三、仍需持续推进的事项\n1.关于乙的问题(正在整改)。",
        "rectification",
        [("整改情况", "issues"), ("针对甲问题", "issues"), ("仍需持续推进的事项", "long_term"),
         ("关于乙的问题(正在整改)", "long_term")]),
    "annual report parts": (
        "一、2024年主要举措和成效\n(一)深入学习\n1.组织学习\n二、存在的不足\n(一)能力不足\n"
        "三、主要负责人履行推进法治建设第一责任人职责情况\n(一)带头学法\n四、2025年工作打算\n(一)完善制度",
        "annual",
        [("2024年主要举措和成效", "achievements"), ("深入学习", "achievements"), ("组织学习", "achievements"),
         ("存在的不足", "shortcomings"), ("能力不足", "shortcomings"),
         ("主要负责人履行推进法治建设第一责任人职责情况", "duties"), ("带头学法", "duties"),
         ("2025年工作打算", "plans"), ("完善制度", "plans")]),
    # sec.aspect_group: a report opening at its groups of problems
    "a report opening at (一) with the 聚焦 focuses: each is an aspect": (
        "(一)聚焦党中央决策部署在基层落实情况\n1.产业项目管理不够精准\n(二)聚焦群众身边不正之风和腐败问题\n1.违规发放津补贴",
        "rectification",
        [("聚焦党中央决策部署在基层落实情况", "aspect"), ("产业项目管理不够精准", "aspect"),
         ("聚焦群众身边不正之风和腐败问题", "aspect"), ("违规发放津补贴", "aspect")]),
    "a report opening at (一) with themes that fell short": (
        "(一)贯彻落实新发展理念有差距\n1.价格监督检查推进滞后\n(二)上轮巡视整改和审计等监督发现问题整改有差距\n1.审计整改不够严格",
        "rectification",
        [("贯彻落实新发展理念有差距", "aspect"), ("价格监督检查推进滞后", "aspect"),
         ("上轮巡视整改和审计等监督发现问题整改有差距", "aspect"), ("审计整改不够严格", "aspect")]),
    "a named problem's rectification is an aspect": (
        "(一)关于基层党组织建设不到位问题的整改\n1.党员发展不规范\n(二)关于廉洁自律不到位问题的整改\n1.公车管理不严",
        "rectification",
        [("关于基层党组织建设不到位问题的整改", "aspect"), ("党员发展不规范", "aspect"),
         ("关于廉洁自律不到位问题的整改", "aspect"), ("公车管理不严", "aspect")]),
    "the generic 关于巡视反馈问题的整改 is a part": (
        "一、关于巡视反馈问题的整改\n(一)作风方面\n1.作风不实\n二、下一步工作打算",
        "rectification",
        [("关于巡视反馈问题的整改", "issues"), ("作风方面", "issues"), ("作风不实", "issues"),
         ("下一步工作打算", "next_steps")]),
    # sec.structure.aspect: no part speaks of issues, the top headings holding items are the groups
    "groups named by their theme alone": (
        "(一)选人用人和干部队伍建设\n1.干部交流轮岗不够\n(1)制定轮岗计划。\n(二)巡察整改和成果运用\n1.整改台账管理不严\n(1)建立台账。",
        "rectification",
        [("选人用人和干部队伍建设", "aspect"), ("干部交流轮岗不够", "aspect"), ("制定轮岗计划", "aspect"),
         ("巡察整改和成果运用", "aspect"), ("整改台账管理不严", "aspect"), ("建立台账", "aspect")]),
    "top headings that are parts are not groups, even when no part holds issues": (
        "一、加强组织领导,压实整改责任\n1.成立领导小组\n二、深化巡察成果运用\n1.深化以案促改",
        "rectification",
        [("加强组织领导,压实整改责任", "context"), ("成立领导小组", "context"),
         ("深化巡察成果运用", "other"), ("深化以案促改", "other")]),
}


@pytest.mark.parametrize("raw, kind, expected", CASES.values(), ids=CASES.keys())
def test_classify_sections(raw, kind, expected):
    assert kinds(raw, kind) == expected
