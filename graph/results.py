"""Query results that cross a process boundary, and their standard serialisations.

A worker turns pyoxigraph's results into plain `Term` tuples (cheap to pickle); this module
writes them as SPARQL 1.1 Query Results JSON / XML / CSV / TSV, or as RDF for CONSTRUCT and
DESCRIBE, and tables of media types say which format answers which `Accept`.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Term(NamedTuple):
    """One RDF term: kind is "uri", "bnode", "literal" or "triple" (value in N-Triples then)."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def of(cls, term) -> Term:
        if isinstance(term, ox.NamedNode):
            return cls("uri", term.value)
        if isinstance(term, ox.BlankNode):
            return cls("bnode", term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return cls("literal", term.value, None, term.language)
            datatype = term.datatype.value
            return cls("literal", term.value, None if datatype == XSD_STRING else datatype)
        return cls("triple", str(term))

    def to_ox(self):
        if self.kind == "uri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        if self.kind == "literal":
            if self.lang:
                return ox.Literal(self.value, language=self.lang)
            return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype or XSD_STRING))
        raise ValueError("RDF-star triple terms cannot be rebuilt")

    def n3(self) -> str:
        """N-Triples / Turtle syntax, as TSV results want it."""
        return self.value if self.kind == "triple" else str(self.to_ox())

    def json(self) -> dict:
        if self.kind == "literal":
            out = {"type": "literal", "value": self.value}
            if self.lang:
                out["xml:lang"] = self.lang
            elif self.datatype:
                out["datatype"] = self.datatype
            return out
        return {"type": self.kind if self.kind != "triple" else "literal", "value": self.value}

    def __str__(self) -> str:
        return self.value


@dataclass
class QueryResult:
    """What one query gave: solutions (variables, rows), a boolean, or triples (rows of s, p, o)."""

    kind: str                                  # "solutions" | "boolean" | "triples"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    row_limit: int = 0
    elapsed: float = 0.0

    def records(self) -> list[dict[str, str]]:
        """Rows as {variable: plain string}, unbound values as ""."""
        return [{v: ("" if t is None else t.value) for v, t in zip(self.variables, row)} for row in self.rows]


# -- solutions ---------------------------------------------------------------
def solutions_json(result: QueryResult) -> bytes:
    if result.kind == "boolean":
        return json.dumps({"head": {}, "boolean": result.boolean}).encode()
    bindings = [{v: t.json() for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    body = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def solutions_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head>")
    if result.kind == "boolean":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for v, t in zip(result.variables, row):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _xml_term(t: Term) -> str:
    if t.kind == "uri":
        return f"<uri>{escape(t.value)}</uri>"
    if t.kind == "bnode":
        return f"<bnode>{escape(t.value)}</bnode>"
    attrs = f" xml:lang={quoteattr(t.lang)}" if t.lang else (f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
    return f"<literal{attrs}>{escape(t.value)}</literal>"


def solutions_csv(result: QueryResult) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "boolean":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return buf.getvalue().encode("utf-8")


def solutions_tsv(result: QueryResult) -> bytes:
    if result.kind == "boolean":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- triples -----------------------------------------------------------------
def triples_rdf(result: QueryResult, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT / DESCRIBE rows (s, p, o) in an RDF syntax."""
    triples = [ox.Triple(*(t.to_ox() for t in row)) for row in result.rows]
    out = io.BytesIO()
    kwargs = {"prefixes": prefixes} if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    ox.serialize(triples, out, fmt, **kwargs)
    return out.getvalue()


# Media type -> (format key, writer). The first entry of each table is the default.
SOLUTION_FORMATS: dict[str, tuple[str, object]] = {
    "application/sparql-results+json": ("json", solutions_json),
    "application/json": ("json", solutions_json),
    "application/sparql-results+xml": ("xml", solutions_xml),
    "application/xml": ("xml", solutions_xml),
    "text/xml": ("xml", solutions_xml),
    "text/csv": ("csv", solutions_csv),
    "text/tab-separated-values": ("tsv", solutions_tsv),
}
TRIPLE_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/x-turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "text/plain": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/rdf+xml": ("rdfxml", ox.RdfFormat.RDF_XML),
}
# Short names a client may give as ?format= / ?output= instead of Accept.
FORMAT_ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "n-triples": "application/n-triples",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
}


def serialize(result: QueryResult, media_type: str, prefixes: dict[str, str] | None = None) -> tuple[bytes, str]:
    """The result in `media_type` when it fits the result kind, else in the kind's default; (body, type)."""
    if result.kind == "triples":
        if media_type not in TRIPLE_FORMATS:
            media_type = "application/ld+json" if media_type in ("application/json", "application/sparql-results+json") \
                else next(iter(TRIPLE_FORMATS))
        return triples_rdf(result, TRIPLE_FORMATS[media_type][1], prefixes), media_type
    if media_type not in SOLUTION_FORMATS:
        media_type = next(iter(SOLUTION_FORMATS))
    writer = SOLUTION_FORMATS[media_type][1]
    return writer(result), media_type  # type: ignore[operator]
