"""Search: Chinese substring search over names and texts of every kind of node, grouped by kind."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, redirect, render_template, request

from ontology.errors import InputError
from web.app import get_search_index
from web.explore import IRI, entity_url
from web.formats import csv_response, respond

bp = Blueprint("search", __name__)
MAX_QUERY = 50


@bp.route("/search", defaults={"fmt": None})
@bp.route("/search.<fmt>")
def search(fmt: str | None):
    query = request.args.get("q", "").strip()
    if fmt is None and len(query) < 2000 and IRI.match(query) and query.startswith(("http://", "https://", "urn:")):
        return redirect(entity_url(query))
    if len(query) > MAX_QUERY:
        raise InputError(f"搜索词太长(最多 {MAX_QUERY} 个字)")
    kind = request.args.get("kind", "").strip() or None
    try:
        page = max(int(request.args.get("page", "1")), 1)
    except ValueError:
        raise InputError("page 须为正整数") from None
    per_kind = current_app.config["SEARCH_PER_KIND"] * (5 if kind else 1)
    result = get_search_index().search(query, kind=kind, per_kind=per_kind, offset=(page - 1) * per_kind)

    def as_json():
        groups = []
        for g in result.groups:
            data = asdict(g)
            data["more"] = g.more
            for hit in data["hits"]:
                hit["url"] = entity_url(hit["iri"])
            groups.append(data)
        return jsonify({"query": result.query, "total": result.total, "capped": result.capped,
                        "examined": result.examined, "groups": groups})

    def as_csv():
        rows = [{"kind": g.kind_label, "iri": h.iri, "label": h.label, "field": h.field,
                 "excerpt": h.before + h.match + h.after} for g in result.groups for h in g.hits]
        return csv_response(["kind", "iri", "label", "field", "excerpt"], rows, "search")

    return respond(fmt, {
        "html": lambda: render_template("search/results.html", result=result, kind=kind, page=page,
                                        per_kind=per_kind),
        "json": as_json, "csv": as_csv,
    })
