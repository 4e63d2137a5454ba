"""bytes -> text -> outline -> classified sections -> facts: the whole parse of one report."""
from __future__ import annotations

from ingest.classify import classify_sections, is_genre, report_kind
from ingest.documents import find_documents
from ingest.extract import extract_items
from ingest.facts import ReportFacts, Source
from ingest.formats import read_report
from ingest.formats.hanzi import matching_text
from ingest.header import extract_header
from ingest.outline import parse_outline
from ingest.read import normalize_text
from ingest.stats import extract_stats
from ingest.written import as_written
from ontology.errors import InputError

_MIN_MARKERS_UNNUMBERED = 2   # a report without numbered headings must show more of the genre


def parse_normalized(text: str, source: Source) -> ReportFacts:
    """Parse text that is already normalized (normalize_text) into the facts of one report.

    A report in Traditional characters is parsed on its Simplified matching copy (same length,
    so spans hold) and its facts are then told in the characters it is written in."""
    matching = matching_text(text)
    facts = _parse(matching, source)
    return facts if matching == text else as_written(facts, text)


def _parse(text: str, source: Source) -> ReportFacts:
    name = source.name
    sections = parse_outline(text)
    markers = is_genre(text)
    if not markers or (not sections and len(markers) < _MIN_MARKERS_UNNUMBERED):
        raise InputError(f"{name}: 不像整改情况报告或年度报告(没有编号结构,也没有整改/巡视/巡察/问题等字样)")
    warnings = []
    if not sections:
        warnings.append("没有找到编号标题,按无编号报告解析")
    kind, _ = report_kind(text, sections[0].start if sections else None)
    sections = classify_sections(sections, kind)
    header = extract_header(text, kind, sections[0].start if sections else None)
    documents = find_documents(text)
    items = extract_items(text, sections, kind, header, documents)
    if not header.agency:
        warnings.append("未能确定报告单位")
    if kind == "rectification" and not items.issues:
        warnings.append("未找到问题条目")
    return ReportFacts(text=text, source=source, header=header, stats=extract_stats(text),
                       sections=items.sections, issues=items.issues, measures=items.measures,
                       documents=documents, orgs=items.orgs, warnings=warnings + items.warnings)


def parse_report(data: bytes, name: str, path: str | None = None) -> ReportFacts:
    """Read (plain text, web page, Word or PDF), normalize and parse one report file's bytes."""
    text, source, warnings = read_report(data, name)
    source.path = path
    facts = parse_normalized(text, source)
    facts.warnings[:0] = warnings
    return facts


def parse_text(text: str, name: str = "text") -> ReportFacts:
    """Parse a report given as a string (normalized first); for tests and other readers."""
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{name}: 文件为空")
    return parse_normalized(text, Source(name=name, format="text", encoding="utf-8"))
