"""One resource, several representations: the format suffix (or ?format=, or Accept) picks one.

A view gathers its data once and hands `respond` a dict of renderers (html, json, csv, ttl);
each renderer is a callable so only the chosen one runs.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from flask import Response, request

from ontology.errors import NotFound

MIMETYPES = {
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
    "ttl": "text/turtle",
}


def pick_format(suffix: str | None, available: Iterable[str]) -> str:
    """The format asked for: an explicit suffix or ?format= wins, then the Accept header."""
    available = list(available)
    explicit = suffix or request.args.get("format")
    if explicit:
        if explicit not in available:
            raise NotFound(f"这个页面没有 {explicit} 格式;可用: {', '.join(available)}")
        return explicit
    best = request.accept_mimetypes.best_match([MIMETYPES[f] for f in available], default=MIMETYPES[available[0]])
    return next(f for f in available if MIMETYPES[f] == best)


def respond(suffix: str | None, renderers: dict[str, Callable[[], Response | str]]) -> Response | str:
    """Run the renderer of the chosen format; the response varies on Accept."""
    fmt = pick_format(suffix, renderers)
    response = renderers[fmt]()
    if isinstance(response, Response):
        response.headers["Vary"] = "Accept"
    return response


def csv_response(columns: list[str], rows: Iterable[dict], filename: str) -> Response:
    """Rows as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese right)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})


def _cell(value) -> str:
    """A spreadsheet-safe cell: text that starts like a formula is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def turtle_response(data: bytes, filename: str) -> Response:
    return Response(data, content_type="text/turtle; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{filename}.ttl"'})
