"""Bytes to str for text and web pages: BOM, declared charset, UTF-8, GB18030, then detection.

GB2312 and GBK are subsets of GB18030, so a page that declares either is decoded as GB18030
(portals that declare GB2312 routinely use GBK-only characters).  A file cut off inside a
multi-byte character loses that last character with a warning instead of failing.
"""
from __future__ import annotations

import codecs

from ontology.errors import InputError

# Declared charset names (lower case) -> the codec that reads them best.
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "gb_2312-80": "gb18030", "gb_2312": "gb18030", "csgb2312": "gb18030", "euc-cn": "gb18030",
    "x-euc-cn": "gb18030", "windows-936": "gb18030", "ms936": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode": "utf-8",
}

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control bytes that never occur in text in any of the encodings above (TAB, LF, FF, CR and
# ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BINARY_SAMPLE = 65536


def canonical_charset(name: str | None) -> str | None:
    """The codec to use for a declared charset name, or None when Python does not know it."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in CHARSET_ALIASES:
        return CHARSET_ALIASES[name]
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True when the first 64 KB hold control bytes that no text file contains."""
    sample = data[:_BINARY_SAMPLE]
    if any(sample.startswith(bom) for bom, _ in BOMS[1:]):
        return False  # UTF-16/32 with a BOM is text full of NULs
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 200)


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode text bytes: returns (text, encoding used, warnings); InputError when nothing fits."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", ""), []
            except UnicodeDecodeError:
                break
    candidates: list[str] = []
    declared_codec = canonical_charset(declared)
    if declared_codec and declared_codec not in ("ascii", "latin-1", "iso8859-1", "cp1252"):
        candidates.append(declared_codec)
    candidates += [c for c in ("utf-8", "gb18030") if c not in candidates]
    for codec in candidates:
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError:
            pass
    # Cut off inside a multi-byte character: drop the incomplete tail and say so.
    for codec in candidates:
        for cut in (1, 2, 3):
            try:
                text = data[:-cut].decode(codec)
            except UnicodeDecodeError:
                continue
            return text, codec, ["文件末尾有不完整的字符(可能下载或复制中断),已丢弃"]
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding, [f"编码未声明且不是 UTF-8/GB18030,按检测结果 {best.encoding} 读取"]
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(f"{name}: 无法识别文字编码(不是 UTF-8、GBK/GB18030 或声明的编码),请另存为 UTF-8 文本")
