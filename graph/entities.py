"""Describe one node for the explorer: label, kinds, properties, neighbours by relation, sources.

Every read is capped, so a hub (a law cited by thousands of reports, whose type and label are
stored once per citing report graph) costs about what any node costs:

- predicates and their distinct values are counted by capped scans (`EdgeWalker.stats`); a count
  that reached its cap is a lower bound, shown as "N+"; a property's values are the distinct ones
  among its first SCAN statements;
- per relation the kinds of the first SAMPLE neighbours are read: when there are more, each
  kind's count is a lower bound and the rest are counted in a group of their own (未逐一分类);
  `cap` neighbours per kind are shown, sorted by label, and only their labels are read;
- the graphs stating a fact are read by name up to GRAPH_SCAN and counted up to GRAPH_COUNT_CAP;
  past GRAPH_SCAN the registry and import graphs are checked one by one, so they still come first;
- sources: `source_cap` mentions are picked inside the query, before anything is joined to them.

Sources are the sentences a node comes from: its own span (issues, measures, sections) and the
spans of the mentions that point at it, each cut from the report's normalized text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.neighbourhood import (DIRECTIONS, SAMPLE, SCAN, Count, EdgeWalker, PredicateStats, fill, iri_list,
                                 is_relation, key_term)
from graph.provenance import FactGraphs, GraphCatalogue, GraphRef
from graph.store import REPORT_GRAPH_PREFIX, GraphStore
from graph.vocab import PROVENANCE_KINDS, kind_key, primary_kind, term_label
from ontology.errors import NotFound
from ontology.namespace import RG

LITERAL_PREVIEW = 400          # characters of a long literal shown on the page
VALUE_CAP = 500                # literal values shown per node
GRAPH_CAP = 5                  # source graphs named per fact (the rest counted)
GRAPH_SCAN = 50                # graphs of one fact read by name; past that they are counted
GRAPH_COUNT_CAP = 5000         # graphs of one fact counted at most ("N+" past that)
UNSORTED = "未逐一分类"        # the kind shown for the neighbours past the SAMPLE whose kinds are read
SENTENCE_STOPS = "。！？；!?;\n"
CONTEXT = 120                  # characters of text fetched around a span to find its sentence
MATCH_PREVIEW = 300            # longest span shown in full

EXISTS_QUERY = "SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } } LIMIT 1"
LABEL_QUERY = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 5"
KINDS_QUERY = "SELECT DISTINCT ?k WHERE { { SELECT ?k WHERE { $node a ?k } LIMIT $scan } }"
VALUES_QUERY = "SELECT DISTINCT ?o WHERE { { SELECT ?o WHERE { $node $p ?o } LIMIT $scan } } LIMIT $n"
TRIPLES_QUERY = {
    "out": "SELECT DISTINCT ?p ?o WHERE { { SELECT ?p ?o WHERE { $node ?p ?o } LIMIT $scan } } LIMIT $n",
    "in": "SELECT DISTINCT ?p ?o WHERE { { SELECT ?p ?o WHERE { ?o ?p $node } LIMIT $scan } } LIMIT $n",
}
OWN_SPAN_QUERY = """
SELECT ?s ?report ?reportLabel ?start ?end ?rule WHERE {
  ?s rg:charStart ?start ; rg:charEnd ?end ; rg:inReport ?report .
  OPTIONAL { ?s rg:rule ?rule } OPTIONAL { ?report rdfs:label ?reportLabel }
} LIMIT 5"""
MENTIONS_QUERY = """
SELECT ?m ?report ?reportLabel ?start ?end ?rule ?written ?verb WHERE {
  { SELECT ?m WHERE { ?m rg:mentions $node } LIMIT $n }
  ?m rg:inReport ?report ; rg:charStart ?start ; rg:charEnd ?end .
  OPTIONAL { ?m rg:rule ?rule } OPTIONAL { ?m rg:asWritten ?written } OPTIONAL { ?m rg:verb ?verb }
  OPTIONAL { ?report rdfs:label ?reportLabel }
} ORDER BY ?report ?start"""
SNIPPET_QUERY = """
SELECT ?report ?from ?length (SUBSTR(?text, ?from, ?length) AS ?snippet)
WHERE { ?report rg:text ?text } LIMIT 1"""
GRAPH_NAMES_QUERY = "SELECT ?g WHERE { GRAPH ?g { $s $p $o } } LIMIT $n"
GRAPH_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?g WHERE { GRAPH ?g { $s $p $o } } LIMIT $n } }"
SOURCE_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g rg:graphKind ?kind } }"
HOLDING_QUERY = "SELECT ?g WHERE { VALUES ?g { $graphs } GRAPH ?g { $s $p $o } }"


@dataclass
class Neighbour:
    iri: str
    label: str
    kind: str | None
    is_blank: bool = False
    graphs: FactGraphs = field(default_factory=FactGraphs)   # the graphs that state this edge


@dataclass
class RelationGroup:
    """The neighbours reached over one predicate in one direction, of one kind."""

    predicate: str
    label: str                 # Chinese name of the predicate
    direction: str             # "out": this node -> neighbour; "in": neighbour -> this node
    kind: str | None
    kind_label: str
    total: int
    items: list[Neighbour] = field(default_factory=list)
    at_least: bool = False     # `total` is a lower bound (counting or typing stopped at a cap)

    def __post_init__(self) -> None:
        self.total = Count(self.total, self.at_least)

    @property
    def more(self) -> Count:
        return Count(max(self.total - len(self.items), 0), self.at_least)


@dataclass
class PropertyValue:
    predicate: str
    label: str
    value: str
    datatype: str | None
    language: str | None
    truncated: bool = False
    graphs: FactGraphs = field(default_factory=FactGraphs)   # the graphs that state this value


@dataclass
class Source:
    """A sentence of a report that a node comes from, cut into before / match / after."""

    report: str
    report_label: str
    start: int
    end: int
    before: str
    match: str
    after: str
    rule: str | None
    as_written: str | None = None
    verb: str | None = None
    own: bool = False          # the node's own span rather than a mention of it


@dataclass
class Entity:
    iri: str
    label: str
    kinds: list[tuple[str, str]]          # (kind IRI, Chinese label)
    kind: str | None                      # the primary kind
    properties: list[PropertyValue]
    relations: list[RelationGroup]
    sources: list[Source]
    sources_total: int
    graphs: list[GraphRef] = field(default_factory=list)     # every graph named by the facts shown
    sources_at_least: bool = False        # `sources_total` is a lower bound

    def __post_init__(self) -> None:
        self.sources_total = Count(self.sources_total, self.sources_at_least)

    @property
    def kind_key(self) -> str:
        return kind_key(self.kind)

    @property
    def graph_families(self) -> list[str]:
        """report, registry, import …: the kinds of graph this node's facts come from."""
        return sorted({g.family for g in self.graphs})


