"""What each part of a report holds: issues, context, long-term items, next steps, achievements …

Top-level parts are decided by the section table (strong rows first), then by structure (a
part whose items name problems — 针对…问题 — holds issues), then by the weak rows.  Deeper
sections inherit their part's kind unless a row with scope "any" says otherwise.
"""
from __future__ import annotations

import dataclasses

from ingest.facts import Section
from ingest.outline import children, names_issue
from ingest.tables import Row, table
from ingest.titles import Title, match_title

__all__ = ["Title", "classify_sections", "has_openers", "is_genre", "match_title", "report_kind"]

_OPENING = 600        # characters of the opening that decide the report kind
_PARTS = ("issues", "long_term", "context")   # kinds that show the top headings are parts


def has_openers(text: str) -> bool:
    """Does the text hold a paragraph that opens an unnumbered issue (关于…的问题)?"""
    rows = table("items.opener")
    return any(row["pattern"].match(line) for line in text.split("\n") for row in rows)


def report_kind(text: str, first_heading: int | None = None) -> tuple[str, str]:
    """("rectification" | "annual", rule id) from the report's opening: the title and the
    paragraphs before its first numbered heading (an initiative's text may well say 整改情况)."""
    opening = text[:min(_OPENING, first_heading or _OPENING)]
    for row in table("header.report_kind"):
        if row["pattern"].search(opening):
            return row["kind"], row["id"]
    return "rectification", "kind.default"


def _rows(kind: str, scope: str, strong: bool) -> list[Row]:
    return [r for r in table("sections.section")
            if r["report"] in (kind, "any") and r["strong"] is strong
            and (scope == "part" or r["scope"] == "any")]


def _first(rows: list[Row], heading: str) -> Row | None:
    return next((r for r in rows if r["pattern"].search(heading)), None)


def _subtree(tree: dict[int | None, list[int]], i: int) -> list[int]:
    out, todo = [], list(tree[i])
    while todo:
        j = todo.pop(0)
        out.append(j)
        todo.extend(tree[j])
    return out


def classify_sections(sections: list[Section], kind: str) -> list[Section]:
    """A copy of the sections with `kind` and `kind_rule` set (see facts.SECTION_KINDS)."""
    tree = children(sections)
    shaped = [match_title(s.heading).shape or names_issue(s) or has_openers(s.text) for s in sections]
    out = list(sections)
    for top in tree[None]:
        heading = sections[top].heading
        subtree = _subtree(tree, top)
        row = _first(_rows(kind, "part", True), heading)
        if row:
            part_kind, rule = row["kind"], row["id"]
        elif kind == "rectification" and (shaped[top] or any(shaped[j] for j in subtree)):
            part_kind, rule = "issues", "sec.structure.issues"
        else:
            row = _first(_rows(kind, "part", False), heading)
            part_kind, rule = (row["kind"], row["id"]) if row else ("other", "sec.default")
        out[top] = dataclasses.replace(sections[top], kind=part_kind, kind_rule=rule)
        inherited = {top: (part_kind, rule)}
        any_rows = _rows(kind, "any", True)
        for j in subtree:
            parent_kind, parent_rule = inherited[sections[j].parent]
            row = None if shaped[j] and parent_kind == "issues" else _first(any_rows, sections[j].heading)
            inherited[j] = (row["kind"], row["id"]) if row else (parent_kind, parent_rule)
            out[j] = dataclasses.replace(sections[j], kind=inherited[j][0], kind_rule=inherited[j][1])
    if kind == "rectification" and not any(out[top].kind in _PARTS for top in tree[None]):
        _groups_as_aspects(out, tree)
    return out


def _groups_as_aspects(sections: list[Section], tree: dict[int | None, list[int]]) -> None:
    """A rectification report whose top headings are no parts (no issues, long-term or context
    part) opens at its groups of problems ((一)…队伍建设 > 1.… > measures): each top heading
    holding items is an aspect."""
    for top in tree[None]:
        if sections[top].kind == "other" and tree[top]:
            for j in [top] + _subtree(tree, top):
                if sections[j].kind == "other":
                    sections[j] = dataclasses.replace(sections[j], kind="aspect", kind_rule="sec.structure.aspect")


def is_genre(text: str) -> list[str]:
    """Ids of the genre-marker rows the text matches (整改, 巡视/巡察, 问题, 法治政府建设 …)."""
    return [row["id"] for row in table("header.genre") if row["pattern"].search(text)]

