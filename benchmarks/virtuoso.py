"""Ingest and canned audit queries at 1,000 reports: a SPARQL server (Virtuoso) beside the
embedded store, same corpus, same machine, same run.

    bash scripts/virtuoso.sh start && eval "$(bash scripts/virtuoso.sh env)"
    .venv/bin/python benchmarks/virtuoso.py --reports 1000

Prints a Markdown section for benchmarks/RESULTS.md (and writes it to --out when given).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import ingest_bench, latency  # noqa: E402
from benchmarks.report import header, ms, table  # noqa: E402
from graph.guard import Limits  # noqa: E402
from graph.runner import open_runner  # noqa: E402
from web.canned import canned_queries  # noqa: E402


def remote_ingest(reports: Path, url: str, jobs: int) -> tuple[float, int]:
    """Ingest the corpus into the server (emptied first); wall seconds and quads stored."""
    from graph.store import open_store

    store = open_store(url)
    for g in store.named_graphs():
        store.drop_graph(g)
    started = time.perf_counter()
    subprocess.run([*ingest_bench.CLI, "--store", url, "ingest", "-q", "--jobs", str(jobs), str(reports)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, open_store(url).quad_count()


def canned(location: str, runs: int, timeout: float) -> dict[str, latency.Timing]:
    out = {}
    with open_runner(location, Limits(timeout=timeout), size=1, max_workers=1) as runner:
        for name, query in canned_queries().items():
            bindings = latency.canned_bindings(query)
            try:
                out[name] = latency.repeat(name, lambda q=query, b=bindings: runner.run(q.sparql, b), runs)
            except Exception as exc:  # a timeout or a dialect error: reported, not fatal
                out[name] = latency.Timing(name, None, None, 0, str(exc).splitlines()[0][:80])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--work", type=Path, default=ROOT.parent / "rectigraph-bench")
    ap.add_argument("--out", type=Path, help="also write the section to this file")
    args = ap.parse_args()
    url = os.environ.get("RECTIGRAPH_VIRTUOSO")
    if not url:
        sys.exit("需要 RECTIGRAPH_VIRTUOSO 等环境变量:bash scripts/virtuoso.sh start && eval \"$(bash scripts/virtuoso.sh env)\"")
    reports = ingest_bench.corpus(args.work, args.reports, args.seed)
    local = args.work / f"store-virtuoso-cmp-{args.reports}"
    embedded = ingest_bench.ingest(reports, local, jobs=2)
    remote_s, remote_quads = remote_ingest(reports, url, jobs=2)
    q_local, q_remote = canned(str(local), args.runs, args.timeout), canned(url, args.runs, args.timeout)
    lines = [f"## SPARQL server (Virtuoso 7.2.5) beside the embedded store, {args.reports} reports", ""]
    lines += header(f".venv/bin/python benchmarks/virtuoso.py --reports {args.reports}")[2:]
    lines += table(["ingest (--jobs 2)", "seconds", "reports/s", "quads/s", "quads"], [
        ["embedded Oxigraph", f"{embedded.seconds:.1f}", f"{embedded.reports_per_s:.1f}",
         f"{embedded.quads_per_s:,.0f}", f"{embedded.quads:,}"],
        ["Virtuoso (Graph Store Protocol PUT per report)", f"{remote_s:.1f}", f"{args.reports / remote_s:.1f}",
         f"{remote_quads / remote_s:,.0f}", f"{remote_quads:,}"],
    ])
    lines += [""]
    rows = []
    for name in q_local:
        a, b = q_local[name], q_remote.get(name)
        rows.append([name, f"{ms(a.p50)} / {ms(a.p95)}", f"{ms(b.p50)} / {ms(b.p95)}" if b and b.p50 is not None
                     else f"— ({b.note if b else ''})"])
    lines += table(["canned query", "embedded p50 / p95 (ms)", "Virtuoso p50 / p95 (ms)"], rows)
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
