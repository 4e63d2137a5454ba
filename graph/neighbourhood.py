"""The capped neighbourhood of a node (1 or 2 hops) for drawing, and the edge walker paths use.

Edges are read with pyoxigraph's index lookups (no query text), deduplicated across report
graphs, and capped: at most `per_relation` neighbours per (direction, predicate, kind) and
`max_nodes` nodes overall, and no more than `scan_limit` quads read per node and direction,
so a hub never costs more than a bounded scan. Literals, `rdf:type` edges, vocabulary terms
and provenance nodes (mentions, summary records) are left out.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import RDF, RDFS

from graph.store import GraphStore
from graph.vocab import PROVENANCE_KINDS, is_schema, primary_kind
from ontology.namespace import RG

REMOTE_PATTERN_QUERY = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT %d"
_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))
_PROVENANCE = {str(k) for k in PROVENANCE_KINDS}
# Predicates whose subject is always a provenance node (rg:Mention, rg:SummaryRecord): their
# incoming edges are skipped unread, so a hub's thousands of mentions cost no type lookups and
# do not use up the scan limit before the edges that are drawn.
_FROM_PROVENANCE = {ox.NamedNode(str(RG.mentions)), ox.NamedNode(str(RG.summaryOf))}


@dataclass
class NodeInfo:
    iri: str
    label: str
    kind: str | None
    hop: int
    is_blank: bool = False


@dataclass
class Subgraph:
    center: str
    nodes: dict[str, NodeInfo] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)   # (subject, predicate, object)
    truncated: bool = False


def _key(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _term(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


class EdgeWalker:
    """Reads the IRI-to-IRI edges around nodes, with per-node caches for kinds and labels."""

    def __init__(self, store: GraphStore, scan_limit: int = 2000) -> None:
        self.store = store
        self.ox = getattr(store, "ox", None)      # None for a remote SPARQL endpoint: read by queries
        self.scan_limit = scan_limit
        self._kinds: dict[str, set[str]] = {}
        self._labels: dict[str, str] = {}

    def quads(self, s, p, o, limit: int) -> list:
        """Up to `limit` quads matching the pattern, from the embedded store or a remote endpoint."""
        if self.ox is not None:
            return list(islice(self.ox.quads_for_pattern(s, p, o), limit))
        if s is not None and (isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode)):
            return []
        bindings = {name: from_ox(term) for name, term in (("s", s), ("p", p), ("o", o)) if term is not None}
        rows = self.store.select(REMOTE_PATTERN_QUERY % limit, bindings)
        return [ox.Quad(to_ox(r.get("s", bindings.get("s"))), to_ox(r.get("p", bindings.get("p"))),
                        to_ox(r.get("o", bindings.get("o")))) for r in rows]

    def kinds(self, key: str) -> set[str]:
        if key not in self._kinds:
            self._kinds[key] = {q.object.value for q in self.quads(_term(key), _TYPE, None, 20)}
        return self._kinds[key]

    def label(self, key: str) -> str:
        if key not in self._labels:
            quads = self.quads(_term(key), _LABEL, None, 5)
            zh = [q.object.value for q in quads if getattr(q.object, "language", None) == "zh"]
            plain = [q.object.value for q in quads if isinstance(q.object, ox.Literal)]
            self._labels[key] = (zh or plain or [key.rstrip("/").rsplit("/", 1)[-1]])[0]
        return self._labels[key]

    def walkable(self, key: str) -> bool:
        """A node worth walking through: not vocabulary, not a provenance record."""
        return not is_schema(key) and not (self.kinds(key) & _PROVENANCE)

    def edges(self, key: str) -> Iterator[tuple[str, str, str, str]]:
        """(neighbour, subject, predicate, object) for each distinct edge at `key`, both directions."""
        node = _term(key)
        seen: set[tuple[str, str, str]] = set()
        for direction in ("out", "in"):
            pattern = (node, None, None) if direction == "out" else (None, None, node)
            for q in self.quads(*pattern, self.scan_limit):
                if q.predicate == _TYPE or (direction == "in" and q.predicate in _FROM_PROVENANCE):
                    continue
                other = q.object if direction == "out" else q.subject
                if isinstance(other, (ox.Literal, ox.Triple)) or isinstance(other, ox.DefaultGraph):
                    continue
                edge = (_key(q.subject), q.predicate.value, _key(q.object))
                if edge in seen:
                    continue
                seen.add(edge)
                yield _key(other), *edge


def neighbourhood(store: GraphStore, center: str, hops: int = 1, per_relation: int = 10,
                  max_nodes: int = 150, scan_limit: int = 2000) -> Subgraph:
    """Nodes within `hops` of `center` and the edges among them, capped as described above."""
    walker = EdgeWalker(store, scan_limit)
    sub = Subgraph(center)

    def add_node(key: str, hop: int) -> None:
        kinds = walker.kinds(key)
        sub.nodes[key] = NodeInfo(key, walker.label(key), primary_kind(kinds), hop, key.startswith("_:"))

    add_node(center, 0)
    edge_set: set[tuple[str, str, str]] = set()
    frontier = [center]
    for hop in range(1, hops + 1):
        next_frontier: list[str] = []
        for key in frontier:
            per_group: dict[tuple[str, str, str | None], int] = {}
            for other, s, p, o in walker.edges(key):
                if not walker.walkable(other):
                    continue
                if other in sub.nodes:
                    if (s, p, o) not in edge_set:
                        edge_set.add((s, p, o))
                        sub.edges.append((s, p, o))
                    continue
                group = ("out" if s == key else "in", p, primary_kind(walker.kinds(other)))
                if per_group.get(group, 0) >= per_relation:
                    sub.truncated = True
                    continue
                if len(sub.nodes) >= max_nodes:
                    sub.truncated = True
                    break
                per_group[group] = per_group.get(group, 0) + 1
                add_node(other, hop)
                next_frontier.append(other)
                edge_set.add((s, p, o))
                sub.edges.append((s, p, o))
        frontier = next_frontier
    # edges among the outermost ring, so the drawing shows how they connect
    for key in frontier:
        for other, s, p, o in walker.edges(key):
            if other in sub.nodes and (s, p, o) not in edge_set:
                edge_set.add((s, p, o))
                sub.edges.append((s, p, o))
    return sub
