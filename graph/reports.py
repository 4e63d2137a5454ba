"""One report as the report view shows it: its outline and its text cut into annotated segments.

Extracted facts point into the report's normalized text by character offsets. `annotate`
turns the text and those spans into a flat list of segments, each knowing which mention it
belongs to (a link), which items (issues, measures) it lies in (a tint), which items start
there (an anchor) and whether it is inside the span the reader came for. No markup here:
the template draws the segments.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from graph.store import GraphStore
from graph.vocab import kind_key, primary_kind, term_label
from ontology.errors import NotFound
from ontology.namespace import RG

REPORT_QUERY = """
SELECT ?report ?label ?text ?agency ?agencyLabel ?issued ?source WHERE {
  ?report a rg:Report ; rg:text ?text .
  OPTIONAL { ?report rdfs:label ?label }
  OPTIONAL { ?report rg:agency ?agency . ?agency rdfs:label ?agencyLabel }
  OPTIONAL { ?report dcterms:issued ?issued }
  OPTIONAL { ?report rg:sourceFile ?source }
} LIMIT 1"""
OUTLINE_QUERY = """
SELECT ?report ?section ?label ?marker ?level ?parent ?start ?end ?kind WHERE {
  ?section a rg:Section ; rg:inReport ?report ; rg:charStart ?start ; rg:charEnd ?end .
  OPTIONAL { ?section rdfs:label ?label } OPTIONAL { ?section rg:marker ?marker }
  OPTIONAL { ?section rg:level ?level } OPTIONAL { ?section rg:sectionKind ?kind }
  OPTIONAL { ?section dcterms:isPartOf ?parent }
} ORDER BY ?start ?level"""
ITEMS_QUERY = """
SELECT ?report ?node ?kind ?start ?end ?label WHERE {
  ?node rg:inReport ?report ; a ?kind ; rg:charStart ?start ; rg:charEnd ?end .
  FILTER(?kind IN (rg:Issue, rg:Measure))
  OPTIONAL { ?node rdfs:label ?label }
} ORDER BY ?start"""
MENTIONS_QUERY = """
SELECT ?report ?mention ?entity ?kind ?start ?end ?label WHERE {
  ?mention rg:inReport ?report ; rg:mentions ?entity ; rg:charStart ?start ; rg:charEnd ?end .
  OPTIONAL { ?entity a ?kind } OPTIONAL { ?entity rdfs:label ?label }
} ORDER BY ?start"""


@dataclass
class Mark:
    """A span of the text and the node it stands for."""

    iri: str
    kind: str | None
    label: str
    start: int
    end: int

    @property
    def kind_key(self) -> str:
        return kind_key(self.kind)

    @property
    def kind_label(self) -> str:
        return term_label(self.kind) if self.kind else "实体"


@dataclass
class Segment:
    text: str
    start: int
    mention: Mark | None = None
    items: list[Mark] = field(default_factory=list)      # items this segment lies in, outermost first
    opens: list[Mark] = field(default_factory=list)      # items (and sections) that start here
    focus: bool = False
    focus_start: bool = False


@dataclass
class OutlineNode:
    iri: str
    label: str
    marker: str
    level: int
    start: int
    end: int
    kind: str
    children: list[OutlineNode] = field(default_factory=list)


@dataclass
class ReportView:
    iri: str
    label: str
    agency: str | None
    agency_label: str
    issued: str
    source: str
    text: str
    outline: list[OutlineNode]
    segments: list[Segment]
    counts: dict[str, int]


def annotate(text: str, mentions: list[Mark], items: list[Mark], anchors: list[Mark] = (),
             focus: tuple[int, int] | None = None) -> list[Segment]:
    """Cut the text at every span boundary; overlapping mentions keep the first (longest) one."""
    n = len(text)
    clean: list[Mark] = []
    taken_until = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if 0 <= m.start < m.end <= n and m.start >= taken_until:
            clean.append(m)
            taken_until = m.end
    items = [m for m in items if 0 <= m.start < m.end <= n]
    bounds = {0, n}
    for m in clean + items:
        bounds.update((m.start, m.end))
    anchors = [a for a in anchors if 0 <= a.start <= n]
    bounds.update(a.start for a in anchors)
    if focus:
        focus = (max(0, min(focus[0], n)), max(0, min(focus[1], n)))
        bounds.update(focus)
    starts: dict[int, list[Mark]] = {}
    for m in sorted(list(anchors) + items, key=lambda m: (m.start, -m.end)):
        starts.setdefault(m.start, []).append(m)
    segments: list[Segment] = []
    cuts = sorted(b for b in bounds if 0 <= b <= n)
    mi = 0
    focus_opened = False
    for a, b in zip(cuts, cuts[1:]):
        while mi < len(clean) and clean[mi].end <= a:
            mi += 1
        mention = clean[mi] if mi < len(clean) and clean[mi].start <= a < clean[mi].end else None
        inside = sorted((m for m in items if m.start <= a < m.end), key=lambda m: (m.start, -m.end))
        seg = Segment(text[a:b], a, mention, inside, starts.get(a, []))
        if focus and focus[0] <= a < focus[1]:
            seg.focus = True
            seg.focus_start = not focus_opened
            focus_opened = True
        segments.append(seg)
    if n == 0 or not segments:
        segments.append(Segment(text, 0, opens=starts.get(0, [])))
    return segments


def _outline(rows: list[dict]) -> list[OutlineNode]:
    nodes: dict[str, OutlineNode] = {}
    parents: dict[str, str] = {}
    for r in rows:
        key = str(r["section"])
        if key in nodes:
            continue
        nodes[key] = OutlineNode(key, str(r.get("label", "")), str(r.get("marker", "")),
                                 int(r["level"]) if "level" in r else 1, int(r["start"]), int(r["end"]),
                                 str(r.get("kind", "")))
        if "parent" in r:
            parents[key] = str(r["parent"])
    roots = []
    for key, node in nodes.items():
        parent = nodes.get(parents.get(key, ""))
        (parent.children if parent else roots).append(node)
    return roots


def report_view(store: GraphStore, iri: str, focus: tuple[int, int] | None = None) -> ReportView:
    """The report's outline, and its text annotated with every extracted entity and item."""
    node = URIRef(iri)
    rows = store.select(REPORT_QUERY, {"report": node})
    if not rows:
        raise NotFound(f"没有这份报告,或报告没有原文: {iri}")
    head = rows[0]
    text = str(head["text"])
    outline_rows = store.select(OUTLINE_QUERY, {"report": node})
    sections = [Mark(str(r["section"]), str(RG.Section), str(r.get("label", "")), int(r["start"]), int(r["end"]))
                for r in outline_rows]
    items: dict[str, Mark] = {}
    for r in store.select(ITEMS_QUERY, {"report": node}):
        items.setdefault(str(r["node"]), Mark(str(r["node"]), str(r["kind"]), str(r.get("label", "")),
                                              int(r["start"]), int(r["end"])))
    mentions: dict[str, tuple[Mark, set[str]]] = {}
    for r in store.select(MENTIONS_QUERY, {"report": node}):
        key = str(r["mention"])
        if key not in mentions:
            mentions[key] = (Mark(str(r["entity"]), None, str(r.get("label", "")), int(r["start"]), int(r["end"])), set())
        if "kind" in r:
            mentions[key][1].add(str(r["kind"]))
    marks = []
    for mark, kinds in mentions.values():
        mark.kind = primary_kind(kinds)
        marks.append(mark)
    unique = {m.iri for m in marks}
    counts = {"章节": len(sections), "问题": sum(1 for m in items.values() if m.kind == str(RG.Issue)),
              "整改措施": sum(1 for m in items.values() if m.kind == str(RG.Measure)), "提及": len(marks),
              "被提及实体": len(unique)}
    return ReportView(iri, str(head.get("label", "")), str(head["agency"]) if "agency" in head else None,
                      str(head.get("agencyLabel", "")), str(head.get("issued", "")), str(head.get("source", "")),
                      text, _outline(outline_rows), annotate(text, marks, list(items.values()), sections, focus), counts)