class StatementGraphs:
    """The graphs stating each fact of a page: a bounded read per fact, each graph described once."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.ox = getattr(store, "ox", None)      # None for a remote SPARQL endpoint
        self.catalogue = GraphCatalogue(store)
        self._sources: str | None = None

    def of(self, s: Node, p: Node, o: Node, cap: int = GRAPH_CAP) -> FactGraphs:
        """The graphs holding (s p o): registries and imports first, then up to `cap` in all."""
        names = self._names(s, p, o)
        total = Count(len(names))
        if len(names) >= GRAPH_SCAN:
            total = self._count(s, p, o)
            names += self._holding_sources(s, p, o)
        names = sorted(set(names), key=lambda g: (g.startswith(REPORT_GRAPH_PREFIX), g))
        return FactGraphs([self.catalogue.ref(g) for g in names[:cap]], int(total), total.at_least)

    def _names(self, s: Node, p: Node, o: Node) -> list[str]:
        if self.ox is not None:
            quads = islice(self.ox.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), None), GRAPH_SCAN)
            return [q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in quads]
        rows = self.store.select(fill(GRAPH_NAMES_QUERY, s=s, p=p, o=o, n=GRAPH_SCAN), union=False)
        return [str(r["g"]) for r in rows if "g" in r]

    def _count(self, s: Node, p: Node, o: Node) -> Count:
        rows = self.store.select(fill(GRAPH_COUNT_QUERY, s=s, p=p, o=o, n=GRAPH_COUNT_CAP), union=False)
        n = int(rows[0]["n"]) if rows else 0
        return Count(n, n >= GRAPH_COUNT_CAP)

    def _holding_sources(self, s: Node, p: Node, o: Node) -> list[str]:
        """The registry and import graphs (those that describe themselves) holding (s p o)."""
        if self._sources is None:
            self._sources = iri_list(str(r["g"]) for r in self.store.select(SOURCE_GRAPHS_QUERY, union=False))
        if not self._sources:
            return []
        rows = self.store.select(fill(HOLDING_QUERY, graphs=self._sources, s=s, p=p, o=o), union=False)
        return [str(r["g"]) for r in rows]


def _term(iri: str) -> URIRef:
    return URIRef(iri)


def node_label(store: GraphStore, iri: str) -> str:
    """The node's rdfs:label (Chinese preferred), else the end of its IRI."""
    rows = store.select(LABEL_QUERY, {"s": _term(iri)})
    labels = [r["label"] for r in rows if "label" in r]
    if not labels:
        return iri.rstrip("/").rsplit("/", 1)[-1]
    zh = [l for l in labels if getattr(l, "language", None) == "zh"]
    return str((zh or labels)[0])


