"""Coverage audits: what the reports should contain but do not, checked against the registries.

Each canned coverage query runs on the sample reports plus the sample registries (imported the
way `rectigraph import` and `rectigraph demo` do), and its answer is compared with the same
answer computed here in Python from the CSV rows and the facts of each report graph.
"""
from __future__ import annotations

import calendar
import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from graph.guard import Limits
from graph.runner import QueryRunner
from graph.store import open_store
from ingest import iris
from ontology.namespace import RG
from web.canned import canned_queries

from tests.conftest import ROOT

REGISTRY = ROOT / "web" / "samples" / "registry"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
CITING = {RG.citesDocument: "cites", RG.issuesDocument: "issues", RG.revisesDocument: "revises"}
SPLIT = re.compile(r"[；;、,，\n]")


# -- the registries as the auditor wrote them ------------------------------------------------
def read_registry(folder: Path = REGISTRY) -> dict[str, list[dict[str, str]]]:
    """kind -> rows of the sample CSV files, read with the csv module (not the importer)."""
    out = {}
    for kind in ("agencies", "rounds", "documents"):
        with open(folder / f"{kind}.csv", encoding="utf-8-sig", newline="") as f:
            out[kind] = [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]
    return out


NO_REGISTRY: dict[str, list[dict[str, str]]] = {"agencies": [], "rounds": [], "documents": []}


def _units(row: dict[str, str]) -> list[str]:
    return [u.strip() for u in SPLIT.split(row["被巡视巡察单位"]) if u.strip()]


def _registry_agency_names(registry) -> set[str]:
    """Every agency the registries name: agencies and their parents, inspected units, issuers."""
    names = {r["名称"] for r in registry["agencies"]} | {r["上级单位"] for r in registry["agencies"] if r.get("上级单位")}
    names |= {u for r in registry["rounds"] for u in _units(r)}
    names |= {r["发文机关"] for r in registry["documents"] if r.get("发文机关")}
    return names


# -- the store -----------------------------------------------------------------------------------
def _report_graphs(path: Path) -> list[Graph]:
    with open_store(path, read_only=True) as store:
        return [store.graph_of(name) for name in store.report_graphs()]


@pytest.fixture(scope="session")
def coverage(coverage_store):
    runner = QueryRunner(coverage_store, Limits(timeout=60, row_limit=100000), size=1)
    yield runner, _report_graphs(coverage_store), read_registry()
    runner.close()


