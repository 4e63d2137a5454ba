"""The /sparql endpoint (SPARQL 1.1 Protocol, query only) and the /query page, in process and
over a live waitress server with SPARQLWrapper and rdflib's SPARQLStore as clients."""
from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from graph.store import open_store

REPORTS = "SELECT ?report ?label WHERE { GRAPH ?g { ?report a rg:Report ; rdfs:label ?label } } ORDER BY ?report"
ASK = "ASK { ?r a rg:Report }"
CONSTRUCT = "CONSTRUCT { ?r a rg:Report ; rdfs:label ?l } WHERE { GRAPH ?g { ?r a rg:Report ; rdfs:label ?l } }"
DESCRIBE = "DESCRIBE ?r WHERE { ?r a rg:Report } LIMIT 1"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def facts(store_path):
    """What the endpoint should answer, read from the store directly (not through SPARQL)."""
    with open_store(store_path, read_only=True) as store:
        graphs = store.report_graphs()
        reports = set()
        per_graph = {}
        for graph in graphs:
            subjects = {str(s) for s, p, o in store.triples_of(graph)
                        if str(p).endswith("#type") and str(o).endswith("ontology#Report")}
            reports |= subjects
            per_graph[str(graph)] = subjects
    assert reports, "the samples must give reports"
    return {"reports": reports, "graphs": per_graph}


# -- request forms ----------------------------------------------------------------------------
def _json_reports(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/sparql-results+json"
    body = json.loads(response.get_data())
    assert body["head"]["vars"] == ["report", "label"]
    return {b["report"]["value"] for b in body["results"]["bindings"]}


def test_get(client, facts):
    assert _json_reports(client.get("/sparql", query_string={"query": REPORTS})) == facts["reports"]


def test_post_form(client, facts):
    assert _json_reports(client.post("/sparql", data={"query": REPORTS})) == facts["reports"]


def test_post_sparql_query(client, facts):
    response = client.post("/sparql", data=REPORTS.encode(), content_type="application/sparql-query")
    assert _json_reports(response) == facts["reports"]


# -- result formats ---------------------------------------------------------------------------
def test_select_xml(client, facts):
    response = client.get("/sparql", query_string={"query": REPORTS}, headers={"Accept": "application/sparql-results+xml"})
    assert response.mimetype == "application/sparql-results+xml"
    root = ET.fromstring(response.get_data())
    assert [v.get("name") for v in root.iter(SRX + "variable")] == ["report", "label"]
    got = {b.find(SRX + "uri").text for b in root.iter(SRX + "binding") if b.get("name") == "report"}
    assert got == facts["reports"]


def test_select_csv(client, facts):
    response = client.get("/sparql", query_string={"query": REPORTS}, headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["report"] for r in rows} == facts["reports"]


def test_select_tsv(client, facts):
    response = client.get("/sparql", query_string={"query": REPORTS}, headers={"Accept": "text/tab-separated-values"})
    assert response.mimetype == "text/tab-separated-values"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "?report\t?label"
    assert {line.split("\t")[0].strip("<>") for line in lines[1:]} == facts["reports"]


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", '"boolean": true'),
    ("application/sparql-results+xml", "<boolean>true</boolean>"),
    ("text/csv", "true"),
    ("text/tab-separated-values", "true"),
])
def test_ask_formats(client, accept, expected):
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert expected in response.get_data(as_text=True)
    no = client.get("/sparql", query_string={"query": "ASK { ?x a rg:NoSuchClass }"}, headers={"Accept": accept})
    assert "false" in no.get_data(as_text=True)


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_formats(client, facts, accept, rdflib_format, query):
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    g = Graph().parse(data=response.get_data(), format=rdflib_format)
    subjects = {str(s) for s in g.subjects()}
    if query == CONSTRUCT:
        assert subjects == facts["reports"]
        assert len(g) == 2 * len(facts["reports"])
    else:
        assert len(subjects) == 1 and subjects <= facts["reports"] and len(g) > 5


def test_format_parameter(client, facts):
    response = client.get("/sparql", query_string={"query": REPORTS, "format": "csv"})
    assert response.mimetype == "text/csv"
    turtle = client.get("/sparql", query_string={"query": CONSTRUCT, "output": "turtle"})
    assert turtle.mimetype == "text/turtle"


