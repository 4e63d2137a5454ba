"""Documents named in 《》 (and 〈〉 inside them): title, what the text did to it, and its type."""
from __future__ import annotations

import functools
import re

from ingest.facts import DocumentRef
from ingest.tables import Row, table

_PAIRS = {"《": "》", "〈": "〉"}
_CLAUSE_STOPS = re.compile(r"[。;!?\n,:]")
_WINDOW = 40          # characters before a title searched for its verb
_AFTER = 8            # characters after a title searched for a trailing verb (…修订)
_TAIL_PAREN = re.compile(r"\([^()]*\)$")


_BRACKET_CHARS = re.compile("[《》〈〉\n]")


def _brackets(text: str) -> list[tuple[int, int]]:
    """Spans (with brackets) of every 《…》, and of 《…》 / 〈…〉 nested inside one, outer first."""
    spans, stack = [], []
    for m in _BRACKET_CHARS.finditer(text):
        ch, i = m.group(), m.start()
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch == "\n":
            stack.clear()
        else:
            while stack and _PAIRS[stack[-1][0]] != ch:
                stack.pop()
            if stack:
                opener, start = stack.pop()
                if opener == "《" or stack:
                    spans.append((start, i + 1))
    return sorted(spans)


@functools.cache
def _suffixes() -> list[tuple[str, str, str]]:
    """(suffix, type, row id), longest suffix first."""
    out = [(s, row["type"], row["id"]) for row in table("documents.doctype") for s in row["suffix"].split("|")]
    return sorted(out, key=lambda x: -len(x[0]))


def document_type(title: str) -> str | None:
    """rule / plan / notice / guide / report / ledger / study / law … from the end of the title."""
    core = title
    while _TAIL_PAREN.search(core) and _TAIL_PAREN.sub("", core):
        core = _TAIL_PAREN.sub("", core).rstrip()
    return next((kind for suffix, kind, _ in _suffixes() if core.endswith(suffix)), None)


def _clause_before(text: str, start: int, titles: list[tuple[int, int]], floor: int = 0) -> str:
    """The clause before a title, other titles skipped, back to the last clause stop."""
    ends = {e: s for s, e in titles}
    chars: list[str] = []
    i = start
    while i > floor and len(chars) < _WINDOW:
        if i in ends and ends[i] < i:
            i = ends[i]
            continue
        ch = text[i - 1]
        if _CLAUSE_STOPS.match(ch):
            break
        chars.append(ch)
        i -= 1
    return "".join(reversed(chars))


def _verb(clause: str, after: str) -> tuple[Row | None, str | None]:
    """The verb row deciding the action, and the verb as written."""
    rows = table("documents.verb")
    for row in rows:
        if row["position"] == "after":
            m = row["after"].match(after)
            if m and row["pattern"].search(clause):
                return row, m.group(0)
    best: tuple[int, int, Row, str] | None = None
    for row in rows:
        if row["position"] != "before":
            continue
        for m in row["pattern"].finditer(clause):
            if not m.group(0):
                continue
            key = (m.end(), len(m.group(0)))
            if best is None or key > best[:2]:
                best = (*key, row, m.group(0))
    return (best[2], best[3]) if best else (None, None)


def find_documents(text: str, start: int = 0, end: int | None = None) -> list[DocumentRef]:
    """Every 《》 mention in text[start:end], in order, with action, verb and type."""
    end = len(text) if end is None else end
    titles = [(s, e) for s, e in _brackets(text[start:end])]
    titles = [(s + start, e + start) for s, e in titles]
    refs = []
    for s, e in titles:
        title = text[s + 1:e - 1].strip()
        if not title:
            continue
        outer = [a for a, b in titles if a < s and b >= e]
        clause = _clause_before(text, s, titles, outer[-1] + 1 if outer else 0)
        row, verb = _verb(clause, text[e:e + _AFTER])
        refs.append(DocumentRef(
            title=title, action=row["action"] if row else "cites", verb=verb,
            doc_type=document_type(title), start=s, end=e,
            rule=row["id"] if row else "doc.verb.default"))
    return refs
