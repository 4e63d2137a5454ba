"""Turn the facts of one report into RDF triples for its own named graph.

Building is separate from parsing: this module knows the vocabulary and the IRIs, not the
text patterns. Shared nodes (agencies, documents, roles …) are described inside every
report graph that names them, so the union of graphs links reports and dropping a report
takes away exactly what it contributed.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import XSD as _XSD
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import SKOS as _SKOS

from ingest import iris
from ingest.facts import DocumentRef, Issue, Measure, OrgRef, ReportFacts, Section
from ontology.namespace import RG as _RG


class _Terms:
    """A namespace whose terms are looked up once: `DefinedNamespace` checks every access,
    and a report asks for its predicates thousands of times."""

    def __init__(self, namespace: type) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


RG, RDF, RDFS, XSD, DCTERMS, SKOS = map(_Terms, (_RG, _RDF, _RDFS, _XSD, _DCTERMS, _SKOS))
# Literals repeat (ordinals, offsets, rule ids, statuses): build each once per process.
# typed=True keeps Literal(1) and Literal(True) apart.
_literal = lru_cache(maxsize=1 << 16, typed=True)(Literal)

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_DOCUMENT_PREDICATE = {
    "issues": RG.issuesDocument,
    "revises": RG.revisesDocument,
    "drafts": RG.draftsDocument,
    "cites": RG.citesDocument,
}
# The summary record lists each document once per action it is named with (see `summary`).
_DIGEST_PREDICATE = {
    "issues": RG.documentIssued,
    "revises": RG.documentRevised,
    "drafts": RG.documentDrafted,
    "cites": RG.documentCited,
}
# Bumped when report graphs gain or change triples: a graph written with an older format is
# rebuilt when its file is ingested again (see web/batch.py).
GRAPH_FORMAT = 2
_ORG_CLASS = {"agency": RG.Agency, "unit": RG.Unit, "role": RG.Role, "person": RG.Person}
_REPORT_KIND_LABEL = {"rectification": "整改情况报告", "annual": "年度报告"}
_STAT_PREDICATE = {
    "issues_total": RG.statedIssueCount,
    "issues_completed": RG.statedIssuesCompleted,
    "measures_total": RG.statedMeasureCount,
    "measures_completed": RG.statedMeasuresCompleted,
    "new_rules": RG.statedNewRulesCount,
    "revised_rules": RG.statedRevisedRulesCount,
}


@dataclass
class ReportGraph:
    """The triples of one report and the named graph they go into."""

    graph: URIRef
    report: URIRef
    triples: list[Triple]
    source_path: str | None
    sha256: str


def date_literal(value: str) -> Literal:
    """An ISO date, year-month or year as the matching XSD literal."""
    if len(value) == 4:
        return _literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return _literal(value, datatype=XSD.gYearMonth)
    return _literal(value, datatype=XSD.date)


def _span(node: URIRef, start: int, end: int, rule: str | None) -> Iterator[Triple]:
    yield node, RG.charStart, _literal(start)
    yield node, RG.charEnd, _literal(end)
    if rule:
        yield node, RG.rule, _literal(rule)


def _org_iri(org: OrgRef) -> URIRef:
    if org.kind == "agency":
        return iris.mint_agency_iri(org.canonical)
    if org.kind == "unit":
        return iris.mint_unit_iri(org.canonical)
    if org.kind == "role":
        return iris.mint_role_iri(org.canonical)
    return iris.mint_person_iri(org.canonical, org.agency)


class _Builder:
    """Accumulates the triples of one report; one instance per build."""

    def __init__(self, facts: ReportFacts) -> None:
        self.facts = facts
        self.report = iris.mint_report_iri(facts.source.sha256)
        self.triples: list[Triple] = []
        self.mentions = 0
        self.section_iris = [iris.mint_part_iri(self.report, "section", i) for i in range(len(facts.sections))]
        self.issue_iris = [iris.mint_part_iri(self.report, "issue", i) for i in range(len(facts.issues))]
        self.agency: URIRef | None = None
        self.inspection: URIRef | None = None
        self.document_labels = _preferred_titles(facts)
        self.named_documents: dict[tuple[str, URIRef], None] = {}   # (action, document), in order
        self.measure_documents: dict[URIRef, None] = {}             # issued by a measure

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | str | int) -> None:
        if not isinstance(o, (URIRef, Literal)):
            o = _literal(o)
        self.triples.append((s, p, o))

    def build(self) -> ReportGraph:
        self.header()
        for i, section in enumerate(self.facts.sections):
            self.section(i, section)
        for i, issue in enumerate(self.facts.issues):
            self.issue(i, issue)
        for i, measure in enumerate(self.facts.measures):
            self.measure(i, measure)
        self.loose_documents()
        self.summary()
        graph = iris.mint_report_graph_iri(self.facts.source.sha256)
        triples = list(dict.fromkeys(self.triples))  # shared nodes are described once per graph
        return ReportGraph(graph, self.report, triples, self.facts.source.path, self.facts.source.sha256)

    # -- report and header -------------------------------------------------
    def header(self) -> None:
        f, h, r = self.facts, self.facts.header, self.report
        self.add(r, RDF.type, RG.Report)
        label = h.title or "".join(x for x in (h.agency or "", _REPORT_KIND_LABEL.get(h.report_kind, "报告")))
        self.add(r, RDFS.label, label)
        self.add(r, RG.reportKind, h.report_kind)
        self.add(r, RG.text, f.text)
        src = f.source
        self.add(r, RG.sourceFile, src.name)
        if src.path:
            self.add(r, RG.sourcePath, src.path)
        self.add(r, RG.sourceFormat, src.format)
        if src.encoding:
            self.add(r, RG.sourceEncoding, src.encoding)
        self.add(r, RG.sha256, src.sha256)
        if src.url:
            self.add(r, RG.sourceUrl, _literal(src.url, datatype=XSD.anyURI))
        published = h.published or src.published
        if published:
            self.add(r, DCTERMS.issued, date_literal(published))
        if h.status_date:
            self.add(r, RG.statusDate, date_literal(h.status_date))
        if h.signature:
            self.add(r, RG.signature, h.signature)
        for phone in h.phones:
            self.add(r, RG.contactPhone, phone)
        for email in h.emails:
            self.add(r, RG.contactEmail, email)
        if h.postcode:
            self.add(r, RG.postcode, h.postcode)
        if h.address:
            self.add(r, RG.postalAddress, h.address)
        for key, predicate in _STAT_PREDICATE.items():
            value = getattr(f.stats, key)
            if value is not None:
                self.add(r, predicate, _literal(int(value)))
        if f.stats.funds_recovered_yuan is not None:
            self.add(r, RG.statedFundsRecoveredYuan, _literal(f.stats.funds_recovered_yuan, datatype=XSD.decimal))
        if h.agency:
            self.agency = iris.mint_agency_iri(h.agency)
            self.add(r, RG.agency, self.agency)
            self.describe_agency(self.agency, h.agency, h.place)
            if h.agency_as_written and h.agency_as_written != h.agency:
                self.add(self.agency, SKOS.altLabel, h.agency_as_written)
            self.header_mention(self.agency, "agency", h.agency_as_written or h.agency)
        if h.inspection_kind and h.inspection_body and h.agency:
            body_name = h.inspection_body_canonical or h.inspection_body
            body = iris.mint_inspection_body_iri(body_name)
            self.add(body, RDF.type, RG.InspectionBody)
            self.add(body, RDFS.label, body_name)
            if h.inspection_body != body_name:
                self.add(body, SKOS.altLabel, h.inspection_body)
            insp = iris.mint_inspection_iri(body_name, h.agency, h.start_date)
            self.inspection = insp
            self.header_mention(body, "inspection_body", h.inspection_body)
            self.add(r, RG.reportsOn, insp)
            self.add(insp, RDF.type, RG.Inspection)
            self.add(insp, RDFS.label, f"{body_name}对{h.agency}的{h.inspection_kind}")
            self.add(insp, RG.inspectionKind, h.inspection_kind)
            self.add(insp, RG.conductedBy, body)
            self.add(insp, RG.inspectedAgency, self.agency)
            for value, predicate in ((h.start_date, RG.startDate), (h.end_date, RG.endDate),
                                     (h.feedback_date, RG.feedbackDate)):
                if value:
                    self.add(insp, predicate, date_literal(value))
            if h.round:
                self.add(insp, RG.round, h.round)

    def header_mention(self, node: URIRef, field: str, as_written: str) -> None:
        """Where the header named this node, when the parser recorded it."""
        where = self.facts.header.provenance.get(field)
        if where is not None:
            self.mention(node, self.report, where.start, where.end, where.rule, as_written)

    def describe_agency(self, node: URIRef, name: str, place: str | None = None) -> None:
        self.add(node, RDF.type, RG.Agency)
        self.add(node, RDFS.label, name)
        if place:
            self.add(node, RG.place, place)

    # -- outline and items ---------------------------------------------------
    def container(self, section: int | None) -> URIRef:
        return self.report if section is None else self.section_iris[section]

    def section(self, index: int, s: Section) -> None:
        node = self.section_iris[index]
        self.add(node, RDF.type, RG.Section)
        self.add(node, RDFS.label, s.heading or s.marker)
        self.add(node, RG.level, _literal(s.level))
        self.add(node, RG.ordinal, _literal(s.ordinal))
        self.add(node, RG.heading, s.heading)
        self.add(node, RG.marker, s.marker)
        self.add(node, RG.sectionKind, s.kind)
        self.add(node, DCTERMS.isPartOf, self.container(s.parent))
        self.add(node, RG.inReport, self.report)
        self.triples.extend(_span(node, s.start, s.end, s.rule))

    def issue(self, index: int, i: Issue) -> None:
        node = self.issue_iris[index]
        self.add(node, RDF.type, RG.Issue)
        self.add(node, RDFS.label, i.title)
        self.add(node, RG.ordinal, _literal(i.ordinal))
        self.add(node, DCTERMS.isPartOf, self.container(i.section))
        self.add(node, RG.inReport, self.report)
        if i.aspect is not None:
            self.add(node, RG.aspect, self.section_iris[i.aspect])
        if self.inspection is not None:
            self.add(node, RG.raisedIn, self.inspection)
        if i.status:
            self.add(node, RG.status, i.status)
        if i.deadline:
            self.add(node, RG.deadline, date_literal(i.deadline))
        if i.long_term:
            self.add(node, RG.longTerm, _literal(True))
        self.triples.extend(_span(node, i.start, i.end, i.rule))
        self.orgs(node, i.orgs)

    def measure(self, index: int, m: Measure) -> None:
        node = iris.mint_part_iri(self.report, "measure", index)
        self.add(node, RDF.type, RG.Measure)
        self.add(node, RDFS.label, m.label)
        self.add(node, RG.text, m.text)
        self.add(node, RG.ordinal, _literal(m.ordinal))
        self.add(node, DCTERMS.isPartOf, self.container(m.section))
        self.add(node, RG.inReport, self.report)
        if m.issue is not None:
            self.add(node, RG.addresses, self.issue_iris[m.issue])
        if m.aspect is not None:
            self.add(node, RG.aspect, self.section_iris[m.aspect])
        if m.status:
            self.add(node, RG.status, m.status)
        if m.deadline:
            self.add(node, RG.deadline, date_literal(m.deadline))
        self.triples.extend(_span(node, m.start, m.end, m.rule))
        for doc in m.documents:
            self.document(node, doc, measure=True)
        self.orgs(node, m.orgs)
        for q in m.quantities:
            if q.kind == "date":
                self.add(node, RG.mentionsDate, date_literal(q.value))
            elif q.kind == "money":
                self.add(node, RG.mentionsAmountYuan, _literal(q.value, datatype=XSD.decimal))

    # -- shared nodes --------------------------------------------------------
    def mention(self, entity: URIRef, within: URIRef, start: int, end: int, rule: str,
                as_written: str, verb: str | None = None, action: str | None = None) -> None:
        node = iris.mint_part_iri(self.report, "mention", self.mentions)
        self.mentions += 1
        self.add(node, RDF.type, RG.Mention)
        self.add(node, RG.mentions, entity)
        self.add(node, RG.inReport, self.report)
        self.add(node, DCTERMS.isPartOf, within)
        self.add(node, RG.asWritten, as_written)
        if verb:
            self.add(node, RG.verb, verb)
        if action:
            self.add(node, RG.action, action)
        self.triples.extend(_span(node, start, end, rule))

    def document(self, within: URIRef, doc: DocumentRef, measure: bool) -> None:
        node = iris.mint_document_iri(doc.title)
        preferred = self.document_labels[iris.document_key(doc.title)]
        self.add(node, RDF.type, RG.Document)
        self.add(node, RDFS.label, preferred)
        if doc.title != preferred:
            self.add(node, SKOS.altLabel, doc.title)
        if doc.doc_type:
            self.add(node, RG.documentType, doc.doc_type)
        predicate = _DOCUMENT_PREDICATE.get(doc.action, RG.citesDocument) if measure else RG.citesDocument
        self.add(within, predicate, node)
        self.named_documents[(doc.action, node)] = None
        if predicate == RG.issuesDocument:
            self.measure_documents[node] = None
        self.mention(node, within, doc.start, doc.end, doc.rule, doc.title, doc.verb, doc.action)

    def loose_documents(self) -> None:
        """Documents named outside any measure: cited by the innermost issue or section."""
        inside = {(d.start, d.end) for m in self.facts.measures for d in m.documents}
        spans = [(i.start, i.end, self.issue_iris[n]) for n, i in enumerate(self.facts.issues)]
        spans += [(s.start, s.end, self.section_iris[n]) for n, s in enumerate(self.facts.sections)]
        for doc in self.facts.documents:
            if (doc.start, doc.end) in inside:
                continue
            holders = [(end - start, node) for start, end, node in spans if start <= doc.start and doc.end <= end]
            within = min(holders, key=lambda h: h[0])[1] if holders else self.report
            self.document(within, doc, measure=False)

    def orgs(self, within: URIRef, orgs: list[OrgRef]) -> None:
        for org in orgs:
            node = _org_iri(org)
            self.add(node, RDF.type, _ORG_CLASS[org.kind])
            self.add(node, RDFS.label, org.canonical)
            if org.name != org.canonical:
                self.add(node, SKOS.altLabel, org.name)
            if org.kind in ("unit", "role") and org.agency:
                agency = iris.mint_agency_iri(org.agency)
                self.add(node, RG.unitOf, agency)
                self.describe_agency(agency, org.agency)
            if org.kind == "role" and org.title:
                self.add(node, RG.roleTitle, org.title)
            responsible = org.relation == "responsible"
            if org.kind == "role":
                predicate = RG.responsibleRole if responsible else RG.mentionsRole
            elif org.kind == "person":
                predicate = RG.mentionsPerson
            else:
                predicate = RG.responsibleUnit if responsible else RG.mentionsOrganization
            self.add(within, predicate, node)
            self.mention(node, within, org.start, org.end, org.rule, org.name)

    def summary(self) -> None:
        """Counts and document lists precomputed at ingest, so audits scan one predicate
        instead of joining every mention across the whole store."""
        node = iris.mint_part_iri(self.report, "summary", 0)
        self.add(node, RDF.type, RG.SummaryRecord)
        self.add(node, RG.summaryOf, self.report)
        self.add(node, RG.inReport, self.report)
        self.add(node, RG.issueCount, _literal(len(self.facts.issues)))
        self.add(node, RG.measureCount, _literal(len(self.facts.measures)))
        self.add(node, RG.ownerlessMeasureCount, _literal(sum(1 for m in self.facts.measures if _ownerless(m))))
        self.add(node, RG.graphFormat, _literal(GRAPH_FORMAT))
        for action, document in self.named_documents:
            self.add(node, _DIGEST_PREDICATE.get(action, RG.documentCited), document)
        for document in self.measure_documents:
            self.add(node, RG.documentIssuedByMeasure, document)


def _ownerless(m: Measure) -> bool:
    """A measure that names no document and no responsible unit (what `measure` links neither way)."""
    return not m.documents and not any(o.kind not in ("role", "person") and o.relation == "responsible" for o in m.orgs)


def _preferred_titles(facts: ReportFacts) -> dict[str, str]:
    """For each document the report names, the title shown as its label: the fullest form
    written (《中华人民共和国安全生产法》 over 《安全生产法》); the other forms become altLabels."""
    titles: dict[str, str] = {}
    mentions = list(facts.documents) + [d for m in facts.measures for d in m.documents]
    for doc in mentions:
        key = iris.document_key(doc.title)
        if key not in titles or len(doc.title) > len(titles[key]):
            titles[key] = doc.title
    return titles


def build_report_graph(facts: ReportFacts) -> ReportGraph:
    """All triples of one report, for the named graph derived from its content."""
    return _Builder(facts).build()
