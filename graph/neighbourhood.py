"""Bounded reading of a node's edges, shared by the entity page, the drawing and paths.

A statement about a shared node (a law's type and label, an agency's place) is stored once per
report graph that mentions the node, and the union default graph returns it once per graph: the
most cited law has thousands of copies of each. So no read here grows with the corpus:

- `EdgeWalker.stats` counts a node's distinct values per predicate with one scan capped at SCAN
  statements, in the query engine (no join and no decoding per row). When the scan is cut, the
  vocabulary's predicates are probed and each predicate is counted by its own capped scan; a
  count that reached its cap is a lower bound (`Count`, shown as "N+"). A predicate outside the
  vocabulary is then found only when the first SCAN statements hold it.
- `EdgeWalker.sample` reads the first distinct neighbours over one predicate (LIMIT in the query).
  Nodes pointing at the node (a law's citing measures: many, each stated in one graph) come with
  their kinds; nodes it points at (a measure's law, agency: shared, their type repeated in every
  graph) have their kinds read a few statements each, like the labels of the nodes shown. Both
  are cached per walker.
- the drawing takes, per expanded node and predicate, the first SAMPLE neighbours (the entity
  page's own read, for the centre) and draws up to `per_relation` of each kind; then one query
  reads the edges among exactly the drawn nodes, from the first LINK_SCAN statements of each.

Literals, `rdf:type` edges, vocabulary terms and provenance nodes (mentions, summary records) are
left out of the drawing. `EdgeWalker.edges` (all edges, up to `scan_limit` statements per
direction) is what paths walk.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from string import Template

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import RDF, RDFS, Literal
from rdflib.term import Node

from graph.store import GraphStore
from graph.vocab import PROVENANCE_KINDS, is_schema, primary_kind, term_labels
from ontology.namespace import RG

DIRECTIONS = ("out", "in")
SCAN = 10000                   # statements one capped scan reads
SAMPLE = 200                   # neighbours read per predicate: the entity page splits a relation by
                               # their kinds, and the drawing picks its nodes among them
REMOTE_PATTERN_QUERY = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT %d"
STATS_QUERY = {
    "out": """SELECT ?p (COUNT(DISTINCT ?o) AS ?n) (COUNT(*) AS ?rows) (SAMPLE(?o) AS ?one)
              WHERE { { SELECT ?p ?o WHERE { $node ?p ?o } LIMIT $scan } } GROUP BY ?p""",
    "in": """SELECT ?p (COUNT(DISTINCT ?o) AS ?n) (COUNT(*) AS ?rows) (SAMPLE(?o) AS ?one)
             WHERE { { SELECT ?p ?o WHERE { ?o ?p $node } LIMIT $scan } } GROUP BY ?p""",
}
PREDICATE_STATS_QUERY = {
    "out": """SELECT (COUNT(DISTINCT ?o) AS ?n) (COUNT(*) AS ?rows) (SAMPLE(?o) AS ?one)
              WHERE { { SELECT ?o WHERE { $node $p ?o } LIMIT $scan } }""",
    "in": """SELECT (COUNT(DISTINCT ?o) AS ?n) (COUNT(*) AS ?rows) (SAMPLE(?o) AS ?one)
             WHERE { { SELECT ?o WHERE { ?o $p $node } LIMIT $scan } }""",
}
PROBE_QUERY = {
    "out": "SELECT ?p WHERE { VALUES ?p { $predicates } FILTER EXISTS { $node ?p ?o } }",
    "in": "SELECT ?p WHERE { VALUES ?p { $predicates } FILTER EXISTS { ?o ?p $node } }",
}
NEIGHBOURS_QUERY = {       # the first $n distinct neighbours; those pointing at the node come with their kinds
    "out": """SELECT DISTINCT ?o WHERE { { SELECT ?o WHERE { $node $p ?o } LIMIT $scan } FILTER(!isLiteral(?o)) }
              LIMIT $n""",
    "in": """SELECT DISTINCT ?o ?k WHERE {
               { SELECT DISTINCT ?o WHERE { { SELECT ?o WHERE { ?o $p $node } LIMIT $scan } } LIMIT $n }
               OPTIONAL { ?o a ?k } }""",
}
LINK_SCAN = 200                # statements read per drawn node when looking for the edges among them
LINKS_QUERY = "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?o { $nodes } $scans }"
LINK_SCAN_QUERY = "{ SELECT ?s ?p ?o WHERE { VALUES ?s { $node } ?s ?p ?o } LIMIT $n }"
_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))
_PROVENANCE = {str(k) for k in PROVENANCE_KINDS}
# Predicates whose subject is always a provenance node (rg:Mention, rg:SummaryRecord): their
# incoming edges are not neighbours, so the bounded reads skip them unread.
_FROM_PROVENANCE = {ox.NamedNode(str(RG.mentions)), ox.NamedNode(str(RG.summaryOf))}
_FROM_PROVENANCE_IRIS = {p.value for p in _FROM_PROVENANCE}

Edge = tuple[str, str, str, str]          # (neighbour, subject, predicate, object)


class Count(int):
    """A count that may be a lower bound (counting stopped at a cap); it reads "N+" then."""

    at_least: bool

    def __new__(cls, value: int, at_least: bool = False) -> Count:
        count = super().__new__(cls, value)
        count.at_least = at_least
        return count

    def __str__(self) -> str:
        return f"{int(self)}+" if self.at_least else str(int(self))

    __html__ = __str__


@dataclass
class PredicateStats:
    """What a capped scan found about one predicate at a node, in one direction."""

    predicate: str
    distinct: Count            # distinct values (out) or neighbours (in)
    literal: bool              # its values are literals (judged by one of them: a predicate with both
                               # kinds of value is shown as a property or as a relation, not both)


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


def node_key(term: Node) -> str:
    """The walker's key of an rdflib node: its IRI, or _:id for a blank node."""
    return _key(to_ox(term))


