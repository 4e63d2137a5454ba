"""Describe one node for the explorer: label, kinds, properties, neighbours by relation, sources.

Neighbours are fetched per relation with a cap and counted in full, so a hub (a law cited by
thousands of reports) costs a few small queries and shows "另有 N 条" instead of everything.
Sources are the sentences a node comes from: its own span (issues, measures, sections) and the
spans of the mentions that point at it, each cut from the report's normalized text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.neighbourhood import EdgeWalker
from graph.provenance import FactGraphs, GraphCatalogue, GraphRef
from graph.store import GraphStore
from graph.vocab import PROVENANCE_KINDS, kind_key, primary_kind, term_label
from ontology.errors import NotFound

LITERAL_PREVIEW = 400          # characters of a long literal shown on the page
GRAPH_CAP = 5                  # source graphs named per fact (the rest counted)
SENTENCE_STOPS = "。！？；!?;\n"
CONTEXT = 120                  # characters of text fetched around a span to find its sentence
MATCH_PREVIEW = 300            # longest span shown in full

EXISTS_QUERY = "SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } } LIMIT 1"
LABEL_QUERY = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 5"
KINDS_QUERY = "SELECT DISTINCT ?s ?k WHERE { ?s a ?k }"
PROPERTIES_QUERY = """
SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?p ?o LIMIT 500"""
OUT_GROUPS_QUERY = """
SELECT ?s ?p ?k (COUNT(DISTINCT ?o) AS ?n)
WHERE { ?s ?p ?o FILTER(!isLiteral(?o) && ?p != rdf:type) OPTIONAL { ?o a ?k } }
GROUP BY ?s ?p ?k"""
IN_GROUPS_QUERY = """
SELECT ?s ?p ?k (COUNT(DISTINCT ?o) AS ?n)
WHERE { ?o ?p ?s FILTER(?p != rdf:type) OPTIONAL { ?o a ?k } }
GROUP BY ?s ?p ?k"""
OUT_ITEMS_QUERY = """
SELECT ?s ?p ?k ?o (SAMPLE(?l) AS ?label)
WHERE { ?s ?p ?o . ?o a ?k . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?s ?p ?k ?o ORDER BY ?label ?o LIMIT %d"""
IN_ITEMS_QUERY = """
SELECT ?s ?p ?k ?o (SAMPLE(?l) AS ?label)
WHERE { ?o ?p ?s . ?o a ?k . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?s ?p ?k ?o ORDER BY ?label ?o LIMIT %d"""
OUT_UNTYPED_QUERY = """
SELECT ?s ?p ?o (SAMPLE(?l) AS ?label)
WHERE { ?s ?p ?o FILTER(!isLiteral(?o) && NOT EXISTS { ?o a ?any }) OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?s ?p ?o ORDER BY ?label ?o LIMIT %d"""
IN_UNTYPED_QUERY = """
SELECT ?s ?p ?o (SAMPLE(?l) AS ?label)
WHERE { ?o ?p ?s FILTER(NOT EXISTS { ?o a ?any }) OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?s ?p ?o ORDER BY ?label ?o LIMIT %d"""
OWN_SPAN_QUERY = """
SELECT ?s ?report ?reportLabel ?start ?end ?rule WHERE {
  ?s rg:charStart ?start ; rg:charEnd ?end ; rg:inReport ?report .
  OPTIONAL { ?s rg:rule ?rule } OPTIONAL { ?report rdfs:label ?reportLabel }
} LIMIT 5"""
MENTION_COUNT_QUERY = "SELECT ?s (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m rg:mentions ?s } GROUP BY ?s"
MENTIONS_QUERY = """
SELECT ?s ?m ?report ?reportLabel ?start ?end ?rule ?written ?verb WHERE {
  ?m rg:mentions ?s ; rg:inReport ?report ; rg:charStart ?start ; rg:charEnd ?end .
  OPTIONAL { ?m rg:rule ?rule } OPTIONAL { ?m rg:asWritten ?written } OPTIONAL { ?m rg:verb ?verb }
  OPTIONAL { ?report rdfs:label ?reportLabel }
} ORDER BY ?report ?start LIMIT %d"""
SNIPPET_QUERY = """
SELECT ?report ?from ?length (SUBSTR(?text, ?from, ?length) AS ?snippet)
WHERE { ?report rg:text ?text } LIMIT 1"""


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

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


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

    @property
    def kind_key(self) -> str:
        return kind_key(self.kind)

    @property
    def graph_families(self) -> list[str]:
        """report, registry, import …: the kinds of graph this node's facts come from."""
        return sorted({g.family for g in self.graphs})


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
    return sorted(str(r["k"]) for r in store.select(KINDS_QUERY, {"s": _term(iri)}) if "k" in r)


def _neighbour(term: Node, label: Node | None, kind: str | None) -> Neighbour:
    if isinstance(term, BNode):
        return Neighbour(str(term), str(label) if label is not None else "(空白节点)", kind, is_blank=True)
    return Neighbour(str(term), str(label) if label is not None else str(term).rstrip("/").rsplit("/", 1)[-1], kind)


def relation_groups(store: GraphStore, iri: str, cap: int, include_provenance: bool = False,
                    catalogue: GraphCatalogue | None = None) -> list[RelationGroup]:
    """Neighbours grouped by (direction, predicate, kind), each capped at `cap`, with full counts
    (and, given a catalogue, the graphs stating each edge shown)."""
    node = _term(iri)
    groups: list[RelationGroup] = []
    for direction, count_q, items_q, untyped_q in (("out", OUT_GROUPS_QUERY, OUT_ITEMS_QUERY, OUT_UNTYPED_QUERY),
                                                   ("in", IN_GROUPS_QUERY, IN_ITEMS_QUERY, IN_UNTYPED_QUERY)):
        for row in store.select(count_q, {"s": node}):
            predicate, kind = str(row["p"]), (str(row["k"]) if "k" in row else None)
            if kind and URIRef(kind) in PROVENANCE_KINDS and not include_provenance:
                continue
            group = RelationGroup(predicate, term_label(predicate), direction, kind,
                                  term_label(kind) if kind else "其他", int(row["n"].toPython()))
            if cap > 0:
                if kind:
                    rows = store.select(items_q % cap, {"s": node, "p": row["p"], "k": row["k"]})
                else:
                    rows = store.select(untyped_q % cap, {"s": node, "p": row["p"]})
                group.items = [_neighbour(r["o"], r.get("label"), kind) for r in rows]
                if catalogue is not None:
                    for item, r in zip(group.items, rows):
                        edge = (node, row["p"], r["o"]) if direction == "out" else (r["o"], row["p"], node)
                        item.graphs = catalogue.statement(*edge, GRAPH_CAP)
            groups.append(group)
    groups.sort(key=lambda g: (g.direction != "out", g.label, g.kind_label))
    return groups


def properties(store: GraphStore, iri: str, catalogue: GraphCatalogue | None = None) -> list[PropertyValue]:
    """The node's literal values (and, given a catalogue, the graphs stating each)."""
    out = []
    node = _term(iri)
    for row in store.select(PROPERTIES_QUERY, {"s": node}):
        value: Literal = row["o"]
        text = str(value)
        prop = PropertyValue(str(row["p"]), term_label(row["p"]), text[:LITERAL_PREVIEW],
                             str(value.datatype) if value.datatype else None, value.language,
                             truncated=len(text) > LITERAL_PREVIEW)
        if catalogue is not None:
            prop.graphs = catalogue.statement(node, row["p"], value, GRAPH_CAP)
        out.append(prop)
    return out


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


def sources(store: GraphStore, iri: str, cap: int) -> tuple[list[Source], int]:
    """The sentences a node comes from (its own span first, then mentions), capped, and their total."""
    node = _term(iri)
    found: list[Source] = []
    own = store.select(OWN_SPAN_QUERY, {"s": node})
    for row in own:
        parts = snippet(store, str(row["report"]), int(row["start"]), int(row["end"]))
        if parts:
            found.append(Source(str(row["report"]), str(row.get("reportLabel", "")), int(row["start"]),
                                int(row["end"]), *parts, rule=str(row["rule"]) if "rule" in row else None, own=True))
    count_rows = store.select(MENTION_COUNT_QUERY, {"s": node})
    total = int(count_rows[0]["n"].toPython()) if count_rows and "n" in count_rows[0] else 0
    if total:
        for row in store.select(MENTIONS_QUERY % cap, {"s": node}):
            parts = snippet(store, str(row["report"]), int(row["start"]), int(row["end"]))
            if parts:
                found.append(Source(str(row["report"]), str(row.get("reportLabel", "")), int(row["start"]),
                                    int(row["end"]), *parts, rule=str(row["rule"]) if "rule" in row else None,
                                    as_written=str(row["written"]) if "written" in row else None,
                                    verb=str(row["verb"]) if "verb" in row else None))
    return found, total + len(own)


def describe(store: GraphStore, iri: str, cap: int = 25, source_cap: int = 20) -> Entity:
    """Everything the entity page shows about one node; NotFound when the store has nothing on it."""
    node = _term(iri)
    if not store.select(EXISTS_QUERY, {"s": node}):
        raise NotFound(f"图谱中没有这个节点: {iri}")
    kinds = node_kinds(store, iri)
    found, total = sources(store, iri, source_cap)
    catalogue = GraphCatalogue(store)
    props = properties(store, iri, catalogue)
    groups = relation_groups(store, iri, cap, catalogue=catalogue)
    named = {g.iri: g for fact in [*props, *(n for grp in groups for n in grp.items)] for g in fact.graphs.graphs}
    ordered = sorted(named.values(), key=lambda g: (g.is_report, g.kind, g.label))
    return Entity(iri, node_label(store, iri), [(k, term_label(k)) for k in kinds], primary_kind(kinds),
                  props, groups, found, total, ordered)



def triples_about(store: GraphStore, iri: str, cap: int = 2000) -> list[tuple[Node, Node, Node]]:
    """The node's own statements and the statements pointing at it (each direction capped)."""
    walker = EdgeWalker(store, cap)
    node = ox.NamedNode(iri)
    seen: set[tuple[Node, Node, Node]] = set()
    for pattern in ((node, None, None), (None, None, node)):
        for q in walker.quads(*pattern, cap):
            seen.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return sorted(seen)
