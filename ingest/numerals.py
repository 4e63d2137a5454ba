"""Numbers as reports write them: 七, 十二, 二十一, 一百零五, 二〇二四, ①, 12 — read from the numerals table."""
from __future__ import annotations

import functools

from ingest.tables import table


@functools.cache
def _numeral_map() -> dict[str, tuple[str, int]]:
    """Character -> (kind, value) from the numerals table."""
    out: dict[str, tuple[str, int]] = {}
    for row in table("numerals.numeral"):
        for i, ch in enumerate(row["chars"]):
            value = row["value"] + i if row["kind"] == "circled" else row["value"]
            out[ch] = (row["kind"], value)
    return out


def circled_chars() -> str:
    """Every circled-number character the tables know (kept out of NFKC folding)."""
    return "".join(ch for ch, (kind, _) in _numeral_map().items() if kind == "circled")


def parse_numeral(s: str) -> int | None:
    """The integer a numeral spells (Arabic, Chinese or circled), or None if it is not one."""
    s = s.strip()
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    table_ = _numeral_map()
    if len(s) == 1 and table_.get(s, ("", 0))[0] == "circled":
        return table_[s][1]
    kinds = [table_.get(ch, ("", 0))[0] for ch in s]
    if len(s) > 1 and all(k == "digit" for k in kinds):
        # digit by digit, as years are written: 二〇二四 -> 2024
        return int("".join(str(table_[ch][1]) for ch in s))
    total, digit, seen_digit = 0, 0, False
    for ch in s:
        kind, value = table_.get(ch, ("", 0))
        if kind == "digit":
            digit, seen_digit = value, True
        elif kind == "unit":
            total += (digit if seen_digit else 1) * value
            digit, seen_digit = 0, False
        else:
            return None
    return total + digit
