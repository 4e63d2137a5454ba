"""The named graphs: `/graphs` lists them (reports, registry tables, other imports), `/graph?iri=`
describes one (kind, source file, size, the nodes it describes). HTML or JSON, like every page."""
from __future__ import annotations

import re
from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from graph.provenance import GraphCatalogue, GraphRef, graph_classes, graph_members, graph_page, graph_size
from graph.vocab import term_label
from ontology.errors import InputError, NotFound
from web.app import get_store
from web.formats import respond

bp = Blueprint("graphs", __name__)

IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
MEMBER_LIMIT = 200


def graph_url(ref: GraphRef, fmt: str | None = None) -> str:
    """Where a graph is shown: the report view for a report graph, else its graph page."""
    if ref.is_report and ref.report and not fmt:
        return url_for("explore.report", rid=ref.report.rsplit("/", 1)[-1])
    return url_for("graphs.graph", iri=ref.iri, fmt=fmt)


def _page() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InputError("page 须为正整数")
    return int(raw)


def _entry(ref: GraphRef, size: int | None = None) -> dict:
    data = asdict(ref)
    data["url"] = graph_url(ref)
    data["page"] = url_for("graphs.graph", iri=ref.iri)
    if size is not None:
        data["triples"] = size
    return data


@bp.route("/graphs", defaults={"fmt": None})
@bp.route("/graphs.<fmt>")
def graphs(fmt: str | None):
    page = _page()
    size = current_app.config["PAGE_SIZE"]
    rows, total = graph_page(get_store(), size, (page - 1) * size)
    pages = max((total + size - 1) // size, 1)
    return respond(fmt, {
        "html": lambda: render_template("graphs/list.html", rows=rows, total=total, page=page, pages=pages),
        "json": lambda: jsonify({"total": total, "page": page, "pages": pages,
                                 "graphs": [_entry(ref, n) for ref, n in rows]}),
    })


@bp.route("/graph", defaults={"fmt": None})
@bp.route("/graph.<fmt>")
def graph(fmt: str | None):
    iri = request.args.get("iri", "").strip()
    if not iri or not IRI.match(iri):
        raise InputError("请用 ?iri= 给出一个命名图的完整 IRI")
    store = get_store()
    if iri not in {str(g) for g in store.named_graphs()}:
        raise NotFound(f"没有这个命名图: {iri}")
    ref = GraphCatalogue(store).ref(iri)
    size = graph_size(store, iri)
    classes = [(k, term_label(k), n) for k, n in graph_classes(store, iri)]
    members = [(s, k, term_label(k), label) for s, k, label in graph_members(store, iri, MEMBER_LIMIT)]
    shown = sum(n for _, _, n in classes)
    return respond(fmt, {
        "html": lambda: render_template("graphs/detail.html", ref=ref, size=size, classes=classes, members=members,
                                        more=max(shown - len(members), 0)),
        "json": lambda: jsonify({**_entry(ref, size),
                                 "classes": [{"class": k, "label": label, "count": n} for k, label, n in classes],
                                 "members": [{"iri": s, "class": k, "label": label} for s, k, _, label in members]}),
    })
