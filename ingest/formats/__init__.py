"""Files as investigators have them (text, saved web pages, Word, PDF) turned into report text.

Pure functions: bytes and a file name in, text and what the file says about itself out.
`detect_format` looks at magic bytes first and the extension second; `to_text` dispatches to
the reader of that format and raises `InputError` (one line: file name and reason) for files
that are empty, binary, damaged, too large, or of a format no reader handles.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from ingest.formats.decode import decode_bytes, looks_binary
from ontology.errors import InputError

if TYPE_CHECKING:
    from ingest.facts import Source

FORMATS = ("text", "html", "docx", "pdf", "unknown")

MB = 1024 * 1024
# Largest file each reader accepts.  A long rectification report is well under 1 MB of text;
# Word and PDF files carry images and fonts, so they get more room.
SIZE_LIMITS = {"text": 5 * MB, "html": 10 * MB, "docx": 50 * MB, "pdf": 50 * MB}

LABELS = {"text": "纯文本文件", "html": "网页文件", "docx": "Word 文件", "pdf": "PDF 文件"}

EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx", ".pdf": "pdf",
}

# Formats people will try that no reader handles: (id, magic bytes or None, extensions, reason).
UNSUPPORTED = (
    ("ole2", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", (".doc", ".wps", ".xls", ".ppt", ".et", ".dps"),
     "旧版 Office/WPS 二进制格式(.doc/.wps 等)不支持,请另存为 .docx 或 PDF"),
    ("rtf", b"{\\rtf", (".rtf",), "RTF 格式不支持,请另存为 .docx"),
    ("png", b"\x89PNG\r\n\x1a\n", (".png",), "是图片,不做 OCR,请提供文字版(网页、Word 或有文字层的 PDF)"),
    ("jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg"), "是图片,不做 OCR,请提供文字版(网页、Word 或有文字层的 PDF)"),
    ("gif", b"GIF8", (".gif",), "是图片,不做 OCR,请提供文字版"),
    ("tiff_le", b"II*\x00", (".tif", ".tiff"), "是图片,不做 OCR,请提供文字版"),
    ("tiff_be", b"MM\x00*", (".tif", ".tiff"), "是图片,不做 OCR,请提供文字版"),
    ("bmp", None, (".bmp",), "是图片,不做 OCR,请提供文字版"),
    ("webp", None, (".webp",), "是图片,不做 OCR,请提供文字版"),
    ("rar", b"Rar!\x1a\x07", (".rar",), "是压缩包,请先解压再导入其中的文件"),
    ("7z", b"7z\xbc\xaf\x27\x1c", (".7z",), "是压缩包,请先解压再导入其中的文件"),
    ("gzip", b"\x1f\x8b", (".gz", ".tgz"), "是压缩包,请先解压再导入其中的文件"),
    ("mht", None, (".mht", ".mhtml"), "MHT 单文件网页不支持,请在浏览器中另存为“网页,仅 HTML”"),
    ("ofd", None, (".ofd",), "OFD 版式文件不支持,请导出为 PDF"),
    ("xlsx", None, (".xlsx", ".pptx"), "Excel/PowerPoint 文件不支持,请另存为 .docx 或 PDF"),
)

_HTML_MARKERS = (b"<html", b"<!doctype html", b"<meta", b"<head", b"<body", b"<!-- saved from url", b"<title")


@dataclass
class ExtractedText:
    """Report text taken out of a file, with what the file says about where it came from."""

    text: str
    format: str                    # text | html | docx | pdf
    encoding: str | None = None    # for text and HTML: the encoding the bytes were read with
    url: str | None = None         # source URL found in the file (HTML pages)
    published: str | None = None   # publication date found in the file, ISO (YYYY-MM-DD)
    warnings: list[str] = field(default_factory=list)


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _looks_html(head: bytes) -> bool:
    sample = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff"):
        sample = sample.replace(b"\x00", b"")
    return any(marker in sample for marker in _HTML_MARKERS)


def detect_format(data: bytes, name: str) -> str:
    """Which reader a file needs: magic bytes first, then the extension; "unknown" when none."""
    suffix = _suffix(name)
    if not data.strip():
        return "unknown"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is not None:
            return "docx" if "word/document.xml" in names else "unknown"
        return "docx" if suffix == ".docx" else "unknown"  # a damaged zip: let its reader say so
    if _looks_html(data):
        return "html"
    if _unsupported(data, suffix):
        return "unknown"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    return "unknown" if looks_binary(data) else "text"


def _unsupported(data: bytes, suffix: str) -> str | None:
    for _, magic, suffixes, reason in UNSUPPORTED:
        if (magic is not None and data.startswith(magic)) or suffix in suffixes:
            return reason
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "是图片,不做 OCR,请提供文字版"
    return None


def _unknown_reason(data: bytes, name: str) -> str:
    if not data.strip():
        return "文件为空" if not data else "文件只有空白,没有内容"
    reason = _unsupported(data, _suffix(name))
    if reason:
        return reason
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data) or set()
        if "OFD.xml" in names:
            return "OFD 版式文件不支持,请导出为 PDF"
        return "是 zip 压缩包而不是 Word 文档(没有 word/document.xml),请先解压"
    return "不是文本文件(含二进制内容),也不是可识别的网页、Word 或 PDF 文件"


def _read_text(data: bytes, name: str) -> ExtractedText:
    if looks_binary(data):
        raise InputError(f"{name}: 不是文本文件(含二进制内容),也不是可识别的网页、Word 或 PDF 文件")
    text, encoding, warnings = decode_bytes(data, name)
    return ExtractedText(text=text.lstrip("\ufeff"), format="text", encoding=encoding, warnings=warnings)


def _readers() -> dict[str, Callable[[bytes, str], ExtractedText]]:
    from ingest.formats.docx import read_docx
    from ingest.formats.html import read_html
    from ingest.formats.pdf import read_pdf

    return {"text": _read_text, "html": read_html, "docx": read_docx, "pdf": read_pdf}


def check_input(data: bytes, name: str) -> str:
    """The format of a file a reader can take; InputError when it is empty, unknown or too large."""
    fmt = detect_format(data, name)
    if fmt == "unknown":
        raise InputError(f"{name}: {_unknown_reason(data, name)}")
    limit = SIZE_LIMITS[fmt]
    if len(data) > limit:
        raise InputError(f"{name}: 文件过大({len(data) / MB:.1f} MB),超过{LABELS[fmt]}的上限 {limit // MB} MB;"
                         f"一份整改报告通常不足 1 MB,请检查是否选错了文件")
    return fmt


def to_text(data: bytes, name: str) -> ExtractedText:
    """The report text of a file of any supported format; InputError names the file and the reason."""
    fmt = check_input(data, name)
    extracted = _readers()[fmt](data, name)
    if not extracted.text.strip():
        raise InputError(f"{name}: 文件中没有文字内容")
    return extracted


def read_report(data: bytes, name: str) -> tuple[str, Source, list[str]]:
    """Normalized report text, its Source and the readers' warnings, for a file of any format.

    Plain text goes to ingest.read (its own encoding detection); web pages, Word and PDF files
    are read here first, then normalized the same way, so spans mean the same in every format.
    """
    import hashlib

    from ingest.facts import Source
    from ingest.read import normalize_text, read_text

    if check_input(data, name) == "text":
        text, source = read_text(data, name)
        return text, source, []
    extracted = to_text(data, name)
    text = normalize_text(extracted.text)
    if not text.strip():
        raise InputError(f"{name}: 文件中没有文字内容")
    source = Source(name=name, format=extracted.format, encoding=extracted.encoding,
                    sha256=hashlib.sha256(data).hexdigest(), url=extracted.url, published=extracted.published)
    return text, source, extracted.warnings
