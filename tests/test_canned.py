"""Canned audit queries: the list is whole and checked at load, and every query's answer equals
the same answer computed independently in Python from the triples of each report graph.

Three stores: a small "designed" one built from hand-written facts so that every query has a
non-empty answer, the bundled samples (through the real ingest path), and the shared corpus.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from graph.guard import Limits
from graph.runner import QueryRunner
from graph.store import GraphWrite, open_store
from ontology.namespace import RG
from web.canned import CannedQueryError, canned_queries, load_canned

from tests.conftest import CORPUS
from tests.test_coverage import COVERAGE, NEEDS_REGISTRY

XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
XSD_GYEARMONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")
DOC_PREDICATES = (RG.issuesDocument, RG.revisesDocument, RG.draftsDocument, RG.citesDocument)


# -- the designed store --------------------------------------------------------------------
def _designed_reports():
    from ingest.build import build_report_graph
    from ingest.facts import (DocumentRef, Header, Issue, Measure, OrgRef, ReportFacts, Section, Source,
                              Stats)

    def report(n, agency, place, body, kind, dates, stats, issues, phones=(), emails=()):
        text = f"设计报告{n}" + "。" * 400
        src = Source(name=f"designed-{n}.txt", path=f"/designed/{n}.txt",
                     sha256=hashlib.sha256(text.encode()).hexdigest())
        start, end, feedback, published = dates
        header = Header(agency=agency, place=place, inspection_kind=kind, inspection_body=body,
                        inspection_body_canonical=place + body[1:], start_date=start, end_date=end,
                        feedback_date=feedback, published=published, phones=list(phones), emails=list(emails))
        facts = ReportFacts(text=text, source=src, header=header, stats=stats)
        facts.sections = [
            Section(level=1, ordinal=1, marker="一、", heading="整改落实情况", start=0, end=400, heading_start=2,
                    heading_end=8, parent=None, rule="designed", kind="issues"),
            Section(level=2, ordinal=1, marker="(一)", heading="关于党建工作方面", start=10, end=400,
                    heading_start=13, heading_end=20, parent=0, rule="designed", kind="aspect"),
        ]
        pos = 20
        for i, (title, status, long_term, measures) in enumerate(issues):
            facts.issues.append(Issue(ordinal=i + 1, title=title, start=pos, end=pos + 30, title_start=pos,
                                      title_end=pos + 5, rule="designed", section=1, aspect=1, status=status,
                                      long_term=long_term))
            for j, (label, docs, orgs) in enumerate(measures):
                refs = [DocumentRef(title=t, action=a, verb=v, doc_type="rule", start=pos + 6, end=pos + 9,
                                    rule="designed") for t, a, v in docs]
                owners = [OrgRef(kind=k, name=name, canonical=canonical, relation="responsible", start=pos + 10,
                                 end=pos + 12, rule="designed", title=title_,
                                 agency=agency if k in ("unit", "role") else None)
                          for k, name, canonical, title_ in orgs]
                facts.measures.append(Measure(ordinal=j + 1, label=label, text=label + "。", start=pos + 5,
                                              end=pos + 25, rule="designed", issue=i, section=1, aspect=1,
                                              documents=refs, orgs=owners))
                facts.documents.extend(refs)
            pos += 31
        return build_report_graph(facts)

    unit = ("unit", "局办公室", "甲市应急管理局办公室", None)
    secretary = ("role", "党委书记", "甲市应急管理局党委书记", "党委书记")
    return [
        report(1, "甲市应急管理局", "甲市", "市委第一巡察组", "巡察", ("2024-01-02", "2024-02-20", "2024-03-01", "2024-09-10"),
               Stats(issues_total=3, issues_completed=1, measures_total=4, funds_recovered_yuan=Decimal("305200")),
               [("内部监督管理宽松软", "已完成", False,
                 [("制定《甲市应急管理局请销假管理办法》", [("甲市应急管理局请销假管理办法", "issues", "制定")], [unit]),
                  ("学习《安全生产法》", [("安全生产法", "cites", "学习")], [secretary])]),
                ("固定资产管理不够规范", "正在推进", False,
                 [("加强固定资产管理", [], []), ("修订《资产管理规定》", [("资产管理规定", "revises", "修订")], [unit])])],
               phones=["0551-1234567"]),
        report(2, "乙市财政局", "乙市", "市委第二巡视组", "巡视", ("2024-03", "2024-05", "2024-06", "2024"),
               Stats(issues_total=2, measures_total=2, measures_completed=1, funds_recovered_yuan=Decimal("1000.50")),
               [("内部监督管理宽松软", None, False,
                 [("落实《甲市应急管理局请销假管理办法》", [("甲市应急管理局请销假管理办法", "cites", "落实")], []),
                  ("推进整改", [], [("role", "党委书记", "乙市财政局党委书记", "党委书记")])]),
                ("党建工作薄弱", "长期坚持", True, [])]),
        report(3, "甲市应急管理局", "甲市", "市委第三巡察组", "巡察", ("2025-01-02", "2025-02-20", "2025-03-05", "2025-08-01"),
               Stats(issues_total=1),
               [("内部监督管理宽松软", "已完成", False,
                 [("依据《中华人民共和国安全生产法》", [("中华人民共和国安全生产法", "cites", "依据")], [unit])])],
               emails=["office@example.cn"]),
    ]


@pytest.fixture(scope="session")
def designed_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("designed") / "store"
    with open_store(path) as store:
        store.write([GraphWrite(r.graph, r.triples) for r in _designed_reports()])
    return path


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus 不存在({CORPUS}),跳过需要真实报告的测试")
    from web.batch import collect_files, ingest_files

    path = tmp_path_factory.mktemp("corpus") / "store"
    with open_store(path) as store:
        summary = ingest_files(store, collect_files([CORPUS]))
    assert not summary.failed, [r.message for r in summary.failed]
    return path


_RUNNERS: dict[str, QueryRunner] = {}


@pytest.fixture(scope="session", params=["designed", "samples", "corpus"])
def audit(request):
    """(name, runner, per-report rdflib graphs) for one store."""
    fixture = {"designed": "designed_store", "samples": "store_path", "corpus": "corpus_store"}[request.param]
    path = request.getfixturevalue(fixture)
    with open_store(path, read_only=True) as store:
        graphs = [store.graph_of(name) for name in store.report_graphs()]
    runner = QueryRunner(path, Limits(timeout=60, row_limit=100000), size=1)
    request.addfinalizer(runner.close)
    return request.param, runner, graphs


# -- the same answers, computed in Python --------------------------------------------------
def _report(g: Graph) -> URIRef:
    return next(g.subjects(RDF.type, RG.Report))


def _agency_label(g: Graph, report) -> str | None:
    agency = g.value(report, RG.agency)
    label = g.value(agency, RDFS.label) if agency is not None else None
    return str(label) if label is not None else None


def _int(node) -> int | None:
    return None if node is None else int(node)


def _day(node) -> date | None:
    if node is None:
        return None
    text = str(node)
    if node.datatype == XSD_GYEAR:
        text += "-01-01"
    elif node.datatype == XSD_GYEARMONTH:
        text += "-01"
    return date.fromisoformat(text)


def exp_open_issues(graphs, params):
    out = set()
    for g in graphs:
        label = _agency_label(g, _report(g))
        for issue in g.subjects(RDF.type, RG.Issue):
            status = g.value(issue, RG.status)
            if label and status is not None and str(status) != "已完成" \
                    and (not params.get("agency") or params["agency"] in label):
                out.add((label, str(issue), str(status)))
    return out


def act_open_issues(rows):
    return {(r["agencyLabel"], r["issue"], r["status"]) for r in rows}


def exp_stated_totals_mismatch(graphs, params):
    out = set()
    for g in graphs:
        report = _report(g)
        listed_i = len(set(g.subjects(RDF.type, RG.Issue)))
        listed_m = len(set(g.subjects(RDF.type, RG.Measure)))
        si, sm = _int(g.value(report, RG.statedIssueCount)), _int(g.value(report, RG.statedMeasureCount))
        if (si is not None and si != listed_i) or (sm is not None and sm != listed_m):
            out.add((str(report), si, listed_i, sm, listed_m))
    return out


def act_stated_totals_mismatch(rows):
    def n(v):
        return int(v) if v != "" else None
    return {(r["report"], n(r["statedIssues"]), n(r["listedIssues"]), n(r["statedMeasures"]), n(r["listedMeasures"]))
            for r in rows}


def exp_rectification_documents(graphs, params):
    mentioned = defaultdict(set)
    issuing = defaultdict(set)
    for g in graphs:
        report = _report(g)
        label = _agency_label(g, report)
        for mention in g.subjects(RG.action, None):
            mentioned[g.value(mention, RG.mentions)].add(g.value(mention, RG.inReport))
        for measure, doc in g.subject_objects(RG.issuesDocument):
            if label and g.value(doc, RDFS.label) is not None:
                issuing[(label, doc)].add(report)
    return {(label, str(doc), len(reports), len(mentioned[doc] - reports)) for (label, doc), reports in issuing.items()}


def act_rectification_documents(rows):
    return {(r["agencyLabel"], r["document"], int(r["issuingReports"]), int(r["otherReports"])) for r in rows}


def exp_measures_without_owner(graphs, params):
    out = set()
    for g in graphs:
        measures = set(g.subjects(RDF.type, RG.Measure))
        vague = [m for m in measures
                 if not any(g.value(m, p) is not None for p in DOC_PREDICATES + (RG.responsibleUnit,))]
        if vague:
            out.add((str(_report(g)), len(vague), len(measures)))
    return out


def act_measures_without_owner(rows):
    return {(r["report"], int(r["withoutOwner"]), int(r["listedMeasures"])) for r in rows}


def exp_funds_recovered(graphs, params):
    out = defaultdict(lambda: [0, Decimal(0)])
    for g in graphs:
        report = _report(g)
        label, yuan = _agency_label(g, report), g.value(report, RG.statedFundsRecoveredYuan)
        issued = g.value(report, DCTERMS.issued)
        if params.get("from") and (issued is None or str(issued) < params["from"]):
            continue
        if label and yuan is not None:
            out[label][0] += 1
            out[label][1] += Decimal(str(yuan))
    return {(k, n, total) for k, (n, total) in out.items()}


def act_funds_recovered(rows):
    return {(r["agencyLabel"], int(r["reports"]), Decimal(r["totalYuan"])) for r in rows}


def exp_rectification_timeline(graphs, params):
    out = set()
    for g in graphs:
        report = _report(g)
        inspection, label = g.value(report, RG.reportsOn), _agency_label(g, report)
        if inspection is None or not label:
            continue
        end, feedback = _day(g.value(inspection, RG.endDate)), _day(g.value(inspection, RG.feedbackDate))
        issued = _day(g.value(report, DCTERMS.issued))
        out.add((str(report), (feedback - end).days if end and feedback else None,
                 (issued - feedback).days if issued and feedback else None))
    return out


def act_rectification_timeline(rows):
    return {(r["report"], int(r["daysToFeedback"]) if r["daysToFeedback"] else None,
             int(r["daysToReport"]) if r["daysToReport"] else None) for r in rows}


def exp_recurring_issues(graphs, params):
    agencies, inspections = defaultdict(set), defaultdict(set)
    for g in graphs:
        report = _report(g)
        agency = g.value(report, RG.agency)
        if agency is None or g.value(agency, RDFS.label) is None:
            continue
        for issue in g.subjects(RDF.type, RG.Issue):
            label = str(g.value(issue, RDFS.label))
            agencies[label].add(agency)
            if (raised := g.value(issue, RG.raisedIn)) is not None:
                inspections[label].add(raised)
    least = int(params.get("min_agencies", 2))
    return {(k, len(v), len(inspections[k])) for k, v in agencies.items() if len(v) >= least or len(inspections[k]) >= 2}


def act_recurring_issues(rows):
    return {(r["issueLabel"], int(r["agencies"]), int(r["inspections"])) for r in rows}


def exp_busiest_owners(graphs, params):
    measures = defaultdict(set)
    for g in graphs:
        for predicate, kind in ((RG.responsibleRole, "职务"), (RG.responsibleUnit, "单位")):
            for measure, owner in g.subject_objects(predicate):
                if (measure, RDF.type, RG.Measure) in g and g.value(owner, RDFS.label) is not None:
                    measures[(str(owner), kind)].add(measure)
    return {k: len(v) for k, v in measures.items()}


def act_busiest_owners(rows):
    return {(r["owner"], r["kind"]): int(r["measures"]) for r in rows}


def exp_reports_without_contact(graphs, params):
    return {str(_report(g)) for g in graphs
            if g.value(_report(g), RG.contactPhone) is None and g.value(_report(g), RG.contactEmail) is None}


def act_reports_without_contact(rows):
    return {r["report"] for r in rows}


def exp_agency_summary(graphs, params):
    out = defaultdict(lambda: [set(), 0, 0, Decimal(0)])
    for g in graphs:
        report = _report(g)
        agency = g.value(report, RG.agency)
        if agency is None or g.value(agency, RDFS.label) is None:
            continue
        row = out[str(agency)]
        row[0].add(report)
        row[1] += len(set(g.subjects(RDF.type, RG.Issue)))
        row[2] += len(set(g.subjects(RDF.type, RG.Measure)))
        row[3] += Decimal(str(g.value(report, RG.statedFundsRecoveredYuan) or 0))
    return {(k, len(r), i, m, f) for k, (r, i, m, f) in out.items()}


def act_agency_summary(rows):
    return {(r["agency"], int(r["reports"]), int(r["listedIssues"]), int(r["listedMeasures"]), Decimal(r["fundsYuan"]))
            for r in rows}


def exp_documents_revised(graphs, params):
    out = set()
    for g in graphs:
        report = _report(g)
        if not _agency_label(g, report):
            continue
        for measure, doc in g.subject_objects(RG.revisesDocument):
            if g.value(doc, RDFS.label) is not None:
                out.add((str(report), str(doc), str(g.value(measure, RDFS.label))))
    return out


def act_documents_revised(rows):
    return {(r["report"], r["document"], r["measureLabel"]) for r in rows}


def exp_inspection_bodies(graphs, params):
    out = defaultdict(lambda: (set(), set()))
    for g in graphs:
        report = _report(g)
        inspection = g.value(report, RG.reportsOn)
        if inspection is None:
            continue
        body, kind = g.value(inspection, RG.conductedBy), g.value(inspection, RG.inspectionKind)
        agency = g.value(inspection, RG.inspectedAgency)
        if body is None or kind is None or g.value(body, RDFS.label) is None or g.value(agency, RDFS.label) is None:
            continue
        out[(str(body), str(kind))][0].add(inspection)
        out[(str(body), str(kind))][1].add(report)
    return {(b, k, len(i), len(r)) for (b, k), (i, r) in out.items()}


def act_inspection_bodies(rows):
    return {(r["body"], r["kind"], int(r["inspections"]), int(r["reports"])) for r in rows}


def exp_long_term_items(graphs, params):
    return {str(issue) for g in graphs for issue in g.subjects(RDF.type, RG.Issue)
            if (g.value(issue, RG.longTerm) is not None and g.value(issue, RG.longTerm).toPython() is True)
            or "长期" in str(g.value(issue, RG.status) or "")}


def act_long_term_items(rows):
    return {r["issue"] for r in rows}


def exp_document_citations(graphs, params):
    reports = defaultdict(set)
    for g in graphs:
        for mention in g.subjects(RG.action, None):
            doc = g.value(mention, RG.mentions)
            if g.value(doc, RDFS.label) is not None:
                reports[str(doc)].add(g.value(mention, RG.inReport))
    return {k: len(v) for k, v in reports.items()}


def act_document_citations(rows):
    return {r["document"]: int(r["reports"]) for r in rows}


def _theme(graphs) -> str:
    """A two-character word that occurs in issue titles (the most frequent one)."""
    counts = Counter(str(label)[i:i + 2] for g in graphs for issue in g.subjects(RDF.type, RG.Issue)
                     for label in [g.value(issue, RDFS.label)] for i in range(len(str(label)) - 1)
                     if re.fullmatch(r"[\u4e00-\u9fff]{2}", str(label)[i:i + 2]))
    return counts.most_common(1)[0][0] if counts else "问题"


def exp_issues_by_theme(graphs, params):
    out = set()
    for g in graphs:
        for issue in g.subjects(RDF.type, RG.Issue):
            aspect = g.value(issue, RG.aspect)
            heading = str(g.value(aspect, RG.heading) or "") if aspect is not None else ""
            if params["theme"] in str(g.value(issue, RDFS.label)) or params["theme"] in heading:
                out.add(str(issue))
    return out


def act_issues_by_theme(rows):
    return {r["issue"] for r in rows}


def exp_stated_completion(graphs, params):
    out = set()
    for g in graphs:
        report = _report(g)
        si, ic = _int(g.value(report, RG.statedIssueCount)), _int(g.value(report, RG.statedIssuesCompleted))
        sm, mc = _int(g.value(report, RG.statedMeasureCount)), _int(g.value(report, RG.statedMeasuresCompleted))
        if (si is not None and ic is not None and ic < si) or (sm is not None and mc is not None and mc < sm):
            out.add(str(report))
    return out


def act_stated_completion(rows):
    return {r["report"] for r in rows}


TOP_N = {"busiest-owners": 100, "document-citations": 100}  # queries that keep only the first N by count


def _fn(prefix: str, name: str):
    if name in COVERAGE:  # the coverage audits live with the registries in tests/test_coverage.py
        return COVERAGE[name][0 if prefix == "exp" else 1]
    return globals()[f"{prefix}_{name.replace('-', '_')}"]


def _params(name: str, graphs) -> dict[str, str]:
    if name == "issues-by-theme":
        return {"theme": _theme(graphs)}
    return COVERAGE[name][2](graphs) if name in COVERAGE else {}


# -- the list itself ------------------------------------------------------------------------
def test_every_canned_query_is_documented_and_tested():
    queries = canned_queries()
    assert len(queries) >= 12
    for q in queries.values():
        assert re.search(r"[\u4e00-\u9fff]", q.title) and re.search(r"[\u4e00-\u9fff]", q.description), q.name
        for p in q.params:
            assert p.label and p.description, (q.name, p.name)
        assert callable(_fn("exp", q.name)) and callable(_fn("act", q.name)), f"{q.name} 没有测试"


def test_readme_documents_every_canned_query_with_its_sparql():
    """The README's audit section is exactly what `python -m web.auditdoc` renders from the list."""
    from web.auditdoc import END, README, START, render_block

    readme = README.read_text(encoding="utf-8")
    block = readme[readme.index(START):readme.index(END) + len(END)]
    assert block == render_block(), "README 的审计查询一节已过时:运行 python -m web.auditdoc"
    for q in canned_queries().values():
        assert f"(`{q.name}`)" in block and q.title in block and q.sparql.strip() in block


