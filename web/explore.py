"""The explorer: overview, entity pages, report view, paths and browse lists.

Every route is one resource; a format suffix (`.json`, `.csv`, `.ttl`), `?format=` or the
Accept header picks the representation. Views gather data from `graph` and hand it to a
template or a serializer; no query text and no markup live here.
"""
from __future__ import annotations

import re
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from rdflib import Graph, URIRef

from graph import browse, entities, paths
from graph.neighbourhood import EdgeWalker, neighbourhood
from graph.queries import store_stats
from graph.reports import report_view
from graph.store import PREFIXES
from graph.vocab import DATA_BASE, kind_key, term_label
from ontology.errors import InputError, NotFound
from web.app import get_search_index, get_store
from web.formats import csv_response, respond, turtle_response
from web.graphview import KIND_STYLES, kind_style, neighbourhood_data, path_data

bp = Blueprint("explore", __name__)

SHORT_PATH = re.compile(r"[a-z][a-z0-9-]*(/[A-Za-z0-9_-]+)+")
SUFFIX = re.compile(r"\.(json|csv|ttl|html)$")
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
MAX_PAGE = 100000


# -- helpers shared with templates ------------------------------------------------
def entity_url(iri: str, fmt: str | None = None, **params) -> str:
    """The page of a node: a short path for the project's own IRIs, ?iri= for any other."""
    rest = iri[len(DATA_BASE):] if iri.startswith(DATA_BASE) else ""
    if rest and SHORT_PATH.fullmatch(rest):
        return url_for("explore.entity_short", rest=rest + (f".{fmt}" if fmt else ""), **params)
    return url_for("explore.entity", iri=iri, fmt=fmt, **params)


def report_url(report_iri: str, start: int | None = None, end: int | None = None) -> str:
    """The report view, scrolled to (and highlighting) a span when one is given."""
    rid = report_iri.rsplit("/", 1)[-1]
    if start is None:
        return url_for("explore.report", rid=rid)
    return url_for("explore.report", rid=rid, s=start, e=end, _anchor="focus")


def report_iri(rid: str) -> str:
    return f"{DATA_BASE}report/{rid}"


def template_helpers() -> dict:
    from web.graphs import graph_url

    return {"entity_url": entity_url, "report_url": report_url, "kind_key": kind_key, "graph_url": graph_url,
            "kind_colour": lambda k: kind_style(k)[0], "term_label": term_label,
            "has_endpoint": lambda name: name in current_app.view_functions}


def _page() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise InputError("page 须为正整数") from None
    if not 1 <= page <= MAX_PAGE:
        raise InputError("page 须为正整数")
    return page


def _hops() -> int:
    return 2 if request.args.get("hops") == "2" else 1


def _json(data) -> Response:
    return jsonify(data)


# -- overview ----------------------------------------------------------------------
@bp.route("/", defaults={"fmt": None})
@bp.route("/index.<fmt>")
def overview(fmt: str | None):
    store = get_store()
    stats = store_stats(store)
    reports = browse.reports(store)
    docs, doc_total = browse.documents(store, 10)
    statuses = browse.issue_statuses(store)
    data = {"stats": dict(stats), "reports": reports, "top_documents": docs, "documents": doc_total,
            "issue_statuses": statuses}
    return respond(fmt, {
        "html": lambda: render_template("explore/overview.html", stats=stats, reports=reports, docs=docs,
                                        statuses=statuses, chart_max=_chart_max(reports)),
        "json": lambda: _json(data),
    })


def _chart_max(reports: list[dict]) -> int:
    values = [r.get(k, 0) for r in reports for k in ("statedIssues", "listedIssues")]
    return max([v for v in values if isinstance(v, int)] + [1])


@bp.route("/kinds.css")
def kinds_css():
    body = render_template("explore/kinds.css", styles=KIND_STYLES)
    return Response(body, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})


# -- entity ------------------------------------------------------------------------
@bp.route("/entity", defaults={"fmt": None})
@bp.route("/entity.<fmt>")
def entity(fmt: str | None):
    iri = request.args.get("iri", "").strip()
    if not iri or not IRI.match(iri):
        raise InputError("请用 ?iri= 给出一个完整的 IRI")
    return _entity(iri, fmt)


@bp.route("/e/<path:rest>")
def entity_short(rest: str):
    match = SUFFIX.search(rest)
    fmt = match.group(1) if match else None
    if match:
        rest = rest[:match.start()]
    if not SHORT_PATH.fullmatch(rest):
        raise NotFound("页面不存在")
    return _entity(DATA_BASE + rest, fmt)


