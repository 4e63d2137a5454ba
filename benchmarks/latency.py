"""Latencies on a built store: canned audit queries through a warm QueryRunner, and search,
entity pages (with their graph) and a path through the Flask test client."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.guard import Limits
from graph.runner import QueryRunner
from graph.store import PREFIXES
from web.canned import canned_queries

# Values for the parameters a canned query cannot run without (taken from their descriptions).
REQUIRED_SAMPLES = {"theme": "党建", "region": "澄州市"}


@dataclass
class Timing:
    name: str
    p50: float | None           # seconds; None when it did not finish
    p95: float | None
    runs: int
    note: str = ""


def percentiles(name: str, samples: list[float], note: str = "") -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(name, statistics.median(ordered), p95, len(ordered), note)


SLOW_SECONDS = 5.0   # a call slower than this when warm is timed SLOW_RUNS times, not `runs`
SLOW_RUNS = 2
VERY_SLOW_SECONDS = 20.0   # ... and slower than this, once


def repeat(name: str, call: Callable[[], object], runs: int, note: str = "") -> Timing:
    """One warm-up call, then `runs` timed calls (SLOW_RUNS when the warm-up was slow)."""
    started = time.perf_counter()
    call()
    warm_up = time.perf_counter() - started
    if warm_up > VERY_SLOW_SECONDS:
        runs = 1
    elif warm_up > SLOW_SECONDS:
        runs = min(runs, SLOW_RUNS)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return percentiles(name, samples, note)


def canned_bindings(query) -> dict:
    return query.bindings({p.name: REQUIRED_SAMPLES[p.name] for p in query.params if p.required})


def canned_latencies(store: Path, runs: int, timeout: float) -> list[Timing]:
    """Every canned query with its default parameters, on a warm runner (timeout per run)."""
    out = []
    with QueryRunner(store, Limits(timeout=timeout), size=1, max_workers=1) as runner:
        for name, query in canned_queries().items():
            bindings = canned_bindings(query)
            rows = []

            def call(query=query, bindings=bindings):
                rows[:] = [runner.run(query.sparql, bindings)]
            try:
                timing = repeat(name, call, runs)
                timing.note = f"{len(rows[0].rows)}{'+' if rows[0].truncated else ''} rows"
            except Exception as exc:  # a timeout: reported, not fatal
                timing = Timing(name, None, None, 0, f"> {timeout:g} s" if "超过" in str(exc) else str(exc)[:60])
            out.append(timing)
    return out


PICKS = {
    "busy agency": "SELECT ?x (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a rg:Report ; rg:agency ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    # from the summary records' document lists: joining every mention of every law with the
    # per-graph copies of its rg:documentType grows with the square of the corpus
    "most cited law": """SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE {
                           { SELECT DISTINCT ?x WHERE { ?x rg:documentType "law" } }
                           VALUES ?p { rg:documentIssued rg:documentRevised rg:documentDrafted rg:documentCited }
                           ?s ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""",
    # MIN instead of ORDER BY … LIMIT 1: sorting every issue IRI takes minutes at 10,000 reports
    "issue": "SELECT (MIN(STR(?i)) AS ?x) WHERE { ?i a rg:Issue }",
    "report": "SELECT (MIN(STR(?r)) AS ?x) WHERE { ?r a rg:Report }",
    "rare word": "SELECT ?x (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a rg:Report ; rg:agency/rdfs:label ?x } GROUP BY ?x ORDER BY ?n ?x LIMIT 1",
}


def pick_entities(store: Path) -> dict[str, str]:
    """The nodes the page benchmarks open: chosen by query, so the same at every size."""
    st = ox.Store.read_only(str(store))
    picked = {}
    for name, sparql in PICKS.items():
        row = next(iter(st.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)))
        picked[name] = row["x"].value
    return picked


def web_latencies(store: Path, runs: int) -> tuple[list[Timing], float]:
    """Search, entity pages and a path through the Flask test client; also the seconds the
    search index took to build (once per store, on first search)."""
    from web.app import create_app

    picked = pick_entities(store)
    app = create_app({"STORE": str(store), "TESTING": True})
    client = app.test_client()

    def get(url: str, params: dict | None = None) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url, query_string=params)
            assert response.status_code == 200, (url, params, response.status_code)
        return call

    started = time.perf_counter()
    get("/search", {"q": "整改"})()
    index_seconds = time.perf_counter() - started
    rare = picked.pop("rare word")
    timings = [repeat(f"search: {label}", get("/search", {"q": word}), runs, word)
               for label, word in (("common word 整改", "整改"), ("common word 制度", "制度"),
                                   ("rare word (least reported agency)", rare), ("absent word 量子纠缠", "量子纠缠"))]
    timings += [repeat(f"entity page: {name}", get("/entity", {"iri": iri}), runs, iri.rsplit("/", 2)[-2])
                for name, iri in picked.items()]
    timings.append(repeat("path: busy agency → most cited law",
                          get("/path", {"from": picked["busy agency"], "to": picked["most cited law"]}), runs))
    return timings, index_seconds
