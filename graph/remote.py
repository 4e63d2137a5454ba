"""A store on an existing SPARQL server (Virtuoso, Fuseki, GraphDB …), same interface as the
embedded one.

Reads go through the SPARQL 1.1 Protocol; writes through the Graph Store Protocol (one PUT
per report graph: the server replaces the graph atomically) when a graph-store endpoint is
configured, else through SPARQL 1.1 Update. Credentials come from the environment only
(RECTIGRAPH_USER, RECTIGRAPH_PASSWORD) and never reach logs or error messages.
"""
from __future__ import annotations

import base64
import io
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.binding import bind_values, query_form
from graph.store import PREFIX_BLOCK, REPORT_GRAPH_PREFIX, GraphWrite, StoreReads, Triple, to_rdflib
from ontology.errors import QueryError, StoreError

USER_ENV = "RECTIGRAPH_USER"
PASSWORD_ENV = "RECTIGRAPH_PASSWORD"
UPDATE_ENV = "RECTIGRAPH_UPDATE_ENDPOINT"
GSP_ENV = "RECTIGRAPH_GRAPH_STORE"
INSERT_CHUNK = 400  # triples per INSERT DATA statement (Virtuoso refuses ~1,000 and more)


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _nt(term: Node) -> str:
    return term.n3()


def _statements(triples: Iterable[Triple]) -> list[str]:
    return [f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in triples]


def _parse_body(text: str) -> list[Triple]:
    """The triples of a `triples_text` body (literals may span lines, so parse, don't split)."""
    from rdflib import Graph

    return list(Graph().parse(data=text, format="turtle"))


