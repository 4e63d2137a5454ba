"""The same data and canned queries on rdflib's in-memory store, for comparison.

Run as its own process (`python -m benchmarks.rdflib_bench FILE.nq TIMEOUT`): it parses the
N-Quads export into an rdflib Dataset once, then runs each canned query in a forked child
(the loaded data is shared copy-on-write) and kills the child when it passes the timeout.
It prints one JSON line for the load and one per query.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _emit(**data) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


def _run_forked(run, timeout: float) -> float | None:
    """Seconds `run()` took in a forked child, or None when it was killed at the timeout."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        started = time.perf_counter()
        run()
        os.write(write, str(time.perf_counter() - started).encode())
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            data = os.read(read, 64)
            os.close(read)
            return float(data) if data else None
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(read)
    return None


def main(nquads: str, timeout: float) -> None:
    sys.path.insert(0, str(ROOT))
    from rdflib import Dataset
    from rdflib.plugins.sparql import prepareQuery

    from benchmarks.latency import canned_bindings
    from graph.guard import bind_values
    from graph.store import PREFIXES
    from web.canned import canned_queries

    started = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    _emit(load=time.perf_counter() - started, quads=sum(len(g) for g in ds.graphs()),
          peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    for name, query in canned_queries().items():
        text = bind_values(query.sparql, canned_bindings(query))  # the text the Oxigraph runner gets
        try:
            prepared = prepareQuery(text, initNs=PREFIXES)
        except Exception as exc:
            _emit(name=name, seconds=None, note=f"rdflib cannot run it: {str(exc)[:60]}")
            continue
        seconds = _run_forked(lambda: list(ds.query(prepared)), timeout)
        _emit(name=name, seconds=seconds)


def run(nquads: Path, timeout: float) -> tuple[dict, dict[str, dict]]:
    """Run the comparison in a child process; the load figures and the result per query."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.rdflib_bench", str(nquads), str(timeout)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return lines[0], {line["name"]: line for line in lines[1:]}


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
