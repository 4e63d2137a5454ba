"""Facts of a Traditional-character report, told in the characters the report is written in.

The patterns run on `hanzi.matching_text(original)`, a Simplified copy of the same length, so
every span found in the copy points at the same characters of the original.  This step puts the
original back: the report text, and every string a fact took from the text (headings, titles,
labels, measure texts, document titles, names as written) are re-read from the original by their
span.  Names the parser composed (canonical agency names with their place, 市应急局 ->
上海市应急管理局) have no span of their own: they are spelled with the characters this report
uses for each Simplified one (发 -> 發 where the report writes 發).
"""
from __future__ import annotations

from collections import Counter

from ingest.facts import DocumentRef, Header, OrgRef, ReportFacts, Rule


class _Spelling:
    """Maps strings found in the matching copy back to the original."""

    def __init__(self, matching: str, original: str) -> None:
        self.matching = matching
        self.original = original
        pairs: Counter[tuple[str, str]] = Counter(
            (m, o) for m, o in zip(matching, original) if m != o)
        best: dict[str, tuple[int, str]] = {}
        for (m, o), n in pairs.items():
            if m not in best or n > best[m][0]:
                best[m] = (n, o)
        self.table = str.maketrans({m: o for m, (_, o) in best.items()})

    def span(self, start: int, end: int) -> str:
        return self.original[start:end]

    def within(self, value: str | None, start: int = 0, end: int | None = None) -> str | None:
        """The original of a string the copy holds inside [start, end); spelled when not found."""
        if not value:
            return value
        at = self.matching.find(value, start, len(self.matching) if end is None else end)
        if at < 0:
            return self.spell(value)
        return self.original[at:at + len(value)]

    def spell(self, value: str | None) -> str | None:
        return value.translate(self.table) if value else value


def _header(h: Header, w: _Spelling) -> None:
    def at(field: str, value: str | None) -> str | None:
        rule: Rule | None = h.provenance.get(field)
        if value and rule is not None:
            return w.within(value, rule.start, rule.end)
        return w.spell(value)

    h.inspection_body = at("inspection_body", h.inspection_body)
    h.agency_as_written = at("agency_as_written", h.agency_as_written)
    h.signature = at("signature", h.signature)
    h.title = at("title", h.title)
    h.round = at("round", h.round)
    h.address = at("address", h.address)
    for name in ("agency", "place", "inspection_body_canonical"):   # inspection_kind stays 巡视/巡察
        setattr(h, name, w.spell(getattr(h, name)))


def _org(o: OrgRef, w: _Spelling) -> None:
    o.name = w.span(o.start, o.end)
    o.canonical = w.spell(o.canonical)
    o.title = w.spell(o.title)
    o.agency = w.spell(o.agency)


def _document(d: DocumentRef, w: _Spelling) -> None:
    d.title = w.within(d.title, d.start, d.end)
    d.verb = w.spell(d.verb)


def as_written(facts: ReportFacts, original: str) -> ReportFacts:
    """The facts parsed from the matching copy, with the original text and its strings."""
    w = _Spelling(facts.text, original)
    facts.text = original
    _header(facts.header, w)
    for s in facts.sections:
        s.heading = w.span(s.heading_start, s.heading_end)
        s.marker = w.within(s.marker, s.start, s.heading_start + 1)
        s.text = w.within(s.text, s.start, s.end)
    for i in facts.issues:
        i.title = w.span(i.title_start, i.title_end)
        i.status = w.spell(i.status)
    for m in facts.measures:
        m.label = w.within(m.label, m.start, m.end)
        m.text = w.span(m.start, m.end)
        m.status = w.spell(m.status)
    seen: set[int] = set()
    documents = facts.documents + [d for x in facts.issues + facts.measures for d in x.documents]
    for d in documents:
        if id(d) not in seen:
            seen.add(id(d))
            _document(d, w)
    orgs = facts.orgs + [o for x in facts.issues + facts.measures for o in x.orgs]
    for o in orgs:
        if id(o) not in seen:
            seen.add(id(o))
            _org(o, w)
    return facts
