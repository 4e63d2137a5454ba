"""The explorer and the SPARQL endpoint on each store backend (embedded Oxigraph, SPARQL server)."""
from __future__ import annotations

import json
import time

import pytest

from tests.conftest import SAMPLES


@pytest.fixture()
def backend_client(backend, runner, cli):
    result = runner.invoke(cli, ["--store", backend, "ingest", str(SAMPLES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from web.app import create_app

    app = create_app({"STORE": backend, "TESTING": True, "QUERY_TIMEOUT": 3.0, "QUERY_WORKERS": 1})
    yield app.test_client()
    runner_ = app.extensions.get("rectigraph.sparql")
    if runner_ is not None:
        runner_.close()


def test_overview_and_entity_pages(backend_client):
    overview = backend_client.get("/index.json")
    assert overview.status_code == 200
    agencies = backend_client.get("/agencies.json").get_json()
    text = json.dumps(agencies, ensure_ascii=False)
    assert "澄州市住房和城乡建设局" in text
    page = backend_client.get("/entity", query_string={"iri": _agency_iri("澄州市住房和城乡建设局")})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "澄州市住房和城乡建设局" in html and "<script>alert(1)" not in html


def test_search(backend_client):
    found = backend_client.get("/search.json", query_string={"q": "公务用车"}).get_json()
    assert "公务用车" in json.dumps(found, ensure_ascii=False)


def test_sparql_endpoint_round_trip_chinese(backend_client):
    q = 'SELECT ?l WHERE { ?a a rg:Agency ; rdfs:label ?l FILTER(STRSTARTS(?l, "澄州市交通")) }'
    r = backend_client.get("/sparql", query_string={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    labels = {b["l"]["value"] for b in r.get_json()["results"]["bindings"]}
    assert labels == {"澄州市交通运输局"}


def test_sparql_update_refused(backend_client):
    r = backend_client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code in (400, 403)
    q = "ASK { ?r a rg:Report }"
    assert backend_client.get("/sparql", query_string={"query": q},
                              headers={"Accept": "application/sparql-results+json"}).get_json()["boolean"] is True


def test_time_limit(backend_client):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    r = backend_client.get("/sparql", query_string={"query": runaway}, headers={"Accept": "application/sparql-results+json"})
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert elapsed < 3.0 + 2.0


def _agency_iri(name: str) -> str:
    from ingest import iris

    return str(iris.mint_agency_iri(name))


SAMPLE_PARAMS = {"theme": "公务用车", "region": "澄州市", "agency": "澄州市"}


def test_canned_queries_answer_the_same_on_a_sparql_server(runner, cli, tmp_path):
    """Every canned audit query gives the same rows on the SPARQL server as on the embedded store."""
    from tests.conftest import ROOT, clear_remote, virtuoso_or_skip

    url = virtuoso_or_skip()
    clear_remote(url)
    local = str(tmp_path / "store")
    registries = sorted((ROOT / "web" / "samples" / "registry").glob("*.csv"))
    for location in (local, url):
        assert runner.invoke(cli, ["--store", location, "ingest", "-q", str(SAMPLES)]).exit_code == 0
        for registry in registries:
            assert runner.invoke(cli, ["--store", location, "import", str(registry)]).exit_code == 0
    from graph.guard import Limits
    from graph.runner import open_runner
    from web.canned import canned_queries

    different = []
    with open_runner(local, Limits(timeout=30), size=1, max_workers=1) as embedded, \
            open_runner(url, Limits(timeout=30)) as server:
        for q in canned_queries().values():
            values = {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.name in SAMPLE_PARAMS}
            bindings = q.bindings(values)
            rows = [sorted(tuple(str(t) for t in row) for row in r.run(q.sparql, bindings).rows)
                    for r in (embedded, server)]
            if rows[0] != rows[1]:
                different.append(q.name)
    assert not different
