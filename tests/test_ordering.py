"""A query's final ORDER BY sorted in the worker (graph/ordering.py): which queries qualify,
the order of terms, and the same rows in the same order as Oxigraph's own ORDER BY."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.ordering import OrderKey, sort_rows, split_order, term_key
from graph.results import Term
from graph.runner import QueryJob, execute, execute_answer
from graph.store import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("query, head, keys", [
    ("SELECT ?a WHERE { ?a ?p ?o }\nORDER BY ?a", "SELECT ?a WHERE { ?a ?p ?o }\n", [("a", False)]),
    ("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a\n\n", "SELECT ?a ?b WHERE { ?a ?p ?b } ", [("b", True), ("a", False)]),
    ("SELECT ?a WHERE { ?a ?p ?o } order by asc( ?a )", "SELECT ?a WHERE { ?a ?p ?o } ", [("a", False)]),
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a\n# 注释\n", "SELECT ?a WHERE { ?a ?p ?o } ", [("a", False)]),
    ("SELECT ?单位 WHERE { ?x ?p ?单位 } ORDER BY $单位", "SELECT ?单位 WHERE { ?x ?p ?单位 } ", [("单位", False)]),
    ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a ORDER BY DESC(?n) ?a",
     "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a ", [("n", True), ("a", False)]),
    # left to the engine
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 10", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a OFFSET 5", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY STR(?a)", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY DESC(STRLEN(?a))", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o }", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o } # ORDER BY ?a", None, None),
    ("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a } ?a ?q ?r }", None, None),
    ("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a # 按名称", None, None),
])
def test_split_order(query, head, keys):
    split = split_order(query)
    if head is None:
        assert split is None
    else:
        assert split.query == head
        assert [(k.variable, k.descending) for k in split.keys] == keys


def lit(value, datatype=None, lang=None):
    return Term("literal", value, datatype, lang)


@pytest.mark.parametrize("smaller, larger", [
    (None, Term("bnode", "b0")),
    (Term("bnode", "b9"), Term("uri", "http://a.example/")),
    (Term("uri", "http://z.example/"), lit("a")),
    (Term("uri", "http://a.example/1"), Term("uri", "http://a.example/2")),
    (lit("9", XSD + "integer"), lit("10", XSD + "integer")),
    (lit("2.5", XSD + "decimal"), lit("3", XSD + "integer")),
    (lit("-1", XSD + "integer"), lit("0.5", XSD + "double")),
    (lit("巢田市"), lit("澄州市")),
    (lit("2024-05-01", XSD + "date"), lit("2024-11-30", XSD + "date")),
    (lit("2024-05", XSD + "gYearMonth"), lit("2024-05-01", XSD + "date")),
    (lit("abc"), lit("abc", lang="zh")),
])
def test_term_order(smaller, larger):
    assert term_key(smaller) < term_key(larger)


def test_sort_rows_mixed_directions_stable():
    a, b = lit("甲"), lit("乙")
    one, two = lit("1", XSD + "integer"), lit("2", XSD + "integer")
    rows = [(a, one, "r1"), (b, two, "r2"), (a, two, "r3"), (None, one, "r4"), (a, two, "r5")]
    out = sort_rows(["name", "n", "tag"], rows, [OrderKey("n", True), OrderKey("name")])
    assert [r[2] for r in out] == ["r2", "r3", "r5", "r4", "r1"]   # 乙 (U+4E59) before 甲 (U+7532); unbound first


DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a1 ex:name "澄州市财政局" ; ex:n 3 ; ex:day "2024-05-01"^^xsd:date .
ex:a2 ex:name "巢田市应急管理局" ; ex:n 12 ; ex:day "2023-12-31"^^xsd:date .
ex:a3 ex:name "Ames" ; ex:n 12 .
ex:a4 ex:name "澄州市审计局" ; ex:n 7 ; ex:day "2024-05"^^xsd:gYearMonth .
ex:a5 ex:n 1 .
ex:a6 ex:name "澄州市财政局" ; ex:n 2.5 ; ex:day "2024-01-02"^^xsd:date .
"""


@pytest.fixture(scope="module")
def small():
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/g"))
    return store


@pytest.mark.parametrize("order", [
    "?name ?x", "DESC(?n) ?x", "?day ?x", "DESC(?day) DESC(?x)", "?n", "DESC(?name) ?n ?x", "?x",
])
def test_worker_sort_matches_engine(small, order):
    query = f"""PREFIX ex: <http://example.org/>
SELECT ?x ?name ?n ?day WHERE {{ ?x ex:n ?n OPTIONAL {{ ?x ex:name ?name }} OPTIONAL {{ ?x ex:day ?day }} }}
ORDER BY {order}"""
    assert split_order(query) is not None
    engine = execute_answer(small.query(query, prefixes=PREFIXES, use_default_graph_as_union=True), 1000)
    worker = execute(small, QueryJob(query))
    assert worker.variables == engine.variables
    assert worker.rows == engine.rows


def test_worker_sort_caps_after_sorting(small):
    query = "PREFIX ex: <http://example.org/>\nSELECT ?x ?n WHERE { ?x ex:n ?n } ORDER BY DESC(?n) ?x"
    result = execute(small, QueryJob(query, row_limit=2))
    assert [r[0].value.rsplit("/", 1)[1] for r in result.rows] == ["a2", "a3"]
    assert result.truncated and result.row_limit == 2


def test_key_not_projected_is_left_to_engine(small):
    query = "PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:n ?n } ORDER BY DESC(?n) ?x"
    result = execute(small, QueryJob(query))
    assert [r[0].value.rsplit("/", 1)[1] for r in result.rows] == ["a2", "a3", "a4", "a1", "a6", "a5"]