def test_broken_list_fails_once_naming_every_entry(tmp_path):
    (tmp_path / "index.toml").write_text("""
[params.agency]
var = "agencyName"
type = "colour"
label = "单位"
description = "x"

[params.year]
var = "year"
type = "integer"
label = "年份"
description = "y"
default = "soon"

[[query]]
name = "no-title"
description = "说明"
params = ["year"]

[[query]]
name = "bad-syntax"
title = "标题"
description = "说明"

[[query]]
name = "missing-file"
title = "标题"
description = "说明"

[[query]]
name = "an-update"
title = "标题"
description = "说明"
params = ["nowhere"]
""", encoding="utf-8")
    (tmp_path / "no-title.rq").write_text("SELECT ?s WHERE { ?s ?p ?o }", encoding="utf-8")
    (tmp_path / "bad-syntax.rq").write_text("SELECT ?s WHERE { ?s ?p }", encoding="utf-8")
    (tmp_path / "an-update.rq").write_text("DELETE WHERE { ?s ?p ?o }", encoding="utf-8")
    (tmp_path / "stray.rq").write_text("ASK {}", encoding="utf-8")
    with pytest.raises(CannedQueryError) as info:
        load_canned(tmp_path)
    message = str(info.value)
    for expected in ["[params.agency]", "colour", "[params.year]", "默认值无效", "no-title", "缺少 title",
                     "?year", "bad-syntax", "语法错误", "missing-file", "找不到查询文件", "an-update", "nowhere",
                     "DELETE", "stray.rq"]:
        assert expected in message, expected