# -- dataset of the request -------------------------------------------------------------------
def test_default_graph_uri(client, facts):
    graph, reports = sorted(facts["graphs"].items())[0]
    query = "SELECT ?report WHERE { ?report a rg:Report }"
    response = client.get("/sparql", query_string={"query": query, "default-graph-uri": graph})
    assert {b["report"]["value"] for b in response.get_json()["results"]["bindings"]} == reports
    union = client.get("/sparql", query_string={"query": query})
    assert {b["report"]["value"] for b in union.get_json()["results"]["bindings"]} == facts["reports"]


def test_named_graph_uri(client, facts):
    chosen = sorted(facts["graphs"])[:2]
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query, "named-graph-uri": chosen})
    assert sorted(b["g"]["value"] for b in response.get_json()["results"]["bindings"]) == chosen
    # named graphs only: the default graph is then empty, as the protocol says
    empty = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "named-graph-uri": chosen[0]})
    assert empty.get_json()["boolean"] is False


# -- errors and refusals ----------------------------------------------------------------------
def test_malformed_query_is_400_with_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "error at" in response.get_data(as_text=True)


def test_missing_query_is_400(client):
    assert client.get("/sparql").status_code == 400
    assert client.post("/sparql", data={}).status_code == 400


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"query": "DROP ALL"}),
    lambda c: c.post("/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data=b"DELETE WHERE { ?s ?p ?o }", content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data=b"LOAD <http://example.org/x>", content_type="application/sparql-query"),
])
def test_updates_are_refused_and_change_nothing(client, facts, send):
    response = send(client)
    assert response.status_code == 403
    assert "只读" in response.get_data(as_text=True)
    assert _json_reports(client.get("/sparql", query_string={"query": REPORTS})) == facts["reports"]


def test_unsupported_content_type_is_415(client):
    assert client.post("/sparql", data=b"SELECT * {}", content_type="text/plain").status_code == 415


def test_row_cap_reports_truncation(store_path):
    from web.app import create_app

    capped = create_app({"STORE": str(store_path), "TESTING": True, "QUERY_ROW_LIMIT": 5}).test_client()
    response = capped.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.headers["X-Rectigraph-Truncated"] == "true"
    assert response.headers["X-Rectigraph-Row-Limit"] == "5"
    assert len(response.get_json()["results"]["bindings"]) == 5
    small = capped.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Rectigraph-Truncated" not in small.headers
    page = capped.get("/query", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert "只显示前 5 行" in page.get_data(as_text=True)


@pytest.mark.parametrize("config, sparql_status, canned_status", [
    ({"QUERY_TIMEOUT": 1e-6}, 503, 200),                 # canned audits have their own, longer limit
    ({"CANNED_QUERY_TIMEOUT": 1e-6}, 200, 503),
    ({}, 200, 200),
])
def test_canned_queries_have_their_own_time_limit(store_path, config, sparql_status, canned_status):
    from web.app import create_app

    app = create_app({"STORE": str(store_path), "TESTING": True, **config})
    client = app.test_client()
    try:
        assert client.get("/sparql", query_string={"query": REPORTS}).status_code == sparql_status
        response = client.get("/queries/agency-summary.json")
        assert response.status_code == canned_status
        if canned_status == 503:
            assert "时间限制" in response.get_data(as_text=True)
    finally:
        runner = app.extensions.get("rectigraph.sparql")
        if runner is not None:
            runner.close()


# -- the query page ---------------------------------------------------------------------------
def test_query_page_editor_and_canned_list(client):
    page = client.get("/query").get_data(as_text=True)
    assert "data-sparql-editor" in page and "PREFIX rg: &lt;https://w3id.org/rectigraph/ontology#&gt;" in page
    assert "sparql/editor.js" in page and "sparql/editor.css" in page
    assert "/queries/open-issues" in page
    assert client.get("/static/sparql/editor.js").status_code == 200


def test_query_page_runs_the_query_in_its_url(client, facts):
    response = client.get("/query", query_string={"query": REPORTS})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for report in facts["reports"]:
        assert "/entity?iri=" + urllib.parse.quote(report, safe="") in page
    assert "/query.csv?query=" in page and "/query.json?query=" in page
    csv_download = client.get("/query.csv", query_string={"query": REPORTS})
    assert csv_download.mimetype == "text/csv" and "attachment" in csv_download.headers["Content-Disposition"]
    assert {r["report"] for r in csv.DictReader(io.StringIO(csv_download.get_data(as_text=True)))} == facts["reports"]
    json_download = client.get("/query.json", query_string={"query": REPORTS})
    assert {b["report"]["value"] for b in json_download.get_json()["results"]["bindings"]} == facts["reports"]


def test_query_page_shows_errors_beside_the_query(client):
    response = client.get("/query", query_string={"query": "CLEAR ALL"})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "只读" in page and "CLEAR ALL" in page


def test_browser_on_the_endpoint_goes_to_the_page(client):
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "text/html"})
    assert response.status_code == 302 and "/query?query=" in response.headers["Location"]


