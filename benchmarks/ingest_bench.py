"""Synthetic corpora and timed ingests, each through the real CLI in its own process."""
from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

CLI = [sys.executable, "-m", "web.cli"]
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class IngestRun:
    reports: int
    jobs: int
    seconds: float
    quads: int
    peak_rss_mb: float           # the largest single process (the writer, or a parse worker)

    @property
    def reports_per_s(self) -> float:
        return self.reports / self.seconds

    @property
    def quads_per_s(self) -> float:
        return self.quads / self.seconds


def corpus(work: Path, reports: int, seed: int) -> Path:
    """DIR/reports of a synthetic corpus, generated once and reused while its manifest is whole."""
    out = work / f"corpus-{reports}-seed{seed}"
    manifest = out / "manifest.jsonl"
    if not (manifest.exists() and sum(1 for _ in manifest.open(encoding="utf-8")) == reports):
        subprocess.run([*CLI, "synth", "--reports", str(reports), "--seed", str(seed), "--out", str(out), "--force"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / "reports"


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Run a command; its wall time and the peak RSS (MB) of its largest process."""
    time_bin = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    started = time.perf_counter()
    if time_bin:
        done = subprocess.run([time_bin, "-f", "maxrss=%M", *cmd], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
        return seconds, int(re.findall(r"maxrss=(\d+)", done.stderr)[-1]) / 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # a running maximum: exact only when it grows
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def ingest(reports_dir: Path, store: Path, jobs: int) -> IngestRun:
    """A fresh store from the corpus with `rectigraph ingest --jobs N`."""
    shutil.rmtree(store, ignore_errors=True)
    store.with_name(store.name + ".search.sqlite").unlink(missing_ok=True)
    seconds, rss = _timed([*CLI, "--store", str(store), "ingest", "-q", "--jobs", str(jobs), str(reports_dir)])
    reports = sum(1 for _ in reports_dir.glob("*.txt"))
    return IngestRun(reports, jobs, seconds, quad_count(store), rss)


def quad_count(store: Path) -> int:
    return len(ox.Store.read_only(str(store)))


def export_nquads(store: Path, out: Path) -> Path:
    if not out.exists():
        subprocess.run([*CLI, "--store", str(store), "export", "--format", "nq", "--output", str(out)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out