def test_parameter_values_are_typed():
    q = canned_queries()["funds-recovered"]
    assert str(q.bindings({"from": "2024-01-01"})["fromDate"]) == '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    from ontology.errors import QueryError

    with pytest.raises(QueryError, match="from"):
        q.bindings({"from": "2024-1-1'} DROP ALL"})
    with pytest.raises(QueryError, match="没有参数"):
        q.bindings({"colour": "red"})
    assert canned_queries()["recurring-issues"].bindings({})["minAgencies"].value == "2"


# -- every query against its Python twin ----------------------------------------------------
@pytest.mark.parametrize("name", list(canned_queries()))
def test_canned_query_matches_python(audit, name):
    store_name, runner, graphs = audit
    query = canned_queries()[name]
    params = _params(name, graphs)
    expected = _fn("exp", name)(graphs, params)
    result = runner.run(query.sparql, query.bindings(params))
    assert not result.truncated
    actual = _fn("act", name)(result.records())
    if store_name == "designed" and name not in NEEDS_REGISTRY:  # those need registries: tests/test_coverage.py
        assert expected, f"{name}: the designed store must give a non-empty answer"
    if name in TOP_N:
        assert all(expected[key] == count for key, count in actual.items()), name
        assert sorted(actual.values(), reverse=True) == sorted(expected.values(), reverse=True)[:TOP_N[name]]
        assert len(actual) == len(set(actual))
    else:
        assert actual == expected
        assert len(result.rows) == len(expected), f"{name}: duplicate rows"


