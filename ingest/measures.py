"""Measures inside an item's text: the enumerated 一是/二是…, (1)(2), ①② — or its sentence runs."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.numerals import parse_numeral
from ingest.sentences import sentence_end, split_sentences, strip_end, trim
from ingest.tables import table

_BOUNDARY = "。;:!?\n"
_SHORT = 12           # a sentence this short opens the next one (规范应急值守。…) rather than stands alone
_LABEL_MAX = 60


@dataclass(frozen=True)
class Piece:
    """One measure's span in the text, its number and the rule that cut it out."""

    ordinal: int
    start: int         # span of the measure, enumerator included
    end: int
    body: int          # where its text starts (past the enumerator)
    rule: str


def _at_boundary(text: str, pos: int, floor: int) -> bool:
    """Is pos the start of the text or right after a sentence stop (blanks skipped)?"""
    i = pos
    while i > floor and text[i - 1] == " ":
        i -= 1
    return i <= floor or text[i - 1] in _BOUNDARY


def enumerated(text: str, start: int, end: int) -> list[Piece]:
    """The longest chain 1, 2, 3 … of one enumerator scheme in text[start:end] (two links at least)."""
    best: list[tuple[re.Match, str]] = []
    for row in table("items.enumerator"):
        chain: list[tuple[re.Match, str]] = []
        for m in row["pattern"].finditer(text, start, end):
            if parse_numeral(m.group("num")) == len(chain) + 1 and _at_boundary(text, m.start(), start):
                chain.append((m, row["id"]))
        if len(chain) > len(best):
            best = chain
    if len(best) < 2:
        return []
    pieces = []
    for k, (m, rule) in enumerate(best):
        stop = best[k + 1][0].start() if k + 1 < len(best) else end
        s, e = trim(text, m.start(), stop)
        pieces.append(Piece(k + 1, s, e, m.end(), rule))
    return pieces


def sentence_runs(text: str, start: int, end: int) -> list[Piece]:
    """Each sentence (short openers joined to the next) as one measure, numbered by position."""
    spans: list[list[int]] = []
    pending: int | None = None
    for s, e in split_sentences(text, start, end):
        s = pending if pending is not None else s
        if e - s < _SHORT and "\n" not in text[s:e]:
            pending = s
            continue
        pending = None
        spans.append([s, e])
    if pending is not None:
        if spans:
            spans[-1][1] = end
        else:
            spans.append([pending, end])
    return [Piece(i + 1, s, e, s, "measure.sentence") for i, (s, e) in enumerate(spans)]


def split_measures(text: str, start: int, end: int) -> list[Piece]:
    """The measures of an item body: enumerated if it enumerates, else its sentence runs."""
    start, end = trim(text, start, end)
    if end <= start:
        return []
    return enumerated(text, start, end) or sentence_runs(text, start, end)


def label_of(text: str, start: int, end: int) -> str:
    """A short label: the first clause of the measure (to the first , 。 ; :), at most 60 characters."""
    stop = sentence_end(text, start, end, "。;:,!?")
    s, e = strip_end(text, start, stop)
    return text[s:min(e, s + _LABEL_MAX)]


def summary_start(text: str, start: int, end: int) -> int:
    """Where a closing summary paragraph (截至…, totals of the whole part) begins, or end."""
    rows = table("items.summary")
    for line in re.finditer(r"[^\n]+", text[start:end]):
        if any(row["pattern"].match(line.group()) for row in rows) and line.start() > 0:
            return start + line.start()
    return end