# -- a live server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(store_path):
    """The app on a real waitress server on 127.0.0.1, with a 2-second query limit."""
    from waitress.server import create_server

    from web.app import create_app

    app = create_app({"STORE": str(store_path), "QUERY_TIMEOUT": 2.0})
    server = create_server(app, host="127.0.0.1", port=_free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    runner = app.extensions.get("rectigraph.sparql")
    if runner is not None:
        runner.close()


def test_sparqlwrapper_select_ask_construct(live, facts):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    sparql = SPARQLWrapper(live + "/sparql")
    sparql.setQuery("PREFIX rg: <https://w3id.org/rectigraph/ontology#>\n" + REPORTS)
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(10)
    bindings = sparql.queryAndConvert()["results"]["bindings"]
    assert {b["report"]["value"] for b in bindings} == facts["reports"]
    sparql.setReturnFormat(XML)
    doc = sparql.queryAndConvert()
    assert {n.firstChild.data for n in doc.getElementsByTagName("uri")} == facts["reports"]
    sparql.setReturnFormat(CSV)
    rows = list(csv.DictReader(io.StringIO(sparql.queryAndConvert().decode("utf-8"))))
    assert {r["report"] for r in rows} == facts["reports"]
    sparql.setMethod("POST")
    sparql.setReturnFormat(JSON)
    sparql.setQuery(ASK)
    assert sparql.queryAndConvert()["boolean"] is True
    sparql.setQuery(CONSTRUCT)
    sparql.setReturnFormat(TURTLE)
    g = Graph().parse(data=sparql.queryAndConvert(), format="turtle")
    assert {str(s) for s in g.subjects()} == facts["reports"]


def test_sparqlwrapper_errors(live):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sparql = SPARQLWrapper(live + "/sparql")
    sparql.setReturnFormat(JSON)
    sparql.setQuery("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sparql.query()
    sparql.setQuery("DROP ALL")  # SPARQLWrapper sends it as an update
    sparql.setMethod("POST")
    with pytest.raises(Exception) as info:
        sparql.query()
    assert "403" in str(info.value) or "只读" in str(info.value) or "Forbidden" in str(info.value)


def test_rdflib_sparqlstore(live, facts):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(live + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = graph.query("PREFIX rg: <https://w3id.org/rectigraph/ontology#> SELECT DISTINCT ?r WHERE { ?r a rg:Report }")
    assert {str(r[0]) for r in rows} == facts["reports"]
    xml_store = SPARQLStore(live + "/sparql", returnFormat="xml", method="POST")
    rows = Graph(store=xml_store).query("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/rectigraph/ontology#Report> }")
    assert int(list(rows)[0][0]) == len(facts["reports"])
    triples = set(Graph(store=store).triples((None, None, None)))
    assert triples, "triples() goes through CONSTRUCT"


def _get(url: str, timeout: float = 30) -> tuple[int, bytes, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - started


def test_runaway_query_is_stopped_while_the_server_answers(live, facts):
    outcome = {}

    def runaway():
        outcome["runaway"] = _get(live + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    status, body, seconds = _get(live + "/sparql?" + urllib.parse.urlencode({"query": REPORTS}))
    assert status == 200 and seconds < 1.5
    assert {b["report"]["value"] for b in json.loads(body)["results"]["bindings"]} == facts["reports"]
    status, _, seconds = _get(live + "/queries/agency-summary.json")
    assert status == 200 and seconds < 1.5
    thread.join(timeout=15)
    status, body, seconds = outcome["runaway"]
    assert status == 503 and "时间限制" in body.decode("utf-8")
    assert seconds < 2.0 + 2.0
    status, _, _ = _get(live + "/sparql?" + urllib.parse.urlencode({"query": ASK}))
    assert status == 200
