"""The SPARQL guard and the query runner: forms, refusals, bound values, row cap, time limit, snapshots."""
from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph.guard import ALLOWED_FORMS, REFUSED_OPERATIONS, Limits, QueryRefused, QueryTimeout, bind_values, query_form
from graph.runner import QueryRunner
from graph.store import GraphWrite, open_store
from ontology.errors import QueryError

EX = "http://example.org/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

FORMS = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("select ?s { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nASK { ex:a ?p ?o }", "ASK"),
    ("# INSERT in a comment is harmless\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ('SELECT ?s WHERE { ?s ?p "DELETE DATA { }" }', "SELECT"),
    ("SELECT ?s WHERE { ?s <http://example.org/insert> ?o }", "SELECT"),
    ("SELECT ?s WHERE { ?s rg:drop ?o }", "SELECT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
]


@pytest.mark.parametrize("query, form", FORMS)
def test_query_form(query, form):
    assert query_form(query) == form
    assert form in ALLOWED_FORMS


UPDATES = {
    "INSERT": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "DELETE": "DELETE WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <http://example.org/data.ttl>",
    "CLEAR": "CLEAR ALL",
    "DROP": "PREFIX ex: <http://example.org/> DROP GRAPH ex:g",
    "CREATE": "CREATE GRAPH <http://e/g>",
    "ADD": "ADD <http://e/a> TO <http://e/b>",
    "MOVE": "MOVE DEFAULT TO <http://e/b>",
    "COPY": "COPY <http://e/a> TO DEFAULT",
    "WITH": "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
}


def test_every_refused_operation_has_a_case():
    assert set(UPDATES) == set(REFUSED_OPERATIONS)


@pytest.mark.parametrize("word", sorted(UPDATES))
def test_updates_are_refused_naming_the_operation(word):
    with pytest.raises(QueryRefused) as info:
        query_form(UPDATES[word])
    assert info.value.http_status == 403
    assert word in str(info.value)


def test_update_hidden_after_a_query_is_refused():
    with pytest.raises(QueryRefused):
        query_form("SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


def test_malformed_query_gets_the_parsers_message():
    with pytest.raises(QueryError) as info:
        query_form("SELEC * WHERE { ?s ?p ?o }")
    assert "error at 1:" in str(info.value)
    assert info.value.http_status == 400


def _memory_store() -> ox.Store:
    store = ox.Store()
    for name, title in [("a", "甲办法"), ("b", '"} ; DROP ALL #'), ("c", "乙规定")]:
        store.add(ox.Quad(ox.NamedNode(EX + name), ox.NamedNode(EX + "title"), ox.Literal(title)))
    return store


def test_bound_values_filter_like_init_bindings():
    query = "SELECT ?s WHERE { ?s <http://example.org/title> ?t FILTER(!BOUND(?want) || ?t = ?want) }"
    store = _memory_store()
    everything = {r["s"].value for r in store.query(bind_values(query, {}))}
    assert everything == {EX + "a", EX + "b", EX + "c"}
    one = {r["s"].value for r in store.query(bind_values(query, {"want": ox.Literal("甲办法")}))}
    assert one == {EX + "a"}


def test_bound_value_cannot_inject_syntax():
    hostile = '"} ; DROP ALL #'
    query = "SELECT ?s WHERE { ?s <http://example.org/title> ?t FILTER(?t = ?want) }"
    text = bind_values(query, {"want": ox.Literal(hostile)})
    assert query_form(text) == "SELECT"  # the hostile text stays inside a literal: no DROP keyword
    assert {r["s"].value for r in _memory_store().query(text)} == {EX + "b"}


def test_bound_values_skip_the_construct_template():
    query = "CONSTRUCT { ?s <http://example.org/x> ?t } WHERE { ?s <http://example.org/title> ?t }"
    text = bind_values(query, {"t": ox.Literal("乙规定")})
    triples = list(_memory_store().query(text))
    assert [t.subject.value for t in triples] == [EX + "c"]


def test_bind_values_rejects_bad_variable_names():
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s) } DROP ALL": ox.Literal("x")})


# -- the runner, on a small store of its own ---------------------------------
def _write(path, graph: str, count: int) -> None:
    triples = [(URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(i)) for i in range(count)]
    with open_store(path) as store:
        store.write([GraphWrite(URIRef(graph), triples)])


@pytest.fixture()
def small_store(tmp_path):
    path = tmp_path / "store"
    _write(path, EX + "g1", 300)
    return path


@pytest.fixture()
def runner(small_store):
    with QueryRunner(small_store, Limits(timeout=2.0, row_limit=50), size=2, max_workers=3) as r:
        yield r


def test_row_cap_reports_truncation(runner):
    capped = runner.run("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(capped.rows) == 50 and capped.truncated and capped.row_limit == 50
    small = runner.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert len(small.rows) == 10 and not small.truncated
    triples = runner.run("CONSTRUCT WHERE { ?s ?p ?o }")
    assert triples.kind == "triples" and len(triples.rows) == 50 and triples.truncated


def test_runaway_query_is_stopped_while_others_are_answered(runner):
    outcome: dict = {}

    def runaway():
        started = time.monotonic()
        try:
            runner.run(RUNAWAY)
        except QueryTimeout as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    answer = runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 1.0, "a second query must not wait for the runaway one"
    assert int(answer.rows[0][0].value) == 300
    thread.join(timeout=10)
    assert isinstance(outcome.get("error"), QueryTimeout)
    assert outcome["seconds"] < 2.0 + 2.0
    assert runner.run("ASK { ?s ?p ?o }").boolean is True  # the pool recovers


def test_update_through_the_runner_changes_nothing(runner, small_store):
    with pytest.raises(QueryRefused):
        runner.run("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused):
        runner.run("CLEAR ALL")
    assert int(runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value) == 300


def test_worker_sees_a_new_ingest(runner, small_store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert int(runner.run(count).rows[0][0].value) == 300
    _write(small_store, EX + "g2", 7)
    assert int(runner.run(count).rows[0][0].value) == 307


def test_dataset_of_the_request(runner, small_store):
    _write(small_store, EX + "g2", 7)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(runner.run(count).rows[0][0].value) == 307
    assert int(runner.run(count, default_graph=[EX + "g2"]).rows[0][0].value) == 7
    named = runner.run("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graph=[], named_graphs=[EX + "g1"])
    assert [row[0].value for row in named.rows] == [EX + "g1"]


def test_syntax_error_from_the_worker(runner):
    with pytest.raises(QueryError) as info:
        runner.run("SELECT ?s WHERE { ?s ?p }")
    assert "语法错误" in str(info.value)
