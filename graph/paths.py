"""Shortest connecting paths between two nodes: networkx over a projection of the graph.

The projection keeps resources only: literals, `rdf:type` edges, vocabulary terms and
provenance nodes (mentions, summary records) are skipped, and direction is forgotten (an
issue and the law a measure under it cites are connected either way). On a large store the
whole projection does not fit in memory, so `find_paths` grows it from both ends at once —
a bidirectional breadth-first walk over capped edge reads — and stops at the layer where the
two sides meet, which is enough for every shortest path within the caps.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

import networkx as nx
from rdflib import RDF, BNode, Literal, URIRef

from graph.neighbourhood import EdgeWalker
from graph.store import GraphStore
from graph.vocab import PROVENANCE_KINDS, is_schema

_PROVENANCE = {str(k) for k in PROVENANCE_KINDS}


@dataclass
class PathStep:
    """One edge of a path, as stored: `subject predicate object`, walked forward or backward."""

    source: str
    target: str
    predicate: str
    forward: bool


@dataclass
class PathResult:
    source: str
    target: str
    paths: list[list[str]] = field(default_factory=list)
    steps: list[list[PathStep]] = field(default_factory=list)
    explored: int = 0          # nodes the walk visited
    truncated: bool = False    # a cap was hit, so a path may have been missed


def project(triples: Iterable[tuple], kinds: dict[str, set[str]] | None = None) -> nx.Graph:
    """The undirected graph of resources: each edge keeps its predicates and stored direction."""
    kinds = kinds or {}
    for s, p, o in triples:
        if str(p) == str(RDF.type) and isinstance(o, URIRef | str):
            kinds.setdefault(str(s), set()).add(str(o))
    graph = nx.Graph()
    for s, p, o in triples:
        if isinstance(o, Literal) or str(p) == str(RDF.type):
            continue
        s_key, o_key = _key(s), _key(o)
        if any(is_schema(k) or kinds.get(k, set()) & _PROVENANCE for k in (s_key, o_key)) or s_key == o_key:
            continue
        data = graph.get_edge_data(s_key, o_key)
        if data is None:
            graph.add_edge(s_key, o_key, links=[(s_key, str(p), o_key)])
        elif (s_key, str(p), o_key) not in data["links"]:
            data["links"].append((s_key, str(p), o_key))
    return graph


def _key(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def shortest_paths(graph: nx.Graph, source: str, target: str, limit: int = 10) -> list[list[str]]:
    """Up to `limit` shortest paths from source to target (empty when unconnected)."""
    if source not in graph or target not in graph:
        return []
    if source == target:
        return [[source]]
    try:
        return [list(p) for p in islice(nx.all_shortest_paths(graph, source, target), limit)]
    except nx.NetworkXNoPath:
        return []


def path_steps(graph: nx.Graph, path: list[str]) -> list[PathStep]:
    """The stored edge behind each hop of a path (the first predicate when there are several)."""
    steps = []
    for a, b in zip(path, path[1:]):
        s, p, o = graph.get_edge_data(a, b)["links"][0]
        steps.append(PathStep(a, b, p, forward=(s == a)))
    return steps


def find_paths(store: GraphStore, source: str, target: str, max_depth: int = 20, limit: int = 10,
               node_budget: int = 20000, scan_limit: int = 2000) -> PathResult:
    """Shortest paths between two nodes of the store, growing the projection from both ends."""
    walker = EdgeWalker(store, scan_limit)
    result = PathResult(source, target)
    triples: set[tuple[str, str, str]] = set()
    seen = [{source: 0}, {target: 0}]
    frontiers = [[source], [target]]
    met = source == target
    depth = 0
    while not met and depth < max_depth and all(frontiers):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        layer: list[str] = []
        for key in frontiers[side]:
            for other, s, p, o in walker.edges(key):
                if not walker.walkable(other):
                    continue
                triples.add((s, p, o))
                if other not in seen[side]:
                    seen[side][other] = seen[side][key] + 1
                    layer.append(other)
                if other in seen[1 - side]:
                    met = True
            if sum(map(len, seen)) > node_budget:
                result.truncated = True
                break
        frontiers[side] = layer
        depth += 1
        if result.truncated:
            break
    result.explored = len(set(seen[0]) | set(seen[1]))
    terms = [(_term(s), URIRef(p), _term(o)) for s, p, o in triples]
    kinds = {k: walker.kinds(k) for k in (set(seen[0]) | set(seen[1]))}
    graph = project(terms, kinds)
    graph.add_node(source)
    graph.add_node(target)
    result.paths = shortest_paths(graph, source, target, limit)
    result.steps = [path_steps(graph, p) for p in result.paths]
    return result


def _term(key: str):
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)
