"""Chinese substring search over labels and texts, with a character-bigram index beside the store.

Every literal worth finding (names, alternative names, headings, measure texts, role titles)
is written into an SQLite file next to the store as one row, and its text as a sequence of
character bigrams into an FTS5 table. A query of n ≥ 2 characters is the phrase of its n-1
bigrams, which matches exactly the texts that contain it; a single character is a prefix
query on the bigrams that start with it. So search stays an index lookup on a large store,
where `CONTAINS` over every label is a full scan.

The index follows the store by named graph: graphs that appear are indexed, graphs that go
are dropped. Report graphs are content-addressed, so a graph that is still there is unchanged.
"""
from __future__ import annotations

import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from graph.store import GraphStore, to_rdflib
from graph.vocab import KIND_ORDER, kind_key, primary_kind, term_label
from ontology.base import REPORT_GRAPH_PREFIX
from ontology.namespace import RG

INDEXED_PREDICATES = [RDFS.label, SKOS.altLabel, RG.heading, RG.text, RG.roleTitle]
SKIPPED_KINDS = {str(RG.Mention), str(RG.SummaryRecord)}
MAX_TEXT = 2000            # characters of one literal that are indexed
MAX_QUERY = 50

# Run with the one graph as default graph: a GRAPH ?g block with ?g bound by VALUES is
# evaluated over every graph first (seconds per graph on a store of 1,000 reports).
GRAPH_LITERALS_QUERY = """
SELECT ?s ?p ?o (GROUP_CONCAT(DISTINCT STR(?k); separator=" ") AS ?kinds) WHERE {
  VALUES ?p { rdfs:label skos:altLabel rg:heading rg:text rg:roleTitle }
  ?s ?p ?o FILTER(isLiteral(?o))
  FILTER(?p != rg:text || NOT EXISTS { ?s a rg:Report })
  OPTIONAL { ?s a ?k }
} GROUP BY ?s ?p ?o"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS graphs(graph TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entries(
  id INTEGER PRIMARY KEY, graph TEXT NOT NULL, node TEXT NOT NULL, kind TEXT NOT NULL,
  field TEXT NOT NULL, text TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_graph ON entries(graph);
CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5(bigrams, columnsize=0);
"""


