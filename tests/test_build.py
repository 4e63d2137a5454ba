"""Facts -> triples: IRIs, literals and the shape of a report graph (tables of input -> output)."""
from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, XSD, Literal
from rdflib.namespace import DCTERMS, SKOS

from ingest import iris
from ingest.build import GRAPH_FORMAT, build_report_graph, date_literal
from ingest.facts import DocumentRef, Header, Issue, Measure, OrgRef, ReportFacts, Section, Source, Stats
from ontology.namespace import RG


@pytest.mark.parametrize("value, datatype", [
    ("2025-03-01", XSD.date),
    ("2023-03", XSD.gYearMonth),
    ("2024", XSD.gYear),
])
def test_date_literal(value, datatype):
    assert date_literal(value) == Literal(value, datatype=datatype)


@pytest.mark.parametrize("a, b, same", [
    ("安全生产法", "中华人民共和国安全生产法", True),
    ("上海市突发事件总体应急预案", "上海市突发事件总体应急预案 ", True),
    ("关于“三重一大”决策制度的实施办法", '关于"三重一大"决策制度的实施办法', True),
    ("芜湖市地震应急预案", "芜湖市突发地质灾害应急预案", False),
    ("中华人民共和国", "中华人民共和国", True),
    ("中華人民共和國安全生產法", "安全生产法", True),
])
def test_document_identity(a, b, same):
    assert (iris.mint_document_iri(a) == iris.mint_document_iri(b)) is same


@pytest.mark.parametrize("a, b, same", [
    ("芜湖市委第三巡察组", "中山市委第三巡察组", False),
    ("上海市应急管理局", "上海市应急管理局", True),
    ("上海市应急管理局", "上海市 应急管理局", True),
    ("北嶺省交通運輸廳", "北岭省交通运输厅", True),
])
def test_shared_node_identity(a, b, same):
    assert (iris.mint_agency_iri(a) == iris.mint_agency_iri(b)) is same
    assert (iris.mint_inspection_body_iri(a) == iris.mint_inspection_body_iri(b)) is same


def _facts(text: str = "某报告正文。") -> ReportFacts:
    source = Source(name="r.txt", path="/data/r.txt", sha256=hashlib.sha256(text.encode()).hexdigest())
    header = Header(agency="甲市应急管理局", agency_as_written="市应急局", place="甲市", inspection_kind="巡察",
                    inspection_body="市委第二巡察组", inspection_body_canonical="甲市委第二巡察组",
                    start_date="2024-03-01", end_date="2024-05-30", feedback_date="2024-07-02",
                    published="2024-12", phones=["0551-1234567"], postcode="241000")
    stats = Stats(issues_total=2, measures_total=5, funds_recovered_yuan=Decimal("305200"))
    facts = ReportFacts(text=text, source=source, header=header, stats=stats)
    facts.sections = [Section(1, 2, "二、", "整改情况", 0, 100, 2, 6, None, "num.l1", kind="issues"),
                      Section(2, 1, "(一)", "方面一", 10, 100, 13, 16, 0, "num.l2", kind="aspect")]
    doc_issued = DocumentRef("甲市公务用车管理办法", "issues", "印发", "rule", 40, 52, "doc.issue")
    doc_revised = DocumentRef("安全生产法", "revises", "修订", "law", 60, 67, "doc.revise")
    doc_loose = DocumentRef("整改落实方案", "cites", None, "plan", 3, 10, "doc.cite")
    head = OrgRef("role", "党委书记", "甲市应急管理局党委书记", "responsible", 30, 34, "org.role",
                  title="党委书记", agency="甲市应急管理局")
    unit = OrgRef("unit", "局办公室", "甲市应急管理局办公室", "responsible", 35, 39, "org.unit",
                  agency="甲市应急管理局")
    other = OrgRef("agency", "市住建局", "甲市住房和城乡建设局", "mentioned", 70, 74, "org.agency")
    facts.issues = [Issue(1, "公务用车管理不规范", 20, 80, 22, 31, "issue.zhendui", 1, 1, status="已完成")]
    facts.measures = [Measure(1, "印发办法", "印发《甲市公务用车管理办法》", 38, 55, "measure.yishi", 0, 1, 1,
                              documents=[doc_issued], orgs=[head, unit]),
                      Measure(2, "修订法规", "修订《安全生产法》,会同市住建局", 56, 80, "measure.yishi", 0, 1, 1,
                              deadline="2025-06", documents=[doc_revised], orgs=[other])]
    facts.documents = [doc_loose, doc_issued, doc_revised]
    return facts


