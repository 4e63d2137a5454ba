"""Issue tables in text form (整改台账 as tab- or |-separated rows under a header row), and the
issues, measures, responsible units and roles, deadlines and statuses their rows give."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.facts import OrgRef, Section
from ingest.measures import split_measures
from ingest.numerals import parse_numeral
from ingest.orgs import find_orgs, merge_orgs
from ingest.quantities import find_quantities
from ingest.sentences import strip_end, trim
from ingest.tables import table
from ingest.titles import match_title

if TYPE_CHECKING:
    from ingest.extract import Extractor

_MIN_CELLS = 3
_RULE_LINE = re.compile(r"^\|?\s*:?-{2,}")


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Grid:
    """A table block: which role each column plays, and its data rows as cells."""

    start: int
    end: int
    columns: dict[str, int]                 # role -> column index
    column_rules: dict[str, str]            # role -> rule id of the column row
    rows: list[list[Cell]] = field(default_factory=list)

    def cell(self, row: list[Cell], role: str) -> Cell | None:
        """The row's cell for a role, None when the table has no such column or the cell is empty."""
        i = self.columns.get(role)
        if i is None or i >= len(row) or not row[i].text:
            return None
        return row[i]


def _cells(text: str, start: int, end: int) -> list[Cell]:
    """Split one line into trimmed cells by tabs or pipes."""
    line = text[start:end]
    sep = "\t" if "\t" in line else "|"
    cells, pos = [], start
    parts = line.split(sep)
    if sep == "|" and parts and not parts[0].strip():
        pos += len(parts[0]) + 1
        parts = parts[1:]
    if sep == "|" and parts and not parts[-1].strip():
        parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        stripped = part.strip()
        cells.append(Cell(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(part) + 1
    return cells


def _header(cells: list[Cell]) -> tuple[dict[str, int], dict[str, str]]:
    columns, rules = {}, {}
    for i, cell in enumerate(cells):
        for row in table("items.column"):
            if row["role"] not in columns and row["pattern"].search(cell.text):
                columns[row["role"]] = i
                rules[row["role"]] = row["id"]
                break
    return columns, rules


def find_grids(text: str) -> list[Grid]:
    """Every run of table lines whose first line is a header naming at least an issue column."""
    grids: list[Grid] = []
    current: Grid | None = None
    for line in re.finditer(r"[^\n]+", text):
        s, e = line.span()
        raw = line.group()
        is_row = "\t" in raw or raw.startswith("|")
        if not is_row:
            current = None
            continue
        if _RULE_LINE.match(raw):
            continue
        cells = _cells(text, s, e)
        if current is None:
            columns, rules = _header(cells)
            if len(cells) >= _MIN_CELLS and "issue" in columns:
                current = Grid(s, e, columns, rules)
                grids.append(current)
            continue
        current.rows.append(cells)
        current.end = e
    return [g for g in grids if g.rows]


def items_from_grid(ex: "Extractor", g: Grid) -> None:
    """Issues, measures, responsible units/roles and deadlines from an issue table."""
    sections = ex.out.sections
    enclosing = max((i for i, s in enumerate(sections) if s.start <= g.start < s.end),
                    key=lambda i: sections[i].level, default=None)
    level = sections[enclosing].level + 1 if enclosing is not None else 1
    aspect, aspect_text, ordinal_in_aspect, k = enclosing, None, 0, None
    aspects_made = 0
    for row in g.rows:
        cell = g.cell(row, "aspect")
        if cell and cell.text != aspect_text:
            aspects_made += 1
            aspect_text = cell.text
            sections.append(Section(level=level, ordinal=aspects_made, marker="", heading=cell.text,
                                    start=cell.start, end=g.end, heading_start=cell.start,
                                    heading_end=cell.end, parent=enclosing, rule=g.column_rules["aspect"],
                                    kind="aspect", kind_rule="aspect.table"))
            if len(sections) >= 2 and sections[-2].rule == g.column_rules["aspect"]:
                sections[-2].end = trim(ex.text, 0, row[0].start)[1]
            aspect, ordinal_in_aspect = len(sections) - 1, 0
        issue_cell = g.cell(row, "issue")
        if issue_cell:
            ordinal_in_aspect += 1
            seq = g.cell(row, "seq")
            ordinal = parse_numeral(seq.text) if seq else None
            ts, te = strip_end(ex.text, issue_cell.start, issue_cell.end)
            title = match_title(ex.text[ts:te])
            k = ex.add_issue(ordinal or ordinal_in_aspect, (ts + title.start, ts + title.end),
                               f"{g.column_rules['issue']}+{title.rule}", (row[0].start, row[-1].end),
                               enclosing, aspect)
        if k is None:
            continue
        issue = ex.out.issues[k]
        issue.end = row[-1].end
        _grid_row(ex, g, row, k)

def _grid_row(ex: "Extractor", g: Grid, row: list, k: int) -> None:
    issue = ex.out.issues[k]
    responsible = []
    for role, kind in (("unit", "unit"), ("role", "role")):
        cell = g.cell(row, role)
        if cell:
            responsible.extend(_responsible(ex, cell, kind, g.column_rules[role]))
    status = g.cell(row, "status")
    if status:
        m = next((r["pattern"].match(status.text) for r in table("items.status")
                  if r["pattern"].match(status.text)), None)
        issue.status = m.group("status") if m else issue.status
    deadline = g.cell(row, "deadline")
    if deadline:
        dates = [q for q in find_quantities(ex.text, deadline.start, deadline.end) if q.kind == "date"]
        issue.deadline = dates[0].value if dates else issue.deadline
    issue.orgs = merge_orgs(issue.orgs + responsible)
    cell = g.cell(row, "measures")
    if not cell:
        return
    first = sum(1 for m in ex.out.measures if m.issue == k)
    for piece in split_measures(ex.text, cell.start, cell.end):
        piece = dataclasses.replace(piece, ordinal=piece.ordinal + first)
        measure = ex.add_measure(piece, k, issue.section, issue.aspect)
        measure.orgs = merge_orgs(measure.orgs + responsible)
        measure.deadline = measure.deadline or issue.deadline

def _responsible(ex: "Extractor", cell: Cell, kind: str, rule: str) -> list[OrgRef]:
    refs = [dataclasses.replace(r, relation="responsible", rule=f"{rule}+{r.rule}")
            for r in find_orgs(ex.text, cell.start, cell.end, ex.header.agency, ex.header.place)]
    if refs:
        ex.out.orgs.extend(refs)
        return refs
    out = []
    agency = ex.header.agency or ""
    for part in re.finditer(r"[^、,;/\s]+", cell.text):
        name = part.group()
        s = cell.start + part.start()
        ref_kind = kind if kind == "unit" or len(name) > 3 else "person"
        canonical = agency + name.removeprefix("局") if agency and ref_kind != "person" else name
        out.append(OrgRef(kind=ref_kind, name=name, canonical=canonical, relation="responsible",
                          start=s, end=s + len(name), rule=rule,
                          title=name if ref_kind == "role" else None,
                          agency=agency or None if ref_kind != "person" else None))
    ex.out.orgs.extend(out)
    return out