def normalize(text: str) -> str:
    """What search compares: NFKC (full-width to half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _char(c: str) -> str:
    return format(ord(c), "x")


def bigrams(text: str) -> str:
    """The text as space-separated bigram tokens (hex code points joined by 'g'), last char + end mark."""
    text = normalize(text)
    if not text:
        return ""
    tokens = [f"{_char(a)}g{_char(b)}" for a, b in zip(text, text[1:])]
    tokens.append(f"{_char(text[-1])}gz")
    return " ".join(tokens)


def match_expression(query: str) -> str | None:
    """The FTS5 expression that finds texts containing `query`; None for an empty query."""
    q = normalize(query).strip()
    if not q:
        return None
    if len(q) == 1:
        return f'"{_char(q)}g" *'
    return '"' + " ".join(f"{_char(a)}g{_char(b)}" for a, b in zip(q, q[1:])) + '"'


@dataclass
class Hit:
    iri: str
    label: str
    kind: str
    field: str                 # Chinese name of the predicate whose text matched
    before: str
    match: str
    after: str
    exact: bool = False        # the name (or another name) is the query itself


@dataclass
class KindGroup:
    kind: str
    kind_key: str
    kind_label: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.total - len(self.hits), 0)


@dataclass
class SearchResult:
    query: str
    groups: list[KindGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def _excerpt(text: str, query: str, width: int = 30) -> tuple[str, str, str]:
    """(before, match, after) around the first occurrence of the query in the text."""
    at = normalize(text).find(normalize(query))
    if at < 0 or len(normalize(text)) != len(text):
        return (text[:width * 2] + ("…" if len(text) > width * 2 else ""), "", "")
    start, end = at, at + len(query)
    before = ("…" if start > width else "") + text[max(start - width, 0):start]
    after = text[end:end + width] + ("…" if end + width < len(text) else "")
    return before, text[start:end], after


class SearchIndex:
    """The bigram index of one store, kept in an SQLite file (or in memory when path is None)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = str(path) if path else ":memory:"
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self._db.executescript(SCHEMA)

    @staticmethod
    def beside(store_path: str | Path) -> Path:
        """Where the index of a store lives: a file next to the store directory."""
        p = Path(store_path)
        return p.with_name(p.name + ".search.sqlite")

    def close(self) -> None:
        self._db.close()

    def sync(self, store: GraphStore) -> int:
        """Index graphs that are new in the store, drop graphs that are gone; the number changed."""
        # report graphs only once sealed: one still being bulk-loaded would be indexed half
        current = {str(g) for g in store.named_graphs() if not str(g).startswith(REPORT_GRAPH_PREFIX)}
        current |= {str(g) for g in store.report_graphs()}
        with self._lock:
            indexed = {row[0] for row in self._db.execute("SELECT graph FROM graphs")}
            new, gone = sorted(current - indexed), sorted(indexed - current)
            if not new and not gone:
                return 0
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for graph in gone:
                    self._db.execute("DELETE FROM grams WHERE rowid IN (SELECT id FROM entries WHERE graph = ?)", (graph,))
                    self._db.execute("DELETE FROM entries WHERE graph = ?", (graph,))
                    self._db.execute("DELETE FROM graphs WHERE graph = ?", (graph,))
                for graph in new:
                    self._index_graph(store, graph)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(new) + len(gone)

    def _index_graph(self, store: GraphStore, graph: str) -> None:
        result = store.raw_query(GRAPH_LITERALS_QUERY, default_graph=[URIRef(graph)])
        rows = [{v.value: to_rdflib(s[v]) for v in result.variables if s[v] is not None} for s in result]
        labels: dict[str, str] = {}
        for r in rows:
            if str(r["p"]) == str(RDFS.label):
                labels.setdefault(str(r["s"]), str(r["o"]))
        for r in rows:
            kinds = set(str(r.get("kinds", "")).split())
            if kinds & SKIPPED_KINDS:
                continue
            node, text = str(r["s"]), str(r["o"])[:MAX_TEXT]
            label = labels.get(node) or text[:60]
            cur = self._db.execute(
                "INSERT INTO entries(graph, node, kind, field, text, label) VALUES (?, ?, ?, ?, ?, ?)",
                (graph, node, primary_kind(kinds) or "", str(r["p"]), text, label))
            self._db.execute("INSERT INTO grams(rowid, bigrams) VALUES (?, ?)", (cur.lastrowid, bigrams(text)))
        self._db.execute("INSERT OR IGNORE INTO graphs(graph) VALUES (?)", (graph,))

    def search(self, query: str, kind: str | None = None, per_kind: int = 10, offset: int = 0) -> SearchResult:
        """Nodes whose label or text contains `query`, grouped by kind; `kind` narrows to one group."""
        query = query.strip()[:MAX_QUERY]
        result = SearchResult(query)
        expression = match_expression(query)
        if expression is None:
            return result
        with self._lock:
            totals = self._db.execute(
                "SELECT kind, COUNT(DISTINCT node) FROM entries WHERE id IN "
                "(SELECT rowid FROM grams WHERE grams MATCH ?) GROUP BY kind", (expression,)).fetchall()
            order = {str(k): i for i, k in enumerate(KIND_ORDER)}
            for kind_iri, total in sorted(totals, key=lambda t: (order.get(t[0], 99), t[0])):
                if kind and kind_key(kind_iri) != kind:
                    continue
                group = KindGroup(kind_iri, kind_key(kind_iri), term_label(kind_iri) if kind_iri else "其他", total)
                # exact names first, then names, then texts; shorter before longer
                rows = self._db.execute(
                    "SELECT node, label, field, text, MIN(CASE WHEN lower(text) = ? THEN 0 WHEN field IN (?, ?) THEN 1 "
                    "ELSE 2 END * 100000 + length(text)) AS rank "
                    "FROM entries WHERE kind = ? AND id IN (SELECT rowid FROM grams WHERE grams MATCH ?) "
                    "GROUP BY node ORDER BY rank, label LIMIT ? OFFSET ?",
                    (normalize(query), str(RDFS.label), str(SKOS.altLabel), kind_iri, expression, per_kind,
                     offset)).fetchall()
                for node, label, field_iri, text, rank in rows:
                    group.hits.append(Hit(node, label, kind_iri, term_label(field_iri), *_excerpt(text, query),
                                          exact=rank < 100000))
                result.groups.append(group)
        return result
