"""Facts from text: items in many layouts, header, stated totals, documents, organisations, quantities."""
from decimal import Decimal

import pytest

from ingest.documents import document_type, find_documents
from ingest.header import canonical_agency, iso_date
from ingest.numerals import parse_numeral
from ingest.orgs import find_orgs
from ingest.pipeline import parse_text
from ingest.quantities import deadline_of, find_quantities
from ingest.read import normalize_text
from ingest.stats import extract_stats


def items(raw):
    """(aspect ordinal, issue ordinal, title, measure labels, status) per issue; initiatives apart."""
    facts = parse_text(raw)
    secs = facts.sections
    issues = []
    for k, issue in enumerate(facts.issues):
        labels = [m.label for m in facts.measures if m.issue == k]
        aspect = secs[issue.aspect].ordinal if issue.aspect is not None else None
        issues.append((aspect, issue.ordinal, issue.title, labels, issue.status))
    initiatives = [(secs[m.aspect].ordinal, m.ordinal, m.label) for m in facts.measures if m.issue is None]
    return issues, initiatives


LAYOUTS = {
    "run-on items with 一是二是": (
        "二、整改进展情况\n(一)关于作风建设方面\n"
        "1.针对“作风不实。”问题。一是开展作风整顿,严肃纪律。二是建立长效机制。\n"
        "2.针对纪律松弛问题。一是加强考勤管理;二是严格请销假;三是定期通报。",
        [(1, 1, "作风不实", ["开展作风整顿", "建立长效机制"], None),
         (1, 2, "纪律松弛", ["加强考勤管理", "严格请销假", "定期通报"], None)]),
    "full-width numbering with (1) and ① measures": (
        "二、整改情况\n（一）关于理论学习方面\n１．针对学习不深入问题\n（１）制定学习计划；\n（２）开展专题研讨。\n"
        "（二）关于制度建设方面\n２．针对制度执行不严问题\n①修订《差旅费管理办法》。\n②印发《关于加强监督的通知》。",
        [(1, 1, "学习不深入", ["制定学习计划", "开展专题研讨"], None),
         (2, 2, "制度执行不严", ["修订《差旅费管理办法》", "印发《关于加强监督的通知》"], None)]),
    "inline (1)(2) and 1、 numbering": (
        "一、整改落实情况\n1、针对经费管理不规范问题。(1)规范报销流程;(2)清退违规款项。\n2、关于公车使用不规范的问题\n已建立派车登记制度。",
        [(1, 1, "经费管理不规范", ["规范报销流程", "清退违规款项"], None),
         (1, 2, "公车使用不规范", ["已建立派车登记制度"], None)]),
    "sentence runs when nothing is enumerated": (
        "二、整改情况\n(一)关于安全监管方面\n1.针对隐患排查不足问题\n规范应急值守。在节假日实施值守三三制,确保响应及时。修订《值班管理规定》并印发实施。",
        [(1, 1, "隐患排查不足", ["规范应急值守", "修订《值班管理规定》并印发实施"], None)]),
    "no numbers: 关于…的问题 then 整改情况": (
        "一、关于落实决策部署方面\n关于就业政策落实不到位的问题\n整改情况:一是开展政策宣传;二是建立就业台账。\n"
        "关于社保基金监管薄弱的问题\n整改进展:已完成。修订完善《基金监管办法》。\n"
        "二、关于党的建设方面\n关于“三会一课”不规范的问题。整改情况:正在推进。制定《支部工作规范》。",
        [(1, 1, "就业政策落实不到位", ["开展政策宣传", "建立就业台账"], None),
         (1, 2, "社保基金监管薄弱", ["修订完善《基金监管办法》"], "已完成"),
         (2, 1, "“三会一课”不规范", ["制定《支部工作规范》"], "正在推进")]),
    "第一部分 with 【问题N】 items and a status": (
        "第一部分 整改工作总体情况\n党组高度重视,成立领导小组。\n第二部分 反馈问题整改情况\n(一)关于作风建设方面\n"
        "【问题1】公务用车管理不规范\n整改情况:已完成。清退违规款项2.5万元。\n【问题2】会议费管理不严\n整改情况:持续推进。规范会议审批。",
        [(1, 1, "公务用车管理不规范", ["清退违规款项2.5万元"], "已完成"),
         (1, 2, "会议费管理不严", ["规范会议审批"], "持续推进")]),
    "issues directly under the part: the part is the only grouping": (
        "二、巡察反馈问题整改情况\n1.针对理论学习不深入问题。已制定学习计划。\n2.针对财务制度执行不严问题。已清退相关费用。",
        [(2, 1, "理论学习不深入", ["已制定学习计划"], None),
         (2, 2, "财务制度执行不严", ["已清退相关费用"], None)]),
    "long-term items are issues with a status": (
        "二、整改情况\n(一)作风方面\n1.针对作风不实问题。已整改。\n三、需长期整改事项\n1.干部队伍建设不足(长期坚持)。持续选优配强干部。",
        [(1, 1, "作风不实", [], "已整改"),
         (3, 1, "干部队伍建设不足", ["持续选优配强干部"], "长期坚持")]),
    "issue table with tabs": (
        "一、整改情况一览表\n序号\t问题类别\t反馈问题\t整改措施\t责任单位\t责任人\t整改时限\t整改情况\n"
        "1\t党的建设\t理论学习不深入\t1.制定学习计划;2.开展研讨\t局办公室\t分管领导\t2024年6月底前\t已完成\n"
        "2\t\t组织生活不规范\t规范组织生活。\t机关党委\t张三\t2024年8月\t正在推进\n"
        "3\t廉政建设\t公车管理不规范\t修订《公务用车管理办法》\t局财务处\t局长\t2024年12月\t已完成",
        [(1, 1, "理论学习不深入", ["制定学习计划", "开展研讨"], "已完成"),
         (1, 2, "组织生活不规范", ["规范组织生活"], "正在推进"),
         (2, 3, "公车管理不规范", ["修订《公务用车管理办法》"], "已完成")]),
    "issue table with pipes": (
        "整改台账\n| 序号 | 反馈问题 | 整改措施 | 责任单位 |\n|---|---|---|---|\n"
        "| 1 | 监督执纪不严 | 一是开展谈话;二是严格问责 | 驻局纪检监察组 |\n| 2 | 信访办理不及时 | 建立台账 | 局办公室 |",
        [(None, 1, "监督执纪不严", ["开展谈话", "严格问责"], None),
         (None, 2, "信访办理不及时", ["建立台账"], None)]),
    "issue headings without 针对 and (1) measures on their own lines": (
        "二、巡视反馈问题整改落实情况\n(一)贯彻落实决策部署方面\n1.理论学习不够深入的问题\n(1)修订学习制度。\n(2)制定年度学习计划。\n"
        "2.新能源项目推进缓慢的问题\n(1)梳理在建项目14个。\n(2)约谈项目公司负责人。",
        [(1, 1, "理论学习不够深入", ["修订学习制度", "制定年度学习计划"], None),
         (1, 2, "新能源项目推进缓慢", ["梳理在建项目14个", "约谈项目公司负责人"], None)]),
    "(一)(二) issues straight under the part, measures 1) 2)": (
        "二、巡察反馈问题的整改落实情况\n(一)关于落实意识形态工作责任制不到位问题\n1)制定实施细则。\n2)开展专题研判。\n"
        "(二)关于“三重一大”决策制度执行不严格的问题\n1)修订实施办法。",
        [(2, 1, "落实意识形态工作责任制不到位", ["制定实施细则", "开展专题研判"], None),
         (2, 2, "“三重一大”决策制度执行不严格", ["修订实施办法"], None)]),
    "问题一: items with 【status】, 整改措施 ①② and 整改成效": (
        "二、反馈问题整改落实情况\n(一)关于决策部署方面\n问题一:耕地占补平衡监管不到位【已完成】\n"
        "整改措施:①开展质量核查;②责令限期整改。\n整改成效:全部纳入动态监管。\n"
        "问题二:年轻干部培养力度不够【正在推进】\n整改措施:①建立年轻干部库;②选派年轻干部锻炼。\n整改进展:已选派6名。",
        [(1, 1, "耕地占补平衡监管不到位", ["开展质量核查", "责令限期整改"], "已完成"),
         (1, 2, "年轻干部培养力度不够", ["建立年轻干部库", "选派年轻干部锻炼"], "正在推进")]),
    "整改措施 on a line of its own, ① list on the next": (
        "二、整改情况\n(一)关于主体责任方面\n1.主体责任压得不实的问题(已完成)\n整改措施:\n①每季度专题研究;②制定责任清单;③讲廉政党课。\n"
        "整改成效:责任层层压实。\n2.公务接待管理不规范的问题(已整改到位)\n整改措施:①修订办法;②开展自查。",
        [(1, 1, "主体责任压得不实", ["每季度专题研究", "制定责任清单", "讲廉政党课"], "已完成"),
         (1, 2, "公务接待管理不规范", ["修订办法", "开展自查"], "已整改到位")]),
    "a numbered list restarting inside each issue": (
        "二、整改情况\n(一)关于政治建设方面\n1.针对规划统筹不够问题\n1.编制三年行动计划,明确重点项目。\n2.建立重点项目库,实行季度调度。\n"
        "2.针对公共服务供给不足问题\n1.推进文化站提档升级。\n2.开展惠民演出120场次。\n3.由图书馆牵头建设城市书房。",
        [(1, 1, "规划统筹不够", ["编制三年行动计划", "建立重点项目库"], None),
         (1, 2, "公共服务供给不足", ["推进文化站提档升级", "开展惠民演出120场次", "由图书馆牵头建设城市书房"], None)]),
    "问题N: items directly under top-level aspects": (
        "根据省委统一部署,省委第八巡视组对省卫生健康委党组开展了巡视。\n一、关于贯彻落实党中央决策部署方面\n"
        "问题1:公立医院综合改革推进不够有力。\n整改情况:已完成。一是制定实施方案;二是推开薪酬制度改革。\n"
        "二、关于全面从严治党方面\n问题2:直属单位财务管理不规范。\n整改情况:正在推进。一是开展专项审计;二是督促整改。",
        [(1, 1, "公立医院综合改革推进不够有力", ["制定实施方案", "推开薪酬制度改革"], "已完成"),
         (2, 2, "直属单位财务管理不规范", ["开展专项审计", "督促整改"], "正在推进")]),
    "PDF line breaks inside sentences": (
        "二、整改进展情况\n(一)关于安全生产责任落实不到位,监管执法存在短板问题的整改\n1.针对执法检查走过场问题。一是建立执法检查计划,每月公开执法计划及执行\n"
        "情况,督促规范化执法;二是开展执法案卷评查,组织学习《行政处罚法》和《安全生产法》等法律\n法规。",
        [(1, 1, "执法检查走过场", ["建立执法检查计划", "开展执法案卷评查"], None)]),
    # title.group: the 聚焦 focuses and …方面存在的问题 are aspects, never issues
    "聚焦 focuses over 关于…的问题 paragraphs": (
        "二、反馈问题整改落实情况\n(一)聚焦党中央决策部署在基层落实情况\n关于药品采购管理不够严格的问题\n整改情况:正在推进。推行清单式管理。\n"
        "(二)聚焦群众身边不正之风和腐败问题\n针对违规发放津补贴问题\n整改进展:清退违规资金7.16万元。",
        [(1, 1, "药品采购管理不够严格", ["推行清单式管理"], "正在推进"),
         (2, 1, "违规发放津补贴", ["清退违规资金7.16万元"], None)]),
    "关于…方面存在的问题 over 关于…的问题 paragraphs": (
        "二、集中整改进展情况\n(一)关于落实全面从严治党责任方面存在的问题\n关于内部审计监督作用发挥不充分的问题\n"
        "整改情况:建立审计台账。\n(二)关于基层党组织建设方面存在的问题\n关于党员发展不规范的问题\n整改情况:开展专项检查。",
        [(1, 1, "内部审计监督作用发挥不充分", ["建立审计台账"], None),
         (2, 1, "党员发展不规范", ["开展专项检查"], None)]),
    # sec.aspect_group / sec.structure.aspect: a report opening at its groups, bare issue titles
    "a report opening at (一)聚焦… with bare issue titles": (
        "局党组对反馈意见照单全收,逐项制定整改措施。\n(一)聚焦党中央决策部署在基层落实情况\n1.建筑施工安全监管不够精准\n"
        "(1)建立月调度机制。\n(2)开展专项排查。\n(二)聚焦群众身边不正之风和腐败问题\n1.违规发放津补贴\n(1)清退违规资金。",
        [(1, 1, "建筑施工安全监管不够精准", ["建立月调度机制", "开展专项排查"], None),
         (2, 1, "违规发放津补贴", ["清退违规资金"], None)]),
    "a report opening at (一) with groups named by their theme alone": (
        "局党组对反馈意见照单全收,逐项制定整改措施。\n(一)贯彻落实党中央决策部署和市委工作要求\n1.药品耗材采购管理有差距\n"
        "一是建立工作台账;二是开展专项审计。\n(二)选人用人和干部队伍建设\n1.党内政治生活不够严肃\n一是开展专题学习;二是严肃组织生活。",
        [(1, 1, "药品耗材采购管理有差距", ["建立工作台账", "开展专项审计"], None),
         (2, 1, "党内政治生活不够严肃", ["开展专题学习", "严肃组织生活"], None)]),
}


