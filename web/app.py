"""The Flask application factory: one store per app, blueprints per area, one error handler."""
from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, render_template, request

from graph.store import GraphStore, open_store, store_location
from ontology.errors import NotFound, RectigraphError

DEFAULT_CONFIG: dict[str, Any] = {
    "STORE": None,                # path of the store; None: $RECTIGRAPH_STORE or ./rectigraph-store
    "QUERY_TIMEOUT": 10.0,        # seconds a SPARQL query may run
    "QUERY_ROW_LIMIT": 10000,     # rows a SPARQL result may have before it is cut
    "NEIGHBOUR_LIMIT": 25,        # neighbours shown per relation on an entity page
    "JSON_AS_ASCII": False,
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; the store is opened once here and handed to every view."""
    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    app.config.update(config or {})
    app.config["STORE"] = store_location(app.config["STORE"])
    app.json.ensure_ascii = False
    app.extensions["rectigraph.store"] = _open(app)

    from web.blueprints import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.errorhandler(RectigraphError)
    def handle_error(exc: RectigraphError):
        return error_response(str(exc), exc.http_status)

    @app.errorhandler(404)
    def handle_404(exc):
        return error_response("页面不存在", 404)

    return app


def _open(app: Flask) -> GraphStore:
    """The app's store: the embedded store read-only, so `rectigraph ingest` can run beside it."""
    return open_store(app.config["STORE"], read_only=app.config.get("STORE_READ_ONLY", True))


def get_store() -> GraphStore:
    """The store of the current app."""
    from flask import current_app

    return current_app.extensions["rectigraph.store"]


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.endswith(".json") or best == "application/json"


def error_response(message: str, status: int):
    """One error type, turned into a page or JSON."""
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", message=message, status=status), status


__all__ = ["create_app", "get_store", "error_response", "NotFound", "g"]
