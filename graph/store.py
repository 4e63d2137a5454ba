"""The store: an rdflib Dataset on the embedded Oxigraph store, persistent on disk.

One function opens it (`open_store`) and knows the backend. Writes go through
pyoxigraph itself, because oxrdflib's commit/rollback do nothing: replacing a report's
named graph is one SPARQL Update request, which Oxigraph applies as one transaction, and
new reports are bulk-loaded and then sealed by one transaction (see `GraphStore`), so a
store never shows half a report even when the process is killed mid-batch.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox, to_ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.binding import bind_values
from ontology.base import REPORT_GRAPH_PREFIX
from ontology.errors import QueryError, StoreError
from ontology.namespace import RG

DEFAULT_STORE = "rectigraph-store"
STORE_ENV = "RECTIGRAPH_STORE"

PREFIXES = {
    "rg": str(RG._NS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
}
GRAPH_FORMAT_QUERY = "SELECT ?f WHERE { ?s rg:summaryOf ?r OPTIONAL { ?s rg:graphFormat ?f } } LIMIT 1"
PREFIX_BLOCK = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())

Triple = tuple[Node, Node, Node]


@dataclass
class GraphWrite:
    """One named graph to write, and the graphs it replaces.

    `body` is the graph's triples already written as Turtle statements (see `triples_text`),
    so a worker process can do that work and the writer only loads text.
    """

    graph: URIRef
    triples: Sequence[Triple] = ()
    replaces: Sequence[URIRef] = ()
    body: str | None = None
    seal: str | None = None   # a report's summary record, written last (see GraphStore.write)

    def text(self) -> str:
        body = self.body if self.body is not None else triples_text(self.triples)
        return body + (self.seal or "")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_text(term: Node) -> str:
    """One term in N-Triples syntax (valid in TriG, Turtle and SPARQL INSERT DATA)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        return f"{text}^^<{term.datatype}>" if term.datatype else text
    return term.n3()