def key_term(key: str) -> Node:
    """The rdflib node a walker's key stands for."""
    return from_ox(_term(key))


def fill(template: str, **values: Node | ox.NamedNode | ox.Literal | int | str) -> str:
    """The query with each $name replaced by its value: an RDF term in N-Triples syntax written by
    pyoxigraph (so escaped by the library, never pasted text), a number, or a list made so (str)."""
    return Template(template).substitute({name: _text(value) for name, value in values.items()})


def _text(value: Node | ox.NamedNode | ox.Literal | int | str) -> str:
    if isinstance(value, Node):           # before str: rdflib's terms are strings too
        return str(to_ox(value))
    return str(value)


def iri_list(keys: Iterable[str]) -> str:
    """The named nodes among `keys` as a VALUES list (blank nodes cannot be named in a query)."""
    return " ".join(str(ox.NamedNode(k)) for k in keys if not k.startswith("_:"))


@lru_cache(maxsize=1)
def vocabulary() -> str:
    """Every term the ontology names, as a VALUES list: the predicates probed at a hub."""
    return iri_list(sorted(term_labels()))


def is_relation(stat: PredicateStats, direction: str, include_provenance: bool = False) -> bool:
    """A predicate whose values are neighbours: not rdf:type, no literals, no provenance records."""
    if stat.predicate == _TYPE.value or (direction == "out" and stat.literal):
        return False
    return include_provenance or direction == "out" or stat.predicate not in _FROM_PROVENANCE_IRIS