def _agency_word(graphs) -> str:
    labels = sorted({_agency_label(g, _report(g)) for g in graphs} - {None})
    if not labels:
        pytest.skip("no agencies in this store")
    return labels[0][-4:]


def test_agency_parameter_narrows_the_answer(audit):
    _, runner, graphs = audit
    word = _agency_word(graphs)
    for name in ("open-issues", "funds-recovered"):
        query = canned_queries()[name]
        expected = _fn("exp", name)(graphs, {"agency": word})
        if name == "funds-recovered":
            expected = {row for row in expected if word in row[0]}
        actual = _fn("act", name)(runner.run(query.sparql, query.bindings({"agency": word})).records())
        assert actual == expected
    summary = canned_queries()["agency-summary"]
    rows = runner.run(summary.sparql, summary.bindings({"agency": word})).records()
    assert rows and all(word in r["agencyLabel"] for r in rows)
    nobody = runner.run(summary.sparql, summary.bindings({"agency": "不存在的单位名称"})).records()
    assert nobody == []


def test_date_and_integer_parameters(audit):
    store_name, runner, graphs = audit
    funds = canned_queries()["funds-recovered"]
    for start in ("2024-06-01", "2025-01-01"):
        actual = act_funds_recovered(runner.run(funds.sparql, funds.bindings({"from": start})).records())
        assert actual == exp_funds_recovered(graphs, {"from": start})
    recurring = canned_queries()["recurring-issues"]
    every = act_recurring_issues(runner.run(recurring.sparql, recurring.bindings({"min_agencies": "1"})).records())
    assert every == exp_recurring_issues(graphs, {"min_agencies": 1})
    if store_name == "designed":
        assert every != exp_recurring_issues(graphs, {}), "min_agencies=1 must list more than the default"


