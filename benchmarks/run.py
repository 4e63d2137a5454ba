"""Benchmark rectigraph at several corpus sizes and write benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py --sizes 100,1000,10000

For each size: a synthetic corpus (generated once into the work folder, outside the repo),
ingest through the CLI with --jobs 1 and --jobs 2 (throughput, peak RSS), then p50/p95 of
every canned audit query, search, entity pages and a path on the built store; at the
--rdflib-sizes the same data and queries on rdflib's in-memory store. Figures only: no
pass/fail beyond the target table. Hand-written notes below the NOTES marker are kept.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import ingest_bench, latency, rdflib_bench  # noqa: E402
from benchmarks.report import header, ms, table  # noqa: E402

NOTES = "<!-- notes: everything below this line is kept when the benchmark rewrites the file -->"


PHASES = ("ingest", "latency", "rdflib")


def measure_size(n: int, args, previous: dict | None = None) -> dict:
    """Every figure for one corpus size; phases left out of --phases are kept from `previous`."""
    work: Path = args.work
    result = dict(previous or {"n": n})
    store = work / f"store-{n}"
    if "ingest" in args.phases:
        result["load"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        reports = ingest_bench.corpus(work, n, args.seed)
        runs = []
        if 1 in args.ingest_jobs:
            say(f"N={n}: ingest --jobs 1")
            runs.append(ingest_bench.ingest(reports, work / f"store-{n}-j1", jobs=1))
            shutil.rmtree(work / f"store-{n}-j1")
        if 2 in args.ingest_jobs or not store.exists():
            say(f"N={n}: ingest --jobs 2")
            runs.append(ingest_bench.ingest(reports, store, jobs=2))
        measured = {r.jobs for r in runs}   # runs of the other --jobs are kept from the previous result
        kept = [r for r in result.get("ingest", []) if r["jobs"] not in measured]
        result["ingest"] = sorted(kept + [asdict(r) for r in runs], key=lambda r: r["jobs"])
    elif "ingest" not in result or not store.exists():
        raise SystemExit(f"N={n}: 没有可复用的导入结果({store}),先带 --phases ingest 运行")
    if "latency" in args.phases:
        result["latency_load"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        say(f"N={n}: canned queries")
        result["canned"] = [asdict(t) for t in latency.canned_latencies(store, args.runs, args.timeout)]
        say(f"N={n}: search, entity pages, path")
        web, result["search_index_s"] = latency.web_latencies(store, args.runs)
        result["web"] = [asdict(t) for t in web]
    if "rdflib" in args.phases and n in args.rdflib_sizes:
        say(f"N={n}: rdflib in-memory store")
        nq = ingest_bench.export_nquads(store, work / f"corpus-{n}.nq")
        result["rdflib_load"], result["rdflib"] = rdflib_bench.run(nq, args.rdflib_timeout)
    return result


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def pair(t: dict | None) -> str:
    if t is None:
        return "—"
    if t["p50"] is None:
        return t["note"] or "failed"
    return f"{ms(t['p50'])} / {ms(t['p95'])}"


def render(results: list[dict], args, command: str) -> str:
    lines = header(command)
    sizes = [r["n"] for r in results]
    lines += ["## Ingest", "", "Through `rectigraph ingest -q --jobs J` in its own process; peak RSS of its largest "
              "process. rdflib: parsing the N-Quads export into an in-memory `Dataset`.", ""]
    rows = []
    for r in results:
        for run in r["ingest"]:
            rps = run["reports"] / run["seconds"]
            rows.append([f"{r['n']:,}", f"Oxigraph, --jobs {run['jobs']}", f"{run['seconds']:.1f}", f"{rps:.1f}",
                         f"{rps / run['jobs']:.1f}", f"{run['quads']:,}", f"{run['quads'] / run['seconds']:,.0f}",
                         f"{run['peak_rss_mb']:,.0f}", ""])
        if "rdflib_load" in r:
            load, best = r["rdflib_load"], r["ingest"][-1]
            rows.append([f"{r['n']:,}", "rdflib memory (parse only)", f"{load['load']:.1f}",
                         f"{r['n'] / load['load']:.1f}", "", f"{load['quads']:,}", f"{load['quads'] / load['load']:,.0f}",
                         f"{load['peak_rss_mb']:,.0f}", f"Oxigraph --jobs 2 is {load['load'] / best['seconds']:.1f}× faster"])
    lines += table(["reports", "path", "s", "reports/s", "reports/s per core", "quads", "quads/s", "peak RSS MB",
                    "vs rdflib"], rows)
    lines += ["Load average (1 / 5 / 15 min) when each size's ingest started: "
              + "; ".join(f"{r['n']:,}: {r['load']}" for r in results) + "; when its query timings started: "
              + "; ".join(f"{r['n']:,}: {r.get('latency_load', r['load'])}" for r in results) + ".", ""]

    rd = [r for r in results if "rdflib" in r]
    lines += ["## Canned audit queries", "",
              f"ms, p50 / p95 of {args.runs} runs after a warm-up ({latency.SLOW_RUNS} runs when the warm-up took over "
              f"{latency.SLOW_SECONDS:g} s, one run when it took over {latency.VERY_SLOW_SECONDS:g} s), default parameters, one warm `QueryRunner` worker; cut at {args.timeout:g} s. "
              f"rdflib: one run each in a forked process, cut at {args.rdflib_timeout:g} s; ratio = rdflib ÷ Oxigraph p50.", ""]
    head = ["query", *(f"{n:,}" for n in sizes), *(f"rdflib {r['n']:,} (× slower)" for r in rd)]
    rows = []
    for name in [t["name"] for t in results[0]["canned"]]:
        row = [name]
        for r in results:
            t = next(t for t in r["canned"] if t["name"] == name)
            row.append(pair(t) + (f" ({t['note']})" if t["p50"] is not None and r is results[-1] else ""))
        for r in rd:
            ox_t = next(t for t in r["canned"] if t["name"] == name)
            rq = r["rdflib"].get(name, {})
            if rq.get("seconds") is None:
                cell = rq.get("note") or f"> {args.rdflib_timeout:g} s"
                if ox_t["p50"]:
                    cell += f" (> {args.rdflib_timeout / ox_t['p50']:,.0f}×)"
            else:
                cell = f"{ms(rq['seconds'])} ({rq['seconds'] / ox_t['p50']:,.0f}×)" if ox_t["p50"] else ms(rq["seconds"])
            row.append(cell)
        rows.append(row)
    lines += table(head, rows)

    lines += ["## Explorer", "", "ms, p50 / p95 through the Flask test client (HTML pages; entity pages include "
              "their neighbourhood graph).", ""]
    rows = [[t["name"], *(pair(next((x for x in r["web"] if x["name"] == t["name"]), None)) for r in results)]
            for t in results[-1]["web"]]
    rows.append(["search index build (first search, once per store)", *(f"{r['search_index_s']:.1f} s" for r in results)])
    lines += table(["request", *(f"{n:,}" for n in sizes)], rows)
    lines += ["## Targets", "", "Computed from the figures above; the largest size stands in for 10,000 reports "
              "and the rdflib size nearest 1,000 for 1,000.", ""]
    lines += table(["target", "measured", "met"], targets(results))
    return "\n".join(lines) + "\n"


def targets(results: list[dict]) -> list[list[str]]:
    """Each target of issue 6 with the figure that decides it."""
    big, small = results[-1], results[0]
    rows = []

    def row(name: str, measured: str, met: bool) -> None:
        rows.append([name, measured, "yes" if met else "**no**"])

    per_core = {run["jobs"]: run["reports"] / run["seconds"] / run["jobs"] for run in big["ingest"]}
    row("ingest ≥ 40 reports/s per core",
        ", ".join(f"--jobs {j}: {v:.1f}" for j, v in per_core.items()) + f" reports/s per core at {big['n']:,}",
        min(per_core.values()) >= 40)
    best = min(big["ingest"], key=lambda run: run["seconds"])
    rss = max(run["peak_rss_mb"] for run in big["ingest"])
    row(f"{big['n']:,} reports stored in < 10 min, peak RSS < 2 GB",
        f"{best['seconds'] / 60:.1f} min (--jobs {best['jobs']}), peak RSS {rss:,.0f} MB",
        best["seconds"] < 600 and rss < 2048)
    slow = [t for t in big["canned"] if t["p95"] is None or t["p95"] >= 0.5]
    row(f"canned queries p95 < 500 ms at {big['n']:,}",
        f"{len(big['canned']) - len(slow)} of {len(big['canned'])} under; over: "
        + (", ".join(f"{t['name']} {pair(t).split(' / ')[-1]}" for t in slow) or "none"), not slow)
    rd = [r for r in results if "rdflib" in r]
    if rd:
        r = min(rd, key=lambda r: abs(r["n"] - 1000))
        below = []
        for t in r["canned"]:
            other = r["rdflib"].get(t["name"], {})
            rd_s = other.get("seconds") or (None if other.get("note") else float("inf"))
            if t["p50"] is None or rd_s is None or rd_s / t["p50"] < 20:
                below.append(t["name"])
        row(f"canned queries ≥ 20× faster than rdflib memory at {r['n']:,}",
            f"{len(r['canned']) - len(below)} of {len(r['canned'])}; below 20×: {', '.join(below) or 'none'}", not below)
    pages = [t for t in big["web"] if t["name"].startswith("entity page")]
    worst = max(pages, key=lambda t: t["p95"])
    row(f"entity page p95 < 300 ms at {big['n']:,}", f"worst {worst['name']} {ms(worst['p95'])} ms", worst["p95"] < 0.3)
    searches = [t for t in big["web"] if t["name"].startswith("search")]
    worst = max(searches, key=lambda t: t["p95"])
    row(f"search p95 < 200 ms at {big['n']:,}", f"worst {worst['name']} {ms(worst['p95'])} ms", worst["p95"] < 0.2)
    if len(results) > 1:
        cost = [max(run["seconds"] / run["reports"] for run in r["ingest"] if run["jobs"] == 2) for r in results]
        row("ingest cost linear (seconds per report flat)",
            " → ".join(f"{c * 1000:.0f} ms" for c in cost) + " per report", cost[-1] <= 1.5 * cost[0])
        growth = max(next(x for x in big["web"] if x["name"] == t["name"])["p50"] / t["p50"]
                     for t in small["web"] if t["name"].startswith("entity page"))
        row("entity pages flat", f"p50 grows at most {growth:.1f}× from {small['n']:,} to {big['n']:,} reports",
            growth <= 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes (reports), comma-separated")
    parser.add_argument("--rdflib-sizes", default="100,1000", help="sizes also run on rdflib's memory store")
    parser.add_argument("--seed", type=int, default=6, help="synthetic corpus seed")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query or page (after one warm-up)")
    parser.add_argument("--timeout", type=float, default=60.0, help="time limit per Oxigraph query run (s)")
    parser.add_argument("--rdflib-timeout", type=float, default=30.0, help="time limit per rdflib query (s)")
    parser.add_argument("--work", type=Path, default=ROOT.parent / "rectigraph-bench",
                        help="folder for corpora and stores (outside the repo; corpora are reused)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--resume", action="store_true",
                        help="keep the sizes already measured in WORK/results.json and measure only the others")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help="what to measure: ingest, latency, rdflib (comma-separated); the others are kept "
                             "from WORK/results.json and the stores already built")
    parser.add_argument("--ingest-jobs", default="1,2", help="ingests to time: 1 (one process) and/or 2 (parallel parsing); "
                        "the store queried is the --jobs 2 one (built if missing); runs not timed are kept from results.json")
    parser.add_argument("--render-only", action="store_true", help="rewrite the file from WORK/results.json, measure nothing")
    args = parser.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",") if x]
    args.rdflib_sizes = {int(x) for x in args.rdflib_sizes.split(",") if x}
    args.phases = {x for x in args.phases.split(",") if x}
    args.ingest_jobs = {int(x) for x in args.ingest_jobs.split(",") if x}
    if args.phases - set(PHASES):
        parser.error(f"未知的阶段:{', '.join(sorted(args.phases - set(PHASES)))}")
    partial = args.phases != set(PHASES)
    args.work.mkdir(parents=True, exist_ok=True)
    command = " ".join([".venv/bin/python", "benchmarks/run.py", *sys.argv[1:]])
    saved = args.work / "results.json"
    # every size measured so far stays in the file; a run replaces the sizes (or phases) it measures
    done = {r["n"]: r for r in json.loads(saved.read_text(encoding="utf-8"))} if saved.exists() else {}
    for n in args.sizes:
        if args.render_only or (args.resume and n in done and "canned" in done[n]):
            continue
        done[n] = measure_size(n, args, done.get(n) if partial else None)
        saved.write_text(json.dumps([done[k] for k in sorted(done)], ensure_ascii=False, indent=1), encoding="utf-8")
    results = [done[n] for n in args.sizes if n in done and "canned" in done[n] and "ingest" in done[n]]
    missing = [n for n in args.sizes if not any(r["n"] == n for r in results)]
    if missing:
        say(f"{', '.join(map(str, missing))} 篇的结果还不全(缺少阶段),没有改写 {args.out}")
        return
    notes = ""
    if args.out.exists() and NOTES in (old := args.out.read_text(encoding="utf-8")):
        notes = old[old.index(NOTES) + len(NOTES):]
    args.out.write_text(render(results, args, command) + "\n" + NOTES + notes, encoding="utf-8")
    say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
