"""Pattern tables of the parser: TOML data files shipped with the package, checked on load.

Each file holds one or more tables (`[[scheme]]`, `[[title]]` …); every row has a stable
`id` that facts carry as their rule.  `load_tables()` reads and validates every table once
and returns immutable rows with their regular expressions compiled; all problems found are
collected and raised together, each naming its table and row.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

from ontology.errors import RectigraphError


class TableError(RectigraphError):
    """A pattern table is malformed; the message lists every bad row."""


@dataclass(frozen=True)
class Schema:
    """What the rows of one table must look like."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()                       # fields compiled with re.compile
    choices: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)


_KINDS = ("context", "issues", "aspect", "long_term", "unfinished", "next_steps",
          "achievements", "shortcomings", "duties", "plans", "other")
_STAT_FIELDS = ("issues_total", "issues_completed", "measures_total", "measures_completed",
                "new_rules", "revised_rules")

# (file stem, table name) -> schema.  A table is addressed as "file.table" (items.title).
SCHEMAS: dict[tuple[str, str], Schema] = {
    ("numerals", "numeral"): Schema(("id", "chars", "kind", "value"),
                                    choices={"kind": ("digit", "unit", "circled")}),
    ("numbering", "scheme"): Schema(("id", "pattern", "scheme", "numeral"), ("issue",), regex=("pattern",),
                                    choices={"numeral": ("cn", "arabic", "circled", "none"),
                                             "issue": (True, False)}),
    ("numbering", "wrap"): Schema(("id", "before", "after", "join"), ("numbered",), regex=("before", "after"),
                                  choices={"join": (True, False), "numbered": (True, False)}),
    ("sections", "section"): Schema(("id", "kind", "pattern", "report", "scope", "strong"),
                                    regex=("pattern",),
                                    choices={"kind": _KINDS,
                                             "report": ("rectification", "annual", "any"),
                                             "scope": ("part", "any"),
                                             "strong": (True, False)}),
    ("items", "title"): Schema(("id", "pattern", "shape"), regex=("pattern",),
                               choices={"shape": (True, False)}),
    ("items", "opener"): Schema(("id", "pattern"), regex=("pattern",)),
    ("items", "progress"): Schema(("id", "pattern"), regex=("pattern",)),
    ("items", "enumerator"): Schema(("id", "pattern", "scheme"), regex=("pattern",)),
    ("items", "status"): Schema(("id", "pattern"), regex=("pattern",)),
    ("documents", "verb"): Schema(("id", "pattern", "position", "action"), ("after",),
                                  regex=("pattern", "after"),
                                  choices={"position": ("before", "after"),
                                           "action": ("issues", "revises", "drafts", "cites")}),
    ("documents", "doctype"): Schema(("id", "suffix", "type")),
    ("orgs", "abbreviation"): Schema(("id", "short", "full")),
    ("orgs", "agency"): Schema(("id", "pattern"), ("reject",), regex=("pattern", "reject")),
    ("orgs", "prefix"): Schema(("id", "prefix", "level")),
    ("orgs", "wrapper"): Schema(("id", "pattern"), regex=("pattern",)),
    ("orgs", "unit"): Schema(("id", "pattern"), ("reject",), regex=("pattern", "reject")),
    ("orgs", "role"): Schema(("id", "pattern", "title"), regex=("pattern",)),
    ("orgs", "company"): Schema(("id", "pattern"), regex=("pattern",)),
    ("orgs", "person"): Schema(("id", "pattern"), regex=("pattern",)),
    ("orgs", "lead_verb"): Schema(("id", "pattern"), regex=("pattern",)),
    ("orgs", "relation"): Schema(("id", "before", "after"), regex=("before", "after")),
    ("header", "field"): Schema(("id", "field", "pattern"), regex=("pattern",)),
    ("header", "place"): Schema(("id", "pattern", "level"), regex=("pattern",)),
    ("header", "not_place"): Schema(("id", "pattern"), regex=("pattern",)),
    ("header", "foot"): Schema(("id", "pattern"), regex=("pattern",)),
    ("header", "local"): Schema(("id", "pattern"), regex=("pattern",)),
    ("orgs", "completion"): Schema(("id", "short", "full")),
    ("items", "column"): Schema(("id", "role", "pattern"), regex=("pattern",),
                                choices={"role": ("seq", "aspect", "issue", "measures", "unit", "role",
                                                  "deadline", "status")}),
    ("items", "summary"): Schema(("id", "pattern"), regex=("pattern",)),
    ("header", "genre"): Schema(("id", "pattern"), regex=("pattern",)),
    ("header", "report_kind"): Schema(("id", "pattern", "kind"), regex=("pattern",),
                                      choices={"kind": ("rectification", "annual")}),
    ("stats", "stat"): Schema(("id", "pattern", "fields"), regex=("pattern",)),
    ("stats", "funds"): Schema(("id", "pattern"), regex=("pattern",)),
    ("stats", "totals"): Schema(("id", "pattern"), regex=("pattern",)),
    ("quantities", "quantity"): Schema(("id", "kind", "pattern"), regex=("pattern",),
                                       choices={"kind": ("date", "money", "count", "percent")}),
    ("quantities", "deadline"): Schema(("id", "before", "after"), regex=("before", "after")),
}

