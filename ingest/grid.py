"""Issue tables in text form (整改台账 as tab- or |-separated rows under a header row)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.tables import table

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