def run(runner, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    query = canned_queries()[name]
    result = runner.run(query.sparql, query.bindings(params or {}))
    assert not result.truncated
    return result.records()


# -- the answers computed in Python -------------------------------------------------------------
def _report(g: Graph) -> URIRef:
    return next(g.subjects(RDF.type, RG.Report))


def _label(g: Graph, node) -> str | None:
    value = g.value(node, RDFS.label) if node is not None else None
    return None if value is None else str(value)


def _earliest(node) -> date:
    """A date, or the first day of a month or year."""
    text = str(node)
    return date.fromisoformat(text if len(text) == 10 else text + ("-01" if len(text) == 7 else "-01-01"))


def _latest(text: str) -> date:
    """A date, or the last day of a month or year."""
    if len(text) == 10:
        return date.fromisoformat(text)
    year, month = int(text[:4]), int(text[5:7]) if len(text) == 7 else 12
    return date(year, month, calendar.monthrange(year, month)[1])


def _answered(graphs, body: str, agency: str, start: str | None) -> bool:
    """Some report answers an inspection by this body of this agency begun in the same year."""
    for g in graphs:
        for _, insp in g.subject_objects(RG.reportsOn):
            other = g.value(insp, RG.startDate)
            if (_label(g, g.value(insp, RG.conductedBy)) == body and _label(g, g.value(insp, RG.inspectedAgency)) == agency
                    and (not start or other is None or str(other)[:4] == start[:4])):
                return True
    return False


def exp_inspections_without_report(graphs, params, registry=NO_REGISTRY):
    out = set()
    for row in registry["rounds"]:
        for unit in _units(row):
            start = row.get("进驻开始") or None
            if params.get("round") and params["round"] not in row.get("轮次", ""):
                continue
            if params.get("agency") and params["agency"] not in unit:
                continue
            if not _answered(graphs, row["巡察组"], unit, start):
                out.add((unit, row["巡察组"], start or ""))
    return out  # every inspection a report graph names is answered by that report


def act_inspections_without_report(rows):
    return {(r["agencyLabel"], r["bodyLabel"], r["startDate"]) for r in rows}


def exp_late_reports(graphs, params, registry=NO_REGISTRY):
    limit = int(params.get("days", 60))
    registry_feedback: dict[URIRef, set[str]] = {}
    for row in registry["rounds"]:
        for unit in _units(row):
            if row.get("反馈日期"):
                insp = iris.mint_inspection_iri(row["巡察组"], unit, row.get("进驻开始") or None)
                registry_feedback.setdefault(insp, set()).add(row["反馈日期"])
    out = set()
    for g in graphs:
        report = _report(g)
        insp, issued = g.value(report, RG.reportsOn), g.value(report, DCTERMS.issued)
        if insp is None or issued is None:
            continue
        label = _label(g, g.value(report, RG.agency))
        if params.get("agency") and (label is None or params["agency"] not in label):
            continue
        feedbacks = {str(f) for f in g.objects(insp, RG.feedbackDate)} | registry_feedback.get(insp, set())
        for feedback in feedbacks:
            days = (_earliest(issued) - _latest(feedback)).days
            if days > limit:
                out.add((str(report), feedback, days))
    return out


def act_late_reports(rows):
    return {(r["report"], r["feedbackDate"], int(r["days"])) for r in rows}


def exp_agencies_without_report(graphs, params, registry=NO_REGISTRY):
    region, year = params["region"], params.get("year")
    registered = {str(iris.mint_agency_iri(r["名称"])) for r in registry["agencies"] if r.get("地区") == region}
    named = {str(iris.mint_agency_iri(n)) for n in _registry_agency_names(registry) if n.startswith(region)}
    for g in graphs:
        named |= {str(a) for a in g.subjects(RDF.type, RG.Agency) if (_label(g, a) or "").startswith(region)}
    reported = set()
    for g in graphs:
        report = _report(g)
        agency, issued = g.value(report, RG.agency), g.value(report, DCTERMS.issued)
        if agency is not None and issued is not None and (not year or str(issued)[:4] == str(year)):
            reported.add(str(agency))
    return {(a, a in registered) for a in (registered | named) - reported}


def act_agencies_without_report(rows):
    return {(r["agency"], r["inRegistry"] == "是") for r in rows}


def exp_documents_not_in_catalogue(graphs, params, registry=NO_REGISTRY):
    if not registry["documents"]:
        return set()
    catalogue = {iris.mint_document_iri(r["标题"]) for r in registry["documents"]}
    reports: dict[URIRef, int] = {}
    for g in graphs:
        for doc in set(g.subjects(RDF.type, RG.Document)):
            kind = g.value(doc, RG.documentType)
            label = _label(g, doc)
            if kind is None or str(kind) not in ("rule", "law") or label is None or doc in catalogue:
                continue
            if params.get("document") and params["document"] not in label:
                continue
            reports[doc] = reports.get(doc, 0) + 1
    return {(str(d), n) for d, n in reports.items()}


def act_documents_not_in_catalogue(rows):
    return {(r["document"], int(r["reports"])) for r in rows}


def exp_repealed_documents_cited(graphs, params, registry=NO_REGISTRY):
    repealed = {iris.mint_document_iri(r["标题"]) for r in registry["documents"] if r.get("状态") in ("废止", "失效")}
    out = set()
    for g in graphs:
        report = _report(g)
        label = _label(g, g.value(report, RG.agency))
        if params.get("agency") and (label is None or params["agency"] not in label):
            continue
        for predicate, relation in CITING.items():
            for holder, doc in g.subject_objects(predicate):
                text = str(g.value(holder, RG.text) or g.value(holder, RDFS.label) or "")
                if doc in repealed and not re.search("废止|失效", text):
                    out.add((str(doc), str(report), str(holder), relation))
    return out


def act_repealed_documents_cited(rows):
    return {(r["document"], r["report"], r["holder"], r["relation"]) for r in rows}


def _region(graphs) -> str:
    """A place that starts agency names in these reports (甲市, 芜湖市 …)."""
    for g in graphs:
        label = _label(g, g.value(_report(g), RG.agency)) or ""
        m = re.match(r"^.+?[省市县区]", label)
        if m:
            return m.group()
    return "澄州市"


# name -> (expected in Python, actual from rows, parameters for a store without registries)
COVERAGE = {
    "inspections-without-report": (exp_inspections_without_report, act_inspections_without_report, lambda gs: {}),
    "late-reports": (exp_late_reports, act_late_reports, lambda gs: {}),
    "agencies-without-report": (exp_agencies_without_report, act_agencies_without_report,
                                lambda gs: {"region": _region(gs), "year": "2000"}),
    "documents-not-in-catalogue": (exp_documents_not_in_catalogue, act_documents_not_in_catalogue, lambda gs: {}),
    "repealed-documents-cited": (exp_repealed_documents_cited, act_repealed_documents_cited, lambda gs: {}),
}
NEEDS_REGISTRY = {"inspections-without-report", "documents-not-in-catalogue", "repealed-documents-cited"}


# -- the tests -------------------------------------------------------------------------------------
CASES = [
    ("inspections-without-report", {}),
    ("inspections-without-report", {"round": "第六轮"}),
    ("inspections-without-report", {"round": "第七轮"}),
    ("inspections-without-report", {"agency": "交通"}),
    ("late-reports", {}),
    ("late-reports", {"days": "150"}),
    ("late-reports", {"days": "1000"}),
    ("late-reports", {"agency": "桐岚县"}),
    ("agencies-without-report", {"region": "澄州市"}),
    ("agencies-without-report", {"region": "澄州市", "year": "2024"}),
    ("agencies-without-report", {"region": "澄州市", "year": "2025"}),
    ("agencies-without-report", {"region": "桐岚县", "year": "2021"}),
    ("documents-not-in-catalogue", {}),
    ("documents-not-in-catalogue", {"document": "管理办法"}),
    ("repealed-documents-cited", {}),
    ("repealed-documents-cited", {"agency": "司法局"}),
]


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'default'}" for n, p in CASES])
def test_coverage_query_matches_python(coverage, name, params):
    runner, graphs, registry = coverage
    exp, act, _ = COVERAGE[name]
    rows = run(runner, name, params)
    expected = exp(graphs, params, registry)
    assert act(rows) == expected
    assert len(rows) == len(expected), f"{name}: duplicate rows"