class EdgeWalker:
    """Reads the edges around nodes, with per-node caches for kinds, labels and predicate counts."""

    def __init__(self, store: GraphStore, scan_limit: int = 2000) -> None:
        self.store = store
        self.ox = getattr(store, "ox", None)      # None for a remote SPARQL endpoint: read by queries
        self.scan_limit = scan_limit
        self._kinds: dict[str, set[str]] = {}
        self._labels: dict[str, str | None] = {}
        self._stats: dict[tuple[str, str], list[PredicateStats]] = {}
        self._samples: dict[tuple[str, str, str], tuple[int, list[str]]] = {}

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

    def known_label(self, key: str) -> str | None:
        """The node's rdfs:label (Chinese preferred) from its first few label statements, or None."""
        if key not in self._labels:
            quads = self.quads(_term(key), _LABEL, None, 5)
            zh = [q.object.value for q in quads if getattr(q.object, "language", None) == "zh"]
            plain = [q.object.value for q in quads if isinstance(q.object, ox.Literal)]
            self._labels[key] = (zh or plain or [None])[0]
        return self._labels[key]

    def label(self, key: str) -> str:
        return self.known_label(key) or key.rstrip("/").rsplit("/", 1)[-1]

    def walkable(self, key: str) -> bool:
        """A node worth walking through: not vocabulary, not a provenance record."""
        return not is_schema(key) and not (self.kinds(key) & _PROVENANCE)

    def edges(self, key: str) -> Iterator[Edge]:
        """(neighbour, subject, predicate, object) for each distinct edge at `key`, both directions."""
        node = _term(key)
        seen: set[tuple[str, str, str]] = set()
        for direction in DIRECTIONS:
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

    # -- bounded reads by capped queries (named nodes only) ----------------------------
    def stats(self, key: str, direction: str) -> list[PredicateStats]:
        """The node's predicates in one direction but rdf:type (kinds are read on their own), with
        their distinct values counted by capped scans."""
        if (key, direction) not in self._stats:
            stats = self._read_stats(ox.NamedNode(key), direction)
            self._stats[key, direction] = sorted((s for s in stats if s.predicate != _TYPE.value),
                                                 key=lambda s: s.predicate)
        return self._stats[key, direction]

    def _read_stats(self, node: ox.NamedNode, direction: str) -> list[PredicateStats]:
        rows = self.store.select(fill(STATS_QUERY[direction], node=node, scan=SCAN))
        if sum(int(r["rows"]) for r in rows) < SCAN:
            return [_stats(str(r["p"]), r) for r in rows]
        found = {str(r["p"]) for r in rows}
        probed = self.store.select(fill(PROBE_QUERY[direction], node=node, predicates=vocabulary()))
        found |= {str(r["p"]) for r in probed}
        stats = []
        for predicate in sorted(found - {_TYPE.value}):
            query = fill(PREDICATE_STATS_QUERY[direction], node=node, p=ox.NamedNode(predicate), scan=SCAN)
            row = self.store.select(query)[0]
            if int(row["rows"]):
                stats.append(_stats(predicate, row))
        return stats

    def sample(self, key: str, direction: str, predicate: str, n: int) -> list[str]:
        """The first `n` distinct neighbours over one predicate (not literals)."""
        read, keys = self._samples.get((key, direction, predicate), (0, []))
        if read < n and len(keys) == read:          # read fewer than n so far, and there may be more
            keys = self._read_sample(key, direction, predicate, n)
            self._samples[key, direction, predicate] = (n, keys)
        return keys[:n]

    def _read_sample(self, key: str, direction: str, predicate: str, n: int) -> list[str]:
        query = fill(NEIGHBOURS_QUERY[direction], node=ox.NamedNode(key), p=ox.NamedNode(predicate), scan=SCAN, n=n)
        kinds: dict[str, set[str]] = {}
        for row in self.store.select(query):
            kinds.setdefault(node_key(row["o"]), set()).update([str(row["k"])] if "k" in row else [])
        if direction == "in":                        # only this query reads their kinds
            self._kinds.update(kinds)
        return list(kinds)

    def sampled_edges(self, key: str, per_predicate: int) -> tuple[list[Edge], bool]:
        """Edges to the first `per_predicate` neighbours over each predicate, both directions, and
        whether any neighbour was left out."""
        edges: list[Edge] = []
        cut = False
        for direction in DIRECTIONS:
            for stat in self.stats(key, direction):
                if not is_relation(stat, direction):
                    continue
                others = self.sample(key, direction, stat.predicate, per_predicate)
                cut = cut or stat.distinct > len(others)
                edges += [(o, key, stat.predicate, o) if direction == "out" else (o, o, stat.predicate, key)
                          for o in others]
        return edges, cut

    def links(self, keys: Iterable[str]) -> list[tuple[str, str, str]]:
        """The edges among the given named nodes, from the first LINK_SCAN statements of each."""
        named = [ox.NamedNode(k) for k in keys if not k.startswith("_:")]
        if not named:
            return []
        scans = " UNION ".join(fill(LINK_SCAN_QUERY, node=node, n=LINK_SCAN) for node in named)
        rows = self.store.select(fill(LINKS_QUERY, nodes=" ".join(map(str, named)), scans=scans))
        return sorted((node_key(r["s"]), str(r["p"]), node_key(r["o"])) for r in rows if str(r["p"]) != _TYPE.value)


