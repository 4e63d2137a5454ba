"""The numbered heading tree of a report, any mix of schemes; level by depth of nesting.

A line opening with a marker of the numbering table is a heading when it continues a
sequence: the next number of a scheme already open (a sibling, closing everything deeper),
or 1 — or the number after the last one that scheme reached — opening a new, deeper level.
Lines that break the sequence ("2022年…", "3支队伍…") stay body text.  A list that restarts
at 1 inside an item (its measures 1.…2.…) stays body text too, and so do its next numbers
when they read like its items rather than like the item headings of their level (an item
names a problem or stands alone on its line; a measure is a sentence).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ingest.facts import Section
from ingest.numerals import parse_numeral
from ingest.sentences import sentence_end, strip_end, trim
from ingest.tables import Row, table
from ingest.titles import match_title

_MAX_GAP = 2          # a skipped number (typo) is tolerated once; more is a false heading
_FIRST_CN_MAX = 3     # the first heading of a text may be 二、/(三) (an excerpt), not later ones
_FOOT_LINES = 15      # the foot (closing formula, contacts, signature, date) is in the last lines
_HEADING_LINE_MAX = 40  # a line this short without a sentence stop reads as a heading
_MID_SENTENCE = ",、"   # a body line ending so (or in a character) was broken inside a sentence


@dataclass
class _Frame:
    scheme: str
    ordinal: int
    index: int         # position in the sections list


@dataclass
class _Restart:
    """A list restarted at 1 inside an open heading of the same scheme: body text, not headings."""

    scheme: str
    next: int          # the number that would continue it
    form: str          # how its items read (see _form)
    pos: int           # stack position of the heading it runs inside


@dataclass(frozen=True)
class Marker:
    """A numbering marker at the start of a line."""

    row: Row
    ordinal: int | None   # None: the scheme carries no number (【…】)
    end: int              # offset just past the marker
    head: tuple[int, int] | None   # heading held inside the marker, if any


def match_marker(text: str, start: int, end: int) -> Marker | None:
    """The numbering marker opening text[start:end], if any row of the table matches."""
    for row in table("numbering.scheme"):
        m = row["pattern"].match(text, start, end)
        if not m:
            continue
        ordinal = parse_numeral(m.group("num")) if "num" in m.re.groupindex else None
        if row["numeral"] != "none" and ordinal is None:
            continue
        head = m.span("head") if "head" in m.re.groupindex else None
        return Marker(row, ordinal, m.end(), head)
    return None


def _is_table_row(line: str) -> bool:
    return "\t" in line or line.startswith("|")


def _place(stack: list[_Frame], last: dict[str, int], row: Row, ordinal: int | None) -> tuple[int, int] | None:
    """Where a marker goes: (stack position, ordinal), or None when it breaks the sequence."""
    scheme = row["scheme"]
    for pos in range(len(stack) - 1, -1, -1):
        if stack[pos].scheme == scheme:
            prev = stack[pos].ordinal
            if ordinal is None:
                return pos, prev + 1
            return (pos, ordinal) if prev < ordinal <= prev + _MAX_GAP else None
    if ordinal is None:
        return len(stack), 1
    if ordinal == 1 or ordinal == last.get(scheme, 0) + 1:
        return len(stack), ordinal
    if not stack and not last and row["numeral"] == "cn" and ordinal <= _FIRST_CN_MAX:
        return 0, ordinal      # an excerpt may open at 二、 or (三); Chinese numerals rarely open prose
    return None


def _broken(line: str) -> bool:
    """Does a body line stop mid-sentence (a PDF's hard break: 举一反\n三、同步整改)?"""
    return line[-1] in _MID_SENTENCE or line[-1].isalnum()


def _continues(stack: list[_Frame], last: dict[str, int], marker: Marker, placed: tuple[int, int],
               following: list[re.Match], foot: int) -> bool:
    """Does a marker after a broken line keep its numbering clean: the next number of its
    scheme (or 1), not followed by the same number again?  Otherwise it is the tail of a word."""
    pos, ordinal = placed
    scheme = marker.row["scheme"]
    if marker.ordinal is None:
        return True
    expected = stack[pos].ordinal + 1 if pos < len(stack) and stack[pos].scheme == scheme \
        else last.get(scheme, 0) + 1
    if ordinal not in (expected, 1):
        return False
    for line in following:
        if line.start() >= foot:
            break
        nxt = match_marker(line.string, line.start(), line.end())
        if nxt is not None and nxt.row["scheme"] == scheme:
            return nxt.ordinal != ordinal
    return True


def _heading_span(text: str, marker: Marker, line_end: int) -> tuple[int, int, int]:
    """(heading start, heading end, body start) of a heading line."""
    if marker.head is not None:
        hs, he = trim(text, *marker.head)
        return hs, he, marker.end
    stop = sentence_end(text, marker.end, line_end, "。!?;")
    hs, he = strip_end(text, marker.end, stop)
    return hs, he, min(stop + 1, line_end)


def _inline_list(text: str, marker: Marker, line_end: int) -> bool:
    """Does the line run on into the next number of its own scheme (①…;②…;③…)? Then it is
    a list written inline, not a heading."""
    if marker.ordinal is None or marker.head is not None:
        return False
    stop = sentence_end(text, marker.end, line_end, "。!?;")
    pos = stop + 1
    while pos < line_end and text[pos] == " ":
        pos += 1
    following = match_marker(text, pos, line_end) if pos < line_end else None
    return following is not None and following.row["scheme"] == marker.row["scheme"] \
        and following.ordinal == marker.ordinal + 1


def _form(text: str, marker: Marker, line_end: int) -> str:
    """How a numbered line reads: "title" (names a problem), "heading" (a short line standing
    alone) or "sentence" (a measure's text)."""
    hs, he, _ = _heading_span(text, marker, line_end)
    if match_title(text[hs:he]).shape or marker.row.get("issue"):
        return "title"
    rest = text[he:line_end].strip("。;:,.!? ")
    if not rest and line_end - marker.end <= _HEADING_LINE_MAX and not text[line_end - 1] in "。;":
        return "heading"
    return "sentence"


def find_foot(text: str) -> int:
    """Offset where the foot begins (特此报告, 欢迎…监督, contacts, signature and date), or len(text)."""
    lines = list(re.finditer(r"[^\n]+", text))[-_FOOT_LINES:]
    foot = len(text)
    for line in lines:
        if any(row["pattern"].match(line.group()) for row in table("header.foot")):
            foot = min(foot, line.start())
            break
    dates = [r for r in table("header.field") if r["field"] == "published"]
    tail = lines[-2:] if foot == len(text) else []
    if tail and any(r["pattern"].match(tail[-1].group()) for r in dates):
        foot = tail[-1].start()
        if len(tail) == 2 and len(tail[0].group()) <= 40 and "。" not in tail[0].group():
            foot = tail[0].start()
    return foot


def parse_outline(text: str) -> list[Section]:
    """Every numbered heading of the text, in order, with level, parent and span."""
    foot = find_foot(text)
    sections: list[Section] = []
    body_starts: list[int] = []
    stack: list[_Frame] = []
    last: dict[str, int] = {}
    forms: list[str] = []              # form of each section's heading line
    restarts: dict[str, _Restart] = {}
    lines = list(re.finditer(r"[^\n]+", text))
    heading_line = False
    for k, line in enumerate(lines):
        start, end = line.span()
        if start >= foot:
            break
        after_heading, heading_line = heading_line, False
        if _is_table_row(line.group()):
            continue
        marker = match_marker(text, start, end)
        if marker is None or _inline_list(text, marker, end):
            continue
        placed = _place(stack, last, marker.row, marker.ordinal)
        if placed and not after_heading and k and _broken(lines[k - 1].group()) \
                and not _continues(stack, last, marker, placed, lines[k + 1:], foot):
            continue
        scheme = marker.row["scheme"]
        restart = restarts.get(scheme)
        if restart and marker.ordinal == restart.next:
            form = _form(text, marker, end)
            if placed is None or (form == restart.form != forms[stack[restart.pos].index]):
                restart.next += 1
                continue
        if placed is None:
            frame = next((p for p in range(len(stack) - 1, -1, -1) if stack[p].scheme == scheme), None)
            if marker.ordinal == 1 and frame is not None:
                restarts[scheme] = _Restart(scheme, 2, _form(text, marker, end), frame)
            continue
        pos, ordinal = placed
        for key in [k for k, r in restarts.items() if r.pos >= pos]:
            del restarts[key]
        for frame in stack[pos:]:
            last[frame.scheme] = frame.ordinal
        del stack[pos:]
        hs, he, body = _heading_span(text, marker, end)
        sections.append(Section(
            level=pos + 1, ordinal=ordinal, marker=text[start:marker.end].strip(),
            heading=text[hs:he], start=start, end=len(text), heading_start=hs, heading_end=he,
            parent=stack[-1].index if stack else None, rule=marker.row["id"]))
        body_starts.append(body)
        forms.append(_form(text, marker, end))
        stack.append(_Frame(marker.row["scheme"], ordinal, len(sections) - 1))
        heading_line = True
    _close(text, sections, body_starts, foot)
    return sections


def _close(text: str, sections: list[Section], body_starts: list[int], foot: int) -> None:
    """Set each section's end (next heading at its level or above) and its own body text."""
    open_: list[int] = []
    for i, sec in enumerate(sections):
        while open_ and sections[open_[-1]].level >= sec.level:
            sections[open_.pop()].end = trim(text, 0, sec.start)[1]
        open_.append(i)
    for i in open_:
        sections[i].end = trim(text, 0, foot)[1]
    for i, sec in enumerate(sections):
        own_end = sec.end
        if i + 1 < len(sections) and sections[i + 1].parent == i:
            own_end = sections[i + 1].start
        s, e = trim(text, body_starts[i], own_end)
        sec.text = text[s:e] if e > s else ""


@functools.cache
def _issue_rules() -> frozenset[str]:
    return frozenset(r["id"] for r in table("numbering.scheme") if r.get("issue"))


def names_issue(section: Section) -> bool:
    """Does the section's numbering marker itself say that it names a problem (问题1:, 【问题2】)?"""
    return section.rule in _issue_rules()


def children(sections: list[Section]) -> dict[int | None, list[int]]:
    """Parent index (None for the report) -> indices of its child sections, in order."""
    out: dict[int | None, list[int]] = {None: []}
    for i, sec in enumerate(sections):
        out.setdefault(sec.parent, []).append(i)
        out.setdefault(i, [])
    return out
