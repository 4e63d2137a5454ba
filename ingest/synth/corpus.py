"""Write a synthetic corpus to disk: DIR/reports/*.txt, DIR/gold/*.json, DIR/manifest.jsonl.

The layout lets the shared scorer run on it as
`score.py --corpus DIR/reports --gold DIR/gold`.  Reports are generated in parallel
processes; each report depends only on (seed, index), so the files are the same whatever
the number of processes.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ingest.synth.generator import generate_report
from ontology.errors import InputError

_CHUNK = 200


@dataclass
class CorpusSummary:
    reports: int
    characters: int
    layouts: dict[str, int]


def prepare_dir(out: Path, force: bool) -> None:
    """Refuse a non-empty DIR unless forced; when forced, remove what an earlier run wrote."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: 不是文件夹")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise InputError(f"{out}: 文件夹不为空;换一个文件夹,或加 --force 覆盖其中的合成语料")
        for sub, pattern in (("reports", "*.txt"), ("gold", "*.json")):
            for path in (out / sub).glob(pattern):
                path.unlink()
        (out / "manifest.jsonl").unlink(missing_ok=True)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)


def _write_chunk(args: tuple[str, int, int, int]) -> list[dict]:
    """Generate and write reports [start, stop) of the corpus; return their manifest rows."""
    out, seed, start, stop = args
    root = Path(out)
    rows = []
    for index in range(start, stop):
        report = generate_report(seed, index)
        (root / "reports" / report.name).write_text(report.text, encoding="utf-8")
        (root / "gold" / (report.name[:-4] + ".json")).write_text(report.gold_json(), encoding="utf-8")
        rows.append(report.manifest)
    return rows


def write_corpus(out: Path, reports: int, seed: int, jobs: int = 0,
                 progress: Callable[[int], None] | None = None) -> CorpusSummary:
    """Write `reports` reports of corpus `seed` under `out` (prepare_dir first); jobs 0 = all cores."""
    jobs = jobs or os.cpu_count() or 1
    chunks = [(str(out), seed, start, min(start + _CHUNK, reports)) for start in range(0, reports, _CHUNK)]
    rows: list[dict] = []
    if jobs == 1 or len(chunks) == 1:
        results = map(_write_chunk, chunks)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_write_chunk, chunks)
    try:
        for chunk_rows in results:
            rows.extend(chunk_rows)
            if progress:
                progress(len(chunk_rows))
    finally:
        if jobs != 1 and len(chunks) > 1:
            pool.shutdown()
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    layouts: dict[str, int] = {}
    for row in rows:
        layouts[row["layout"]] = layouts.get(row["layout"], 0) + 1
    return CorpusSummary(len(rows), sum(r["chars"] for r in rows), dict(sorted(layouts.items())))
