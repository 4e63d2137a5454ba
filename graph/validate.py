"""SHACL validation of report graphs against the shapes shipped in `ontology/`."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph, URIRef

from graph.store import GraphStore


@dataclass
class GraphReport:
    graph: URIRef
    conforms: bool
    triples: int
    messages: list[str]


def load_shapes() -> Graph:
    """The SHACL shapes graph (package data of `ontology`)."""
    text = resources.files("ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def validate_graph(triples: Graph, shapes: Graph) -> tuple[bool, list[str]]:
    """Validate one graph; (conforms, one line per violation)."""
    from pyshacl import validate  # heavy import, only when validating

    conforms, results, _ = validate(triples, shacl_graph=shapes, inference="none", allow_warnings=True)
    messages = []
    if not conforms:
        sh = "http://www.w3.org/ns/shacl#"
        for result in results.subjects(URIRef(sh + "resultSeverity"), None):
            focus = results.value(result, URIRef(sh + "focusNode"))
            path = results.value(result, URIRef(sh + "resultPath"))
            message = results.value(result, URIRef(sh + "resultMessage"))
            messages.append(f"{focus} {path or ''}: {message}")
    return conforms, sorted(messages)


def validate_store(store: GraphStore, graphs: list[URIRef] | None = None) -> list[GraphReport]:
    """Validate each report graph of the store on its own."""
    shapes = load_shapes()
    reports = []
    for g in graphs if graphs is not None else store.report_graphs():
        data = store.graph_of(g)
        conforms, messages = validate_graph(data, shapes)
        reports.append(GraphReport(g, conforms, len(data), messages))
    return reports