@pytest.mark.parametrize("raw, expected", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_issue_layouts(raw, expected):
    assert items(raw)[0] == expected


def test_annual_report_initiatives_and_shortcomings():
    raw = ("一、2024年度推进法治政府建设主要举措和成效\n(一)深入学习贯彻法治思想\n1.统领各项学习培训。组织学习《学习问答》。\n"
           "2.拧紧责任链条。制定职责清单。\n(二)强化法治保障\n3.实施营商环境方案。制定《实施意见》。\n"
           "二、存在的不足\n(一)应对复杂风险的能力尚有不足\n研判不够前瞻。\n(二)法治路径尚不丰富\n"
           "三、主要负责人履行推进法治建设第一责任人职责情况\n(一)带头学法\n组织专题学习。\n四、2025年工作打算\n(一)完善制度\n推进立法。")
    issues, initiatives = items(raw)
    assert initiatives == [(1, 1, "统领各项学习培训"), (1, 2, "拧紧责任链条"), (2, 3, "实施营商环境方案")]
    assert issues == [(None, 1, "应对复杂风险的能力尚有不足", [], None), (None, 2, "法治路径尚不丰富", [], None)]


def test_table_rows_give_responsible_units_roles_and_deadlines():
    facts = parse_text(LAYOUTS["issue table with tabs"][0])
    first = facts.issues[0]
    assert first.deadline == "2024-06"
    assert {(o.kind, o.name, o.relation) for o in first.orgs} >= {("unit", "局办公室", "responsible"),
                                                                 ("role", "分管领导", "responsible")}
    assert any(o.kind == "person" and o.name == "张三" for o in facts.issues[1].orgs)
    measures = [m for m in facts.measures if m.issue == 0]
    assert all(m.deadline == "2024-06" for m in measures)
    assert facts.sections[first.aspect].heading == "党的建设"


def test_every_fact_points_into_the_text():
    facts = parse_text(LAYOUTS["run-on items with 一是二是"][0])
    text = facts.text
    for issue in facts.issues:
        assert text[issue.title_start:issue.title_end] == issue.title
        assert issue.start <= issue.title_start < issue.title_end <= issue.end
    for m in facts.measures:
        assert text[m.start:m.end] == m.text and m.rule
        issue = facts.issues[m.issue]
        assert issue.start <= m.start < m.end <= issue.end


HEADERS = {
    "巡视 with year-less end and feedback": (
        "根据市委统一部署,市委第六巡视组于2024年10月18日至12月20日对市应急局党委开展巡视,并于2025年3月1日反馈了巡视意见。\n"
        "一、整改情况\n修订《上海市应急管理局请销假管理规定》。\n通讯地址:复兴中路593号上海市应急管理局党委办公室\n邮政编码:200020",
        dict(agency="上海市应急管理局", agency_as_written="市应急局", inspection_kind="巡视",
             inspection_body="市委第六巡视组", inspection_body_canonical="上海市委第六巡视组",
             start_date="2024-10-18", end_date="2024-12-20", feedback_date="2025-03-01", postcode="200020")),
    "巡察 with feedback year inferred and signature": (
        "根据市委统一部署,2022年5月6日至7月25日,市委第三巡察组对市应急管理局党委开展了巡察。9月23日,市委巡察组向市应急管理局党委反馈了巡察意见。\n"
        "一、整改情况\n联系电话:3869180;电子邮箱:abc@163.com。\n中共芜湖市应急管理局委员会\n2023年3月",
        dict(agency="芜湖市应急管理局", inspection_kind="巡察", inspection_body_canonical="芜湖市委第三巡察组",
             start_date="2022-05-06", end_date="2022-07-25", feedback_date="2022-09-23", published="2023-03",
             phones=["3869180"], emails=["abc@163.com"], signature="中共芜湖市应急管理局委员会")),
    "period over the new year and a round": (
        "根据省委统一部署,省委第二巡视组于2023年11月5日至1月10日对省住建厅党组开展了十二届省委第三轮巡视,2月20日反馈意见。\n"
        "一、整改情况\n截至2024年6月30日,已全部完成。\n中共安徽省住房和城乡建设厅党组\n2024年7月2日",
        dict(agency="安徽省住房和城乡建设厅", inspection_body_canonical="安徽省委第二巡视组", round="十二届省委第三轮巡视",
             start_date="2023-11-05", end_date="2024-01-10", feedback_date="2024-02-20", status_date="2024-06-30",
             published="2024-07-02")),
    "facts after a 现将…报告如下 preamble; over the new year; 〇 at the foot": (
        "关于区委第二巡察组巡察反馈意见整改情况的报告\n区委巡察工作领导小组:\n现将我局整改情况报告如下:\n一、巡察基本情况\n"
        "２０２３年１１月２０日至２０２４年１月１９日,区委第二巡察组对区市场监管局党组开展了常规巡察,３月１２日向局党组反馈了巡察意见。\n"
        "二、整改情况\n1.针对执法不规范问题。已整改。\n中共云澄区市场监督管理局党组\n二〇二四年九月五日",
        dict(agency="云澄区市场监督管理局", inspection_body_canonical="云澄区委第二巡察组", start_date="2023-11-20",
             end_date="2024-01-19", feedback_date="2024-03-12", published="2024-09-05")),
    "a township takes the county of its inspection body": (
        "中共石泉镇委员会关于巡察整改情况的报告\n中共青禾县委巡察工作领导小组:\n"
        "根据县委统一部署,2024年5月6日至6月28日,县委第三巡察组对石泉镇党委开展了常规巡察,并于2024年8月15日反馈了巡察意见。\n"
        "一、整改情况\n1.针对耕地保护不到位问题。已整改。\n通讯地址:青禾县石泉镇人民路8号\n中共石泉镇委员会\n2024年12月10日",
        dict(agency="青禾县石泉镇", place="青禾县", inspection_body_canonical="青禾县委第三巡察组",
             address="青禾县石泉镇人民路8号")),
    "a shortened 委 takes the full name the signature writes": (
        "根据省委统一部署,省委第八巡视组对省卫生健康委党组开展了常规巡视。\n一、整改情况\n1.针对改革不力问题。已整改。\n"
        "来信请寄:岚江省昆华路1号 邮编:650034\n邮箱:wjw@163.com\n中共岚江省卫生健康委员会党组\n2024年12月18日",
        dict(agency="岚江省卫生健康委员会", postcode="650034", emails=["wjw@163.com"], address="岚江省昆华路1号")),
    "annual report: agency from the signature": (
        "市委、市政府:\n现将2024年法治政府建设情况报告如下。\n一、主要举措和成效\n特此报告。\n上海市应急管理局\n2025年1月4日",
        dict(report_kind="annual", agency="上海市应急管理局", place="上海市", published="2025-01-04",
             inspection_body=None)),
}


@pytest.mark.parametrize("raw, expected", HEADERS.values(), ids=HEADERS.keys())
def test_header(raw, expected):
    header = parse_text(raw).header
    assert {k: getattr(header, k) for k in expected} == expected
    for field, rule in header.provenance.items():
        assert rule.rule.startswith("hdr.") and 0 <= rule.start < rule.end, field


@pytest.mark.parametrize("name, text, canonical", [
    ("市住建局", "芜湖市人民政府。芜湖市住房和城乡建设局", "芜湖市住房和城乡建设局"),
    ("市市场监管局", "中山市市场监督管理局发布", "中山市市场监督管理局"),
    ("县人社局", "南陵县人社局", "南陵县人力资源和社会保障局"),
    ("中共芜湖市应急管理局委员会", "", "芜湖市应急管理局"),
    ("市发改委党组", "为进一步健全上海超大城市体系,上海市发展和改革委员会", "上海市发展和改革委员会"),
    ("省卫生健康委", "中共岚江省卫生健康委员会党组", "岚江省卫生健康委员会"),
    ("石泉镇", "青禾县石泉镇人民路", "石泉镇"),   # without the level of its inspection body
    # notplace.verb: 会同 (together with) before 市 is no place
    ("市人社局", "一是会同市人社局开展检查。二是会同市人社局督办。三是会同市人社局通报。印发《清化市人力资源和社会保障局办法》",
     "清化市人力资源和社会保障局"),
])
def test_canonical_agency(name, text, canonical):
    assert canonical_agency(text, name)[0] == canonical


@pytest.mark.parametrize("text, expected", [
    ("将反馈的7个方面16个问题,细化分解为41个具体问题,对应制定145项整改措施。截至目前,41项问题已完成整改37项。"
     "提出整改措施145条,已完成134条。共退出违规钱款30.52万元。已新建制度32项,修订完善19项,拟修订和完善3项。",
     dict(issues_total=41, issues_completed=37, measures_total=145, measures_completed=134, new_rules=32,
          revised_rules=19, funds_recovered_yuan=Decimal("305200"))),
    ("反馈的12个问题已全部完成整改。追缴资金1.2亿元。", dict(issues_total=12, issues_completed=12,
                                                   funds_recovered_yuan=Decimal("120000000"))),
    ("清退违规发放津贴补贴3500元,罚款1735余万元。", dict(funds_recovered_yuan=Decimal("3500"))),
    ("罚款63.5万元,发现并通报问题738条。", dict(funds_recovered_yuan=None, issues_total=None)),
    ("共梳理出4个方面18个问题,制定整改措施65条,截至目前已完成整改16个,完成率88.9%,整改措施已落实59条。",
     dict(issues_total=18, issues_completed=16, measures_total=65, measures_completed=59)),
    ("建立完善制度21项,其中新制定制度8项、修订13项。共追缴违规资金、挽回经济损失12.6万元。",
     dict(new_rules=8, revised_rules=13, funds_recovered_yuan=Decimal("126000"))),
    ("建立完善制度21项。", dict(new_rules=21, revised_rules=None)),
    # stats.totals: the amount of the totals sentence wins over those of single measures
    ("①督促相关人员清退违规领取的交通补贴5.06万元。②对违规发放的维修资金予以清退,共清退违规资金2.64万元。\n"
     "截至目前,反馈的24个问题已完成整改16个;累计追回和退缴违规资金7.70万元。\n(3)收回多列支的差旅费12.17万元。",
     dict(issues_total=24, issues_completed=16, funds_recovered_yuan=Decimal("77000"))),
    ("一是对违规发放的补贴予以清退,共清退违规资金2.52万元。\n48个问题已完成整改40个,其余8个正在推进;收回违规发放资金7.47万元。",
     dict(issues_total=48, issues_completed=40, funds_recovered_yuan=Decimal("74700"))),
    # a totals sentence a PDF copy broke after ;
    ("截至2022年5月31日,反馈的38个问题已完成整改28个;\n推动退还违规资金72.94万元。\n②对违规发放的费用予以清退,共收回违规资金10.93万元。",
     dict(issues_total=38, issues_completed=28, funds_recovered_yuan=Decimal("729400"))),
    # no totals sentence: the largest amount stands for the total, as before
    ("一是清退违规资金2.5万元。二是追回多发补贴3.1万元。", dict(funds_recovered_yuan=Decimal("31000"))),
])
def test_stats(text, expected):
    stats = extract_stats(text)
    assert {k: getattr(stats, k) for k in expected} == expected
    assert set(stats.provenance) == {k for k, v in expected.items() if v is not None}


@pytest.mark.parametrize("text, expected", [
    ("修订印发《上海市突发事件总体应急预案》", [("上海市突发事件总体应急预案", "revises", "plan")]),
    ("形成《A办法》《B工作方案》并印发实施", [("A办法", "issues", "rule"), ("B工作方案", "issues", "plan")]),
    ("将原《标准化定级办法》更名为《关于加强标准化建设的指导意见》",
     [("标准化定级办法", "revises", "rule"), ("关于加强标准化建设的指导意见", "issues", "notice")]),
    ("推进《应急预案管理实施办法》修订", [("应急预案管理实施办法", "drafts", "rule")]),
    ("起草《韧性安全城市建设的意见》", [("韧性安全城市建设的意见", "drafts", "notice")]),
    ("组织学习《行政处罚法》和《安全生产法》", [("行政处罚法", "cites", "law"), ("安全生产法", "cites", "law")]),
    ("依法依规在《行政执法决定法制审核意见书》中列明", [("行政执法决定法制审核意见书", "cites", "report")]),
    ("印发《关于印发〈安全生产举报奖励办法〉的通知》",
     [("关于印发〈安全生产举报奖励办法〉的通知", "issues", "notice"), ("安全生产举报奖励办法", "issues", "rule")]),
    ("建立《隐患排查台账》和《权责清单》,完成《风险路径研究》",
     [("隐患排查台账", "issues", "ledger"), ("权责清单", "issues", "ledger"), ("风险路径研究", "cites", "study")]),
    ("制定《芜湖市应急管理局安全生产培训考核管理暂行规定(试行)》",
     [("芜湖市应急管理局安全生产培训考核管理暂行规定(试行)", "issues", "rule")]),
])
def test_documents(text, expected):
    docs = find_documents(normalize_text(text))
    assert [(d.title, d.action, d.doc_type) for d in docs] == expected
    for d in docs:
        assert d.rule.startswith("doc.verb.")


def test_document_types_by_longest_suffix():
    assert [document_type(t) for t in ("管理办法", "安全生产法", "工作要点", "工作指引", "紧急通报", "研究报告", "派车单")] == \
        ["rule", "law", "plan", "guide", "notice", "report", "ledger"]


def test_orgs_in_measures():
    raw = ("根据市委统一部署,市委第六巡视组对市应急局党委开展巡视。\n一、整改情况\n(一)关于协调方面\n"
           "1.针对协调不力问题。一是会同市住建局、市消防救援总队开展检查,由局执法总队牵头。二是指导上港集团推行新模式。"
           "三是局党委书记领办重点问题,驻局纪检监察组加强监督。\n通讯地址:上海市应急管理局办公室")
    facts = parse_text(raw)
    found = {(o.kind, o.canonical, o.relation) for m in facts.measures for o in m.orgs}
    assert {("agency", "上海市住房和城乡建设局", "mentioned"), ("agency", "上海市消防救援总队", "mentioned"),
            ("unit", "上海市应急管理局执法总队", "responsible"), ("agency", "上港集团", "mentioned"),
            ("role", "上海市应急管理局党委书记", "responsible")} <= found
    roles = [o for o in facts.orgs if o.kind == "role"]
    assert roles and all(o.title == "党委书记" and o.agency == "上海市应急管理局" for o in roles)
    assert not any(o.canonical == "上海市应急管理局" for o in facts.orgs)


@pytest.mark.parametrize("text, place, expected", [
    ("由局长张建国牵头开展整治。", "东皋县", {("person", "张建国", "responsible")}),
    ("建立网格化监管机制(责任人:李某某)。", "东皋县", {("person", "李某某", "responsible")}),
    ("局长办公会研究决定。", "东皋县", set()),
    ("三是会同县住建局对长期未动工项目开展约谈。", "东皋县", {("agency", "东皋县住房和城乡建设局", "mentioned")}),
    ("与自规局联合开展执法巡查12次。", "青禾县", {("agency", "青禾县自然资源和规划局", "mentioned")}),
    ("与自规局联合开展执法巡查12次。", None, set()),
    ("配合国务院安委办、中央网信办开展检查,经与县人社局、自规局会商。", "芜湖市",
     {("agency", "县人力资源和社会保障局", "mentioned")}),
    ("与市自规局联合开展执法巡查。", "江屿市", {("agency", "江屿市自然资源和规划局", "mentioned")}),
])
def test_persons_and_short_agency_names(text, place, expected):
    found = find_orgs(text, 0, len(text), "某某局", place)
    assert {(o.kind, o.canonical, o.relation) for o in found if o.kind in ("person", "agency")} == expected
    for o in found:
        assert text[o.start:o.end] == o.name and o.rule


def test_quantities_and_deadline():
    text = "应急指挥中心于2022年12月底前建设完成,罚款1735余万元,退出30.52万元,2.3万家企业建档,下降56%,新增3支队伍。"
    quantities = find_quantities(text)
    assert [(q.kind, q.value, q.unit) for q in quantities] == [
        ("date", "2022-12", None), ("money", "17350000", "元"), ("money", "305200", "元"),
        ("count", "23000", "家"), ("percent", "56", "%"), ("count", "3", "支")]
    assert deadline_of(text, quantities) == ("2022-12", "deadline.before")
    assert deadline_of("已于2022年9月开始建设", find_quantities("已于2022年9月开始建设")) is None


@pytest.mark.parametrize("numeral, value", [
    ("七", 7), ("十二", 12), ("二十一", 21), ("一百零五", 105), ("二〇二四", 2024), ("二○二三", 2023), ("12", 12), ("③", 3),
])
def test_numerals(numeral, value):
    assert parse_numeral(numeral) == value


@pytest.mark.parametrize("parts, iso", [
    (("二〇二四", "九", "五"), "2024-09-05"), (("2024", "3", "12"), "2024-03-12"), (("二〇二四", "十二", None), "2024-12"),
    (("2024", "13", "1"), None), ((None, "3", "1"), None),
])
def test_iso_date_reads_both_numerals(parts, iso):
    assert iso_date(*parts) == iso
