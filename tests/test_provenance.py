"""Imported graphs in the explorer and the endpoint: every fact names its graph, /graphs lists them,
and /sparql's default-graph-uri and named-graph-uri choose among them as the SPARQL 1.1 Protocol says."""
from __future__ import annotations

import pytest

from ingest import iris
from tests.test_coverage import read_registry

JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def reg_app(coverage_store):
    from web.app import create_app

    yield create_app({"STORE": str(coverage_store), "TESTING": True})


@pytest.fixture()
def reg_client(reg_app):
    return reg_app.test_client()


@pytest.fixture(scope="module")
def graph_kinds(coverage_store) -> dict[str, str]:
    from graph.imports import list_graphs
    from graph.store import open_store

    with open_store(coverage_store, read_only=True) as store:
        return {g.graph: g.kind for g in list_graphs(store)}


def _graph_of(kinds: dict[str, str], kind: str) -> str:
    return next(g for g, k in kinds.items() if k == kind)


# -- the explorer ------------------------------------------------------------------------------
def test_registry_only_agency_has_a_page_with_registry_provenance(reg_client, graph_kinds):
    iri = str(iris.mint_agency_iri("澄州市水利局"))
    page = reg_client.get("/entity", query_string={"iri": iri})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "澄州市水利局" in html and "登记表·单位名录" in html and "登记表·巡视巡察轮次" in html
    agencies = _graph_of(graph_kinds, "registry-agencies")
    assert f'/graph?iri={agencies}' in html
    data = reg_client.get("/entity.json", query_string={"iri": iri}).get_json()
    assert {g["family"] for g in data["graphs"]} == {"registry"}
    label = next(p for p in data["properties"] if p["value"] == "澄州市水利局")
    assert agencies in {g["iri"] for g in label["graphs"]["graphs"]}
    region = next(p for p in data["properties"] if p["value"] == "澄州市")
    assert [g["kind"] for g in region["graphs"]["graphs"]] == ["registry-agencies"]
    inspected = next(grp for grp in data["relations"] if grp["predicate"].endswith("#inspectedAgency"))
    assert [g["kind"] for n in inspected["items"] for g in n["graphs"]["graphs"]] == ["registry-rounds"]


def test_report_agency_shows_its_report_graph_and_the_registry(reg_client, graph_kinds):
    iri = str(iris.mint_agency_iri("澄州市交通运输局"))
    data = reg_client.get("/entity.json", query_string={"iri": iri}).get_json()
    kinds = {g["kind"] for g in data["graphs"]}
    assert {"report", "registry-agencies"} <= kinds
    label = next(p for p in data["properties"] if p["value"] == "澄州市交通运输局")
    families = {g["family"] for g in label["graphs"]["graphs"]}
    assert {"report", "registry"} <= families and label["graphs"]["total"] == len(label["graphs"]["graphs"])
    report_graph = next(g for g in label["graphs"]["graphs"] if g["family"] == "report")
    assert report_graph["report"] and report_graph["source"].startswith("04_")
    html = reg_client.get("/entity", query_string={"iri": iri}).get_data(as_text=True)
    rid = report_graph["report"].rsplit("/", 1)[-1]
    assert f'href="/report/{rid}"' in html and "登记表·单位名录" in html


def test_fact_graphs_are_capped_with_a_count(reg_app, coverage_store):
    from graph.entities import GRAPH_CAP, describe
    from graph.store import open_store

    with open_store(coverage_store, read_only=True) as store:
        # 《江澜省党政机关公务用车管理实施办法》: named by three reports and the catalogue
        entity = describe(store, str(iris.mint_document_iri("江澜省党政机关公务用车管理实施办法")), cap=2)
    label = next(p for p in entity.properties if p.predicate.endswith("#label"))
    assert label.graphs.total >= 4 and label.graphs.graphs[0].family == "registry"
    assert len(label.graphs.graphs) == min(GRAPH_CAP, label.graphs.total)
    assert all(len(g.items) <= 2 for g in entity.relations)


def test_graphs_page_lists_every_graph_with_its_kind(reg_client, graph_kinds):
    data = reg_client.get("/graphs.json").get_json()
    assert data["total"] == len(graph_kinds)
    assert {g["iri"]: g["kind"] for g in data["graphs"]} == graph_kinds
    assert [g["family"] for g in data["graphs"]][:3] == ["registry"] * 3     # registries first
    html = reg_client.get("/graphs").get_data(as_text=True)
    for iri in graph_kinds:
        assert iri in html
    for label in ("报告", "登记表·单位名录", "登记表·巡视巡察轮次", "登记表·制度文件目录"):
        assert label in html