def test_the_samples_are_built_to_be_found(coverage):
    """澄州市水利局 was inspected in a round but never reported; the reports came late; a repealed rule is cited."""
    runner, graphs, registry = coverage
    missing = run(runner, "inspections-without-report")
    assert [(r["agencyLabel"], r["round"]) for r in missing] == [("澄州市水利局", "九届市委第六轮巡察")]
    assert "registry/rounds" in missing[0]["source"]
    late = run(runner, "late-reports")
    assert late and all(int(r["days"]) > 60 for r in late)
    assert int(late[0]["days"]) >= int(late[-1]["days"])
    quiet = {r["agencyLabel"]: r["inRegistry"] for r in run(runner, "agencies-without-report", {"region": "澄州市", "year": "2025"})}
    assert quiet["澄州市水利局"] == "是" and "澄州市住房和城乡建设局" not in quiet
    cited = run(runner, "repealed-documents-cited")
    assert {r["documentLabel"] for r in cited} == {"澄州市行政执法案卷评查办法"}
    absent = {r["documentLabel"] for r in run(runner, "documents-not-in-catalogue")}
    assert absent and not absent & {r["标题"] for r in registry["documents"]}
    assert "安全生产法" not in "".join(absent)   # 《安全生产法》 and the catalogue's full title are one document


def test_required_region_and_typed_days(coverage):
    from ontology.errors import QueryError

    with pytest.raises(QueryError, match="region"):
        canned_queries()["agencies-without-report"].bindings({})
    with pytest.raises(QueryError, match="days"):
        canned_queries()["late-reports"].bindings({"days": "60 } DROP ALL"})
    assert canned_queries()["late-reports"].bindings({})["maxDays"].value == "60"


def test_inspection_matching_across_start_dates(runner, cli, coverage_store, tmp_path):
    """A registry round whose start date differs from the report's by days is answered; one in another year is not."""
    store = tmp_path / "store"
    shutil.copytree(coverage_store, store)
    extra = tmp_path / "rounds-extra.csv"
    extra.write_text("轮次,巡察组,被巡视巡察单位,进驻开始,反馈日期\n"
                     "补录,澄州市委第五巡察组,澄州市交通运输局,2024-09-05,2024-12-05\n"
                     "八届市委第二轮巡察,澄州市委第五巡察组,澄州市交通运输局,2022-03-01,2022-05-10\n"
                     "补录二,澄州市委第五巡察组,澄州市统计局,2024年9月,2024年12月\n", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(store), "import", str(extra)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with QueryRunner(store, Limits(timeout=60), size=1) as query_runner:
        rows = run(query_runner, "inspections-without-report")
        late = run(query_runner, "late-reports", {"days": "0"})
    found = {(r["agencyLabel"], r["startDate"]) for r in rows}
    assert found == {("澄州市水利局", "2024-04-08"), ("澄州市交通运输局", "2022-03-01"), ("澄州市统计局", "2024-09")}
    registry = read_registry()
    registry["rounds"] += [{"轮次": "补录", "巡察组": "澄州市委第五巡察组", "被巡视巡察单位": "澄州市交通运输局",
                            "进驻开始": "2024-09-05", "反馈日期": "2024-12-05"}]
    assert act_late_reports(late) == exp_late_reports(_report_graphs(store), {"days": "0"}, registry)


def test_demo_imports_the_sample_registries(monkeypatch, runner, cli, tmp_path):
    """`rectigraph demo` builds its store from the sample reports and registries (the server is stubbed)."""
    import web.cli

    seen = {}

    def fake_serve(location, host, port, threads):
        with open_store(location, read_only=True) as store:
            from graph.imports import list_graphs

            seen["kinds"] = sorted({g.kind for g in list_graphs(store)})

    monkeypatch.setattr(web.cli, "_serve", fake_serve)
    result = runner.invoke(cli, ["demo", "--store-dir", str(tmp_path / "demo")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen["kinds"] == ["registry-agencies", "registry-documents", "registry-rounds", "report"]
    assert "3 张示例登记表" in result.output
