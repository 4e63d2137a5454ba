"""The embedded store: atomic replacement, unchanged re-ingest, locking, snapshots."""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import RDF, Literal, URIRef

from graph.store import GraphStore, GraphWrite, open_store
from ontology.errors import QueryError, StoreError
from ontology.namespace import RG

EX = "https://example.org/"


def _report(n: int, size: int = 3) -> GraphWrite:
    s = URIRef(f"{EX}report/{n}")
    triples = [(s, RDF.type, RG.Report)] + [(s, RG.text, Literal(f"报告{n}第{i}段,含\"引号\"与\n换行")) for i in range(size)]
    return GraphWrite(URIRef(f"{EX}graph/{n}"), triples)


@pytest.fixture()
def store(backend) -> GraphStore:
    with open_store(backend) as s:
        yield s


def test_write_and_read_back_chinese_literals(store):
    store.write([_report(1)])
    rows = store.select("SELECT ?t WHERE { ?r a rg:Report ; rg:text ?t } ORDER BY ?t")
    assert [str(r["t"]) for r in rows][0].startswith("报告1第0段,含\"引号\"与\n换行")
    assert store.quad_count() == 4


def test_replacing_drops_the_old_graph_in_the_same_write(store):
    store.write([_report(1), _report(2)])
    new = _report(3)
    new.replaces = [URIRef(f"{EX}graph/1")]
    store.write([new])
    assert set(map(str, store.named_graphs())) == {f"{EX}graph/2", f"{EX}graph/3"}


def test_rewriting_the_same_graph_changes_nothing(store):
    store.write([_report(1)])
    before = store.quad_count()
    store.write([_report(1)])
    assert store.quad_count() == before


def test_drop_graph(store):
    store.write([_report(1), _report(2)])
    assert store.drop_graph(URIRef(f"{EX}graph/1"))
    assert not store.drop_graph(URIRef(f"{EX}graph/1"))
    assert [str(g) for g in store.named_graphs()] == [f"{EX}graph/2"]


def test_failed_batch_leaves_store_unchanged(store):
    store.write([_report(1)])
    bad = GraphWrite(URIRef(f"{EX}graph/bad"), [(URIRef(f"{EX}x"), RDF.type, Literal("不合法的主语位置"))])
    bad.triples = [(Literal("literal subject"), RDF.type, RG.Report)]
    with pytest.raises(StoreError):
        store.write([_report(2), bad])
    assert [str(g) for g in store.named_graphs()] == [f"{EX}graph/1"]


def test_bindings_are_values_not_text(store):
    store.write([_report(1)])
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
    rows = store.select("SELECT ?r ?t WHERE { ?r rg:text ?t }", {"t": hostile})
    assert rows == [] and store.quad_count() == 4


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError):
        store.select("SELECT WHERE {")


def test_second_writer_gets_a_clear_error(tmp_path):
    path = tmp_path / "locked"
    with open_store(path):
        code = ("import sys\nfrom graph.store import open_store\nfrom ontology.errors import StoreError\n"
                f"try:\n    open_store({str(path)!r})\nexcept StoreError as e:\n    print(e); sys.exit(3)\n")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "另一个进程" in proc.stdout and "Traceback" not in proc.stdout


def test_read_only_snapshot_beside_a_writer(tmp_path):
    path = tmp_path / "s"
    with open_store(path) as writer:
        writer.write([_report(1)])
        writer.ox.flush()
        reader = open_store(path, read_only=True)
        assert len(reader.report_graphs()) == 0  # not a report-graph IRI, but the graph is there
        assert [str(g) for g in reader.named_graphs()] == [f"{EX}graph/1"]
        reader.close()


def test_read_only_on_missing_store_is_clear(tmp_path):
    with pytest.raises(StoreError, match="不存在"):
        open_store(tmp_path / "nothing", read_only=True)
