"""Other RDF into the store: any RDF file into a named graph, replaced as one transaction.

Also the catalogue of named graphs (what kind each is, where it came from, its size).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from graph.store import REPORT_GRAPH_PREFIX, GraphStore, GraphWrite
from ontology.base import GRAPH_BASE
from ontology.errors import InputError
from ontology.namespace import RG


# file extension -> rdflib parser name; the quad formats keep their own graphs
RDF_FORMATS = {
    "ttl": "turtle", "turtle": "turtle", "nt": "nt", "ntriples": "nt", "nq": "nquads", "nquads": "nquads",
    "trig": "trig", "jsonld": "json-ld", "json": "json-ld", "rdf": "xml", "xml": "xml", "owl": "xml",
    "rdfxml": "xml",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}


@dataclass
class GraphInfo:
    graph: str
    kind: str
    source: str
    triples: int


def derived_graph_iri(kind: str, name: str) -> URIRef:
    """The default graph IRI for a file of this kind: stable for the same file name."""
    return URIRef(f"{GRAPH_BASE}{kind}/{hashlib.sha1(name.encode('utf-8')).hexdigest()[:16]}")


def rdf_format(path: Path, given: str | None) -> str:
    """The rdflib parser for a file, from --format or the extension."""
    key = (given or path.suffix.lstrip(".")).lower()
    if key not in RDF_FORMATS:
        raise InputError(f"{path.name}: 无法从扩展名判断 RDF 格式,请用 --format 指定"
                         f"({'、'.join(sorted(set(RDF_FORMATS)))})")
    return RDF_FORMATS[key]


def _parse_message(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    line = re.search(r"line (\d+)|:(\d+):|at line (\d+)", str(exc))
    where = next((g for g in line.groups() if g), None) if line else None
    return (f"第 {where} 行附近: " if where else "") + text[:300]


def _provenance(graph: URIRef, name: str, kind: str) -> list[tuple]:
    return [(graph, RDF.type, RG.SourceGraph), (graph, RG.graphKind, Literal(kind)),
            (graph, RG.importedFrom, Literal(name))]


def parse_rdf_file(data: bytes, name: str, fmt: str, graph: URIRef | None) -> list[GraphWrite]:
    """Parse an RDF file into graph writes: one graph, or each of a quad file's own graphs."""
    try:
        if fmt in QUAD_FORMATS and graph is None:
            ds = Dataset()
            ds.parse(data=data, format=fmt)
            writes = []
            for g in ds.graphs():
                if len(g) == 0:
                    continue
                target = derived_graph_iri("import", name) if g.identifier == DATASET_DEFAULT_GRAPH_ID else URIRef(g.identifier)
                writes.append(GraphWrite(target, list(g) + _provenance(target, name, "import"), replaces=[target]))
            return writes
        target = graph or derived_graph_iri("import", name)
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(data=data, format=fmt)
            triples = [(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))]
        else:
            triples = list(Graph().parse(data=data, format=fmt))
    except Exception as exc:  # rdflib raises many types; all mean "this file is malformed"
        raise InputError(f"{name}: RDF 解析失败: {_parse_message(exc)}") from None
    if not triples:
        raise InputError(f"{name}: 文件中没有三元组")
    return [GraphWrite(target, triples + _provenance(target, name, "import"), replaces=[target])]


def import_writes(store: GraphStore, writes: list[GraphWrite]) -> int:
    """Write imported graphs, each replacing the graph of the same IRI, all in one transaction."""
    for w in writes:
        if str(w.graph).startswith(REPORT_GRAPH_PREFIX):
            raise InputError(f"{w.graph}: 报告图只能由 rectigraph ingest 写入")
    store.write(writes)
    return sum(len(set(w.triples)) for w in writes)


GRAPHS_QUERY = """
SELECT ?g ?n ?kind ?source ?file WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g }
  OPTIONAL { GRAPH ?g { ?g rg:graphKind ?kind } }
  OPTIONAL { GRAPH ?g { ?g rg:importedFrom ?source } }
  OPTIONAL { GRAPH ?g { ?r a rg:Report ; rg:sourceFile ?file } }
} ORDER BY ?g"""


def list_graphs(store: GraphStore) -> list[GraphInfo]:
    """Every named graph: its kind (report, registry-…, import), source and size."""
    out = []
    for row in store.select(GRAPHS_QUERY, union=False):
        g = str(row["g"])
        kind = str(row.get("kind", "report" if g.startswith(REPORT_GRAPH_PREFIX) else "import"))
        source = str(row.get("source", row.get("file", "")))
        out.append(GraphInfo(g, kind, source, int(row["n"].toPython())))
    return out