class RemoteStore(StoreReads):
    """A GraphStore-like view of a SPARQL server."""

    def __init__(self, query_url: str, update_url: str | None = None, graph_store_url: str | None = None,
                 timeout: float = 60.0, read_only: bool = False) -> None:
        self.location = query_url
        self.path = None
        self.query_url = query_url
        self.update_url = update_url or os.environ.get(UPDATE_ENV)
        self.graph_store_url = graph_store_url or os.environ.get(GSP_ENV)
        self.timeout = timeout
        self.read_only = read_only
        handlers: list[urllib.request.BaseHandler] = []
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        self._credentials = (user, password) if user and password else None
        if user and password:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.query_url, self.update_url, self.graph_store_url)):
                manager.add_password(None, url, user, password)
            self._digest = urllib.request.HTTPDigestAuthHandler(manager)
            handlers += [self._digest, urllib.request.HTTPBasicAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*handlers)

    # -- HTTP ------------------------------------------------------------------
    def _authorization(self, url: str, method: str) -> str | None:
        """An Authorization header computed before a request with a large body is sent.

        A server that refuses an unauthenticated upload closes the connection while the body
        is still being written (a broken pipe), so the challenge is fetched first with a
        bodiless request and the answer computed for the real one.
        """
        if not self._credentials:
            return None
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=self.timeout).close()
            return None  # no authentication asked for
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "")
        except (urllib.error.URLError, TimeoutError, OSError):
            return None
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() == "digest" and self._digest is not None:
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
            answer = self._digest.get_authorization(urllib.request.Request(url, method=method), fields)
            return f"Digest {answer}" if answer else None
        if scheme.lower() == "basic":
            user, password = self._credentials
            return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        return None

    def _send(self, url: str, data: bytes | None, headers: dict[str, str], method: str = "POST",
              timeout: float | None = None) -> bytes:
        if data is not None and len(data) > 16384 and "Authorization" not in headers:
            authorization = self._authorization(url, method)
            if authorization:
                headers = {**headers, "Authorization": authorization}
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = detail[0][:300] if detail else exc.reason
            if exc.code in (401, 403):
                raise StoreError(f"{url}: 服务器拒绝访问({exc.code}),请检查 {USER_ENV}/{PASSWORD_ENV}") from None
            if exc.code == 400:
                raise QueryError(f"SPARQL 服务器报错: {message}") from None
            raise StoreError(f"{url}: 服务器错误 {exc.code}: {message}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: 无法连接 SPARQL 服务器: {reason}") from None

    def _update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError(f"{self.query_url}: 未配置更新端点,请用 --update-endpoint 或 {UPDATE_ENV}")
        data = urllib.parse.urlencode({"update": update}).encode("utf-8")
        self._send(self.update_url, data, {"Content-Type": "application/x-www-form-urlencoded"})

    # -- the GraphStore interface ----------------------------------------------
    def has_graph(self, graph: URIRef) -> bool:
        return bool(self.raw_query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)}, union=False))

    def write(self, writes: Iterable[GraphWrite]) -> None:
        """Each graph replaced atomically (GSP PUT); what it replaces dropped afterwards.

        A batch is checked whole before anything is sent, but the server applies it graph by
        graph: each report is all-or-nothing, the batch is not.
        """
        writes = list(writes)
        for w in writes:
            for s, p, o in w.triples:
                if not isinstance(s, (URIRef, BNode)) or not isinstance(p, URIRef) or not isinstance(o, Node):
                    raise StoreError(f"{self.query_url}: 写入失败: 图 {w.graph} 含有不合法的三元组 ({s!r}, {p!r})")
        for w in writes:
            if self.graph_store_url:
                url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph-uri': str(w.graph)})}"
                self._send(url, w.text().encode("utf-8"), {"Content-Type": "text/turtle"}, method="PUT")
            else:
                statements = _statements(w.triples if w.body is None else _parse_body(w.text()))
                parts = [f"DROP SILENT GRAPH {_nt(URIRef(w.graph))}"]
                for i in range(0, len(statements), INSERT_CHUNK):
                    body = "".join(statements[i:i + INSERT_CHUNK])
                    parts.append(f"INSERT DATA {{ GRAPH {_nt(URIRef(w.graph))} {{ {body} }} }}")
                self._update(" ;\n".join(parts))
            old = [g for g in w.replaces if str(g) != str(w.graph)]
            if old:
                self._update(" ;\n".join(f"DROP SILENT GRAPH {_nt(URIRef(g))}" for g in old))

    def drop_graph(self, graph: URIRef) -> bool:
        if not self.has_graph(graph):
            return False
        self._update(f"DROP SILENT GRAPH {_nt(URIRef(graph))}")
        return True

    def named_graphs(self) -> list[URIRef]:
        """The graphs rectigraph wrote (report graphs and described imports), not the server's own."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { { ?r a rg:Report } UNION { ?g rg:graphKind ?k } } }",
                           union=False)
        return sorted(URIRef(str(r["g"])) for r in rows)

    def report_graphs(self) -> list[URIRef]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a rg:Report } }", union=False)
        return sorted(URIRef(str(r["g"])) for r in rows if str(r["g"]).startswith(REPORT_GRAPH_PREFIX))

    def graphs_from_source(self, path: str) -> list[URIRef]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a rg:Report ; rg:sourcePath ?p } }",
                           {"p": Literal(path)}, union=False)
        return [URIRef(str(r["g"])) for r in rows]

    def query_bytes(self, query: str, accept: str, default_graph: Sequence[URIRef] | None = None,
                    named_graphs: Sequence[URIRef] | None = None, timeout: float | None = None) -> bytes:
        """Send a query as it is and return the server's answer in the format asked for."""
        params: list[tuple[str, str]] = [("query", query)]
        params += [("default-graph-uri", str(g)) for g in default_graph or ()]
        params += [("named-graph-uri", str(g)) for g in named_graphs or ()]
        data = urllib.parse.urlencode(params).encode("utf-8")
        return self._send(self.query_url, data, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Accept": accept}, timeout=timeout)

    def raw_query(self, query: str, bindings: dict[str, Node] | None = None, union: bool = True,
                  default_graph: Sequence[URIRef] | None = None, named_graphs: Sequence[URIRef] | None = None):
        """Like GraphStore.raw_query: pyoxigraph result objects, values bound as VALUES."""
        text = PREFIX_BLOCK + bind_values(query, bindings or {})
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = self.query_bytes(text, "application/n-triples", default_graph, named_graphs)
            scratch = ox.Store()
            scratch.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        data = self.query_bytes(text, "application/sparql-results+xml", default_graph, named_graphs)
        try:
            return ox.parse_query_results(data, ox.QueryResultsFormat.XML)
        except SyntaxError as exc:
            raise StoreError(f"{self.query_url}: 无法读取服务器返回的结果: {exc}") from None

    def triples_of(self, graph: URIRef) -> Iterator[Triple]:
        result = self.raw_query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph)})
        for t in result:
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)

    def quad_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER EXISTS { GRAPH ?g { { ?r a rg:Report } UNION { ?g rg:graphKind ?k } } } }")
        return int(rows[0]["n"].toPython()) if rows else 0

    def dump(self, out, fmt: ox.RdfFormat, union: bool) -> None:
        if fmt.supports_datasets:
            scratch = ox.Store()
            for g in self.named_graphs():
                node = ox.NamedNode(str(g))
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in self.raw_query(
                    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(g)}))
            scratch.dump(out, fmt)
            return
        scratch = ox.Store()
        for g in self.named_graphs():
            scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in self.raw_query(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(g)}))
        scratch.dump(out, fmt, from_graph=ox.DefaultGraph())