@pytest.fixture(scope="module")
def built():
    return build_report_graph(_facts())


def _has(built, s, p, o) -> bool:
    return (s, p, o) in set(built.triples)


def test_graph_and_report_iris_derive_from_content(built):
    again = build_report_graph(_facts())
    other = build_report_graph(_facts("另一份报告。"))
    assert built.graph == again.graph and built.triples == again.triples
    assert built.graph != other.graph and built.report != other.report


def test_report_header_triples(built):
    r = built.report
    agency = iris.mint_agency_iri("甲市应急管理局")
    assert _has(built, r, RDF.type, RG.Report)
    assert _has(built, r, RG.agency, agency)
    assert _has(built, agency, RDFS.label, Literal("甲市应急管理局"))
    assert _has(built, agency, SKOS.altLabel, Literal("市应急局"))
    assert _has(built, r, DCTERMS.issued, Literal("2024-12", datatype=XSD.gYearMonth))
    assert _has(built, r, RG.statedFundsRecoveredYuan, Literal(Decimal("305200"), datatype=XSD.decimal))
    assert _has(built, r, RG.statedIssueCount, Literal(2))
    assert _has(built, r, RG.postcode, Literal("241000"))


def test_inspection_triples(built):
    insp = iris.mint_inspection_iri("甲市委第二巡察组", "甲市应急管理局", "2024-03-01")
    assert _has(built, built.report, RG.reportsOn, insp)
    assert _has(built, insp, RG.inspectionKind, Literal("巡察"))
    assert _has(built, insp, RG.feedbackDate, Literal("2024-07-02", datatype=XSD.date))
    body = iris.mint_inspection_body_iri("甲市委第二巡察组")
    assert _has(built, insp, RG.conductedBy, body)
    assert _has(built, body, RDFS.label, Literal("甲市委第二巡察组"))


@pytest.mark.parametrize("title, predicate_name", [
    ("甲市公务用车管理办法", "issuesDocument"),
    ("安全生产法", "revisesDocument"),
])
def test_measure_document_predicates(built, title, predicate_name):
    doc = iris.mint_document_iri(title)
    measures = [s for s, p, o in built.triples if p == getattr(RG, predicate_name) and o == doc]
    assert len(measures) == 1
    assert _has(built, measures[0], RDF.type, RG.Measure)


def test_loose_document_is_cited_by_innermost_section(built):
    doc = iris.mint_document_iri("整改落实方案")
    section0 = iris.mint_part_iri(built.report, "section", 0)
    assert _has(built, section0, RG.citesDocument, doc)


def test_responsible_role_and_unit(built):
    role = iris.mint_role_iri("甲市应急管理局党委书记")
    unit = iris.mint_unit_iri("甲市应急管理局办公室")
    agency = iris.mint_agency_iri("甲市应急管理局")
    assert _has(built, role, RG.roleTitle, Literal("党委书记"))
    assert _has(built, role, RG.unitOf, agency) and _has(built, unit, RG.unitOf, agency)
    assert any(p == RG.responsibleRole and o == role for _, p, o in built.triples)
    assert any(p == RG.responsibleUnit and o == unit for _, p, o in built.triples)
    other = iris.mint_agency_iri("甲市住房和城乡建设局")
    assert any(p == RG.mentionsOrganization and o == other for _, p, o in built.triples)


def test_issue_and_measure_structure(built):
    issue = iris.mint_part_iri(built.report, "issue", 0)
    aspect = iris.mint_part_iri(built.report, "section", 1)
    assert _has(built, issue, RG.aspect, aspect)
    assert _has(built, issue, RDFS.label, Literal("公务用车管理不规范"))
    assert _has(built, issue, RG.status, Literal("已完成"))
    measures = [s for s, p, o in built.triples if p == RG.addresses and o == issue]
    assert len(measures) == 2
    m2 = iris.mint_part_iri(built.report, "measure", 1)
    assert _has(built, m2, RG.deadline, Literal("2025-06", datatype=XSD.gYearMonth))
    assert _has(built, m2, RG.charStart, Literal(56)) and _has(built, m2, RG.charEnd, Literal(80))


