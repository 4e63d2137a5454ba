"""Chinese substring search over labels and texts, with a character-bigram index beside the store.

Every literal worth finding (names, alternative names, headings, measure texts, role titles)
is written into an SQLite file next to the store as one row, and its text as a sequence of
character bigrams into an FTS5 table. A query of n ≥ 2 characters is the phrase of its n-1
bigrams, which matches exactly the texts that contain it; a single character is a prefix
query on the bigrams that start with it, answered by the FTS5 prefix index (every character
is written with the same number of hex digits, so one prefix length serves them all). So
search stays an index lookup on a large store, where `CONTAINS` over every label is a full scan.

A search reads at most a bounded number of matching rows (FTS5 stops early under LIMIT), so
its cost does not grow with how often a common word occurs: totals and ranking are computed over
those candidates, and a result that reached the bound says its totals are lower bounds. Names
equal to the query are found through an index on the normalized name, wherever they lie. Each
row also carries a token for its kind, so a search narrowed to one kind reads candidates of
that kind only.

The index follows the store by named graph: graphs that appear are indexed, graphs that go
are dropped. Report graphs are content-addressed, so a graph that is still there is unchanged.
A file written with another schema version is emptied and rebuilt by the next `sync()`.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
import unicodedata
from functools import lru_cache
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from graph.store import GraphStore
from graph.vocab import KIND_ORDER, kind_key, primary_kind, term_label
from ontology.base import REPORT_GRAPH_PREFIX
from ontology.namespace import RG

INDEXED_PREDICATES = [RDFS.label, SKOS.altLabel, RG.heading, RG.text, RG.roleTitle]
NAME_FIELDS = frozenset({str(RDFS.label), str(SKOS.altLabel)})
SKIPPED_KINDS = {str(RG.Mention), str(RG.SummaryRecord)}
_LABEL, _TEXT, _REPORT = str(RDFS.label), str(RG.text), str(RG.Report)
MAX_TEXT = 2000            # characters of one literal that are indexed
MAX_QUERY = 50
PROGRESS_EVERY = 500       # graphs indexed between two progress reports
MAX_CANDIDATES = 5000      # matching rows one search counts and ranks; beyond, totals are lower bounds
SCHEMA_VERSION = 2         # PRAGMA user_version of the index file; a file with another one is rebuilt
CHAR_DIGITS = 6            # hex digits of one character in a token: enough for every code point

# Run with the one graph as default graph: a GRAPH ?g block with ?g bound by VALUES is
# evaluated over every graph first (seconds per graph on a store of 1,000 reports).
GRAPH_LITERALS_QUERY = """
SELECT ?s ?p ?o WHERE { VALUES ?p { rdfs:label skos:altLabel rg:heading rg:text rg:roleTitle } ?s ?p ?o FILTER(isLiteral(?o)) }"""
GRAPH_KINDS_QUERY = "SELECT ?s ?k WHERE { ?s a ?k }"

TABLES = ("graphs", "entries", "grams")
SCHEMA = [
    "CREATE TABLE graphs(graph TEXT PRIMARY KEY)",
    # name: the normalized text of a name field (rdfs:label, skos:altLabel), NULL for other fields
    "CREATE TABLE entries(id INTEGER PRIMARY KEY, graph TEXT NOT NULL, node TEXT NOT NULL, kind TEXT NOT NULL, "
    "field TEXT NOT NULL, text TEXT NOT NULL, label TEXT NOT NULL, name TEXT)",
    "CREATE INDEX entries_graph ON entries(graph)",
    "CREATE INDEX entries_name ON entries(name) WHERE name IS NOT NULL",
    # kind: one token naming the kind of the row's node (kind_tag), never equal to a bigram token;
    # contentless: a row is removed by handing its tokens back (_drop_graph)
    "CREATE VIRTUAL TABLE grams USING fts5(bigrams, kind, content='', columnsize=0, "
    f"prefix={CHAR_DIGITS + 1})",
]
CANDIDATES_QUERY = """
SELECT e.id, e.node, e.kind, e.field, e.text, e.label, e.name
FROM (SELECT rowid FROM grams WHERE grams MATCH ? LIMIT ?) AS g JOIN entries AS e ON e.id = g.rowid
ORDER BY g.rowid"""


def normalize(text: str) -> str:
    """What search compares: NFKC (full-width to half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def name_key(text: str) -> str:
    """What an exact name match compares: the normalized text without surrounding blanks."""
    return normalize(text).strip()


def kind_tag(key: str) -> str:
    """The token that marks rows of one kind key: 'k' and hex digits, so never a bigram token."""
    return "k" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


@lru_cache(maxsize=1 << 16)
def _char(c: str) -> str:
    return format(ord(c), f"0{CHAR_DIGITS}x")


def bigrams(text: str) -> str:
    """The text as space-separated bigram tokens (hex code points joined by 'g'), last char + end mark."""
    text = normalize(text)
    if not text:
        return ""
    codes = [_char(c) for c in text]
    codes.append("z")
    return " ".join([a + "g" + b for a, b in zip(codes, codes[1:])])


def grams_row(kind: str, text: str) -> tuple[str, str]:
    """The columns of a row in grams: the text's bigrams and its kind's tag (as written, so as deleted)."""
    return bigrams(text), kind_tag(kind_key(kind))


def match_expression(query: str) -> str | None:
    """The FTS5 expression that finds texts containing `query`; None for an empty query."""
    q = normalize(query).strip()
    if not q:
        return None
    if len(q) == 1:
        return f'"{_char(q)}g" *'
    return '"' + " ".join(f"{_char(a)}g{_char(b)}" for a, b in zip(q, q[1:])) + '"'


class Entry(NamedTuple):
    """One indexed literal, as a search reads it from entries."""
    id: int
    node: str
    kind: str
    field: str
    text: str
    label: str
    name: str | None


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
    total_capped: bool = False     # the search reached its candidate bound: total is a lower bound

    @property
    def more(self) -> int:
        return max(self.total - len(self.hits), 0)


@dataclass
class SearchResult:
    query: str
    groups: list[KindGroup] = field(default_factory=list)
    capped: bool = False           # more rows matched than were examined: every total is a lower bound
    examined: int = 0              # matching rows read from the bigram index

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


Ranked = tuple[tuple[int, int], Entry]     # an entry with its rank (_rank)


def _rank(entry: Entry, name: str) -> tuple[int, int]:
    """Exact names first, then names, then texts; shorter before longer."""
    if entry.name is None:
        return 2, len(entry.text)
    return (0 if entry.name == name else 1), len(entry.text)


def _best_by_node(entries: list[Entry], name: str) -> dict[str, dict[str, Ranked]]:
    """kind -> node -> the node's best-ranked entry, with its rank."""
    best: dict[str, dict[str, Ranked]] = {}
    for entry in entries:
        ranked = (_rank(entry, name), entry)
        nodes = best.setdefault(entry.kind, {})
        if entry.node not in nodes or ranked[0] < nodes[entry.node][0]:
            nodes[entry.node] = ranked
    return best


def _group(kind_iri: str, nodes: dict[str, Ranked], query: str, per_kind: int,
           offset: int, capped: bool) -> KindGroup:
    """One kind's group: its node count and the page of its nodes in rank order."""
    group = KindGroup(kind_iri, kind_key(kind_iri), term_label(kind_iri) if kind_iri else "其他", len(nodes),
                      total_capped=capped)
    ranked = sorted(nodes.values(), key=lambda r: (r[0], r[1].label))
    for rank, entry in ranked[offset:offset + per_kind]:
        group.hits.append(Hit(entry.node, entry.label, kind_iri, term_label(entry.field),
                              *_excerpt(entry.text, query), exact=rank[0] == 0))
    return group


class SearchIndex:
    """The bigram index of one store, kept in an SQLite file (or in memory when path is None)."""

    def __init__(self, path: str | Path | None, candidates: int = MAX_CANDIDATES) -> None:
        self.path = str(path) if path else ":memory:"
        self.candidates = candidates
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self._prepare()

    def _prepare(self) -> None:
        """Create the tables; drop them first when the file holds another schema version."""
        if self._version() == SCHEMA_VERSION:
            return                 # no write lock: another process may be syncing
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._version() != SCHEMA_VERSION:
                for table in TABLES:
                    self._db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in SCHEMA:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _version(self) -> int:
        """The schema version written in the file (0 for a new or pre-versioned file)."""
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def beside(store_path: str | Path) -> Path:
        """Where the index of a store lives: a file next to the store directory."""
        p = Path(store_path)
        return p.with_name(p.name + ".search.sqlite")

    def close(self) -> None:
        self._db.close()

    def sync(self, store: GraphStore, progress: Callable[[int, int], None] | None = None) -> int:
        """Index graphs that are new in the store, drop graphs that are gone; the number changed.
        `progress(done, total)` is called every PROGRESS_EVERY graphs indexed."""
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
                    self._drop_graph(graph)
                for done, graph in enumerate(new, 1):
                    self._index_graph(store, graph)
                    if progress and (done % PROGRESS_EVERY == 0 or done == len(new)):
                        progress(done, len(new))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(new) + len(gone)

    def _index_graph(self, store: GraphStore, graph: str) -> None:
        # two scans joined here: one query with the kinds joined in took three times as long
        literals = {(r["s"].value, r["p"].value, r["o"].value): None
                    for r in store.raw_query(GRAPH_LITERALS_QUERY, default_graph=[URIRef(graph)])}
        kinds: dict[str, set[str]] = {}
        for r in store.raw_query(GRAPH_KINDS_QUERY, default_graph=[URIRef(graph)]):
            kinds.setdefault(r["s"].value, set()).add(r["k"].value)
        labels: dict[str, str] = {}
        for node, predicate, text in literals:
            if predicate == _LABEL:
                labels.setdefault(node, text)
        for node, predicate, text in literals:
            node_kinds = kinds.get(node, set())
            if node_kinds & SKIPPED_KINDS or (predicate == _TEXT and _REPORT in node_kinds):
                continue
            text = text[:MAX_TEXT]
            self._add(graph, node, primary_kind(node_kinds) or "", predicate, text, labels.get(node) or text[:60])
        self._db.execute("INSERT OR IGNORE INTO graphs(graph) VALUES (?)", (graph,))

    def _drop_graph(self, graph: str) -> None:
        """Forget one graph: the bigram index is told the tokens of each of its rows, then the rows go."""
        rows = self._db.execute("SELECT id, kind, text FROM entries WHERE graph = ?", (graph,)).fetchall()
        for entry_id, kind, text in rows:
            self._db.execute("INSERT INTO grams(grams, rowid, bigrams, kind) VALUES ('delete', ?, ?, ?)",
                             (entry_id, *grams_row(kind, text)))
        self._db.execute("DELETE FROM entries WHERE graph = ?", (graph,))
        self._db.execute("DELETE FROM graphs WHERE graph = ?", (graph,))

    def _add(self, graph: str, node: str, kind: str, field_iri: str, text: str, label: str) -> None:
        """Index one literal: its row in entries, its bigrams and kind tag in grams."""
        name = name_key(text) if field_iri in NAME_FIELDS else None
        cur = self._db.execute(
            "INSERT INTO entries(graph, node, kind, field, text, label, name) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (graph, node, kind, field_iri, text, label, name))
        self._db.execute("INSERT INTO grams(rowid, bigrams, kind) VALUES (?, ?, ?)",
                         (cur.lastrowid, *grams_row(kind, text)))

    def search(self, query: str, kind: str | None = None, per_kind: int = 10, offset: int = 0) -> SearchResult:
        """Nodes whose label or text contains `query`, grouped by kind; `kind` narrows to one group.

        Counts and ranking cover the first `candidates` matching rows and the rows named `query`;
        when more rows match, `capped` is set and the totals are lower bounds."""
        query = query.strip()[:MAX_QUERY]
        result = SearchResult(query)
        expression = match_expression(query)
        if expression is None:
            return result
        if kind:
            expression = f"({expression}) AND {kind_tag(kind)}"
        name = name_key(query)
        with self._lock:
            found = self._candidates(expression)
            exact = [e for e in self._exact(name) if not kind or kind_key(e.kind) == kind]
        result.capped = len(found) > self.candidates
        found = found[:self.candidates]
        result.examined = len(found)
        known = {e.id for e in found}
        best = _best_by_node(found + [e for e in exact if e.id not in known], name)
        order = {str(k): i for i, k in enumerate(KIND_ORDER)}
        for kind_iri in sorted(best, key=lambda k: (order.get(k, 99), k)):
            result.groups.append(_group(kind_iri, best[kind_iri], query, per_kind, offset, result.capped))
        return result

    def _candidates(self, expression: str) -> list[Entry]:
        """The first matching rows in index order: one more than the bound, to tell that it was reached."""
        rows = self._db.execute(CANDIDATES_QUERY, (expression, self.candidates + 1)).fetchall()
        return [Entry._make(row) for row in rows]

    def _exact(self, name: str) -> list[Entry]:
        """Rows whose name is the query itself, looked up in the name index (at most the bound)."""
        rows = self._db.execute("SELECT id, node, kind, field, text, label, name FROM entries WHERE name = ? LIMIT ?",
                                (name, self.candidates)).fetchall()
        return [Entry._make(row) for row in rows]
