"""Shortest paths: the projection (tables of tiny graphs) and the bidirectional walk on the samples."""
from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef

from graph.paths import find_paths, project, shortest_paths
from ontology.namespace import RG

E = "http://example.org/"


def t(s, p, o):
    obj = o if isinstance(o, (Literal, URIRef)) else URIRef(E + o)
    return URIRef(E + s), URIRef(E + p) if ":" not in p else URIRef(p), obj


CASES = [
    # id, triples, source, target, expected paths
    ("direct", [t("a", "p", "b")], "a", "b", [["a", "b"]]),
    ("reverse edge walks too", [t("b", "p", "a")], "a", "b", [["a", "b"]]),
    ("two equal paths", [t("a", "p", "x"), t("x", "p", "b"), t("a", "p", "y"), t("y", "p", "b")], "a", "b",
     [["a", "x", "b"], ["a", "y", "b"]]),
    ("shortest wins", [t("a", "p", "b"), t("a", "p", "x"), t("x", "p", "b")], "a", "b", [["a", "b"]]),
    ("no literal bridge", [t("a", "p", Literal("同名")), t("b", "p", Literal("同名"))], "a", "b", []),
    ("no class bridge", [t("a", str(RDF.type), str(RG.Agency)), t("b", str(RDF.type), str(RG.Agency))], "a", "b", []),
    ("no vocabulary bridge", [t("a", "p", URIRef(str(RG.Issue))), t("b", "p", URIRef(str(RG.Issue)))], "a", "b", []),
    ("no mention bridge", [t("m", str(RDF.type), URIRef(str(RG.Mention))), t("m", str(RG.mentions), "a"),
                           t("m", str(RG.mentions), "b")], "a", "b", []),
    ("unconnected", [t("a", "p", "x"), t("b", "p", "y")], "a", "b", []),
    ("same node", [t("a", "p", "b")], "a", "a", [["a"]]),
    ("unknown node", [t("a", "p", "b")], "a", "zzz", []),
]


@pytest.mark.parametrize("triples, source, target, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_projection_paths(triples, source, target, expected):
    graph = project(triples)
    found = shortest_paths(graph, E + source, E + target)
    assert sorted(found) == sorted([[E + n for n in p] for p in expected])


def test_projection_keeps_predicates_and_direction():
    graph = project([t("a", "p", "b"), t("b", "q", "a")])
    links = graph.get_edge_data(E + "a", E + "b")["links"]
    assert (E + "a", E + "p", E + "b") in links and (E + "b", E + "q", E + "a") in links


def test_walk_agrees_with_full_projection(store_path):
    """The bidirectional walk finds exactly the shortest paths of the whole projection."""
    from oxrdflib._converter import from_ox

    from graph.store import open_store

    with open_store(store_path, read_only=True) as store:
        triples = {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                   for q in store.ox.quads_for_pattern(None, None, None)}
        full = project(list(triples))
        agencies = sorted(str(r["x"]) for r in store.select("SELECT DISTINCT ?x WHERE { ?x a rg:Agency }"))
        pairs = [(a, b) for a in agencies[:4] for b in agencies[-4:] if a != b]
        assert pairs
        for a, b in pairs:
            expected = shortest_paths(full, a, b, limit=10000)
            result = find_paths(store, a, b, limit=10000)
            assert sorted(map(tuple, result.paths)) == sorted(map(tuple, expected)), (a, b)
            for path, steps in zip(result.paths, result.steps):
                assert [s.source for s in steps] + [steps[-1].target] == path
