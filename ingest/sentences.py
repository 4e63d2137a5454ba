"""Sentence boundaries that respect quotes and brackets (针对“固定资产管理不够规范。”问题。)."""
from __future__ import annotations

_OPEN = {"“": "”", "‘": "’", "《": "》", "(": ")", "【": "】", "〈": "〉", "「": "」", "『": "』", "〔": "〕"}
_CLOSE = {v: k for k, v in _OPEN.items()}
SENTENCE_END = "。!?;\n"


def sentence_end(text: str, start: int, end: int, stops: str = SENTENCE_END) -> int:
    """Index of the first stop character in text[start:end] outside quotes and brackets, or `end`."""
    depth: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if ch == "\n":
            return i
        if ch in _OPEN:
            depth.append(_OPEN[ch])
        elif ch in _CLOSE:
            if depth and depth[-1] == ch:
                depth.pop()
            elif ch in depth:
                while depth and depth.pop() != ch:
                    pass
        elif not depth and ch in stops:
            return i
    return end


def split_sentences(text: str, start: int, end: int, stops: str = SENTENCE_END) -> list[tuple[int, int]]:
    """Spans of the sentences in text[start:end], terminator included, blanks skipped."""
    spans = []
    pos = start
    while pos < end:
        stop = sentence_end(text, pos, end, stops)
        stop_incl = min(stop + 1, end)
        s, e = trim(text, pos, stop_incl)
        if e > s:
            spans.append((s, e))
        pos = stop_incl
    return spans


def trim(text: str, start: int, end: int, chars: str = " \t\n") -> tuple[int, int]:
    """Shrink a span past leading and trailing `chars`."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def strip_end(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past trailing sentence punctuation and blanks (。;:,)."""
    return trim(text, start, end, " \t\n。;:,.!?")
