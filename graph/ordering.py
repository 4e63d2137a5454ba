"""Sort a query's final ORDER BY in Python instead of in Oxigraph.

Oxigraph's ORDER BY decodes both strings from its dictionary at every comparison: sorting
90,000 rows by an agency name and a document title takes longer than finding them (at 1,000
reports open-issues spends half its time sorting). When a SELECT ends with an ORDER BY
of plain variables (`?x`, `ASC(?x)`, `DESC(?x)`) and nothing after it, the worker runs the
query without that clause, reads the rows (each term decoded once) and sorts them here
with SPARQL's ordering of terms, as Oxigraph orders them:
unbound < blank node < IRI < literal; numbers by value; other literals by their text, then
datatype and language. Ties keep the engine's order. Anything else (an expression key,
LIMIT / OFFSET after the ORDER BY, a key that is not a result variable) is left to the engine.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib.namespace import XSD

from graph.results import XSD_STRING, Term

_DECIMALS = {str(XSD) + t for t in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                               "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOATS = {str(XSD.double), str(XSD.float)}

_KEY = r"(?:(?:ASC|DESC)\s*\(\s*[?$][A-Za-z_0-9\u00B7-\uFFFF]+\s*\)|[?$][A-Za-z_0-9\u00B7-\uFFFF]+)"
_TRAILING_ORDER = re.compile(rf"(?is)(?<=[\s}})])ORDER\s+BY((?:\s*{_KEY})+)\s*$")
_ONE_KEY = re.compile(rf"(?i)(ASC|DESC)?\s*\(?\s*[?$]([A-Za-z_0-9\u00B7-\uFFFF]+)")


@dataclass(frozen=True)
class OrderKey:
    variable: str
    descending: bool = False


@dataclass(frozen=True)
class SplitOrder:
    """A query without its final ORDER BY, and the keys that clause sorted by."""

    query: str
    keys: tuple[OrderKey, ...]


def split_order(query: str) -> SplitOrder | None:
    """The query without a final ORDER BY of plain variables; None when there is none."""
    lines = query.rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    text = "\n".join(lines)
    match = _TRAILING_ORDER.search(text)
    if not match:
        return None
    line_start = text.rfind("\n", 0, match.start()) + 1
    if "#" in text[line_start:match.start()]:   # the clause is inside a comment
        return None
    keys = tuple(OrderKey(name, (direction or "").upper() == "DESC")
                 for direction, name in _ONE_KEY.findall(match.group(1)))
    return SplitOrder(text[:match.start()], keys)


def term_key(term: Term | None) -> tuple:
    """Sort key of one term in SPARQL's (Oxigraph's) order."""
    if term is None:
        return (0,)
    if term.kind == "bnode":
        return (1, term.value)
    if term.kind == "uri":
        return (2, term.value)
    if term.kind == "literal":
        if term.datatype in _DECIMALS or term.datatype in _FLOATS:
            try:
                number = Decimal(term.value) if term.datatype in _DECIMALS else float(term.value)
            except (InvalidOperation, ValueError):
                number = None
            if number is not None and number == number:   # not NaN
                return (3, 0, number)
        return (3, 1, term.value, term.datatype or XSD_STRING, term.lang or "")
    return (4, term.value)


def sort_rows(variables: Sequence[str], rows: list[tuple], keys: Sequence[OrderKey]) -> list[tuple]:
    """Rows sorted by the keys (stable: ties keep their order)."""
    out = list(rows)
    for key in reversed(keys):
        column = variables.index(key.variable)
        out.sort(key=lambda row: term_key(row[column]), reverse=key.descending)
    return out