def test_graph_page_shows_kind_source_and_size(reg_client, graph_kinds):
    rows = read_registry()
    iri = _graph_of(graph_kinds, "registry-documents")
    data = reg_client.get("/graph.json", query_string={"iri": iri}).get_json()
    assert data["kind"] == "registry-documents" and data["source"] == "documents.csv"
    assert data["triples"] > 0
    docs = next(c["count"] for c in data["classes"] if c["class"].endswith("#Document"))
    assert docs == len(rows["documents"])
    html = reg_client.get("/graph", query_string={"iri": iri}).get_data(as_text=True)
    assert "documents.csv" in html and str(data["triples"]) in html and "江澜省党政机关公务用车管理实施办法" in html
    report = _graph_of(graph_kinds, "report")
    assert reg_client.get("/graph.json", query_string={"iri": report}).get_json()["report"]
    assert reg_client.get("/graph", query_string={"iri": "https://example.org/none"}).status_code == 404
    assert reg_client.get("/graph", query_string={"iri": "not an iri"}).status_code == 400


def test_graph_labels_are_escaped(reg_client):
    html = reg_client.get("/graphs").get_data(as_text=True)
    assert "<script>alert" not in html


# -- the endpoint -----------------------------------------------------------------------------
def _select(client, query: str, default=(), named=()) -> list[dict[str, str]]:
    params = [("query", query)] + [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
    response = client.get("/sparql", query_string=params, headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def test_sparql_sees_every_graph_by_default(reg_client, graph_kinds):
    rows = _select(reg_client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {r["g"] for r in rows} == set(graph_kinds)
    agencies = {r["s"] for r in _select(reg_client, "SELECT DISTINCT ?s WHERE { ?s rg:region ?r }")}
    assert len(agencies) == len(read_registry()["agencies"])


def test_default_graph_uri_is_the_default_graph(reg_client, graph_kinds):
    registry = _graph_of(graph_kinds, "registry-agencies")
    rows = _select(reg_client, "SELECT DISTINCT ?s WHERE { ?s a rg:Agency }", default=[registry])
    names = {r["名称"] for r in read_registry()["agencies"]} | {r["上级单位"] for r in read_registry()["agencies"]}
    assert {r["s"] for r in rows} == {str(iris.mint_agency_iri(n)) for n in names}
    assert _select(reg_client, "SELECT ?r WHERE { ?r a rg:Report }", default=[registry]) == []
    # no named-graph-uri: the dataset has no named graphs
    assert _select(reg_client, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", default=[registry]) == []
    # two default graphs are merged
    rounds = _graph_of(graph_kinds, "registry-rounds")
    merged = _select(reg_client, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { { ?x rg:region ?r } UNION { ?x rg:conductedBy ?b } }",
                     default=[registry, rounds])
    assert int(merged[0]["n"]) == len(read_registry()["agencies"]) + 3


def test_named_graph_uri_restricts_graph_patterns(reg_client, graph_kinds):
    registry, report = _graph_of(graph_kinds, "registry-documents"), _graph_of(graph_kinds, "report")
    rows = _select(reg_client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named=[registry, report])
    assert {r["g"] for r in rows} == {registry, report}
    # named graphs only: the default graph is empty
    assert _select(reg_client, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", named=[registry]) == []
    both = _select(reg_client, "SELECT ?g ?d WHERE { GRAPH ?g { ?d rg:documentStatus \"废止\" } }",
                   default=[report], named=[registry])
    assert {r["g"] for r in both} == {registry}


def test_query_dataset_clauses_and_protocol_precedence(reg_client, graph_kinds):
    registry, report = _graph_of(graph_kinds, "registry-agencies"), _graph_of(graph_kinds, "report")
    assert _select(reg_client, f"SELECT ?r FROM <{registry}> WHERE {{ ?r a rg:Report }}") == []
    assert len(_select(reg_client, f"SELECT ?r FROM <{report}> WHERE {{ ?r a rg:Report }}")) == 1
    named = _select(reg_client, f"SELECT DISTINCT ?g FROM NAMED <{registry}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert [r["g"] for r in named] == [registry]
    # the protocol's dataset wins over the query's FROM
    assert _select(reg_client, f"SELECT ?r FROM <{report}> WHERE {{ ?r a rg:Report }}", default=[registry]) == []
