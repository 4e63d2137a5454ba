"""Bytes to the normalized text every span points into: encoding detection and normalization."""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter

import charset_normalizer

from ingest.facts import Source
from ingest.numerals import circled_chars
from ingest.tables import table
from ontology.errors import InputError

# Magic numbers of common binary formats that are not plain text.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff",
                 b"\x7fELF", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4})$")
_TERMINAL = ("。", "!", "?", ";", "。”", "!”", "?”")   # a full line ending ":" runs on (责任人:\n李某某)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _plausible(text: str) -> float:
    """Share of characters that ordinary Chinese prose is made of (CJK, ASCII, punctuation)."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~"
               or ch in "\n\r\t" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               or "\u2010" <= ch <= "\u2027" or "\u2460" <= ch <= "\u24ff")
    return good / len(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    """Share of control characters other than whitespace: high for binary data."""
    return len(_CONTROL.findall(text)) / max(len(text), 1)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode raw bytes, detecting the encoding; return (text, encoding name)."""
    if not data.strip():
        raise InputError(f"{name}: 文件为空")
    if data.startswith(_BINARY_MAGIC):
        raise InputError(f"{name}: 不是文本文件(疑似二进制)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding.replace("-le", "").replace("-be", "") + "-bom"
            except UnicodeDecodeError:
                raise InputError(f"{name}: 无法识别编码(字节顺序标记与内容不符)") from None
    if b"\x00" in data:
        best = max(((_try(data, enc), enc) for enc in ("utf-16-le", "utf-16-be")), key=lambda x: _plausible(x[0]))
        if best[0] and _plausible(best[0]) > 0.9 and _control_share(best[0]) < 0.01:
            return best[0], best[1]
        raise InputError(f"{name}: 不是文本文件(疑似二进制)")
    text = _try(data, "utf-8")
    if text is not None:
        if _control_share(text) > 0.05:
            raise InputError(f"{name}: 不是文本文件(疑似二进制)")
        return text, "utf-8"
    text = _try(data, "gb18030")
    if text is not None and _plausible(text) > 0.95:
        return text, "gb18030"
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        text = str(guess)
        if _plausible(text) > 0.9 and _control_share(text) < 0.01:
            return text, guess.encoding
    if _control_share(data.decode("latin-1")) > 0.05:
        raise InputError(f"{name}: 不是文本文件(疑似二进制)")
    raise InputError(f"{name}: 无法识别编码,请另存为 UTF-8 后重试")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _nfkc(text: str, keep: str) -> str:
    """NFKC-fold the text but leave the characters in `keep` (circled numbers) as they are."""
    if not keep:
        return unicodedata.normalize("NFKC", text)
    parts = re.split(f"([{re.escape(keep)}])", text)
    return "".join(p if len(p) == 1 and p in keep else unicodedata.normalize("NFKC", p) for p in parts)


def _heading_start(line: str) -> bool:
    """Does the line open with a numbering marker of the heading table?"""
    return any(row["pattern"].match(line) for row in table("numbering.scheme"))


def _unwrap(lines: list[str]) -> list[str]:
    """Join lines a PDF broke at a fixed width (many lines of one length, none ending a sentence)."""
    lengths = [len(line) for line in lines if len(line) >= 12 and "\t" not in line]
    if len(lengths) < 5:
        return lines
    counts = Counter(lengths)
    width = max(counts, key=lambda n: (counts[n - 1] + counts[n] + counts[n + 1], n))
    near = counts[width - 1] + counts[width] + counts[width + 1]
    if width < 20 or near < max(4, 0.4 * len(lengths)):
        return lines
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and "\t" not in line and _runs_on(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
        joining = len(line) >= width - 2 and "\t" not in line and not line.endswith(_TERMINAL)
    return out


def _runs_on(line: str, following: str) -> bool:
    """Does a full line run on into the next one (not when the next opens a heading)?  The
    wrap rows of the numbering table overrule that where the two lines meet."""
    for row in table("numbering.wrap"):
        if row["before"].search(line) and row["after"].match(following) \
                and (not row.get("numbered") or _heading_start(line)):
            return row["join"]
    return not _heading_start(following)


def normalize_text(text: str) -> str:
    """NFKC (circled numbers kept), unified line ends, trimmed lines, no blank runs or page numbers."""
    text = _nfkc(text.translate(_INVISIBLE), circled_chars())
    text = re.sub(r"\r\n?|[\u2028\u2029\f\v]", "\n", text)
    lines = [line.strip(" ").rstrip(" \t") for line in text.split("\n")]
    lines = [line for line in lines if line.strip() and not _PAGE_NUMBER.match(line)]
    return "\n".join(_unwrap(lines))


def read_text(data: bytes, name: str) -> tuple[str, Source]:
    """Decode and normalize a plain-text report; raise InputError for empty, binary or undecodable input."""
    raw, encoding = decode_bytes(data, name)
    text = normalize_text(raw)
    if not text.strip():
        raise InputError(f"{name}: 文件为空")
    source = Source(name=name, format="text", encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
    return text, source
