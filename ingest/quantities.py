"""Quantities inside an item: dates (2025年3月), money in yuan (30.52万元), counts (3支), percentages."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.facts import Quantity
from ingest.header import iso_date
from ingest.stats import MULTIPLIERS
from ingest.tables import table

_CONTEXT = 16         # characters around a date searched for deadline wording


def _value(kind: str, m: re.Match) -> tuple[str, str | None] | None:
    """(value, unit) of one match, or None when it does not make a value (a 13th month …)."""
    groups = m.groupdict()
    if kind == "date":
        value = iso_date(groups.get("y"), groups.get("m"), groups.get("d"))
        return (value, None) if value else None
    number = Decimal(groups["n"]) * MULTIPLIERS[groups.get("mult") or ""]
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    if kind == "money":
        return str(number), "元"
    if kind == "percent":
        return str(number), "%"
    return str(number), groups.get("unit")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity in text[start:end], earlier table rows winning where matches overlap."""
    end = len(text) if end is None else end
    taken: list[tuple[int, int]] = []
    found: list[Quantity] = []
    for row in table("quantities.quantity"):
        for m in row["pattern"].finditer(text, start, end):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            value = _value(row["kind"], m)
            if value is None:
                continue
            taken.append((s, e))
            found.append(Quantity(kind=row["kind"], value=value[0], unit=value[1], start=s, end=e, rule=row["id"]))
    return sorted(found, key=lambda q: q.start)


def deadline_of(text: str, quantities: list[Quantity]) -> tuple[str, str] | None:
    """(ISO date, rule id) of the first date phrased as a time limit (2022年12月底前, 整改时限:…)."""
    for q in quantities:
        if q.kind != "date":
            continue
        before = text[max(0, q.start - _CONTEXT):q.start]
        after = text[q.end:q.end + _CONTEXT]
        for row in table("quantities.deadline"):
            if (row["before"].pattern and row["before"].search(before)) or \
                    (row["after"].pattern and row["after"].match(after)):
                return q.value, row["id"]
    return None