def node_kinds(store: GraphStore, iri: str) -> list[str]:
    rows = store.select(fill(KINDS_QUERY, node=_term(iri), scan=SCAN))
    return sorted(str(r["k"]) for r in rows if "k" in r)


def _neighbour(walker: EdgeWalker, key: str, kind: str | None) -> Neighbour:
    if key.startswith("_:"):
        return Neighbour(key[2:], walker.known_label(key) or "(空白节点)", kind, is_blank=True)
    return Neighbour(key, walker.label(key), kind)


def relation_groups(store: GraphStore, iri: str, cap: int, include_provenance: bool = False,
                    facts: StatementGraphs | None = None, walker: EdgeWalker | None = None) -> list[RelationGroup]:
    """Neighbours grouped by (direction, predicate, kind), each capped at `cap`, with counts (lower
    bounds past the caps) and, given `facts`, the graphs stating each edge shown."""
    walker = walker or EdgeWalker(store)
    groups: list[RelationGroup] = []
    for direction in DIRECTIONS:
        for stat in walker.stats(iri, direction):
            if is_relation(stat, direction, include_provenance):
                groups += _kind_groups(walker, iri, direction, stat, cap, include_provenance, facts)
    groups.sort(key=lambda g: (g.direction != "out", g.label, g.kind_label == UNSORTED, g.kind_label))
    return groups


def _kind_groups(walker: EdgeWalker, iri: str, direction: str, stat: PredicateStats, cap: int,
                 include_provenance: bool, facts: StatementGraphs | None) -> list[RelationGroup]:
    """One relation split by the kinds of its first SAMPLE neighbours, and a group for the rest."""
    sample = walker.sample(iri, direction, stat.predicate, SAMPLE)
    by_kind: dict[str | None, list[str]] = {}
    for key in sample:
        by_kind.setdefault(primary_kind(walker.kinds(key)), []).append(key)
    partial = stat.distinct > len(sample) or stat.distinct.at_least
    label = term_label(stat.predicate)
    groups = []
    for kind, keys in by_kind.items():
        if kind and URIRef(kind) in PROVENANCE_KINDS and not include_provenance:
            continue
        group = RelationGroup(stat.predicate, label, direction, kind, term_label(kind) if kind else "其他",
                              len(keys), at_least=partial)
        shown = sorted(keys[:cap], key=lambda k: (walker.label(k), k))
        group.items = [_neighbour(walker, k, kind) for k in shown]
        if facts is not None:
            for item, key in zip(group.items, shown):
                item.graphs = facts.of(*_edge(iri, stat.predicate, key, direction))
        groups.append(group)
    if stat.distinct > len(sample):
        groups.append(RelationGroup(stat.predicate, label, direction, None, UNSORTED, stat.distinct - len(sample),
                                    at_least=stat.distinct.at_least))
    return groups


def _edge(iri: str, predicate: str, key: str, direction: str) -> tuple[Node, Node, Node]:
    other = key_term(key)
    return (_term(iri), URIRef(predicate), other) if direction == "out" else (other, URIRef(predicate), _term(iri))


def properties(store: GraphStore, iri: str, facts: StatementGraphs | None = None,
               walker: EdgeWalker | None = None) -> list[PropertyValue]:
    """The node's literal values, up to VALUE_CAP (and, given `facts`, the graphs stating each)."""
    walker = walker or EdgeWalker(store)
    node = _term(iri)
    out: list[PropertyValue] = []
    for stat in walker.stats(iri, "out"):
        if not stat.literal or len(out) >= VALUE_CAP:
            continue
        p = URIRef(stat.predicate)
        rows = store.select(fill(VALUES_QUERY, node=node, p=p, scan=SCAN, n=VALUE_CAP - len(out)))
        values = sorted((r["o"] for r in rows if isinstance(r["o"], Literal)), key=lambda v: (str(v), v.language or ""))
        out += [_property(node, p, value, facts) for value in values]
    return out


def _property(node: URIRef, p: URIRef, value: Literal, facts: StatementGraphs | None) -> PropertyValue:
    text = str(value)
    prop = PropertyValue(str(p), term_label(p), text[:LITERAL_PREVIEW], str(value.datatype) if value.datatype else None,
                         value.language, truncated=len(text) > LITERAL_PREVIEW)
    if facts is not None:
        prop.graphs = facts.of(node, p, value)
    return prop


