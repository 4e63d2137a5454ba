"""Which named graph a fact comes from: a report, a registry table or another import.

Every fact on an entity page names its graphs. The graphs of one statement are read with
pyoxigraph's index lookup (no query text) and capped, so a label repeated in thousands of
report graphs costs one bounded scan; registries and imports are listed before reports.
A `GraphCatalogue` describes each graph once per page: its kind, label, source file and,
for a report graph, the report it holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import URIRef
from rdflib.term import Node

from graph.store import REPORT_GRAPH_PREFIX, GraphStore
from ontology.base import DATA_BASE

# graph kind (rg:graphKind, or "report" / "import") -> (family, Chinese name)
GRAPH_KINDS: dict[str, tuple[str, str]] = {
    "report": ("report", "报告"),
    "registry-agencies": ("registry", "登记表·单位名录"),
    "registry-rounds": ("registry", "登记表·巡视巡察轮次"),
    "registry-documents": ("registry", "登记表·制度文件目录"),
    "import": ("import", "导入的 RDF"),
}
FAMILY_LABELS = {"report": "报告", "registry": "登记表", "import": "导入", "default": "默认图"}
SCAN_LIMIT = 5000              # quads read per statement when looking for its graphs

GRAPH_QUERY = """
SELECT ?kind ?label ?source WHERE {
  GRAPH ?g { ?g ?p ?o }
  OPTIONAL { GRAPH ?g { ?g rg:graphKind ?kind } }
  OPTIONAL { GRAPH ?g { ?g rdfs:label ?label } }
  OPTIONAL { GRAPH ?g { ?g rg:importedFrom ?source } }
} LIMIT 1"""
REPORT_QUERY = """
SELECT ?reportLabel ?file WHERE {
  GRAPH ?g { ?report a ?class }
  OPTIONAL { GRAPH ?g { ?report rdfs:label ?reportLabel } }
  OPTIONAL { GRAPH ?g { ?report rg:sourceFile ?file } }
} LIMIT 1"""
SIZE_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
CLASSES_QUERY = """
SELECT ?k (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?k } } GROUP BY ?k ORDER BY DESC(?n) ?k"""
MEMBERS_QUERY = """
SELECT ?s ?k (SAMPLE(?l) AS ?label) WHERE { GRAPH ?g { ?s a ?k OPTIONAL { ?s rdfs:label ?l } } }
GROUP BY ?s ?k ORDER BY ?k ?label ?s LIMIT %d"""
REMOTE_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d"


@dataclass
class GraphRef:
    """A named graph as the explorer names it."""

    iri: str
    kind: str                  # report, registry-agencies, registry-rounds, registry-documents, import, …
    family: str                # report, registry, import, default
    kind_label: str            # Chinese
    label: str
    source: str | None = None  # the file it was ingested or imported from
    report: str | None = None  # for a report graph: the report it holds

    @property
    def is_report(self) -> bool:
        return self.family == "report"


@dataclass
class FactGraphs:
    """The graphs holding one statement: the first few (registries and imports first) and how many in all."""

    graphs: list[GraphRef] = field(default_factory=list)
    total: int = 0
    at_least: bool = False     # the scan stopped at SCAN_LIMIT: `total` is a lower bound

    @property
    def more(self) -> int:
        return max(self.total - len(self.graphs), 0)


def graph_family(kind: str) -> str:
    return GRAPH_KINDS.get(kind, ("registry" if kind.startswith("registry") else "import", ""))[0]


class GraphCatalogue:
    """Describes graphs for one page, each looked up once."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.ox = getattr(store, "ox", None)      # None for a remote SPARQL endpoint
        self._refs: dict[str, GraphRef] = {}

    def ref(self, iri: str) -> GraphRef:
        """The kind, label and source of one graph."""
        if iri not in self._refs:
            self._refs[iri] = self._describe(iri)
        return self._refs[iri]

    def _describe(self, iri: str) -> GraphRef:
        if not iri:
            return GraphRef("", "default", "default", FAMILY_LABELS["default"], "默认图")
        found: dict[str, str] = {}
        report = None
        if iri.startswith(REPORT_GRAPH_PREFIX):     # a report graph holds the report of the same id
            kind, report = "report", f"{DATA_BASE}report/{iri[len(REPORT_GRAPH_PREFIX):]}"
            rows = self.store.select(REPORT_QUERY, {"g": URIRef(iri), "report": URIRef(report)}, union=False)
            found = {"label": str(rows[0].get("reportLabel", "")), "source": str(rows[0].get("file", ""))} if rows else {}
        else:
            rows = self.store.select(GRAPH_QUERY, {"g": URIRef(iri)}, union=False)
            found = {k: str(v) for k, v in rows[0].items()} if rows else {}
            kind = found.get("kind") or "import"
        family = graph_family(kind)
        kind_label = GRAPH_KINDS.get(kind, (family, FAMILY_LABELS.get(family, kind)))[1]
        label, source = found.get("label") or None, found.get("source") or None
        return GraphRef(iri, kind, family, kind_label, label or source or iri.rsplit("/", 1)[-1], source, report)

    def statement(self, s: Node, p: Node, o: Node, cap: int) -> FactGraphs:
        """The graphs holding the statement (s p o): registries and imports first, then up to `cap` in all."""
        names = self._graph_names(s, p, o)
        at_least = len(names) >= SCAN_LIMIT
        names = sorted(set(names), key=lambda g: (g.startswith(REPORT_GRAPH_PREFIX), g))
        return FactGraphs([self.ref(g) for g in names[:cap]], len(names), at_least)

    def _graph_names(self, s: Node, p: Node, o: Node) -> list[str]:
        if self.ox is not None:
            quads = islice(self.ox.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), None), SCAN_LIMIT)
            return [q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in quads]
        rows = self.store.select(REMOTE_GRAPHS_QUERY % SCAN_LIMIT, {"s": s, "p": p, "o": o}, union=False)
        return [str(r["g"]) for r in rows if "g" in r]


def graph_size(store: GraphStore, iri: str) -> int:
    """How many triples a named graph holds."""
    rows = store.select(SIZE_QUERY, {"g": URIRef(iri)}, union=False)
    return int(rows[0]["n"].toPython()) if rows and "n" in rows[0] else 0


def graph_classes(store: GraphStore, iri: str) -> list[tuple[str, int]]:
    """The classes of the nodes a graph describes, with how many of each."""
    rows = store.select(CLASSES_QUERY, {"g": URIRef(iri)}, union=False)
    return [(str(r["k"]), int(r["n"].toPython())) for r in rows if "k" in r]


def graph_members(store: GraphStore, iri: str, cap: int) -> list[tuple[str, str, str]]:
    """Up to `cap` typed nodes the graph describes: (node, class, label)."""
    rows = store.select(MEMBERS_QUERY % cap, {"g": URIRef(iri)}, union=False)
    return [(str(r["s"]), str(r["k"]), str(r.get("label") or str(r["s"]).rsplit("/", 1)[-1])) for r in rows]


def graph_page(store: GraphStore, limit: int, offset: int) -> tuple[list[tuple[GraphRef, int]], int]:
    """One page of the named graphs (registries and imports first), each with its size, and how many there are."""
    names = sorted((str(g) for g in store.named_graphs()), key=lambda g: (g.startswith(REPORT_GRAPH_PREFIX), g))
    catalogue = GraphCatalogue(store)
    return [(catalogue.ref(g), graph_size(store, g)) for g in names[offset:offset + limit]], len(names)
