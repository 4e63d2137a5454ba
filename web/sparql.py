"""SPARQL for auditors: the `/sparql` endpoint (SPARQL 1.1 Protocol, query only), the `/query`
editor page, and the canned audit queries at `/queries`.

Every query goes through one `QueryRunner` per app (guard, worker processes, time limit,
row cap). The endpoint answers errors as plain text with the protocol's status codes; the
pages show them beside the query.
"""
from __future__ import annotations

import csv
import io
import json
import threading
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from graph.guard import Limits, QueryRefused
from graph.results import FORMAT_ALIASES, SOLUTION_FORMATS, TRIPLE_FORMATS, QueryResult, serialize
from graph.runner import QueryRunner, RemoteQueryRunner, open_runner
from graph.store import PREFIX_BLOCK, PREFIXES
from ontology.errors import QueryError, RectigraphError
from web.canned import CannedQuery, canned_queries, get_canned

sparql_bp = Blueprint("sparql", __name__)
queries_bp = Blueprint("queries", __name__)

_LOCK = threading.Lock()
UPDATE_TYPES = ("application/sparql-update",)
ENTITY_PAGE = "/entity"
DEFAULT_QUERY = PREFIX_BLOCK + "\nSELECT ?report ?label ?agency WHERE {\n  ?report a rg:Report ; rdfs:label ?label .\n" \
    "  OPTIONAL { ?report rg:agency/rdfs:label ?agency }\n}\nLIMIT 20\n"


def get_runner() -> QueryRunner | RemoteQueryRunner:
    """The app's query runner, started on first use (never at import or app creation)."""
    app = current_app
    runner = app.extensions.get("rectigraph.sparql")
    if runner is None:
        with _LOCK:
            runner = app.extensions.get("rectigraph.sparql")
            if runner is None:
                runner = open_runner(app.config["STORE"], _limits("QUERY_TIMEOUT"), size=int(app.config.get("QUERY_WORKERS", 2)))
                app.extensions["rectigraph.sparql"] = runner
    return runner


def _limits(timeout_key: str) -> Limits:
    """Time limit from the named setting, row cap from QUERY_ROW_LIMIT."""
    config = current_app.config
    return Limits(float(config.get(timeout_key, Limits.timeout)), int(config.get("QUERY_ROW_LIMIT", Limits.row_limit)))


def _limit_headers(result: QueryResult) -> dict[str, str]:
    headers = {"X-Rectigraph-Rows": str(len(result.rows)), "X-Rectigraph-Elapsed-Ms": f"{result.elapsed * 1000:.1f}"}
    if result.truncated:
        headers["X-Rectigraph-Truncated"] = "true"
        headers["X-Rectigraph-Row-Limit"] = str(result.row_limit)
    return headers


# -- the endpoint ------------------------------------------------------------
def _protocol_request() -> tuple[str | None, list[str] | None, list[str] | None]:
    """(query, default graphs, named graphs) from GET, POST form or POST sparql-query."""
    if request.method == "GET":
        params = request.args
        query = params.get("query")
    else:
        ctype = (request.mimetype or "").lower()
        if ctype in UPDATE_TYPES or "update" in request.form:
            raise QueryRefused("只读端点:不接受 SPARQL Update 请求,存储未作任何改动")
        if ctype == "application/x-www-form-urlencoded":
            params = request.form
            query = params.get("query")
        elif ctype == "application/sparql-query" or not (ctype or request.get_data()):
            params = request.args
            query = request.get_data(as_text=True)
        else:
            raise _Unsupported(f"不支持的请求类型 {ctype or '(无)'};请用 GET、表单 POST 或 application/sparql-query")
    if "update" in request.args:
        raise QueryRefused("只读端点:不接受 SPARQL Update 请求,存储未作任何改动")
    default, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if default or named:  # the protocol's dataset replaces the union default graph
        return query, default, named
    return query, None, None


class _Unsupported(QueryError):
    http_status = 415


def _choose_type(result: QueryResult) -> str:
    """The media type to answer: ?format=/&output= first, else the best Accept for the result kind."""
    explicit = request.values.get("format") or request.values.get("output")
    if explicit:
        explicit = explicit.strip().lower()
        return FORMAT_ALIASES.get(explicit, explicit)
    offers = list(TRIPLE_FORMATS if result.kind == "triples" else SOLUTION_FORMATS)
    best = request.accept_mimetypes.best_match(offers)
    return best or offers[0]


@sparql_bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """SPARQL 1.1 Protocol query operation; errors as plain text with 400/403/415/503."""
    try:
        query, default, named = _protocol_request()
        if not query:
            if request.method == "GET" and request.accept_mimetypes.best == "text/html":
                return redirect(url_for("sparql.query_page"))
            raise QueryError("缺少 query 参数")
        if (request.method == "GET" and not request.args.get("format")
                and request.accept_mimetypes.best == "text/html"):
            return redirect(url_for("sparql.query_page", query=query))
        result = get_runner().run(query, default_graph=default, named_graphs=named)
    except RectigraphError as exc:
        return Response(str(exc) + "\n", status=exc.http_status, mimetype="text/plain")
    body, media_type = serialize(result, _choose_type(result), PREFIXES)
    response = Response(body, mimetype=media_type, headers=_limit_headers(result))
    response.vary.add("Accept")
    return response


# -- the editor page ---------------------------------------------------------
def _cell(term) -> dict:
    """What the results table shows for one term: text, an entity link for IRIs, the datatype."""
    if term is None:
        return {"text": ""}
    if term.kind == "uri":
        return {"text": _shorten(term.value), "href": f"{ENTITY_PAGE}?{urlencode({'iri': term.value})}",
                "title": term.value}
    if term.kind == "bnode":
        return {"text": f"_:{term.value}"}
    return {"text": term.value, "title": term.lang or _shorten(term.datatype or "")}


