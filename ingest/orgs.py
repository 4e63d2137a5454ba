"""Organisations, units and roles an item names, with canonical names and their relation to it."""
from __future__ import annotations

import functools
import re

from ingest.facts import OrgRef
from ingest.header import expand_abbreviations, strip_party
from ingest.tables import Row, table

_BEFORE = 24          # characters before a name searched for 责任单位: / 由
_AFTER = 6            # characters after a name searched for 牵头 / 负责


def _relation(text: str, s: int, e: int, floor: int) -> tuple[str, str | None]:
    """("responsible", rule) when the text around the name makes it the one acting, else mentioned."""
    before = text[max(floor, s - _BEFORE):s]
    after = text[e:e + _AFTER]
    for row in table("orgs.relation"):
        if row["before"].pattern and row["before"].search(before):
            return "responsible", row["id"]
        if row["after"].pattern and row["after"].match(after):
            return "responsible", row["id"]
    return "mentioned", None


def _rejected(row: Row, name: str) -> bool:
    return "reject" in row and bool(row["reject"].search(name))


def _agency_name(prefix: str, core: str, place: str | None) -> str:
    """市住建局 with place 上海市 -> 上海市住房和城乡建设局; 市委编办 -> 上海市委机构编制委员会办公室."""
    level = prefix[0]
    full = expand_abbreviations(prefix + core)[len(prefix):]
    if place and place.endswith(level):
        return place + prefix[1:] + full
    return prefix + full


@functools.cache
def _bare_abbreviations() -> tuple[re.Pattern, dict[str, Row]]:
    """One pattern for every abbreviation written without a level prefix, and its rows."""
    rows = {r["short"]: r for r in table("orgs.abbreviation")}
    alternation = "|".join(sorted(map(re.escape, rows), key=len, reverse=True))
    # not after a level or a national body (市安委办, 国务院安委办, 中央网信办), nor inside a list
    # (县人社局、自规局: the level is the list's, not the report's)
    return re.compile(f"(?<![省市县区委院央家国部、])(?:{alternation})(?![\u4e00-\u9fa5]{{0,1}}(?:长|级|员))"), rows


def find_orgs(text: str, start: int, end: int, agency: str | None, place: str | None,
              skip: list[tuple[int, int]] = ()) -> list[OrgRef]:
    """Agencies, companies, units and roles named in text[start:end] (outside the `skip` spans)."""
    found: list[OrgRef] = []
    taken = bytearray(end - start)      # 1 where a name (or a skipped span) already stands
    for a, b in skip:
        if a < end and b > start:
            taken[max(a, start) - start:min(b, end) - start] = b"\x01" * (min(b, end) - max(a, start))

    def add(kind: str, s: int, e: int, canonical: str, rule: str, **extra: str | None) -> None:
        if any(taken[s - start:e - start]):
            return
        taken[s - start:e - start] = b"\x01" * (e - s)
        relation, rel_rule = _relation(text, s, e, start)
        found.append(OrgRef(kind=kind, name=text[s:e], canonical=canonical, relation=relation,
                            start=s, end=e, rule=f"{rule}+{rel_rule}" if rel_rule else rule, **extra))

    for row in table("orgs.unit"):
        for m in row["pattern"].finditer(text, start, end):
            name = m.group("name")
            if not _rejected(row, name):
                add("unit", m.start(), m.end(), agency + name if agency else m.group(), row["id"], agency=agency)
    for row in table("orgs.role"):
        for m in row["pattern"].finditer(text, start, end):
            add("role", m.start(), m.end(), agency + row["title"] if agency else m.group(), row["id"],
                title=row["title"], agency=agency)
    for row in table("orgs.agency"):
        for m in row["pattern"].finditer(text, start, end):
            if _rejected(row, m.group("core")):
                continue
            canonical = _agency_name(m.group("prefix"), m.group("core"), place)
            if not (agency and strip_party(canonical).startswith(agency)):
                add("agency", m.start(), m.end(), canonical, row["id"])
    if place:
        pattern, rows = _bare_abbreviations()
        for m in pattern.finditer(text, start, end):
            row = rows[m.group()]
            canonical = place + row["full"]
            if not (agency and canonical.startswith(agency)):
                add("agency", m.start(), m.end(), canonical, row["id"])
    for row in table("orgs.person"):
        for m in row["pattern"].finditer(text, start, end):
            name = m.group("name")
            add("person", m.start("name"), m.end("name"), name, row["id"], agency=agency)
    lead = table("orgs.lead_verb")
    for row in table("orgs.company"):
        for m in row["pattern"].finditer(text, start, end):
            s = m.start()
            name_end = m.end() - len(m.group("suffix"))
            for verb in lead:
                for v in verb["pattern"].finditer(text, s, name_end):
                    s = max(s, v.end())
            if name_end - s >= 2:
                add("agency", s, m.end(), text[s:m.end()], row["id"])
    return sorted(found, key=lambda o: o.start)


def merge_orgs(refs: list[OrgRef]) -> list[OrgRef]:
    """One ref per (kind, canonical) in order of first mention; responsible wins over mentioned."""
    best: dict[tuple[str, str], OrgRef] = {}
    for ref in refs:
        key = (ref.kind, ref.canonical)
        if key not in best or (ref.relation == "responsible" and best[key].relation != "responsible"):
            best[key] = ref
    return sorted(best.values(), key=lambda o: o.start)