def cut_sentence(snippet: str, offset: int, start: int, end: int) -> tuple[str, str, str]:
    """Split the text around a span at sentence stops: (before, match, after).

    `snippet` is the report text from character `offset` on; `start`/`end` are report offsets.
    """
    s, e = start - offset, end - offset
    before = snippet[:s]
    cut = max(before.rfind(c) for c in SENTENCE_STOPS)
    before = before[cut + 1:] if cut >= 0 else ("…" + before if offset > 0 else before)
    match = snippet[s:e]
    if len(match) > MATCH_PREVIEW:
        return before, match[:MATCH_PREVIEW] + "…", ""
    after = snippet[e:]
    stops = [i for i in (after.find(c) for c in SENTENCE_STOPS) if i >= 0]
    after = after[:min(stops) + 1] if stops else after + "…"
    return before, match, after.rstrip("\n")


def snippet(store: GraphStore, report: str, start: int, end: int) -> tuple[str, str, str] | None:
    """The sentence around [start, end) of a report's text, or None when the report has no text."""
    offset = max(start - CONTEXT, 0)
    length = min(end - start, MATCH_PREVIEW) + CONTEXT + (start - offset)
    rows = store.select(SNIPPET_QUERY, {"report": _term(report), "from": Literal(offset + 1),
                                        "length": Literal(length)})
    if not rows or "snippet" not in rows[0]:
        return None
    return cut_sentence(str(rows[0]["snippet"]), offset, start, end)


def sources(store: GraphStore, iri: str, cap: int, walker: EdgeWalker | None = None) -> tuple[list[Source], Count]:
    """The sentences a node comes from (its own span first, then up to `cap` mentions) and how many there are."""
    walker = walker or EdgeWalker(store)
    node = _term(iri)
    found: list[Source] = []
    own = store.select(OWN_SPAN_QUERY, {"s": node})
    for row in own:
        parts = snippet(store, str(row["report"]), int(row["start"]), int(row["end"]))
        if parts:
            found.append(Source(str(row["report"]), str(row.get("reportLabel", "")), int(row["start"]),
                                int(row["end"]), *parts, rule=str(row["rule"]) if "rule" in row else None, own=True))
    mentions = next((s.distinct for s in walker.stats(iri, "in") if s.predicate == str(RG.mentions)), Count(0))
    if mentions:
        for row in store.select(fill(MENTIONS_QUERY, node=node, n=cap)):
            parts = snippet(store, str(row["report"]), int(row["start"]), int(row["end"]))
            if parts:
                found.append(Source(str(row["report"]), str(row.get("reportLabel", "")), int(row["start"]),
                                    int(row["end"]), *parts, rule=str(row["rule"]) if "rule" in row else None,
                                    as_written=str(row["written"]) if "written" in row else None,
                                    verb=str(row["verb"]) if "verb" in row else None))
    return found, Count(mentions + len(own), mentions.at_least)


def describe(store: GraphStore, iri: str, cap: int = 25, source_cap: int = 20,
             walker: EdgeWalker | None = None) -> Entity:
    """Everything the entity page shows about one node; NotFound when the store has nothing on it."""
    node = _term(iri)
    if not store.select(EXISTS_QUERY, {"s": node}):
        raise NotFound(f"图谱中没有这个节点: {iri}")
    walker = walker or EdgeWalker(store)
    kinds = node_kinds(store, iri)
    found, total = sources(store, iri, source_cap, walker)
    facts = StatementGraphs(store)
    props = properties(store, iri, facts, walker)
    groups = relation_groups(store, iri, cap, facts=facts, walker=walker)
    named = {g.iri: g for fact in [*props, *(n for grp in groups for n in grp.items)] for g in fact.graphs.graphs}
    ordered = sorted(named.values(), key=lambda g: (g.is_report, g.kind, g.label))
    return Entity(iri, node_label(store, iri), [(k, term_label(k)) for k in kinds], primary_kind(kinds),
                  props, groups, found, total, ordered, sources_at_least=total.at_least)


def triples_about(store: GraphStore, iri: str, cap: int = 2000) -> list[tuple[Node, Node, Node]]:
    """The node's own statements and the statements pointing at it (distinct, each direction capped)."""
    node = _term(iri)
    found: set[tuple[Node, Node, Node]] = set()
    for direction in DIRECTIONS:
        for row in store.select(fill(TRIPLES_QUERY[direction], node=node, scan=SCAN, n=cap)):
            found.add((node, row["p"], row["o"]) if direction == "out" else (row["o"], row["p"], node))
    return sorted(found)