def _stats(predicate: str, row: dict[str, Node]) -> PredicateStats:
    """PredicateStats from a row of counts; the count is a lower bound when the scan was cut."""
    return PredicateStats(predicate, Count(int(row["n"]), int(row["rows"]) >= SCAN),
                          isinstance(row.get("one"), Literal))


def neighbourhood(store: GraphStore, center: str, hops: int = 1, per_relation: int = 10,
                  max_nodes: int = 150, scan_limit: int = 2000, walker: EdgeWalker | None = None) -> Subgraph:
    """Nodes within `hops` of `center` and the edges among them, capped as described above."""
    walker = walker or EdgeWalker(store, scan_limit)
    sub = Subgraph(center)
    _add_node(sub, walker, center, 0)
    found: set[tuple[str, str, str]] = set()
    frontier = [center]
    for hop in range(1, hops + 1):
        next_frontier: list[str] = []
        for key in frontier:
            if len(sub.nodes) >= max_nodes:
                sub.truncated = True
                break
            next_frontier += _expand(sub, walker, key, hop, per_relation, max_nodes, found)
        frontier = next_frontier
    blank = {e for e in found if e[0].startswith("_:") or e[2].startswith("_:")}
    sub.edges = sorted(blank | set(walker.links(sub.nodes)))
    return sub


def _expand(sub: Subgraph, walker: EdgeWalker, key: str, hop: int, per_relation: int, max_nodes: int,
            found: set[tuple[str, str, str]]) -> list[str]:
    """Add up to `per_relation` new neighbours of `key` per (direction, predicate, kind); the nodes added."""
    if key.startswith("_:"):
        edges, cut = list(walker.edges(key)), False
    else:
        edges, cut = walker.sampled_edges(key, SAMPLE)
    sub.truncated = sub.truncated or cut
    added: list[str] = []
    per_group: dict[tuple[str, str, str | None], int] = {}
    for other, s, p, o in edges:
        if other in sub.nodes:
            found.add((s, p, o))
            continue
        if not walker.walkable(other):
            continue
        if len(sub.nodes) >= max_nodes:
            sub.truncated = True
            break
        group = ("out" if s == key else "in", p, primary_kind(walker.kinds(other)))
        if per_group.get(group, 0) >= per_relation:
            sub.truncated = True
            continue
        per_group[group] = per_group.get(group, 0) + 1
        _add_node(sub, walker, other, hop)
        added.append(other)
        found.add((s, p, o))
    return added


def _add_node(sub: Subgraph, walker: EdgeWalker, key: str, hop: int) -> None:
    sub.nodes[key] = NodeInfo(key, walker.label(key), primary_kind(walker.kinds(key)), hop, key.startswith("_:"))
