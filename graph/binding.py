"""Bind values into a SPARQL query as a VALUES block, never by formatting them into its text.

The block goes at the head of the query's outermost WHERE group, so the values join the
pattern before any grouping or projection (the variable need not be projected), and each
value is written by rdflib's own N-Triples serialisation, which escapes it.
"""
from __future__ import annotations

import re

from rdflib import BNode
from rdflib.term import Node

from ontology.errors import QueryError

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD = re.compile(r"[A-Za-z_]+")


def _tokens(query: str):
    """(position, token) for the keywords and braces at the top level of a query."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "\"'":
            quote = c * 3 if query.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:]):
            i += re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:]).end()
        elif c in "{}":
            yield i, c
            i += 1
        elif c in "?$":
            i += 1
            while i < n and (query[i].isalnum() or query[i] == "_"):
                i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(query, i)
            yield i, m.group().upper()
            i = m.end()
            while i < n and (query[i].isalnum() or query[i] in "_-:.") :
                i += 1
        else:
            i += 1


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first form keyword at the top level), else None."""
    for _pos, tok in _tokens(query):
        if tok in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok
        if tok in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"):
            return None
    return None


def where_group_start(query: str) -> int:
    """Offset just after the `{` that opens the outermost WHERE group."""
    first_brace = None
    seen_where = False
    form = None
    for pos, tok in _tokens(query):
        if form is None and tok in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = tok
        if tok == "WHERE":
            seen_where = True
        elif tok == "{":
            if seen_where or (form in ("SELECT", "ASK", "DESCRIBE") and first_brace is None):
                return pos + 1
            first_brace = pos
    raise QueryError("查询中找不到 WHERE 子句,无法绑定参数")


def bind_values(query: str, bindings: dict[str, Node]) -> str:
    """The query with a VALUES block for `bindings` at the head of its WHERE group."""
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"参数名不合法: {name!r}")
        if isinstance(bindings[name], BNode) or not isinstance(bindings[name], Node):
            raise QueryError(f"参数 {name} 的值不是 IRI 或字面量")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    at = where_group_start(query)
    return f"{query[:at]} VALUES ({head}) {{ ({row}) }} {query[at:]}"
