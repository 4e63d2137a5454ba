"""Issue titles in item headings: 针对“X”问题 -> X, 关于X的问题 -> X, X的问题 -> X (items.title)."""
from __future__ import annotations

from dataclasses import dataclass

from ingest.tables import table


@dataclass(frozen=True)
class Title:
    """An item's title found in its heading, with its offsets inside the heading."""

    text: str
    start: int
    end: int
    rule: str
    shape: bool        # the heading names a problem (针对…问题 / 关于…的问题 / 问题：…)


def _without_status(heading: str) -> str:
    """The heading without a status in brackets at its end (…的问题(已完成))."""
    for row in table("items.status"):
        if row["id"] == "status.bracket":
            for m in row["pattern"].finditer(heading):
                if m.end() == len(heading.rstrip("。;:")) and m.start() > 0:
                    return heading[:m.start()]
    return heading


def match_title(heading: str) -> Title:
    """The problem an item heading names (针对“X”问题 -> X), or the heading itself."""
    heading = _without_status(heading)
    for row in table("items.title"):
        m = row["pattern"].search(heading)
        if m and m.group("title").strip():
            start, end = m.span("title")
            while end > start and heading[end - 1] in "。;,.:!? ":
                end -= 1
            return Title(heading[start:end], start, end, row["id"], row["shape"])
    return Title(heading, 0, len(heading), "title.heading", False)