def _entity(iri: str, fmt: str | None):
    store = get_store()
    cfg = current_app.config
    walker = EdgeWalker(store)        # one per request: the page and its drawing share what it read
    entity = entities.describe(store, iri, cap=cfg["NEIGHBOUR_LIMIT"], source_cap=cfg["SOURCE_LIMIT"], walker=walker)
    hops = _hops()

    def graph_data() -> dict:
        sub = neighbourhood(store, iri, hops=hops, per_relation=cfg["GRAPH_PER_RELATION"],
                            max_nodes=cfg["GRAPH_NODE_LIMIT"], walker=walker)
        return neighbourhood_data(sub, entity_url)

    def as_json():
        data = asdict(entity)
        data["kind_label"] = term_label(entity.kind) if entity.kind else None
        for group, relation in zip(data["relations"], entity.relations):
            group["more"] = int(relation.more)
        data["graph"] = {k: v for k, v in graph_data().items() if k in ("nodes", "edges", "truncated")}
        return _json(data)

    def as_csv():
        rows = [{"direction": g.direction, "relation": g.label, "predicate": g.predicate, "kind": g.kind_label,
                 "total": g.total, "iri": n.iri, "label": n.label} for g in entity.relations for n in g.items]
        return csv_response(["direction", "relation", "predicate", "kind", "total", "iri", "label"], rows,
                            "entity-neighbours")

    def as_ttl():
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in entities.triples_about(store, iri):
            g.add(triple)
        return turtle_response(g.serialize(format="turtle").encode("utf-8"), "entity")

    report_link = report_url(iri) if entity.kind and kind_key(entity.kind) == "Report" else None
    return respond(fmt, {
        "html": lambda: render_template("explore/entity.html", entity=entity, graph=graph_data(), hops=hops,
                                        report_link=report_link),
        "json": as_json, "csv": as_csv, "ttl": as_ttl,
    })


# -- report view -------------------------------------------------------------------
@bp.route("/report/<rid>", defaults={"fmt": None})
@bp.route("/report/<rid>.<fmt>")
def report(rid: str, fmt: str | None):
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", rid):
        raise NotFound("页面不存在")
    focus = None
    if request.args.get("s", "").isdigit() and request.args.get("e", "").isdigit():
        focus = (int(request.args["s"]), int(request.args["e"]))
    store = get_store()
    view = report_view(store, report_iri(rid), focus)

    def as_json():
        marks = {}
        for seg in view.segments:
            if seg.mention:
                marks[(seg.mention.iri, seg.mention.start)] = asdict(seg.mention)
        items = {m.iri: asdict(m) for seg in view.segments for m in seg.items}
        return _json({"iri": view.iri, "label": view.label, "agency": view.agency, "agency_label": view.agency_label,
                      "issued": view.issued, "source": view.source, "counts": view.counts, "text": view.text,
                      "outline": [asdict(n) for n in view.outline], "mentions": list(marks.values()),
                      "items": sorted(items.values(), key=lambda m: m["start"])})

    def as_ttl():
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in store.triples_of(URIRef(f"{DATA_BASE}graph/report/{rid}")):
            g.add(triple)
        return turtle_response(g.serialize(format="turtle").encode("utf-8"), f"report-{rid}")

    return respond(fmt, {
        "html": lambda: render_template("explore/report.html", view=view, focus=focus),
        "json": as_json, "ttl": as_ttl,
    })


# -- paths -------------------------------------------------------------------------
@bp.route("/path", defaults={"fmt": None})
@bp.route("/path.<fmt>")
def path(fmt: str | None):
    store = get_store()
    ends = []
    for name in ("from", "to"):
        value = request.args.get(name, "").strip()[:500]
        ends.append(_resolve_end(store, value))
    result = None
    graph = None
    labels: dict[str, tuple[str, str | None]] = {}
    if all(e["iri"] for e in ends):
        result = paths.find_paths(store, ends[0]["iri"], ends[1]["iri"])
        for key in {k for p in result.paths for k in p} | {ends[0]["iri"], ends[1]["iri"]}:
            if key.startswith("_:"):
                labels[key] = (key, None)
            else:
                labels[key] = (entities.node_label(store, key), _primary(store, key))
        graph = path_data(result, labels, entity_url)

    def as_json():
        data = {"from": ends[0], "to": ends[1], "paths": None}
        if result is not None:
            data["paths"] = [[{"iri": step.source, "label": labels[step.source][0], "relation": term_label(step.predicate),
                               "predicate": step.predicate, "forward": step.forward} for step in steps]
                             + [{"iri": p[-1], "label": labels[p[-1]][0]}] for p, steps in zip(result.paths, result.steps)]
            data["explored"] = result.explored
            data["truncated"] = result.truncated
        return _json(data)

    return respond(fmt, {
        "html": lambda: render_template("explore/path.html", ends=ends, result=result, graph=graph, labels=labels),
        "json": as_json,
    })


