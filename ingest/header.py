"""Header facts: who inspected whom and when, who reports (canonical name with its place), contacts."""
from __future__ import annotations

import functools
import re
from collections import Counter

from ingest.facts import Header, Rule
from ingest.numerals import parse_numeral
from ingest.tables import Row, table

_OPENING_LINES = 3     # the inspection is told in the first lines …
_OPENING_CHARS = 1200  # … or, after a 现将…报告如下 preamble, in the first paragraph of part one
_FOOT_LINES = 10       # signature and date stand in the last lines
_HAN = r"[\u4e00-\u9fa5]"


def _rows(field: str) -> list[Row]:
    return [r for r in table("header.field") if r["field"] == field]


def _number(part: int | str | None) -> int | None:
    """2024, "03" or a Chinese numeral (二〇二四, 十二) as an integer; None when it is none."""
    if part is None or part == "":
        return None
    return part if isinstance(part, int) else parse_numeral(str(part))


def iso_date(y: int | str | None, m: int | str | None, d: int | str | None = None) -> str | None:
    """YYYY-MM-DD, YYYY-MM or YYYY from parts in Arabic or Chinese numerals (None when the year is
    missing or a part is out of range)."""
    y, m, d = _number(y), _number(m), _number(d)
    if not y:
        return None
    if not m:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if not d:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= d <= 31 else None


@functools.cache
def _abbreviations() -> list[tuple[str, str]]:
    rows = table("orgs.abbreviation")
    return sorted(((r["short"], r["full"]) for r in rows), key=lambda p: -len(p[0]))


def expand_abbreviations(name: str) -> str:
    """市应急局 -> 市应急管理局, 市住建局 -> 市住房和城乡建设局 (longest abbreviation first)."""
    for short, full in _abbreviations():
        if name.endswith(short) and not name.endswith(full):
            return name[: len(name) - len(short)] + full
    return name


def strip_party(name: str) -> str:
    """中共芜湖市应急管理局委员会 -> 芜湖市应急管理局; 市应急局党委 -> 市应急局."""
    for row in table("orgs.wrapper"):
        m = row["pattern"].match(name)
        if m and len(m.group("body")) >= 2:
            return m.group("body")
    return name


def _has_place(name: str) -> bool:
    """Does the name open with a place (芜湖市…, 安徽省…), not just a level (市…)?"""
    return bool(re.match(rf"{_HAN}{{2,}}?[省市县区]", name)) and name[0] not in "省市县区"


def find_place(text: str, name: str) -> str | None:
    """The place a level-prefixed name (市应急管理局) belongs to, from its full forms in the text."""
    level, core = name[0], name[1:]
    if level not in "省市县区" or not core:
        return None
    forms = {core, *(short for short, full in _abbreviations() if core.endswith(full)
                     for short in [core[: len(core) - len(full)] + short])}
    alternation = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    counts: Counter[str] = Counter()
    for m in re.finditer(rf"(?=({_HAN}{{2,4}}){level}(?:委)?(?:{alternation}))", text):
        prefix = m.group(1)
        for n in (2, 3, 4):
            if len(prefix) >= n and not _not_place(prefix[-n:] + level):
                counts[prefix[-n:]] += 1
    if counts:
        best2 = max((p for p in counts if len(p) == 2), key=lambda p: counts[p], default=None)
        best = best2
        for n in (3, 4):
            longer = [p for p in counts if len(p) == n and best and p.endswith(best)]
            top = max(longer, key=lambda p: counts[p], default=None)
            if top and counts[top] >= 0.6 * counts[best]:
                best = top
        if best and not _not_place(best + level):
            return best + level
    return _frequent_place(text, level)


def _not_place(place: str) -> bool:
    return any(r["pattern"].match(place) for r in table("header.not_place"))


def _frequent_place(text: str, level: str) -> str | None:
    """The most frequent place name of the given level in the text (fallback)."""
    counts: Counter[str] = Counter()
    for row in table("header.place"):
        if row["level"] != level:
            continue
        for m in row["pattern"].finditer(text):
            place = m.group("place")
            for n in range(2, len(place)):
                cand = place[-n - 1:]
                if not _not_place(cand):
                    counts[cand] += 1
    if not counts:
        return None
    top = max(counts.values())
    best = [p for p, c in counts.items() if c >= 0.6 * top]
    return max(best, key=lambda p: (counts[p] >= top * 0.9, len(p)))


def complete_name(text: str, name: str) -> str:
    """省卫生健康委 -> 省卫生健康委员会 when the text also writes the full form (a completion row)."""
    for row in table("orgs.completion"):
        short, full = row["short"], row["full"]
        if name.endswith(short) and not name.endswith(full):
            longer = name[: len(name) - len(short)] + full
            if longer in text:
                return longer
    return name


def canonical_agency(text: str, name: str, level: str | None = None) -> tuple[str, str | None]:
    """(canonical full name, place) of an agency as the text writes it (市应急局 -> 上海市应急管理局).

    `level` (县, 区, 市 …) is the level of the body that inspected it: a township named without
    its place (石泉镇) takes the place of that level the text names most (青禾县石泉镇)."""
    name = complete_name(text, expand_abbreviations(strip_party(name.strip())))
    if level and not _has_place(name) and any(r["pattern"].match(name) for r in table("header.local")):
        place = _frequent_place(text, level)
        if place:
            return place + name, place
    if _has_place(name):
        m = re.match(rf"{_HAN}{{2,}}?[省市县区]", name)
        return name, m.group(0) if m else None
    if name[:1] in "省市县区":
        place = find_place(text, name)
        if place:
            return place + name[1:], place
    return name, None