def triples_text(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples statements, each shared term written once (a report repeats its
    nodes and predicates thousands of times; terms are keyed by identity, not by hash)."""
    triples = list(triples)  # keeps every term alive, so no id is reused below
    text = {id(t): t for triple in triples for t in triple}
    text = {key: term_text(t) for key, t in text.items()}
    return "".join([f"{text[id(s)]} {text[id(p)]} {text[id(o)]} .\n" for s, p, o in triples])


def store_location(location: str | os.PathLike | None) -> str:
    """The store the user asked for: --store, else $RECTIGRAPH_STORE, else ./rectigraph-store."""
    return str(location or os.environ.get(STORE_ENV) or DEFAULT_STORE)


def open_store(location: str | os.PathLike | None = None, read_only: bool = False,
               update_endpoint: str | None = None, graph_store_endpoint: str | None = None) -> GraphStore:
    """Open the store at `location`: a folder (the embedded store, created if needed) or the URL
    of a SPARQL query endpoint. A clear StoreError when it is locked or unreachable."""
    where = store_location(location)
    if where.startswith(("http://", "https://")):
        from graph.remote import RemoteStore

        return RemoteStore(where, update_endpoint, graph_store_endpoint, read_only=read_only)  # type: ignore[return-value]
    path = Path(where)
    try:
        if read_only:
            if not path.exists():
                raise StoreError(f"{path}: 存储不存在,请先运行 rectigraph ingest")
            inner = _open_snapshot(path)
        else:
            path.mkdir(parents=True, exist_ok=True)
            inner = ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(f"{path}: 存储正被另一个进程使用(例如正在运行的 rectigraph serve),请先停止它或稍后再试") from None
        raise StoreError(f"{path}: 无法打开存储: {str(exc).splitlines()[0]}") from None
    return GraphStore(inner, path, read_only)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as rdflib's; xsd:string literals as plain ones (the same in RDF 1.1)."""
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return from_ox(term)


def _open_snapshot(path: Path, attempts: int = 5) -> ox.Store:
    """A read-only snapshot; retried, since a writer's compaction can remove a file mid-open."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as exc:
            if attempt == attempts - 1:
                raise StoreError(f"{path}: 无法打开只读快照: {str(exc).splitlines()[0]}") from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _nt(term: Node) -> str:
    """A term in N-Triples syntax, safe to embed in SPARQL Update data."""
    return term.n3()


def _replace_update(writes: Sequence[GraphWrite]) -> str:
    """One SPARQL Update that drops what each write replaces and inserts its triples."""
    parts: list[str] = []
    for w in writes:
        for old in (*w.replaces, w.graph):
            parts.append(f"DROP SILENT GRAPH {_nt(URIRef(old))} ;")
        parts.append(f"INSERT DATA {{ GRAPH {_nt(URIRef(w.graph))} {{\n{w.text()}}} }} ;")
    return "\n".join(parts).rstrip(" ;")


def _trig(writes: Sequence[GraphWrite]) -> bytes:
    """The writes as one TriG document."""
    return "".join(f"{_nt(URIRef(w.graph))} {{\n{w.text()}}}\n" for w in writes).encode("utf-8")


class StoreReads:
    """What every store answers once it has `raw_query`: rows as rdflib terms, single values."""

    def raw_query(self, query: str, bindings: dict[str, Node] | None = None, union: bool = True,
                  default_graph: Sequence[URIRef] | None = None, named_graphs: Sequence[URIRef] | None = None):
        raise NotImplementedError

    def has_graph(self, graph: URIRef) -> bool:
        raise NotImplementedError

    def select(self, query: str, bindings: dict[str, Node] | None = None, union: bool = True) -> list[dict[str, Node]]:
        """SELECT rows as dicts of rdflib terms (unbound variables left out)."""
        result = self.raw_query(query, bindings, union)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("此处只接受 SELECT 查询")
        names = [v.value for v in result.variables]
        return [{n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in result]

    def value(self, query: str, bindings: dict[str, Node] | None = None) -> Node | None:
        """The first value of the first row, or None."""
        rows = self.select(query, bindings)
        return next(iter(rows[0].values()), None) if rows and rows[0] else None

    def graph_format(self, graph: URIRef) -> int | None:
        """The format version a sealed report graph was written with (0 when it predates
        format versions); None when the store holds no sealed report graph by that name."""
        if not self.has_graph(graph):
            return None
        rows = self.raw_query(GRAPH_FORMAT_QUERY, default_graph=[graph])
        row = next(iter(rows), None)
        if row is None:
            return None
        return int(row["f"].value) if row["f"] is not None else 0

    def graph_of(self, graph: URIRef) -> Graph:
        """One named graph as an in-memory rdflib Graph (for validation and tests)."""
        out = Graph()
        for triple in self.triples_of(graph):
            out.add(triple)
        return out

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass


class GraphStore(StoreReads):
    """A store of report graphs; every read sees the union of named graphs as default graph.

    A report graph counts once it holds its summary record (`rg:summaryOf`): new reports are
    bulk-loaded and then sealed by writing their summary records in one transaction, so a
    graph without one is the leftover of a killed ingest. Reads leave such graphs out of
    `report_graphs`; opening the store for writing removes them.
    """

    def __init__(self, inner: ox.Store, path: Path | None, read_only: bool = False) -> None:
        self.ox = inner
        self.path = path
        self.read_only = read_only
        self._dataset: Dataset | None = None
        if not read_only:
            for graph in self.unsealed_graphs():
                self.ox.remove_graph(ox.NamedNode(str(graph)))

    @property
    def dataset(self) -> Dataset:
        """The rdflib view of the same store, for rdflib-based tools."""
        if self._dataset is None:
            self._dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
        return self._dataset

    def close(self) -> None:
        self._dataset = None
        if not self.read_only:
            self.ox.flush()
        del self.ox

    # -- writing -------------------------------------------------------------
    def has_graph(self, graph: URIRef) -> bool:
        return self.ox.contains_named_graph(ox.NamedNode(str(graph)))

    def write(self, writes: Iterable[GraphWrite]) -> None:
        """Write several graphs, each all-or-nothing.

        New sealed graphs (reports) are bulk-loaded and sealed in one transaction (the fast
        path, see `_bulk_write`); other new graphs go in as one TriG document through the
        transactional `load`; a batch that replaces or overwrites graphs is one SPARQL Update
        (drops and inserts together).
        """
        writes = list(writes)
        if not writes:
            return
        for w in writes:
            for s, p, _o in w.triples:
                if not isinstance(s, (URIRef, BNode)) or not isinstance(p, URIRef):
                    raise StoreError(f"{self.path}: 写入失败: 图 {w.graph} 含有不合法的三元组 ({s!r}, {p!r})")
        try:
            if any(w.replaces or self.has_graph(w.graph) for w in writes):
                self.ox.update(_replace_update(writes))
            elif all(w.seal for w in writes):
                self._bulk_write(writes)
            else:
                self.ox.load(_trig(writes), ox.RdfFormat.TRIG)
        except (OSError, SyntaxError, TypeError, ValueError) as exc:
            raise StoreError(f"{self.path}: 写入失败: {str(exc).splitlines()[0]}") from None

    def _bulk_write(self, writes: Sequence[GraphWrite]) -> None:
        """New sealed graphs: bulk-load the bodies (fast, not transactional), then write every
        seal in one transaction. Until then the graphs are unsealed: left out of
        `report_graphs` and removed when the store is next opened for writing, or now when the
        load fails part-way."""
        try:
            self.ox.bulk_load(_trig([GraphWrite(w.graph, body=w.body or triples_text(w.triples)) for w in writes]),
                              ox.RdfFormat.TRIG)
        except BaseException:
            for w in writes:
                self.ox.remove_graph(ox.NamedNode(str(w.graph)))
            raise
        self.ox.load(_trig([GraphWrite(w.graph, body=w.seal) for w in writes]), ox.RdfFormat.TRIG)

    def optimize(self) -> None:
        """Merge the store's data files (RocksDB compaction): reads after large bulk loads get
        1.5-2x faster. Readers with an open read-only snapshot keep working."""
        try:
            self.ox.optimize()
        except OSError as exc:
            raise StoreError(f"{self.path}: 整理存储失败: {str(exc).splitlines()[0]}") from None

    def drop_graph(self, graph: URIRef) -> bool:
        """Remove one named graph; False when it was not there."""
        node = ox.NamedNode(str(graph))
        if not self.ox.contains_named_graph(node):
            return False
        self.ox.remove_graph(node)
        return True

    # -- reading -------------------------------------------------------------
    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def report_graphs(self) -> list[URIRef]:
        """Report graphs whose write finished (they hold their summary record)."""
        return sorted(self._sealed_graphs())

    def unsealed_graphs(self) -> list[URIRef]:
        """Report graphs left half-written by a killed bulk load (no summary record)."""
        sealed = self._sealed_graphs()
        return [g for g in self.named_graphs() if str(g).startswith(REPORT_GRAPH_PREFIX) and g not in sealed]

    def _sealed_graphs(self) -> set[URIRef]:
        rows = self.ox.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s rg:summaryOf ?r } }", prefixes=PREFIXES)
        return {URIRef(row["g"].value) for row in rows if row["g"].value.startswith(REPORT_GRAPH_PREFIX)}

    def graphs_from_source(self, path: str) -> list[URIRef]:
        """Report graphs that were ingested from this source path."""
        rows = self.select("SELECT DISTINCT ?g ?p WHERE { GRAPH ?g { ?r a rg:Report ; rg:sourcePath ?p } }",
                           {"p": Literal(path)}, union=False)
        return [row["g"] for row in rows]

    def raw_query(self, query: str, bindings: dict[str, Node] | None = None, union: bool = True,
                  default_graph: Sequence[URIRef] | None = None, named_graphs: Sequence[URIRef] | None = None):
        """Run a SPARQL query with values bound (never formatted in); pyoxigraph's result object."""
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(str(g)) for g in default_graph] or [ox.DefaultGraph()]
        elif union:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        try:
            return self.ox.query(bind_values(query, bindings or {}), **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL 语法错误: {str(exc).splitlines()[0]}") from None
        except RuntimeError as exc:
            raise QueryError(f"查询无法执行: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: 查询失败: {str(exc).splitlines()[0]}") from None

    def triples_of(self, graph: URIRef) -> Iterator[Triple]:
        for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))):
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)

    def quad_count(self) -> int:
        result = self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def dump(self, out, fmt: ox.RdfFormat, union: bool) -> None:
        """Serialize the store: a dataset format keeps graphs, a triple format writes their union."""
        if fmt.supports_datasets:
            self.ox.dump(out, fmt)
            return
        triples = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        triples.serialize(out, fmt)
