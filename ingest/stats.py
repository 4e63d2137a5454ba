"""Totals a report states about itself: 41项问题已完成整改37项, 新建制度32项, 退出违规钱款30.52万元."""
from __future__ import annotations

from decimal import Decimal

from ingest.facts import Rule, Stats
from ingest.tables import table

_RUNS_ON = ";,、"      # a line ending so does not end its sentence
MULTIPLIERS = {"": 1, "千": 1000, "万": 10_000, "亿": 100_000_000}


def to_yuan(amount: str, unit: str) -> Decimal:
    """30.52 + 万元 -> 305200 (余 / 多 only say "more than": the stated figure is kept)."""
    mult = next((MULTIPLIERS[ch] for ch in unit if ch in MULTIPLIERS and ch), 1)
    value = Decimal(amount) * mult
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def extract_stats(text: str) -> Stats:
    """The stated totals; for each field the first table row that matches decides."""
    stats = Stats()
    for row in table("stats.stat"):
        m = row["pattern"].search(text)
        if not m:
            continue
        for spec in row["fields"]:
            group, _, field = spec.partition(":")
            if getattr(stats, field) is None:
                setattr(stats, field, int(m.group(group)))
                stats.provenance[field] = Rule(row["id"], *m.span())
    for spans in (totals_sentences(text, stats), [(0, len(text))]):
        for row in table("stats.funds"):
            found = [(to_yuan(m.group("amount"), m.group("unit")), m)
                     for s, e in spans for m in row["pattern"].finditer(text, s, e)]
            if found:
                amount, m = max(found, key=lambda x: x[0])
                stats.funds_recovered_yuan = amount
                stats.provenance["funds_recovered_yuan"] = Rule(row["id"], *m.span())
                return stats
    return stats


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence around pos: from a 。 or line end to the next 。 or line end
    (not one after ; or , where a PDF copy broke the sentence)."""
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = pos
    while True:
        ends = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
        end = min(ends, default=len(text))
        if end == len(text) or text[end] == "。" or text[end - 1] not in _RUNS_ON:
            return start, end
        end += 1


def totals_sentences(text: str, stats: Stats) -> list[tuple[int, int]]:
    """Spans of the sentences that sum up the rectification: those holding a stated total,
    and those opening with a totals row (截至2024年9月30日,…), in text order."""
    spans = {_sentence(text, rule.start) for rule in stats.provenance.values()}
    for row in table("stats.totals"):
        for m in row["pattern"].finditer(text):
            start, end = _sentence(text, m.start())
            if not text[start:m.start()].strip():
                spans.add((start, end))
    return sorted(spans)