# Named groups a table's patterns must define.
_GROUPS: dict[tuple[str, str], tuple[str, ...]] = {
    ("items", "title"): ("title",),
    ("items", "enumerator"): ("num",),
    ("items", "status"): ("status",),
    ("orgs", "unit"): ("name",),
    ("orgs", "agency"): ("prefix", "core"),
    ("orgs", "wrapper"): ("body",),
    ("orgs", "company"): ("suffix",),
    ("orgs", "person"): ("name",),
    ("stats", "funds"): ("amount", "unit"),
}

Row = Mapping[str, Any]


def _check_row(table: str, schema: Schema, row: Any, where: str, problems: list[str]) -> Row | None:
    """Validate one row; return it with its patterns compiled, or None when it is bad."""
    if not isinstance(row, dict):
        problems.append(f"{where}: not a table row")
        return None
    before = len(problems)
    for key in schema.required:
        if key not in row or row[key] is None:
            problems.append(f"{where}: missing field '{key}'")
    for key in row:
        if key not in schema.required and key not in schema.optional:
            problems.append(f"{where}: unknown field '{key}'")
    for key, allowed in schema.choices.items():
        if key in row and row[key] not in allowed:
            problems.append(f"{where}: field '{key}' is {row[key]!r}, not one of {list(allowed)}")
    out = dict(row)
    for key in schema.regex:
        if key not in row:
            continue
        if not isinstance(row[key], str):
            problems.append(f"{where}: field '{key}' is not a string")
            continue
        try:
            out[key] = re.compile(row[key], re.MULTILINE)
        except re.error as err:
            problems.append(f"{where}: field '{key}' is not a valid pattern ({err})")
            continue
        if key == "pattern":
            for group in _GROUPS.get(table, ()):
                if group not in out[key].groupindex:
                    problems.append(f"{where}: pattern lacks the named group '{group}'")
    if table == ("stats", "stat"):
        for spec in row.get("fields", []):
            group, _, name = str(spec).partition(":")
            if group not in ("n", "m") or name not in _STAT_FIELDS:
                problems.append(f"{where}: bad field spec {spec!r}")
    return MappingProxyType(out) if len(problems) == before else None


def validate_tables(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[Row, ...]]:
    """Check parsed TOML documents (file stem -> document); raise TableError listing all problems."""
    problems: list[str] = []
    tables: dict[str, tuple[Row, ...]] = {}
    seen: dict[str, str] = {}
    for (stem, name), schema in SCHEMAS.items():
        doc = raw.get(stem)
        if doc is None:
            problems.append(f"{stem}.toml: file missing")
            continue
        rows = doc.get(name)
        if not isinstance(rows, list) or not rows:
            problems.append(f"{stem}.{name}: table missing or empty")
            continue
        good = []
        for i, row in enumerate(rows):
            rid = row.get("id") if isinstance(row, dict) else None
            where = f"{stem}.{name}[{rid or f'row {i + 1}'}]"
            if rid in seen:
                problems.append(f"{where}: duplicate id (also in {seen[rid]})")
            elif rid:
                seen[rid] = f"{stem}.{name}"
            checked = _check_row((stem, name), schema, row, where, problems)
            if checked is not None:
                good.append(checked)
        tables[f"{stem}.{name}"] = tuple(good)
    for stem, doc in raw.items():
        for name in doc:
            if (stem, name) not in SCHEMAS:
                problems.append(f"{stem}.{name}: unknown table")
    if problems:
        raise TableError(f"{len(problems)} problem(s) in the pattern tables: " + "; ".join(problems))
    return tables


@functools.cache
def load_tables() -> dict[str, tuple[Row, ...]]:
    """Read and validate every table shipped in this package (once per process)."""
    raw = {}
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".toml"):
            raw[entry.name[:-5]] = tomllib.loads(entry.read_text(encoding="utf-8"))
    return validate_tables(raw)


def table(name: str) -> tuple[Row, ...]:
    """The rows of one table, addressed as "file.table" (e.g. "items.title")."""
    return load_tables()[name]
