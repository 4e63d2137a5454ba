"""The explorer's lists: reports with stated vs listed counts, agencies, inspections, documents, issues.

Each function returns plain dicts (strings and numbers) so the web layer can render them as
HTML, JSON or CSV alike. Lists that can grow with the store are paged.
"""
from __future__ import annotations

from rdflib import Literal, URIRef

from graph.store import GraphStore

REPORTS_QUERY = """
SELECT DISTINCT ?report ?label ?kind ?agency ?agencyLabel ?issued ?source ?statedIssues ?statedIssuesDone
       ?statedMeasures ?statedMeasuresDone ?listedIssues ?listedMeasures ?listedIssuesDone WHERE {
  ?report a rg:Report ; rdfs:label ?label .
  OPTIONAL { ?report rg:reportKind ?kind }
  OPTIONAL { ?report rg:agency ?agency . ?agency rdfs:label ?agencyLabel }
  OPTIONAL { ?report dcterms:issued ?issued }
  OPTIONAL { ?report rg:sourceFile ?source }
  OPTIONAL { ?report rg:statedIssueCount ?statedIssues }
  OPTIONAL { ?report rg:statedIssuesCompleted ?statedIssuesDone }
  OPTIONAL { ?report rg:statedMeasureCount ?statedMeasures }
  OPTIONAL { ?report rg:statedMeasuresCompleted ?statedMeasuresDone }
  OPTIONAL { ?summary rg:summaryOf ?report ; rg:issueCount ?listedIssues ; rg:measureCount ?listedMeasures }
  OPTIONAL { SELECT ?report (COUNT(DISTINCT ?done) AS ?listedIssuesDone)
             WHERE { ?done a rg:Issue ; rg:inReport ?report ; rg:status "已完成" } GROUP BY ?report }
} ORDER BY ?agencyLabel ?issued ?source LIMIT 2000"""

AGENCIES_QUERY = """
SELECT ?agency (SAMPLE(?l) AS ?label) (SAMPLE(?pl) AS ?place) (COUNT(DISTINCT ?r) AS ?reports)
       (COUNT(DISTINCT ?i) AS ?inspections) (COUNT(DISTINCT ?u) AS ?units) (COUNT(DISTINCT ?ro) AS ?roles)
WHERE {
  ?agency a rg:Agency ; rdfs:label ?l .
  OPTIONAL { ?agency rg:place ?pl }
  OPTIONAL { ?r rg:agency ?agency }
  OPTIONAL { ?i rg:inspectedAgency ?agency }
  OPTIONAL { ?u a rg:Unit ; rg:unitOf ?agency }
  OPTIONAL { ?ro a rg:Role ; rg:unitOf ?agency }
} GROUP BY ?agency ORDER BY DESC(?reports) ?label LIMIT %d OFFSET %d"""
AGENCIES_COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a rg:Agency }"

INSPECTIONS_QUERY = """
SELECT ?inspection (SAMPLE(?l) AS ?label) (SAMPLE(?k) AS ?kind) (SAMPLE(?b) AS ?body) (SAMPLE(?bl) AS ?bodyLabel)
       (SAMPLE(?a) AS ?agency) (SAMPLE(?al) AS ?agencyLabel) (SAMPLE(?s) AS ?start) (SAMPLE(?e) AS ?end)
       (SAMPLE(?f) AS ?feedback) (SAMPLE(?rd) AS ?round) (COUNT(DISTINCT ?r) AS ?reports) (COUNT(DISTINCT ?is) AS ?issues)
WHERE {
  ?inspection a rg:Inspection ; rdfs:label ?l .
  OPTIONAL { ?inspection rg:inspectionKind ?k }
  OPTIONAL { ?inspection rg:conductedBy ?b . ?b rdfs:label ?bl }
  OPTIONAL { ?inspection rg:inspectedAgency ?a . ?a rdfs:label ?al }
  OPTIONAL { ?inspection rg:startDate ?s } OPTIONAL { ?inspection rg:endDate ?e }
  OPTIONAL { ?inspection rg:feedbackDate ?f } OPTIONAL { ?inspection rg:round ?rd }
  OPTIONAL { ?r rg:reportsOn ?inspection }
  OPTIONAL { ?is rg:raisedIn ?inspection }
} GROUP BY ?inspection ORDER BY DESC(?start) ?label LIMIT %d OFFSET %d"""
INSPECTIONS_COUNT = "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a rg:Inspection }"

