"""Issues and measures (or initiatives and shortcomings) from a classified outline.

Rectification: in the issues part, the items are the headings that name a problem (针对…问题)
or, failing those, the headings one level under the groups; the group is the item's aspect.
Items without numbers are paragraphs opening 关于…的问题.  A measure is an enumerated
一是/(1)/① piece of the item, or a sentence run.  Annual reports: the numbered items of the
achievements part are initiatives (measures without issue), the items of the shortcomings
part are issues without aspect.  Issue tables (整改台账) become issues and measures as well.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field

from ingest.titles import match_title
from ingest.facts import DocumentRef, Header, Issue, Measure, OrgRef, Section
from ingest.grid import find_grids, items_from_grid
from ingest.measures import Piece, label_of, split_measures, summary_start
from ingest.orgs import find_orgs, merge_orgs
from ingest.outline import children, names_issue
from ingest.quantities import deadline_of, find_quantities
from ingest.sentences import sentence_end, strip_end, trim
from ingest.tables import table

_TEXT_ONLY = ("context", "unfinished", "next_steps", "duties", "plans", "other")
_HEAD_SKIP = "。;:!?】 \n"


@dataclass
class Items:
    """What extraction found; sections may gain kinds (aspect) and table-made aspect sections."""

    sections: list[Section]
    issues: list[Issue] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    orgs: list[OrgRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Extractor:
    """Walks the outline once; holds the inputs every step needs."""

    def __init__(self, text: str, sections: list[Section], header: Header, documents: list[DocumentRef]):
        self.text = text
        self.header = header
        self.documents = documents
        self.doc_spans = [(d.start, d.end) for d in documents]
        self.out = Items(sections=list(sections))
        self.tree = children(sections)
        self.shaped = [match_title(s.heading).shape or names_issue(s) for s in sections]
        self.grids = find_grids(text)
        # organisations and quantities are found once over the whole text, then handed out by span
        self.all_orgs = find_orgs(text, 0, len(text), header.agency, header.place, self.doc_spans)
        self.org_starts = [o.start for o in self.all_orgs]
        self.all_quantities = find_quantities(text)
        self.quantity_starts = [q.start for q in self.all_quantities]
        self.doc_starts = [d.start for d in documents]

    # -- spans ------------------------------------------------------------------------
    def body_start(self, i: int) -> int:
        """Where a section's own text begins (past its heading and the heading's stop)."""
        sec = self.out.sections[i]
        pos = sec.heading_end
        while pos < sec.end and self.text[pos] in _HEAD_SKIP:
            pos += 1
        return max(pos, sec.heading_end)

    def own_end(self, i: int) -> int:
        """Where a section's own text ends: its first child, a table inside it, or its end."""
        sec = self.out.sections[i]
        end = self.out.sections[self.tree[i][0]].start if self.tree.get(i) else sec.end
        for g in self.grids:
            if sec.start <= g.start < end:
                end = g.start
        return trim(self.text, 0, end)[1]

    def set_kind(self, i: int, kind: str, rule: str) -> None:
        self.out.sections[i] = dataclasses.replace(self.out.sections[i], kind=kind, kind_rule=rule)

    def skip_progress(self, pos: int, end: int) -> tuple[int, str | None]:
        """Past a progress label (整改情况:) and a status standing alone (已完成。) at pos; the status."""
        for row in table("items.progress"):
            m = row["pattern"].match(self.text, pos, end)
            if m:
                pos = m.end()
                break
        for row in table("items.status"):
            m = row["pattern"].match(self.text, pos, end) if row["id"] == "status.cell" else None
            if m:
                return trim(self.text, m.end(), end)[0], m.group("status")
        return pos, None

    # -- facts ------------------------------------------------------------------------
    @staticmethod
    def _within(items: list, starts: list[int], start: int, end: int,
                skip: list[tuple[int, int]] = ()) -> list:
        """The facts (sorted by start) lying inside [start, end) and outside every skip span."""
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [x for x in items[lo:hi] if x.end <= end
                and not any(a <= x.start and x.end <= b for a, b in skip)]

    def _orgs(self, start: int, end: int, skip: list[tuple[int, int]] = ()) -> list[OrgRef]:
        refs = self._within(self.all_orgs, self.org_starts, start, end, skip)
        self.out.orgs.extend(refs)
        return merge_orgs(refs)

    def _docs(self, start: int, end: int, skip: list[tuple[int, int]] = ()) -> list[DocumentRef]:
        return self._within(self.documents, self.doc_starts, start, end, skip)

    def _status(self, start: int, end: int) -> str | None:
        for row in table("items.status"):
            if row["id"] == "status.cell":
                continue
            m = row["pattern"].search(self.text, start, end)
            if m:
                return m.group("status")
        return None

    def add_measure(self, piece: Piece, issue: int | None, section: int | None, aspect: int | None,
                    own: int | None = None, label: str | None = None) -> Measure:
        quantities = self._within(self.all_quantities, self.quantity_starts, piece.start, piece.end)
        deadline = deadline_of(self.text, quantities)
        measure = Measure(
            ordinal=piece.ordinal, label=label or label_of(self.text, piece.body, piece.end),
            text=self.text[piece.start:piece.end], start=piece.start, end=piece.end, rule=piece.rule,
            issue=issue, section=section, aspect=aspect, status=self._status(piece.start, piece.end),
            deadline=deadline[0] if deadline else None, documents=self._docs(piece.start, piece.end),
            orgs=self._orgs(piece.start, piece.end), quantities=quantities, own_section=own)
        self.out.measures.append(measure)
        return measure

    def add_issue(self, ordinal: int, title: tuple[int, int], rule: str, span: tuple[int, int],
                  section: int | None, aspect: int | None, own: int | None = None,
                  long_term: bool = False) -> int:
        ts, te = title
        issue = Issue(ordinal=ordinal, title=self.text[ts:te], start=span[0], end=span[1],
                      title_start=ts, title_end=te, rule=rule, section=section, aspect=aspect,
                      status=self._status(span[0], min(span[1], te + 80)), long_term=long_term,
                      own_section=own)
        self.out.issues.append(issue)
        return len(self.out.issues) - 1

    def finish_issue(self, k: int, measures: list[Measure]) -> None:
        """Give the issue the documents and organisations of its text outside its measures."""
        issue = self.out.issues[k]
        inside = [(m.start, m.end) for m in measures]
        issue.documents = self._docs(issue.start, issue.end, inside)
        issue.orgs = self._orgs(issue.start, issue.end, inside)
        if issue.deadline is None:
            issue.deadline = next((m.deadline for m in measures if m.deadline), None)

    # -- items with a numbered heading ------------------------------------------------------
    def issue_from_section(self, i: int, aspect: int | None, long_term: bool = False) -> None:
        sec = self.out.sections[i]
        title = match_title(sec.heading)
        span = (sec.heading_start + title.start, sec.heading_start + title.end)
        k = self.add_issue(sec.ordinal, span, title.rule, (sec.start, sec.end), sec.parent, aspect,
                           own=i, long_term=long_term)
        self.finish_issue(k, self.measures_of(i, k, aspect))

    def measures_of(self, i: int, issue: int | None, aspect: int | None) -> list[Measure]:
        """Measures under an item heading: its numbered children, else pieces of its text."""
        kids = self.tree.get(i, [])
        if kids:
            out = []
            for j in kids:
                sec = self.out.sections[j]
                piece = Piece(sec.ordinal, sec.start, sec.end, sec.heading_start, sec.rule)
                out.append(self.add_measure(piece, issue, i, aspect, own=j))
            return out
        start, end = self.body_start(i), self.own_end(i)
        start, status = self.skip_progress(start, end)
        if issue is not None and status:
            self.out.issues[issue].status = self.out.issues[issue].status or status
        end = summary_start(self.text, start, end)
        return [self.add_measure(p, issue, i, aspect) for p in split_measures(self.text, start, end)]

    # -- items without numbers: 关于…的问题 paragraphs followed by 整改情况: -------------------
    def unnumbered_issues(self, start: int, end: int, section: int | None, aspect: int | None,
                          long_term: bool = False) -> int:
        openers = table("items.opener")
        heads = []
        for line in re.finditer(r"[^\n]+", self.text[start:end]):
            for row in openers:
                m = row["pattern"].match(line.group())
                if m:
                    heads.append((start + line.start(), start + line.start() + m.end(), row["id"]))
                    break
        for n, (s, head_end, rule) in enumerate(heads):
            stop = heads[n + 1][0] if n + 1 < len(heads) else end
            title = match_title(self.text[s:head_end])
            ts, te = s + title.start, s + title.end
            k = self.add_issue(n + 1, (ts, te), f"{rule}+{title.rule}", trim(self.text, s, stop),
                               section, aspect, long_term=long_term)
            body = head_end
            while body < stop and self.text[body] in _HEAD_SKIP:
                body += 1
            body, status = self.skip_progress(body, stop)
            self.out.issues[k].status = self.out.issues[k].status or status
            pieces = split_measures(self.text, body, summary_start(self.text, body, stop))
            self.finish_issue(k, [self.add_measure(p, k, section, aspect) for p in pieces])
        return len(heads)

    # -- parts ----------------------------------------------------------------------------
    def issues_part(self, p: int) -> None:
        """Issues under a part (or under a top heading that is itself a group of issues)."""
        kids = [j for j in self.tree[p] if self.out.sections[j].kind not in _TEXT_ONLY + ("long_term",)]
        for j in self.tree[p]:
            if self.out.sections[j].kind == "long_term":
                self.long_term_part(j)
        shaped = self._top_shaped(p)
        if shaped:
            for i in shaped:
                parent = self.out.sections[i].parent
                if parent is not None and parent != p:
                    self.set_kind(parent, "aspect", "aspect.structure")
                self.issue_from_section(i, parent)
            return
        if self.shaped[p]:
            self.issue_from_section(p, None)
            return
        grouped = [j for j in kids if self.tree[j]]
        for j in kids:
            if self.tree[j]:
                self.set_kind(j, "aspect", "aspect.structure")
                for i in self.tree[j]:
                    self.issue_from_section(i, j)
            elif self.unnumbered_issues(self.body_start(j), self.own_end(j), j, j):
                self.set_kind(j, "aspect", "aspect.unnumbered")
            elif not grouped:
                self.set_kind(p, "issues", self.out.sections[p].kind_rule or "sec.structure.issues")
                self.issue_from_section(j, p)
        if not kids:
            self.unnumbered_issues(self.body_start(p), self.own_end(p), p, p)

    def aspect_part(self, p: int) -> None:
        """A top heading that is itself a group of issues (a report opening at (一)聚焦…): its
        items are the issues, or its 关于…的问题 paragraphs when it has none."""
        kids = [j for j in self.tree[p] if self.out.sections[j].kind not in _TEXT_ONLY + ("long_term",)]
        for i in kids:
            self.issue_from_section(i, p)
        if not kids:
            self.unnumbered_issues(self.body_start(p), self.own_end(p), p, p)

    def _top_shaped(self, p: int) -> list[int]:
        """The items under p: every heading at the level where problem-naming headings stand."""
        levels: dict[int, list[int]] = {}
        todo = list(self.tree[p])
        while todo:
            j = todo.pop(0)
            if self.out.sections[j].kind in _TEXT_ONLY + ("long_term",):
                continue
            levels.setdefault(self.out.sections[j].level, []).append(j)
            todo.extend(self.tree[j])
        counts = {lv: sum(self.shaped[j] for j in js) for lv, js in levels.items()}
        shaped = [lv for lv, n in counts.items() if n]
        # 关于…的问题 groups over 针对…问题 items: the level naming most problems (deeper on a tie)
        return sorted(levels[max(shaped, key=lambda lv: (counts[lv], lv))]) if shaped else []

    def long_term_part(self, p: int) -> None:
        """需长期整改事项: every item is an issue, filed under the part that lists them."""
        if self.tree[p]:
            for i in self.tree[p]:
                self.issue_from_section(i, p, long_term=True)
            return
        start, end = self.body_start(p), self.own_end(p)
        if self.unnumbered_issues(start, end, p, p, long_term=True):
            return
        for piece in split_measures(self.text, start, end):
            self._issue_from_piece(piece, p, p, long_term=True)

    def _issue_from_piece(self, piece: Piece, section: int, aspect: int | None, long_term: bool = False) -> None:
        stop = sentence_end(self.text, piece.body, piece.end, "。;!?")
        ts, te = strip_end(self.text, piece.body, stop)
        title = match_title(self.text[ts:te])
        k = self.add_issue(piece.ordinal, (ts + title.start, ts + title.end), f"{piece.rule}+{title.rule}",
                           (piece.start, piece.end), section, aspect, long_term=long_term)
        self.finish_issue(k, [])

    def achievements_part(self, p: int) -> None:
        """Annual report: categories, then numbered initiatives (measures without issue)."""
        kids = self.tree[p]
        grouped = any(self.tree[j] for j in kids)
        for j in kids:
            if grouped:
                self.set_kind(j, "aspect", "aspect.structure")
                items = self.tree[j]
                if not items:
                    for piece in split_measures(self.text, self.body_start(j), self.own_end(j)):
                        self.add_measure(piece, None, j, j)
                for i in items:
                    sec = self.out.sections[i]
                    piece = Piece(sec.ordinal, sec.start, sec.end, sec.heading_start, sec.rule)
                    self.add_measure(piece, None, j, j, own=i, label=sec.heading)
            else:
                sec = self.out.sections[j]
                piece = Piece(sec.ordinal, sec.start, sec.end, sec.heading_start, sec.rule)
                self.add_measure(piece, None, p, p, own=j, label=sec.heading)
        if not kids:
            for piece in split_measures(self.text, self.body_start(p), self.own_end(p)):
                self.add_measure(piece, None, p, p)

    def shortcomings_part(self, p: int) -> None:
        """Annual report: each admitted shortcoming is an issue without aspect."""
        if self.tree[p]:
            for i in self.tree[p]:
                sec = self.out.sections[i]
                title = match_title(sec.heading)
                span = (sec.heading_start + title.start, sec.heading_start + title.end)
                k = self.add_issue(sec.ordinal, span, title.rule, (sec.start, sec.end), p, None, own=i)
                self.finish_issue(k, [])
            return
        for piece in split_measures(self.text, self.body_start(p), self.own_end(p)):
            self._issue_from_piece(piece, p, None)

    # -- the whole report -------------------------------------------------------------------
    def run(self, report_kind: str) -> Items:
        handlers = {"issues": self.issues_part, "aspect": self.aspect_part, "long_term": self.long_term_part}
        if report_kind == "annual":
            handlers = {"achievements": self.achievements_part, "shortcomings": self.shortcomings_part}
        for p in self.tree[None]:
            handler = handlers.get(self.out.sections[p].kind)
            if handler:
                handler(p)
        for g in self.grids:
            items_from_grid(self, g)
        if not self.out.issues and not self.out.measures and report_kind == "rectification":
            end = self.out.sections[0].start if self.out.sections else len(self.text)
            if self.unnumbered_issues(0, end, None, None):
                self.out.warnings.append("未找到编号问题,按“关于…的问题”段落提取")
        return self.out


def extract_items(text: str, sections: list[Section], report_kind: str, header: Header,
                  documents: list[DocumentRef]) -> Items:
    """Issues, measures and the organisations they name, from the classified outline."""
    return Extractor(text, sections, header, documents).run(report_kind)
