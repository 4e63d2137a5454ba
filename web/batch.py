"""Ingest many files into a store: parse (in parallel when asked), build, write in batches.

Each file is parsed on its own; a file that cannot be read is reported with its name and
reason and the rest go on. Reports are written in batches, each report's summary record
kept apart as the seal the store writes last (`GraphStore.write`), so a killed process
leaves every report either fully in the store or not at all.
"""
from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from graph.store import GraphStore, GraphWrite, triples_text
from ingest import iris
from ingest.build import GRAPH_FORMAT, build_report_graph
from ingest.pipeline import parse_report
from ontology.errors import RectigraphError, StoreError
from ontology.namespace import RG

SKIP_SUFFIXES = {".json", ".py", ".md~", ".swp"}


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: str                  # added | replaced | unchanged | failed
    message: str = ""
    issues: int = 0
    measures: int = 0
    documents: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class BatchSummary:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def collect_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, and files below folders named (sorted, hidden ones skipped)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file()
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                                and f.suffix.lower() not in SKIP_SUFFIXES))
        else:
            files.append(p)
    return files


@dataclass
class BuiltReport:
    """A parsed report ready to write: its graph IRI and its triples already as text."""

    graph: URIRef
    body: str
    seal: str                    # the summary record, written after the body (GraphStore.write)
    source_path: str | None


def _parse_file(path_str: str) -> tuple[str, BuiltReport | None, FileResult]:
    """Read, parse, build and serialise one file; runs in a worker process when parallel."""
    path = Path(path_str)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return path_str, None, FileResult(path_str, "failed", f"{path.name}: 无法读取文件: {exc.strerror or exc}")
    try:
        facts = parse_report(data, path.name, str(path.resolve()))
        built = build_report_graph(facts)
    except RectigraphError as exc:
        return path_str, None, FileResult(path_str, "failed", str(exc))
    except Exception as exc:  # a parser bug must not stop the batch
        return path_str, None, FileResult(path_str, "failed", f"{path.name}: 解析出错({type(exc).__name__}: {exc})")
    result = FileResult(path_str, "added", issues=len(facts.issues), measures=len(facts.measures),
                        documents=len({iris.document_key(d.title) for d in facts.documents}),
                        triples=len(built.triples), warnings=[f"{path.name}: {w}" for w in facts.warnings])
    summary = {s for s, p, _o in built.triples if p == RG.summaryOf}
    body = triples_text(t for t in built.triples if t[0] not in summary)
    seal = triples_text(t for t in built.triples if t[0] in summary)
    return path_str, BuiltReport(built.graph, body, seal, built.source_path), result


def _parsed(files: list[Path], jobs: int, window: int = 64) -> Iterator[tuple[str, BuiltReport | None, FileResult]]:
    """Parsed files in order. In parallel, at most `window` files are parsed ahead of the
    writer: parsers outrun the single writer, and every parsed report waiting in memory holds
    its serialised graph (~0.5 MB), so an unbounded read-ahead grew with the corpus."""
    if jobs <= 1 or len(files) < 4:
        for f in files:
            yield _parse_file(str(f))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        ahead: deque[Future] = deque()
        todo = iter(files)
        for f in todo:
            ahead.append(pool.submit(_parse_file, str(f)))
            if len(ahead) >= max(window, 2 * jobs):
                break
        while ahead:
            yield ahead.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                ahead.append(pool.submit(_parse_file, str(nxt)))


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def ingest_files(store: GraphStore, files: list[Path], jobs: int = 1, batch_size: int = 50,
                 progress: Callable[[FileResult], None] | None = None) -> BatchSummary:
    """Ingest files into the store; unchanged files are skipped without parsing."""
    summary = BatchSummary()
    todo: list[Path] = []
    for f in files:
        digest = _sha256(f)
        if digest and store.graph_format(iris.mint_report_graph_iri(digest)) == GRAPH_FORMAT:
            result = FileResult(str(f), "unchanged")
            summary.results.append(result)
            if progress:
                progress(result)
        else:
            todo.append(f)
    pending: list[tuple[GraphWrite, FileResult]] = []

    def flush() -> None:
        try:
            store.write([w for w, _ in pending])
        except StoreError:
            for w, r in pending:  # find the one that fails; the others still go in
                try:
                    store.write([w])
                except StoreError as exc:
                    r.status, r.message = "failed", f"{Path(r.path).name}: {exc}"
        for _, r in pending:
            summary.results.append(r)
            if progress:
                progress(r)
        pending.clear()

    for path_str, built, result in _parsed(todo, jobs):
        if built is None:
            summary.results.append(result)
            if progress:
                progress(result)
            continue
        old = [g for g in store.graphs_from_source(built.source_path) if g != built.graph] if built.source_path else []
        if old or store.has_graph(built.graph):   # an edited file, or a graph of an older format rebuilt
            result.status = "replaced"
        pending.append((GraphWrite(built.graph, replaces=old, body=built.body, seal=built.seal), result))
        if len(pending) >= batch_size:
            flush()
    flush()
    return summary
