"""Generate `ontology/namespace.py` from `ontology/rectigraph.ttl` (the one source of truth).

Run `python -m ontology.generate` after editing the Turtle; a test fails when the two disagree.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

HERE = Path(__file__).parent
ONTOLOGY_FILE = HERE / "rectigraph.ttl"
NAMESPACE_FILE = HERE / "namespace.py"
RG_IRI = "https://w3id.org/rectigraph/ontology#"


def ontology_terms(graph: Graph) -> list[tuple[str, str, str]]:
    """(local name, kind, Chinese label) for every class and property the ontology defines."""
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "property", OWL.DatatypeProperty: "property"}
    terms = []
    for kind_iri, kind in kinds.items():
        for term in graph.subjects(RDF.type, kind_iri):
            if isinstance(term, URIRef) and str(term).startswith(RG_IRI):
                zh = next((str(l) for l in graph.objects(term, RDFS.label) if getattr(l, "language", None) == "zh"), "")
                terms.append((str(term)[len(RG_IRI):], kind, zh))
    return sorted(terms, key=lambda t: (t[1] != "class", t[0]))


def render_namespace(terms: list[tuple[str, str, str]]) -> str:
    """Python source of the DefinedNamespace for these terms."""
    lines = [
        '"""The rectigraph vocabulary as Python constants. Generated from rectigraph.ttl by',
        '`python -m ontology.generate`; do not edit by hand."""',
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class RG(DefinedNamespace):",
        '    """整改图谱本体 (https://w3id.org/rectigraph/ontology#)."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{RG_IRI}")',
        "",
    ]
    for name, kind, zh in terms:
        lines.append(f"    {name}: URIRef  # {zh} ({kind})")
    return "\n".join(lines) + "\n"


def main() -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    NAMESPACE_FILE.write_text(render_namespace(ontology_terms(graph)), encoding="utf-8")
    print(f"wrote {NAMESPACE_FILE}")


if __name__ == "__main__":
    main()
