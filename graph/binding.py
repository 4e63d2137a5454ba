"""Bind rdflib terms into a query as a VALUES block (the guard's binding, for rdflib callers).

The values are joined at the head of the query's outermost WHERE group (so the variable need
not be projected) and written by the RDF library, never formatted in as text.
"""
from __future__ import annotations

from oxrdflib._converter import to_ox
from rdflib import BNode
from rdflib.term import Node

from graph import guard
from ontology.errors import QueryError


def bind_values(query: str, bindings: dict[str, Node]) -> str:
    """The query with `bindings` (rdflib IRIs or literals) bound by a VALUES block."""
    if not bindings:
        return query
    for name, value in bindings.items():
        if isinstance(value, BNode) or not isinstance(value, Node):
            raise QueryError(f"参数 {name} 的值不是 IRI 或字面量")
    return guard.bind_values(query, {name: to_ox(value) for name, value in bindings.items()})


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; QueryRefused for an update."""
    return guard.query_form(query)
