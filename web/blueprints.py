"""The blueprints the app registers, one per area."""
from __future__ import annotations

from flask import Blueprint

BLUEPRINTS: list[Blueprint] = []

from web.sparql import queries_bp, sparql_bp  # noqa: E402 - SPARQL endpoint, query page, canned audit queries

BLUEPRINTS += [sparql_bp, queries_bp]

from web.explore import bp as explore_bp  # noqa: E402 - overview, entity pages, report view, paths, lists
from web.search import bp as search_bp  # noqa: E402 - search over names and texts

BLUEPRINTS += [explore_bp, search_bp]

from web.graphs import bp as graphs_bp  # noqa: E402 - the named graphs: reports, registries, imports

BLUEPRINTS += [graphs_bp]
