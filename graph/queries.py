"""Questions every part asks of the store: counts, the list of reports, labels."""
from __future__ import annotations

from graph.store import GraphStore

STATS_QUERY = """
SELECT
  (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?agency) AS ?agencies)
  (COUNT(DISTINCT ?inspection) AS ?inspections) (COUNT(DISTINCT ?issue) AS ?issues)
  (COUNT(DISTINCT ?measure) AS ?measures) (COUNT(DISTINCT ?document) AS ?documents)
  (COUNT(DISTINCT ?role) AS ?roles) (COUNT(DISTINCT ?unit) AS ?units)
WHERE {
  { ?report a rg:Report } UNION { ?agency a rg:Agency } UNION { ?inspection a rg:Inspection }
  UNION { ?issue a rg:Issue } UNION { ?measure a rg:Measure } UNION { ?document a rg:Document }
  UNION { ?role a rg:Role } UNION { ?unit a rg:Unit }
}"""

STATS_LABELS = [("reports", "报告"), ("agencies", "单位"), ("inspections", "巡视巡察"), ("issues", "问题"),
                ("measures", "措施"), ("documents", "文件"), ("roles", "职务"), ("units", "内设机构")]

REPORTS_QUERY = """
SELECT ?graph ?report ?label ?source ?agency ?kind ?issued ?issues ?measures
       (COUNT(DISTINCT ?doc) AS ?documents)
WHERE {
  GRAPH ?graph {
    ?report a rg:Report ; rdfs:label ?label ; rg:reportKind ?kind .
    OPTIONAL { ?report rg:sourceFile ?source }
    OPTIONAL { ?report rg:agency/rdfs:label ?agency }
    OPTIONAL { ?report dcterms:issued ?issued }
    OPTIONAL { ?summary rg:summaryOf ?report ; rg:issueCount ?issues ; rg:measureCount ?measures }
    OPTIONAL { ?mention rg:inReport ?report ; rg:mentions ?doc . ?doc a rg:Document }
  }
}
GROUP BY ?graph ?report ?label ?source ?agency ?kind ?issued ?issues ?measures
ORDER BY ?agency ?issued ?source"""

KIND_LABELS = {"rectification": "整改报告", "annual": "年度报告"}


def store_stats(store: GraphStore) -> list[tuple[str, int]]:
    """(Chinese label, count) for each main kind of node."""
    rows = store.select(STATS_QUERY)
    row = rows[0] if rows else {}
    return [(label, int(row[key].toPython()) if key in row else 0) for key, label in STATS_LABELS]


def list_reports(store: GraphStore) -> list[dict]:
    """One dict per report graph: source, agency, kind, date and counts."""
    out = []
    for r in store.select(REPORTS_QUERY, union=False):
        out.append({
            "graph": str(r["graph"]), "report": str(r["report"]), "label": str(r["label"]),
            "source": str(r.get("source", "")), "agency": str(r.get("agency", "")),
            "kind": KIND_LABELS.get(str(r["kind"]), str(r["kind"])),
            "issued": str(r["issued"]) if "issued" in r else "",
            "issues": int(r["issues"].toPython()) if "issues" in r else 0,
            "measures": int(r["measures"].toPython()) if "measures" in r else 0,
            "documents": int(r["documents"].toPython()) if "documents" in r else 0,
        })
    return out
