"""Chinese names of classes and predicates, read from the ontology (the one source of truth).

The explorer shows relations and kinds in Chinese; the names come from `rdfs:label@zh` in
`ontology/rectigraph.ttl`. Terms from other vocabularies that the builder uses get their
names from the small table below.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ontology.base import DATA_BASE  # noqa: F401  (re-exported for the explorer)
from ontology.namespace import RG

EXTERNAL_LABELS: dict[URIRef, str] = {
    RDF.type: "类型",
    RDFS.label: "名称",
    RDFS.comment: "说明",
    SKOS.altLabel: "别名",
    SKOS.prefLabel: "名称",
    DCTERMS.isPartOf: "属于",
    DCTERMS.issued: "发布日期",
    DCTERMS.title: "标题",
}

# Kinds in the order the explorer lists them; the first one a node has decides its colour.
KIND_ORDER: list[URIRef] = [
    RG.Report, RG.Agency, RG.InspectionBody, RG.Inspection, RG.Issue, RG.Measure, RG.Document,
    RG.Unit, RG.Role, RG.Person, RG.Section, RG.Mention, RG.SummaryRecord,
]
# Nodes that record where a fact came from: shown as sources, not as neighbours.
PROVENANCE_KINDS: frozenset[URIRef] = frozenset({RG.Mention, RG.SummaryRecord})
# Namespaces whose IRIs are vocabulary, not data: never walked in paths or graphs.
SCHEMA_PREFIXES: tuple[str, ...] = (str(RG._NS), str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


@lru_cache(maxsize=1)
def term_labels() -> dict[str, str]:
    """IRI -> Chinese label of every class and property of the ontology (and a few external terms)."""
    graph = Graph().parse(data=files("ontology").joinpath("rectigraph.ttl").read_text(encoding="utf-8"), format="turtle")
    labels = {str(k): v for k, v in EXTERNAL_LABELS.items()}
    for term, label in graph.subject_objects(RDFS.label):
        if isinstance(term, URIRef) and getattr(label, "language", None) == "zh":
            labels[str(term)] = str(label)
    return labels


def term_label(iri: str | URIRef) -> str:
    """The Chinese name of a term, else its local name."""
    iri = str(iri)
    return term_labels().get(iri) or local_name(iri)


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


def kind_key(kind: str | URIRef | None) -> str:
    """A short stable key for a kind (the local name), used in URLs, CSS classes and JSON."""
    return local_name(str(kind)) if kind else "Thing"


def primary_kind(kinds: list[str] | set[str]) -> str | None:
    """The kind that names a node with several types: the first in KIND_ORDER, else any."""
    for kind in KIND_ORDER:
        if str(kind) in kinds:
            return str(kind)
    return sorted(kinds)[0] if kinds else None


def is_schema(iri: str) -> bool:
    return iri.startswith(SCHEMA_PREFIXES)
