"""Values are bound as a VALUES block at the head of the WHERE group, never spliced as text."""
from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from graph.binding import bind_values
from graph.guard import _where_group_start as where_group_start
from ontology.errors import QueryError


@pytest.mark.parametrize("query, before_insert", [
    ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE {"),
    ("SELECT ?x { ?x ?p ?o }", "SELECT ?x {"),
    ("PREFIX ex: <http://e/{x}> SELECT * WHERE { ?x ex:p ?o }", "PREFIX ex: <http://e/{x}> SELECT * WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
    ("ASK { ?s ?p \"WHERE {\" }", "ASK {"),
    ("# WHERE { in a comment\nSELECT ?n (COUNT(*) AS ?c) WHERE { ?n ?p ?o } GROUP BY ?n", "# WHERE { in a comment\nSELECT ?n (COUNT(*) AS ?c) WHERE {"),
    ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", "SELECT ?x WHERE {"),
])
def test_where_group_start(query, before_insert):
    assert query[:where_group_start(query)] == before_insert


def test_no_where_group_is_an_error():
    with pytest.raises(QueryError):
        where_group_start("CONSTRUCT { ?s ?p ?o }")


@pytest.mark.parametrize("value", [
    Literal('x" } ; DROP ALL ; SELECT * { "'),
    Literal("多行\n文本 'quote' \\ backslash"),
    URIRef("https://example.org/a"),
    Literal(42),
])
def test_hostile_values_stay_values(value):
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("keep")))
    query = bind_values("SELECT ?s WHERE { ?s ?p ?o FILTER(?o != ?v) }", {"v": value})
    rows = list(store.query(query))
    assert len(rows) == 1 and len(store) == 1


@pytest.mark.parametrize("bindings", [{"bad name": Literal(1)}, {"v": BNode()}, {"v": "plain string"}])
def test_bad_bindings_refused(bindings):
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", bindings)


@pytest.mark.parametrize("query, bound, expected", [
    # a sub-SELECT that filters on a parameter sees it bound; one that does not name it is left alone
    ("SELECT ?d WHERE { { SELECT ?d WHERE { ?d ?p ?t FILTER(?t = ?want) } } }", {"want": Literal("乙")},
     {"http://e/b"}),
    ("SELECT ?d WHERE { { SELECT ?d WHERE { ?d ?p ?t } } FILTER(!BOUND(?want) || ?d != <http://e/a>) }",
     {"want": Literal("乙")}, {"http://e/b"}),
    ("SELECT ?d WHERE { { SELECT ?d WHERE { ?d ?p ?t FILTER(!BOUND(?want) || ?t = ?want) } } }", {},
     {"http://e/a", "http://e/b"}),
    ("SELECT ?d WHERE { { SELECT ?d (COUNT(*) AS ?n) WHERE { { SELECT ?d WHERE { ?d ?p ?t FILTER(?t = ?want) } } } "
     "GROUP BY ?d } }", {"want": Literal("甲")}, {"http://e/a"}),
])
def test_parameters_reach_sub_selects(query, bound, expected):
    import pyoxigraph as ox

    store = ox.Store()
    for s, o in (("a", "甲"), ("b", "乙")):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{s}"), ox.NamedNode("http://e/title"), ox.Literal(o)))
    rows = store.query(bind_values(query, bound))
    assert {r["d"].value for r in rows} == expected
