"""The benchmark script runs end to end on a tiny corpus and writes every section.

It checks that figures are written, never how fast anything is (timings belong to
benchmarks/RESULTS.md, not to tests)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from web.canned import canned_queries

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("old figures\n<!-- notes: everything below this line is kept when the benchmark rewrites the file -->\nmy note\n",
                   encoding="utf-8")
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--sizes", "12", "--rdflib-sizes", "12", "--runs", "1",
                           "--rdflib-timeout", "3", "--work", str(tmp_path / "work"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for section in ("## Ingest", "## Canned audit queries", "## Explorer", "## Targets", "- commit:", "- machine:"):
        assert section in text, section
    assert "old figures" not in text and text.rstrip().endswith("my note")
    assert "Oxigraph, --jobs 1" in text and "Oxigraph, --jobs 2" in text and "rdflib memory" in text
    for name in canned_queries():
        assert f"| {name} |" in text, name
    assert "entity page: most cited law" in text and "path: busy agency" in text