def test_every_mention_points_back_to_its_span(built):
    mentions = [s for s, p, o in built.triples if p == RDF.type and o == RG.Mention]
    assert len(mentions) == 3 + 3  # three documents, three organisations/roles
    for m in mentions:
        assert any(s == m and p == RG.charStart for s, p, _ in built.triples)
        assert any(s == m and p == RG.rule for s, p, _ in built.triples)


def test_summary_counts_what_is_listed(built):
    summary = iris.mint_part_iri(built.report, "summary", 0)
    assert _has(built, summary, RG.issueCount, Literal(1))
    assert _has(built, summary, RG.measureCount, Literal(2))
    assert _has(built, summary, RG.graphFormat, Literal(GRAPH_FORMAT))


@pytest.mark.parametrize("title, digest_predicates", [
    ("甲市公务用车管理办法", {RG.documentIssued, RG.documentIssuedByMeasure}),   # issued by a measure
    ("安全生产法", {RG.documentRevised}),
    ("整改落实方案", {RG.documentCited}),                                     # named outside any measure
])
def test_summary_lists_each_document_by_action(built, title, digest_predicates):
    summary = iris.mint_part_iri(built.report, "summary", 0)
    doc = iris.mint_document_iri(title)
    listed = {p for s, p, o in built.triples if s == summary and o == doc}
    assert listed == digest_predicates


def test_summary_digest_agrees_with_the_mentions(built):
    """One digest triple per distinct (action, document) the report's mentions name."""
    summary = iris.mint_part_iri(built.report, "summary", 0)
    by_predicate = {RG.documentIssued: "issues", RG.documentRevised: "revises",
                    RG.documentDrafted: "drafts", RG.documentCited: "cites"}
    digest = {(by_predicate[p], o) for s, p, o in built.triples if s == summary and p in by_predicate}
    actions = {s: o for s, p, o in built.triples if p == RG.action}
    mentioned = {(str(actions[s]), o) for s, p, o in built.triples if p == RG.mentions and s in actions}
    assert digest == mentioned and len(digest) == 3


def test_built_graph_conforms_to_shapes(built):
    from rdflib import Graph

    from graph.validate import load_shapes, validate_graph

    g = Graph()
    for t in built.triples:
        g.add(t)
    conforms, messages = validate_graph(g, load_shapes())
    assert conforms, messages


@pytest.mark.parametrize("drop_predicate, expected_word", [
    (RDFS.label, "rdfs:label"),
    (RG.charStart, None),
])
def test_shapes_catch_a_broken_graph(built, drop_predicate, expected_word):
    from rdflib import Graph

    from graph.validate import load_shapes, validate_graph

    issue = iris.mint_part_iri(built.report, "issue", 0)
    g = Graph()
    for s, p, o in built.triples:
        if not (s == issue and p == drop_predicate):
            g.add((s, p, o))
    conforms, messages = validate_graph(g, load_shapes())
    assert not conforms and any(str(issue) in m for m in messages)
    if expected_word:
        assert any(expected_word in m for m in messages)


def test_long_and_short_law_titles_are_one_node_with_an_alt_label():
    facts = _facts("两种写法。")
    short = DocumentRef("安全生产法", "cites", None, "law", 3, 10, "doc.cite")
    long = DocumentRef("中华人民共和国安全生产法", "cites", None, "law", 60, 74, "doc.cite")
    facts.documents = [short, long]
    facts.measures = []
    built = build_report_graph(facts)
    node = iris.mint_document_iri("安全生产法")
    assert node == iris.mint_document_iri("中华人民共和国安全生产法")
    assert _has(built, node, RDFS.label, Literal("中华人民共和国安全生产法"))
    assert _has(built, node, SKOS.altLabel, Literal("安全生产法"))
    assert not _has(built, node, RDFS.label, Literal("安全生产法"))