def _primary(store, iri: str) -> str | None:
    from graph.vocab import primary_kind

    return primary_kind(entities.node_kinds(store, iri))


def _resolve_end(store, value: str) -> dict:
    """An end of a path: an IRI that exists, or a search text with the candidates it finds."""
    end = {"input": value, "iri": None, "label": None, "candidates": []}
    if not value:
        return end
    if IRI.match(value) and browse.exists(store, value):
        end.update(iri=value, label=entities.node_label(store, value))
        return end
    found = get_search_index().search(value, per_kind=5)
    hits = [h for g in found.groups for h in g.hits]
    end["candidates"] = [{"iri": h.iri, "label": h.label, "kind": g.kind, "kind_label": g.kind_label}
                         for g in found.groups for h in g.hits]
    exact = [h for h in hits if h.exact]
    if len(hits) == 1 or len(exact) == 1:
        chosen = hits[0] if len(hits) == 1 else exact[0]
        end.update(iri=chosen.iri, label=chosen.label)
    return end


# -- browse lists ------------------------------------------------------------------
LISTS = {
    "agencies": ("机关单位", browse.agencies, [("label", "名称"), ("place", "地区"), ("reports", "报告"),
                                                ("inspections", "巡视巡察"), ("units", "内设机构"), ("roles", "职务")],
                 "agency"),
    "inspections": ("巡视巡察", browse.inspections, [("label", "名称"), ("kind", "类型"), ("bodyLabel", "巡视巡察组"),
                                                      ("agencyLabel", "被巡视巡察单位"), ("start", "进驻开始"),
                                                      ("end", "进驻结束"), ("feedback", "反馈日期"), ("round", "轮次"),
                                                      ("reports", "报告"), ("issues", "问题")], "inspection"),
    "documents": ("文件", browse.documents, [("label", "标题"), ("type", "类型"), ("reports", "提及的报告"),
                                             ("issuedIn", "印发/修订的报告"), ("citedIn", "引用的报告")], "document"),
    "issues": ("问题", browse.issues, [("label", "问题"), ("aspectLabel", "所属方面"), ("status", "整改状态"),
                                       ("measures", "措施"), ("agencyLabel", "单位"), ("reportLabel", "报告")], "issue"),
}
# label columns and the column holding the node they name (besides "label", which names the row)
LINKS = {"bodyLabel": "body", "agencyLabel": "agency", "aspectLabel": "aspect", "reportLabel": "report"}


def _list(name: str, fmt: str | None):
    title, fetch, columns, key = LISTS[name]
    page = _page()
    size = current_app.config["PAGE_SIZE"]
    kwargs = {}
    status = request.args.get("status", "").strip()[:20] if name == "issues" else ""
    if status:
        kwargs["status"] = status
    rows, total = fetch(get_store(), size, (page - 1) * size, **kwargs)
    pages = max((total + size - 1) // size, 1)
    statuses = browse.issue_statuses(get_store()) if name == "issues" else []
    return respond(fmt, {
        "html": lambda: render_template("explore/list.html", name=name, title=title, rows=rows, columns=columns,
                                        key=key, links=LINKS, total=total, page=page, pages=pages,
                                        statuses=statuses, status=status),
        "json": lambda: _json({"total": total, "page": page, "pages": pages, "rows": rows}),
        "csv": lambda: csv_response([key] + [c for c, _ in columns], rows, name),
    })


@bp.route("/agencies", defaults={"fmt": None})
@bp.route("/agencies.<fmt>")
def agencies(fmt: str | None):
    return _list("agencies", fmt)


@bp.route("/inspections", defaults={"fmt": None})
@bp.route("/inspections.<fmt>")
def inspections(fmt: str | None):
    return _list("inspections", fmt)


@bp.route("/documents", defaults={"fmt": None})
@bp.route("/documents.<fmt>")
def documents(fmt: str | None):
    return _list("documents", fmt)


@bp.route("/issues", defaults={"fmt": None})
@bp.route("/issues.<fmt>")
def issues(fmt: str | None):
    return _list("issues", fmt)


@bp.route("/reports", defaults={"fmt": None})
@bp.route("/reports.<fmt>")
def reports(fmt: str | None):
    rows = browse.reports(get_store())
    columns = ["report", "label", "agencyLabel", "issued", "kind", "source", "statedIssues", "listedIssues",
               "statedIssuesDone", "listedIssuesDone", "statedMeasures", "listedMeasures"]
    return respond(fmt, {
        "html": lambda: render_template("explore/reports.html", rows=rows),
        "json": lambda: _json({"total": len(rows), "rows": rows}),
        "csv": lambda: csv_response(columns, rows, "reports"),
    })
