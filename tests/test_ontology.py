"""The Turtle ontology is the one source of truth: constants, shapes and contract agree with it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ontology import generate
from ontology.namespace import RG

ROOT = Path(__file__).resolve().parents[1]

# The terms ../shared/docs/ontology-contract.md fixes; each must exist with that name.
CONTRACT_CLASSES = ["Report", "Agency", "InspectionBody", "Inspection", "Section", "Issue", "Measure",
                    "Document", "Unit", "Role"]
CONTRACT_PROPERTIES = [
    "agency", "reportsOn", "contactPhone", "contactEmail", "postcode", "statedIssueCount",
    "statedIssuesCompleted", "statedMeasureCount", "statedMeasuresCompleted", "statedNewRulesCount",
    "statedRevisedRulesCount", "statedFundsRecoveredYuan", "inspectionKind", "conductedBy",
    "inspectedAgency", "startDate", "endDate", "feedbackDate", "level", "ordinal", "heading", "aspect",
    "raisedIn", "addresses", "text", "issuesDocument", "revisesDocument", "citesDocument",
    "responsibleUnit", "responsibleRole", "status", "deadline", "unitOf", "roleTitle", "charStart", "charEnd",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(generate.ONTOLOGY_FILE)


def test_namespace_module_is_generated_from_the_turtle(onto):
    expected = generate.render_namespace(generate.ontology_terms(onto))
    assert generate.NAMESPACE_FILE.read_text(encoding="utf-8") == expected, \
        "ontology/namespace.py is stale: run python -m ontology.generate"


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_defined(onto, name):
    assert (URIRef(RG._NS + name), RDF.type, OWL.Class) in onto
    assert getattr(RG, name) == URIRef(RG._NS + name)


@pytest.mark.parametrize("name", CONTRACT_PROPERTIES)
def test_contract_property_defined(onto, name):
    iri = URIRef(RG._NS + name)
    assert (iri, RDF.type, OWL.ObjectProperty) in onto or (iri, RDF.type, OWL.DatatypeProperty) in onto


def test_unknown_term_is_refused():
    with pytest.raises(AttributeError):
        RG.noSuchTerm  # noqa: B018  DefinedNamespace with _fail = True


def test_every_term_has_chinese_and_english_label_and_comment(onto):
    missing = []
    for name, _kind, _zh in generate.ontology_terms(onto):
        iri = URIRef(RG._NS + name)
        langs = {getattr(l, "language", None) for l in onto.objects(iri, RDFS.label)}
        if not {"zh", "en"} <= langs or not list(onto.objects(iri, RDFS.comment)):
            missing.append(name)
    assert not missing


def test_shapes_use_only_defined_terms(onto):
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    Graph().parse(data=text, format="turtle")
    used = set(re.findall(r"\brg:(\w+)", text))
    defined = {name for name, _k, _z in generate.ontology_terms(onto)}
    assert used and used <= defined, used - defined


def test_code_never_spells_the_namespace_iri_twice():
    """The ontology IRI is written in the Turtle, the generator and nowhere else in code."""
    hits = [p for p in ROOT.glob("*/**/*.py")
            if ".venv" not in p.parts and "tests" not in p.parts and "https://w3id.org/rectigraph/ontology#" in p.read_text(encoding="utf-8")]
    assert {p.relative_to(ROOT).as_posix() for p in hits} <= {"ontology/generate.py", "ontology/namespace.py"}