def canonical_body(body: str, place: str | None) -> str:
    """市委第六巡视组 with place 上海市 -> 上海市委第六巡视组; unchanged when the levels differ."""
    if place and len(body) > 1 and body[0] == place[-1] and body[1] == "委":
        return place + body[1:]
    return body


def _search(field: str, text: str, start: int = 0, end: int | None = None) -> tuple[re.Match, Row] | None:
    end = len(text) if end is None else end
    for row in _rows(field):
        m = row["pattern"].search(text, start, end)
        if m:
            return m, row
    return None


def _line_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text)]


def extract_header(text: str, report_kind: str, opening_end: int | None = None) -> Header:
    """Header facts of a report; `opening_end` is where its first numbered heading starts."""
    h = Header(report_kind=report_kind)
    prov = h.provenance
    lines = _line_spans(text)
    if not lines:
        return h
    first_end = lines[min(_OPENING_LINES, len(lines)) - 1][1]
    opening = min(opening_end, first_end) if opening_end else first_end
    opening = max(opening, lines[0][1])

    def note(field: str, row: Row, m: re.Match, group: str | int = 0) -> None:
        prov[field] = Rule(row["id"], *m.span(group))

    wider = max(opening, min(len(text), _OPENING_CHARS))

    def opening_search(field: str) -> tuple[re.Match, Row] | None:
        return _search(field, text, 0, opening) or _search(field, text, 0, wider)

    if report_kind == "rectification":
        found = _search("inspection_body", text, 0, opening) or _search("inspection_body", text)
        if found:
            m, row = found
            h.inspection_body = m.group("value")
            h.inspection_kind = "巡视" if "巡视" in h.inspection_body else "巡察"
            note("inspection_body", row, m, "value")
            prov["inspection_kind"] = prov["inspection_body"]
        found = _search("round", text)
        if found:
            h.round = found[0].group("value")
            note("round", found[1], found[0], "value")
        found = opening_search("period")
        if found:
            m, row = found
            y1 = int(m.group("y1"))
            m2 = m.group("m2") or m.group("m1")
            y2 = int(m.group("y2")) if m.group("y2") else y1
            if not m.group("y2") and (int(m2), int(m.group("d2"))) < (int(m.group("m1")), int(m.group("d1"))):
                y2 += 1
            h.start_date = iso_date(y1, m.group("m1"), m.group("d1"))
            h.end_date = iso_date(y2, m2, m.group("d2"))
            note("start_date", row, m)
            note("end_date", row, m)
        found = opening_search("feedback_date")
        if found:
            m, row = found
            year = m.group("y")
            if not year and h.end_date:
                end_y, end_m, end_d = (int(x) for x in h.end_date.split("-"))
                year = end_y + ((int(m.group("m")), int(m.group("d"))) < (end_m, end_d))
            h.feedback_date = iso_date(year, m.group("m"), m.group("d"))
            if h.feedback_date:
                note("feedback_date", row, m)
        found = opening_search("agency_as_written")
        if found:
            h.agency_as_written = found[0].group("value")
            note("agency_as_written", found[1], found[0], "value")

    tail = lines[-_FOOT_LINES:]
    for s, e in reversed(tail):
        found = _search("published", text, s, e)
        if found:
            m, row = found
            h.published = iso_date(m.group("y"), m.group("m"), m.group("d"))
            note("published", row, m)
            break
    for s, e in reversed(tail):
        found = _search("signature", text, s, e)
        if found:
            h.signature = found[0].group("value")
            note("signature", found[1], found[0], "value")
            break
    found = _search("title", text, lines[0][0], lines[0][1])
    if found:
        h.title = found[0].group("value")
        note("title", found[1], found[0], "value")
    found = _search("status_date", text)
    if found:
        m, row = found
        h.status_date = iso_date(m.group("y"), m.group("m"), m.group("d"))
        note("status_date", row, m)
    _contacts(text, h)

    if not h.agency_as_written and h.signature:
        h.agency_as_written = h.signature
        prov["agency_as_written"] = prov["signature"]
    if h.agency_as_written:
        body = h.inspection_body or ""
        level = body[0] if len(body) > 1 and body[1] == "委" else None
        h.agency, h.place = canonical_agency(text, h.agency_as_written, level)
        prov["agency"] = prov["agency_as_written"]
        if h.place:
            prov["place"] = prov["agency"]
    if h.inspection_body:
        h.inspection_body_canonical = canonical_body(h.inspection_body, h.place)
        prov["inspection_body_canonical"] = prov["inspection_body"]
    return h


def _contacts(text: str, h: Header) -> None:
    """Phones, emails, postcode and postal address, wherever the report gives them."""
    for row in _rows("phones"):
        for m in row["pattern"].finditer(text):
            for group in ("value", "more"):
                value = m.group(group) if group in m.re.groupindex else None
                if value and value not in h.phones:
                    h.phones.append(re.sub(r"\s", "", value))
                    h.provenance.setdefault("phones", Rule(row["id"], *m.span(group)))
    for row in _rows("emails"):
        for m in row["pattern"].finditer(text):
            if m.group("value") not in h.emails:
                h.emails.append(m.group("value"))
                h.provenance.setdefault("emails", Rule(row["id"], *m.span("value")))
    for field in ("postcode", "address"):
        found = _search(field, text)
        if found:
            m, row = found
            setattr(h, field, m.group("value").strip().rstrip(";,。"))
            h.provenance[field] = Rule(row["id"], *m.span("value"))
