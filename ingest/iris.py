"""Every IRI the project mints, in one place.

Shared nodes (agencies, inspection bodies, documents, units, roles, persons) get IRIs
derived from their canonical names, so every report that names them links to the same
node. A report's own nodes hang under the report IRI, which is derived from the content.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from ingest.formats.hanzi import to_simplified
from ontology.base import DATA_BASE, REPORT_GRAPH_PREFIX

BASE = DATA_BASE

_LAW_PREFIX = "中华人民共和国"
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》〈〉<>")


def _key(text: str) -> str:
    """A stable short hash of a canonical name."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def canonical_text(text: str) -> str:
    """Name normalised for identity: NFKC, no white space, Simplified characters (a name in
    a Traditional copy of a report is the same node as in the Simplified one)."""
    return to_simplified(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def document_key(title: str) -> str:
    """The identity of a document title: 《中华人民共和国安全生产法》 and 《安全生产法》 are one."""
    key = canonical_text(title).translate(_QUOTES).rstrip("。")
    if key.startswith(_LAW_PREFIX) and len(key) > len(_LAW_PREFIX) + 1:
        key = key[len(_LAW_PREFIX):]
    return key


def report_id(sha256: str) -> str:
    """Short id of a report, from the sha256 of its source bytes."""
    return sha256[:16]


def mint_report_iri(sha256: str) -> URIRef:
    return URIRef(f"{BASE}report/{report_id(sha256)}")


def mint_report_graph_iri(sha256: str) -> URIRef:
    return URIRef(REPORT_GRAPH_PREFIX + report_id(sha256))


def mint_part_iri(report: URIRef, kind: str, index: int) -> URIRef:
    """A node that belongs to one report: section, issue, measure, mention, summary."""
    return URIRef(f"{report}/{kind}/{index}")


def mint_agency_iri(canonical_name: str) -> URIRef:
    return URIRef(f"{BASE}agency/{_key(canonical_text(canonical_name))}")


def mint_inspection_body_iri(canonical_name: str) -> URIRef:
    return URIRef(f"{BASE}inspection-body/{_key(canonical_text(canonical_name))}")


def mint_inspection_iri(body: str, agency: str, start: str | None) -> URIRef:
    return URIRef(f"{BASE}inspection/{_key('|'.join([canonical_text(body), canonical_text(agency), start or '']))}")


def mint_document_iri(title: str) -> URIRef:
    return URIRef(f"{BASE}document/{_key(document_key(title))}")


def mint_unit_iri(canonical_name: str) -> URIRef:
    return URIRef(f"{BASE}unit/{_key(canonical_text(canonical_name))}")


def mint_role_iri(canonical_name: str) -> URIRef:
    return URIRef(f"{BASE}role/{_key(canonical_text(canonical_name))}")


def mint_person_iri(name: str, agency: str | None) -> URIRef:
    return URIRef(f"{BASE}person/{_key(canonical_text(name) + '|' + canonical_text(agency or ''))}")


def is_report_graph(iri: str) -> bool:
    return iri.startswith(REPORT_GRAPH_PREFIX)