def _shorten(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _table(result: QueryResult) -> dict:
    return {"kind": result.kind, "columns": result.variables, "boolean": result.boolean,
            "rows": [[_cell(t) for t in row] for row in result.rows], "truncated": result.truncated,
            "row_limit": result.row_limit, "elapsed_ms": round(result.elapsed * 1000, 1)}


def _download(result: QueryResult, fmt: str, filename: str) -> Response:
    media_type = {"csv": "text/csv", "json": "application/sparql-results+json", "tsv": "text/tab-separated-values",
                  "ttl": "text/turtle"}[fmt]
    body, media_type = serialize(result, media_type, PREFIXES)
    suffix = {"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media_type, fmt)
    headers = _limit_headers(result)
    headers["Content-Disposition"] = f"attachment; filename={filename}.{suffix}"
    return Response(body, mimetype=media_type, headers=headers)


@sparql_bp.get("/query", defaults={"fmt": "html"})
@sparql_bp.get("/query.<any(csv, json, tsv, ttl):fmt>")
def query_page(fmt: str):
    """The editor; with ?query= it runs the query, so a result is shared by its URL."""
    query = request.args.get("query", "")
    result, error, status = None, None, 200
    if query.strip():
        try:
            result = get_runner().run(query)
        except RectigraphError as exc:
            if fmt != "html":
                raise
            error, status = str(exc), exc.http_status
    elif fmt != "html":
        raise QueryError("缺少 query 参数")
    if fmt != "html":
        return _download(result, fmt, "rectigraph-query")
    downloads = {f: url_for("sparql.query_page", fmt=f, query=query) for f in ("csv", "json")} if result else {}
    return render_template("sparql/query.html", query=query or DEFAULT_QUERY, ran=bool(query.strip()),
                           table=_table(result) if result else None, error=error, downloads=downloads,
                           canned=canned_queries().values(), prefixes=PREFIXES), status


# -- canned queries ----------------------------------------------------------
def run_canned(query: CannedQuery, values: dict[str, str]) -> QueryResult:
    """Run a canned query with its parameters typed and bound, under the canned-query time limit
    (the audits are ours and read the whole store; free-form queries keep QUERY_TIMEOUT)."""
    return get_runner().run(query.sparql, query.bindings(values), limits=_limits("CANNED_QUERY_TIMEOUT"))


def canned_entry(query: CannedQuery) -> dict:
    """The JSON description of a canned query."""
    return {"name": query.name, "title": query.title, "description": query.description,
            "url": url_for("queries.canned", name=query.name),
            "params": [{"name": p.name, "type": p.type, "label": p.label, "description": p.description,
                        "required": p.required, "default": p.default} for p in query.params],
            "sparql": query.sparql}


def _wanted(suffix: str | None) -> str:
    if suffix:
        return suffix
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "text/csv",
                                                 "application/sparql-results+json"])
    return {"application/json": "json", "text/csv": "csv", "application/sparql-results+json": "json"}.get(best or "", "html")


@queries_bp.get("/queries", defaults={"suffix": None})
@queries_bp.get("/queries.<any(json):suffix>")
def index(suffix: str | None):
    """The list of canned audit queries."""
    queries = canned_queries()
    if _wanted(suffix) == "json":
        return {"queries": [canned_entry(q) for q in queries.values()]}
    return render_template("queries/list.html", queries=queries.values())


@queries_bp.get("/queries/<name>")
def canned(name: str):
    """One canned query: its form, and its results as html, json, csv or tsv (suffix or Accept); .rq gives the text."""
    name, _, suffix = name.partition(".")
    query = get_canned(name)
    fmt = _wanted(suffix or None)
    if fmt == "rq":
        return Response(query.sparql, mimetype="application/sparql-query")
    if fmt not in ("html", "json", "csv", "tsv"):
        raise QueryError(f"不支持的格式 .{fmt}(可用 .json、.csv、.tsv、.rq)")
    values = {k: v for k, v in request.args.items() if v.strip()}
    missing = [p for p in query.params if p.required and p.name not in values and p.default is None]
    result, error, status = None, None, 200
    if fmt != "html" or not missing:
        try:
            result = run_canned(query, values)
        except RectigraphError as exc:
            if fmt != "html":
                raise
            error, status = str(exc), exc.http_status
    if fmt == "json":
        return Response(json.dumps({
            "query": query.name, "title": query.title, "parameters": values, "columns": result.variables,
            "rows": result.records(), "truncated": result.truncated, "row_limit": result.row_limit,
            "elapsed_ms": round(result.elapsed * 1000, 1)}, ensure_ascii=False),
            mimetype="application/json", headers=_limit_headers(result))
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n" if fmt == "csv" else "\n")
        writer.writerow(result.variables)
        writer.writerows([[r[v] for v in result.variables] for r in result.records()])
        headers = _limit_headers(result)
        headers["Content-Disposition"] = f"attachment; filename={query.name}.{fmt}"
        return Response(buf.getvalue().encode("utf-8"), headers=headers,
                        mimetype="text/csv" if fmt == "csv" else "text/tab-separated-values")
    links = {f: url_for("queries.canned", name=f"{query.name}.{f}", **values) for f in ("csv", "json")} if result else {}
    editor = url_for("sparql.query_page", query=query.sparql)
    return render_template("queries/detail.html", query=query, values=values, table=_table(result) if result else None,
                           error=error, downloads=links, editor=editor), status