# -- the pages ------------------------------------------------------------------------------
def test_queries_pages(client):
    listing = client.get("/queries")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    for q in canned_queries().values():
        assert q.title in page and f"/queries/{q.name}" in page
    data = client.get("/queries.json").get_json()
    assert [q["name"] for q in data["queries"]] == list(canned_queries())


@pytest.mark.parametrize("name", list(canned_queries()))
def test_each_canned_query_page_runs(client, name):
    params = {"theme": "问题"} if name == "issues-by-theme" else {"region": "澄州市"} if name == "agencies-without-report" else {}
    html = client.get(f"/queries/{name}", query_string=params)
    assert html.status_code == 200
    assert canned_queries()[name].title in html.get_data(as_text=True)
    as_json = client.get(f"/queries/{name}.json", query_string=params)
    assert as_json.status_code == 200
    body = as_json.get_json()
    assert body["query"] == name and body["truncated"] is False
    as_csv = client.get(f"/queries/{name}", query_string=params, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    lines = as_csv.get_data(as_text=True).splitlines()
    assert lines[0].split(",") == body["columns"]
    assert len(body["rows"]) == len(lines) - 1 or any("\n" in v for r in body["rows"] for v in r.values())


def test_canned_page_errors(client):
    assert client.get("/queries/no-such-query").status_code == 404
    missing = client.get("/queries/issues-by-theme.json")
    assert missing.status_code == 400 and "theme" in missing.get_json()["error"]
    form = client.get("/queries/issues-by-theme")
    assert form.status_code == 200 and "name=\"theme\"" in form.get_data(as_text=True)
    bad = client.get("/queries/funds-recovered", query_string={"from": "yesterday"})
    assert bad.status_code == 400 and "from" in bad.get_data(as_text=True)
    raw = client.get("/queries/open-issues.rq")
    assert raw.get_data(as_text=True) == canned_queries()["open-issues"].sparql