DOCUMENTS_QUERY = """
SELECT ?document (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (COUNT(DISTINCT ?r) AS ?reports)
       (COUNT(DISTINCT ?made) AS ?issuedIn) (COUNT(DISTINCT ?cited) AS ?citedIn)
WHERE {
  ?document a rg:Document ; rdfs:label ?l .
  OPTIONAL { ?document rg:documentType ?t }
  OPTIONAL {
    ?m rg:mentions ?document ; rg:inReport ?r .
    OPTIONAL { ?m rg:action ?action }
    BIND(IF(?action IN ("issues", "revises", "drafts"), ?r, ?none) AS ?made)
    BIND(IF(!BOUND(?action) || ?action = "cites", ?r, ?none) AS ?cited)
  }
} GROUP BY ?document ORDER BY DESC(?reports) DESC(?issuedIn) ?label LIMIT %d OFFSET %d"""
DOCUMENTS_COUNT = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a rg:Document }"

ISSUES_QUERY = """
SELECT ?want ?issue ?label ?ordinal ?aspect ?aspectLabel ?status ?report ?reportLabel ?agencyLabel
       (COUNT(DISTINCT ?measure) AS ?measures)
WHERE {
  ?issue a rg:Issue ; rdfs:label ?label ; rg:inReport ?report .
  OPTIONAL { ?issue rg:ordinal ?ordinal }
  OPTIONAL { ?issue rg:aspect ?aspect . ?aspect rdfs:label ?aspectLabel }
  OPTIONAL { ?issue rg:status ?status }
  FILTER(!BOUND(?want) || (BOUND(?status) && ?status = ?want))
  OPTIONAL { ?report rdfs:label ?reportLabel }
  OPTIONAL { ?report rg:agency/rdfs:label ?agencyLabel }
  OPTIONAL { ?measure rg:addresses ?issue }
} GROUP BY ?want ?issue ?label ?ordinal ?aspect ?aspectLabel ?status ?report ?reportLabel ?agencyLabel
ORDER BY ?agencyLabel ?reportLabel ?ordinal LIMIT %d OFFSET %d"""
ISSUES_COUNT = """
SELECT ?want (COUNT(DISTINCT ?issue) AS ?n) WHERE {
  ?issue a rg:Issue . OPTIONAL { ?issue rg:status ?status }
  FILTER(!BOUND(?want) || (BOUND(?status) && ?status = ?want))
} GROUP BY ?want"""
STATUSES_QUERY = """
SELECT ?status (COUNT(DISTINCT ?issue) AS ?n) WHERE { ?issue a rg:Issue ; rg:status ?status }
GROUP BY ?status ORDER BY DESC(?n)"""


def _plain(value) -> str | int | float:
    """A term as JSON-friendly Python: numbers stay numbers, the rest strings."""
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, bool):
            return str(python).lower()
        if isinstance(python, int):
            return python
        return str(value)
    return str(value)


def _rows(store: GraphStore, query: str, bindings: dict | None = None) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in store.select(query, bindings)]


def _count(store: GraphStore, query: str, bindings: dict | None = None) -> int:
    rows = store.select(query, bindings)
    return int(rows[0]["n"].toPython()) if rows and "n" in rows[0] else 0


def reports(store: GraphStore) -> list[dict]:
    """Every report with its agency and date, and stated vs listed counts of issues and measures."""
    return _rows(store, REPORTS_QUERY)


def agencies(store: GraphStore, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    return _rows(store, AGENCIES_QUERY % (limit, offset)), _count(store, AGENCIES_COUNT)


def inspections(store: GraphStore, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    return _rows(store, INSPECTIONS_QUERY % (limit, offset)), _count(store, INSPECTIONS_COUNT)


def documents(store: GraphStore, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    """Documents ordered by how many reports name them, with how many issue/revise vs only cite them."""
    return _rows(store, DOCUMENTS_QUERY % (limit, offset)), _count(store, DOCUMENTS_COUNT)


def issues(store: GraphStore, limit: int, offset: int = 0, status: str | None = None) -> tuple[list[dict], int]:
    """Issues with their aspect, status, report and number of measures; `status` filters."""
    bindings = {"want": Literal(status)} if status else None
    rows = _rows(store, ISSUES_QUERY % (limit, offset), bindings)
    for row in rows:
        row.pop("want", None)
    return rows, _count(store, ISSUES_COUNT, bindings)


def issue_statuses(store: GraphStore) -> list[dict]:
    return _rows(store, STATUSES_QUERY)


def exists(store: GraphStore, iri: str) -> bool:
    return bool(store.select("SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } } LIMIT 1", {"s": URIRef(iri)}))
