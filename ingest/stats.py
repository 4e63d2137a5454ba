"""Totals a report states about itself: 41项问题已完成整改37项, 新建制度32项, 退出违规钱款30.52万元."""
from __future__ import annotations

from decimal import Decimal

from ingest.facts import Rule, Stats
from ingest.tables import table

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
    for row in table("stats.funds"):
        found = [(to_yuan(m.group("amount"), m.group("unit")), m) for m in row["pattern"].finditer(text)]
        if found:
            amount, m = max(found, key=lambda x: x[0])
            stats.funds_recovered_yuan = amount
            stats.provenance["funds_recovered_yuan"] = Rule(row["id"], *m.span())
            break
    return stats
