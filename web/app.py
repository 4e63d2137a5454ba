"""The Flask application factory: one store per app, blueprints per area, one error handler.

The app reads a read-only snapshot of the embedded store, so `rectigraph ingest` can write
beside a running server. `StoreHolder` notices when the store's files change (checked at most
every `STORE_CHECK_SECONDS`) and reopens the snapshot, so new reports show up without a restart.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request

from graph.guard import CANNED_TIMEOUT
from graph.search import SearchIndex
from graph.store import GraphStore, open_store, store_location
from ontology.errors import NotFound, RectigraphError

DEFAULT_CONFIG: dict[str, Any] = {
    "STORE": None,                # path of the store; None: $RECTIGRAPH_STORE or ./rectigraph-store
    "STORE_READ_ONLY": True,      # open a read-only snapshot (ingest may run beside the server)
    "STORE_CHECK_SECONDS": 2.0,   # how often at most to look for a newer store on disk
    "SEARCH_INDEX": None,         # path of the search index; None: <store>.search.sqlite beside the store
    "QUERY_TIMEOUT": 10.0,        # seconds a SPARQL query may run
    "CANNED_QUERY_TIMEOUT": CANNED_TIMEOUT,  # seconds a canned audit query may run (they read the whole store)
    "QUERY_ROW_LIMIT": 10000,     # rows a SPARQL result may have before it is cut
    "NEIGHBOUR_LIMIT": 25,        # neighbours shown per relation on an entity page
    "SOURCE_LIMIT": 20,           # source sentences shown on an entity page
    "GRAPH_NODE_LIMIT": 150,      # nodes drawn in a neighbourhood graph
    "GRAPH_PER_RELATION": 12,     # neighbours drawn per relation and kind
    "PAGE_SIZE": 100,             # rows per page of a browse list
    "SEARCH_PER_KIND": 10,        # search hits shown per kind
    "JSON_AS_ASCII": False,
}

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")


class StoreHolder:
    """The app's current store snapshot; reopened when the files on disk change."""

    def __init__(self, location: str, read_only: bool, check_seconds: float) -> None:
        self.location = location
        self.read_only = read_only
        self.check_seconds = check_seconds
        self.generation = 0
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._fingerprint = self._scan()
        self.store: GraphStore = open_store(location, read_only=read_only)

    def _scan(self) -> tuple:
        """Names, sizes and times of the store's files: they change with every write.
        On a SPARQL server: the list of graphs rectigraph wrote (one small query)."""
        if self.location.startswith(("http://", "https://")):
            try:
                return tuple(map(str, open_store(self.location).named_graphs()))
            except RectigraphError:
                return ()
        try:
            with os.scandir(self.location) as entries:
                return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()))
        except OSError:
            return ()

    def current(self) -> GraphStore:
        """The store, reopened first when it changed on disk (checked at most every few seconds)."""
        if not self.read_only and not self.location.startswith(("http://", "https://")):
            return self.store
        now = time.monotonic()
        if now - self._checked < self.check_seconds:
            return self.store
        with self._lock:
            if now - self._checked < self.check_seconds:
                return self.store
            self._checked = now
            fingerprint = self._scan()
            if fingerprint != self._fingerprint:
                try:
                    fresh = open_store(self.location, read_only=True)
                except RectigraphError:
                    return self.store       # mid-write or gone: keep serving the old snapshot
                self.store, self._fingerprint = fresh, fingerprint
                self.generation += 1
        return self.store


class SearchHolder:
    """The search index of the app's store, brought up to date when the store changes."""

    def __init__(self, path: str | Path | None) -> None:
        self.index = SearchIndex(path)
        self._synced = -1
        self._lock = threading.Lock()

    def ready(self, holder: StoreHolder, progress: Callable[[int, int], None] | None = None) -> SearchIndex:
        store = holder.current()
        if self._synced != holder.generation:
            with self._lock:
                if self._synced != holder.generation:
                    self.index.sync(store, progress)
                    self._synced = holder.generation
        return self.index


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; the store is opened once here and handed to every view."""
    app = Flask(__name__)
    app.config.update(DEFAULT_CONFIG)
    app.config.update(config or {})
    app.config["STORE"] = store_location(app.config["STORE"])
    app.json.ensure_ascii = False
    holder = StoreHolder(app.config["STORE"], app.config["STORE_READ_ONLY"], app.config["STORE_CHECK_SECONDS"])
    app.extensions["rectigraph.holder"] = holder
    app.extensions["rectigraph.store"] = holder.store
    index_path = app.config["SEARCH_INDEX"] or _index_path(app.config["STORE"])
    app.extensions["rectigraph.search"] = SearchHolder(index_path)

    from web.blueprints import BLUEPRINTS
    from web.explore import template_helpers

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(template_helpers())

    @app.before_request
    def refresh_store() -> None:
        app.extensions["rectigraph.store"] = holder.current()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.errorhandler(RectigraphError)
    def handle_error(exc: RectigraphError):
        return error_response(str(exc), exc.http_status)

    @app.errorhandler(404)
    def handle_404(exc):
        return error_response("页面不存在", 404)

    @app.errorhandler(405)
    def handle_405(exc):
        return error_response("不支持这种请求方法", 405)

    return app


def _index_path(store: str) -> Path | None:
    """The index file beside the store, or None (in memory) when that folder is not writable."""
    path = SearchIndex.beside(store)
    return path if os.access(path.parent, os.W_OK) else None


def get_store() -> GraphStore:
    """The store of the current app (the newest snapshot)."""
    return current_app.extensions["rectigraph.holder"].current()


def get_search_index(progress: Callable[[int, int], None] | None = None) -> SearchIndex:
    """The search index of the current app, synced with the current store."""
    return current_app.extensions["rectigraph.search"].ready(current_app.extensions["rectigraph.holder"], progress)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.endswith(".json") or request.args.get("format") == "json" or best == "application/json"


def error_response(message: str, status: int):
    """One error type, turned into a page or JSON."""
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", message=message, status=status), status


__all__ = ["create_app", "get_store", "get_search_index", "error_response", "NotFound"]
