"""Traditional characters read as Simplified for matching, one character for one character.

The parser's patterns are written in Simplified characters.  A report written in Traditional
characters is matched on a copy made by `matching_text`: the same length as the original, so
every span found in the copy points at the same characters of the original, which is what
the report keeps.  The table (hanzi_ts.tsv) holds OpenCC's single-character
Traditional->Simplified entries; phrase-level conversions are left out on purpose, because they
could change the length.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

TABLE_FILE = "hanzi_ts.tsv"
# A text counts as Traditional when this share of its Han characters exist only in Traditional.
TRADITIONAL_SHARE = 0.02
TRADITIONAL_MIN = 3


@lru_cache(maxsize=1)
def load_table() -> dict[int, str]:
    """The Traditional -> Simplified character table, checked as it loads."""
    table: dict[int, str] = {}
    problems = []
    text = files("ingest.formats").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            problems.append(f"{TABLE_FILE} 第 {number} 行: 应为“繁体字<TAB>简体字”各一个字符: {line!r}")
            continue
        table[ord(parts[0])] = parts[1]
    if problems:
        raise ValueError("\n".join(problems))
    return table


@lru_cache(maxsize=1)
def _traditional_only() -> frozenset[str]:
    table = load_table()
    simplified = set(table.values())
    return frozenset(chr(c) for c in table if chr(c) not in simplified)


def to_simplified(text: str) -> str:
    """Every Traditional character replaced by its Simplified form; same length as `text`."""
    return text.translate(load_table())


def traditional_share(text: str) -> float:
    """Share of the Han characters in `text` that are written only in Traditional."""
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not han:
        return 0.0
    only = _traditional_only()
    return sum(1 for c in han if c in only) / len(han)


def is_traditional(text: str) -> bool:
    """True when the text is written in Traditional characters."""
    only = _traditional_only()
    count = sum(1 for c in text if c in only)
    return count >= TRADITIONAL_MIN and traditional_share(text) >= TRADITIONAL_SHARE


def matching_text(text: str) -> str:
    """The copy to run patterns on: Simplified when the text is Traditional, else the text itself."""
    return to_simplified(text) if is_traditional(text) else text
